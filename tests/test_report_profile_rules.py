"""The area profiles' status and dynamics rule (as Berlin's MSS classifies areas), at its
boundaries, and the criteria ratios it rests on, computed by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from udsat.report.profiles import (
    area_criteria,
    classify,
    dynamics_class,
    status_class,
    status_index,
)


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (1.25, "low"),  # the boundary belongs to "low"
        (1.2500000001, "low"),
        (1.2499, "medium"),
        (1.0, "medium"),
        (0.8000001, "medium"),
        (0.8, "high"),  # 1 / 1.25: the boundary belongs to "high"
        (0.7999, "high"),
        (0.5 / 0.4, "low"),  # a ratio computed a hair off 1.25 counts as on it
        (None, None),
        (float("nan"), None),
        (pd.NA, None),
    ],
)
def test_status_class_at_its_boundaries(index: object, expected: str | None) -> None:
    assert status_class(index) == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (0.05, "negative"),  # the index rose by the band: the area fell further behind
        (0.0501, "negative"),
        (0.0499, "stable"),
        (0.0, "stable"),
        (-0.0499, "stable"),
        (-0.05, "positive"),
        (-0.3, "positive"),
        (0.15 - 0.1, "negative"),  # 0.04999999999999999 in floating point
        (None, None),
        (float("nan"), None),
    ],
)
def test_dynamics_class_at_its_boundaries(change: object, expected: str | None) -> None:
    assert dynamics_class(change) == expected


def _rows(area: str, year: int, values: dict[str, float]) -> list[dict]:
    criteria = {"a1": ("income", "higher_is_worse"), "b1": ("labour", "higher_is_worse")}
    criteria["b2"] = ("labour", "higher_is_better")
    return [
        {
            "area_id": area,
            "indicator_id": ind,
            "criterion": criteria[ind][0],
            "direction": criteria[ind][1],
            "year": year,
            "value": v,
            "ci_low": v - 0.01,
            "ci_high": v + 0.01,
        }
        for ind, v in values.items()
    ]


def test_ratios_status_index_and_dynamics_by_hand() -> None:
    rows = []
    rows += _rows("x", 2023, {"a1": 0.30, "b1": 0.20, "b2": 0.60})
    rows += _rows("city", 2023, {"a1": 0.20, "b1": 0.10, "b2": 0.80})
    rows += _rows("x", 2025, {"a1": 0.33, "b1": 0.20, "b2": 0.60})
    rows += _rows("city", 2025, {"a1": 0.20, "b1": 0.10, "b2": 0.80})
    frame = area_criteria(pd.DataFrame(rows), "x")
    ratio = frame.set_index(["year", "indicator_id"])["ratio"]
    assert ratio[(2023, "a1")] == pytest.approx(1.5)
    assert ratio[(2023, "b1")] == pytest.approx(2.0)
    # higher is better: the complements, (1 - 0.6) / (1 - 0.8)
    assert ratio[(2023, "b2")] == pytest.approx(2.0)
    # income 1.5; labour mean(2.0, 2.0) = 2.0; the index is their mean
    assert status_index(frame)[2023] == pytest.approx(1.75)
    assert status_index(frame)[2025] == pytest.approx((1.65 + 2.0) / 2)
    c = classify(frame, 2025)
    assert c.status == "low"
    assert c.change == pytest.approx(0.075)
    assert c.dynamics == "negative"
    assert c.since == 2023


def test_dynamics_unknown_without_the_year_two_years_before() -> None:
    rows = _rows("x", 2025, {"a1": 0.2}) + _rows("city", 2025, {"a1": 0.2})
    c = classify(area_criteria(pd.DataFrame(rows), "x"), 2025)
    assert c.status == "medium" and c.index == pytest.approx(1.0)
    assert c.change is None and c.dynamics is None


def test_a_suppressed_value_has_no_ratio() -> None:
    rows = _rows("x", 2025, {"a1": math.nan}) + _rows("city", 2025, {"a1": 0.2})
    frame = area_criteria(pd.DataFrame(rows), "x")
    assert frame["ratio"].isna().all()
    assert classify(frame, 2025).status is None
