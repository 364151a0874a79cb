"""Finding and reading the files of a dataset directory (no validation here).

Tabular tables become DuckDB relations (SQL text) read straight from disk, so persons is never
loaded into pandas: Parquet and CSV are read by DuckDB, SAS is converted once to a cached Parquet
file. Geometry tables are small and read with pyogrio/geopandas.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from udsat.contract.cachefile import replacing
from udsat.contract.messages import MANIFEST_FIELDS_DA, msg
from udsat.contract.schemas import CRS, MANIFEST_FIELDS, REQUIRED_TABLES
from udsat.errors import UdsatError
from udsat.i18n import language

TABULAR_SUFFIXES = (".parquet", ".csv", ".sas7bdat")
GEO_SUFFIXES = (".gpkg", ".geojson", ".parquet")
TABULAR_TABLES = ("persons", "addresses", "survey", "initiatives")
GEO_TABLES = ("housing_areas",)
CACHE_DIR = ".udsat_cache"
SAS_CHUNK_ROWS = 500_000
# Folder tables: the file of each row (DuckDB read_parquet filename=...), named in examples.
FILE_COLUMN = "__udsat_file"


@dataclass(frozen=True)
class TableFile:
    """One table of a dataset directory: where it is and how to read it."""

    name: str  # table name; units layers are units_<layer>
    path: Path  # the file, or the folder of Parquet files
    fmt: str  # parquet | parquet_dir | csv | sas7bdat | geo
    schema: str  # name of the TableSchema in schemas.TABLES

    @property
    def label(self) -> str:
        """The file name as users know it, relative to the dataset directory."""
        if self.schema == "units":
            return "/".join(self.path.parts[-2:])
        return self.path.name + ("/" if self.fmt == "parquet_dir" else "")


def accepted_names() -> str:
    alt = msg("or")
    tab = ", ".join(f"{t}{{{','.join(TABULAR_SUFFIXES)}}} {alt} {t}/" for t in TABULAR_TABLES)
    geo = f"housing_areas{{{','.join(GEO_SUFFIXES)}}}, units/<layer>{{{','.join(GEO_SUFFIXES)}}}"
    return f"{tab}; {geo}; manifest.json"


def _entries(directory: Path) -> list[Path]:
    # Hidden entries (and our cache) are never tables.
    return sorted(p for p in directory.iterdir() if not p.name.startswith("."))


def _tabular_format(entry: Path) -> str | None:
    if entry.is_dir():
        return "parquet_dir" if any(entry.rglob("*.parquet")) else None
    suffix = entry.suffix.lower()
    return suffix[1:] if suffix in TABULAR_SUFFIXES else None


def _match(entry: Path) -> TableFile | None:
    stem = entry.stem.lower() if entry.is_file() else entry.name.lower()
    if stem in TABULAR_TABLES and (fmt := _tabular_format(entry)):
        return TableFile(stem, entry, fmt, stem)
    if stem in GEO_TABLES and entry.is_file() and entry.suffix.lower() in GEO_SUFFIXES:
        return TableFile(stem, entry, "geo", stem)
    return None


def _unit_layers(units_dir: Path) -> list[TableFile]:
    layers = []
    for entry in _entries(units_dir):
        if entry.is_file() and entry.suffix.lower() in GEO_SUFFIXES:
            layer = "".join(ch if ch.isalnum() else "_" for ch in entry.stem.lower())
            layers.append(TableFile(f"units_{layer}", entry, "geo", "units"))
    return layers


def find_tables(directory: Path) -> tuple[dict[str, TableFile], list[str]]:
    """Table name -> file for every table found, and the names of entries that are no table."""
    if not directory.is_dir():
        raise UdsatError(msg("dir_not_found", path=directory, names=accepted_names()))
    found: dict[str, list[TableFile]] = {}
    other: list[str] = []
    for entry in _entries(directory):
        if entry.is_dir() and entry.name.lower() == "units":
            for layer in _unit_layers(entry):
                found.setdefault(layer.name, []).append(layer)
        elif table := _match(entry):
            found.setdefault(table.name, []).append(table)
        elif entry.name != "manifest.json":
            other.append(entry.name)
    ambiguous = {k: v for k, v in found.items() if len(v) > 1}
    if ambiguous:
        text = "; ".join(f"{k}: {', '.join(t.path.name for t in v)}" for k, v in ambiguous.items())
        raise UdsatError(msg("ambiguous_tables", path=directory, text=text))
    tables = {k: v[0] for k, v in found.items()}
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        seen = ", ".join(sorted(t.path.name for t in tables.values()) + other) or msg("nothing")
        raise UdsatError(
            msg(
                "tables_missing",
                tables=", ".join(missing),
                path=directory,
                seen=seen,
                names=accepted_names(),
            )
        )
    return tables, other


def read_manifest(directory: Path) -> dict[str, Any]:
    """manifest.json as a dict; every field of MANIFEST_FIELDS must be present."""
    path = directory / "manifest.json"
    if not path.is_file():
        raise UdsatError(msg("manifest_missing", path=path, fields=", ".join(MANIFEST_FIELDS)))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UdsatError(msg("manifest_json", path=path, error=exc)) from exc
    if not isinstance(manifest, dict):
        raise UdsatError(msg("manifest_object", path=path, type=type(manifest).__name__))
    missing = [f for f in MANIFEST_FIELDS if f not in manifest]
    if missing:
        danish = language() == "da"
        required = ", ".join(
            f"{k} ({MANIFEST_FIELDS_DA[k] if danish else v})" for k, v in MANIFEST_FIELDS.items()
        )
        raise UdsatError(
            msg("manifest_fields", path=path, missing=", ".join(missing), required=required)
        )
    if manifest["crs"] != CRS:
        raise UdsatError(msg("manifest_crs", path=path, crs=CRS, got=manifest["crs"]))
    years = manifest["years"]
    if not (
        isinstance(years, list)
        and len(years) == 2
        and all(type(y) is int for y in years)
        and years[0] <= years[1]
    ):
        raise UdsatError(msg("manifest_years", path=path, years=years))
    return manifest


# --- caches -----------------------------------------------------------------------------------


def cache_dir(dataset: Path) -> Path:
    """<dataset>/.udsat_cache, or a per-dataset temp folder when the dataset is read-only."""
    preferred = dataset / CACHE_DIR
    try:
        preferred.mkdir(exist_ok=True)
        if os.access(preferred, os.W_OK):
            return preferred
    except OSError:
        pass
    # A stable digest (not hash(), which changes per process) so later runs reuse the cache.
    key = hashlib.sha256(str(dataset.resolve()).encode("utf-8")).hexdigest()[:16]
    fallback = Path(tempfile.gettempdir()) / "udsat_cache" / key
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


def _cache_key(path: Path) -> str:
    # Size + mtime: a re-delivered file gets a new cache entry without hashing gigabytes.
    stat = path.stat()
    return f"{path.stem}-{stat.st_size}-{stat.st_mtime_ns}"


def sas_to_parquet(path: Path, cache: Path) -> Path:
    """Convert a .sas7bdat file once (in chunks, bounded memory) to a cached Parquet file."""
    import pyreadstat

    target = cache / f"{_cache_key(path)}.parquet"
    if target.exists():
        return target
    writer: pq.ParquetWriter | None = None
    chunks = pyreadstat.read_file_in_chunks(
        pyreadstat.read_sas7bdat,
        str(path),
        chunksize=SAS_CHUNK_ROWS,
        dates_as_pandas_datetime=True,
    )
    with replacing(target) as partial:
        try:
            for frame, meta in chunks:
                schema = _sas_arrow_schema(frame, meta)
                batch = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
                writer = writer or pq.ParquetWriter(partial, schema)
                writer.write_table(batch)
        except Exception as exc:  # pyreadstat raises its own error types
            raise UdsatError(msg("sas_unreadable", file=path.name, error=exc)) from exc
        finally:
            if writer:
                writer.close()
        if writer is None:
            raise UdsatError(msg("sas_empty", file=path.name))
    return target


def _sas_arrow_schema(frame: Any, meta: Any) -> pa.Schema:
    # Fixed types from the SAS metadata, so that an all-missing chunk cannot change the schema.
    fields = []
    for name in frame.columns:
        if meta.readstat_variable_types.get(name) == "string":
            fields.append(pa.field(name, pa.string()))
        elif str(frame[name].dtype).startswith("datetime64"):
            fields.append(pa.field(name, pa.timestamp("us")))
        else:
            fields.append(pa.field(name, pa.float64()))
    return pa.schema(fields)


def _decodes(path: Path, encoding: str) -> bool:
    """True when the whole file decodes (read in blocks, bounded memory)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as fh:
            while block := fh.read(1 << 24):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def csv_encoding(path: Path) -> str:
    """'utf-8' when the whole file decodes as UTF-8, else 'cp1252' (or 'latin-1')."""
    for encoding in ("utf-8", "cp1252"):
        if _decodes(path, encoding):
            return encoding
    return "latin-1"  # decodes every byte; cp1252 leaves five bytes undefined


