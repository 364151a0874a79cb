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

# Offsets per search block start small (dense cities finish in the first block) and double.
FIRST_BLOCK = 48
# Rows of the ragged disc / ring gathers per chunk (bounds memory: rows x variables x 8 bytes).
CHUNK_ROWS = 1 << 20


@dataclass(frozen=True)
class Offsets:
    """All offsets with s <= h^2, sorted by (s, dy, dx); each ring's first and last position."""

    h: int
    dy: np.ndarray
    dx: np.ndarray
    s: np.ndarray
    ring_first: np.ndarray  # per offset: position of the first offset of its ring
    ring_last: np.ndarray  # per offset: position of the last offset of its ring
    blocks: tuple[tuple[int, int], ...]  # [b0, b1) search blocks, each a union of whole rings

    def linear(self, width: int) -> np.ndarray:
        """Offsets as flat-index steps in a row-major window `width` wide."""
        return self.dy * width + self.dx


@lru_cache(maxsize=8)
def offsets_within(h: int) -> Offsets:
    """The offsets of every cell within h cells (s <= h^2) in distance order.

    Complete rings only: every offset at distance sqrt(s) is present when one is.
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
    return Offsets(h, dy, dx, s, first[ring], last[ring], _blocks(first, len(s)))


def _blocks(ring_starts: np.ndarray, n: int) -> tuple[tuple[int, int], ...]:
    """Ring-aligned blocks of roughly FIRST_BLOCK, 2x, 4x ... offsets."""
    bounds, size, b0 = [], FIRST_BLOCK, 0
    while b0 < n:
        i = int(np.searchsorted(ring_starts, b0 + size))
        b1 = int(ring_starts[i]) if i < len(ring_starts) else n
        bounds.append((b0, b1))
        b0, size = b1, size * 2
    return tuple(bounds)


def isqrt(t: np.ndarray) -> np.ndarray:
    """floor(sqrt(t)) for integer arrays below 2^52 (exact: sqrt is correctly rounded)."""
    return np.floor(np.sqrt(t.astype(float))).astype(np.int64)


@dataclass(frozen=True)
class Window:
    """Dense copy of the cells in rows [r0, r0 + height), cols [c0, c0 + width - 1).

    Flat index y * width + x (one spare column, always empty, so a row's prefix can end there).
    `people[i]` is the cell's people (0 when empty); `prefix[y * width + x]` is the sum of each
    variable over the cells (y, 0 .. x - 1) of the row, so a row segment is a difference of two.
    """

    r0: int
    c0: int
    height: int
    width: int
    people: np.ndarray
    prefix: np.ndarray

    def flat(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Flat window index of global grid (row, col)."""
        return (rows - self.r0) * self.width + (cols - self.c0)


def make_window(
    r0: int,
    c0: int,
    size: tuple[int, int],
    cells: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> Window:
    """A Window of `size` = (height, columns) at (r0, c0) holding `cells` = (rows, cols, people,
    values); cells outside it must have been left out by the caller."""
    rows, cols, people, values = cells
    height, width = size[0], size[1] + 1
    flat = (rows - r0) * width + (cols - c0)
    dense_people = np.zeros(height * width)
    dense_people[flat] = people
    nvar = values.shape[1]
    dense = np.zeros((height, width, nvar))
    dense.reshape(-1, nvar)[flat] = values
    prefix = np.zeros((height, width, nvar))
    np.cumsum(dense[:, :-1], axis=1, out=prefix[:, 1:])
    return Window(r0, c0, height, width, dense_people, prefix.reshape(-1, nvar))


def disc_sums(window: Window, centre: np.ndarray, s_max: np.ndarray) -> np.ndarray:
    """Per centre, each variable summed over the cells at s <= s_max (none where s_max < 0).

    disc(c, s) = sum over dy in [-R, R] of prefix[c + dy, x + w + 1] - prefix[c + dy, x - w],
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
    steps = offsets.linear(window.width)

    def rows(rep: np.ndarray, step: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        at = steps[first[rep] + step]
        return at + 1, at

    return _ragged(window, centre, last - first + 1, rows)


def _ragged(window: Window, centre: np.ndarray, counts: np.ndarray, rows) -> np.ndarray:
    """Sum prefix[centre + hi] - prefix[centre + lo] over `counts[i]` rows per centre, in chunks.

    `rows(rep, step)` gives the (hi, lo) steps of row `step` of centre `rep`.
    """
    nvar = window.prefix.shape[1]
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
            part = window.prefix[at + hi] - window.prefix[at + lo]
            out[start:stop] = _segment_sums(part, counts[start:stop])
        start = stop
    return out


def _segment_sums(part: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Sums of consecutive row segments of lengths `counts` (zero for empty segments)."""
    out = np.zeros((len(counts), part.shape[1]))
    has = counts > 0
    if has.any():
        starts = np.cumsum(counts) - counts
        out[has] = np.add.reduceat(part, starts[has], axis=0)
    return out
