"""Adjacent vulnerable units joined into byområder of at least `min_residents` residents.

Adjacency is computed once for all units (100 m cells sharing an edge, or a corner with queen;
polygons that touch), so every variation of the stability grid only relabels a subgraph.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from udsat.neighbourhoods.cluster import QUEEN, ROOK

NOT_IN_AREA = -1


def cell_rowcol(unit_ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Grid row and column from DKN ids `100m_NNNNN_EEEE`."""
    parts = unit_ids.astype(str).str.split("_", expand=True)
    return parts[1].astype(np.int64).to_numpy(), parts[2].astype(np.int64).to_numpy()


def cell_pairs(rows: np.ndarray, cols: np.ndarray, adjacency: str = "rook") -> np.ndarray:
    """Index pairs (i, j) of adjacent cells, shape (m, 2)."""
    steps = QUEEN if adjacency == "queen" else ROOK
    n = len(rows)
    if n == 0:
        return np.empty((0, 2), np.int64)
    keys = rows.astype(np.int64) * (1 << 32) + cols
    order = np.argsort(keys)
    sorted_keys = keys[order]
    found = []
    for dr, dc in steps:
        target = (rows + dr).astype(np.int64) * (1 << 32) + (cols + dc)
        at = np.minimum(np.searchsorted(sorted_keys, target), n - 1)
        hit = sorted_keys[at] == target
        found.append(np.column_stack([np.flatnonzero(hit), order[at[hit]]]))
    return np.concatenate(found)


def polygon_pairs(geometry: np.ndarray) -> np.ndarray:
    """Index pairs (i, j), i < j, of polygons that touch or overlap."""
    tree = shapely.STRtree(geometry)
    left, right = tree.query(geometry, predicate="intersects")
    keep = left < right
    return np.column_stack([left[keep], right[keep]])


def area_labels(
    vulnerable: np.ndarray, residents: np.ndarray, pairs: np.ndarray, min_residents: int
) -> np.ndarray:
    """Per unit: its area's label (0, 1, ... by first unit) or NOT_IN_AREA.

    Units join when both are vulnerable and adjacent; a component is an area when its residents
    (the units' own residents, summed) reach `min_residents`.
    """
    n = len(vulnerable)
    labels = np.full(n, NOT_IN_AREA, np.int64)
    picked = np.flatnonzero(vulnerable)
    if not len(picked):
        return labels
    both = vulnerable[pairs[:, 0]] & vulnerable[pairs[:, 1]] if len(pairs) else np.array([], bool)
    local = np.full(n, -1, np.int64)
    local[picked] = np.arange(len(picked))
    a, b = local[pairs[both, 0]], local[pairs[both, 1]]
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(picked), len(picked)))
    _, comp = connected_components(graph, directed=False)
    totals = np.bincount(comp, weights=np.nan_to_num(residents[picked].astype(float)))
    big = totals >= min_residents
    # Number the kept components in the order of their first unit.
    first = np.full(len(totals), np.iinfo(np.int64).max)
    np.minimum.at(first, comp, np.arange(len(picked)))
    kept = np.flatnonzero(big)
    number = np.full(len(totals), NOT_IN_AREA, np.int64)
    number[kept[np.argsort(first[kept])]] = np.arange(len(kept))
    labels[picked] = number[comp]
    return labels


def area_geometry(labels: np.ndarray, geometry: np.ndarray, coverage: bool = True) -> list:
    """The union of each area's unit geometries, by label 0, 1, ...

    `coverage`: the units do not overlap (grid cells, a partition), so the fast coverage union
    is exact; otherwise a general union.
    """
    union = shapely.coverage_union_all if coverage else shapely.union_all
    count = int(labels.max()) + 1 if len(labels) else 0
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(count + 1))
    return [union(geometry[order[bounds[i] : bounds[i + 1]]]) for i in range(count)]
