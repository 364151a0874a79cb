"""The designation on hand-built long tables: margins at the edge, the N rule, notes, joining."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely

from udsat.errors import DataContractError
from udsat.screening.config import CRITERIA, load_config
from udsat.screening.designate import city_reference, designate, score_indicators
from udsat.screening.join import NOT_IN_AREA, area_labels, cell_pairs, polygon_pairs

CONFIG = load_config()
DIRECTIONS = {f"{c}_ind": "higher_is_worse" for c in CRITERIA}
CITY = {f"{c}_ind": 0.2 for c in CRITERIA}


def long_from(values: dict[str, dict[str, float]], denominator: float = 100.0) -> pd.DataFrame:
    """One indicator per criterion (`<criterion>_ind`), `denominator` people per unit."""
    rows = [
        {
            "unit_id": unit,
            "indicator_id": f"{crit}_ind",
            "criterion": crit,
            "numerator": value * denominator,
            "denominator": denominator,
            "value": value,
            "residents": 1000,
        }
        for unit, per in values.items()
        for crit, value in per.items()
    ]
    return pd.DataFrame(rows)


def flagged(units: pd.DataFrame, unit: str, crit: str) -> bool:
    return bool(units.set_index("unit_id").at[unit, f"{crit}_flag"])


def test_config_defaults_are_documented_values() -> None:
    assert CONFIG.margin == 0.25 and CONFIG.min_criteria == 3 and CONFIG.flag_on == "ratio"
    assert CONFIG.k == 1000 and CONFIG.min_area_residents == 1000
    assert CONFIG.required_criteria(6) == 3
    assert CONFIG.required_criteria(3) == 2  # ceil(3 * 3 / 6)
    assert CONFIG.required_criteria(2) == 1  # ceil(3 * 2 / 6)


def test_ratio_exactly_at_the_margin_is_flagged_just_below_is_not() -> None:
    # City average 0.2: 0.25 is exactly 25 % worse (ratio 1.25), 0.2499 is just below.
    long = long_from(
        {"at": {"income": 0.25}, "below": {"income": 0.2499}, "above": {"income": 0.2501}}
    )
    units = designate(long, DIRECTIONS, CONFIG, reference=CITY)
    ratios = units.set_index("unit_id")["income_ratio"]
    assert ratios["at"] == pytest.approx(1.25)
    assert flagged(units, "at", "income") is True
    assert flagged(units, "below", "income") is False
    assert flagged(units, "above", "income") is True


def test_higher_is_better_uses_the_complement_share() -> None:
    # Employed share: city 0.8, unit 0.75 -> not employed 0.25 vs 0.2 = ratio 1.25 (flagged);
    # unit 0.76 -> 0.24 / 0.2 = 1.2 (not flagged).
    directions = {"labour_ind": "higher_is_better"}
    long = long_from({"a": {"labour": 0.75}, "b": {"labour": 0.76}})
    units = designate(long, directions, CONFIG, reference={"labour_ind": 0.8})
    by = units.set_index("unit_id")
    assert by.at["a", "labour_ratio"] == pytest.approx(1.25)
    assert by.at["b", "labour_ratio"] == pytest.approx(1.2)
    assert flagged(units, "a", "labour") and not flagged(units, "b", "labour")
    assert by.at["a", "labour_value"] == pytest.approx(0.25)  # the unfavourable share


def test_n_criteria_rule_at_the_threshold() -> None:
    worse, fine = 0.3, 0.1  # ratios 1.5 and 0.5 against 0.2
    three = {c: (worse if i < 3 else fine) for i, c in enumerate(CRITERIA)}
    two = {c: (worse if i < 2 else fine) for i, c in enumerate(CRITERIA)}
    units = designate(long_from({"three": three, "two": two}), DIRECTIONS, CONFIG, reference=CITY)
    by = units.set_index("unit_id")
    assert by.at["three", "criteria_flagged"] == 3 and by.at["three", "criteria_required"] == 3
    assert bool(by.at["three", "vulnerable"]) is True
    assert by.at["two", "criteria_flagged"] == 2
    assert bool(by.at["two", "vulnerable"]) is False
    assert by.at["three", "criteria"] == "income;education;labour"


def test_rule_scales_when_criteria_are_missing() -> None:
    # Only income, education, labour available: ceil(3 * 3 / 6) = 2 flags suffice.
    long = long_from({"u": {"income": 0.3, "education": 0.3, "labour": 0.1}})
    units = designate(long, DIRECTIONS, CONFIG, reference=CITY)
    row = units.iloc[0]
    assert row["criteria_available"] == 3 and row["criteria_required"] == 2
    assert bool(row["vulnerable"]) is True
    assert pd.isna(row["health_flag"]) and pd.isna(row["health_ratio"])


def test_several_indicators_of_a_criterion_are_averaged() -> None:
    # Two labour indicators with ratios 1.5 and 1.0: the criterion's ratio is 1.25 -> flagged.
    long = pd.DataFrame(
        {
            "unit_id": ["u", "u"],
            "indicator_id": ["outside", "support"],
            "criterion": ["labour", "labour"],
            "numerator": [30.0, 10.0],
            "denominator": [100.0, 100.0],
            "value": [0.3, 0.1],
            "residents": [1000, 1000],
        }
    )
    directions = {"outside": "higher_is_worse", "support": "higher_is_worse"}
    units = designate(long, directions, CONFIG, reference={"outside": 0.2, "support": 0.1})
    assert units.at[0, "labour_ratio"] == pytest.approx(1.25)
    assert bool(units.at[0, "labour_flag"]) is True


def test_city_reference_and_z_by_hand() -> None:
    long = pd.DataFrame(
        {
            "unit_id": ["a", "b", "c"],
            "indicator_id": "x",
            "criterion": "income",
            "numerator": [10.0, 30.0, 60.0],
            "denominator": [100.0, 100.0, 200.0],
            "value": [0.1, 0.3, 0.3],
        }
    )
    assert city_reference(long)["x"] == pytest.approx(100 / 400)
    scored = score_indicators(long, {"x": "higher_is_worse"})
    # sd = sqrt((100*0.15^2 + 100*0.05^2 + 200*0.05^2) / 400)
    sd = math.sqrt((100 * 0.15**2 + 100 * 0.05**2 + 200 * 0.05**2) / 400)
    assert scored["z"].tolist() == pytest.approx([-0.15 / sd, 0.05 / sd, 0.05 / sd])
    z_config = CONFIG.varied(flag_on="z", z_margin=0.05 / sd)
    units = designate(long, {"x": "higher_is_worse"}, z_config)
    assert units["income_flag"].tolist() == [False, True, True]  # z exactly at the margin


def test_notes_stop_blind_designation() -> None:
    worse = {c: 0.3 for c in CRITERIA}
    long = long_from({"students": worse, "limit": worse, "few": worse, "old": worse})
    info = pd.DataFrame(
        {
            "unit_id": ["students", "limit", "few", "old"],
            "residents": [1000, 1000, 99, 1000],
            "student_share": [0.36, 0.35, 0.1, 0.1],
            "age_band_share": [0.3, 0.3, 0.3, 0.51],
        }
    )
    units = designate(long, DIRECTIONS, CONFIG, reference=CITY, unit_info=info).set_index("unit_id")
    assert units.at["students", "note"] == "students"
    assert units.at["limit", "note"] == ""  # exactly at the limit: not noted ("more than")
    assert units.at["few", "note"] == "few_residents"
    assert units.at["old", "note"] == "age_band"
    assert units["meets_rule"].all()
    assert units["vulnerable"].to_dict() == {
        "students": False,
        "limit": True,
        "few": False,
        "old": False,
    }


def test_bad_long_table_names_column_and_rows() -> None:
    long = long_from({"u": {"income": 0.3}})
    with pytest.raises(DataContractError) as err:
        designate(long.drop(columns="value"), DIRECTIONS, CONFIG, source="ind.parquet")
    assert err.value.problems[0].column == "value" and err.value.problems[0].file == "ind.parquet"
    with pytest.raises(DataContractError) as err:
        designate(pd.concat([long, long]), DIRECTIONS, CONFIG)
    assert err.value.problems[0].rule == "duplicate"
    assert "unit_id=u" in err.value.problems[0].examples[0]
    with pytest.raises(DataContractError) as err:
        designate(long, {}, CONFIG)
    assert err.value.problems[0].rule == "no_direction"


def test_joined_areas_need_1000_residents() -> None:
    # Row 0: cells 0-2 adjacent (400 + 300 + 300 = 1000: an area); row 5: 999 (not an area).
    rows = np.array([0, 0, 0, 5, 5, 9])
    cols = np.array([0, 1, 2, 0, 1, 9])
    residents = np.array([400, 300, 300, 500, 499, 5000])
    vulnerable = np.array([True, True, True, True, True, False])
    labels = area_labels(vulnerable, residents, cell_pairs(rows, cols), 1000)
    assert labels.tolist() == [0, 0, 0, NOT_IN_AREA, NOT_IN_AREA, NOT_IN_AREA]


def test_rook_and_queen_adjacency() -> None:
    rows, cols = np.array([0, 1]), np.array([0, 1])  # corner to corner
    residents, vulnerable = np.array([600, 600]), np.array([True, True])
    rook = area_labels(vulnerable, residents, cell_pairs(rows, cols, "rook"), 1000)
    queen = area_labels(vulnerable, residents, cell_pairs(rows, cols, "queen"), 1000)
    assert rook.tolist() == [NOT_IN_AREA, NOT_IN_AREA]
    assert queen.tolist() == [0, 0]


def test_touching_polygons_join() -> None:
    squares = np.array([shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(5, 5, 6, 6)])
    pairs = polygon_pairs(squares)
    assert pairs.tolist() == [[0, 1]]
    labels = area_labels(np.array([True, True, True]), np.array([500, 500, 2000]), pairs, 1000)
    assert labels.tolist() == [0, 0, 1]
