"""The lists for every list year a dataset covers: the step the demo pipeline runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import duckdb
import pandas as pd

from udsat.engines import Engine
from udsat.runlog import RunLog
from udsat.statelists.engine import compute_lists, side_by_side
from udsat.statelists.microdata import References, YearCounts, available_years
from udsat.statelists.rules import Law, first_list_year, ruleset_for_year


def covered_list_years(
    con: duckdb.DuckDBPyConnection | Engine, law_: Law | None = None
) -> list[int]:
    """List years L whose rows L-1 and L are both in the data and that have a rule set."""
    years = set(available_years(con))
    first = first_list_year(law_)
    return sorted(y for y in years if y - 1 in years and y >= first)


def lists_for_data(
    con: duckdb.DuckDBPyConnection | Engine,
    references: References | Callable[[int], References] | None = None,
    log: RunLog | None = None,
    years: Sequence[int] | None = None,
    counts: YearCounts | None = None,
    law_: Law | None = None,
    amendment: Law | None = None,
) -> pd.DataFrame:
    """Every covered list year (or only `years`), oldest first, so the omdannelse look-back
    uses earlier results. A year in `years` the data do not cover is an error naming the
    years the data hold (area_figures). `counts`: counts already read on the same engine
    (the early warning's), reused where they cover the years. `amendment`: an edited law whose
    lists are shown beside the law's (<list>_amended, status_changes_amended). `references`:
    one References for every year, or a function of the list year (each year judged by its
    own year's references, e.g. from a references file)."""
    chosen = covered_list_years(con, law_) if years is None else sorted({int(y) for y in years})
    plan = [(y, ruleset_for_year(y, law_)) for y in chosen]
    if amendment is not None:
        plan += [(y, ruleset_for_year(y, amendment)) for y in chosen]
    if counts is None:
        counts = YearCounts(con, plan)
    else:
        counts.plan(plan)

    def of_year(year: int) -> References | None:
        return references(year) if callable(references) else references

    def lists_under(the_law: Law | None) -> pd.DataFrame:
        rules = [(y, ruleset_for_year(y, the_law)) for y in chosen]
        figures = pd.concat(
            [counts.figures(rs, y, of_year(y), log) for y, rs in rules], ignore_index=True
        )
        return compute_lists(figures, law_=the_law)

    table = lists_under(law_)
    if amendment is not None:
        table = side_by_side(table, lists_under(amendment), "amended", law_)
    return table
