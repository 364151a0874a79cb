"""The address-point k-NN engine against hand-checked cases, a brute force and the cell engine.

The brute force restates the conventions plainly: every address's squared distance, rings of
equal distance, the crossing ring's share, the area-linear radius from the previous ring (0 for
the origin's own point).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from udsat.errors import UdsatError
from udsat.neighbourhoods.grid import cells_from_points
from udsat.neighbourhoods.knn import knn_counts
from udsat.neighbourhoods.points import knn_points

TOL = 1e-9


def brute_force(x, y, people, values, ox, oy, k: int) -> dict[str, np.ndarray]:
    """Per origin: N_k, the sums and the radius, by sorting every inhabited address."""
    keep = people > 0
    x, y, people, values = x[keep], y[keep], people[keep], values[keep]
    out = {"people": [], "radius": [], "sums": []}
    for a, b in zip(ox, oy, strict=True):
        d2 = (x - a) ** 2 + (y - b) ** 2
        before, sums, prev2 = 0.0, np.zeros(values.shape[1]), 0.0
        for ring2 in np.unique(d2):
            inside = d2 == ring2
            total = people[inside].sum()
            if before + total >= k:
                f = (k - before) / total
                radius = math.sqrt(prev2 + f * (ring2 - prev2))
                before, sums = before + f * total, sums + f * values[inside].sum(axis=0)
                break
            before, sums, prev2 = before + total, sums + values[inside].sum(axis=0), ring2
        else:  # fewer than k people: everyone, out to the farthest address
            radius = math.sqrt(d2.max())
        out["people"].append(before)
        out["radius"].append(radius)
        out["sums"].append(sums)
    return {key: np.array(v) for key, v in out.items()}


def random_points(seed: int, n: int = 60, side: int = 7):
    """Integer coordinates on a small square (many ties, shared points), a fifth empty."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, side, n).astype(float) * 10
    y = rng.integers(0, side, n).astype(float) * 10
    people = rng.integers(1, 9, n).astype(float) * (rng.random(n) > 0.2)
    values = {"a": rng.integers(0, 4, n) * 1.0, "b": rng.random(n)}
    return x, y, people, values


def assert_brute(x, y, people, values, ks, **options) -> None:
    got = knn_points(x, y, people, values, ks, **options)
    matrix = np.column_stack(list(values.values()))
    ox, oy = got["x"].to_numpy(), got["y"].to_numpy()
    for k in ks:
        want = brute_force(x, y, people, matrix, ox, oy, k)
        np.testing.assert_allclose(got[f"people_k{k}"], want["people"], rtol=0, atol=TOL)
        np.testing.assert_allclose(got[f"radius_k{k}"], want["radius"], rtol=0, atol=TOL)
        for j, name in enumerate(values):
            np.testing.assert_allclose(got[f"{name}_k{k}"], want["sums"][:, j], atol=TOL)
            share = want["sums"][:, j] / want["people"]
            np.testing.assert_allclose(got[f"{name}_share_k{k}"], share, atol=TOL)


@pytest.mark.parametrize("seed", range(6))
def test_random_points_with_ties_and_empty_addresses(seed: int):
    x, y, people, values = random_points(seed)
    # batch=1 forces the tree's first guess of neighbours to be widened for most origins.
    assert_brute(x, y, people, values, [1, 3, 10, 25, 80, 1000])
    assert_brute(x, y, people, values, [7, 40], batch=1, workers=1)


def test_random_real_coordinates_and_given_origins():
    rng = np.random.default_rng(5)
    x, y = rng.random(200) * 1000, rng.random(200) * 1000
    people = rng.integers(0, 12, 200).astype(float)
    values = {"v": rng.integers(0, 5, 200).astype(float)}
    assert_brute(x, y, people, values, [5, 50, 300])
    ox, oy = rng.random(30) * 1000, rng.random(30) * 1000
    assert_brute(x, y, people, values, [5, 50, 300], origins_x=ox, origins_y=oy)


def line():
    """Four addresses on a line at 0, 10, 20, 40 m with 2, 4, 6, 8 people; v = 1, 0, 3, 8."""
    x = np.array([0.0, 10.0, 20.0, 40.0])
    return x, np.zeros(4), np.array([2.0, 4.0, 6.0, 8.0]), {"v": np.array([1.0, 0.0, 3.0, 8.0])}


def test_four_addresses_on_a_line_by_hand():
    got = knn_points(*line(), ks=[1, 2, 4, 8, 12, 20])
    first = got.iloc[0]  # the origin at 0 m
    assert first["people_k1"] == 1 and first["radius_k1"] == 0 and first["v_k1"] == 0.5
    assert first["people_k2"] == 2 and first["radius_k2"] == 0 and first["v_k2"] == 1
    # k = 4: own 2 people, then half of the 4 at 10 m: radius sqrt(0.5) x 10 m.
    assert first["v_k4"] == 1 and first["radius_k4"] == pytest.approx(math.sqrt(50))
    # k = 12: 2 + 4 + all 6 at 20 m: radius 20 m; v = 1 + 0 + 3.
    assert first["v_k12"] == 4 and first["radius_k12"] == pytest.approx(20)
    second = got.iloc[1]  # origin at 10 m: the addresses at 0 and 20 m are one ring (a tie)
    # k = 12: own 4, then 8 of the ring's 8 people at 10 m: all of it, v = 0 + 1 + 3.
    assert second["v_k12"] == 4 and second["radius_k12"] == pytest.approx(10)
    # k = 8: own 4, then half of the ring: each of its addresses by the same half.
    assert second["v_k4"] == 0 and second["v_k8"] == pytest.approx(2)
    assert second["radius_k8"] == pytest.approx(math.sqrt(50))
    # k = 20 = everyone: the last ring, the address at 40 m (30 m away), from 10 m.
    assert second["people_k20"] == 20 and second["radius_k20"] == pytest.approx(30)


