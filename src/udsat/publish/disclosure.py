"""Disclosure control: no published number rests on fewer than `limit` people.

Two rules, applied before anything is published (pages, charts, tooltips, downloads):

- **Primary suppression**: a count of 1 to `limit` - 1 people is blanked (a zero reveals nothing
  about a person and is kept). A share or rate is blanked when its numerator or denominator is
  blanked, when its denominator is under `limit`, or when its numerator or its complement
  (denominator - numerator) is 1 to `limit` - 1 (98 % of 100 people names the 2 others).
- **Secondary suppression** of a table published with row and/or column totals: more cells are
  blanked until no blanked cell can be computed exactly from the published cells and totals.
  The table and its totals form a system of linear equations (each row and column sums to its
  total); a blanked cell is *exactly determined* when its unit vector lies in the row space of the
  equations restricted to the blanked cells, i.e. when every solution of the system gives it the
  same value. We first apply the classic line rule (a row or column with exactly one blanked cell
  gets its smallest other published cell blanked, iterated to a fixed point), then check every
  blanked cell with the linear-algebra test and, for each one still determined, blank the smallest
  published cell of its row (or column), and repeat until none is determined.

Guarantee: within one table and its own totals, no blanked cell is exactly recoverable by any
combination of additions and subtractions. Limits (documented in docs/report.md): intervals are
not protected (a blanked cell may be bounded, e.g. between 0 and a small total); tables published
separately that share cells (hierarchies such as kvarter within bydel, or the same count in two
tables) are protected only if they are passed as one table; sums over published *shares* are not
audited.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

TOTAL = "I alt"
DEFAULT_LIMIT = 5  # DST's rule: no result that refers to fewer than 5 units


def primary_mask(counts: np.ndarray, limit: int = DEFAULT_LIMIT) -> np.ndarray:
    """True where a count is 1 to `limit` - 1 people (missing values are not counts)."""
    values = np.asarray(counts, dtype=float)
    with np.errstate(invalid="ignore"):
        return (values > 0) & (values < limit)


def suppress_rates(
    rates: pd.Series,
    numerator: pd.Series,
    denominator: pd.Series,
    limit: int = DEFAULT_LIMIT,
    *,
    complement: bool = True,
) -> pd.Series:
    """Blank rates that rest on fewer than `limit` people (see the module docstring)."""
    num = pd.to_numeric(numerator, errors="coerce").astype(float)
    den = pd.to_numeric(denominator, errors="coerce").astype(float)
    bad = num.isna() | den.isna() | (den < limit)
    bad |= pd.Series(primary_mask(num.to_numpy(), limit), index=rates.index)
    if complement:
        bad |= pd.Series(primary_mask((den - num).to_numpy(), limit), index=rates.index)
    return rates.astype(float).mask(bad.to_numpy())


@dataclass(frozen=True)
class ProtectedTable:
    """A count table after disclosure control, with its published totals.

    `values`: the published table (blank = suppressed), including a total row and/or column named
    `TOTAL` when requested; `primary` and `secondary`: which cells each rule blanked.
    """

    values: pd.DataFrame
    primary: pd.DataFrame
    secondary: pd.DataFrame

    @property
    def suppressed(self) -> pd.DataFrame:
        return self.primary | self.secondary


def _augmented(counts: np.ndarray, row_totals: bool, col_totals: bool) -> np.ndarray:
    table = counts
    if row_totals:
        table = np.column_stack([table, table.sum(axis=1)])
    if col_totals:
        table = np.vstack([table, table.sum(axis=0)])
    return table


def _lines(shape: tuple[int, int], row_totals: bool, col_totals: bool) -> list[np.ndarray]:
    """Index arrays (flat) of the cells of each published equation: a line and its total."""
    rows, cols = shape
    lines = []
    if row_totals:
        lines += [np.arange(r * cols, (r + 1) * cols) for r in range(rows)]
    if col_totals:
        lines += [np.arange(c, rows * cols, cols) for c in range(cols)]
    return lines


def _equations(shape: tuple[int, int], row_totals: bool, col_totals: bool) -> np.ndarray:
    """One row per equation: cells of a line +1, its total cell -1 (sums to zero)."""
    rows, cols = shape
    eqs = []
    for line in _lines(shape, row_totals, col_totals):
        eq = np.zeros(rows * cols)
        eq[line[:-1]] = 1.0
        eq[line[-1]] = -1.0
        eqs.append(eq)
    return np.array(eqs).reshape(len(eqs), rows * cols)


def determined_cells(
    suppressed: np.ndarray, *, row_totals: bool = True, col_totals: bool = True
) -> np.ndarray:
    """Which suppressed cells of an augmented table are exactly recoverable from the rest.

    `suppressed` is the mask of the augmented table (cells plus the published total row/column).
    Cell k is determined iff it is zero in every vector of the null space of the equations
    restricted to the suppressed cells.
    """
    shape = suppressed.shape
    flat = suppressed.ravel()
    unknown = np.flatnonzero(flat)
    result = np.zeros(flat.size, dtype=bool)
    if unknown.size == 0:
        return result.reshape(shape)
    a = _equations(shape, row_totals, col_totals)[:, unknown]
    if a.size == 0:
        return result.reshape(shape)
    _, singular, vt = np.linalg.svd(a, full_matrices=True)
    rank = int((singular > 1e-9 * max(1.0, singular.max(initial=0.0))).sum())
    null = vt[rank:]
    free = np.abs(null).max(axis=0) > 1e-9 if null.size else np.zeros(unknown.size, bool)
    result[unknown] = ~free
    return result.reshape(shape)


def _smallest_published(values: np.ndarray, mask: np.ndarray, line: np.ndarray) -> int | None:
    """The flat index of the smallest published cell of a line (inner cells before the total)."""
    candidates = [i for i in line[:-1] if not mask[i]] or [i for i in line[-1:] if not mask[i]]
    if not candidates:
        return None
    return min(candidates, key=lambda i: (values[i], i))


def secondary_mask(
    values: np.ndarray,
    primary: np.ndarray,
    *,
    row_totals: bool = True,
    col_totals: bool = True,
) -> np.ndarray:
    """Extra cells to blank in an augmented table so no blanked cell is recoverable."""
    flat_values = values.ravel().astype(float)
    mask = primary.ravel().copy()
    lines = _lines(values.shape, row_totals, col_totals)
    while True:
        changed = False
        for line in lines:  # the line rule, to a fixed point
            if mask[line].sum() == 1:
                pick = _smallest_published(flat_values, mask, line)
                if pick is not None:
                    mask[pick] = changed = True
        if changed:
            continue
        determined = determined_cells(
            mask.reshape(values.shape), row_totals=row_totals, col_totals=col_totals
        ).ravel()
        if not determined.any():
            break
        cell = int(np.flatnonzero(determined)[0])
        holding = [line for line in lines if cell in line]
        picks = [_smallest_published(flat_values, mask, line) for line in holding]
        picks = [p for p in picks if p is not None]
        if not picks:  # every cell of its lines is blank already: nothing more can help
            break
        mask[min(picks, key=lambda i: (flat_values[i], i))] = True
    return mask.reshape(values.shape) & ~primary


def protect_table(
    counts: pd.DataFrame,
    limit: int = DEFAULT_LIMIT,
    *,
    row_totals: bool = True,
    col_totals: bool = True,
) -> ProtectedTable:
    """Primary and secondary suppression of a count table published with its totals.

    `counts`: whole non-negative numbers, rows x columns (e.g. areas x years). The totals are
    computed here from the full counts and published (or blanked) with the table, in a column and
    a row named `TOTAL`. Pass row_totals=False when row sums mean nothing (e.g. over years).
    """
    numbers = counts.fillna(0).to_numpy(dtype=float)
    values = _augmented(numbers, row_totals, col_totals)
    primary = primary_mask(values, limit)
    secondary = secondary_mask(values, primary, row_totals=row_totals, col_totals=col_totals)
    index = list(counts.index) + ([TOTAL] if col_totals else [])
    columns = list(counts.columns) + ([TOTAL] if row_totals else [])
    published = pd.DataFrame(values, index=index, columns=columns).round().astype("Int64")
    primary_df = pd.DataFrame(primary, index=index, columns=columns)
    secondary_df = pd.DataFrame(secondary, index=index, columns=columns)
    return ProtectedTable(published.mask(primary_df | secondary_df), primary_df, secondary_df)


def protect_column(
    frame: pd.DataFrame, column: str, limit: int = DEFAULT_LIMIT, *, total: bool = True
) -> tuple[pd.Series, int | None]:
    """One count column published with its total: (published column, published total or None).

    The column is treated as a one-column table, so a lone blanked cell is protected by blanking
    the next smallest (or the total).
    """
    table = frame[[column]].reset_index(drop=True)
    protected = protect_table(table, limit, row_totals=False, col_totals=total)
    values = protected.values[column]
    cells = values.iloc[: len(frame)].set_axis(frame.index)
    grand = values.iloc[-1] if total else None
    return cells, (None if grand is None or pd.isna(grand) else int(grand))
