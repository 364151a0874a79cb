"""The references each list year is judged against: `udsat lists --references FILE`.

A list year's criterion 2 compares the area's conviction share with the *national* share of that
year, and criterion 4 the area's mean income with its *region's* mean income of that year. The
omdannelse look-back judges every earlier year with that year's own references (never with the
list year's: incomes rise every year, so earlier years would look poorer than they were).

The file (CSV, one row per list year and region, as the ministry publishes the references):

    list_year,national_convicted_pct,region,region_mean_income
    2022,0.7541,Hovedstaden,391204
    2023,0.7548,Hovedstaden,402117

national_convicted_pct is the same on every row of a year (it is national). Numbers may use a
decimal comma; thousands separators are not allowed (an income below 1,000 DKK is an error, which
catches '402.117'). Every problem names the file, the column, the rule and example rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from udsat.contract.tabular import Stated, TextFormat, read_text, to_number
from udsat.errors import DataContractError, Problem, UdsatError
from udsat.runlog import RunLog
from udsat.statelists.messages import msg
from udsat.statelists.microdata import References

REFERENCE_COLUMNS = ("list_year", "national_convicted_pct", "region", "region_mean_income")
# (low, high) of each numeric column, both inclusive.
NUMBER_RANGES: dict[str, tuple[float, float]] = {
    "list_year": (2013, 2100),
    "national_convicted_pct": (1e-12, 100.0),
    "region_mean_income": (1000.0, 1e9),
}
WHOLE_NUMBERS = ("list_year",)


@dataclass(frozen=True)
class YearReferences:
    """References per list year: list year -> References (national share, region incomes).

    source: the file the values came from (None: single-value options only). With a source, a
    year without references is an error; without, such a year is computed from the data.
    """

    by_year: Mapping[int, References] = field(default_factory=dict)
    source: str | None = None

    @property
    def years(self) -> list[int]:
        return sorted(self.by_year)

    def get(self, year: int) -> References | None:
        return self.by_year.get(year)

    def missing(self, years: list[int]) -> list[int]:
        """The years of `years` that have no references here."""
        return [y for y in years if y not in self.by_year]


def run_references(
    file: YearReferences | None,
    list_year: int,
    national_convicted_pct: float | None = None,
    region_income: Mapping[str, float] | None = None,
) -> YearReferences:
    """The run's references: the file's rows plus the single-value options for the list year.

    The options apply to the list year only; giving them for a list year the file also holds is
    an error (two sources for one value).
    """
    by_year = dict(file.by_year) if file else {}
    source = file.source if file else None
    if national_convicted_pct is None and not region_income:
        return YearReferences(by_year, source)
    if list_year in by_year:
        raise UdsatError(msg("references_conflict", year=list_year, path=source))
    by_year[list_year] = References(national_convicted_pct, dict(region_income or {}))
    return YearReferences(by_year, source)


def _examples(raw: pd.DataFrame, mask: pd.Series, column: str) -> list[str]:
    """Up to five example rows (numbered as in a spreadsheet: the header is row 1)."""
    rows = raw.index[mask.to_numpy()][:5]
    return [f"{msg('p_row', row=i + 2)}: {column}={raw.at[i, column]!r}" for i in rows]


def _problem(
    name: str, rule: str, text: str, column: str, raw: pd.DataFrame, mask: pd.Series
) -> Problem:
    return Problem(name, rule, text, column, int(mask.sum()), _examples(raw, mask, column))


def _columns(raw: pd.DataFrame, name: str) -> list[Problem]:
    problems = [
        Problem(name, "required_column", msg("p_column_missing"), column=c)
        for c in REFERENCE_COLUMNS
        if c not in raw
    ]
    expected = ", ".join(REFERENCE_COLUMNS)
    problems += [
        Problem(name, "known_columns", msg("p_unknown_column", expected=expected), column=str(c))
        for c in raw.columns
        if c not in REFERENCE_COLUMNS
    ]
    return problems


def _numbers(
    raw: pd.DataFrame, name: str, fmt: TextFormat
) -> tuple[dict[str, pd.Series], list[Problem]]:
    """Each numeric column parsed (a decimal comma allowed) and checked: blank, not a number,
    out of range, and list_year a whole number."""
    values: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    for column, (low, high) in NUMBER_RANGES.items():
        text = raw[column].str.strip()
        number = to_number(text, fmt)
        blank = text == ""
        bad = number.isna() & ~blank | ~np.isfinite(number.fillna(0.0))
        # numpy's stubs type a ufunc's result as an ndarray; on a Series it is a Series.
        finite = cast("pd.Series[bool]", np.isfinite(number))
        outside = finite & ((number < low) | (number > high))
        checks = [
            ("required_value", msg("p_empty"), blank),
            ("numeric", msg("p_not_number"), bad),
            ("range", msg("p_outside", low=f"{low:g}", high=f"{high:g}"), outside),
        ]
        if column in WHOLE_NUMBERS:
            fraction = finite & (number != np.round(number))
            checks.append(("integer", msg("p_not_whole"), fraction))
        problems += [_problem(name, r, t, column, raw, m) for r, t, m in checks if m.any()]
        values[column] = number
    return values, problems


def _rows_problems(raw: pd.DataFrame, values: dict[str, pd.Series], name: str) -> list[Problem]:
    """Region set, one row per (list_year, region), one national share per list year."""
    region = raw["region"].str.strip()
    problems = []
    blank = region == ""
    if blank.any():
        problems.append(_problem(name, "required_value", msg("p_empty"), "region", raw, blank))
    keys = pd.DataFrame({"year": values["list_year"], "region": region})
    dup = keys.duplicated(keep=False) & ~blank
    if dup.any():
        text = msg("p_duplicate_region")
        problems.append(_problem(name, "unique_key", text, "region", raw, dup))
    national = values["national_convicted_pct"]
    per_year = national.groupby(values["list_year"]).transform("nunique")
    differs = per_year > 1
    if differs.any():
        text = msg("p_national_differs")
        problems.append(
            _problem(name, "one_per_year", text, "national_convicted_pct", raw, differs)
        )
    return problems


def read_references(
    path: Path, stated: Stated | None = None, log: RunLog | None = None
) -> YearReferences:
    """Read and validate a references table; raises DataContractError listing every problem."""
    name = Path(path).name
    raw, fmt = read_text(path, stated, log)
    problems = _columns(raw, name)
    if problems:
        raise DataContractError(problems)
    if raw.empty:
        raise DataContractError([Problem(name, "rows", msg("p_no_rows"))])
    values, problems = _numbers(raw, name, fmt)
    if problems:  # the row checks need parsed numbers
        raise DataContractError(problems)
    problems = _rows_problems(raw, values, name)
    if problems:
        raise DataContractError(problems)
    table = pd.DataFrame(
        {
            "list_year": values["list_year"].astype(int),
            "national": values["national_convicted_pct"],
            "region": raw["region"].str.strip(),
            "income": values["region_mean_income"],
        }
    )
    by_year = {
        int(cast(int, year)): References(  # list_year: whole numbers (astype(int) above)
            national_convicted_pct=float(rows["national"].iloc[0]),
            region_income={
                str(r): float(v) for r, v in zip(rows["region"], rows["income"], strict=True)
            },
        )
        for year, rows in table.groupby("list_year")
    }
    return YearReferences(by_year, name)
