"""Bespoke neighbourhoods: for every inhabited 100 m cell, the k nearest residents (several k).

For origin cell o and a k, cells are taken in order of distance d = 100 m * sqrt(dy^2 + dx^2)
between midpoints, the origin's own cell first (d = 0). Cells at the same distance form a ring
and are taken together. With `before` the people in the rings nearer than the crossing ring
(the first ring whose cumulative people reach k) and `total` the people in that ring:

    f      = clip((k - before) / total, 0, 1)          share of the crossing ring taken
    N_k    = before + f * total                        = k (everyone when the data hold < k)
    T_v,k  = sum_v(rings before) + f * sum_v(crossing ring)
    R_v,k  = T_v,k / N_k
    Dist_k = sqrt(d_prev^2 + f * (d_ring^2 - d_prev^2))  (area-linear inside the ring)

d_ring is the ring's distance, d_prev that of the nearest inhabited cell before it; when that
is the origin itself d_prev = 100 / sqrt(pi) m (the equal-area radius of a cell). When the
origin cell alone holds k people, Dist_k = 100 * sqrt(k / (n_o * pi)). These are EquiPop's
defaults (run_knn_counts: overshoot "proportional", self_rule "include", self_potential 1);
docs/neighbourhoods.md compares them with the alternatives.

The engine is exact and deterministic: tiles of origins are solved in threads against dense
windows (tile plus a halo), widening the halo for the few origins that need it.
"""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from udsat import settings
from udsat.errors import UdsatError
from udsat.neighbourhoods.grid import CELL, CellTable
from udsat.neighbourhoods.messages import say
from udsat.neighbourhoods.rings import (
    Offsets,
    SortedCells,
    disc_sums,
    make_window,
    offsets_within,
    ring_sums,
)
from udsat.neighbourhoods.search import Crossing, find_crossings

# (halo, tile) in cells: most origins settle within 6.4 km; sparse ones continue their search in
# wider windows, and origins beyond the last level are solved against every cell (exact_reach).
LEVELS: tuple[tuple[int, int], ...] = ((64, 128), (256, 256), (512, 256))
SELF_RADIUS2 = CELL * CELL / math.pi  # squared equal-area radius of one cell


@dataclass
class Reach:
    """Per origin (for one k): people `before` the crossing ring and in it (`total`, 0 when the
    data hold fewer than k people: then everyone), the ring's s (dy^2 + dx^2) and that of the
    nearest inhabited cell before it, and each variable's sum before (`inner`) and in the ring."""

    before: np.ndarray
    total: np.ndarray
    s_ring: np.ndarray
    s_prev: np.ndarray
    inner: np.ndarray
    ring: np.ndarray


def knn_counts(
    cells: CellTable,
    ks: Sequence[int],
    *,
    workers: int | None = None,
    progress: Callable[[str, float], None] | None = None,
    levels: tuple[tuple[int, int], ...] = LEVELS,
    with_ring: bool = False,
) -> pd.DataFrame:
    """The k nearest residents around every cell of `cells`, for every k in `ks`.

    Columns: cell_id, row, col, x, y, people, each variable's cell sum, and per k:
    `people_k{k}` (N_k), `{var}_k{k}` (T), `{var}_share_k{k}` (R = T / N_k), `radius_k{k}` (m).
    With `with_ring`, also `ring_s_k{k}`: dy^2 + dx^2 (cells) of the crossing ring, inf when the
    data hold fewer than k people (the tiled Spark engine uses it to know an answer is whole).
    Rows are in the order of `cells`.
    """
    ks = check_ks(ks)
    _check_people(cells)
    out = _empty_columns(cells, ks, with_ring)
    todo, state = np.arange(len(cells)), None  # (a fresh search state per tile at first)
    done = 0
    sorted_cells = SortedCells.of(cells.rows, cells.cols, cells.people, cells.values)
    threads = workers or settings.threads() or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for level in levels:
            if not len(todo):
                break
            tiles = _tiles(cells, todo, level[1])
            job = (level, ks, cells.names, sorted_cells)
            left = []
            for ids, columns, rest in _in_order(pool, threads, (tiles, todo, state), job):
                _store(out, ids, columns)
                left.append(rest)
                done += len(ids)
                if progress:
                    progress("neighbourhoods", done / len(cells))
            todo = np.concatenate([ids for ids, _ in left])
            state = Crossing.concat([rest for _, rest in left], len(ks))
    if len(todo):  # beyond the widest halo: sort every cell by distance, origin by origin
        _store(out, todo, _columns(ks, cells.names, lambda i: exact_reach(cells, todo, ks[i])))
    return _frame(cells, ks, out)


