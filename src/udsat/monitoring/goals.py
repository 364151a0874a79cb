"""The goal framework (goals.yaml): sub-goals, their indicators, directions, baseline and targets.

Catalogue indicators are referenced by id; the policy's indicators that the screening catalogue
lacks are defined in goals.yaml in the catalogue's own format (the catalogue's `Indicator` model)
and appended to it, so the one indicator engine (udsat.indicators.compute_indicators) computes
both. The file's schema is `GoalsFile` (udsat.strict models); the references between its keys
and to the catalogue are checked right after (`_resolve`, `_check_unique`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, StrictFloat, StrictInt, model_validator

from udsat.errors import UdsatError
from udsat.indicators import Catalogue, Indicator, load_catalogue
from udsat.indicators.catalogue import Direction, check_indicators, check_sql
from udsat.monitoring.lifetable import STANDARD_AGES
from udsat.monitoring.messages import msg
from udsat.strict import Strict, load_model

DEFAULT_GOALS = Path(__file__).parent / "goals.yaml"
Kind = Literal["catalogue", "extra", "life_table", "no_data"]
NO_DATA_FIELDS = ("label_da", "label_en", "direction", "source")


def _from_zero_increasing(ages: tuple[int, ...]) -> tuple[int, ...]:
    if len(ages) < 2 or ages[0] != 0 or any(b <= a for a, b in pairwise(ages)):
        raise ValueError("ages must be at least two increasing whole numbers from 0")
    return ages


class Target(Strict):
    """The target-year gap: `gap_factor` times the baseline gap, or an absolute `gap`."""

    gap_factor: StrictFloat | None = None
    gap: StrictFloat | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Target:
        if (self.gap_factor is None) == (self.gap is None):
            raise ValueError("a target is {gap_factor: F} or {gap: G}")
        return self

    def as_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.model_dump(exclude_none=True).items()}


class IndicatorRef(Strict):
    """A sub-goal's indicator: catalogue and extra by id (labels and direction come from the
    definition), life_table by id; no_data gives its own labels, direction and source."""

    model_config = ConfigDict(str_min_length=1)

    id: str
    kind: Kind
    target: Target | None = None  # None: the file's `target`
    label_da: str | None = None
    label_en: str | None = None
    direction: Direction | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _fields_of_kind(self) -> IndicatorRef:
        given = [k for k in NO_DATA_FIELDS if getattr(self, k) is not None]
        if self.kind == "no_data" and len(given) < len(NO_DATA_FIELDS):
            missing = ", ".join(k for k in NO_DATA_FIELDS if k not in given)
            raise ValueError(f"kind no_data needs {', '.join(NO_DATA_FIELDS)}; missing: {missing}")
        if self.kind != "no_data" and given:
            raise ValueError(f"{', '.join(given)} belong to kind no_data only, not {self.kind}")
        return self


class SubGoalSpec(Strict):
    model_config = ConfigDict(str_min_length=1)

    id: str
    label_da: str
    label_en: str
    source: str = ""
    indicators: tuple[IndicatorRef, ...] = ()


class GoalSpec(Strict):
    """One of the policy's goals; its labels describe the file (no code reads them)."""

    model_config = ConfigDict(str_min_length=1)

    id: str
    label_da: str
    label_en: str
    subgoals: tuple[SubGoalSpec, ...] = ()


class LifeTable(Strict):
    """The life table's settings (udsat.monitoring.monitor.life_expectancy_series)."""

    ages: Annotated[tuple[StrictInt, ...], AfterValidator(_from_zero_increasing)] = STANDARD_AGES
    period_years: int = Field(default=3, ge=1)  # deaths and population pooled over this many years
    confidence: float = Field(default=0.95, gt=0, lt=1)


class GoalsFile(Strict):
    """The whole goals.yaml. `id`, the titles and `source` describe the file; no code reads
    them."""

    id: str | None = None
    version: StrictInt
    title_da: str | None = None
    title_en: str | None = None
    source: str | None = None
    baseline_year: StrictInt
    target_year: StrictInt
    target: Target = Target(gap_factor=0.5)
    life_table: LifeTable = LifeTable()
    goals: tuple[GoalSpec, ...]
    extra_indicators: tuple[Indicator, ...] = ()


@dataclass(frozen=True)
class GoalIndicator:
    id: str
    kind: str
    subgoal: str
    label_da: str
    label_en: str
    direction: str
    unit: str  # share (0-1), years, ...
    source: str
    target: dict[str, float]  # {"gap_factor": F} or {"gap": G}

    @property
    def higher_is_worse(self) -> bool:
        return self.direction == "higher_is_worse"

    def target_gap(self, baseline_gap: float) -> float:
        """The 2035 gap: an absolute `gap`, or the baseline gap times `gap_factor`."""
        if "gap" in self.target:
            return float(self.target["gap"])
        return float(self.target["gap_factor"]) * baseline_gap


@dataclass(frozen=True)
class SubGoal:
    id: str
    goal: str
    label_da: str
    label_en: str
    source: str


