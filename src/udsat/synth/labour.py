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
from udsat.synth.calibration import YearTargets
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


@dataclass
class Labour:
    fte: np.ndarray  # float32 (n, len(BENEFITS))
    employed: np.ndarray  # float32
    aktivitetsparat: np.ndarray  # bool
    income: np.ndarray  # float64 gross income
    taxpayer: np.ndarray  # bool


def need_score(people: People, place: np.ndarray) -> np.ndarray:
    """Yearly need: low SES, the AR(1) shock and a mild neighbourhood effect."""
    return (-people.ses + 1.0 * people.z + 0.05 * place).astype(np.float32)


def _top_share(need: np.ndarray, pool: np.ndarray, inside: np.ndarray, k: int) -> np.ndarray:
    """Pool members with need at least the k-th highest need among pool members inside."""
    cand = need[pool & inside]
    if k <= 0 or len(cand) == 0:
        return np.zeros(len(need), dtype=bool)
    k = min(k, len(cand))
    threshold = np.partition(cand, len(cand) - k)[len(cand) - k]
    return pool & (need >= threshold)


def _kind_of_inactivity(rng: np.random.Generator, people: People) -> np.ndarray:
    """0 temporary support, 1 førtidspension, 2 fleksjob, 3 efterløn, 4 no benefit."""
    age = people.age.astype(np.float32)
    p_fp = np.clip(0.012 * (age - 28.0), 0.005, 0.38)
    p_flex = np.where(age >= 30, 0.04, 0.0)
    p_eft = np.where(age >= 60, 0.30, 0.0)
    nw_imm_woman = NONWESTERN[people.origin] & IMMIGRANT[people.origin] & people.female
    p_none = np.where(age < 18, 1.0, np.where(nw_imm_woman, 0.1, 0.03))
    edges = np.cumsum(np.stack([p_fp, p_flex, p_eft, p_none]), axis=0)
    step = (rng.random(len(people))[None, :] >= edges).sum(axis=0)
    kind = np.array([1, 2, 3, 4, 0], dtype=np.int8)[step]
    return np.where(age < 18, 4, kind).astype(np.int8)


def _temporary_type(
    rng: np.random.Generator, people: People, edu: Education, rank: np.ndarray
) -> np.ndarray:
    """Main temporary benefit (index into BENEFITS) by need rank r in [0, 1], age and origin."""
    n = len(people)
    u = rng.random(n)
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
    kinds = np.array([B["dagpenge"], B["sygedagpenge"], B["ressourceforloeb"], B["jobafklaring"]])
    kinds = np.concatenate([kinds, [B["ledighedsydelse"], B["revalidering"]]])
    edges = np.cumsum(probs, axis=0)
    pick = (u[None, :] >= edges).sum(axis=0)
    social = np.where(
        (people.age < 30) & ~edu.youth_completed, B["uddannelseshjaelp"], B["kontanthjaelp"]
    )
    recent = IMMIGRANT[people.origin] & (rng.random(n) < np.where(people.age < 40, 0.3, 0.15))
    social = np.where(recent & (social == B["kontanthjaelp"]), B["selvforsoergelse"], social)
    return np.where(pick < len(kinds), kinds[np.minimum(pick, len(kinds) - 1)], social)


