"""A dataset directory: open it, validate it, and query it through DuckDB views.

ds = open_dataset(Path("data/kbh"))
report = ds.validate(on_invalid_rows="exclude", log=run_log)
con = ds.connect()          # views persons, addresses, ..., units_<layer>
areas = ds.read_geo("housing_areas")
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import geopandas as gpd
import shapely

from udsat.contract.geo import crs_problems, geo_arrow, read_geo_file
from udsat.contract.load import (
    TableFile,
    cache_dir,
    csv_as_utf8,
    csv_encoding,
    find_tables,
    read_manifest,
    relation_sql,
    sas_to_parquet,
)
from udsat.contract.located import SUBDIR, LocatedCache, build_located, install_located
from udsat.contract.messages import msg
from udsat.contract.plan import TablePlan, build_plan, geo_source, install, q
from udsat.contract.schemas import CRS, TABLES, TableSchema
from udsat.contract.validate import MODES, ValidationReport, check_table, elapsed, record
from udsat.errors import DataContractError, Problem, UdsatError
from udsat.runlog import RunLog

MEMORY_LIMIT = "4GB"
# Parents before children: reference rules look ids up in the (already filtered) parent views.
ORDER = ("housing_areas", "units_", "addresses", "persons", "survey", "initiatives")


def new_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with bounded memory that spills to a temp folder (not the dataset)."""
    con = duckdb.connect()
    spill = Path(tempfile.gettempdir()) / "udsat_duckdb_spill"
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = '{spill.as_posix()}'")
    con.execute("SET preserve_insertion_order = false")  # lets large scans stream
    con.execute("SET enable_progress_bar = false")
    return con


def _rank(name: str) -> int:
    return next(i for i, prefix in enumerate(ORDER) if name.startswith(prefix))


