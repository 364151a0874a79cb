"""A synthetic Tryghedsundersøgelse / Sundhedsprofil: ~10,000 Copenhagen respondents a year.

Respondents are drawn with unequal response propensity (older people and women answer more often)
and weighted back by post-stratification on bydel x age group x sex. Feeling safe falls with the
place's deprivation (more at night, and more for women at night); the intercepts are solved each
year so the weighted city share meets the published level (2023: 87 % by day, 77 % at night).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from udsat.synth.places import Places
from udsat.synth.population import NONWESTERN, People
from udsat.synth.writer import id_strings, nullable_bool

RESPONDENTS = 10_000
SAFE_DAY_2023, SAFE_NIGHT_2023 = 0.87, 0.77
SAFE_TREND = 0.002  # a slow rise in feeling safe, per year
PLACE_DAY, PLACE_NIGHT = 0.62, 0.5  # logit effect of one sd of place deprivation
AGE_EDGES = np.array([30, 45, 65])  # age groups 16-29, 30-44, 45-64, 65+
HEALTH_SHARES = np.array([0.30, 0.45, 0.17, 0.06])  # cumulative cut: 1 very good ... 5 very poor
NONRESPONSE = {"day": 0.02, "night": 0.03, "health": 0.04}


def _sample(rng: np.random.Generator, people: People, frame: np.ndarray, k: int) -> np.ndarray:
    """Indices of k respondents, probability proportional to response propensity (no loop)."""
    idx = np.flatnonzero(frame)
    p = people.take(idx)
    propensity = np.exp(0.015 * (p.age - 40.0) + 0.2 * p.female - 0.35 * NONWESTERN[p.origin])
    keys = np.log(rng.random(len(idx))) / propensity  # Efraimidis-Spirakis weighted sampling
    k = min(k, len(idx))
    return np.sort(idx[np.argpartition(-keys, k - 1)[:k]])


def _weights(cell_pop: np.ndarray, cell_sample: np.ndarray) -> np.ndarray:
    """Post-stratification weights: population count / respondents per cell."""
    n_cells = int(max(cell_pop.max(), cell_sample.max())) + 1
    pop = np.bincount(cell_pop, minlength=n_cells).astype(np.float64)
    got = np.bincount(cell_sample, minlength=n_cells).astype(np.float64)
    return (pop / np.maximum(got, 1.0))[cell_sample]


def _solve_intercept(logit: np.ndarray, weight: np.ndarray, target: float) -> float:
    lo, hi = -10.0, 10.0
    for _ in range(40):
        mid = (lo + hi) / 2
        share = np.average(1.0 / (1.0 + np.exp(-(logit + mid))), weights=weight)
        lo, hi = (mid, hi) if share < target else (lo, mid)
    return (lo + hi) / 2


def _answer(rng: np.random.Generator, logit: np.ndarray, weight: np.ndarray, target: float):
    p = 1.0 / (1.0 + np.exp(-(logit + _solve_intercept(logit, weight, target))))
    return rng.random(len(p)) < p


def survey_year(
    rng: np.random.Generator,
    people: People,
    addr: np.ndarray,
    places: Places,
    year: int,
    safe_trend: float = SAFE_TREND,
) -> pa.Table | None:
    """One survey year as a SURVEY table (None when the scope has no Copenhagen addresses);
    `safe_trend`: the yearly rise of feeling safe (0 in a city without built-in trends)."""
    frame = (people.age >= 16) & places.copenhagen[addr]
    if not frame.any():
        return None
    cell = (places.bydel[addr] * 4 + np.searchsorted(AGE_EDGES, people.age, side="right")) * 2
    cell = np.maximum(cell + people.female, 0)
    pick = _sample(rng, people, frame, RESPONDENTS)
    weight = _weights(cell[frame], cell[pick])
    p = people.take(pick)
    place = places.score[addr[pick]]
    shift = safe_trend * (year - 2023)
    base = 0.25 * p.ses - 0.2 * p.chronic
    day = _answer(rng, base - PLACE_DAY * place, weight, SAFE_DAY_2023 + shift)
    night_logit = base - PLACE_NIGHT * place - 0.7 * p.female + 0.004 * (p.age - 45.0)
    night = _answer(rng, night_logit, weight, SAFE_NIGHT_2023 + shift)
    latent = 0.03 * (p.age - 45.0) + 0.8 * p.chronic - 0.4 * p.ses + rng.logistic(0, 0.6, len(p))
    health = 1 + np.searchsorted(np.quantile(latent, np.cumsum(HEALTH_SHARES)), latent)
    n = len(p)
    answered = {k: rng.random(n) >= v for k, v in NONRESPONSE.items()}
    return pa.table(
        {
            "respondent_id": id_strings("s", year * 100_000 + np.arange(n, dtype=np.int64)),
            "year": pa.array(np.full(n, year, dtype=np.int16)),
            "address_id": pa.array(places.address_id[addr[pick]].tolist(), pa.string()),
            "area_id": pa.array(places.bydel_labels[places.bydel[addr[pick]]].astype(str).tolist()),
            "weight": pa.array(weight),
            "age": pa.array(p.age.astype(np.int16)),
            "sex": pa.array(np.where(p.female, "f", "m").tolist(), pa.string()),
            "feels_safe_day": nullable_bool(day, answered["day"]),
            "feels_safe_night": nullable_bool(night, answered["night"]),
            "self_rated_health": pa.array(health.astype(np.int8), mask=~answered["health"]),
        }
    )
