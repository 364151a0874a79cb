"""Fuzz targets for every udsat loader, shared by the atheris harness and the hypothesis tests.

Each target takes the bytes of one input file, puts them where udsat reads them and runs the
loader. The only allowed outcomes are a result or `udsat.errors.UdsatError`; anything else is a
crash. Targets that load a whole dataset start from a small valid dataset (built once per
process) and replace one file of it.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the contract tests' dataset builders

from fixtures.contract.builders import write_dataset  # noqa: E402
from udsat.errors import UdsatError  # noqa: E402

# Files of the template dataset a dataset target replaces, by target name.
DATASET_FILES: dict[str, str] = {
    "persons_csv": "persons.csv",
    "persons_parquet": "persons.parquet",
    "persons_sas": "persons.sas7bdat",
    "addresses_csv": "addresses.csv",
    "survey_csv": "survey.csv",
    "initiatives_csv": "initiatives.csv",
    "housing_areas_geojson": "housing_areas.geojson",
    "housing_areas_gpkg": "housing_areas.gpkg",
    "units_geojson": "units/bydele.geojson",
    "manifest_json": "manifest.json",
}
TABLE_OF = {
    "persons": ("persons.csv", "persons.parquet", "persons.sas7bdat"),
    "housing_areas": ("housing_areas.geojson", "housing_areas.gpkg"),
    "units/bydele": ("units/bydele.geojson",),
}


@cache
def template() -> Path:
    """A small valid dataset (persons Parquet; the other tables CSV; GeoPackage, GeoJSON)."""
    root = Path(tempfile.mkdtemp(prefix="udsat-fuzz-template-"))
    write_dataset(root / "dataset")
    return root / "dataset"


@cache
def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="udsat-fuzz-work-"))


def _dataset_with(relative: str, data: bytes) -> Path:
    """A fresh copy of the template with `relative` replaced by `data` (its siblings removed)."""
    target = workdir() / "dataset"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(template(), target)
    for files in TABLE_OF.values():
        if relative in files:
            for other in files:
                (target / other).unlink(missing_ok=True)
    path = target / relative
    path.write_bytes(data)
    return target


def load_dataset(relative: str, data: bytes) -> object:
    """Open, validate and connect a dataset whose file `relative` holds `data`."""
    from udsat.contract.dataset import open_dataset

    dataset = open_dataset(_dataset_with(relative, data))
    dataset.validate(on_invalid_rows="exclude")
    con = dataset.connect()
    try:
        return con.sql("SELECT count(*) FROM persons_located").fetchall()
    finally:
        con.close()


def _file(name: str, data: bytes) -> Path:
    path = workdir() / name
    path.write_bytes(data)
    return path


def load_aggregate(data: bytes) -> object:
    from udsat.statelists.aggregate import read_aggregate

    return read_aggregate(_file("aggregate.csv", data))


def load_history(data: bytes) -> object:
    from udsat.statelists.lookback import read_history

    return read_history(_file("history.csv", data))


def load_references(data: bytes) -> object:
    """`udsat lists --references FILE`: the references per list year."""
    from udsat.statelists.references import read_references

    return read_references(_file("references.csv", data))


def load_ruleset(data: bytes) -> object:
    from udsat.statelists.rules import load_law

    return load_law(_file("rules_fuzz.yaml", data))


def load_catalogue(data: bytes) -> object:
    from udsat.indicators.catalogue import load_catalogue

    return load_catalogue(_file("catalogue_fuzz.yaml", data))


def load_screening_config(data: bytes) -> object:
    from udsat.screening.config import load_config

    return load_config(_file("screening_fuzz.yaml", data))


def load_goals(data: bytes) -> object:
    from udsat.monitoring.goals import load_goals

    return load_goals(_file("goals_fuzz.yaml", data))


def load_run_manifest(data: bytes) -> object:
    """`udsat verify` on a publication whose run_manifest.json holds `data`."""
    from udsat.publish.atomic import verify

    out = workdir() / "publication"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    (out / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (out / "run_manifest.json").write_bytes(data)
    return verify(out)


@dataclass(frozen=True)
class Target:
    name: str
    run: Callable[[bytes], object]
    seeds: Callable[[], list[bytes]]


def _seed_file(relative: str) -> Callable[[], list[bytes]]:
    def seeds() -> list[bytes]:
        root = template()
        if relative == "persons.csv":
            import pandas as pd

            frame = pd.read_parquet(root / "persons.parquet")
            return [frame.to_csv(index=False).encode("utf-8")]
        if relative == "persons.sas7bdat":
            return [(REPO / "tests/fixtures/contract/persons.sas7bdat").read_bytes()]
        if relative == "housing_areas.geojson":
            import geopandas as gpd

            gdf = gpd.read_file(root / "housing_areas.gpkg")
            return [gdf.to_json().encode("utf-8")]
        return [(root / relative).read_bytes()]

    return seeds


def _seed_path(path: Path) -> Callable[[], list[bytes]]:
    return lambda: [path.read_bytes()]


def _packaged(module: str, name: str) -> Callable[[], list[bytes]]:
    def seeds() -> list[bytes]:
        from importlib import resources

        return [resources.files(module).joinpath(name).read_bytes()]

    return seeds


def _ruleset_seeds() -> list[bytes]:
    from udsat.statelists.rules import LAW_PATH

    return [LAW_PATH.read_bytes()]


def _references_seeds() -> list[bytes]:
    header = "list_year,national_convicted_pct,region,region_mean_income\n"
    rows = "2023,0.7548,Hovedstaden,402117\n2023,0.7548,Sjælland,345000.5\n"
    comma = '2024,"0,75",Nordjylland,"350000,5"\n'  # a decimal comma, quoted
    return [(header + rows).encode("utf-8"), (header + comma).encode("utf-8")]


def _manifest_seeds() -> list[bytes]:
    digest = "0" * 64
    return [json.dumps({"outputs": {"a.csv": {"sha256": digest, "size": 4}}}).encode()]


def targets() -> dict[str, Target]:
    """Every loader with a fuzz target; optional packages only when they are installed."""
    out: dict[str, Target] = {}
    for name, relative in DATASET_FILES.items():
        out[name] = Target(name, lambda d, r=relative: load_dataset(r, d), _seed_file(relative))
    statelists = REPO / "tests/fixtures/statelists"
    out["statelists_aggregate"] = Target(
        "statelists_aggregate", load_aggregate, _seed_path(statelists / "aggregate_example.csv")
    )
    out["statelists_history"] = Target(
        "statelists_history", load_history, _seed_path(statelists / "memberships_2017_2022.csv")
    )
    out["statelists_rules"] = Target("statelists_rules", load_ruleset, _ruleset_seeds)
    out["statelists_references"] = Target(
        "statelists_references", load_references, _references_seeds
    )
    out["run_manifest"] = Target("run_manifest", load_run_manifest, _manifest_seeds)
    optional = (
        ("indicators_catalogue", "udsat.indicators.catalogue", load_catalogue,
         _packaged("udsat.indicators", "catalogue.yaml")),
        ("screening_config", "udsat.screening.config", load_screening_config,
         _packaged("udsat.screening", "config.yaml")),
        ("monitoring_goals", "udsat.monitoring.goals", load_goals,
         _packaged("udsat.monitoring", "goals.yaml")),
    )  # fmt: skip
    for name, module, run, seeds in optional:
        try:
            __import__(module)
        except ImportError:
            continue
        out[name] = Target(name, run, seeds)
    return out


def run_target(target: Target, data: bytes) -> None:
    """Run one case; UdsatError is an allowed outcome, every other exception propagates."""
    with contextlib.suppress(UdsatError):
        target.run(data)
