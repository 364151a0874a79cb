"""Yearly transitions from 1 January of one year to the next.

Deaths, births, nest-leaving, moves, out- and in-migration, ageing. Moves use a vacancy chain:
the homes left by movers, emigrants and extinct households are matched to the households looking
for a home (movers, nest-leavers, in-migrants) by rank of predicted place score, so sorting by SES
and origin persists while individuals move around.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from udsat.synth import calibration as cal
from udsat.synth.places import Places
from udsat.synth.population import (
    COHORT_TREND,
    DANISH,
    DESC_NW,
    DESC_W,
    IMM_NW,
    IMM_W,
    NONWESTERN,
    ORIGIN_SES,
    Households,
    People,
    person_traits,
)

if TYPE_CHECKING:
    from udsat.synth.shocks import Plan

GROWTH = 0.006  # yearly population growth (Copenhagen grew about 1 % a year 2015-2025)
AR_RHO = 0.8  # persistence of the labour-market shock


@dataclass
class World:
    """Everything the yearly step needs besides the persons."""

    places: Places
    households: Households
    solved: cal.Solved
    target0: int
    year0: int
    next_pid: int
    edu_cut0: float = np.inf  # the yearly grundskole cut (only falls)
    plan: Plan | None = None  # a scenario's shocks and paths (shocks.py); None: the default

    @property
    def cohort_trend(self) -> float:
        return COHORT_TREND if self.plan is None else self.plan.cohort_trend


def deaths(rng: np.random.Generator, people: People, solved: cal.Solved) -> np.ndarray:
    """Who dies during the year (Gompertz hazard raised by low SES and chronic disease)."""
    h = cal.hazard(
        people.age,
        cal.mortality_risk(people),
        solved.mortality_intercept,
        solved.mortality_gradient,
    )
    return rng.random(len(people)) < 1.0 - np.exp(-h)


def _household_shares(people: People, values: np.ndarray, n_hh: int) -> np.ndarray:
    size = np.bincount(people.hh, minlength=n_hh).astype(np.float64)
    return np.bincount(people.hh, weights=values, minlength=n_hh) / np.maximum(size, 1)


def births(
    rng: np.random.Generator,
    people: People,
    year: int,
    next_pid: int,
    cohort_trend: float = COHORT_TREND,
) -> People:
    """Newborns of the year (age 0 next 1 January) in their mother's household."""
    age = people.age.astype(np.float32)
    rate = 0.118 * np.exp(-0.5 * ((age - 32.0) / 5.0) ** 2)
    mother = people.female & (age >= 18) & (age <= 45) & (rng.random(len(people)) < rate)
    m = people.take(mother)
    n = len(m)
    origin = np.where(m.origin == IMM_NW, DESC_NW, np.where(m.origin == IMM_W, DESC_W, DANISH))
    stays = (m.origin == DESC_NW) & (rng.random(n) < 0.4)  # both parents foreign-born/no DK citizen
    origin = np.where(stays, DESC_NW, origin).astype(np.int8)
    ses = (0.8 * m.ses + rng.normal(0.0, 0.45, n)).astype(np.float32)
    return People(
        pid=next_pid + np.arange(n, dtype=np.int64),
        hh=m.hh.copy(),
        age=np.full(n, -1, dtype=np.int16),  # ageing at the end of the step makes them 0
        female=rng.random(n) < 0.487,
        origin=origin,
        ses=ses,
        chronic=np.zeros(n, dtype=bool),
        is_child=np.ones(n, dtype=bool),
        **person_traits(rng, origin, ses, np.full(n, year + 1), cohort_trend),
    )


