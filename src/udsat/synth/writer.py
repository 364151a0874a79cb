"""Arrow tables and files of a synthetic dataset: deterministic Parquet, GeoPackages, manifest.

Parquet files are byte-identical for the same seed: fixed writer options, no timestamps, no pandas
metadata, and identifiers built from integers with fixed width.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from udsat import __version__
from udsat.contract.schemas import (
    ADDRESSES,
    BENEFIT_COLUMNS,
    HOUSING_AREAS,
    PERSONS,
    UNITS,
)
from udsat.i18n import t
from udsat.publish.writers import write_geopackage

# Dictionary encoding only where values repeat (ids, categories, small integers); the float
# columns compress well enough without it and the attempt costs time.
DICTIONARY_COLUMNS = [
    "address_id", "sex", "origin", "education_level", "year", "age", *BENEFIT_COLUMNS,
    "convictions_straffeloven", "convictions_vaabenloven", "convictions_euf",
]  # fmt: skip
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 1,
    "dictionary_pagesize_limit": 64 << 20,  # keep a national address dictionary (2M ids)
    "write_statistics": True,
    "store_schema": False,  # dictionary-encoded columns read back as plain strings
    "row_group_size": 1_048_576,
}
LICENCE = (
    "CC BY 4.0 (geography: Københavns Kommune, opendata.dk); "
    "synthetic records: no licence restrictions"
)


def _packed(strings: list[str]) -> np.ndarray:
    """4-character ASCII strings packed into uint32 words (native byte order, as in memory)."""
    return np.frombuffer("".join(strings).encode("ascii"), dtype=np.uint32).copy()


_DIGITS4 = _packed([f"{i:04d}" for i in range(10_000)])
ID_DIGITS = 11  # ids are one letter and 11 digits: 12 bytes, three packed words


@cache
def _heads(prefix: str) -> np.ndarray:
    """The first word of every id with this prefix: the letter and 3 digits (built once)."""
    return _packed([f"{prefix}{i:03d}" for i in range(1000)])


def id_strings(prefix: str, values: np.ndarray) -> pa.Array:
    """Fixed-width identifiers like 'p00000012345' without a Python loop per value.

    Each id is three 4-byte words looked up from tables (letter + 3 digits, 4 digits, 4 digits)
    and handed to Arrow as one buffer: far faster than formatting or casting integers.
    """
    head = _heads(prefix)
    v = values.astype(np.int64)
    words = np.empty((len(v), 3), dtype=np.uint32)
    words[:, 0] = head[v // 100_000_000 % 1000]
    words[:, 1] = _DIGITS4[v // 10_000 % 10_000]
    words[:, 2] = _DIGITS4[v % 10_000]
    offsets = np.arange(len(v) + 1, dtype=np.int32) * 12
    return pa.StringArray.from_buffers(len(v), pa.py_buffer(offsets), pa.py_buffer(words))


def categorical(codes: np.ndarray, labels: tuple[str, ...] | np.ndarray | pa.Array) -> pa.Array:
    """A dictionary-encoded string column from integer codes (cheap to build and to write)."""
    dictionary = labels if isinstance(labels, pa.Array) else pa.array(list(labels), pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), dictionary)


def nullable_bool(values: np.ndarray, valid: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.bool_(), mask=~valid)


def persons_table(columns: dict[str, Any]) -> pa.Table:
    """Order and type the persons columns exactly as the contract lists them."""
    arrays = []
    for name in PERSONS.names:
        value = columns[name]
        arrays.append(value if isinstance(value, pa.Array) else pa.array(value))
    return pa.Table.from_arrays(arrays, names=list(PERSONS.names))


def write_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = [c for c in DICTIONARY_COLUMNS if c in table.column_names]
    pq.write_table(table, path, use_dictionary=columns or False, **PARQUET_OPTIONS)


def write_static(root: Path, geography: Any) -> None:
    """addresses.parquet, housing_areas.gpkg, units/<layer>.gpkg and initiatives.csv."""
    a = geography.addresses
    table = pa.table(
        {
            "address_id": pa.array(a["address_id"].astype(str).tolist(), pa.string()),
            "x": pa.array(a["x"].to_numpy(dtype=np.float64)),
            "y": pa.array(a["y"].to_numpy(dtype=np.float64)),
            "housing_area_id": pa.array(
                [v if isinstance(v, str) else None for v in a["housing_area_id"]], pa.string()
            ),
            "municipality_code": pa.array(a["municipality_code"].to_numpy(dtype=np.int64)),
        }
    ).select(list(ADDRESSES.names))
    write_parquet(table, root / "addresses.parquet")
    areas = geography.housing_areas[[*HOUSING_AREAS.names, "geometry"]].to_crs("EPSG:25832")
    # Fixed GDAL date: the same seed gives byte-identical GeoPackages.
    write_geopackage(areas, root / "housing_areas.gpkg", layer="housing_areas")
    for layer, gdf in geography.units.items():
        cols = [c for c in UNITS.names if c in gdf.columns]
        (root / "units").mkdir(exist_ok=True)
        out = gdf[[*cols, "geometry"]].to_crs("EPSG:25832")
        write_geopackage(out, root / "units" / f"{layer}.gpkg", layer=layer)
    source = resources.files("udsat.data").joinpath("initiatives.csv")
    with resources.as_file(source) as path:
        shutil.copyfile(path, root / "initiatives.csv")


def write_manifest(
    root: Path,
    geography: Any,
    years: tuple[int, int],
    seed: int,
    scenario: dict[str, Any] | None = None,
) -> None:
    """manifest.json of a synthetic dataset; `scenario`: a harder test city's record (its
    configuration, shocks and yearly paths, shocks.Plan.record), absent for the default city."""
    a = geography.addresses
    national = geography.scope == "national"
    manifest = {
        "name": "Syntetisk Danmark" if national else "Syntetisk København",
        "municipality": "Danmark" if national else "København",
        "municipality_codes": sorted(int(c) for c in a["municipality_code"].unique()),
        "region": sorted(str(r) for r in a["region"].unique()),
        "years": [years[0], years[1]],
        "crs": "EPSG:25832",
        "source": f"udsat synth {__version__} (synthetic population in real geography)",
        "licence": LICENCE,
        "synthetic": True,
        "seed": seed,
        "generator": f"udsat synth {__version__}",
        "notice": t("synthetic_notice", lang="da"),
        "scope": geography.scope,
    }
    if scenario is not None:
        manifest["scenario"] = scenario
    write_manifest_json(root, manifest)


def write_manifest_json(root: Path, manifest: dict[str, Any]) -> None:
    """manifest.json of a dataset directory (also written by `udsat import dst`)."""
    text = json.dumps(manifest, ensure_ascii=False, indent=2)
    (root / "manifest.json").write_text(text + "\n", encoding="utf-8")


SAS_EPOCH = np.datetime64("1960-01-01", "D")


def write_sas_transport(
    frame: Any, path: Path, *, table_name: str, dates: tuple[str, ...] = (), label: str = ""
) -> None:
    """A SAS transport file (.xpt, version 8: long variable names) with pyreadstat.

    No Python library writes .sas7bdat; DST's SAS datasets are read by pyreadstat, and SAS
    itself reads .xpt. Date columns (datetime64) are written as SAS dates (days since
    1960-01-01) with the format DATE9.
    """
    import pyreadstat

    out = frame.copy()
    for name in dates:
        days = (out[name].to_numpy().astype("datetime64[D]") - SAS_EPOCH).astype("float64")
        days[np.isnat(out[name].to_numpy())] = np.nan
        out[name] = days
    path.parent.mkdir(parents=True, exist_ok=True)
    formats = {name: "DATE9" for name in dates}
    pyreadstat.write_xport(
        out, path, file_label=label, table_name=table_name[:32], variable_format=formats
    )


@contextmanager
def staged_directory(out: Path) -> Iterator[Path]:
    """A temporary folder beside `out`, moved into place when the block completes and removed
    when it fails: a dataset (synthetic or imported) is never seen half-written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        yield tmp
        if out.exists():  # the older dataset at `out` is removed only once the new one is done
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextmanager
def scratch_directory(near: Path) -> Iterator[Path]:
    """A temporary folder beside `near`, removed afterwards (intermediate files)."""
    near.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{near.name}.", dir=near.parent))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
