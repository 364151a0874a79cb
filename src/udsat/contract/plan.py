"""Table plans: how one table becomes typed DuckDB views, and which rules apply to it.

A plan is replayable: validation builds it once, and `Dataset.connect` installs the same views
(with the same exclusions) on any DuckDB connection.

Views per table `t` (in the connection):
    __udsat_chk_t   typed columns + raw columns (`__raw_<col>`) + presence flags (`__p_<col>`)
    t               the public view: contract columns (contract types) + extra columns,
                    without the rows validation excluded
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from udsat.contract.coerce import SQL_TYPES, family, needs_type_check, present_sql, typed_sql
from udsat.contract.geo import GEOM_EMPTY, GEOM_REASON
from udsat.contract.load import TableFile
from udsat.contract.schemas import Kind, TableSchema
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
    def key(self) -> tuple[str, ...]:
        return tuple(k for k in self.schema.key if k in self.present)


def build_plan(
    table: TableFile, schema: TableSchema, source: str, raw: list[tuple[str, str]]
) -> tuple[TablePlan, list[Problem]]:
    """Map raw columns (case-insensitively) to the contract; missing columns are blockers."""
    by_lower = {}
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
    return Problem(
        table.label,
        "missing_column",
        f"required column '{column}' is missing (names match case-insensitively); "
        f"columns found: {', '.join(found) or 'none'}",
        column=column,
    )


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
    where = ""
    if plan.exclude:
        where = " WHERE NOT (" + " OR ".join(f"coalesce({p}, false)" for p in plan.exclude) + ")"
    con.execute(
        f"CREATE OR REPLACE VIEW {q(plan.name)} AS "
        f"SELECT {', '.join(plan.output)} FROM {q(chk_view(plan.name))} AS c{where}"
    )


def column_rules(plan: TablePlan) -> list[Rule]:
    """Type, null, range and category rules of every contract column found in the file."""
    rules: list[Rule] = []
    for col in plan.schema.columns:
        if col.name not in plan.present:
            continue
        c, p, r = q(col.name), q("__p_" + col.name), q("__raw_" + col.name)
        raw_type = plan.raw_types[col.name]
        if needs_type_check(raw_type, col.kind):
            rules.append(
                Rule(
                    "wrong_type",
                    col.name,
                    f"c.{p} AND c.{c} IS NULL",
                    f"values that are not {_kind_text(col.kind)} (stored as {raw_type})",
                    False,
                    (r,),
                )
            )
        if not col.nullable:
            rules.append(
                Rule(
                    "not_null",
                    col.name,
                    f"c.{c} IS NULL AND NOT c.{p}",
                    "missing value in a column that must always have one",
                    True,
                    (r,),
                )
            )
        rules += _value_rules(col.name, col.kind, col.min, col.max, col.allowed)
    return rules


def _kind_text(kind: Kind) -> str:
    return {
        Kind.INT: "whole numbers",
        Kind.FLOAT: "numbers",
        Kind.STRING: "text",
        Kind.BOOL: "booleans (true/false, 1/0, ja/nej)",
    }[kind]


def _value_rules(
    name: str, kind: Kind, lo: float | None, hi: float | None, allowed: tuple[str, ...] | None
) -> list[Rule]:
    c = q(name)
    rules = []
    if lo is not None or hi is not None:
        parts = ([f"c.{c} < {lo!r}"] if lo is not None else []) + (
            [f"c.{c} > {hi!r}"] if hi is not None else []
        )
        bounds = f"{'' if lo is None else lo} to {'' if hi is None else hi}".strip()
        rules.append(
            Rule(
                "impossible_value",
                name,
                " OR ".join(parts),
                f"values outside the allowed range {bounds}",
                True,
                (c,),
            )
        )
    if allowed:
        values = ", ".join("'" + v.replace("'", "''") + "'" for v in allowed)
        rules.append(
            Rule(
                "not_allowed_category",
                name,
                f"c.{c} NOT IN ({values})",
                f"values that are not one of: {', '.join(allowed)}",
                True,
                (c,),
            )
        )
    return rules


# A CPR number: ddmmyy-xxxx or ddmmyyxxxx whose ddmm is a real day of the year. A regular
# expression rather than strptime: it is ten times faster on millions of rows.
_DDMM = "((0[1-9]|1[0-9]|2[0-9])(0[1-9]|1[0-2])|30(0[13-9]|1[0-2])|31(0[13578]|1[02]))"
_CPR = "regexp_full_match({v}, '" + _DDMM + "[0-9]{{2}}-?[0-9]{{4}}')"


def cpr_rules(plan: TablePlan, raw: list[tuple[str, str]]) -> list[Rule]:
    """One rule per text column: more than half of its values look like CPR numbers."""
    rules = []
    contract = {c.name.lower(): c.name for c in plan.schema.columns}
    for raw_name, raw_type in raw:
        if family(raw_type) != "text" or raw_name.startswith("__"):
            continue
        col = contract.get(raw_name.lower())
        ref = q("__raw_" + col) if col else q(raw_name)
        rules.append(
            Rule(
                "cpr_number",
                col or raw_name,
                _CPR.format(v=f"c.{ref}"),
                "the column looks like CPR numbers (ddmmyy-xxxx); pseudonymise the "
                "data before using udsat (replace CPR by a project person id)",
                False,
                (ref,),
                min_share=0.5,
            )
        )
    return rules


def geometry_rules(plan: TablePlan) -> list[Rule]:
    return [
        Rule(
            "invalid_geometry",
            "geometry",
            f"c.{q(GEOM_REASON)} IS NOT NULL",
            "invalid geometry (repair it, e.g. with ST_MakeValid or QGIS 'Fix geometries')",
            True,
            (q(GEOM_REASON),),
        ),
        Rule("empty_geometry", "geometry", f"c.{q(GEOM_EMPTY)}", "empty or missing geometry", True),
    ]
