"""The DKN 100 m grid: cell ids, aggregation of persons per inhabited cell."""

from __future__ import annotations

import numpy as np
import pytest

from udsat.neighbourhoods.grid import cell_ids, cell_index, cell_polygons, cells_from_points


def test_cell_ids_are_dkn():
    rows, cols = cell_index(np.array([725_149.9, 600_000.0]), np.array([6_176_600.0, 6_099_999.0]))
    assert list(cell_ids(rows, cols)) == ["100m_61766_7251", "100m_60999_6000"]
    square = cell_polygons(rows[:1], cols[:1])[0]
    assert square.bounds == (725_100.0, 6_176_600.0, 725_200.0, 6_176_700.0)


def test_points_are_counted_per_cell_in_row_col_order():
    x = np.array([725_110.0, 725_190.0, 725_210.0, 725_150.0])
    y = np.array([6_176_650.0, 6_176_699.0, 6_176_650.0, 6_176_550.0])
    cells = cells_from_points(x, y, {"v": np.array([1, 0, 1, 1])})
    assert list(cells.ids) == ["100m_61765_7251", "100m_61766_7251", "100m_61766_7252"]
    assert list(cells.people) == [1, 2, 1]
    assert list(cells.values[:, 0]) == [1, 1, 1]
    assert cells.x[1] == pytest.approx(725_150) and cells.y[1] == pytest.approx(6_176_650)
