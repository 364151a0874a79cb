"""Disclosure control: primary and secondary suppression, checked on random tables."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from udsat.publish.disclosure import (
    TOTAL,
    determined_cells,
    primary_mask,
    protect_column,
    protect_table,
    suppress_rates,
)


def _recoverable_by_solving(published: pd.DataFrame, truth: np.ndarray) -> list[tuple]:
    """Suppressed cells whose value every solution of the published equations agrees on.

    Independent of the module's own check: two solutions of the system (least-squares particular
    solution plus each null-space direction) are compared cell by cell with numpy's lstsq.
    """
    values = published.to_numpy(dtype=float, na_value=np.nan)
    rows, cols = values.shape
    unknown = np.argwhere(np.isnan(values))
    if len(unknown) == 0:
        return []
    position = {tuple(c): k for k, c in enumerate(unknown)}
    eqs, rhs = [], []
    lines = [[(r, c) for c in range(cols)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows)] for c in range(cols)]
    for line in lines:  # each line of the augmented table: cells sum to its last cell
        eq = np.zeros(len(unknown))
        known = 0.0
        for sign, cell in [(1.0, c) for c in line[:-1]] + [(-1.0, line[-1])]:
            if cell in position:
                eq[position[cell]] += sign
            else:
                known += sign * values[cell]
        eqs.append(eq)
        rhs.append(-known)
    a = np.array(eqs)
    solution = np.linalg.lstsq(a, np.array(rhs), rcond=None)[0]
    truth_unknown = np.array([truth[tuple(c)] for c in unknown])
    assert np.allclose(a @ truth_unknown, rhs)  # the truth solves the published system
    null = np.linalg.svd(a)[2][np.linalg.matrix_rank(a) :]
    fixed = ~(np.abs(null) > 1e-9).any(axis=0) if null.size else np.ones(len(unknown), bool)
    return [
        tuple(unknown[k])
        for k in np.flatnonzero(fixed)
        if np.isclose(solution[k], truth_unknown[k])
    ]


small_tables = arrays(
    np.int64,
    st.tuples(st.integers(1, 6), st.integers(1, 6)),
    elements=st.one_of(st.integers(0, 12), st.integers(0, 400)),
)


@settings(max_examples=150, deadline=None)
@given(small_tables, st.sampled_from([3, 5, 10]))
def test_no_published_cell_under_the_limit(table: np.ndarray, limit: int) -> None:
    counts = pd.DataFrame(table)
    protected = protect_table(counts, limit)
    shown = protected.values.to_numpy(dtype=float, na_value=np.nan)
    shown = shown[~np.isnan(shown)]
    assert not ((shown > 0) & (shown < limit)).any()
    # Primary marks exactly the small cells, totals included.
    augmented = np.vstack(
        [np.column_stack([table, table.sum(1)]), np.append(table.sum(0), table.sum())]
    )
    assert (protected.primary.to_numpy() == ((augmented > 0) & (augmented < limit))).all()


@settings(max_examples=150, deadline=None)
@given(small_tables)
def test_no_suppressed_cell_recoverable_from_totals(table: np.ndarray) -> None:
    protected = protect_table(pd.DataFrame(table), 5)
    augmented = np.vstack(
        [np.column_stack([table, table.sum(1)]), np.append(table.sum(0), table.sum())]
    )
    assert _recoverable_by_solving(protected.values, augmented) == []
    # Published cells carry the true counts.
    shown = protected.values.to_numpy(dtype=float, na_value=np.nan)
    keep = ~np.isnan(shown)
    assert (shown[keep] == augmented[keep]).all()


def test_single_small_cell_in_a_row_gets_a_partner_and_totals_hold() -> None:
    counts = pd.DataFrame({"a": [3, 50], "b": [40, 60]}, index=["x", "y"])
    protected = protect_table(counts)
    assert protected.primary.loc["x", "a"]
    # Row x and column a each had one blank: the line rule blanks x/b (40) and y/a (50), which
    # leaves row y and column b with one blank each, so y/b is blanked too (a 2x2 pattern).
    assert protected.secondary.loc["x", "b"] and protected.secondary.loc["y", "a"]
    assert protected.values.loc[TOTAL, TOTAL] == 153
    assert protected.values.loc["x", TOTAL] == 43  # a total of 43 with both cells blank is safe


def test_a_bridge_between_two_safe_blocks_is_caught() -> None:
    # Every row and column has two blanks, yet the cell (1, 2) links two blocks and is
    # determined by summing one block's rows minus its columns: the null-space check finds it.
    mask = np.zeros((5, 5), dtype=bool)  # a 4x4 table with its total row and column
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)]:
        mask[r, c] = True
    determined = determined_cells(mask)
    assert determined[1, 2]
    assert not determined[0, 0]


def test_zero_is_published_and_limit_is_exact() -> None:
    assert primary_mask(np.array([0, 1, 4, 5, np.nan])).tolist() == [
        False,
        True,
        True,
        False,
        False,
    ]
    assert primary_mask(np.array([9, 10]), limit=10).tolist() == [True, False]


def test_rates_from_small_counts_and_complements_are_blanked() -> None:
    rates = pd.Series([0.5, 0.02, 0.98, 0.0, 0.5, 0.5])
    num = pd.Series([50, 2, 98, 0, 2, None])
    den = pd.Series([100, 100, 100, 100, 4, 100])
    out = suppress_rates(rates, num, den)
    assert out.isna().tolist() == [False, True, True, False, True, True]
    assert suppress_rates(rates, num, den, complement=False).isna().tolist()[2] is False


def test_protect_column_hides_a_lone_small_count_from_the_total() -> None:
    frame = pd.DataFrame({"residents": [1200, 3, 800, 10]})
    cells, total = protect_column(frame, "residents")
    assert cells.isna().tolist() == [False, True, False, True]  # 10: the next smallest
    assert total == 2013


def test_suppress_by_residents_blanks_every_figure_of_a_tiny_unit() -> None:
    from udsat.publish import DisclosurePolicy, units_table

    frame = pd.DataFrame({"residents": [4, 5], "value": [0.1, 0.2], "name": ["a", "b"]})
    out = DisclosurePolicy().protect(frame, units_table("residents", about=("value",)))
    assert out["value"].isna().tolist() == [True, False]
    assert out["residents"].isna().tolist() == [True, False]
    assert out["name"].tolist() == ["a", "b"]


def test_exhaustive_two_by_two_tables() -> None:
    # Every 2x2 table over a grid of values around the limit: both rules hold.
    for cells in itertools.product([0, 1, 4, 5, 9], repeat=4):
        table = np.array(cells).reshape(2, 2)
        protected = protect_table(pd.DataFrame(table))
        augmented = np.vstack(
            [np.column_stack([table, table.sum(1)]), np.append(table.sum(0), table.sum())]
        )
        assert _recoverable_by_solving(protected.values, augmented) == [], cells