@dataclass(frozen=True)
class Goals:
    version: int
    path: Path
    baseline_year: int
    target_year: int
    subgoals: tuple[SubGoal, ...]
    indicators: tuple[GoalIndicator, ...]
    catalogue: Catalogue
    life_table: LifeTable

    @property
    def label(self) -> str:
        return f"goals.v{self.version}+{self.catalogue.id}.v{self.catalogue.version}"

    def computed(self) -> list[str]:
        """Ids computed by the indicator engine (catalogue and extra)."""
        return [i.id for i in self.indicators if i.kind in ("catalogue", "extra")]


def load_goals(path: Path | None = None, catalogue: Catalogue | None = None) -> Goals:
    """Read and check a goals file (default: the packaged goals.yaml). Any malformed file is a
    UdsatError naming the file and the entry, never a traceback."""
    path = Path(path) if path else DEFAULT_GOALS
    spec = load_model(path, GoalsFile)
    if spec.baseline_year >= spec.target_year:
        raise UdsatError(
            msg("goals_years", file=path.name, baseline=spec.baseline_year, target=spec.target_year)
        )
    cat = _with_extras(path, catalogue or load_catalogue(), spec.extra_indicators)
    subgoals, indicators = _entries(path, spec, cat)
    return Goals(
        version=spec.version,
        path=path,
        baseline_year=spec.baseline_year,
        target_year=spec.target_year,
        subgoals=subgoals,
        indicators=indicators,
        catalogue=cat,
        life_table=spec.life_table,
    )


def _with_extras(path: Path, base: Catalogue, extras: tuple[Indicator, ...]) -> Catalogue:
    """The catalogue with goals.yaml's extra indicators appended (checked as the catalogue's)."""
    if not extras:
        return base
    clash = sorted({e.id for e in extras} & {i.id for i in base.indicators})
    if clash:
        raise UdsatError(msg("goals_clash", file=path.name, ids=", ".join(clash)))
    check_indicators(path, extras, base.references)
    cat = replace(base, indicators=base.indicators + extras)
    check_sql(cat)
    return cat


def _entries(
    path: Path, spec: GoalsFile, cat: Catalogue
) -> tuple[tuple[SubGoal, ...], tuple[GoalIndicator, ...]]:
    """The sub-goals and their indicators, in the file's order, each once."""
    extra_ids = {e.id for e in spec.extra_indicators}
    subgoals: list[SubGoal] = []
    indicators: list[GoalIndicator] = []
    for goal in spec.goals:
        for sub in goal.subgoals:
            subgoals.append(SubGoal(sub.id, goal.id, sub.label_da, sub.label_en, sub.source))
            indicators += [
                _resolve(path, ref, sub.id, cat, extra_ids, ref.target or spec.target)
                for ref in sub.indicators
            ]
    _check_unique(path, subgoals, indicators)
    return tuple(subgoals), tuple(indicators)


def _resolve(
    path: Path,
    ref: IndicatorRef,
    subgoal: str,
    cat: Catalogue,
    extra_ids: set[str],
    target: Target,
) -> GoalIndicator:
    """The goal indicator `ref` names: its definition's labels and direction, or its own."""
    chosen = target.as_dict()
    if ref.kind == "life_table":  # life expectancy at birth (udsat.monitoring.lifetable)
        return GoalIndicator(
            ref.id, ref.kind, subgoal, "Middellevetid ved fødslen", "Life expectancy at birth",
            "higher_is_better", "years", "udsat.monitoring.lifetable (Chiang)", chosen,
        )  # fmt: skip
    if ref.kind == "no_data":
        # IndicatorRef's validator makes sure a no_data entry has all four.
        assert ref.label_da and ref.label_en and ref.direction and ref.source
        return GoalIndicator(
            ref.id, ref.kind, subgoal, ref.label_da, ref.label_en, ref.direction, "share",
            ref.source, chosen,
        )  # fmt: skip
    where = {"file": path.name, "subgoal": subgoal, "indicator": ref.id}
    try:
        ind = cat.get(ref.id)
    except UdsatError as exc:
        raise UdsatError(msg("goals_unknown_indicator", **where, error=exc)) from exc
    right = "extra" if ind.id in extra_ids else "catalogue"
    if ref.kind != right:
        raise UdsatError(msg("goals_wrong_kind", **where, kind=ref.kind, right=right))
    return GoalIndicator(
        ind.id, ref.kind, subgoal, ind.label_da, ind.label_en, ind.direction, ind.unit,
        ind.reference, chosen,
    )  # fmt: skip


def _check_unique(path: Path, subgoals: list[SubGoal], indicators: list[GoalIndicator]) -> None:
    """Each sub-goal and each indicator once (the monitoring keys its series by id)."""
    for key, ids in (
        ("subgoal", [s.id for s in subgoals]),
        ("indicator", [i.id for i in indicators]),
    ):
        twice = sorted(i for i, n in Counter(ids).items() if n > 1)
        if twice:
            raise UdsatError(msg(f"goals_duplicate_{key}", file=path.name, ids=", ".join(twice)))
