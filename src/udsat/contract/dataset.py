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
from udsat.contract.validation_cache import (
    PlanState,
    Remembered,
    cache_file,
    fingerprint,
    load,
    save,
)
from udsat.errors import DataContractError, Problem, UdsatError
from udsat.runlog import RunLog
from udsat.settings import threads

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
    if (count := threads()) is not None:
        con.execute(f"SET threads = {count}")
    return con


def _rank(name: str) -> int:
    return next(i for i, prefix in enumerate(ORDER) if name.startswith(prefix))


@dataclass
class Prepared:
    plan: TablePlan
    raw: list[tuple[str, str]]
    problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None  # CSV: the encoding found (kept by the remembered validation)


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

        A validation that passed is remembered in .udsat_cache/validation/ (validation_cache.py).
        While the files, udsat and its rules are unchanged, a later call rebuilds the views from
        it without running the rules: the same report, the same exclusions and warnings in the
        run log, plus a process note that the validation was reused.
        """
        if on_invalid_rows not in MODES:
            raise UdsatError(msg("bad_mode", modes=", ".join(MODES), got=on_invalid_rows))
        started = time.perf_counter()
        fp = fingerprint(self.path, self.files, self.unrecognised, on_invalid_rows)
        where = cache_file(self.path, on_invalid_rows)
        remembered = load(where, fp.key, set(self.files)) if fp is not None else None
        restored = self._restore(remembered) if remembered is not None else None
        if restored is None:
            report, plans, states = self._validate_afresh(on_invalid_rows, started)
            # Remembered only when no file changed while the rules ran.
            after = fingerprint(self.path, self.files, self.unrecognised, on_invalid_rows)
            if fp is not None and after == fp:
                save(where, fp, report, states)
        else:
            report, plans = restored
        report.seconds = elapsed(started)
        report.fingerprint = fp.key if fp is not None else ""
        self._plans = plans
        self.located = None  # built again (or found in the cache) at the next connect
        record(report, log)
        if remembered is not None and restored is not None and log is not None:
            log.note(remembered.note(), process=True)
        return report

    def _validate_afresh(
        self, mode: str, started: float
    ) -> tuple[ValidationReport, list[TablePlan], dict[str, PlanState]]:
        """Run every rule (raise DataContractError on blockers); the plans and what the rules
        set on them, to be remembered."""
        con = new_connection()
        try:
            report, plans, states = self._check_all(con, mode)
        finally:
            con.close()
        report.seconds = elapsed(started)
        if report.blockers:
            raise DataContractError(report.problems)
        return report, plans, states

    def _restore(self, remembered: Remembered) -> tuple[ValidationReport, list[TablePlan]] | None:
        """The report and plans of a remembered validation; the plans are rebuilt from the
        files' columns with the exclusions the rules set (no rule runs). None when a file can no
        longer be read: it is then validated afresh."""
        con = new_connection()
        plans = []
        try:
            for name in self._order():
                state = remembered.plans[name]
                prepared = self._prepare(con, self.files[name], state.encoding)
                if any(p.severity == "blocker" for p in prepared.problems):
                    return None
                prepared.plan.exclude = list(state.exclude)
                prepared.plan.dup_keys = state.dup_keys
                plans.append(prepared.plan)
        finally:
            con.close()
        report = remembered.report
        report.reused = remembered.validated_at
        return report, plans

    def _order(self) -> list[str]:
        return sorted(self.files, key=lambda n: (_rank(n), n))

    def _check_all(
        self, con: duckdb.DuckDBPyConnection, mode: str
    ) -> tuple[ValidationReport, list[TablePlan], dict[str, PlanState]]:
        names = self._order()
        report = ValidationReport(tables={}, files={n: self.files[n].label for n in names})
        installed: dict[str, TablePlan] = {}
        encodings: dict[str, str | None] = {}
        for name in names:
            prepared = self._prepare(con, self.files[name])
            report.problems += prepared.problems
            if any(p.severity == "blocker" for p in prepared.problems):
                continue  # unreadable or missing columns: later rules would only add noise
            result = check_table(con, prepared.plan, prepared.raw, installed, self.manifest, mode)
            installed[name] = prepared.plan
            encodings[name] = prepared.encoding
            report.tables[name] = result.rows
            report.problems += result.problems
            report.exclusions += result.exclusions
            report.warnings += result.skipped
        report.warnings += [str(p) for p in report.problems if p.severity == "warning"]
        if self.unrecognised:
            report.warnings.append(msg("unrecognised", names=", ".join(self.unrecognised)))
        states = {
            name: PlanState(list(plan.exclude), plan.dup_keys, encodings[name])
            for name, plan in installed.items()
        }
        return report, list(installed.values()), states

    def _prepare(
        self, con: duckdb.DuckDBPyConnection, table: TableFile, encoding: str | None = None
    ) -> Prepared:
        """Read the file's columns and map them to the contract (no row checks yet).

        `encoding`: a CSV's encoding when known (remembered), else it is detected."""
        schema = TABLES[table.schema]
        try:
            if table.fmt == "geo":
                return self._prepare_geo(con, table, schema)
            readable, problems, encoding = self._readable(table, encoding)
            source = relation_sql(table, readable)
            raw = [(r[0], r[1]) for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        except (UdsatError, duckdb.Error) as exc:
            # Collected like any other blocker, so one broken file does not hide the others.
            problem = Problem(table.label, "unreadable", msg("unreadable", error=exc))
            return Prepared(build_plan(table, schema, "(SELECT 1)", [])[0], [], [problem])
        plan, missing = build_plan(table, schema, source, raw)
        return Prepared(plan, raw, problems + missing, encoding)

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

    def _readable(
        self, table: TableFile, encoding: str | None = None
    ) -> tuple[Path, list[Problem], str | None]:
        """The path DuckDB reads: SAS converted to Parquet, non-UTF-8 CSV transcoded; and the
        CSV's encoding (detected unless given)."""
        if table.fmt == "sas7bdat":
            return sas_to_parquet(table.path, self.cache), [], None
        if table.fmt == "csv":
            encoding = encoding or csv_encoding(table.path)
            if encoding != "utf-8":
                text = msg("encoding", encoding=encoding)
                warning = Problem(table.label, "encoding", text, severity="warning")
                return csv_as_utf8(table.path, encoding, self.cache), [warning], encoding
            return table.path, [], encoding
        return table.path, [], None

    def connect(
        self, con: duckdb.DuckDBPyConnection | None = None, located: bool = True
    ) -> duckdb.DuckDBPyConnection:
        """Register one view per table (contract types; excluded rows left out) on `con`.

        Validates first (on_invalid_rows="error", remembered like every validation) when
        `validate` has not been called. With
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
