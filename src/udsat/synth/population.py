"""The person state of the synthetic panel and the year-0 population.

Everything is a flat numpy array over persons (or households); no Python loop ever runs per
person or household. Households are integer ids into household-level arrays (``hh_addr``), so a
move is one assignment per household and a person's address is ``hh_addr[hh]``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from udsat.synth.places import Places

# Origin codes index udsat.contract.schemas.ORIGINS.
DANISH, IMM_W, IMM_NW, DESC_W, DESC_NW = range(5)
NONWESTERN = np.array([False, False, True, False, True])
IMMIGRANT = np.array([False, True, True, False, False])
# SES offset by origin: non-Western immigrants have lower incomes and employment on average.
ORIGIN_SES = np.array([0.0, 0.1, -0.55, 0.0, -0.35], dtype=np.float32)
# P(a new household starts at the next slot): mean household size ~1.9 as in Copenhagen.
HOUSEHOLD_BREAK = 0.53
SES_DEPRIVATION, SES_SEVERITY = 0.22, 0.42  # SES loss per sd of place deprivation / severity
# Later cohorts are better educated: the only-grundskole share fell from 36 % to 18 % in the
# policy areas 2000-2023, mostly by cohort replacement (education score per birth year).
COHORT_TREND = 0.02
EDU_SES = 0.75  # the education score's weight on SES


@dataclass
class People:
    """Per-person state on 1 January. Arrays all have the same length."""

    pid: np.ndarray  # int64 person id
    hh: np.ndarray  # int64 household id (index into Households arrays)
    age: np.ndarray  # int16
    female: np.ndarray  # bool
    origin: np.ndarray  # int8 code into ORIGINS
    ses: np.ndarray  # float32 persistent latent socio-economic status (higher is better)
    edu_score: np.ndarray  # float32 latent education propensity (fixed for life)
    edu_delay: np.ndarray  # int8 years of delay in completing education
    edu_unknown: np.ndarray  # bool: education not registered (mostly immigrants)
    edu_foreign: np.ndarray  # bool: highest education foreign and not Danish-approved
    z: np.ndarray  # float32 AR(1) labour-market shock
    wage_eff: np.ndarray  # float32 persistent person wage effect
    chronic: np.ndarray  # bool chronic disease
    is_child: np.ndarray  # bool: lives as a child in the parents' household

    def __len__(self) -> int:
        return len(self.pid)

    def take(self, index: np.ndarray) -> People:
        """A subset (boolean mask or index array) of the persons."""
        return People(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def concat(self, other: People) -> People:
        return People(
            **{
                f.name: np.concatenate([getattr(self, f.name), getattr(other, f.name)])
                for f in fields(self)
            }
        )


@dataclass
class Households:
    """Household-level arrays, indexed by household id; ids are never reused."""

    addr: np.ndarray  # int32 address index per household id

    def add(self, addresses: np.ndarray) -> np.ndarray:
        """Append new households at the given addresses and return their ids."""
        first = len(self.addr)
        self.addr = np.concatenate([self.addr, addresses.astype(np.int32)])
        return np.arange(first, len(self.addr), dtype=np.int64)


def person_traits(
    rng: np.random.Generator,
    origin: np.ndarray,
    ses: np.ndarray,
    birth_year: np.ndarray,
    cohort_trend: float = COHORT_TREND,
) -> dict[str, np.ndarray]:
    """Fixed traits drawn once per new person (year 0, births, in-migrants); `cohort_trend`:
    the education score's rise per birth year (0 in a city without built-in trends)."""
    n = len(origin)
    imm = IMMIGRANT[origin]
    nw = NONWESTERN[origin]
    trend = cohort_trend * (birth_year.astype(np.float32) - 1975.0)
    edu_score = EDU_SES * ses + rng.normal(0.0, 0.72, n).astype(np.float32) + trend
    unknown_p = np.where(imm, np.where(nw, 0.22, 0.15), 0.004)
    foreign_p = np.where(imm, np.where(nw, 0.45, 0.30), 0.0)
    return {
        "edu_score": edu_score.astype(np.float32),
        "edu_delay": np.minimum(rng.geometric(0.55, n) - 1, 6).astype(np.int8),
        "edu_unknown": rng.random(n) < unknown_p,
        "edu_foreign": rng.random(n) < foreign_p,
        "z": rng.normal(0.0, 1.0, n).astype(np.float32),
        "wage_eff": rng.normal(0.0, 0.22, n).astype(np.float32),
    }


