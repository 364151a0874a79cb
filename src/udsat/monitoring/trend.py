"""Robust trend of a gap series, its projection to the target year, and the goal status.

Trend: the Theil-Sen slope (scipy.stats.theilslopes: the median of all pairwise slopes, robust to
a few outlying years) with its confidence interval. Projection: the Theil-Sen line to the target
year. Uncertainty band: the line through the series' median point (median year, median value)
with the lower and the upper slope limit, carried to the target year; it covers the uncertainty
of the trend, not the noise of a single future year.

Status, in terms of the disadvantage (the gap signed so that larger is worse for the vulnerable
areas): on_track when the projected disadvantage reaches the target; at_risk when it does not but
the band contains the target; off_track when the whole band misses it; missing when fewer than
`min_years` years are known. Missing years are left out of the fit, never read as zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import theilslopes

from udsat.i18n import number
from udsat.monitoring.messages import msg

MIN_YEARS = 3
STATUSES = ("on_track", "at_risk", "off_track", "missing")


@dataclass(frozen=True)
class Projection:
    years_used: int
    slope: float
    slope_low: float
    slope_high: float
    projected: float
    projected_low: float
    projected_high: float


def theil_sen(
    years: npt.ArrayLike, values: npt.ArrayLike, confidence: float = 0.95
) -> tuple[float, float, float, float]:
    """(slope, intercept, slope_low, slope_high) over the known (non-NaN) points."""
    x, y = _known(years, values)
    slope, intercept, low, high = theilslopes(y, x, alpha=confidence)
    return float(slope), float(intercept), float(low), float(high)


def _known(years: npt.ArrayLike, values: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(years, float), np.asarray(values, float)
    ok = np.isfinite(x) & np.isfinite(y)
    return x[ok], y[ok]


def project(
    years: npt.ArrayLike,
    values: npt.ArrayLike,
    target_year: int = 2035,
    confidence: float = 0.95,
    min_years: int = MIN_YEARS,
) -> Projection | None:
    """The Theil-Sen projection to `target_year` with its band; None with too few known years."""
    x, y = _known(years, values)
    if len(x) < min_years:
        return None
    slope, intercept, low, high = theilslopes(y, x, alpha=confidence)
    x_mid, y_mid = float(np.median(x)), float(np.median(y))
    ends = sorted(y_mid + s * (target_year - x_mid) for s in (low, high))
    return Projection(
        years_used=len(x),
        slope=float(slope),
        slope_low=float(low),
        slope_high=float(high),
        projected=float(intercept + slope * target_year),
        projected_low=float(ends[0]),
        projected_high=float(ends[1]),
    )


def status(projection: Projection | None, target: float, higher_is_worse: bool) -> str:
    """on_track / at_risk / off_track / missing for a gap whose target is `target`."""
    if projection is None or not np.isfinite(target):
        return "missing"
    sign = 1.0 if higher_is_worse else -1.0
    projected = sign * projection.projected
    low, high = sorted((sign * projection.projected_low, sign * projection.projected_high))
    goal = sign * target
    if projected <= goal:
        return "on_track"
    if low <= goal <= high:
        return "at_risk"
    return "off_track"


def reason(
    state: str,
    projection: Projection | None,
    target: float,
    target_year: int,
    unit: str,
    lang: str | None = None,
) -> str:
    """Why the status is what it is, with the numbers, in the user's language."""
    if projection is None:
        return msg("status_missing", lang, min_years=MIN_YEARS, year=target_year)

    def fmt(value: float) -> str:
        return f"{number(value, lang, 1)}{unit}"

    return msg(
        f"status_{state}",
        lang,
        year=target_year,
        projected=fmt(projection.projected),
        low=fmt(projection.projected_low),
        high=fmt(projection.projected_high),
        target=fmt(target),
        slope=fmt(projection.slope),
        n=projection.years_used,
    )
