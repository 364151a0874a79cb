"""The catalogue compiled to SQL: one register pass and one survey pass per unit kind and year.

Both passes read the address mapping registered as MAP (address_id -> unit_id, district_id, row,
col) and group by unit (and cell) and district. Every column is a sum, so the engine adds the
groups up to units, districts and the whole data (the standard population) without another scan;
a unit's district is the one holding most of its residents.
"""

from __future__ import annotations

from collections.abc import Sequence

from udsat.indicators.catalogue import Catalogue, Indicator, fill_references

MAP = "__udsat_indicator_map"


def _sum(expr: str, population: str) -> str:
    # NULL counts 0 (the person is in the population and not in the numerator), as in
    # udsat.neighbourhoods.grid.variable_sums.
    return f"sum(coalesce(CAST(({expr}) AS DOUBLE), 0)) FILTER (WHERE {population})"


def register_columns(ind: Indicator) -> list[tuple[str, str]]:
    """(column name, aggregate SQL) of one register indicator: numerator, denominator and, when
    standardised, the numerator and denominator of every stratum."""
    pop = f"coalesce(({fill_references(ind.population)}), FALSE)"
    num, den = fill_references(ind.numerator), fill_references(ind.denominator)
    cols = [(f"{ind.id}__num", _sum(num, pop)), (f"{ind.id}__den", _sum(den, pop))]
    if ind.standardise:
        for name, predicate in ind.standardise.strata():
            where = f"{pop} AND coalesce(({predicate}), FALSE)"
            cols += [
                (f"{ind.id}__{name}__num", _sum(num, where)),
                (f"{ind.id}__{name}__den", _sum(den, where)),
            ]
    return cols


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


def register_sql(catalogue: Catalogue, indicators: Sequence[Indicator], cells: bool) -> str:
    """One pass over the persons of a year (parameter ?): per unit (and cell), the whole data,
    and per unit and district."""
    derived = "".join(f', ({sql}) AS "{name}"' for name, sql in catalogue.derived.items())
    refs = ", ".join(f'({r.sql}) AS "{r.name}"' for r in catalogue.references.values())
    aggregates = "".join(
        f',\n       {sql} AS "{name}"' for ind in indicators for name, sql in register_columns(ind)
    )
    keys = ["unit_id", "row", "col"] if cells else ["unit_id"]
    return f"""
        WITH base AS MATERIALIZED (
            SELECT p.*, m.unit_id, m.district_id, m.row, m.col
            FROM persons AS p JOIN {MAP} AS m USING (address_id)
            WHERE p.year = ?
        ),
        d AS MATERIALIZED (SELECT *{derived} FROM base),
        ref AS (SELECT {refs or "1 AS _none"} FROM d)
        SELECT {", ".join(keys)}, district_id, count(*) AS residents{aggregates}
        FROM d, ref
        GROUP BY {", ".join(keys)}, district_id
    """


def survey_sql(indicators: Sequence[Indicator], cells: bool) -> str:
    """One pass over the survey of a year (parameter ?). Respondents without a mapped address
    keep their area_id as district (it may name a district) and no unit."""
    aggregates = "".join(
        f',\n       {sql} AS "{name}"' for ind in indicators for name, sql in survey_columns(ind)
    )
    keys = ["unit_id", "row", "col"] if cells else ["unit_id"]
    return f"""
        WITH s AS (
            SELECT s.*, m.unit_id, m.row, m.col, coalesce(m.district_id, s.area_id) AS district_id
            FROM survey AS s LEFT JOIN {MAP} AS m USING (address_id)
            WHERE s.year = ?
        )
        SELECT {", ".join(keys)}, district_id, count(*) AS respondents{aggregates}
        FROM s
        GROUP BY {", ".join(keys)}, district_id
    """
