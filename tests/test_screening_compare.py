"""Comparison with an earlier designation and the stability score, on hand-built squares."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from udsat.contract.schemas import CRS
from udsat.screening.compare import compare, normalise
from udsat.screening.config import load_config
from udsat.screening.join import NOT_IN_AREA
from udsat.screening.robustness import area_stability, rule_variants

CONFIG = load_config()


def squares(boxes: list[tuple[float, float, float, float]], **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=[shapely.box(*b) for b in boxes], crs=CRS)


def test_enter_leave_same_changed_with_exact_overlaps() -> None:
    # New: A = [0,100]x[0,100] (same as earlier E1), B = [200,300]x[0,100] (half over E2),
    # C = [500,600]x[0,100] (nothing earlier). Earlier: E1 = A, E2 = [250,400]x[0,100],
    # E3 = [800,900]x[0,100] (nothing new).
    new = squares(
        [(0, 0, 100, 100), (200, 0, 300, 100), (500, 0, 600, 100)],
        area_id=["A", "B", "C"],
        name=["a", "b", "c"],
        criteria=["income;labour", "education", ""],
    )
    earlier = normalise(
        squares(
            [(0, 0, 100, 100), (250, 0, 400, 100), (800, 0, 900, 100)],
            unit_id=["E1", "E2", "E3"],
            name=["e1", "e2", "e3"],
        )
    )
    # Residents: A 100 at one point; B 60 left of x=250 and 40 right; C 50; E2 beyond B 200;
    # E3 30.
    points = pd.DataFrame(
        {
            "x": [50, 220, 270, 550, 350, 850],
            "y": [50] * 6,
            "residents": [100, 60, 40, 50, 200, 30],
        }
    )
    units = pd.DataFrame(
        {
            "x": [850.0],
            "y": [50.0],
            "residents": [30.0],
            "criteria_flagged": [2],
            "designated": [False],
        }
    )
    table = compare(new, earlier, points, units, CONFIG, "earlier").set_index("area_id")
    assert table.at["A", "change"] == "same"
    assert table.at["A", "overlap_residents_share"] == 1.0
    assert table.at["A", "overlap_area_share"] == pytest.approx(1.0)
    # B: 40 of 100 residents in E2 (< 50 %): enters; half its area overlaps.
    assert table.at["B", "change"] == "enter"
    assert table.at["B", "overlap_residents_share"] == pytest.approx(0.4)
    assert table.at["B", "overlap_area_m2"] == 5000
    assert table.at["B", "overlap_area_share"] == pytest.approx(0.5)
    assert table.at["C", "change"] == "enter" and table.at["C", "overlap_residents"] == 0
    # E2: 40 of 240 residents in a new area: leaves; E3 leaves; E1 stays (it is A).
    assert table.at["earlier:E2", "change"] == "leave"
    assert table.at["earlier:E2", "overlap_residents_share"] == pytest.approx(40 / 240)
    assert table.at["earlier:E3", "change"] == "leave"
    assert "earlier:E1" not in table.index
    assert "2,0 kriterier" in table.at["earlier:E3", "reason_da"]
    assert "indkomstniveau" in table.at["A", "reason_da"]
    assert "labour-market attachment" in table.at["A", "reason_en"]


def test_changed_when_the_outline_moves() -> None:
    # New area over E plus as many residents again outside: 100 % of E is covered, but only
    # 60 % of the new area's residents were in E: changed, not same.
    new = squares([(0, 0, 200, 100)], area_id=["A"], name=["a"], criteria=["income"])
    earlier = normalise(squares([(0, 0, 100, 100)], unit_id=["E"], name=["e"]))
    points = pd.DataFrame({"x": [50, 150], "y": [50, 50], "residents": [60, 40]})
    units = pd.DataFrame(
        {"x": [], "y": [], "residents": [], "criteria_flagged": [], "designated": []}
    )
    table = compare(new, earlier, points, units, CONFIG, "e")
    assert table["change"].tolist() == ["changed"]
    assert table.at[0, "overlap_residents_share"] == pytest.approx(0.6)


def test_rule_variants_are_the_documented_grid() -> None:
    variants = rule_variants(CONFIG)
    assert len(variants) == 9
    assert sorted({round(v.margin, 2) for v in variants}) == [0.2, 0.25, 0.3]
    assert sorted({v.min_criteria for v in variants}) == [2, 3, 4]
    top = CONFIG.varied(min_criteria=6)
    assert sorted({v.min_criteria for v in rule_variants(top)}) == [5, 6]  # clamped to 1..6


def test_area_stability_by_resident_overlap() -> None:
    # Base areas: 0 = units 0-1 (100 + 100 residents), 1 = unit 2 (50).
    labels = np.array([0, 0, 1, NOT_IN_AREA])
    residents = np.array([100.0, 100.0, 50.0, 10.0])
    variants = [
        np.array([True, True, True, False]),  # both stay
        np.array([True, False, False, True]),  # area 0: exactly 50 % (stays); area 1 gone
        np.array([False, False, True, True]),  # area 0 gone
        np.array([False, True, False, False]),  # area 0 at 50 % again
    ]
    score = area_stability(labels, residents, variants, 0.5)
    assert score.tolist() == [0.75, 0.5]


def test_fast_variant_masks_equal_flag_units_on_real_data() -> None:
    from pathlib import Path

    from udsat.runlog import RunLog
    from udsat.screening.aggregate import long_table, read_aggregate, unit_info
    from udsat.screening.designate import criterion_table, flag_units, score_indicators
    from udsat.screening.robustness import vulnerable_under_rules

    roder = Path(__file__).parents[1] / "src/udsat/data/kk/socio_roder_2008_2014.csv"
    frame = read_aggregate(roder, CONFIG)
    rows = frame[frame["year"] == 2011].reset_index(drop=True)
    directions = {i.indicator_id: i.direction for i in CONFIG.aggregate_indicators}
    wide = criterion_table(score_indicators(long_table(rows, CONFIG, RunLog()), directions), CONFIG)
    info = unit_info(rows, CONFIG)
    fast = vulnerable_under_rules(wide, CONFIG, info)
    slow = [flag_units(wide, v, info)["vulnerable"].to_numpy(bool) for v in rule_variants(CONFIG)]
    assert len(fast) == 9
    for a, b in zip(fast, slow, strict=True):
        assert np.array_equal(a, b)
    assert len({int(m.sum()) for m in fast}) > 3  # the variations really differ
