"""The rules of the data contract, as SQL predicates over a table's check view (alias c).

Column rules come from schemas.py (type, null, range, categories); the others need the file's raw
columns (CPR numbers), other tables (references) or the manifest (years).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from udsat.contract.coerce import family, needs_type_check
from udsat.contract.geo import GEOM_EMPTY, GEOM_REASON
from udsat.contract.load import sql_str
from udsat.contract.messages import join_or, msg
from udsat.contract.plan import Rule, TablePlan, q
from udsat.contract.schemas import CRS, Column, Kind


def operands(plan: TablePlan, name: str) -> tuple[str, str, str]:
    """(value, missing, guard) SQL for the rules of one column.

    When the stored type already is the contract type (the usual Parquet case) the rules read the
    raw column: many times faster in DuckDB than the NULL-normalising typed expression.
    """
    fam, kind = family(plan.raw_types[name]), plan.schema.column(name).kind
    raw = f"c.{q('__raw_' + name)}"
    if (fam, kind) in {("int", Kind.INT), ("bool", Kind.BOOL)}:
        return raw, f"{raw} IS NULL", "true"
    if (fam, kind) == ("text", Kind.STRING):
        return raw, f"({raw} IS NULL OR {raw} = '')", f"{raw} <> ''"
    if (fam, kind) == ("float", Kind.FLOAT):
        return raw, f"({raw} IS NULL OR isnan({raw}))", f"NOT isnan({raw})"
    typed, present = f"c.{q(name)}", f"c.{q('__p_' + name)}"
    return typed, f"({typed} IS NULL AND NOT {present})", "true"


def column_rules(plan: TablePlan) -> list[Rule]:
    """Type, null, range and category rules of every contract column found in the file."""
    rules: list[Rule] = []
    for col in plan.schema.columns:
        if col.name not in plan.present:
            continue
        c, p, r = q(col.name), q("__p_" + col.name), q("__raw_" + col.name)
        raw_type = plan.raw_types[col.name]
        if needs_type_check(raw_type, col.kind):
            hint = msg("decimal_hint") if col.kind is Kind.FLOAT else ""
            text = msg("wrong_type", kind=_kind_text(col.kind), raw_type=raw_type, hint=hint)
            rules.append(
                Rule("wrong_type", col.name, f"c.{p} AND c.{c} IS NULL", text, False, (r,))
            )
        value, missing, guard = operands(plan, col.name)
        if not col.nullable:
            text = msg("not_null")
            rules.append(Rule("not_null", col.name, missing, text, True, (r,)))
        rules += _value_rules(col, value, guard)
    return rules


def _kind_text(kind: Kind) -> str:
    return msg(f"kind_{kind.value}")


def _range_text(col: Column) -> str:
    if col.min is not None and col.max is not None:
        return msg("range", lo=col.min, hi=col.max)
    if col.min is not None:
        return msg("range_min", lo=col.min)
    return msg("range_max", hi=col.max)


def _value_rules(col: Column, value: str, guard: str) -> list[Rule]:
    rules = []
    shown = (q(col.name),)
    if col.min is not None or col.max is not None:
        parts = [f"{value} < {col.min!r}"] if col.min is not None else []
        parts += [f"{value} > {col.max!r}"] if col.max is not None else []
        predicate = f"{guard} AND ({' OR '.join(parts)})"
        text = _range_text(col)
        rules.append(Rule("impossible_value", col.name, predicate, text, True, shown))
    if col.allowed:
        values = ", ".join(sql_str(v) for v in col.allowed)
        predicate = f"{guard} AND {value} NOT IN ({values})"
        text = msg("not_allowed_category", values=", ".join(col.allowed))
        rules.append(Rule("not_allowed_category", col.name, predicate, text, True, shown))
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
                msg("cpr_number"),
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
            msg("invalid_geometry"),
            True,
            (q(GEOM_REASON),),
        ),
        Rule("empty_geometry", "geometry", f"c.{q(GEOM_EMPTY)}", msg("empty_geometry"), True),
    ]


# --- rules that need other tables or the manifest ---------------------------------------------


def _ref_rule(plan: TablePlan, column: str, parents: list[tuple[str, str]], rule: str) -> Rule:
    # Offending: a value that is in none of the parent views (which hold only kept rows).
    value, missing, _ = operands(plan, column)
    union = " UNION ALL ".join(
        f"SELECT {q(col)} AS id FROM {q(view)} WHERE {q(col)} IS NOT NULL" for view, col in parents
    )
    where = join_or([f"{view}.{col}" for view, col in parents])
    predicate = f"NOT {missing} AND {value} NOT IN ({union})"
    return Rule(rule, column, predicate, msg(rule, where=where), True, (q(column),))


def relation_rules(
    plan: TablePlan, installed: dict[str, TablePlan], manifest: dict[str, Any]
) -> tuple[list[Rule], list[str]]:
    """Reference, coordinate and manifest rules of one table; texts of checks not possible."""
    rules: list[Rule] = []
    skipped: list[str] = []
    has = plan.present.__contains__

    def parent(view: str, col: str) -> list[tuple[str, str]]:
        return [(view, col)] if view in installed and col in installed[view].present else []

    parents = parent("addresses", "address_id")
    if plan.name in {"persons", "survey"} and has("address_id") and parents:
        rules.append(_ref_rule(plan, "address_id", parents, "unknown_address_id"))
    if plan.name == "addresses" and has("housing_area_id"):
        if parents := parent("housing_areas", "housing_area_id"):
            rules.append(_ref_rule(plan, "housing_area_id", parents, "unknown_housing_area_id"))
        else:
            skipped.append(msg("skipped_housing_area_id"))
    if plan.name == "survey" and has("area_id"):
        areas = parent("housing_areas", "housing_area_id") + [
            p for v in installed if v.startswith("units_") for p in parent(v, "unit_id")
        ]
        if areas:
            rules.append(_ref_rule(plan, "area_id", areas, "unknown_area_id"))
        else:
            skipped.append(msg("skipped_area_id"))
    rules += _table_specific(plan, manifest)
    return rules, skipped


def _lonlat() -> Rule:
    return Rule(
        "lonlat",
        "x",
        'c."x" BETWEEN -180 AND 180 AND c."y" BETWEEN -90 AND 90',
        msg("lonlat", crs=CRS),
        False,
        ('"x"', '"y"'),
    )


def _no_address_or_area() -> Rule:
    return Rule(
        "no_address_or_area",
        "address_id",
        'c."address_id" IS NULL AND c."area_id" IS NULL',
        msg("no_address_or_area"),
        True,
    )


def _end_before_start() -> Rule:
    return Rule(
        "impossible_value",
        "end_year",
        'c."end_year" < c."start_year"',
        msg("end_before_start"),
        True,
        ('"start_year"', '"end_year"'),
    )


# Table -> (rule, columns it needs). Rules are built when used: their texts are in the user's
# language.
FIXED_RULES: dict[str, tuple[Callable[[], Rule], tuple[str, ...]]] = {
    "addresses": (_lonlat, ("x", "y")),
    "survey": (_no_address_or_area, ("address_id", "area_id")),
    "initiatives": (_end_before_start, ("start_year", "end_year")),
}


def _manifest_years(manifest: dict[str, Any]) -> Rule:
    first, last = (int(y) for y in manifest["years"])
    return Rule(
        "year_outside_manifest",
        "year",
        f'c."year" NOT BETWEEN {first} AND {last}',
        msg("year_outside_manifest", first=first, last=last),
        True,
        ('"year"',),
    )


def _table_specific(plan: TablePlan, manifest: dict[str, Any]) -> list[Rule]:
    rules = []
    fixed = FIXED_RULES.get(plan.name)
    if fixed and all(c in plan.present for c in fixed[1]):
        rules.append(fixed[0]())
    if plan.name == "persons" and "year" in plan.present:
        rules.append(_manifest_years(manifest))
    if plan.table.fmt == "geo":
        rules += geometry_rules(plan)
    return rules
