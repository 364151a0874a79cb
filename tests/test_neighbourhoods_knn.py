"""The k-NN engine against hand-checked cases and an independent brute force.

The brute force below restates the conventions in the plainest way: every cell's distance in
metres between midpoints, rings of equal distance, the crossing ring's share, the area-linear
radius, the origin's own cell spread evenly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from udsat.errors import UdsatError
from udsat.neighbourhoods.grid import CellTable
from udsat.neighbourhoods.knn import knn_counts

TOL = 1e-9


def table(rows, cols, people, values=None, names=("v",)) -> CellTable:
    rows, cols = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
    people = np.asarray(people, float)
    values = np.zeros((len(rows), len(names))) if values is None else np.asarray(values, float)
    order = np.lexsort((cols, rows))
    return CellTable(rows[order], cols[order], people[order], values[order], tuple(names))


def brute_force(cells: CellTable, k: int) -> dict[str, np.ndarray]:
    """Per origin: N_k, the sums, the radius, by sorting all cells by distance in metres."""
    x, y = cells.x.astype(float), cells.y.astype(float)
    n, out = len(cells), {"people": [], "radius": [], "sums": []}
    for o in range(n):
        d = np.hypot(x - x[o], y - y[o])
        rings = np.unique(np.round(d, 6))
        before, sums, d_prev, people_so_far = 0.0, np.zeros(cells.values.shape[1]), None, 0.0
        for rounded in rings:
            inside = np.isclose(d, rounded, atol=1e-6)
            ring = d[inside][0]
            total, ring_sums = cells.people[inside].sum(), cells.values[inside].sum(axis=0)
            if before + total >= k:
                f = (k - before) / total
                if ring == 0:  # the origin's own cell holds k: spread its people evenly
                    radius = 100 * math.sqrt(k / (total * math.pi))
                else:
                    prev = 100 / math.sqrt(math.pi) if d_prev == 0 else d_prev
                    radius = math.sqrt(prev**2 + f * (ring**2 - prev**2))
                people_so_far, sums = before + f * total, sums + f * ring_sums
                break
            before, sums, d_prev = before + total, sums + ring_sums, ring
        else:  # fewer than k people in the data: everyone, out to the farthest cell
            people_so_far, radius = before, d.max()
        out["people"].append(people_so_far)
        out["radius"].append(radius)
        out["sums"].append(sums)
    return {key: np.array(v) for key, v in out.items()}


def assert_matches(cells: CellTable, ks, *runs: dict) -> None:
    """knn_counts with each set of options in `runs` (default: none) equals the brute force."""
    results = [knn_counts(cells, ks, **options) for options in runs or ({},)]
    for k in ks:
        want = brute_force(cells, k)
        for got in results:
            _compare(got, want, k, cells.names)


def _compare(got, want, k: int, names) -> None:
    np.testing.assert_allclose(got[f"people_k{k}"], want["people"], rtol=0, atol=TOL)
    np.testing.assert_allclose(got[f"radius_k{k}"], want["radius"], rtol=0, atol=TOL)
    for j, name in enumerate(names):
        np.testing.assert_allclose(got[f"{name}_k{k}"], want["sums"][:, j], rtol=0, atol=TOL)
        share = want["sums"][:, j] / want["people"]
        np.testing.assert_allclose(got[f"{name}_share_k{k}"], share, rtol=0, atol=TOL)


def block_3x3() -> CellTable:
    """Nine cells of 10 people; variable v counts 1 person in the middle, 2 in each corner."""
    rows, cols = np.divmod(np.arange(9), 3)
    values = np.array([[2], [0], [2], [0], [1], [0], [2], [0], [2]])
    return table(rows + 60000, cols + 7000, [10] * 9, values)


def test_hand_checked_block():
    got = knn_counts(block_3x3(), [5, 11, 50, 90, 91]).iloc[4]  # the middle cell
    assert got["people_k5"] == 5 and got["v_k5"] == pytest.approx(0.5)
    assert got["radius_k5"] == pytest.approx(100 * math.sqrt(5 / (10 * math.pi)))  # 39.89 m
    # k = 11: own cell (10) + 1/40 of the four edge neighbours at 100 m
    self_radius2 = 100**2 / math.pi
    assert got["people_k11"] == pytest.approx(11)
    assert got["radius_k11"] == pytest.approx(
        math.sqrt(self_radius2 + (10_000 - self_radius2) / 40)
    )
    # k = 50: own cell and the whole first ring exactly; radius is the ring's distance
    assert got["people_k50"] == 50 and got["radius_k50"] == pytest.approx(100)
    assert got["v_k50"] == 1 and got["v_share_k50"] == pytest.approx(1 / 50)
    # k = 90: all nine cells, out to the corners at 141.4 m
    assert got["v_k90"] == 9 and got["radius_k90"] == pytest.approx(100 * math.sqrt(2))
    # k = 91: more than the data hold - everyone, out to the farthest cell
    assert got["people_k91"] == 90 and got["radius_k91"] == pytest.approx(100 * math.sqrt(2))


def test_corner_cell_ties_share_the_ring():
    got = knn_counts(block_3x3(), [25]).iloc[0]  # a corner: 10 own, then two cells at 100 m
    assert got["people_k25"] == 25
    # both cells of the ring give 3/4 of their people: f = (25 - 10) / 20
    assert got["v_k25"] == pytest.approx(2 + 0.75 * 0)
    assert_matches(block_3x3(), [1, 10, 25, 30, 31, 55, 89, 90, 91])


def test_gap_before_the_ring_uses_the_last_inhabited_cell():
    # origin, an empty cell, then a cell 200 m away: d_prev is the origin (equal-area radius)
    cells = table([0, 0, 0], [0, 2, 5], [3, 4, 6])
    got = knn_counts(cells, [5, 9]).iloc[0]
    self_radius2 = 100**2 / math.pi
    assert got["radius_k5"] == pytest.approx(
        math.sqrt(self_radius2 + 0.5 * (200**2 - self_radius2))
    )
    # k = 9: past the cell at 200 m (d_prev = 200 m) into the one at 500 m, 2/6 of it
    assert got["radius_k9"] == pytest.approx(math.sqrt(200**2 + (500**2 - 200**2) / 3))
    assert_matches(cells, [1, 3, 5, 7, 9, 13, 14])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_grids_match_brute_force(seed):
    rng = np.random.default_rng(seed)
    keys = np.unique(rng.integers(0, 30, 160) * 100 + rng.integers(0, 40, 160))
    people = rng.integers(1, 30, len(keys))
    values = np.stack([rng.binomial(people, 0.3), rng.binomial(people, 0.7)], axis=1)
    cells = table(keys // 100 + 61000, keys % 100 + 7000, people, values, ("a", "b"))
    ks = [1, 7, 50, 333, 1000, int(people.sum()), int(people.sum()) + 1]
    # tiny windows force the wider levels and the sort-everything fallback: same numbers
    assert_matches(cells, ks, {}, {"levels": ((2, 4), (4, 8)), "workers": 2})


def test_results_do_not_depend_on_threads_or_tiles():
    rng = np.random.default_rng(5)
    keys = np.unique(rng.integers(0, 200, 3000) * 1000 + rng.integers(0, 200, 3000))
    cells = table(keys // 1000, keys % 1000, rng.integers(1, 50, len(keys)))
    one = knn_counts(cells, [100, 1000], workers=1)
    two = knn_counts(cells, [100, 1000], workers=2, levels=((8, 16), (32, 32), (64, 64)))
    assert one.equals(two)


def test_rejects_bad_input(monkeypatch):
    monkeypatch.setenv("UDSAT_LANG", "da")
    with pytest.raises(UdsatError, match="k skal være positive"):
        knn_counts(block_3x3(), [0])
    with pytest.raises(UdsatError, match="hele tal over 0"):
        knn_counts(table([0], [0], [1.5]), [1])
    unsorted = CellTable(np.array([1, 0]), np.array([0, 0]), np.ones(2), np.zeros((2, 0)), ())
    monkeypatch.setenv("UDSAT_LANG", "en")
    with pytest.raises(UdsatError, match="unique and sorted"):
        knn_counts(unsorted, [1])