def _head_ages(rng: np.random.Generator, size: np.ndarray) -> np.ndarray:
    """Age of the first member of each household: young, middle-aged or old, by household size.

    The mix gives Copenhagen's age structure: many 20-39-year-olds, about 13 % aged 65+.
    """
    n = len(size)
    u = rng.random(n)
    p_young = np.select([size == 1, size == 2], [0.50, 0.34], 0.08)
    p_old = np.select([size == 1, size == 2], [0.19, 0.20], 0.0)
    young = 19.0 + rng.gamma(3.0, 2.6, n)
    middle = np.where(size >= 3, rng.normal(41.0, 6.5, n), rng.uniform(30.0, 65.0, n))
    old = 65.0 + rng.gamma(1.5, 7.0, n)
    age = np.where(u < p_young, young, np.where(u < p_young + p_old, old, middle))
    return np.clip(np.round(age), 18, 104).astype(np.int16)


def _member_ages(
    rng: np.random.Generator, pos: np.ndarray, size: np.ndarray, head_age: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Ages of all members from their position in the household; returns (age, is_child)."""
    n = len(pos)
    partner = (pos == 1) & ((size >= 3) | (rng.random(n) < 0.78))
    young_head = head_age < 22
    max_child = np.clip(head_age.astype(np.int32) - 20, 0, 24)
    child_age = np.floor(rng.random(n) ** 1.15 * (max_child + 1)).astype(np.int32)
    roommate = young_head & (pos >= 1)
    is_child = (pos >= 1) & ~partner & ~roommate
    age = np.where(is_child, child_age, head_age + np.round(rng.normal(0, 3.5, n)))
    age = np.where(pos == 0, head_age, age)
    age = np.where(~is_child, np.maximum(age, 18), age)
    return np.clip(age, 0, 104).astype(np.int16), is_child


def _origins(
    rng: np.random.Generator, places: Places, hh_addr: np.ndarray, hh: np.ndarray, age: np.ndarray
) -> np.ndarray:
    """Origin per person: drawn per household from the place, children born here descend."""
    n_hh = len(hh_addr)
    place = places.score[hh_addr]
    p_nw = 1.0 / (1.0 + np.exp(-(-2.15 + 0.95 * place)))
    u = rng.random(n_hh)
    hh_origin = np.where(u < p_nw, IMM_NW, np.where(u < p_nw + 0.075, IMM_W, DANISH))
    origin = hh_origin[hh]
    # Young adults and children of immigrants are mostly descendants (born in Denmark).
    desc = (origin != DANISH) & (rng.random(len(hh)) < np.where(age < 18, 0.8, 0.18))
    origin = np.where(desc & (origin == IMM_NW), DESC_NW, origin)
    origin = np.where(desc & (origin == IMM_W), DESC_W, origin)
    return origin.astype(np.int8)


def initial_population(
    rng: np.random.Generator, places: Places, year: int, cohort_trend: float = COHORT_TREND
) -> tuple[People, Households]:
    """Fill every address up to its capacity with households of couples, children and singles."""
    slot_addr = np.repeat(np.arange(len(places.capacity), dtype=np.int32), places.capacity)
    n = len(slot_addr)
    starts = np.ones(n, dtype=bool)
    starts[1:] = (slot_addr[1:] != slot_addr[:-1]) | (rng.random(n - 1) < HOUSEHOLD_BREAK)
    hh = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    pos = np.arange(n) - first[hh]
    size = np.bincount(hh)
    head_age = _head_ages(rng, size)
    age, is_child = _member_ages(rng, pos, size[hh], head_age[hh])
    households = Households(addr=slot_addr[first].astype(np.int32))
    origin = _origins(rng, places, households.addr, hh, age)
    female = rng.random(n) < 0.5
    female[pos == 1] = ~female[first[hh[pos == 1]]] ^ (rng.random(int((pos == 1).sum())) < 0.05)
    # A mild gradient over the broad city and a strong one in the estates: the 2017 areas differ
    # from the rest by about twice the rates, the worst estates by much more.
    place = (
        SES_DEPRIVATION * places.deprivation[slot_addr] + SES_SEVERITY * places.severity[slot_addr]
    )
    hh_eff = rng.normal(0.0, 0.5, len(size)).astype(np.float32)
    ses = -place + ORIGIN_SES[origin] + hh_eff[hh] + rng.normal(0.0, 0.6, n)
    ses = ses.astype(np.float32)
    traits = person_traits(rng, origin, ses, year - age.astype(np.int32), cohort_trend)
    chronic = rng.random(n) < 1.0 / (1.0 + np.exp(-(-3.6 + 0.055 * age - 0.35 * ses)))
    people = People(
        pid=np.arange(n, dtype=np.int64) + 1,
        hh=hh.astype(np.int64),
        age=age,
        female=female,
        origin=origin,
        ses=ses,
        chronic=chronic,
        is_child=is_child,
        **traits,
    )
    return people, households
