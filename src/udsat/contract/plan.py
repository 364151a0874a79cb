"""Table plans: how one table becomes typed DuckDB views (rules live in rules.py).

A plan is replayable: validation builds it once, and `Dataset.connect` installs the same views
(with the same exclusions) on any DuckDB connection.

Views per table `t` (in the connection):
    __udsat_chk_t   typed columns + raw columns (`__raw_<col>`) + presence flags (`__p_<col>`)
    t               the public view: contract columns (contract types) + extra columns,
                    without the rows validation excluded
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from udsat.contract.coerce import SQL_TYPES, present_sql, typed_sql
from udsat.contract.load import FILE_COLUMN, TableFile, sql_str
from udsat.contract.messages import msg
from udsat.contract.schemas import TableSchema
from udsat.errors import Problem


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def chk_view(name: str) -> str:
    return f"__udsat_chk_{name}"


def geo_source(name: str) -> str:
    return f"__udsat_geo_{name}"


def dup_table(name: str) -> str:
    return f"__udsat_dup_{name}"


@dataclass(frozen=True)
class Rule:
    """One check: rows where `predicate` (SQL over the check view, alias c) is true offend."""

    rule: str
    column: str | None
    predicate: str
    message: str
    row_level: bool  # row-level rules obey on_invalid_rows; the others always block
    show: tuple[str, ...] = ()  # check-view columns shown in examples
    min_share: float = 0.0  # fire only when at least this share of rows offend
    severity: str = "blocker"


@dataclass
class TablePlan:
    table: TableFile
    schema: TableSchema
    source: str  # FROM-clause text of the raw data
    select: list[str]  # select list of the check view
    output: list[str]  # columns of the public view
    present: set[str]  # contract columns found in the file
    raw_types: dict[str, str]  # contract column -> raw DuckDB type
    arrow: pa.Table | None = None  # geometry tables: the data, registered under source
    exclude: list[str] = field(default_factory=list)  # predicates of excluded rows
    dup_keys: pa.Table | None = None  # keys of duplicated rows (when excluded)

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def has_file_column(self) -> bool:
        """True for a folder of Parquet files: each row knows its file (FILE_COLUMN)."""
        return self.table.fmt == "parquet_dir"

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(k for k in self.schema.key if k in self.present)


def build_plan(
    table: TableFile, schema: TableSchema, source: str, raw: list[tuple[str, str]]
) -> tuple[TablePlan, list[Problem]]:
    """Map raw columns (case-insensitively) to the contract; missing columns are blockers."""
    by_lower: dict[str, tuple[str, str]] = {}
    for name, typ in raw:
        by_lower.setdefault(name.lower(), (name, typ))
    select, output, problems = [], [], []
    present: set[str] = set()
    raw_types: dict[str, str] = {}
    for col in schema.columns:
        found = by_lower.pop(col.name.lower(), None)
        output.append(q(col.name))
        if found is None:
            if col.required:
                problems.append(_missing_column(table, col.name, [n for n, _ in raw]))
            select.append(f"CAST(NULL AS {SQL_TYPES[col.kind]}) AS {q(col.name)}")
            continue
        raw_name, raw_type = found
        present.add(col.name)
        raw_types[col.name] = raw_type
        select.append(f"{typed_sql(q(raw_name), raw_type, col.kind)} AS {q(col.name)}")
        select.append(f"{present_sql(q(raw_name), raw_type, col.kind)} AS {q('__p_' + col.name)}")
        select.append(f"{q(raw_name)} AS {q('__raw_' + col.name)}")
    for raw_name, _ in by_lower.values():
        select.append(q(raw_name))
        if not raw_name.startswith("__"):
            output.append(q(raw_name))
    plan = TablePlan(table, schema, source, select, output, present, raw_types)
    return plan, problems


def _missing_column(table: TableFile, column: str, found: list[str]) -> Problem:
    shown = ", ".join(f for f in found if f != FILE_COLUMN) or msg("none")
    text = msg("missing_column", column=column, found=shown)
    return Problem(table.label, "missing_column", text, column=column)


def view_sql(plan: TablePlan, file: Path | None = None) -> str:
    """The public view of `plan` (excluded rows left out), optionally one source file only."""
    conds = [f"NOT coalesce({p}, false)" for p in plan.exclude]
    if file is not None:
        conds.append(f"c.{q(FILE_COLUMN)} = {sql_str(file)}")
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    return f"SELECT {', '.join(plan.output)} FROM {q(chk_view(plan.name))} AS c{where}"


def install(con: duckdb.DuckDBPyConnection, plan: TablePlan) -> None:
    """Create the check view and the public view of one table on `con`."""
    if plan.arrow is not None:
        con.register(geo_source(plan.name), plan.arrow)
    con.execute(
        f"CREATE OR REPLACE VIEW {q(chk_view(plan.name))} AS "
        f"SELECT {', '.join(plan.select)} FROM {plan.source}"
    )
    if plan.dup_keys is not None:
        con.register(f"{dup_table(plan.name)}_arrow", plan.dup_keys)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {q(dup_table(plan.name))} AS "
            f"SELECT * FROM {q(dup_table(plan.name) + '_arrow')}"
        )
        con.unregister(f"{dup_table(plan.name)}_arrow")
    con.execute(f"CREATE OR REPLACE VIEW {q(plan.name)} AS {view_sql(plan)}")
