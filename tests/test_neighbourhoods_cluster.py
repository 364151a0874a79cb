"""Clustering: flagged cells joined with their neighbours, small areas dropped, cell unions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from udsat.neighbourhoods.cluster import QUEEN, areas, component_labels, flag_worst


def cells(spec: list[tuple[int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(spec, columns=["row", "col", "people"])


def test_adjacent_cells_are_joined_and_small_areas_dropped():
    frame = cells(
        [
            (10, 10, 400), (10, 11, 400), (11, 11, 300),  # one L-shaped area of 1,100
            (20, 20, 999),  # alone and just too small
            (30, 30, 600), (31, 31, 600),  # touch only at a corner: two areas of 600
            (40, 40, 1000),  # alone and exactly large enough
        ]
    )  # fmt: skip
    found = areas(frame, pd.Series(True, index=frame.index))
    assert list(found["area_id"]) == ["area_001", "area_002"]
    assert list(found["residents"]) == [1100, 1000]
    assert list(found["cells"]) == [3, 1]
    l_shape = found.geometry.iloc[0]
    assert l_shape.area == pytest.approx(3 * 100 * 100)
    assert l_shape.geom_type == "Polygon"  # one polygon: the union of the three squares
    assert l_shape.bounds == (1000.0, 1000.0, 1200.0, 1200.0)
    assert found.crs.to_epsg() == 25832
    with_corners = areas(frame, pd.Series(True, index=frame.index), steps=QUEEN)
    assert 1200 in list(with_corners["residents"])


def test_only_flagged_cells_count():
    frame = cells([(0, 0, 600), (0, 1, 600), (0, 2, 600)])
    flagged = pd.Series([True, False, True])
    assert areas(frame, flagged).empty  # the middle cell is not flagged: two areas of 600
    assert areas(frame, pd.Series([False] * 3)).empty


def test_labels_follow_cell_order_and_long_chains():
    rows = np.r_[np.zeros(500, int), [5, 5]]
    cols = np.r_[np.arange(500), [0, 1]]
    label = component_labels(rows, cols)
    assert (label[:500] == 0).all() and (label[500:] == 1).all()


def test_flag_worst_takes_the_top_share_with_ties():
    scores = pd.Series(np.r_[np.arange(95), [200] * 5])
    assert flag_worst(scores, 0.05).sum() == 5
    assert flag_worst(pd.Series([1.0, 1.0, 1.0, 0.0]), 0.25).sum() == 3
    with pytest.raises(ValueError):
        flag_worst(scores, 0)
