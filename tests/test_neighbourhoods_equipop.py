"""The engine equals EquiPop's run_knn_counts (default settings, on build_cells output) to 1e-9.

equipop is a test and benchmark extra (pyproject's dev extra), never a runtime dependency.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from udsat.contract.dataset import open_dataset
from udsat.neighbourhoods.grid import cells_from_points
from udsat.neighbourhoods.knn import knn_counts
from udsat.synth import synthesize

equipop = pytest.importorskip("equipop")

KS = [50, 500, 1000, 2000]
TOL = 1e-9


@pytest.fixture(scope="module")
def city_persons(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """A small synthetic city: one row per person, coordinates and 0/1 indicators."""
    path = tmp_path_factory.mktemp("equipop") / "city"
    synthesize(path, persons=20_000, years=(2024, 2024), seed=7, scope="copenhagen")
    con = open_dataset(path).connect()
    return con.sql(
        """SELECT a.x, a.y,
                  CAST(p.age BETWEEN 18 AND 64 AS INT) AS adults,
                  CAST(p.employed_share < 0.5 AS INT) AS not_working,
                  CAST(p.education_level = 'grundskole' AS INT) AS grundskole,
                  CAST(p.origin LIKE '%nonwestern' AS INT) AS nonwestern
           FROM persons p JOIN addresses a USING (address_id)"""
    ).df()


def compare(persons: pd.DataFrame, names: list[str], ks: list[int]) -> None:
    cells = cells_from_points(persons["x"], persons["y"], {v: persons[v] for v in names})
    ours = knn_counts(cells, ks)
    data = cells.x, cells.y  # EquiPop reads points; it snaps them to the same midpoints
    built = equipop.build_cells(persons, e_col="x", n_col="y", binary_vars=names, unit_size=100)
    theirs = equipop.run_knn_counts(built, k_values=ks, report=False)
    # Both sort cells by (easting, northing) differently: match them on the midpoints.
    theirs = theirs.set_index(["EastWest", "NorthSouth"]).loc[list(zip(*data, strict=True))]
    assert len(theirs) == len(cells)
    for k in ks:
        pairs = [(f"people_k{k}", f"N_{k}"), (f"radius_k{k}", f"Dist_{k}")]
        pairs += [(f"{v}_k{k}", f"T_{v}_{k}") for v in names]
        pairs += [(f"{v}_share_k{k}", f"R_{v}_{k}") for v in names]
        for mine, their in pairs:
            np.testing.assert_allclose(
                ours[mine].to_numpy(), theirs[their].to_numpy(), rtol=0, atol=TOL, err_msg=mine
            )


def test_synthetic_city_equals_equipop(city_persons: pd.DataFrame):
    compare(city_persons, ["adults", "not_working", "grundskole", "nonwestern"], KS)


def test_random_points_equal_equipop():
    """Two sparse clouds of random points 5 km apart: empty cells, ties, k = everyone."""
    rng = np.random.default_rng(3)
    n = 3000
    persons = pd.DataFrame(
        {
            "x": rng.uniform(720_000, 724_000, n) // 1 + rng.integers(0, 2, n) * 5_000,
            "y": rng.uniform(6_170_000, 6_173_000, n) // 1,
            "a": rng.integers(0, 2, n),
        }
    )
    compare(persons, ["a"], [1, 30, 700, 2000, n])