def test_k_beyond_everyone():
    got = knn_points(*line(), ks=[21, 1000])
    for k in (21, 1000):
        assert (got[f"people_k{k}"] == 20).all() and (got[f"v_k{k}"] == 12).all()
    np.testing.assert_allclose(got["radius_k1000"], [40, 30, 20, 40])


def test_empty_addresses_are_no_origins_and_add_nothing():
    x, y, people, values = line()
    more = knn_points(
        np.append(x, 5.0), np.append(y, 0), np.append(people, 0), {"v": np.append(values["v"], 9)}
    )
    assert list(more["index"]) == [0, 1, 2, 3]
    assert more.equals(knn_points(x, y, people, values))


def test_deterministic_across_batches_and_workers():
    x, y, people, values = random_points(9, n=300, side=15)
    runs = [
        knn_points(x, y, people, values, [10, 100], batch=b, workers=w)
        for b, w in ((1 << 21, -1), (50, 1), (7, 2), (1 << 21, -1))
    ]
    for run in runs[1:]:
        assert run.equals(runs[0])


def test_equal_to_the_cell_engine_when_people_sit_at_cell_centres():
    rng = np.random.default_rng(3)
    n = 4000
    x = (rng.integers(0, 30, n) * 100 + 50).astype(float)
    y = (rng.integers(0, 20, n) * 100 + 50).astype(float)
    values = {"a": (rng.random(n) < 0.3).astype(float), "b": rng.random(n)}
    ks = [1, 10, 250, 3000, 5000]
    cells = knn_counts(cells_from_points(x, y, values), ks)
    xy = np.unique(np.column_stack([x, y]), axis=0, return_inverse=True)
    centres, inverse = xy[0], xy[1].ravel()
    people = np.bincount(inverse).astype(float)
    sums = {v: np.bincount(inverse, weights=values[v]) for v in values}
    points = knn_points(centres[:, 0], centres[:, 1], people, sums, ks)
    merged = cells.merge(points, on=["x", "y"], suffixes=("", "_pt"))
    assert len(merged) == len(cells) == len(points)
    for k in ks:
        for col in [f"people_k{k}", f"a_k{k}", f"b_k{k}", f"b_share_k{k}"]:
            np.testing.assert_allclose(merged[col], merged[col + "_pt"], rtol=0, atol=TOL)


def test_bad_input(monkeypatch):
    monkeypatch.setenv("UDSAT_LANG", "en")
    x, y, people, values = line()
    with pytest.raises(UdsatError, match="people per address"):
        knn_points(x, y, people - 3, values)
    with pytest.raises(UdsatError, match="equal lengths"):
        knn_points(x, y[:2], people, values)
    with pytest.raises(UdsatError, match="no addresses with people"):
        knn_points(x, y, people * 0, values)
    with pytest.raises(UdsatError, match="k must be positive"):
        knn_points(x, y, people, values, ks=[0])


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory):
    from udsat.synth import synthesize

    path = tmp_path_factory.mktemp("nbp") / "city"
    synthesize(path, persons=20_000, years=(2024, 2024), seed=11, scope="copenhagen")
    return path


def test_cli_address_origins(city, tmp_path, monkeypatch):
    import geopandas as gpd
    import pandas as pd
    from typer.testing import CliRunner

    from udsat.cli import app

    monkeypatch.setenv("UDSAT_LANG", "en")
    runner, out = CliRunner(), tmp_path / "nb.parquet"
    args = ["neighbourhoods", "--data", str(city), "--origins", "addresses", "--k", "500"]
    result = runner.invoke(app, [*args, "--k", "1000", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "inhabited addresses, k = 500, 1,000" in result.output
    frame = pd.read_parquet(out)
    # By their point: the input's address ids never reach an output (the privacy scan).
    assert "address_id" not in frame.columns and set(frame["year"]) == {2024}
    assert (frame["people_k1000"] == 1000).all()
    assert not {"people", "adults_18_64", "row", "col", "index"} & set(frame.columns)
    gpkg = tmp_path / "nb.gpkg"
    result = runner.invoke(app, [*args, "--out", str(gpkg)])
    assert result.exit_code == 0, result.output
    points = gpd.read_file(gpkg, layer="neighbourhoods")
    assert (points.geom_type == "Point").all() and len(points) == len(frame)
    result = runner.invoke(app, [*args, "--out", str(gpkg), "--flag", "adults_18_64_share_k500"])
    assert result.exit_code != 0 and "--origins cells" in result.output
    result = runner.invoke(app, [*args[:-2], "--origins", "dwellings", "--out", str(gpkg)])
    assert result.exit_code != 0 and "cells or addresses" in result.output