def csv_as_utf8(path: Path, encoding: str, cache: Path) -> Path:
    """A UTF-8 copy of a Latin-1 / cp1252 CSV (cached), because DuckDB reads UTF-8."""
    target = cache / f"{_cache_key(path)}.utf8.csv"
    if not target.exists():
        with (
            replacing(target) as partial,
            path.open(encoding=encoding, newline="") as src,
            partial.open("w", encoding="utf-8", newline="") as dst,
        ):
            while block := src.read(1 << 22):
                dst.write(block)
    return target


def sql_str(value: str | Path) -> str:
    """A quoted SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def relation_sql(table: TableFile, readable: Path) -> str:
    """DuckDB FROM-clause text reading the raw table (columns as stored)."""
    if table.fmt == "csv":
        # All text: the validator casts each column itself and reports the rows that fail.
        return f"read_csv({sql_str(readable)}, header=true, all_varchar=true)"
    if table.fmt == "parquet_dir":
        hive = any(p.is_dir() and "=" in p.name for p in readable.iterdir())
        glob = sql_str(readable / "**" / "*.parquet")
        return (
            f"read_parquet({glob}, union_by_name=true, filename={sql_str(FILE_COLUMN)}, "
            f"hive_partitioning={'true' if hive else 'false'})"
        )
    return f"read_parquet({sql_str(readable)})"
