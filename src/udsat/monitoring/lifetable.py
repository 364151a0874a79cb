"""Abridged period life table (Chiang's method) with the Chiang variance of life expectancy.

Age groups are given by their start ages, the last one open (default 0, 1-4, 5-9, ..., 85+).
For each group x of width n: the death rate M = D / P (deaths over the population at risk, here
the residents on 1 January as the person-years of the year), a_x = the fraction of the interval
lived by those who die in it (0.1 for age 0, 0.5 elsewhere: the values of the Public Health
England / APHO calculator, Eayres & Williams 2004), and

    q = n M / (1 + n (1 - a) M)   (q = 1 in the open group)
    l(x + n) = l(x) (1 - q),  d = l(x) - l(x + n)
    L = n (l(x + n) + a d)        (L = l / M in the open group)
    T(x) = sum of L from x up,  e(x) = T(x) / l(x)

Variance (Chiang 1984, with the open-group term of Silcocks, Jenner & Reza 2001):

    var(q) = q^2 (1 - q) / D     (a table where q >= 1 before the open group is undefined)
    var(e(x)) = [ sum_{i >= x, not open} l_i^2 ((1 - a_i) n_i + e_{i+1})^2 var(q_i)
                  + l_w^2 / M_w^4 * var(M_w) ] / l(x)^2,   var(M_w) = D_w / P_w^2

and a normal confidence interval e +/- z sqrt(var). Reproduces the PHE calculator's worked
example (tests/test_lifetable.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import norm

from udsat.errors import UdsatError

STANDARD_AGES = (0, 1, *range(5, 90, 5))  # 0, 1-4, 5-9, ..., 80-84, 85+
RADIX = 100_000.0


def ax_values(ages: npt.ArrayLike) -> np.ndarray:
    """a_x: 0.1 for the first year of life, 0.5 for every other closed group (the open group's
    L does not use it)."""
    return np.where((np.asarray(ages) == 0) & (np.r_[np.diff(ages), 1] == 1), 0.1, 0.5)


def life_table(
    deaths: npt.ArrayLike,
    population: npt.ArrayLike,
    ages: npt.ArrayLike = STANDARD_AGES,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The life table, one row per age group: age, n, deaths, population, m, a, q, l, d, L, T,
    e, se, ci_low, ci_high. NaN throughout when a group has no population, more deaths than
    population or no deaths in the open group (the table is then not defined)."""
    age = np.asarray(ages, int)
    dx, px = np.asarray(deaths, float), np.asarray(population, float)
    if not (len(age) == len(dx) == len(px)) or len(age) < 2:
        raise UdsatError("life_table: ages, deaths and population must have the same length >= 2")
    if (np.diff(age) <= 0).any():
        raise UdsatError(f"life_table: ages must increase, got {list(age)}")
    n = np.r_[np.diff(age), np.nan].astype(float)
    a = ax_values(age)
    out = pd.DataFrame({"age": age, "n": n, "deaths": dx, "population": px, "a": a})
    defined = (px > 0).all() and (dx >= 0).all() and (dx <= px).all() and dx[-1] > 0
    # NaN deaths (the recursion below, for q >= 1) make every comparison false: undefined.
    if not defined:
        for column in ("m", "q", "l", "d", "L", "T", "e", "se", "ci_low", "ci_high"):
            out[column] = np.nan
        return out
    m = dx / px
    q = n * m / (1 + n * (1 - a) * m)
    if (q[:-1] >= 1).any():  # everyone dies before the open group: only in tiny, extreme groups
        return life_table([np.nan] * len(age), px, age, confidence)
    q[-1] = 1.0
    survive = np.r_[1.0, np.cumprod(1 - q[:-1])]
    lx = RADIX * survive
    d = lx * q
    big_l = n * (np.r_[lx[1:], 0.0] + a * d)
    big_l[-1] = lx[-1] / m[-1]
    t = big_l[::-1].cumsum()[::-1]
    e = t / lx
    with np.errstate(divide="ignore", invalid="ignore"):
        var_q = np.where(dx > 0, q**2 * (1 - q) / dx, 0.0)
    var_q[-1] = 0.0
    e_next = np.r_[e[1:], 0.0]
    terms = lx**2 * ((1 - a) * n + e_next) ** 2 * var_q
    terms[-1] = lx[-1] ** 2 / m[-1] ** 4 * (dx[-1] / px[-1] ** 2)
    var_e = terms[::-1].cumsum()[::-1] / lx**2
    se = np.sqrt(var_e)
    z = norm.ppf(0.5 + confidence / 2)
    out["m"], out["q"], out["l"], out["d"], out["L"], out["T"] = m, q, lx, d, big_l, t
    out["e"], out["se"] = e, se
    out["ci_low"], out["ci_high"] = e - z * se, e + z * se
    return out


def age_group(age: pd.Series | np.ndarray, ages: Sequence[int] = STANDARD_AGES) -> np.ndarray:
    """The start age of each age's group (85 for 85+)."""
    edges = np.asarray(ages)
    return edges[np.searchsorted(edges, np.asarray(age), side="right") - 1]
