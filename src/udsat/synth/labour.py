"""Employment, benefits (FTE shares of the previous year) and gross income for one register year.

A person's yearly "need" (low SES + a persistent AR(1) shock + place) ranks the 16-64-year-olds.
The need threshold for being without labour-market attachment, for temporary public support above
0.5 FTE and for activity-ready kontanthjælp is set each year so that the 2017 policy areas hit the
published level for that year (calibration.py); the rest of the city follows from the gradient.
Persistence comes from the AR(1) shock and the fixed SES, so benefit spells last for years.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from udsat.contract.schemas import BENEFITS
from udsat.synth.calibration import ESTATE_NEED_LABOUR, YearTargets
from udsat.synth.outcomes import Education
from udsat.synth.population import IMMIGRANT, NONWESTERN, People

B = {name: i for i, name in enumerate(BENEFITS)}
TEMPORARY = [B[b] for b in ("kontanthjaelp", "uddannelseshjaelp", "selvforsoergelse", "dagpenge")]
TEMPORARY += [B[b] for b in ("sygedagpenge", "ressourceforloeb", "jobafklaring", "ledighedsydelse")]
TEMPORARY += [B["revalidering"]]
# DKK per full-time year on each benefit (2020 levels, roughly), in BENEFITS order.
RATES = np.array(
    [150e3, 90e3, 110e3, 230e3, 235e3, 230e3, 150e3, 150e3, 200e3, 250e3, 200e3, 205e3, 230e3, 75e3]
)


ESTATE_NEED = 0.3  # estate term of the need behind convictions; benefits use ESTATE_NEED_LABOUR
Z_WEIGHT = 1.25  # weight of the yearly AR(1) shock: sets how flat the gradient to the rest is


@dataclass
class Labour:
    fte: np.ndarray  # float32 (len(BENEFITS), n): one contiguous row per benefit
    employed: np.ndarray  # float32
    aktivitetsparat: np.ndarray  # bool
    income: np.ndarray  # float64 gross income
    taxpayer: np.ndarray  # bool


def need_score(
    people: People, severity: np.ndarray, estate_weight: float = ESTATE_NEED
) -> np.ndarray:
    """Yearly need: low SES, the AR(1) shock and an estate effect (`estate_weight` x severity).

    The estate term concentrates convictions (weight ESTATE_NEED) and benefits (weight
    calibration.ESTATE_NEED_LABOUR) in the worst almene boligområder (the state's criteria 2 and
    1) without steepening the gradient across the broad city.
    """
    estate = estate_weight * severity
    return (-people.ses + Z_WEIGHT * people.z + estate).astype(np.float32)


def _top_share(need: np.ndarray, pool: np.ndarray, inside: np.ndarray, k: int) -> np.ndarray:
    """Pool members with need at least the k-th highest need among pool members inside."""
    cand = need[pool & inside]
    if k <= 0 or len(cand) == 0:
        return np.zeros(len(need), dtype=bool)
    k = min(k, len(cand))
    threshold = np.partition(cand, len(cand) - k)[len(cand) - k]
    return pool & (need >= threshold)


def _kind_of_inactivity(rng: np.random.Generator, p: People) -> np.ndarray:
    """0 temporary support, 1 førtidspension, 2 fleksjob, 3 efterløn, 4 no benefit (subset p)."""
    age = p.age.astype(np.float32)
    p_fp = np.clip(0.012 * (age - 28.0), 0.005, 0.38)
    p_flex = np.where(age >= 30, 0.04, 0.0)
    p_eft = np.where(age >= 60, 0.30, 0.0)
    nw_imm_woman = NONWESTERN[p.origin] & IMMIGRANT[p.origin] & p.female
    p_none = np.where(nw_imm_woman, 0.1, 0.03)
    edges = np.cumsum(np.stack([p_fp, p_flex, p_eft, p_none]), axis=0)
    step = (rng.random(len(p))[None, :] >= edges).sum(axis=0)
    kind = np.array([1, 2, 3, 4, 0], dtype=np.int8)[step]
    return np.where(age < 18, 4, kind).astype(np.int8)  # no benefits before 18


def _temporary_type(
    rng: np.random.Generator, p: People, youth_done: np.ndarray, rank: np.ndarray
) -> np.ndarray:
    """Main temporary benefit (index into BENEFITS) by need rank r in [0, 1], age and origin."""
    n = len(p)
    probs = np.stack(
        [
            0.34 * (1 - rank) + 0.02,  # dagpenge: the insured, less needy unemployed
            0.12 * (1 - rank) + 0.04,  # sygedagpenge
            0.10 * rank,  # ressourceforløb
            np.full(n, 0.05),  # jobafklaring
            np.full(n, 0.03),  # ledighedsydelse
            np.full(n, 0.015),  # revalidering
        ]
    )
    first = [B[k] for k in ("dagpenge", "sygedagpenge", "ressourceforloeb", "jobafklaring")]
    kinds = np.array([*first, B["ledighedsydelse"], B["revalidering"]])
    pick = (rng.random(n)[None, :] >= np.cumsum(probs, axis=0)).sum(axis=0)
    social = np.where((p.age < 30) & ~youth_done, B["uddannelseshjaelp"], B["kontanthjaelp"])
    recent = IMMIGRANT[p.origin] & (rng.random(n) < np.where(p.age < 40, 0.3, 0.15))
    social = np.where(recent & (social == B["kontanthjaelp"]), B["selvforsoergelse"], social)
    return np.where(pick < len(kinds), kinds[np.minimum(pick, len(kinds) - 1)], social)


def _rank(values: np.ndarray) -> np.ndarray:
    """Percentile rank in [0, 1] (0 lowest)."""
    rank = np.empty(len(values), dtype=np.float32)
    rank[np.argsort(values, kind="stable")] = np.arange(len(values)) / max(len(values) - 1, 1)
    return rank


def _inactive_fte(
    rng: np.random.Generator,
    people: People,
    edu: Education,
    need: np.ndarray,
    out: np.ndarray,
    fte: np.ndarray,
) -> np.ndarray:
    """Fill benefit FTE (benefit x person) for people without attachment; return temp mask."""
    idx = np.flatnonzero(out)
    sub = people.take(idx)
    kind = _kind_of_inactivity(rng, sub)
    u = rng.random(len(idx)).astype(np.float32)
    fte[B["foertidspension"], idx[kind == 1]] = 1.0
    fte[B["fleksjob"], idx[kind == 2]] = 0.6 + 0.4 * u[kind == 2]
    fte[B["efterloen"], idx[kind == 3]] = 0.75 + 0.25 * u[kind == 3]
    t = kind == 0
    main = _temporary_type(rng, sub.take(t), edu.youth_completed[idx[t]], _rank(need[idx[t]]))
    fte[main, idx[t]] = 0.12 + 0.36 * u[t]  # below 0.5 until raised by calibration
    temp = np.zeros(len(people), dtype=bool)
    temp[idx[t]] = True
    return temp


def _attached_fte(
    rng: np.random.Generator,
    people: People,
    fte: np.ndarray,
    attached: np.ndarray,
    parent: np.ndarray,
) -> np.ndarray:
    """Short dagpenge/sygedagpenge spells and parental leave for the attached; returns employed."""
    idx = np.flatnonzero(attached)
    u = rng.random(len(idx)).astype(np.float32)
    v = rng.random(len(idx)).astype(np.float32)
    female = people.female[idx]
    leave = parent[idx]
    fte[B["barselsdagpenge"], idx] = np.where(
        leave, np.where(female, 0.5 + 0.35 * u, 0.05 + 0.15 * u), 0.0
    )
    spell = ~(leave & female) & (v < 0.13)
    kind = np.where(v < 0.085, B["dagpenge"], B["sygedagpenge"])
    fte[kind[spell], idx[spell]] = 0.04 + 0.3 * u[spell]
    employed = np.zeros(len(people), dtype=np.float32)
    gap = 0.05 * rng.random(len(idx)).astype(np.float32)
    employed[idx] = 1.0 - fte[:, idx].sum(axis=0) - gap
    return employed


def labour_year(
    rng: np.random.Generator,
    people: People,
    edu: Education,
    severity: np.ndarray,
    inside: np.ndarray,
    parent: np.ndarray,
    targets: YearTargets,
) -> Labour:
    """Employment and benefits of the previous year, calibrated inside the 2017 policy areas."""
    n = len(people)
    age = people.age
    need = need_score(people, severity, ESTATE_NEED_LABOUR)
    working = (age >= 16) & (age <= 64)
    n_in = int((working & inside).sum())
    pool = working & ~edu.in_education
    out = _top_share(need, pool, inside, round(targets.no_attachment * n_in))
    fte = np.zeros((len(BENEFITS), n), dtype=np.float32)
    temp = _inactive_fte(rng, people, edu, need, out, fte)
    # Raise the neediest temporary-support recipients above 0.5 FTE to the calibrated level.
    high = np.flatnonzero(_top_share(need, temp, inside, round(targets.temporary * n_in)))
    lift = 0.55 + 0.45 * np.sqrt(rng.random(len(high)).astype(np.float32))
    fte[:, high] = np.where(fte[:, high] > 0, lift[None, :], 0.0)
    kh = fte[B["kontanthjaelp"]] > 0
    akt = _top_share(need, kh, inside, round(targets.aktivitetsparat * n_in))
    employed = _attached_fte(rng, people, fte, pool & ~out, parent)
    o = np.flatnonzero(out & (fte[B["foertidspension"]] == 0))
    employed[o] = 0.45 * rng.random(len(o)) * (1 - fte[:, o].sum(axis=0))
    _students_and_seniors(rng, people, edu, fte, employed)
    income = gross_income(rng, people, edu, fte, employed)
    taxpayer = (age >= 15) & (income > 0) & (rng.random(n) > 0.015)
    return Labour(fte, employed, akt, income, taxpayer)


def _students_and_seniors(
    rng: np.random.Generator, people: People, edu: Education, fte: np.ndarray, employed: np.ndarray
) -> None:
    """SU for students 18+, student jobs, and some work among the young-old (65-71)."""
    age = people.age
    students = np.flatnonzero(edu.in_education & (age >= 18))
    fte[B["su"], students] = 0.75 + 0.25 * rng.random(len(students)).astype(np.float32)
    job = (edu.in_education & (age >= 15)) | ((age >= 65) & (age < 72))
    job &= rng.random(len(people)) < np.where(age >= 65, 0.2, 1.0)
    j = np.flatnonzero(job)
    employed[j] = np.minimum(0.4 * rng.random(len(j)), 1.0 - fte[B["su"], j])


# Log wage gain by education level (EDUCATION_LEVELS order, 'unknown' last).
EDU_GAIN = np.array([-0.22, -0.08, 0.0, 0.06, 0.12, 0.08, 0.33, 0.45, -0.18], dtype=np.float32)


def gross_income(
    rng: np.random.Generator, people: People, edu: Education, fte: np.ndarray, employed: np.ndarray
) -> np.ndarray:
    """Log-normal wages (person effect, age profile, education, SES) plus benefits and pension."""
    income = RATES.astype(np.float32) @ fte  # benefits: DKK per full-time year x FTE
    w = np.flatnonzero(employed > 0)
    p = people.take(w)
    age = p.age.astype(np.float32)
    profile = np.interp(
        age, [15, 22, 30, 40, 55, 64, 100], [-1.4, -0.6, -0.2, 0, 0.03, -0.05, -0.1]
    )
    noise = rng.normal(0.0, 0.12, len(w)).astype(np.float32)
    log_wage = 12.95 + profile + 0.16 * p.ses + EDU_GAIN[edu.level[w]] + p.wage_eff + noise
    income = income.astype(np.float64)
    income[w] += employed[w] * np.exp(log_wage.astype(np.float64))
    old = np.flatnonzero(people.age >= 65)
    income[old] += 190e3 * np.exp(0.18 * people.ses[old].astype(np.float64))
    return np.round(income, 0)
