"""Grid geometry of the k-NN engine: cell offsets in distance order, and dense local windows.

On a regular grid the cells around any origin come in the same order: offset (dy, dx) lies at
distance 100 * sqrt(dy^2 + dx^2) m, so sorting the offsets by s = dy^2 + dx^2 once gives every
origin's neighbour order. A *ring* is all offsets with the same s (equal distance: a tie).
A Window is a dense copy of the cells in a rectangle, so looking a neighbour up is one index.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from udsat.errors import UdsatError
from udsat.neighbourhoods.messages import say

# Rows of the ragged disc / ring gathers per chunk (bounds memory: rows x variables x 8 bytes).
CHUNK_ROWS = 1 << 18


@dataclass(frozen=True)
class Offsets:
    """All offsets with s <= h^2, sorted by (s, dy, dx); each ring's first and last position."""

    h: int
    dy: np.ndarray
    dx: np.ndarray
    s: np.ndarray
    ring_first: np.ndarray  # per offset: position of the first offset of its ring
    ring_last: np.ndarray  # per offset: position of the last offset of its ring

    def linear(self, width: int) -> np.ndarray:
        """Offsets as flat-index steps in a row-major window `width` wide."""
        return self.dy * width + self.dx


@lru_cache(maxsize=8)
def offsets_within(h: int) -> Offsets:
    """The offsets of every cell within h cells (s <= h^2) in distance order.

    Complete rings only: every offset at distance sqrt(s) is present when one is. The order
    does not depend on h, so a wider table continues a narrower one.
    """
    d = np.arange(-h, h + 1, dtype=np.int64)
    dy, dx = (a.ravel() for a in np.meshgrid(d, d, indexing="ij"))
    s = dy * dy + dx * dx
    keep = s <= h * h
    dy, dx, s = dy[keep], dx[keep], s[keep]
    order = np.lexsort((dx, dy, s))
    dy, dx, s = dy[order], dx[order], s[order]
    new = np.r_[True, s[1:] != s[:-1]]
    first = np.flatnonzero(new)
    ring = np.cumsum(new) - 1
    last = np.r_[first[1:], len(s)] - 1
    return Offsets(h, dy, dx, s, first[ring], last[ring])


@lru_cache(maxsize=8)
def steps_within(h: int, width: int) -> np.ndarray:
    """offsets_within(h) as flat-index steps in a window `width` wide: one table per level
    (every window of a level has the same width), shared read-only by the tiles' threads."""
    steps = offsets_within(h).linear(width)
    steps.flags.writeable = False
    return steps


def isqrt(t: np.ndarray) -> np.ndarray:
    """floor(sqrt(t)) for integer arrays below 2^52 (exact: sqrt is correctly rounded)."""
    return np.floor(np.sqrt(t.astype(float))).astype(np.int64)


