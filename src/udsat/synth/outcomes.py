"""Education, convictions, chronic disease and child poverty for one register year.

Education is a deterministic function of fixed person traits and age (a final level drawn once,
completion ages shifted by a personal delay), so no education state needs carrying between years.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from udsat.synth.population import People

# Codes index udsat.contract.schemas.EDUCATION_LEVELS.
GRUND, GYM, ERHV, KORT, MELLEM, BACH, LANG, FORSK, UNKNOWN = range(9)
# Age at which each final level is completed (plus the person's delay).
COMPLETION_AGE = np.array([16, 19, 21, 23, 25, 23, 26, 30], dtype=np.int16)
# Shares of the final levels 1-7 among those who get beyond grundskole (Copenhagen 30-59-year-olds,
# roughly DST's HFAUDD 2015): the grundskole share itself is calibrated (calibration.py).
CHILD_BENEFIT = 18_000.0
LEVEL_SHARES = np.array([0.11, 0.21, 0.05, 0.19, 0.07, 0.34, 0.03])


@dataclass
class Education:
    level: np.ndarray  # int8 code into EDUCATION_LEVELS
    approved: np.ndarray  # bool (meaningless where known is False)
    known: np.ndarray  # bool: False -> education_danish_approved is null
    in_education: np.ndarray  # bool
    youth_completed: np.ndarray  # bool


def final_levels(edu_score: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Final (lifetime) education level from the latent score and the 7 calibrated cut points."""
    return np.searchsorted(cuts, edu_score).astype(np.int8)


def education(people: People, cuts: np.ndarray) -> Education:
    """Highest completed education and enrolment on 1 January, from age and fixed traits."""
    final = final_levels(people.edu_score, cuts)
    age = people.age.astype(np.int16)
    delay = people.edu_delay.astype(np.int16)
    done_final = age >= COMPLETION_AGE[final] + delay
    youth = age >= 19 + delay  # academic tracks pass through gymnasium first
    level = np.where(done_final, final, GRUND)
    level = np.where(~done_final & (final >= KORT) & (final != ERHV) & youth, GYM, level)
    level = np.where(~done_final & (final >= LANG) & (age >= 23 + delay), BACH, level)
    adult = age >= 16
    unknown = people.edu_unknown & adult
    level = np.where(unknown, UNKNOWN, level).astype(np.int8)
    in_edu = (age >= 6) & (age < np.where(final == GRUND, 16, COMPLETION_AGE[final] + delay))
    approved = ~(people.edu_foreign & (level > GRUND))
    youth_done = (level >= GYM) & (level != UNKNOWN)
    return Education(level, approved, ~unknown, in_edu & ~unknown, youth_done)


def convictions(
    rng: np.random.Generator, people: People, need: np.ndarray, intercept: float | np.ndarray
) -> np.ndarray:
    """Convictions decided in the previous year, shape (n, 3): straffeloven, våbenloven, euf.

    Rare events concentrated among young men with low SES in deprived places; the intercept is
    solved so that the 18+ share convicted is about 0.75 % (3 x national = 2.2 %).
    """
    age = people.age.astype(np.float32)
    logit = conviction_logit(people, need) + intercept
    p = 1.0 / (1.0 + np.exp(-logit))
    convicted = (rng.random(len(people)) < p) & (age >= 15)
    count = np.where(convicted, 1 + rng.poisson(0.35, len(people)), 0)
    law = rng.choice(3, size=len(people), p=[0.78, 0.05, 0.17])
    out = np.zeros((len(people), 3), dtype=np.int32)
    out[np.arange(len(people)), law] = count
    return out


def conviction_logit(people: People, need: np.ndarray) -> np.ndarray:
    """Linear predictor without intercept: sex, an age curve peaking around 20, and need."""
    age = people.age.astype(np.float32)
    age_curve = -0.5 * ((age - 21.0) / 9.0) ** 2 + np.where(age > 45, -0.5, 0.0)
    return 1.3 * (~people.female) + age_curve + 0.75 * need


def chronic_onset(rng: np.random.Generator, people: People, place: np.ndarray) -> np.ndarray:
    """Chronic disease status after one more year: onset rises with age, low SES and place."""
    age = people.age.astype(np.float32)
    logit = -6.3 + 0.065 * age - 0.3 * people.ses + 0.15 * place
    onset = rng.random(len(people)) < 1.0 / (1.0 + np.exp(-logit))
    return people.chronic | onset


def child_poverty(people: People, income: np.ndarray) -> np.ndarray:
    """Children in relatively poor households: equivalised household income < 50 % of median.

    Uses gross income and the OECD-modified scale (1, 0.5 per further adult, 0.3 per child) in
    place of disposable income, which the synthetic panel does not model.
    """
    child = people.age < 18
    hh = people.hh
    weight = np.where(child, 0.3, 0.5).astype(np.float64)
    n_hh = int(hh.max()) + 1
    scale = np.bincount(hh, weights=weight, minlength=n_hh) + 0.5
    # Child benefit (børne- og ungeydelse, ~18,000 DKK a child) is part of disposable income.
    money = np.maximum(income, 0.0) + np.where(child, CHILD_BENEFIT, 0.0)
    total = np.bincount(hh, weights=money, minlength=n_hh)
    eq = (total / scale)[hh]
    return child & (eq < 0.5 * np.median(eq))
