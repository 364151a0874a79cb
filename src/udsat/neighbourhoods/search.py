"""Where each origin's neighbourhood crosses k: the ring search of the k-NN engine.

For one window and a batch of origins in it, walk the offsets in distance order, block by block,
with a running sum of people per origin; for every k record the *crossing ring* (the first ring
whose cumulative people reach k). Only origins still short of the largest k take part in the
next block, so a dense city is settled after a few dozen offsets and a village after thousands.
People are whole persons held as integers: integer running sums are exact and, unlike floats,
numpy vectorises them (cumsum along the last axis).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from udsat.neighbourhoods.rings import Offsets, Window, steps_within

FIRST_BLOCK = 48  # offsets in the first block; blocks then double, up to MAX_BLOCK
MAX_BLOCK = 2048
MAX_ELEMENTS = 1 << 21  # origins x offsets per step: bounds the working memory (~25 MB)
_PER_K = ("first", "last", "before", "total", "s_prev")


@dataclass
class Crossing:
    """Per k (axis 0) and origin (axis 1), the ring where the people reached cross k.

    `first` / `last`: positions of the ring's offsets (-1: not crossed yet); `before`: people
    in the rings before it; `total`: people in the ring; `s_prev`: s of the nearest inhabited
    offset before the ring (0 when that is the origin). Per origin the search state: `carry`
    people within the offsets searched, [`block0`, `block1`) the last block that held people;
    `reached` offsets searched (a wider window continues where this one stopped).
    """

    first: np.ndarray
    last: np.ndarray
    before: np.ndarray
    total: np.ndarray
    s_prev: np.ndarray
    carry: np.ndarray
    block0: np.ndarray
    block1: np.ndarray
    reached: int = 0

    @classmethod
    def start(cls, nk: int, n: int) -> Crossing:
        per_k = {k: np.full((nk, n), -1 if k in ("first", "last") else 0, np.int64) for k in _PER_K}
        per_origin = {k: np.zeros(n, np.int64) for k in ("carry", "block0", "block1")}
        return cls(**per_k, **per_origin, reached=0)

    @classmethod
    def concat(cls, parts: list[Crossing], nk: int) -> Crossing:
        """The states of several batches of origins, one after the other."""
        if not parts:
            return cls.start(nk, 0)
        arrays = {
            f.name: np.concatenate([getattr(p, f.name) for p in parts], axis=-1)
            for f in fields(cls)[:-1]
        }
        return cls(**arrays, reached=parts[0].reached)

    def subset(self, keep: npt.ArrayLike) -> Crossing:
        """The state of the origins `keep` (an index or mask)."""
        arrays = {f.name: getattr(self, f.name)[..., keep] for f in fields(self)[:-1]}
        return Crossing(**arrays, reached=self.reached)


@dataclass(frozen=True)
class Block:
    """Offsets [b0, b1) of the window's search, as flat steps."""

    b0: int
    b1: int
    offsets: Offsets
    steps: np.ndarray
    window: Window
    centre: np.ndarray


