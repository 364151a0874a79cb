"""Where each origin's neighbourhood crosses k: the ring search of the k-NN engine.

For one window and a batch of origins in it, walk the offsets in distance order, block by block,
with a running sum of people per origin; for every k record the *crossing ring* (the first ring
whose cumulative people reach k). Only origins still short of the largest k take part in the
next block, so a dense city is settled after a few dozen offsets and a village after thousands.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from udsat.neighbourhoods.rings import Offsets, Window


@dataclass
class Crossing:
    """Per k (axis 0) and origin (axis 1), the ring where the people reached cross k.

    `first` / `last`: positions of the ring's offsets (-1: not crossed within the window);
    `before`: people in the rings before it; `total`: people in the ring;
    `s_prev`: s of the nearest inhabited offset before the ring (0 when that is the origin).
    """

    first: np.ndarray
    last: np.ndarray
    before: np.ndarray
    total: np.ndarray
    s_prev: np.ndarray

    @classmethod
    def empty(cls, nk: int, n: int) -> Crossing:
        return cls(
            first=np.full((nk, n), -1, np.int64),
            last=np.full((nk, n), -1, np.int64),
            before=np.zeros((nk, n)),
            total=np.zeros((nk, n)),
            s_prev=np.zeros((nk, n), np.int64),
        )


def find_crossings(
    window: Window, centre: np.ndarray, offsets: Offsets, ks: tuple[float, ...]
) -> Crossing:
    """The crossing ring of every k for every origin (flat window index `centre`).

    An origin whose cumulative people stay below max(ks) within the offsets keeps first = -1
    for the k it did not reach; the caller retries it with a wider window.
    """
    n = len(centre)
    out = Crossing.empty(len(ks), n)
    steps = offsets.linear(window.width)
    carry = np.zeros(n)  # people in all earlier blocks
    last_s = np.zeros(n, np.int64)  # s of the farthest inhabited offset seen so far
    active = np.arange(n)
    for b0, b1 in offsets.blocks:
        if not len(active):
            break
        cum = np.take(window.people, centre[active, None] + steps[None, b0:b1])
        np.cumsum(cum, axis=1, out=cum)
        cum += carry[active, None]
        for i, k in enumerate(ks):
            _record(out, i, k, cum, active, (b0, offsets), carry, last_s)
        _advance_last_s(cum, active, carry, last_s, offsets.s[b0:b1])
        active = active[cum[:, -1] < ks[-1]]
    return out


def _record(
    out: Crossing,
    i: int,
    k: float,
    cum: np.ndarray,
    active: np.ndarray,
    where: tuple[int, Offsets],
    carry: np.ndarray,
    last_s: np.ndarray,
) -> None:
    """Record k's crossing ring for the origins whose running sum reaches k in this block."""
    b0, offsets = where
    new = np.flatnonzero((cum[:, -1] >= k) & (out.first[i, active] < 0))
    if not len(new):
        return
    ids, c = active[new], cum[new]
    span = np.arange(len(new))
    pos = b0 + np.argmax(c >= k, axis=1)
    first, last = offsets.ring_first[pos], offsets.ring_last[pos]
    # Blocks hold whole rings, so the ring starts in this block (first >= b0).
    before = np.where(first > b0, c[span, np.maximum(first - b0 - 1, 0)], carry[ids])
    # The nearest inhabited offset before the ring is where the running sum first equals
    # `before`; when nothing was added in this block before the ring it lies in an earlier one.
    reach = b0 + np.argmax(c >= before[:, None], axis=1)
    out.s_prev[i, ids] = np.where(before > carry[ids], offsets.s[reach], last_s[ids])
    out.first[i, ids], out.last[i, ids] = first, last
    out.before[i, ids] = before
    out.total[i, ids] = c[span, last - b0] - before


def _advance_last_s(
    cum: np.ndarray, active: np.ndarray, carry: np.ndarray, last_s: np.ndarray, s: np.ndarray
) -> None:
    """Carry each origin's running sum and farthest inhabited offset into the next block."""
    end = cum[:, -1]
    grown = np.flatnonzero(end > carry[active])
    if len(grown):
        at = np.argmax(cum[grown] >= end[grown, None], axis=1)
        last_s[active[grown]] = s[at]
    carry[active] = end
