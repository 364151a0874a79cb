"""The yearly loop: compute one register year, hand it to the writer, step to the next year."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from udsat.contract.schemas import BENEFIT_COLUMNS, EDUCATION_LEVELS, ORIGINS
from udsat.synth import calibration as cal
from udsat.synth.dynamics import World, deaths, resort, step
from udsat.synth.labour import Labour, labour_year, need_score
from udsat.synth.outcomes import child_poverty, chronic_onset, convictions, education
from udsat.synth.places import Places
from udsat.synth.population import People, initial_population
from udsat.synth.writer import categorical, id_strings, nullable_bool, persons_table

if TYPE_CHECKING:
    from udsat.synth.shocks import Plan


@dataclass
class YearState:
    """One year's persons (1 January) with where they live: what the survey samples from."""

    year: int
    people: People
    addr: np.ndarray


def _rng(seed: int, year: int, stream: int) -> np.random.Generator:
    """Independent, reproducible random streams per year and model component."""
    return np.random.default_rng([seed, year, stream])


def setup(
    places: Places, persons: int, year0: int, seed: int, plan: Plan | None = None
) -> tuple[World, People]:
    """The year-0 population and the parameters solved from it."""
    if plan is None:
        people, households = initial_population(_rng(seed, year0, 0), places, year0)
        coef, noise = cal.solve_matching(people, households.addr, places)
    else:
        plan.prepare(places)  # (new estates are empty before their year)
        rng = _rng(seed, year0, 0)
        people, households = initial_population(rng, places, year0, plan.cohort_trend)
        coef, noise = cal.solve_matching(people, households.addr, places)
        if not plan.trend:  # start from the vacancy chain's own sorting (shocks.py)
            resort(_rng(seed, year0, 12), people, households, places, coef, noise)
    addr = households.addr[people.hh]
    inside = places.in_policy[addr]
    icpt, grad = cal.solve_mortality(people, inside, _rng(seed, year0, 1))
    solved = cal.Solved(
        edu_cuts=cal.education_cuts(people),
        mortality_intercept=icpt,
        mortality_gradient=grad,
        match_coef=coef,
        match_noise=noise,
    )
    world = World(places, households, solved, len(people), year0, 0, plan=plan)
    world.next_pid = int(people.pid.max()) + 1
    return world, people


def _parents_of_newborns(people: People) -> np.ndarray:
    """Adults in a household with a child aged 0 (born in the previous year): parental leave."""
    n_hh = int(people.hh.max()) + 1
    baby = np.bincount(people.hh, weights=(people.age == 0), minlength=n_hh) > 0
    return baby[people.hh] & ~people.is_child & (people.age >= 18)


def year_table(world: World, people: People, year: int, seed: int) -> tuple[pa.Table, np.ndarray]:
    """The persons rows of one year and who dies during it."""
    places = world.places
    addr = world.households.addr[people.hh]
    severity = places.severity[addr]
    inside = places.in_policy[addr]
    cuts = world.solved.edu_cuts.copy()
    plan = world.plan
    if plan is None:
        cuts[0] = world.edu_cut0 = cal.grundskole_cut(people, inside, year, world.edu_cut0)
        targets = cal.year_targets(year)
    else:  # a scenario (shocks.py): maybe no built-in trend
        cuts[0] = world.edu_cut0 = plan.grundskole_cut(people, inside, year, world.edu_cut0)
        targets = plan.year_targets(year)
    edu = education(people, cuts)
    lab = labour_year(
        _rng(seed, year, 2), people, edu, severity, inside, _parents_of_newborns(people), targets
    )
    need = need_score(people, severity)
    intercept: float | np.ndarray = cal.solve_conviction(people, need, _rng(seed, year, 8))
    if plan is not None:  # maybe a moving national conviction share
        outside = places.housing_area[addr] < 0
        intercept = plan.conviction_intercept(people, need, float(intercept), outside, year)
    conv = convictions(_rng(seed, year, 3), people, need, intercept)
    died = deaths(_rng(seed, year, 4), people, world.solved)
    columns = _columns(people, year, addr, places, edu, lab, conv)
    columns["died"] = died
    return persons_table(columns), died


def _columns(people, year, addr, places, edu, lab: Labour, conv) -> dict[str, object]:
    n = len(people)
    child = people.age < 18
    columns: dict[str, object] = {
        "person_id": id_strings("p", people.pid),
        "year": pa.array(np.full(n, year, dtype=np.int16)),
        "address_id": categorical(addr, places.address_dictionary),
        "household_id": id_strings("h", people.hh),
        "age": pa.array(people.age.astype(np.int16)),
        "sex": categorical(people.female.astype(np.int8), ("m", "f")),
        "origin": categorical(people.origin, ORIGINS),
        "education_level": categorical(edu.level, EDUCATION_LEVELS),
        "education_danish_approved": nullable_bool(edu.approved, edu.known),
        "in_education": edu.in_education,
        "aktivitetsparat": lab.aktivitetsparat,
        "employed_share": lab.employed,
        "gross_income": lab.income,
        "taxpayer": lab.taxpayer,
        "youth_education_completed": edu.youth_completed,
        "child_in_poor_household": nullable_bool(child_poverty(people, lab.income), child),
        "chronic_disease": people.chronic,
    }
    for i, name in enumerate(BENEFIT_COLUMNS):
        columns[name] = lab.fte[i]
    for i, law in enumerate(("straffeloven", "vaabenloven", "euf")):
        columns[f"convictions_{law}"] = pa.array(conv[:, i].astype(np.int16))
    return columns


def run(
    places: Places,
    persons: int,
    years: tuple[int, int],
    seed: int,
    on_year: Callable[[int, pa.Table], None],
    plan: Plan | None = None,
) -> Iterator[YearState]:
    """Simulate the panel; call on_year with each year's table and yield the year's state.

    `plan`: a scenario's shocks and yearly paths (shocks.py); None gives the default city."""
    world, people = setup(places, persons, years[0], seed, plan)
    for year in range(years[0], years[1] + 1):
        table, died = year_table(world, people, year, seed)
        on_year(year, table)
        yield YearState(year, people, world.households.addr[people.hh])
        if year == years[1]:
            break
        people = step(_rng(seed, year, 5), world, people, died, year)
        place = places.score[world.households.addr[people.hh]]
        people.chronic = chronic_onset(_rng(seed, year, 6), people, place)
