"""From neighbourhoods to areas: flag cells by a rule, join adjacent flagged cells, keep areas of
at least 1,000 residents, as polygons (unions of 100 m cells)."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd

from udsat.contract.schemas import CRS
from udsat.neighbourhoods.grid import cell_polygons

MIN_RESIDENTS = 1000
ROOK = ((0, 1), (1, 0))  # cells sharing an edge
QUEEN = ((0, 1), (1, 0), (1, 1), (1, -1))  # ... or a corner


def flag_worst(scores: pd.Series, share: float = 0.05) -> pd.Series:
    """True for the worst `share` of cells (highest scores): score >= the m-th highest score,
    m = ceil(share * cells with a score); cells tied with it are flagged too, NaN never."""
    if not 0 < share <= 1:
        raise ValueError(f"share must lie in (0, 1], got {share}")
    valid = scores.dropna().to_numpy()
    if not len(valid):
        return pd.Series(False, index=scores.index)
    m = max(1, math.ceil(share * len(valid)))
    threshold = np.sort(valid)[::-1][m - 1]
    return (scores >= threshold).fillna(False)


def component_labels(rows: np.ndarray, cols: np.ndarray, steps=ROOK) -> np.ndarray:
    """Connected-component label of every cell (adjacent = one of `steps` apart), numbered
    0, 1, ... in the order of each component's first cell in (row, col) order."""
    n = len(rows)
    keys = rows.astype(np.int64) * (1 << 32) + cols
    order = np.argsort(keys)
    a_parts, b_parts = [], []
    for dr, dc in steps:
        target = (rows + dr).astype(np.int64) * (1 << 32) + (cols + dc)
        at = np.minimum(np.searchsorted(keys[order], target), n - 1)
        hit = keys[order][at] == target
        a_parts.append(np.flatnonzero(hit))
        b_parts.append(order[at[hit]])
    a, b = np.concatenate(a_parts), np.concatenate(b_parts)
    label = np.arange(n)
    while True:  # min-label propagation with pointer jumping: O(log diameter) rounds
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = new[new]
        if np.array_equal(new, label):
            break
        label = new
    # Renumber by each component's first cell in (row, col) order.
    roots, first = np.unique(label[order], return_index=True)
    number = np.empty(n, np.int64)
    number[roots[np.argsort(first)]] = np.arange(len(roots))
    return number[label]


def areas(
    cells: pd.DataFrame,
    flagged: pd.Series,
    population: str = "people",
    min_residents: int = MIN_RESIDENTS,
    steps=ROOK,
) -> gpd.GeoDataFrame:
    """Areas of adjacent flagged cells with at least `min_residents` people.

    `cells` has `row`, `col` and the cell's own residents in `population`. Returns one row per
    area: `area_id` (area_001, ... in (row, col) order of each area's first cell), `residents`
    (the sum over its cells), `cells` (how many), and the union of the cells as geometry
    (EPSG:25832).
    """
    picked = cells.loc[flagged.to_numpy(bool), ["row", "col", population]]
    rows, cols = picked["row"].to_numpy(), picked["col"].to_numpy()
    if not len(picked):
        return _empty()
    label = component_labels(rows, cols, steps)
    frame = gpd.GeoDataFrame(
        {"label": label, "residents": picked[population].to_numpy(), "cells": 1},
        geometry=cell_polygons(rows, cols),
        crs=CRS,
    )
    merged = frame.dissolve(by="label", aggfunc="sum").reset_index()
    merged = merged[merged["residents"] >= min_residents].reset_index(drop=True)
    merged.insert(0, "area_id", [f"area_{i + 1:03d}" for i in range(len(merged))])
    return merged.drop(columns="label")


def _empty() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({"area_id": [], "residents": [], "cells": []})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=CRS))