def exact_columns(cells: CellTable, origins: np.ndarray, ks: Sequence[int]) -> dict:
    """The per-k columns (and ring_s) of `origins` by sorting every cell by distance."""
    ks = check_ks(ks)
    return _columns(ks, cells.names, lambda i: exact_reach(cells, origins, ks[i]))


def result_frame(cells: CellTable, ks: Sequence[int], out: dict[str, np.ndarray]) -> pd.DataFrame:
    """knn_counts' table from per-k columns `out` (one value per cell, in the cells' order)."""
    return _frame(cells, check_ks(ks), out)


def _in_order(pool, threads: int, work: tuple, job: tuple):
    """Tile results in submission order (the same result every run), at most 2 per thread in
    flight so finished tiles do not pile up in memory."""
    tiles, todo, state = work
    level, ks, names, cells = job
    pending: deque = deque()
    for t in tiles:
        task = (level, ks, names)
        pending.append(pool.submit(_solve_tile, cells, todo[t], task, _state(state, t, ks)))
        if len(pending) >= 2 * threads:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _state(state: Crossing | None, tile: np.ndarray, ks: tuple[int, ...]) -> Crossing:
    return Crossing.start(len(ks), len(tile)) if state is None else state.subset(tile)


def check_ks(ks: Sequence[int]) -> tuple[int, ...]:
    """The distinct ks in ascending order; UdsatError unless there is one and all are >= 1."""
    values = tuple(sorted({int(k) for k in ks}))
    if not values or values[0] < 1:
        raise UdsatError(say("bad_k", ks=list(ks)))
    return values


def _check_people(cells: CellTable) -> None:
    if len(cells) and (cells.people.min() <= 0 or (cells.people != np.round(cells.people)).any()):
        raise UdsatError(say("bad_people"))


