"""The look-back lists: omdannelse (2021-) and hårde ghettoområder (2018-2020).

An area is on the list when it is on the source list (parallelsamfund / ghettoområde) in each of
the last `years` lists, the current one included. Earlier years come from a supplied history of
published lists (year, area_name, list) or from results computed for earlier years; published
history wins for the years it covers, because the published list is the legal fact.

A history year is *known* when it holds at least one row of a list that counts (e.g. the 2013-rule
ghetto list counts for the 2018 and 2021 look-backs). An area absent from a known year was not on
the list. When some years are not known the look-back is undetermined (<NA>) unless a known year
already breaks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.typing import NAType

from udsat.contract.tabular import Stated, read_text, to_number
from udsat.errors import DataContractError, Problem
from udsat.runlog import RunLog
from udsat.statelists.messages import msg
from udsat.statelists.rules import ListRule

HISTORY_COLUMNS = ("year", "area_name", "list")


@dataclass(frozen=True)
class LookbackResult:
    member: pd.Series  # boolean with <NA>
    years_member: pd.Series  # int: look-back years on the source list (current included)
    missing_years: pd.Series  # str: look-back years the history does not cover
    broken_year: pd.Series  # Int64: the latest known year the area was not on the source list


def read_history(
    path: Path, stated: Stated | None = None, log: RunLog | None = None
) -> pd.DataFrame:
    """Read a history table (year, area_name, list; extra columns are ignored)."""
    raw, fmt = read_text(path, stated, log)
    missing = [c for c in HISTORY_COLUMNS if c not in raw]
    if missing:
        problems = [
            Problem(path.name, "required_column", msg("p_column_missing"), column=c)
            for c in missing
        ]
        raise DataContractError(problems)
    years = to_number(raw["year"], fmt)  # NaN, not pd.NA
    whole_year = np.isfinite(years) & (years == np.round(years)) & years.between(1900, 2200)
    bad = raw.index[~whole_year | (raw["area_name"].str.strip() == "")]
    if len(bad):
        examples = [f"{msg('p_row', row=i + 2)}: year={raw.at[i, 'year']!r}" for i in bad[:5]]
        problem = Problem(
            path.name, "year_and_name", msg("p_year_and_name"), "year", len(bad), examples
        )
        raise DataContractError([problem])
    out = raw[list(HISTORY_COLUMNS)].copy()
    out["year"] = years.astype(int)
    out["area_name"] = out["area_name"].str.strip()
    return out


def history_from_results(
    results: pd.DataFrame, list_key: str = "parallelsamfund"
) -> tuple[pd.DataFrame, set[int], set[tuple[int, str]]]:
    """Computed earlier results as history: member rows, the years covered, and the
    (year, area_name) pairs whose membership is undetermined (<NA>)."""
    member = results[list_key]
    rows = results[member.fillna(False).astype(bool)]
    history = pd.DataFrame(
        {"year": rows["list_year"].astype(int), "area_name": rows["area_name"], "list": list_key}
    )
    unsure = results[member.isna()]
    uncertain = set(zip(unsure["list_year"].astype(int), unsure["area_name"], strict=True))
    return history, set(results["list_year"].astype(int)), uncertain


def combine_history(published: pd.DataFrame | None, computed: pd.DataFrame) -> pd.DataFrame:
    """Published rows for the years they cover, computed rows for the other years."""
    if published is None or published.empty:
        return computed.reset_index(drop=True)
    covered = set(published["year"])
    extra = computed[~computed["year"].isin(covered)]
    return pd.concat([published[list(HISTORY_COLUMNS)], extra], ignore_index=True)


def lookback(
    current: pd.DataFrame,
    list_year: int,
    rule: ListRule,
    history: pd.DataFrame,
    known_years: set[int] | None = None,
    uncertain: set[tuple[int, str]] | None = None,
) -> LookbackResult:
    """Look-back membership for the areas in `current` (area_name, member: boolean)."""
    counted = history[history["list"].isin(rule.counts_as)]
    known = set(counted["year"]) | (known_years or set())
    on_list = {y: set(g["area_name"]) for y, g in counted.groupby("year")}
    unsure = uncertain or set()
    earlier = range(list_year - rule.years + 1, list_year)
    missing = [y for y in earlier if y not in known]
    members: list[bool | NAType] = []
    counts: list[int] = []
    broken: list[int | NAType] = []
    for name, value in zip(current["area_name"], current["member"], strict=True):
        now = pd.NA if pd.isna(value) else bool(value)
        status = [_status(y, name, known, on_list, unsure) for y in earlier]
        not_on = [y for y, s in zip(earlier, status, strict=True) if s is False]
        counts.append(sum(s is True for s in status) + (now is True))
        broken.append(max(not_on) if not_on else pd.NA)
        if now is False or not_on:
            members.append(False)
        elif now is True and all(s is True for s in status):
            members.append(True)
        else:
            members.append(pd.NA)
    index = current.index
    return LookbackResult(
        member=pd.Series(members, index=index, dtype="boolean"),
        years_member=pd.Series(counts, index=index, dtype=int),
        missing_years=pd.Series([_span(missing)] * len(index), index=index, dtype=object),
        broken_year=pd.Series(broken, index=index, dtype="Int64"),
    )


def _status(year: int, name: str, known: set, on_list: dict, unsure: set) -> object:
    """True / False / <NA> for 'on the source list in this year'."""
    if year not in known or (year, name) in unsure:
        return pd.NA
    return name in on_list.get(year, set())


def _span(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
