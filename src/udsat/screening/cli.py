"""`udsat screen`: the screening from a dataset (--data) or an area-level CSV (--aggregate),
written as designated areas (GeoPackage, GeoJSON), the unit table (CSV, Parquet) and a summary.

The lead registers `screen_command` as `udsat screen` in udsat/cli.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from rich.console import Console

from udsat.errors import UdsatError
from udsat.progress import progress_bar
from udsat.screening.aggregate import screen_aggregate
from udsat.screening.config import load_config
from udsat.screening.messages import NOTE_LABELS, say
from udsat.screening.result import ScreeningResult
from udsat.suppression import DEFAULT_LIMIT, suppress_counts

GPKG_LAYER = "udsatte_byomraader"
# Unit columns that describe the unit's own people: blanked with its residents when 1-4.
VALUE_SUFFIXES = ("_value", "_ratio", "_z", "_flag")


def screen_command(
    data: Path | None,
    aggregate: Path | None,
    year: int,
    config: Path | None,
    compare: Path | None,
    out: Path,
    engine: str = "duckdb",
) -> ScreeningResult:
    """Screen `data` (a dataset directory) or `aggregate` (an area-level CSV) for `year` and
    write the outputs into `out` (a directory, replaced whole when complete). `engine` runs the
    microdata's indicator passes and neighbourhoods (udsat.engines)."""
    if (data is None) == (aggregate is None):
        raise UdsatError(say("one_source"))
    settings = load_config(config)
    if aggregate is not None:
        if compare is not None:
            raise UdsatError(say("compare_aggregate"))
        result = screen_aggregate(aggregate, year=year, config=settings)
    else:
        from udsat.contract.dataset import open_dataset
        from udsat.engines import open_engine
        from udsat.screening.run import run_screening

        dataset = open_dataset(Path(data))
        runner = open_engine(engine, dataset)
        console = Console(stderr=True)
        with progress_bar(console, "screening") as report:
            result = run_screening(
                dataset,
                year=year,
                config=settings,
                compare=compare,
                progress=report,
                engine=runner,
            )
    write_screening(result, out)
    Console().print(say("done", year=year, path=out, areas=len(result.areas)))
    return result


def write_screening(result: ScreeningResult, out: Path) -> dict[str, Path]:
    """Write every output into `<out>.partial`, then move it into place in one rename."""
    out = Path(out)
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    files = {
        "areas_gpkg": staging / "udsatte_byomraader.gpkg",
        "areas_geojson": staging / "udsatte_byomraader.geojson",
        "units_csv": staging / "units.csv",
        "units_parquet": staging / "units.parquet",
        "summary": staging / "summary.md",
        "summary_en": staging / "summary_en.md",
        "run_log": staging / "run_log.json",
    }
    areas = result.areas
    if len(areas):
        areas.to_file(files["areas_gpkg"], layer=GPKG_LAYER, driver="GPKG")
        areas.to_crs("EPSG:4326").to_file(files["areas_geojson"], driver="GeoJSON", RFC7946="YES")
    else:
        del files["areas_gpkg"], files["areas_geojson"]
    units = publishable_units(result.units)
    units.to_csv(files["units_csv"], index=False)
    units.to_parquet(files["units_parquet"], index=False)
    if result.comparison is not None:
        files["comparison"] = staging / "comparison.csv"
        comparison = suppress_counts(result.comparison, ["residents", "overlap_residents"])
        comparison.to_csv(files["comparison"], index=False)
    files["summary"].write_text(result.summary_da, encoding="utf-8")
    files["summary_en"].write_text(result.summary_en, encoding="utf-8")
    result.log.write(files["run_log"])
    previous = out.with_name(out.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    shutil.rmtree(previous, ignore_errors=True)
    return {name: out / path.name for name, path in files.items()}


def publishable_units(units: pd.DataFrame) -> pd.DataFrame:
    """The unit table with small cells suppressed: a unit of 1-4 residents keeps only its id."""
    counts = ["residents"] if "residents" in units else []
    table = suppress_counts(units, counts)
    if "neighbourhood_residents" in table:
        # About k people each (fractional where the k-th ring is shared): not a small cell.
        table["neighbourhood_residents"] = table["neighbourhood_residents"].round(1)
    if "note" in table:
        table["note_da"] = [
            "; ".join(NOTE_LABELS[c]["da"] for c in str(n).split(";") if c in NOTE_LABELS)
            for n in table["note"].fillna("")
        ]
    small = units["residents"].gt(0) & units["residents"].lt(DEFAULT_LIMIT)
    own = [c for c in table if c.endswith(VALUE_SUFFIXES) and not c.endswith("_city")]
    if counts and units.attrs.get("own_values", True):
        for column in own:
            table[column] = table[column].astype(object).mask(small)
    return table