@dataclass
class Prepared:
    plan: TablePlan
    raw: list[tuple[str, str]]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Dataset:
    """An opened dataset directory. `tables` maps each table found to its file or folder."""

    path: Path
    manifest: dict[str, Any]
    files: dict[str, TableFile]
    unrecognised: list[str] = field(default_factory=list)
    _plans: list[TablePlan] | None = field(default=None, repr=False)
    located: LocatedCache | None = field(default=None, repr=False)

    @property
    def tables(self) -> dict[str, Path]:
        return {name: f.path for name, f in self.files.items()}

    @property
    def cache(self) -> Path:
        return cache_dir(self.path)

    def validate(
        self, on_invalid_rows: str = "error", log: RunLog | None = None
    ) -> ValidationReport:
        """Check every table; raise DataContractError listing all blockers.

        on_invalid_rows="exclude" leaves rows that break a row-level rule out of the views and
        counts them, with their reason, in the report and the run log.
        """
        if on_invalid_rows not in MODES:
            raise UdsatError(msg("bad_mode", modes=", ".join(MODES), got=on_invalid_rows))
        started = time.perf_counter()
        con = new_connection()
        try:
            report, plans = self._check_all(con, on_invalid_rows)
        finally:
            con.close()
        report.seconds = elapsed(started)
        if report.blockers:
            raise DataContractError(report.problems)
        self._plans = plans
        self.located = None  # built again (or found in the cache) at the next connect
        record(report, log)
        return report

    def _check_all(
        self, con: duckdb.DuckDBPyConnection, mode: str
    ) -> tuple[ValidationReport, list[TablePlan]]:
        names = sorted(self.files, key=lambda n: (_rank(n), n))
        report = ValidationReport(tables={}, files={n: self.files[n].label for n in names})
        installed: dict[str, TablePlan] = {}
        for name in names:
            prepared = self._prepare(con, self.files[name])
            report.problems += prepared.problems
            if any(p.severity == "blocker" for p in prepared.problems):
                continue  # unreadable or missing columns: later rules would only add noise
            result = check_table(con, prepared.plan, prepared.raw, installed, self.manifest, mode)
            installed[name] = prepared.plan
            report.tables[name] = result.rows
            report.problems += result.problems
            report.exclusions += result.exclusions
            report.warnings += result.skipped
        report.warnings += [str(p) for p in report.problems if p.severity == "warning"]
        if self.unrecognised:
            report.warnings.append(msg("unrecognised", names=", ".join(self.unrecognised)))
        return report, list(installed.values())

    def _prepare(self, con: duckdb.DuckDBPyConnection, table: TableFile) -> Prepared:
        """Read the file's columns and map them to the contract (no row checks yet)."""
        schema = TABLES[table.schema]
        try:
            if table.fmt == "geo":
                return self._prepare_geo(con, table, schema)
            readable, problems = self._readable(table)
            source = relation_sql(table, readable)
            raw = [(r[0], r[1]) for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        except (UdsatError, duckdb.Error) as exc:
            # Collected like any other blocker, so one broken file does not hide the others.
            problem = Problem(table.label, "unreadable", msg("unreadable", error=exc))
            return Prepared(build_plan(table, schema, "(SELECT 1)", [])[0], [], [problem])
        plan, missing = build_plan(table, schema, source, raw)
        return Prepared(plan, raw, problems + missing)

    def _prepare_geo(
        self, con: duckdb.DuckDBPyConnection, table: TableFile, schema: TableSchema
    ) -> Prepared:
        gdf = read_geo_file(table.path)
        arrow = geo_arrow(gdf)
        source = geo_source(table.name)
        con.register(source, arrow)
        raw = [(r[0], r[1]) for r in con.execute(f"DESCRIBE SELECT * FROM {q(source)}").fetchall()]
        plan, problems = build_plan(table, schema, q(source), raw)
        plan.arrow = arrow
        return Prepared(plan, raw, crs_problems(table, gdf) + problems)

    def _readable(self, table: TableFile) -> tuple[Path, list[Problem]]:
        """The path DuckDB reads: SAS converted to Parquet, non-UTF-8 CSV transcoded."""
        if table.fmt == "sas7bdat":
            return sas_to_parquet(table.path, self.cache), []
        if table.fmt == "csv":
            encoding = csv_encoding(table.path)
            if encoding != "utf-8":
                text = msg("encoding", encoding=encoding)
                warning = Problem(table.label, "encoding", text, severity="warning")
                return csv_as_utf8(table.path, encoding, self.cache), [warning]
        return table.path, []

    def connect(
        self, con: duckdb.DuckDBPyConnection | None = None, located: bool = True
    ) -> duckdb.DuckDBPyConnection:
        """Register one view per table (contract types; excluded rows left out) on `con`.

        Validates first (on_invalid_rows="error") when `validate` has not been called. With
        `located`, also the view persons_located (see located.py): the located person-year cache
        is built at the first connect after validation (reused from disk when up to date).
        """
        if self._plans is None:
            self.validate()
        assert self._plans is not None
        con = con or new_connection()
        for plan in self._plans:
            install(con, plan)
        if located:
            if self.located is None:
                self.located = build_located(con, self._plans, self.cache / SUBDIR)
            install_located(con, self.located)
        return con

    def read_geo(self, name: str) -> gpd.GeoDataFrame:
        """A geometry table (housing_areas, units_<layer> or units/<layer>) as validated."""
        name = name.replace("units/", "units_", 1)
        if name not in self.files or self.files[name].fmt != "geo":
            geo = [n for n, f in self.files.items() if f.fmt == "geo"]
            found = ", ".join(geo) or msg("none")
            raise UdsatError(msg("not_geo_table", name=name, path=self.path, found=found))
        con = self.connect(duckdb.connect(), located=False)
        try:
            table = con.sql(f"SELECT * FROM {q(name)}").to_arrow_table()
        finally:
            con.close()
        geometry = shapely.from_wkb(table.column("geometry").to_pylist())
        frame = table.drop_columns(["geometry"]).to_pandas()
        return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)


def open_dataset(path: Path) -> Dataset:
    """Find the tables and read manifest.json of a dataset directory (no data are read yet)."""
    path = Path(path)
    files, unrecognised = find_tables(path)
    manifest = read_manifest(path)
    return Dataset(path=path, manifest=manifest, files=files, unrecognised=unrecognised)