def _tiles(cells: CellTable, ids: np.ndarray, tile: int) -> list[np.ndarray]:
    """Positions in `ids` grouped by tile (tile x tile cells), tiles in row-major order."""
    key = (cells.rows[ids] // tile) * (1 << 32) + cells.cols[ids] // tile
    order = np.argsort(key, kind="stable")
    cuts = np.flatnonzero(key[order][1:] != key[order][:-1]) + 1
    return np.split(order, cuts)


def _solve_tile(
    cells: SortedCells, ids: np.ndarray, task: tuple, state: Crossing
) -> tuple[np.ndarray, dict[str, np.ndarray], tuple[np.ndarray, Crossing]]:
    """Solve the origins `ids` of one tile in a window of the tile plus `halo` cells around it.

    Returns the solved ids, their columns, and the ids (with their search state) whose largest
    k lies beyond the halo.
    """
    (halo, tile), ks, names = task
    offsets = offsets_within(halo)
    r0 = int(cells.rows[ids[0]] // tile) * tile - halo
    c0 = int(cells.cols[ids[0]] // tile) * tile - halo
    window = make_window(cells, r0, c0, tile + 2 * halo)
    centre = window.flat(cells.rows[ids], cells.cols[ids])
    state = find_crossings(window, centre, offsets, ks, state)
    solved = (state.first >= 0).all(axis=0)
    columns = {}
    if solved.any():
        columns = _columns(
            ks,
            names,
            lambda i: _window_reach(window, centre[solved], offsets, state, i, solved),
        )
    return ids[solved], columns, (ids[~solved], state.subset(~solved))


def _window_reach(window, centre, offsets: Offsets, crossing, i: int, solved) -> Reach:
    """Reach for k number i from the crossing rings found in a window (all origins `centre`)."""
    first, last = crossing.first[i, solved], crossing.last[i, solved]
    # The rings before the crossing ring are exactly the offsets with s <= s of offset first-1.
    s_inner = np.where(first > 0, offsets.s[np.maximum(first - 1, 0)], -1)
    return Reach(
        before=crossing.before[i, solved],
        total=crossing.total[i, solved],
        s_ring=offsets.s[first],
        s_prev=crossing.s_prev[i, solved],
        inner=disc_sums(window, centre, s_inner),
        ring=ring_sums(window, centre, offsets, first, last),
    )


def exact_reach(cells: CellTable, origins: np.ndarray, k: int) -> Reach:
    """Reach of k by sorting every cell by distance (for the few origins far from k people)."""
    parts = [_exact_one(cells, int(o), k) for o in origins]
    return Reach(*(np.array([p[j] for p in parts]) for j in range(6)))


def _exact_one(cells: CellTable, o: int, k: int) -> tuple:
    s = (cells.rows - cells.rows[o]) ** 2 + (cells.cols - cells.cols[o]) ** 2
    order = np.argsort(s, kind="stable")
    s, cum, values = s[order], np.cumsum(cells.people[order]), cells.values[order]
    if cum[-1] < k:  # fewer than k people in the data: everyone, out to the farthest cell
        return cum[-1], 0.0, s[-1], 0, values.sum(axis=0), np.zeros(values.shape[1])
    pos = int(np.searchsorted(cum, k))
    first, end = np.searchsorted(s, [s[pos], s[pos] + 1])
    before = cum[first - 1] if first else 0.0
    s_prev = s[first - 1] if first else 0
    inner, ring = values[:first].sum(axis=0), values[first:end].sum(axis=0)
    return before, cum[end - 1] - before, s[pos], s_prev, inner, ring


def _columns(ks: tuple[int, ...], names: tuple[str, ...], reach: Callable[[int], Reach]) -> dict:
    """Output columns for every k, from `reach(i)` for k = ks[i]."""
    columns: dict[str, np.ndarray] = {}
    for i, k in enumerate(ks):
        columns.update(_formulas(k, reach(i), names))
    return columns


def _formulas(k: int, r: Reach, names: tuple[str, ...]) -> dict:
    """N_k, T, R and Dist of the module docstring."""
    everyone = r.total <= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(everyone, 1.0, np.clip((k - r.before) / r.total, 0.0, 1.0))
    reached = r.before + f * r.total
    sums = r.inner + f[:, None] * r.ring
    d_ring2 = CELL * CELL * r.s_ring.astype(float)
    d_prev2 = np.where(r.s_prev == 0, np.minimum(SELF_RADIUS2, d_ring2), CELL * CELL * r.s_prev)
    radius = np.sqrt(d_prev2 + f * (d_ring2 - d_prev2))
    # The origin's own cell holds k: spread its people evenly, radius of the disc holding k.
    inside = (r.s_ring == 0) & ~everyone
    radius = np.where(inside, np.sqrt(SELF_RADIUS2 * k / np.where(inside, r.total, 1.0)), radius)
    ring_s = np.where(everyone, np.inf, r.s_ring.astype(float))
    columns = {f"people_k{k}": reached, f"radius_k{k}": radius, f"ring_s_k{k}": ring_s}
    for j, name in enumerate(names):
        columns[f"{name}_k{k}"] = sums[:, j]
        columns[f"{name}_share_k{k}"] = sums[:, j] / reached
    return columns


def per_k_columns(ks: tuple[int, ...], names: tuple[str, ...]) -> list[str]:
    """The per-k output columns in output order: people, each variable's sum and share, radius."""
    out = []
    for k in ks:
        out.append(f"people_k{k}")
        for name in names:
            out += [f"{name}_k{k}", f"{name}_share_k{k}"]
        out.append(f"radius_k{k}")
    return out


def _empty_columns(
    cells: CellTable, ks: tuple[int, ...], with_ring: bool = False
) -> dict[str, np.ndarray]:
    names = per_k_columns(ks, cells.names) + ([f"ring_s_k{k}" for k in ks] if with_ring else [])
    return {name: np.full(len(cells), np.nan) for name in names}


def _store(out: dict[str, np.ndarray], ids: np.ndarray, columns: dict[str, np.ndarray]) -> None:
    if not len(ids):
        return
    for name, values in out.items():  # columns may hold more (ring_s) than was asked for
        values[ids] = columns[name]


def _frame(cells: CellTable, ks: tuple[int, ...], out: dict[str, np.ndarray]) -> pd.DataFrame:
    base = {
        "cell_id": cells.ids,
        "row": cells.rows,
        "col": cells.cols,
        "x": cells.x,
        "y": cells.y,
        "people": cells.people,
    }
    base.update({name: cells.values[:, j] for j, name in enumerate(cells.names)})
    base.update(out)  # per_k_columns order, then ring_s columns when asked for
    return pd.DataFrame(base, copy=False)  # one column per array: no second copy of the result
