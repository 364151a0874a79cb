"""The catalogue compiled to SQL: one register pass and one survey pass per unit kind and year.

Both passes read the address mapping registered as MAP (address_id -> unit_id, district_id, row,
col) and group by unit (and cell) and district. Every column is a sum, so the engine adds the
groups up to units, districts and the whole data (the standard population) without another scan;
a unit's district is the one holding most of its residents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from udsat.contract.schemas import PERSONS
from udsat.engines import exact_sum
from udsat.indicators.catalogue import Catalogue, Indicator, Standardise, fill_references

MAP = "__udsat_indicator_map"


def _sum(expr: str, population: str) -> str:
    # NULL counts 0 (the person is in the population and not in the numerator), as in
    # udsat.neighbourhoods.grid.variable_sums. A constant 1 is a count (cheaper).
    if expr.strip() == "1":
        return f"count(*) FILTER (WHERE {population})"
    return f"coalesce({exact_sum(f'coalesce(CAST(({expr}) AS DOUBLE), 0)', population)}, 0)"


def register_columns(ind: Indicator) -> list[tuple[str, str]]:
    """(column name, aggregate SQL) of one register indicator: numerator and denominator."""
    pop = f"coalesce(({fill_references(ind.population)}), FALSE)"
    num, den = fill_references(ind.numerator), fill_references(ind.denominator)
    return [(f"{ind.id}__num", _sum(num, pop)), (f"{ind.id}__den", _sum(den, pop))]


def strata_keys(indicators: Sequence[Indicator]) -> dict[Standardise, str]:
    """One grouping column per distinct standardisation (stratum_0, ...): grouping by the
    stratum index gives every stratum's sums with two aggregates per indicator, not two per
    stratum."""
    keys: dict[Standardise, str] = {}
    for ind in indicators:
        if ind.standardise and ind.standardise not in keys:
            keys[ind.standardise] = f"stratum_{len(keys)}"
    return keys


def _stratum_case(spec: Standardise) -> str:
    whens = " ".join(f"WHEN {pred} THEN {i}" for i, (_, pred) in enumerate(spec.strata()))
    return f"CASE {whens} END"


def _used(catalogue: Catalogue, indicators: Sequence[Indicator]) -> tuple[dict, dict, dict]:
    """The derived columns, reference values and household aggregates the indicators need (the
    household aggregation costs a third of the pass; skipped when no chosen indicator needs it)."""
    text = " ".join(f"{i.population} {i.numerator} {i.denominator}" for i in indicators)
    refs = {n: r for n, r in catalogue.references.items() if "{" + n + "}" in text}
    text += " ".join(r.sql for r in refs.values())
    derived = {n: sql for n, sql in catalogue.derived.items() if _mentions(text, n)}
    text += " ".join(derived.values())
    households = {n: sql for n, sql in catalogue.households.items() if _mentions(text, n)}
    return derived, refs, households


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", text) is not None


def survey_columns(ind: Indicator) -> list[tuple[str, str]]:
    """Weighted sums of one survey indicator: sum w x, sum w d, sum w^2 d, respondents."""
    pop = f"coalesce(({ind.population}), FALSE)"
    num, den = f"({ind.numerator})", f"({ind.denominator})"
    return [
        (f"{ind.id}__num", _sum(f"weight * CAST({num} AS DOUBLE)", pop)),
        (f"{ind.id}__den", _sum(f"weight * CAST({den} AS DOUBLE)", pop)),
        (f"{ind.id}__w2", _sum(f"weight * weight * CAST({den} AS DOUBLE)", pop)),
        (f"{ind.id}__n", f"count(*) FILTER (WHERE {pop})"),
    ]


def _columns(text: str) -> str:
    """`p."col", ` for every persons column the SQL mentions: the pass carries (and the window
    sorts) only those, not all 37."""
    names = [c for c in PERSONS.names if re.search(rf"\b{c}\b", text)]
    return "".join(f'p."{c}", ' for c in names)


def register_sql(catalogue: Catalogue, indicators: Sequence[Indicator], cells: bool) -> str:
    """One pass over the persons of a year (parameter $1), grouped by unit (and cell), district
    and the stratum of each standardisation."""
    derived, refs, households = _used(catalogue, indicators)
    household_join = ""
    if households:
        aggs = "".join(f', ({sql}) AS "{n}"' for n, sql in households.items())
        household_join = (
            f"LEFT JOIN (SELECT household_id{aggs} FROM persons WHERE year = $1 "
            "GROUP BY household_id) AS h USING (household_id)"
        )
        extra = "".join(f', h."{n}"' for n in households)
    else:
        extra = ""
    extra += "".join(f', ({sql}) AS "{name}"' for name, sql in derived.items())
    ref_sql = ", ".join(f'({r.sql}) AS "{r.name}"' for r in refs.values())
    strata = "".join(f", {_stratum_case(s)} AS {k}" for s, k in strata_keys(indicators).items())
    aggregates = "".join(
        f',\n       {sql} AS "{name}"' for ind in indicators for name, sql in register_columns(ind)
    )
    keys = ", ".join(["unit_id", "row", "col"] if cells else ["unit_id"])
    keys += "".join(f", {k}" for k in strata_keys(indicators).values())
    used = _columns(
        " ".join([*derived.values(), *(r.sql for r in refs.values()), aggregates, strata])
    )
    return f"""
        WITH d AS MATERIALIZED (
            SELECT {used}m.unit_id, m.district_id, m.row, m.col{extra}
            FROM persons AS p JOIN {MAP} AS m USING (address_id) {household_join}
            WHERE p.year = $1
        ),
        ref AS ({f"SELECT {ref_sql} FROM d" if refs else "SELECT 1 AS _none"})
        SELECT {keys}, district_id, count(*) AS residents{aggregates}
        FROM (SELECT *{strata} FROM d), ref
        GROUP BY {keys}, district_id
    """


def survey_sql(indicators: Sequence[Indicator], cells: bool) -> str:
    """One pass over the survey of a year (parameter $1). Respondents without a mapped address
    keep their area_id as district (it may name a district) and no unit."""
    aggregates = "".join(
        f',\n       {sql} AS "{name}"' for ind in indicators for name, sql in survey_columns(ind)
    )
    keys = ["unit_id", "row", "col"] if cells else ["unit_id"]
    return f"""
        WITH s AS (
            SELECT s.*, m.unit_id, m.row, m.col, coalesce(m.district_id, s.area_id) AS district_id
            FROM survey AS s LEFT JOIN {MAP} AS m USING (address_id)
            WHERE s.year = $1
        )
        SELECT {", ".join(keys)}, district_id, count(*) AS respondents{aggregates}
        FROM s
        GROUP BY {", ".join(keys)}, district_id
    """