def _leavers(rng: np.random.Generator, people: People, n_hh: int) -> tuple[np.ndarray, np.ndarray]:
    """Households that emigrate and households that move within the city (boolean per id)."""
    age = people.age
    young = _household_shares(people, ((age >= 20) & (age <= 34)).astype(np.float64), n_hh)
    settled = _household_shares(people, ((age >= 25) & (age <= 39)).astype(np.float64), n_hh)
    share_imm_w = _household_shares(people, (people.origin == IMM_W).astype(np.float64), n_hh)
    u = rng.random(n_hh)
    # Copenhagen's churn: young adults arrive, people in their late 20s and 30s (and families)
    # leave for the suburbs and abroad; Western immigrants often stay only a few years.
    p_emig = 0.025 + 0.095 * settled + 0.08 * share_imm_w
    p_move = 0.06 + 0.13 * young
    return u < p_emig, (u >= p_emig) & (u < p_emig + p_move)


def _place_keys(
    rng: np.random.Generator, people: People, hh_ids: np.ndarray, solved: cal.Solved, n_hh: int
) -> np.ndarray:
    """Predicted place score (plus residual noise) of the households looking for a home."""
    ses = _household_shares(people, people.ses.astype(np.float64), n_hh)[hh_ids]
    nw = _household_shares(people, NONWESTERN[people.origin].astype(np.float64), n_hh)[hh_ids]
    c = solved.match_coef
    return c[0] + c[1] * ses + c[2] * nw + rng.normal(0.0, solved.match_noise, len(hh_ids))


def resort(
    rng: np.random.Generator,
    people: People,
    households: Households,
    places: Places,
    coef: np.ndarray,
    noise: float,
) -> None:
    """Every household through the vacancy chain once: the year-0 homes re-let by rank of
    predicted place score among households of the same size, so every home keeps its number
    of residents (a city without built-in trends starts in the chain's own sorting, so its
    estates do not drift from the year-0 sorting towards it, shocks.py)."""
    n_hh = len(households.addr)
    size = np.bincount(people.hh, minlength=n_hh)
    ids = np.flatnonzero(size > 0)
    solved = cal.Solved(np.zeros(0, np.float32), 0.0, 0.0, coef, noise)
    keys = _place_keys(rng, people, ids, solved, n_hh)
    for k in np.unique(np.minimum(size[ids], 5)):
        same = np.minimum(size[ids], 5) == k
        group, homes = ids[same], households.addr[ids[same]]
        households.addr[group[np.argsort(keys[same], kind="stable")]] = homes[
            np.argsort(places.score[homes], kind="stable")
        ]


def _extra_slots(rng: np.random.Generator, world: World, people: People, k: int) -> np.ndarray:
    """Addresses for households beyond the vacated homes, weighted by free capacity."""
    if k <= 0:
        return np.zeros(0, dtype=np.int32)
    cap = world.places.capacity.astype(np.float64)
    occ = np.bincount(world.households.addr[people.hh], minlength=len(cap))
    weight = np.maximum(cap - occ, 0) + 0.02 * cap
    return rng.choice(len(cap), size=k, p=weight / weight.sum()).astype(np.int32)


def _match(
    rng: np.random.Generator,
    world: World,
    people: People,
    seekers: np.ndarray,
    slots: np.ndarray,
    protected: np.ndarray | None = None,
) -> None:
    """Give each seeking household a home: rank-match predicted place score to the slots' score.

    `protected` (a scenario's shocks): homes let before any other, never left empty."""
    if protected is None:
        slots = np.concatenate([slots, _extra_slots(rng, world, people, len(seekers) - len(slots))])
        if len(slots) > len(seekers):  # surplus homes stay empty this year (random ones)
            slots = rng.permutation(slots)[: len(seekers)]
    else:
        first = protected[: len(seekers)]
        room = len(seekers) - len(first)
        slots = np.concatenate([slots, _extra_slots(rng, world, people, room - len(slots))])
        if len(slots) > room:
            slots = rng.permutation(slots)[:room]
        slots = np.concatenate([first, slots]).astype(np.int32)
    keys = _place_keys(rng, people, seekers, world.solved, len(world.households.addr))
    score = world.places.score[slots]
    world.households.addr[seekers[np.argsort(keys, kind="stable")]] = slots[
        np.argsort(score, kind="stable")
    ]


