"""The lists for every list year a dataset covers: the step the demo pipeline runs."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from udsat.engines import Engine
from udsat.runlog import RunLog
from udsat.statelists.engine import compute_lists
from udsat.statelists.microdata import References, YearCounts, available_years
from udsat.statelists.rules import first_list_year, ruleset_for_year


def covered_list_years(con: duckdb.DuckDBPyConnection | Engine) -> list[int]:
    """List years L whose rows L-1 and L are both in the data and that have a rule set."""
    years = set(available_years(con))
    first = first_list_year()
    return sorted(y for y in years if y - 1 in years and y >= first)


def lists_for_data(
    con: duckdb.DuckDBPyConnection | Engine,
    references: References | None = None,
    log: RunLog | None = None,
    years: Sequence[int] | None = None,
    counts: YearCounts | None = None,
) -> pd.DataFrame:
    """Every covered list year (or only `years`), oldest first, so the omdannelse look-back
    uses earlier results. A year in `years` the data do not cover is an error naming the
    years the data hold (area_figures). `counts`: counts already read on the same engine
    (the early warning's), reused where they cover the years."""
    chosen = covered_list_years(con) if years is None else sorted({int(y) for y in years})
    plan = [(y, ruleset_for_year(y)) for y in chosen]
    if counts is None:
        counts = YearCounts(con, plan)
    else:
        counts.plan(plan)
    figures = pd.concat(
        [counts.figures(rs, y, references, log) for y, rs in plan], ignore_index=True
    )
    return compute_lists(figures)
