"""A harder synthetic city: area shocks, no built-in trend, a moving national conviction share.

`resolve` turns a `Scenario` (scenario.py) into a `Plan` for one run: it draws the shocks the
seed chooses (or checks the given ones), adds a new estate's land and entrances to the geography,
and draws the yearly paths. The panel (panel.py, dynamics.py) asks the plan at a few fixed points
of the yearly step; with the default scenario there is no plan and none of this code runs, so the
default city is the calibrated one, byte for byte. The plan's `record` goes to manifest.json.

Years are register years: the persons of year Y live where they live on 1 January Y, so a shock
of year Y happens during Y - 1 (the step from Y - 1 to Y).

- **Renovation** of estate E in year Y: in the step to Y, 70 % of E's households (those not
  moving anyway) leave; in the step to Y + 1, 70 % of those left. E lets no home from Y until
  it reopens (default Y + 3): then 40 % of the households that left and still live in the city
  move back, and the rest of E's homes are let through the ordinary vacancy chain first (so E
  is full again on 1 January of the reopening year).
- **Rehousing**: half of the households leaving E move into the estates `rehoused_to`, into the
  homes vacated there that year first (and beyond them into the estates' entrances, crowding),
  so these estates take E's residents instead of ordinary movers.
- **New estate** in year Y: entrances on empty land (a commons or park edge, `SITES`), empty
  before Y; 60 % of its homes are let in the step to Y and the rest in the step to Y + 1, first
  in the vacancy chain, whose rank matching on the place score fills them with households that
  fit the estate's mix (`MIX_PLACE`: "deprived", the 2017 areas' mean deprivation and an
  udsat-like severity; "mixed", the city's mean place and a mild severity).
- **No built-in trend** (trend: none): the levels imposed inside the 2017 policy areas (no
  attachment, temporary support, aktivitetsparat) stay at the default city's level of the
  middle year, times a common business cycle (AR(1): rho 0.6, innovations sd 0.04, relative);
  the grundskole cut is set once (the middle year's share) and held; later cohorts are no
  better educated than earlier ones (no cohort trend); the survey's feeling safe has no rise.
  Each area's shares then move only with its residents (sorting, ageing, the AR(1) shocks of
  persons, the cycle): mean-reverting, with no straight line.
- **Moving conviction share** (conviction_share: moving): the synthetic city is its own national
  reference, so the 18+ share convicted per year is the national share. It follows
  0.75 % x exp(x), x AR(1) (rho 0.6, innovations sd 0.08, within +-0.25: 0.58-0.96 %), and the
  move is carried by the residents outside the almene housing areas (the estates' own rates
  follow their residents): the reference moves against the areas, as the national figure does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from udsat.errors import UdsatError
from udsat.synth import calibration as cal
from udsat.synth.estates import TIER_NEAR, TIER_UDSAT, estate_addresses, estate_polygons, to_utm
from udsat.synth.geography import (
    ESTATE_PER_ADDRESS,
    KBH_CODE,
    Geography,
    _parks,
    city_land,
    finish_addresses,
    locate,
)
from udsat.synth.messages import msg
from udsat.synth.outcomes import conviction_logit
from udsat.synth.population import (
    COHORT_TREND,
    EDU_SES,
    SES_DEPRIVATION,
    SES_SEVERITY,
    Households,
    People,
)
from udsat.synth.scenario import SITES, NewEstate, Renovation, Scenario
from udsat.synth.survey import SAFE_TREND

if TYPE_CHECKING:
    from udsat.synth.places import Places


class World(Protocol):
    """What the plan uses of dynamics.World (not imported: dynamics asks the plan)."""

    places: Places
    households: Households


FIRST_WAVE = 0.7  # share of an emptied estate's households leaving in the step to its year
SECOND_WAVE = 0.7  # share of those left leaving in the step to the year after
REHOUSED_SHARE = 0.5  # of the leaving households, into the estates rehoused_to
RETURN_SHARE = 0.4  # of the households that left and still live in the city, back at reopening
FIRST_FILL = 0.6  # share of a new estate's homes let in the step to its first year
RENOVATION_YEARS = 3  # default: reopens = year + 3
# A new estate's mix: the place score of its entrances, (deprivation, severity). The vacancy
# chain's rank matching lets its homes to households whose predicted place score fits: deprived
# is the 2017 policy areas' mean deprivation (1.05 sd) with an udsat-like severity; mixed is the
# city's mean place with a mild estate offset.
MIX_PLACE = {"deprived": (1.05, 2.0), "mixed": (0.0, 0.5)}
CYCLE_RHO, CYCLE_SD = 0.6, 0.04  # the business cycle of the imposed levels (no trend)
CONVICTED_RHO, CONVICTED_SD, CONVICTED_LIMIT = 0.6, 0.08, 0.25  # log share around 0.75 %
AUTO_MIN_YEARS = 7  # shocks drawn by the seed need pre-years, the shock and a reopening
NEW_ESTATE_BASE = 90  # new estates get ids HA10190, HA10191, ...
# Streams of numpy's SeedSequence([seed, stream]) used only here (the panel uses [seed, year, k]).
_STREAM_DRAW, _STREAM_CYCLE, _STREAM_CONVICTED, _STREAM_PLACE = 9_101, 9_102, 9_103, 9_104
_STREAM_NEWCOMERS = 9_105


@dataclass
class RenovationPlan:
    housing_area_id: str
    name: str
    year: int
    reopens: int
    rehoused_to: tuple[str, ...]
    mask: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # its addresses
    targets: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # rehousing
    evicted: list[np.ndarray] = field(default_factory=list)  # household ids that left
    counts: dict[str, int] = field(default_factory=dict)  # households moved, for the record


@dataclass
class NewEstatePlan:
    housing_area_id: str
    name: str
    site: str
    year: int
    mix: str
    residents: int  # target residents at this city's size
    mask: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))


@dataclass
class Plan:
    scenario: Scenario
    name: str
    seed: int
    years: tuple[int, int]
    renovations: list[RenovationPlan]
    new_estates: list[NewEstatePlan]
    cycle: dict[int, float]  # relative deviation of the imposed levels (no trend)
    convicted: dict[int, float]  # the national 18+ share convicted (moving), a fraction
    capacity: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    # --- what the yearly step asks ------------------------------------------------------------

    @property
    def trend(self) -> bool:
        return self.scenario.trend == "linear"

    @property
    def anchor_year(self) -> int:
        return (self.years[0] + self.years[1]) // 2

    @property
    def cohort_trend(self) -> float:
        return COHORT_TREND if self.trend else 0.0

    @property
    def safe_trend(self) -> float:
        return SAFE_TREND if self.trend else 0.0

    def year_targets(self, year: int) -> cal.YearTargets:
        if self.trend:
            return cal.year_targets(year)
        base, factor = cal.year_targets(self.anchor_year), 1.0 + self.cycle[year]
        return cal.YearTargets(
            no_attachment=base.no_attachment * factor,
            temporary=base.temporary * factor,
            aktivitetsparat=base.aktivitetsparat * factor,
        )

    def grundskole_cut(
        self, people: People, inside: np.ndarray, year: int, previous: float
    ) -> float:
        if self.trend:
            return cal.grundskole_cut(people, inside, year, previous)
        if np.isfinite(previous):  # set once, then held: no built-in fall
            return previous
        return cal.grundskole_cut(people, inside, self.anchor_year, previous)

    def conviction_intercept(
        self,
        people: People,
        need: np.ndarray,
        intercept: float,
        outside: np.ndarray,
        year: int,
    ) -> float | np.ndarray:
        """The default intercept, plus (moving share) an offset for the residents outside the
        housing areas solved so that the expected 18+ share convicted is the year's share."""
        if self.scenario.conviction_share == "constant":
            return intercept
        rng = np.random.default_rng([self.seed, year, _STREAM_CONVICTED])
        adult = people.age >= 18
        adult &= rng.random(len(people)) < min(1.0, 200_000 / max(int(adult.sum()), 1))
        logit = conviction_logit(people, need)[adult] + intercept
        out = outside[adult]
        lo, hi = -6.0, 6.0
        for _ in range(40):
            mid = (lo + hi) / 2
            share = np.mean(1.0 / (1.0 + np.exp(-(logit + mid * out))))
            lo, hi = (mid, hi) if share < self.convicted[year] else (lo, mid)
        return intercept + (lo + hi) / 2 * outside

    def newcomers(self, incoming: People, places: Places, year: int) -> None:
        """No built-in trend: in-migrants get the year-0 place term of SES (population.py)
        of a home drawn by capacity, per household, so they come from the year-0 population's
        SES distribution, not a narrower and better-off one (with the education score the SES
        sets, population.person_traits)."""
        if self.trend or len(incoming) == 0:
            return
        rng = np.random.default_rng([self.seed, year, _STREAM_NEWCOMERS])
        households, first = np.unique(incoming.hh, return_inverse=True)
        weight = self.capacity.astype(np.float64)
        home = rng.choice(len(weight), size=len(households), p=weight / weight.sum())
        place = SES_DEPRIVATION * places.deprivation[home] + SES_SEVERITY * places.severity[home]
        shift = place[first].astype(np.float32)
        incoming.ses -= shift
        incoming.edu_score -= np.float32(EDU_SES) * shift

    def prepare(self, places: Places) -> None:
        """Before the year-0 population: the masks of the shocked estates; new estates empty."""
        labels = list(places.housing_labels)
        code = {str(label): i for i, label in enumerate(labels)}
        self.capacity = places.capacity.copy()
        for r in self.renovations:
            r.mask = places.housing_area == code[r.housing_area_id]
            r.targets = np.isin(places.housing_area, [code[a] for a in r.rehoused_to])
        for e in self.new_estates:
            e.mask = places.housing_area == code[e.housing_area_id]
            places.capacity[e.mask] = 0

    def before_match(
        self, world: World, people: People, seekers: np.ndarray, slots: np.ndarray, year: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The shocks of the step from `year` to `year + 1`, before the vacancy chain: who leaves
        an emptied estate (and where the rehoused go), which homes are closed, who returns, and
        the homes let first (`protected`). Returns (seekers, slots, protected)."""
        rng = np.random.default_rng([self.seed, year, _STREAM_PLACE])
        nxt = year + 1
        places, hh_addr = world.places, world.households.addr
        members = np.bincount(people.hh, minlength=len(hh_addr))
        present = members > 0
        size = float(members[seekers].mean()) if len(seekers) else 1.0  # who moves in
        protected: list[np.ndarray] = []
        for r in self.renovations:
            if nxt in (r.year, r.year + 1) and nxt < r.reopens:
                home = np.flatnonzero(present & r.mask[hh_addr])
                home = home[~np.isin(home, seekers)]  # (movers leave anyway)
                share = FIRST_WAVE if nxt == r.year else SECOND_WAVE
                left = home[rng.random(len(home)) < share]
                r.evicted.append(left)
                moving = rng.random(len(left)) < REHOUSED_SHARE
                rehoused = left[moving] if r.targets.any() else left[:0]
                slots = self._rehouse(rng, world, rehoused, r.targets, slots)
                seekers = np.concatenate([seekers, left[~np.isin(left, rehoused)]])
                r.counts[f"left_{nxt}"] = len(left)
                r.counts[f"rehoused_{nxt}"] = len(rehoused)
            if r.year <= nxt < r.reopens:
                slots = slots[~r.mask[slots]]
                places.capacity[r.mask] = 0
            elif nxt == r.reopens:
                places.capacity[r.mask] = self.capacity[r.mask]
                left = np.concatenate([np.zeros(0, np.int64), *r.evicted])
                alive = left[present[left] & ~r.mask[hh_addr[left]]]
                back = alive[rng.random(len(alive)) < RETURN_SHARE]
                slots = np.concatenate([slots, hh_addr[back]])  # the homes they leave
                seekers = seekers[~np.isin(seekers, back)]
                hh_addr[back] = self._homes(rng, r.mask, len(back))
                r.counts[f"returned_{nxt}"] = len(back)
                protected.append(self._free_homes(rng, world, people, size, r.mask, 1.0))
        for e in self.new_estates:
            if nxt == e.year:
                places.capacity[e.mask] = self.capacity[e.mask]
                protected.append(self._free_homes(rng, world, people, size, e.mask, FIRST_FILL))
            elif nxt == e.year + 1:
                protected.append(self._free_homes(rng, world, people, size, e.mask, 1.0))
        empty = np.zeros(0, dtype=np.int32)
        return seekers, slots, np.concatenate([empty, *protected]).astype(np.int32)

    def _homes(self, rng: np.random.Generator, mask: np.ndarray, k: int) -> np.ndarray:
        """k entrances of the masked estate(s), drawn by their capacity (with replacement)."""
        where = np.flatnonzero(mask)
        if k <= 0 or len(where) == 0:
            return np.zeros(0, dtype=np.int32)
        weight = self.capacity[where].astype(np.float64) + 1e-9
        return where[rng.choice(len(where), size=k, p=weight / weight.sum())].astype(np.int32)

    def _rehouse(
        self,
        rng: np.random.Generator,
        world: World,
        households: np.ndarray,
        targets: np.ndarray,
        slots: np.ndarray,
    ) -> np.ndarray:
        """Move the households into the target estates: the homes vacated there this year
        first (taken out of the vacancy chain), then entrances drawn by capacity."""
        if len(households) == 0:
            return slots
        there = rng.permutation(np.flatnonzero(targets[slots]))[: len(households)]
        extra = self._homes(rng, targets, len(households) - len(there))
        world.households.addr[households] = np.concatenate([slots[there], extra])
        keep = np.ones(len(slots), dtype=bool)
        keep[there] = False
        return slots[keep]

    def _free_homes(
        self,
        rng: np.random.Generator,
        world: World,
        people: People,
        size: float,
        mask: np.ndarray,
        share: float,
    ) -> np.ndarray:
        """Homes to let first: households (of `size` persons on average) enough to fill the
        estate to `share` of its capacity, at entrances drawn by their free capacity."""
        hh_addr = world.households.addr
        occupied = np.bincount(hh_addr[people.hh], minlength=len(mask))
        where = np.flatnonzero(mask)
        free = np.maximum(self.capacity[where] - occupied[where], 0).astype(np.float64)
        wanted = share * self.capacity[where].sum() - occupied[where].sum()
        k = round(float(max(wanted, 0.0)) / size)
        if k == 0 or free.sum() == 0:
            return np.zeros(0, dtype=np.int32)
        return where[rng.choice(len(where), size=k, p=free / free.sum())].astype(np.int32)

    # --- the record in manifest.json ------------------------------------------------------------

    def record(self) -> dict[str, Any]:
        """What the run did, for manifest.json's "scenario": the configuration, every shock
        with its estate and years, the areas to score apart, and the yearly paths."""
        areas: list[dict[str, Any]] = []
        for r in self.renovations:
            areas.append({"housing_area_id": r.housing_area_id, "role": "renovated",
                          "first_year": r.year})  # fmt: skip
            areas += [{"housing_area_id": a, "role": "rehousing", "first_year": r.year}
                      for a in r.rehoused_to]  # fmt: skip
        areas += [{"housing_area_id": e.housing_area_id, "role": "new", "first_year": e.year}
                  for e in self.new_estates]  # fmt: skip
        out: dict[str, Any] = {
            "name": self.name,
            "config": self.scenario.model_dump(mode="json"),
            "trend": self.scenario.trend,
            "conviction_share": self.scenario.conviction_share,
            "shocks": self.scenario.shocks,
            "renovations": [
                {
                    "housing_area_id": r.housing_area_id,
                    "name": r.name,
                    "year": r.year,
                    "reopens": r.reopens,
                    "rehoused_to": list(r.rehoused_to),
                    "households": dict(sorted(r.counts.items())),
                }
                for r in self.renovations
            ],
            "new_estates": [
                {
                    "housing_area_id": e.housing_area_id,
                    "name": e.name,
                    "site": e.site,
                    "year": e.year,
                    "mix": e.mix,
                    "deprivation": MIX_PLACE[e.mix][0],
                    "severity": MIX_PLACE[e.mix][1],
                    "target_residents": e.residents,
                }
                for e in self.new_estates
            ],
            "shocked_areas": sorted(areas, key=lambda a: (a["housing_area_id"], a["role"])),
            "parameters": {
                "first_wave": FIRST_WAVE,
                "second_wave": SECOND_WAVE,
                "rehoused_share": REHOUSED_SHARE,
                "return_share": RETURN_SHARE,
                "first_fill": FIRST_FILL,
            },
        }
        if not self.trend:
            out["anchor_year"] = self.anchor_year
            out["labour_cycle"] = {str(y): round(v, 6) for y, v in self.cycle.items()}
        if self.scenario.conviction_share == "moving":
            out["national_convicted_pct"] = {
                str(y): round(100.0 * v, 6) for y, v in self.convicted.items()
            }
        return out


# --- resolving a scenario for one run ---------------------------------------------------------


def _ar1(rng: np.random.Generator, n: int, rho: float, sd: float) -> np.ndarray:
    """A stationary AR(1) path of length n (mean 0)."""
    x = np.empty(n)
    x[0] = rng.normal(0.0, sd / np.sqrt(1.0 - rho * rho))
    for i in range(1, n):
        x[i] = rho * x[i - 1] + rng.normal(0.0, sd)
    return x


def resolve(
    scenario: Scenario, name: str, geography: Geography, years: tuple[int, int], seed: int
) -> Plan:
    """The plan of one run (adds any new estate to `geography`, in place)."""
    first, last = years
    span = list(range(first, last + 1))
    cycle = _ar1(np.random.default_rng([seed, _STREAM_CYCLE]), len(span), CYCLE_RHO, CYCLE_SD)
    x = _ar1(np.random.default_rng([seed, _STREAM_CONVICTED]), len(span), CONVICTED_RHO,
             CONVICTED_SD)  # fmt: skip
    x = np.clip(x, -CONVICTED_LIMIT, CONVICTED_LIMIT)
    convicted = {y: float(cal.CONVICTED_SHARE * np.exp(v)) for y, v in zip(span, x, strict=True)}
    renovations, new_estates = _shocks(scenario, geography, years, seed)
    plan = Plan(
        scenario=scenario,
        name=name,
        seed=seed,
        years=years,
        renovations=[],
        new_estates=[],
        cycle={y: float(v) for y, v in zip(span, cycle, strict=True)},
        convicted=convicted,
    )
    areas = geography.housing_areas.set_index("housing_area_id")
    known = set(areas.index)
    for r in renovations:
        _check_renovation(r, known, years)
        reopens = r.reopens if r.reopens is not None else r.year + RENOVATION_YEARS
        plan.renovations.append(
            RenovationPlan(r.housing_area_id, str(areas.loc[r.housing_area_id, "name"]), r.year,
                           reopens, tuple(r.rehoused_to))
        )  # fmt: skip
    for i, e in enumerate(new_estates):
        if not first < e.year <= last:
            raise UdsatError(msg("shock_year_range", what="new_estate", year=e.year,
                                 first=first, last=last))  # fmt: skip
        plan.new_estates.append(_build_new_estate(geography, e, NEW_ESTATE_BASE + i, seed))
    return plan


def _check_renovation(r: Renovation, known: set[str], years: tuple[int, int]) -> None:
    first, last = years
    what = f"renovation {r.housing_area_id}"
    for area in (r.housing_area_id, *r.rehoused_to):
        if area not in known:
            listed = ", ".join(sorted(known)[:12]) + (" ..." if len(known) > 12 else "")
            raise UdsatError(msg("unknown_area", what=what, area=area, known=listed))
    if r.housing_area_id in r.rehoused_to:
        raise UdsatError(msg("rehoused_self", area=r.housing_area_id))
    if not first < r.year <= last:
        raise UdsatError(msg("shock_year_range", what=what, year=r.year, first=first, last=last))
    if r.reopens is not None and r.reopens <= r.year:
        raise UdsatError(msg("reopens_before", area=r.housing_area_id, reopens=r.reopens,
                             year=r.year))  # fmt: skip


def _shocks(
    scenario: Scenario, geography: Geography, years: tuple[int, int], seed: int
) -> tuple[list[Renovation], list[NewEstate]]:
    """The given shocks, or one renovation (with rehousing) and one new estate by the seed."""
    if scenario.shocks == "none":
        return [], []
    if scenario.shocks == "given":
        ids = [r.housing_area_id for r in scenario.renovations]
        twice = sorted({a for a in ids if ids.count(a) > 1})
        if twice:
            raise UdsatError(msg("two_renovations", area=twice[0]))
        return list(scenario.renovations), list(scenario.new_estates)
    first, last = years
    if last - first + 1 < AUTO_MIN_YEARS:
        raise UdsatError(msg("shock_years", need=AUTO_MIN_YEARS, first=first, last=last))
    rng = np.random.default_rng([seed, _STREAM_DRAW])
    areas = geography.housing_areas
    large = areas[(areas["municipality_code"] == KBH_CODE) & (areas["nominal_residents"] >= 1000)]
    large = large.sort_values("housing_area_id")
    worse = large[large["severity"] >= TIER_NEAR]["housing_area_id"].to_numpy()
    renovated = str(rng.choice(worse))
    milder = large[(large["severity"] < TIER_UDSAT) & (large["housing_area_id"] != renovated)]
    rehoused = sorted(str(a) for a in rng.choice(milder["housing_area_id"].to_numpy(), 2, False))
    # the shock after two years, and the reopening at least one year before the last
    year = int(rng.integers(first + 2, last - RENOVATION_YEARS))
    renovation = Renovation(housing_area_id=renovated, year=year, rehoused_to=tuple(rehoused))
    site = str(rng.choice(sorted(SITES)))
    new = NewEstate(year=int(rng.integers(first + 2, last - 1)), site=site)  # type: ignore[arg-type]
    return [renovation], [new]


def _build_new_estate(
    geography: Geography, spec: NewEstate, number: int, seed: int
) -> NewEstatePlan:
    """Add the estate (outline on empty land, entrances) to the geography; return its plan."""
    rng = np.random.default_rng([seed, _STREAM_PLACE, number])
    site = spec.site or str(rng.choice(sorted(SITES)))
    areas = geography.housing_areas
    cph = areas[areas["municipality_code"] == KBH_CODE]
    scale = float(cph["target_residents"].sum()) / float(cph["nominal_residents"].sum())
    target = max(1, round(spec.residents * scale))
    x, y = to_utm(np.array([SITES[site][0]]), np.array([SITES[site][1]]))
    land = shapely.difference(
        shapely.intersection(city_land(), _parks()), shapely.union_all(areas.geometry.values)
    )
    geom = estate_polygons(x, y, np.array([spec.residents]), land)[0]
    area_id = f"HA{KBH_CODE}{number:02d}"
    name = f"{site} (syntetisk nybyggeri)"
    deprivation, severity = MIX_PLACE[spec.mix]
    row: dict[str, Any] = {col: None for col in areas.columns if col != "geometry"}
    row |= {
        "housing_area_id": area_id,
        "name": name,
        "municipality_code": KBH_CODE,
        "municipality": "København",
        "region": "Hovedstaden",
        "target_residents": target,
        "severity": severity,
        "nominal_residents": spec.residents,
        "basis": "synthetic: a new estate of the test scenario",
    }
    new_area = gpd.GeoDataFrame([row], geometry=[geom], crs=areas.crs)
    n = max(1, round(target / ESTATE_PER_ADDRESS))
    entrances = estate_addresses(new_area, np.array([n]), rng)
    ex, ey = entrances["x"].to_numpy(), entrances["y"].to_numpy()
    for column, layer in (("bydel_id", "bydele"), ("kvarter_id", "kvarterer")):
        if layer in geography.units:
            entrances[column] = locate(geography.units[layer], ex, ey)
    entrances["municipality_code"] = KBH_CODE
    entrances["region"] = "Hovedstaden"
    entrances["in_policy_area_2017"] = False
    entrances["deprivation"] = deprivation
    old = geography.addresses
    geography.addresses = finish_addresses(pd.concat([old, entrances], ignore_index=True))
    if "bydel_id" in areas.columns:
        new_area["bydel_id"] = locate(geography.units["bydele"], x, y)
    geography.housing_areas = gpd.GeoDataFrame(
        pd.concat([areas, new_area], ignore_index=True), geometry="geometry", crs=areas.crs
    )
    return NewEstatePlan(area_id, name, site, spec.year, spec.mix, target)
