"""Bespoke neighbourhoods around address points: the k nearest residents, addresses as units.

The cell engine's conventions (knn.py) transposed to points. For an origin o, the inhabited
addresses are taken in order of squared distance d² = (x - x_o)² + (y - y_o)² (metres, float64);
addresses at exactly the same d² form a ring and are taken together, the origin address itself
first (d = 0). With `before` the people in the rings nearer than the crossing ring (the first
ring whose cumulative people reach k) and `total` the people in that ring:

    f      = clip((k - before) / total, 0, 1)          share of the crossing ring taken
    N_k    = before + f * total                        = k (everyone when the data hold < k)
    T_v,k  = sum_v(rings before) + f * sum_v(crossing ring)
    R_v,k  = T_v,k / N_k
    Dist_k = sqrt(d_prev² + f * (d_ring² - d_prev²))   (area-linear inside the ring)

d_prev is the distance of the nearest ring before the crossing ring, 0 when there is none or it
is the origin's own point (a point has no area: the cell engine's 100 / sqrt(pi) m has no
counterpart). So Dist_k = 0 when the addresses at the origin's point alone hold k people, and
Dist_k = sqrt(f) * d_ring when k is crossed in the first ring beyond it. Addresses with no
people are no units (they would add nothing) and no origins.

Exact and deterministic: a k-d tree (scipy cKDTree) returns the m nearest addresses per origin,
in batches of bounded size; d² is recomputed from the coordinates, and an origin is solved only
when its crossing ring lies strictly inside the m returned (its last address is farther), else
m doubles for it, up to every address.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.spatial import cKDTree

from udsat.errors import UdsatError
from udsat.neighbourhoods.knn import check_ks, per_k_columns
from udsat.neighbourhoods.messages import say

# Origin x neighbour elements per batch: bounds memory (a few arrays of this x 8 bytes per k).
BATCH = 1 << 21
# Tree distances and recomputed d² may differ in the last bits: a ring counts as complete only
# when the farthest returned address is farther by this relative margin.
MARGIN = 1e-9
# First guess of neighbours: SLACK x the addresses holding the largest k at the mean occupancy
# (origins in thinner places widen).
SLACK = 1.5


@dataclass(frozen=True)
class Points:
    """Inhabited addresses: coordinates, people (> 0, whole), variable sums per address."""

    x: np.ndarray
    y: np.ndarray
    people: np.ndarray
    values: np.ndarray  # (variables, addresses): one variable contiguous
    names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.x)


@dataclass
class Found:
    """Per origin of a batch, for one k: solved (crossing ring complete), and the weight of
    each returned address (1 before the ring, f in it, 0 beyond), N_k and Dist_k."""

    ok: np.ndarray
    weights: np.ndarray
    reached: np.ndarray
    radius: np.ndarray


def knn_points(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    people: npt.ArrayLike,
    values: Mapping[str, npt.ArrayLike] | None = None,
    ks: Sequence[int] = (1000,),
    origins_x: npt.ArrayLike | None = None,
    origins_y: npt.ArrayLike | None = None,
    *,
    batch: int = BATCH,
    workers: int = -1,
    progress: Callable[[str, float], None] | None = None,
) -> pd.DataFrame:
    """The k nearest residents around every origin, with addresses (x, y, people) as units.

    Origins default to every address with people: then the result has `index` (position in the
    input), `x`, `y`, `people` and each variable of the address alone; given origins only `x`,
    `y`. Then per k: `people_k{k}`, `{var}_k{k}`, `{var}_share_k{k}`, `radius_k{k}` (metres).
    `workers` is cKDTree's (-1: all cores).
    """
    ks = check_ks(ks)
    dest, base = _inputs(x, y, people, values)
    if origins_x is None or origins_y is None:
        ox, oy = dest.x, dest.y
    else:
        ox, oy = np.asarray(origins_x, float), np.asarray(origins_y, float)
        if ox.shape != oy.shape:
            raise UdsatError(say("points_shape"))
        base = {"x": ox, "y": oy}
    out = _solve_all(dest, ox, oy, ks, (batch, workers, progress))
    return pd.DataFrame({**base, **out}, copy=False)  # out: per_k_columns order


def _inputs(x, y, people, values) -> tuple[Points, dict[str, np.ndarray]]:
    """The inhabited addresses, and the origin columns of the default origins (them)."""
    x, y, people = (np.asarray(a, float).ravel() for a in (x, y, people))
    values = {name: np.asarray(v, float).ravel() for name, v in (values or {}).items()}
    if len({len(x), len(y), len(people), *(len(v) for v in values.values())}) > 1:
        raise UdsatError(say("points_shape"))
    if (people < 0).any() or (people != np.round(people)).any():
        raise UdsatError(say("bad_people_points"))
    keep = np.flatnonzero(people > 0)  # empty addresses add nothing and are no origins
    if not len(keep):
        raise UdsatError(say("no_people_points"))
    names = tuple(values)
    matrix = np.array([values[n][keep] for n in names]).reshape(len(names), len(keep))
    dest = Points(x[keep], y[keep], people[keep], matrix, names)
    base = {"index": keep, "x": dest.x, "y": dest.y, "people": dest.people}
    base.update({name: dest.values[j] for j, name in enumerate(names)})
    return dest, base


def _solve_all(dest: Points, ox, oy, ks: tuple[int, ...], options: tuple) -> dict:
    """Batches of origins against the tree; unsolved origins again with twice the neighbours."""
    batch, workers, progress = options
    tree = cKDTree(np.column_stack([dest.x, dest.y]))
    out = {name: np.full(len(ox), np.nan) for name in per_k_columns(ks, dest.names)}
    # Enough neighbours for the largest k at the mean people per address, with some slack.
    m = int(min(len(dest), max(16, np.ceil(SLACK * ks[-1] * len(dest) / dest.people.sum()) + 8)))
    todo, done = np.arange(len(ox)), 0
    while len(todo):
        step = max(1, batch // m)
        left = []
        for start in range(0, len(todo), step):
            part = todo[start : start + step]
            solved, columns = _solve(tree, dest, (ox[part], oy[part]), m, ks, workers)
            for name, column in columns.items():
                out[name][part[solved]] = column
            left.append(part[~solved])
            done += int(solved.sum())
            if progress:
                progress("neighbourhoods", done / max(len(ox), 1))
        todo, m = np.concatenate(left), min(2 * m, len(dest))
    return out


def _solve(tree: cKDTree, dest: Points, origins: tuple, m: int, ks, workers: int):
    """One batch with m neighbours: which origins are solved, and their columns."""
    ox, oy = origins
    _, idx = tree.query(np.column_stack([ox, oy]), k=m, workers=workers)
    idx = idx.reshape(len(ox), m)  # (k = 1 returns one dimension)
    d2 = (dest.x[idx] - ox[:, None]) ** 2 + (dest.y[idx] - oy[:, None]) ** 2
    # Order by our own d² (the tree's distances may differ in the last bits); stable, so equal
    # d² keep the tree's deterministic order.
    order = np.argsort(d2, axis=1, kind="stable")
    idx, d2 = np.take_along_axis(idx, order, 1), np.take_along_axis(d2, order, 1)
    cum = np.cumsum(dest.people[idx], axis=1)  # whole numbers: exact
    found = [_crossing(d2, cum, k, m == len(dest)) for k in ks]
    solved = np.logical_and.reduce([f.ok for f in found])
    idx = idx[solved]
    columns: dict[str, np.ndarray] = {}
    for k, f in zip(ks, found, strict=True):
        columns[f"people_k{k}"], columns[f"radius_k{k}"] = f.reached[solved], f.radius[solved]
    for j, name in enumerate(dest.names):
        gathered = dest.values[j][idx]  # (origins, m): one variable at a time bounds memory
        for k, f in zip(ks, found, strict=True):
            # Row sums over the contiguous axis: pairwise, the same for any batch.
            total = (f.weights[solved] * gathered).sum(axis=1)
            columns[f"{name}_k{k}"] = total
            columns[f"{name}_share_k{k}"] = total / columns[f"people_k{k}"]
    return solved, columns


def _crossing(d2: np.ndarray, cum: np.ndarray, k: int, complete: bool) -> Found:
    """The crossing ring of k among the m returned addresses of each origin (columns in d²
    order); `complete` when every address was returned."""
    rows, m = np.arange(len(d2)), d2.shape[1]
    everyone = cum[:, -1] < k  # with every address returned: fewer than k people in the data
    pos = np.where(everyone, m - 1, np.argmax(cum >= k, axis=1))
    ring2 = d2[rows, pos]
    first = np.where(everyone, m, (d2 < ring2[:, None]).sum(axis=1))
    last = (d2 <= ring2[:, None]).sum(axis=1) - 1
    # Solved when every address of the ring was returned: the farthest returned is farther.
    ok = np.full(len(d2), True) if complete else ~everyone & (d2[:, -1] > ring2 * (1 + MARGIN))
    before = np.where(first > 0, cum[rows, np.maximum(first - 1, 0)], 0.0)
    total = np.where(everyone, 0.0, cum[rows, last] - before)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(everyone, 1.0, np.clip((k - before) / total, 0.0, 1.0))
    prev2 = np.where(first > 0, d2[rows, np.maximum(first - 1, 0)], 0.0)
    prev2 = np.where(everyone, ring2, prev2)  # everyone: out to the farthest address
    radius = np.sqrt(prev2 + f * (ring2 - prev2))
    col = np.arange(m)[None, :]
    inside = (col >= first[:, None]) & (col <= last[:, None])
    weights = np.where(col < first[:, None], 1.0, np.where(inside, f[:, None], 0.0))
    return Found(ok, weights, before + f * total, radius)