def _rank_within(need: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Percentile rank (0 least, 1 most needy) of need among mask members; 0 elsewhere."""
    rank = np.zeros(len(need), dtype=np.float32)
    idx = np.flatnonzero(mask)
    if len(idx):
        order = np.argsort(need[idx], kind="stable")
        rank[idx[order]] = np.arange(len(idx), dtype=np.float32) / max(len(idx) - 1, 1)
    return rank


def _inactive_fte(
    rng: np.random.Generator, people: People, edu: Education, need: np.ndarray, out: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Benefit FTE for people without attachment; returns (fte matrix, temporary-support mask)."""
    n = len(people)
    fte = np.zeros((n, len(BENEFITS)), dtype=np.float32)
    kind = np.where(out, _kind_of_inactivity(rng, people), -1)
    u = rng.random(n).astype(np.float32)
    fte[kind == 1, B["foertidspension"]] = 1.0
    fte[kind == 2, B["fleksjob"]] = 0.6 + 0.4 * u[kind == 2]
    fte[kind == 3, B["efterloen"]] = 0.75 + 0.25 * u[kind == 3]
    temp = kind == 0
    main = _temporary_type(rng, people, edu, _rank_within(need, temp))
    idx = np.flatnonzero(temp)
    fte[idx, main[idx]] = 0.12 + 0.36 * u[idx]  # below 0.5 until raised by calibration
    return fte, temp


def _attached_fte(
    rng: np.random.Generator,
    people: People,
    fte: np.ndarray,
    attached: np.ndarray,
    parent: np.ndarray,
) -> np.ndarray:
    """Short dagpenge/sygedagpenge spells and parental leave for the attached; returns employed."""
    n = len(people)
    u = rng.random(n).astype(np.float32)
    v = rng.random(n).astype(np.float32)
    mother = attached & parent & people.female
    father = attached & parent & ~people.female
    fte[mother, B["barselsdagpenge"]] = 0.5 + 0.35 * u[mother]
    fte[father, B["barselsdagpenge"]] = 0.05 + 0.15 * u[father]
    spell = attached & ~mother & (v < 0.13)
    kind = np.where(v < 0.085, B["dagpenge"], B["sygedagpenge"])
    fte[spell, kind[spell]] = 0.04 + 0.3 * u[spell]
    gap = 0.05 * rng.random(n).astype(np.float32)
    return np.where(attached, 1.0 - fte.sum(axis=1) - gap, 0.0).astype(np.float32)


def labour_year(
    rng: np.random.Generator,
    people: People,
    edu: Education,
    place: np.ndarray,
    inside: np.ndarray,
    parent: np.ndarray,
    targets: YearTargets,
) -> Labour:
    """Employment and benefits of the previous year, calibrated inside the 2017 policy areas."""
    n = len(people)
    age = people.age
    need = need_score(people, place)
    working = (age >= 16) & (age <= 64)
    n_in = int((working & inside).sum())
    pool = working & ~edu.in_education
    out = _top_share(need, pool, inside, round(targets.no_attachment * n_in))
    fte, temp = _inactive_fte(rng, people, edu, need, out)
    # Raise the neediest temporary-support recipients above 0.5 FTE to the calibrated level.
    high = _top_share(need, temp, inside, round(targets.temporary * n_in))
    u = rng.random(n).astype(np.float32)
    fte[high] = np.where(fte[high] > 0, 0.55 + 0.45 * np.sqrt(u[high])[:, None], 0.0)
    kh = fte[:, B["kontanthjaelp"]] > 0
    akt = _top_share(need, kh, inside, round(targets.aktivitetsparat * n_in))
    employed = np.where(out & (fte[:, B["foertidspension"]] == 0), 0.45 * u * (1 - fte.sum(1)), 0)
    employed = employed + _attached_fte(rng, people, fte, pool & ~out, parent)
    students = edu.in_education & (age >= 18)
    fte[students, B["su"]] = 0.75 + 0.25 * u[students]
    job = (edu.in_education & (age >= 15)) | ((age >= 65) & (age < 72) & (u < 0.2))
    employed = np.where(job, np.minimum(0.4 * rng.random(n), 1.0 - fte.sum(1)), employed)
    employed = np.clip(employed, 0.0, 1.0).astype(np.float32)
    income = gross_income(rng, people, edu, fte, employed)
    taxpayer = (age >= 15) & (income > 0) & (rng.random(n) > 0.015)
    return Labour(fte, employed, akt, income, taxpayer)


# Log wage gain by education level (EDUCATION_LEVELS order, 'unknown' last).
EDU_GAIN = np.array([-0.22, -0.08, 0.0, 0.06, 0.12, 0.08, 0.33, 0.45, -0.18], dtype=np.float32)


def gross_income(
    rng: np.random.Generator, people: People, edu: Education, fte: np.ndarray, employed: np.ndarray
) -> np.ndarray:
    """Log-normal wages (person effect, age profile, education, SES) plus benefits and pension."""
    age = people.age.astype(np.float32)
    profile = np.interp(
        age, [15, 22, 30, 40, 55, 64, 100], [-1.4, -0.6, -0.2, 0.0, 0.03, -0.05, -0.1]
    )
    noise = rng.normal(0.0, 0.12, len(people)).astype(np.float32)
    log_wage = 12.95 + profile + 0.16 * people.ses + EDU_GAIN[edu.level] + people.wage_eff + noise
    wage = np.exp(log_wage.astype(np.float64))
    pension = np.where(age >= 65, 190e3 * np.exp(0.18 * people.ses), 0.0)
    return np.round(employed * wage + fte.astype(np.float64) @ RATES + pension, 0)
