"""Aggregate mode: the published area figures (one row per area and list year) as input.

Columns (the 2-year averages already taken, percentages unrounded or as published):
list_year, area_id, area_name, municipality, residents, outside_pct, convicted_pct,
national_convicted_pct, basic_edu_pct, income_pct_of_region, nonwestern_pct.
Optional: outside_latest_pct (the latest year's share outside the labour market, for kombineret
udlejning; without it that list is not computed), outside_base, convicted_base, basic_edu_base,
nonwestern_base, outside_latest_base (the people behind each percentage, for margins in people;
without them margins in people use all residents).
Every problem names the file, the column and example rows (row numbers as in a spreadsheet).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from udsat.contract.tabular import Stated, TextFormat, read_text, to_number
from udsat.errors import DataContractError, Problem
from udsat.runlog import RunLog
from udsat.statelists.classify import figure_columns
from udsat.statelists.messages import msg

TEXT_COLUMNS = ("area_id", "area_name", "municipality")
PCT_COLUMNS = (
    "outside_pct",
    "convicted_pct",
    "basic_edu_pct",
    "nonwestern_pct",
    "outside_latest_pct",
)
BASE_COLUMNS = (
    "outside_base", "convicted_base", "basic_edu_base", "nonwestern_base", "outside_latest_base",
)  # fmt: skip
# (min, max) of each numeric column; None = open.
RANGES: dict[str, tuple[float | None, float | None]] = {
    "list_year": (2013, 2100),
    "residents": (0, None),
    **{c: (0.0, 100.0) for c in PCT_COLUMNS},
    "national_convicted_pct": (1e-12, 100.0),
    "income_pct_of_region": (0.0, None),
    **{c: (1e-12, None) for c in BASE_COLUMNS},
}
OPTIONAL_VALUES = (*PCT_COLUMNS, "income_pct_of_region", *BASE_COLUMNS)


def _rows(mask: pd.Series, raw: pd.DataFrame, column: str) -> list[str]:
    return [
        f"{msg('p_row', row=i + 2)}: {column}={raw.at[i, column]!r}" for i in raw.index[mask][:5]
    ]


def _problem(name: str, rule: str, message: str, column: str, examples: list[str], n: int):
    return Problem(name, rule, message, column=column, count=n, examples=examples)


def _numeric(raw: pd.DataFrame, name: str, fmt: TextFormat) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse and range-check the numeric columns; blanks stay NaN (checked by the caller)."""
    out, problems = raw.copy(), []
    for column, (low, high) in RANGES.items():
        if column not in raw:
            continue
        text = raw[column].str.strip()
        values = to_number(text, fmt)
        bad = values.isna() & (text != "")
        if bad.any():
            message = msg("p_not_number")
            problems.append(
                _problem(name, "numeric", message, column, _rows(bad, raw, column), bad.sum())
            )
        outside = (low is not None) & (values < low) | (high is not None) & (values > high)
        if outside.any():
            message = msg("p_outside", low=low, high=high if high is not None else "∞")
            examples = _rows(outside, raw, column)
            problems.append(_problem(name, "range", message, column, examples, int(outside.sum())))
        out[column] = values
    return out, problems


def _required_values(df: pd.DataFrame, raw: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    for column in ("list_year", "residents", "national_convicted_pct", *TEXT_COLUMNS):
        blank = df[column].isna() | (df[column].astype(str).str.strip() == "")
        if blank.any():
            examples = _rows(blank, raw, column)
            problems.append(
                _problem(name, "required_value", msg("p_empty"), column, examples, blank.sum())
            )
    dup = df.duplicated(["list_year", "area_id"], keep=False)
    if dup.any():
        text = msg("p_duplicate")
        problems.append(
            _problem(name, "unique_key", text, "area_id", _rows(dup, raw, "area_id"), 1)
        )
    whole = df["residents"].dropna() % 1 != 0
    if whole.any():
        ex = _rows(whole.reindex(df.index, fill_value=False), raw, "residents")
        problems.append(_problem(name, "integer", msg("p_not_whole"), "residents", ex, 1))
    return problems


def read_aggregate(
    path: Path, stated: Stated | None = None, log: RunLog | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and validate the published figures (CSV as saved from Danish Excel too, or .xlsx).
    Returns (figures, warnings); raises DataContractError listing every blocker."""
    name = Path(path).name
    raw, fmt = read_text(path, stated, log)
    missing = [c for c in figure_columns() if c not in raw]
    if missing:
        problems = [
            Problem(name, "required_column", msg("p_column_missing"), column=c) for c in missing
        ]
        raise DataContractError(problems)
    df, problems = _numeric(raw, name, fmt)
    problems += _required_values(df, raw, name)
    if problems:
        raise DataContractError(problems)
    warnings = []
    for column in OPTIONAL_VALUES:
        blank = df[column].isna() if column in df else None
        if blank is not None and blank.any():
            text = msg("p_unknown_criterion")
            warnings.append(
                Problem(
                    name,
                    "missing_value",
                    text,
                    column,
                    int(blank.sum()),
                    _rows(blank, raw, column),
                    severity="warning",
                )
            )
    df["list_year"] = df["list_year"].astype(int)
    df["residents"] = df["residents"].astype("Int64")
    return df, warnings