@dataclass(frozen=True)
class Window:
    """Dense view of the cells in rows [r0, r0 + size), cols [c0, c0 + size).

    Flat index y * width + x, width = size + 1 (a spare, empty column, so a row segment can end
    there). `people[i]`: the cell's people (0 when empty), as integers. `rank[i]`: how many of
    the window's cells come before position i in this row-major order; with `cumulative[j]` the
    sums of the variables over the first j of them, the cells at flat positions [i0, i1) of one
    row sum to cumulative[rank[i1]] - cumulative[rank[i0]].
    """

    r0: int
    c0: int
    width: int
    people: np.ndarray
    rank: np.ndarray
    cumulative: np.ndarray

    def flat(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Flat window index of global grid (row, col)."""
        return (rows - self.r0) * self.width + (cols - self.c0)


@dataclass(frozen=True)
class SortedCells:
    """A CellTable's arrays, checked to be sorted by (row, col); people as integers."""

    rows: np.ndarray
    cols: np.ndarray
    people: np.ndarray
    values: np.ndarray

    @classmethod
    def of(cls, rows: np.ndarray, cols: np.ndarray, people: np.ndarray, values: np.ndarray):
        keys = rows * (1 << 32) + cols
        if len(keys) > 1 and not (keys[1:] > keys[:-1]).all():
            raise UdsatError(say("cells_order"))
        # Whole persons: integer sums are exact and vectorise (int32 while they cannot overflow).
        small = people.sum() < np.iinfo(np.int32).max
        return cls(rows, cols, people.astype(np.int32 if small else np.int64), values)


def make_window(cells: SortedCells, r0: int, c0: int, size: int) -> Window:
    """The Window of the size x size cells from (r0, c0)."""
    width = size + 1
    lo, hi = np.searchsorted(cells.rows, [r0, r0 + size])
    cols = cells.cols[lo:hi]
    inside = np.flatnonzero((cols >= c0) & (cols < c0 + size)) + lo  # row-major order
    flat = (cells.rows[inside] - r0) * width + (cells.cols[inside] - c0)
    people = np.zeros(size * width, cells.people.dtype)
    people[flat] = cells.people[inside]
    rank = np.zeros(size * width, np.int32 if len(inside) < 2**31 else np.int64)
    rank[flat + 1] = 1  # a cell counts for every position after it
    np.cumsum(rank, out=rank)
    cumulative = np.zeros((len(inside) + 1, cells.values.shape[1]))
    np.cumsum(cells.values[inside], axis=0, out=cumulative[1:])
    return Window(r0, c0, width, people, rank, cumulative)


def disc_sums(window: Window, centre: np.ndarray, s_max: np.ndarray) -> np.ndarray:
    """Per centre, each variable summed over the cells at s <= s_max (none where s_max < 0).

    disc(c, s) = sum over dy in [-R, R] of the row segment [x - w, x + w] of row c + dy,
    with R = isqrt(s) and w = isqrt(s - dy^2): one row segment per dy, O(R) per centre.
    """
    radius = np.where(s_max >= 0, isqrt(np.maximum(s_max, 0)), -1)
    return _ragged(window, centre, 2 * radius + 1, _disc_rows(window, radius, s_max))


def _disc_rows(window: Window, radius: np.ndarray, s_max: np.ndarray):
    def rows(rep: np.ndarray, step: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dy = step - radius[rep]
        w = isqrt(s_max[rep] - dy * dy)
        shift = dy * window.width
        return shift + w + 1, shift - w

    return rows


def ring_sums(
    window: Window, centre: np.ndarray, offsets: Offsets, first: np.ndarray, last: np.ndarray
) -> np.ndarray:
    """Per centre, each variable summed over the offsets at positions first .. last (one ring)."""
    steps = steps_within(offsets.h, window.width)

    def rows(rep: np.ndarray, step: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        at = steps[first[rep] + step]
        return at + 1, at

    return _ragged(window, centre, last - first + 1, rows)


def _ragged(window: Window, centre: np.ndarray, counts: np.ndarray, rows) -> np.ndarray:
    """Sum the segments [centre + lo, centre + hi) over `counts[i]` rows per centre, in chunks.

    `rows(rep, step)` gives the (hi, lo) steps of row `step` of centre `rep`.
    """
    nvar = window.cumulative.shape[1]
    out = np.zeros((len(centre), nvar))
    counts = np.maximum(counts, 0)
    ends = np.cumsum(counts)
    start = 0
    while start < len(centre):
        base = ends[start - 1] if start else 0
        stop = max(int(np.searchsorted(ends, base + CHUNK_ROWS, side="right")), start + 1)
        idx = np.arange(start, stop)
        rep = np.repeat(idx, counts[start:stop])
        if len(rep):
            step = np.arange(len(rep)) - (ends[rep] - counts[rep] - base)
            hi, lo = rows(rep, step)
            at = centre[rep]
            upper = np.take(window.cumulative, np.take(window.rank, at + hi), axis=0)
            part = upper - np.take(window.cumulative, np.take(window.rank, at + lo), axis=0)
            out[start:stop] = _segment_sums(part, counts[start:stop])
        start = stop
    return out


def _segment_sums(part: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Sums of consecutive rows of `part` in segments of lengths `counts` (0 for empty ones)."""
    out = np.zeros((len(counts), part.shape[1]))
    has = counts > 0
    if has.any():
        starts = np.cumsum(counts) - counts
        out[has] = np.add.reduceat(part, starts[has], axis=0)
    return out