def immigrants(rng: np.random.Generator, world: World, persons: int, year: int) -> People:
    """In-migrant households (from the rest of Denmark and abroad): mostly young singles."""
    n_hh = max(int(persons / 1.5 * 1.2) + 1, 1)
    size = rng.choice([1, 2, 3, 4], size=n_hh, p=[0.62, 0.25, 0.08, 0.05])
    n_hh = max(int(np.searchsorted(np.cumsum(size), persons)) + 1, 1)
    size = size[:n_hh]
    hh_ids = world.households.add(np.zeros(n_hh, dtype=np.int32))
    hh = np.repeat(hh_ids, size)
    n = len(hh)
    pos = np.arange(n) - np.repeat(np.cumsum(size) - size, size)
    head = np.clip(18.5 + rng.gamma(2.2, 3.5, n_hh) + (rng.random(n_hh) < 0.15) * 16, 18, 80)
    head = np.repeat(head, size)
    child = pos >= 2
    age = np.where(child, rng.integers(0, 13, n), head + np.where(pos == 1, rng.normal(0, 3, n), 0))
    u = rng.random(n_hh)
    hh_origin = np.select([u < 0.62, u < 0.83, u < 0.96], [DANISH, IMM_W, IMM_NW], DESC_NW)
    origin = np.repeat(hh_origin, size)
    origin = np.where(child & (origin == IMM_NW) & (rng.random(n) < 0.5), DESC_NW, origin)
    origin = origin.astype(np.int8)
    ses = rng.normal(0.0, 0.5, n_hh)[np.searchsorted(hh_ids, hh)] + rng.normal(0.0, 0.6, n)
    ses = (ses + ORIGIN_SES[origin]).astype(np.float32)
    age = np.clip(np.round(age), 0, 100).astype(np.int16) - 1  # ageing makes it 1 January age
    people = People(
        pid=world.next_pid + np.arange(n, dtype=np.int64),
        hh=hh,
        age=age.astype(np.int16),
        female=rng.random(n) < 0.5,
        origin=origin,
        ses=ses,
        chronic=rng.random(n) < 0.04,
        is_child=child,
        **person_traits(rng, origin, ses, year + 1 - age.astype(np.int32), world.cohort_trend),
    )
    world.next_pid += n
    return people


def step(
    rng: np.random.Generator, world: World, people: People, died: np.ndarray, year: int
) -> People:
    """The population on 1 January of year + 1."""
    n_hh = len(world.households.addr)
    before = np.bincount(people.hh, minlength=n_hh) > 0
    people = people.take(~died)
    emig, move = _leavers(rng, people, n_hh)
    people = people.take(~emig[people.hh])
    after = np.bincount(people.hh, minlength=n_hh) > 0
    # Vacated homes: extinct and emigrated households and movers' old homes.
    movers = np.flatnonzero(move & after)
    slots = world.households.addr[np.flatnonzero((before & ~after) | (move & after))]
    newborns = births(rng, people, year, world.next_pid, world.cohort_trend)
    world.next_pid += len(newborns)
    leave = people.is_child & (people.age >= 18) & (rng.random(len(people)) < 0.28)
    new_ids = world.households.add(np.zeros(int(leave.sum()), dtype=np.int32))
    people.hh[leave] = new_ids
    people.is_child[leave] = False
    people = people.concat(newborns)
    target = world.target0 * (1 + GROWTH) ** (year + 1 - world.year0)
    incoming = immigrants(rng, world, max(int(target) - len(people), 1), year)
    if world.plan is not None:  # (no built-in trend: newcomers like the year-0 residents)
        world.plan.newcomers(incoming, world.places, year)
    people = people.concat(incoming)
    seekers = np.concatenate([movers, new_ids, np.unique(incoming.hh)])
    if world.plan is None:
        _match(rng, world, people, seekers, slots)
    else:  # a scenario's shocks: who leaves an emptied estate, closed and new homes
        seekers, slots, first = world.plan.before_match(world, people, seekers, slots, year)
        _match(rng, world, people, seekers, slots, first)
    people.age += 1
    people.z = (AR_RHO * people.z + np.sqrt(1 - AR_RHO**2) * rng.normal(0, 1, len(people))).astype(
        np.float32
    )
    return people
