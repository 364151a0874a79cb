"""Trend, projection and status on constructed series with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from udsat.monitoring.trend import Projection, project, reason, status, theil_sen

YEARS = np.arange(2015, 2026)
LINE = 10.0 - 0.5 * (YEARS - 2015)  # gap 10 in 2015 falling 0.5 a year: 0 in 2035


def test_exact_linear_series() -> None:
    p = project(YEARS, LINE)
    assert p is not None
    assert p.slope == pytest.approx(-0.5) and p.projected == pytest.approx(0.0)
    # No scatter: the slope's interval collapses on the slope, and so does the band.
    assert p.slope_low == pytest.approx(-0.5) and p.slope_high == pytest.approx(-0.5)
    assert (p.projected_low, p.projected_high) == pytest.approx((0.0, 0.0))
    assert status(p, target=5.0, higher_is_worse=True) == "on_track"


def test_outlier_does_not_move_the_theil_sen_slope() -> None:
    spiky = LINE.copy()
    # 45 of the 55 pairwise slopes are still exactly -0.5; the outlying year is below the median
    # value either way, so the median point (2020, 7.5) and the line stay put.
    spiky[9] -= 40.0
    slope, intercept, low, high = theil_sen(YEARS, spiky)
    assert slope == pytest.approx(-0.5)
    assert intercept + slope * 2035 == pytest.approx(0.0)
    assert np.polyfit(YEARS, spiky, 1)[0] < -0.5 - 0.3  # least squares would be pulled off
    assert low <= -0.5 <= high


def test_flat_series_is_off_track_against_a_halved_gap() -> None:
    p = project(YEARS, np.full(len(YEARS), 8.0))
    assert p is not None and p.slope == 0.0 and p.projected == pytest.approx(8.0)
    assert status(p, target=4.0, higher_is_worse=True) == "off_track"
    assert status(p, target=8.0, higher_is_worse=True) == "on_track"  # reaches exactly


def test_missing_years_are_left_out_not_zero() -> None:
    gappy = LINE.copy()
    gappy[[3, 4, 7]] = np.nan
    p = project(YEARS, gappy)
    assert p is not None and p.years_used == 8
    assert p.slope == pytest.approx(-0.5) and p.projected == pytest.approx(0.0)
    zeros = np.nan_to_num(gappy)  # what reading missing as 0 would do
    wrong = project(YEARS, zeros)
    assert wrong is not None and wrong.years_used == 11
    assert wrong.projected == pytest.approx(-1.5)  # the zeros drag the line down


def test_too_few_years_is_missing() -> None:
    only_two = np.full(len(YEARS), np.nan)
    only_two[[0, 5]] = (3.0, 2.0)
    assert project(YEARS, only_two) is None
    assert status(None, target=1.0, higher_is_worse=True) == "missing"
    assert "færre end 3 år" in reason("missing", None, 1.0, 2035, " pp", "da")


def test_at_risk_when_the_band_holds_the_target() -> None:
    band = Projection(8, -0.2, -0.6, 0.1, 3.0, 1.0, 5.0)
    assert status(band, target=2.0, higher_is_worse=True) == "at_risk"
    assert status(band, target=0.5, higher_is_worse=True) == "off_track"
    assert status(band, target=3.0, higher_is_worse=True) == "on_track"


def test_direction_higher_is_better() -> None:
    """Employment: the gap (vulnerable - rest) is negative; closing it means rising."""
    p = project(YEARS, -20.0 + 0.6 * (YEARS - 2015))  # -20 -> -8 in 2035
    assert p is not None and p.projected == pytest.approx(-8.0)
    assert status(p, target=-10.0, higher_is_worse=False) == "on_track"
    assert status(p, target=-5.0, higher_is_worse=False) == "off_track"


def test_noisy_series_band_contains_the_projection() -> None:
    rng = np.random.default_rng(0)
    noisy = LINE + rng.normal(0, 1.5, len(YEARS))
    p = project(YEARS, noisy)
    assert p is not None
    assert p.projected_low < p.projected_high
    assert p.slope_low < p.slope < p.slope_high
    text = reason(status(p, 2.0, True), p, 2.0, 2035, " pp", "en")
    assert "2035" in text and "the target is 2.0 pp" in text
