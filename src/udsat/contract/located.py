"""The located person-year cache: every persons row with its address's area and municipality.

Counting residents per housing area joins millions of persons rows to millions of addresses on a
text key. The validated data never change between runs, so `Dataset.connect` resolves each
persons row's address once and keeps the result, per persons source file, as a Parquet file

    <dataset>/.udsat_cache/located/<persons file>-<size>-<mtime>-<digest>.parquet

(or the temp folder of `cache_dir` when the dataset is read-only) holding the persons view's
columns plus housing_area_id and municipality_code. The name is keyed by the persons file's size
and mtime; the digest covers the addresses (and housing_areas) files' size and mtime, the SQL of
both views (types and the rows validation excluded) and CACHE_VERSION, so a changed input, rule or
exclusion builds a new file. Files are written to a temporary name and renamed (atomic).

The view `persons_located` reads these files: the same rows as the `persons` view (built from it,
exclusions included). It is built only from validated data, where every persons address_id is in
addresses (rule unknown_address_id) and municipality_code is never missing.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from udsat.contract.cachefile import replacing
from udsat.contract.load import TableFile, sql_str
from udsat.contract.plan import TablePlan, q, view_sql

VIEW = "persons_located"
SUBDIR = "located"
CACHE_VERSION = "1"
LOCATED_COLUMNS = ("housing_area_id", "municipality_code")


@dataclass
class LocatedCache:
    """The cache files of one dataset; `skipped` says why there is none (join used instead)."""

    files: list[Path] = field(default_factory=list)
    built: int = 0  # files written by this call (0: all reused)
    seconds: float = 0.0
    skipped: str | None = None

    @property
    def bytes(self) -> int:
        return sum(f.stat().st_size for f in self.files)


def file_fingerprint(path: Path, root: Path | None = None) -> str:
    """Size + mtime of a file, or of every Parquet file of a folder: `name:size:mtime_ns`, joined
    by `;`. The name is the path relative to `root` when given, else the file's own name.

    Shared by every cache derived from the input files (this one, the remembered validation in
    validation_cache.py): a re-delivered file changes its size or mtime, nothing is hashed.
    """
    if path.is_dir():
        return ";".join(file_fingerprint(p, root) for p in sorted(path.rglob("*.parquet")))
    stat = path.stat()
    name = path.relative_to(root).as_posix() if root is not None else path.name
    return f"{name}:{stat.st_size}:{stat.st_mtime_ns}"


def source_files(table: TableFile) -> list[Path | None]:
    """The persons source files (one cache file each); [None] for a single-file table."""
    if table.fmt == "parquet_dir":
        return [*sorted(table.path.rglob("*.parquet"))]
    return [None]


def build_sql(persons: TablePlan, file: Path | None) -> str:
    """Persons rows of one source file with their address's area and municipality."""
    located = ", ".join(f"a.{q(c)}" for c in LOCATED_COLUMNS)
    return (
        f"SELECT p.*, {located} FROM ({view_sql(persons, file)}) AS p "
        f'LEFT JOIN addresses AS a ON p."address_id" = a."address_id"'
    )


def _digest(plans: dict[str, TablePlan], sql: str) -> str:
    parts = [CACHE_VERSION, sql, view_sql(plans["addresses"])]
    for name in ("persons", "addresses", "housing_areas"):
        if name in plans:
            plan = plans[name]
            parts += [plan.source, *plan.select, *plan.exclude]
            if name != "persons":
                parts.append(file_fingerprint(plan.table.path))
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]


def target_name(plans: dict[str, TablePlan], file: Path | None) -> str:
    source = file or plans["persons"].table.path
    stat = source.stat()
    digest = _digest(plans, build_sql(plans["persons"], file))
    return f"{source.stem}-{stat.st_size}-{stat.st_mtime_ns}-{digest}.parquet"


def _write(con: duckdb.DuckDBPyConnection, sql: str, target: Path) -> None:
    with replacing(target) as partial:
        con.execute(
            f"COPY ({sql}) TO {sql_str(partial.as_posix())} (FORMAT parquet, COMPRESSION zstd)"
        )


def _skip_reason(plans: dict[str, TablePlan]) -> str | None:
    if "persons" not in plans or "addresses" not in plans:
        return "persons or addresses missing"
    persons = plans["persons"]
    if "address_id" not in persons.present:
        return "persons without address_id"
    clash = [c for c in LOCATED_COLUMNS if q(c) in persons.output]
    if clash:
        return f"persons already has {', '.join(clash)}"
    return None


def build_located(
    con: duckdb.DuckDBPyConnection, plans: list[TablePlan], folder: Path
) -> LocatedCache:
    """Write the missing cache files (the views of `plans` must be installed on `con`)."""
    by_name = {p.name: p for p in plans}
    if reason := _skip_reason(by_name):
        return LocatedCache(skipped=reason)
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    cache = LocatedCache()
    for file in source_files(by_name["persons"].table):
        target = folder / target_name(by_name, file)
        if not target.exists():
            _write(con, build_sql(by_name["persons"], file), target)
            cache.built += 1
        cache.files.append(target)
    cache.seconds = time.perf_counter() - started
    return cache


def install_located(con: duckdb.DuckDBPyConnection, cache: LocatedCache) -> None:
    """Create the view persons_located over the cache files (nothing when skipped)."""
    if cache.skipped or not cache.files:
        return
    paths = ", ".join(sql_str(f.as_posix()) for f in cache.files)
    con.execute(f"CREATE OR REPLACE VIEW {q(VIEW)} AS SELECT * FROM read_parquet([{paths}])")


def has_located(con: duckdb.DuckDBPyConnection) -> bool:
    """True when `con` has the persons_located view (a connected dataset)."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = ? AND NOT internal", [VIEW]
    ).fetchall()
    return bool(found[0][0])