def find_crossings(
    window: Window, centre: np.ndarray, offsets: Offsets, ks: tuple[int, ...], state: Crossing
) -> Crossing:
    """Continue the search of `state` through all of `offsets` for the origins `centre`.

    Afterwards every k whose crossing ring lies within the offsets has first >= 0.
    """
    steps = steps_within(offsets.h, window.width)
    active = np.flatnonzero(state.carry < ks[-1])
    buffers = np.empty(MAX_ELEMENTS, np.int64), np.empty(MAX_ELEMENTS, window.people.dtype)
    for b0, b1 in _blocks(offsets, state.reached):
        if not len(active):
            break
        block = Block(b0, b1, offsets, steps, window, centre)
        rows = max(1, MAX_ELEMENTS // (b1 - b0))
        for i in range(0, len(active), rows):
            _search_block(state, block, active[i : i + rows], ks, buffers)
        active = active[state.carry[active] < ks[-1]]
    state.reached = len(offsets.s)
    return state


def _search_block(
    state: Crossing, block: Block, part: np.ndarray, ks: tuple[int, ...], buffers
) -> None:
    """Running sums of people over one block for the origins `part`; record crossings."""
    shape = (len(part), block.b1 - block.b0)
    size = shape[0] * shape[1]
    idx = buffers[0][:size].reshape(shape)
    cum = buffers[1][:size].reshape(shape)
    np.add(block.centre[part, None], block.steps[None, block.b0 : block.b1], out=idx)
    np.take(block.window.people, idx, out=cum)
    np.cumsum(cum, axis=1, out=cum)
    for i, k in enumerate(ks):
        _record(state, i, k, cum, part, block)
    grown = cum[:, -1] > 0
    state.block0[part[grown]], state.block1[part[grown]] = block.b0, block.b1
    state.carry[part] += cum[:, -1]


def _blocks(offsets: Offsets, start: int):
    """Ring-aligned blocks [b0, b1) from `start`: FIRST_BLOCK offsets, then doubling."""
    n, b0 = len(offsets.s), start
    size = FIRST_BLOCK
    while b0 < n:
        b1 = min(b0 + size, n)
        if b1 < n:
            b1 = int(offsets.ring_first[b1])  # end at a ring boundary
            b1 = b1 if b1 > b0 else int(offsets.ring_last[b0]) + 1
        yield b0, b1
        b0, size = b1, min(size * 2, MAX_BLOCK)


def _record(state: Crossing, i: int, k: int, cum: np.ndarray, part: np.ndarray, block: Block):
    """Record k's crossing ring for the origins whose running sum reaches k in this block.

    `cum` holds running sums within the block; the people before it are `state.carry`.
    """
    b0, offsets = block.b0, block.offsets
    need = k - state.carry[part]
    new = np.flatnonzero((cum[:, -1] >= need) & (state.first[i, part] < 0))
    if not len(new):
        return
    ids, width = part[new], cum.shape[1]
    # Rows of running sums, each non-decreasing, lifted into one sorted array: a search in it
    # finds, per row, the first offset whose running sum reaches a target.
    lift = np.arange(len(new), dtype=np.int64) * (1 << 40)
    c = cum[new] + lift[:, None]
    flat = c.ravel()

    def first_reaching(target: np.ndarray) -> np.ndarray:
        return np.searchsorted(flat, target + lift) - np.arange(len(new)) * width

    pos = b0 + first_reaching(need[new])  # the first offset reaching k
    first, last = offsets.ring_first[pos], offsets.ring_last[pos]
    # Blocks hold whole rings, so the ring starts in this block (first >= b0).
    span = np.arange(len(new))
    inside = np.where(first > b0, c[span, np.maximum(first - b0 - 1, 0)] - lift, 0)
    # The nearest inhabited offset before the ring is where the running sum first equals
    # `inside`; when nothing was added in this block before the ring it lies in an earlier one.
    at = b0 + first_reaching(inside)
    s_prev = offsets.s[at]
    earlier = np.flatnonzero((inside == 0) & (first > 0))  # (the first block holds the origin)
    if len(earlier):
        s_prev[earlier] = _last_inhabited_s(state, block, ids[earlier])
    state.s_prev[i, ids] = s_prev
    state.first[i, ids], state.last[i, ids] = first, last
    state.before[i, ids] = state.carry[ids] + inside
    state.total[i, ids] = c[span, last - b0] - lift - inside


def _last_inhabited_s(state: Crossing, block: Block, ids: np.ndarray) -> np.ndarray:
    """s of the farthest inhabited offset in each origin's last block that held people."""
    out = np.zeros(len(ids), np.int64)
    for b0 in np.unique(state.block0[ids]):
        sel = np.flatnonzero(state.block0[ids] == b0)
        b1 = int(state.block1[ids[sel[0]]])
        idx = block.centre[ids[sel], None] + block.steps[None, b0:b1]
        filled = block.window.people[idx] > 0
        last = b1 - b0 - 1 - np.argmax(filled[:, ::-1], axis=1)
        out[sel] = block.offsets.s[b0 + last]
    return out
