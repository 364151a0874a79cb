"""Interval estimates, direct standardisation and empirical-Bayes shrinkage (pure numpy).

Every function is vectorised over units; docs/indicators.md states the formulas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats


def z_value(confidence: float) -> float:
    """The two-sided normal quantile: 1.96 for 0.95."""
    return float(stats.norm.ppf(0.5 + confidence / 2))


def wilson(p: np.ndarray, n: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a share p out of n (n may be fractional: full-time persons,
    effective sample sizes); NaN where n <= 0."""
    p, n = np.asarray(p, float), np.asarray(n, float)
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    ok = n > 0
    low = np.where(ok, np.clip(centre - half, 0, 1), np.nan)
    high = np.where(ok, np.clip(centre + half, 0, 1), np.nan)
    return low, high


def kish(sum_w: npt.ArrayLike, sum_w2: npt.ArrayLike) -> np.ndarray:
    """Kish's effective sample size (sum w)^2 / sum w^2; 0 without respondents."""
    sum_w, sum_w2 = np.asarray(sum_w, float), np.asarray(sum_w2, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sum_w2 > 0, sum_w * sum_w / sum_w2, 0.0)


@dataclass
class Standardised:
    value: np.ndarray  # directly standardised share per unit
    low: np.ndarray
    high: np.ndarray
    filled: np.ndarray  # standard-population weight of strata the unit has no people in


def direct_standardise(
    cases: np.ndarray,
    people: np.ndarray,
    standard: np.ndarray,
    confidence: float,
    standard_cases: np.ndarray,
) -> Standardised:
    """Direct standardisation of shares: units x strata `cases` and `people`; `standard` people
    and `standard_cases` per stratum (the standard population, e.g. the whole city).

    DSR = sum_s w_s r_s, w_s = standard share of stratum s, r_s = cases / people in the unit.
    A stratum without people in the unit takes the standard population's own rate (neutral, so
    weights still sum to 1); `filled` reports the weight so filled. Interval: Fay & Feuer's gamma
    interval (1997) on the observed part, the filled part added as a constant; clipped to [0, 1].
    """
    cases, people = np.asarray(cases, float), np.asarray(people, float)
    standard = np.asarray(standard, float)
    w = standard / standard.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        std_rate = np.where(standard > 0, np.asarray(standard_cases, float) / standard, 0.0)
        has = people > 0
        rate = np.where(has, cases / np.where(has, people, 1.0), 0.0)
    observed = (w * rate).sum(axis=1)
    fill = (w * std_rate * ~has).sum(axis=1)
    var = (np.where(has, w * w * cases / np.where(has, people, 1.0) ** 2, 0.0)).sum(axis=1)
    wm = np.where(has, w / np.where(has, people, 1.0), 0.0).max(axis=1)
    low, high = fay_feuer(observed, var, wm, confidence)
    none = ~has.any(axis=1)
    value = np.where(none, np.nan, observed + fill)
    return Standardised(
        value=value,
        low=np.where(none, np.nan, np.clip(low + fill, 0, 1)),
        high=np.where(none, np.nan, np.clip(high + fill, 0, 1)),
        filled=(w * ~has).sum(axis=1),
    )


def fay_feuer(
    y: np.ndarray, var: np.ndarray, wm: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """Fay & Feuer (1997) gamma interval for a weighted sum of Poisson counts y with variance
    `var` and largest weight `wm`."""
    alpha = 1 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(
            (y > 0) & (var > 0),
            var / (2 * y) * stats.chi2.ppf(alpha / 2, 2 * y * y / var),
            0.0,
        )
        v2, y2 = var + wm * wm, y + wm
        high = np.where(v2 > 0, v2 / (2 * y2) * stats.chi2.ppf(1 - alpha / 2, 2 * y2 * y2 / v2), 0)
    return np.nan_to_num(low), np.nan_to_num(high)


@dataclass
class Shrunk:
    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    factor: np.ndarray  # B_i: weight of the unit's own value (0 = the district value)
    tau2: float  # between-unit variance around the district means


def shrink(
    raw: np.ndarray,
    n: np.ndarray,
    target: np.ndarray,
    target_n: np.ndarray,
    confidence: float,
) -> Shrunk:
    """Normal-normal empirical Bayes towards each unit's district share.

    raw p_i with effective sample size n_i (NaN / 0 without respondents); target m_i = the
    district's weighted share, with effective size target_n_i. Sampling variance
    s_i = m_i (1 - m_i) / n_i. Between-unit variance by the method of moments (Marshall 1991,
    pooled over districts): tau^2 = max(0, [sum n_i (p_i - m_i)^2 - sum m_i (1 - m_i)] / sum n_i).
    B_i = tau^2 / (tau^2 + s_i); value = m_i + B_i (p_i - m_i); variance
    B_i s_i + (1 - B_i)^2 m_i (1 - m_i) / target_n_i; normal interval clipped to [0, 1].
    Units without respondents get m_i, with variance tau^2 + var(m_i).
    """
    raw, n = np.asarray(raw, float), np.asarray(n, float)
    m, mn = np.asarray(target, float), np.asarray(target_n, float)
    has = (n > 0) & np.isfinite(raw)
    sigma2 = m * (1 - m)
    if has.any():
        excess = (n[has] * (raw[has] - m[has]) ** 2).sum() - sigma2[has].sum()
        tau2 = max(0.0, float(excess / n[has].sum()))
    else:
        tau2 = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(has, sigma2 / np.where(has, n, 1.0), np.inf)
        factor = np.where(has & (tau2 + s > 0), tau2 / (tau2 + s), 0.0)
        var_m = np.where(mn > 0, sigma2 / mn, 0.0)
        value = np.where(has, m + factor * (np.where(has, raw, 0.0) - m), m)
        var = np.where(
            has, factor * np.where(has, s, 0.0) + (1 - factor) ** 2 * var_m, tau2 + var_m
        )
    half = z_value(confidence) * np.sqrt(var)
    return Shrunk(
        value=value,
        low=np.clip(value - half, 0, 1),
        high=np.clip(value + half, 0, 1),
        factor=factor,
        tau2=tau2,
    )
