"""The goal framework (goals.yaml): sub-goals, their indicators, directions, baseline and targets.

Catalogue indicators are referenced by id; the policy's indicators that the screening catalogue
lacks are defined in goals.yaml in the catalogue's own format and appended to it, so the one
indicator engine (udsat.indicators.compute_indicators) computes both.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from udsat.errors import UdsatError
from udsat.indicators import Catalogue, load_catalogue
from udsat.indicators.catalogue import check_sql, parse_indicator  # the catalogue's parser

DEFAULT_GOALS = Path(__file__).parent / "goals.yaml"
KINDS = ("catalogue", "extra", "life_table", "no_data")
DIRECTIONS = ("higher_is_worse", "higher_is_better")


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
    target: dict[str, float]

    @property
    def higher_is_worse(self) -> bool:
        return self.direction == "higher_is_worse"

    def target_gap(self, baseline_gap: float) -> float:
        """The 2035 gap: an absolute `gap`, or the baseline gap times `gap_factor`."""
        if "gap" in self.target:
            return float(self.target["gap"])
        return float(self.target.get("gap_factor", 0.5)) * baseline_gap


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
    life_table: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"goals.v{self.version}+{self.catalogue.id}.v{self.catalogue.version}"

    def computed(self) -> list[str]:
        """Ids computed by the indicator engine (catalogue and extra)."""
        return [i.id for i in self.indicators if i.kind in ("catalogue", "extra")]


def _fail(path: Path, where: str, text: str) -> UdsatError:
    return UdsatError(f"{path.name}: {where}: {text}")


def load_goals(path: Path | None = None, catalogue: Catalogue | None = None) -> Goals:
    """Read and check a goals file (default: the packaged goals.yaml). Any malformed file is a
    UdsatError naming the file and the entry, never a traceback."""
    path = Path(path) if path else DEFAULT_GOALS
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, RecursionError) as exc:
        # PyYAML raises ValueError for impossible dates and RecursionError for deep nesting.
        raise UdsatError(f"{path}: cannot read the goals file: {exc}") from exc
    for key in ("version", "baseline_year", "target_year", "goals"):
        if not isinstance(raw, dict) or key not in raw:
            raise _fail(path, "top level", f"the field '{key}' is missing")
    years = {}
    for key in ("version", "baseline_year", "target_year"):
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(path, "top level", f"'{key}' must be a whole number, got {value!r}")
        years[key] = value
    base = catalogue or load_catalogue()
    extras = _extras(path, raw.get("extra_indicators"), base)
    cat = replace(base, indicators=base.indicators + extras) if extras else base
    if extras:
        check_sql(cat)
    default_target = _target(path, "top level", raw.get("target") or {"gap_factor": 0.5})
    subgoals, indicators = [], []
    for n, goal in enumerate(_mappings(path, "goals", raw["goals"]), start=1):
        goal_id = str(goal.get("id", n))
        for sub in _mappings(path, f"goal {goal_id}: subgoals", goal.get("subgoals") or []):
            where = f"goal {goal_id}, sub-goal {sub.get('id', '?')!r}"
            missing = [k for k in ("id", "label_da", "label_en") if not sub.get(k)]
            if missing:
                raise _fail(path, where, f"the field(s) {missing} are missing")
            sub_id = str(sub["id"])
            subgoals.append(
                SubGoal(
                    sub_id,
                    goal_id,
                    str(sub["label_da"]),
                    str(sub["label_en"]),
                    str(sub.get("source", "")),
                )
            )
            specs = _mappings(path, f"sub-goal {sub_id}: indicators", sub.get("indicators") or [])
            indicators += [_goal_indicator(path, sp, sub_id, cat, default_target) for sp in specs]
    life = raw.get("life_table") or {}
    ages = life.get("ages", [0, 1, 5]) if isinstance(life, dict) else None
    if not (
        isinstance(ages, list)
        and len(ages) >= 2
        and ages[0] == 0
        and all(isinstance(a, int) and not isinstance(a, bool) for a in ages)
        and all(b > a for a, b in pairwise(ages))
    ):
        raise _fail(path, "life_table", f"ages must be increasing whole numbers from 0: {ages!r}")
    return Goals(
        version=years["version"],
        path=path,
        baseline_year=years["baseline_year"],
        target_year=years["target_year"],
        subgoals=tuple(subgoals),
        indicators=tuple(indicators),
        catalogue=cat,
        life_table=dict(life),
    )


def _mappings(path: Path, where: str, value: object) -> list[dict[str, Any]]:
    """A list of mappings, or an error naming the entry."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _fail(path, where, f"must be a list of mappings, got {value!r:.60}")
    return value


def _target(path: Path, where: str, value: object) -> dict[str, float]:
    if not (
        isinstance(value, dict)
        and set(value) <= {"gap_factor", "gap"}
        and len(value) == 1
        and isinstance(number := next(iter(value.values())), int | float)
        and not isinstance(number, bool)
    ):
        raise _fail(path, where, f"target must be {{gap_factor: F}} or {{gap: G}}, got {value!r}")
    return {str(k): float(v) for k, v in value.items()}


def _extras(path: Path, value: object, base: Catalogue) -> tuple:
    if value is None:
        return ()
    raw = _mappings(path, "extra", value)
    extras = tuple(parse_indicator(path, e, base.references) for e in raw)
    clash = {e.id for e in extras} & {i.id for i in base.indicators}
    if clash:
        raise _fail(path, "extra_indicators", f"ids already in the catalogue: {sorted(clash)}")
    return extras


def _goal_indicator(
    path: Path, spec: dict[str, Any], subgoal: str, cat: Catalogue, target: dict[str, float]
) -> GoalIndicator:
    where = f"sub-goal {subgoal}, indicator {spec.get('id', '?')!r}"
    kind = spec.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise _fail(path, where, f"kind must be one of {KINDS}, got {kind!r}")
    chosen = _target(path, where, spec["target"]) if spec.get("target") else target
    if not spec.get("id"):
        raise _fail(path, where, "the field 'id' is missing")
    if kind in ("catalogue", "extra"):
        try:
            ind = cat.get(str(spec["id"]))
        except UdsatError as exc:
            raise _fail(path, where, str(exc)) from exc
        return GoalIndicator(
            ind.id,
            kind,
            subgoal,
            ind.label_da,
            ind.label_en,
            ind.direction,
            ind.unit,
            ind.reference,
            chosen,
        )
    if kind == "life_table":
        return GoalIndicator(
            str(spec["id"]),
            kind,
            subgoal,
            "Middellevetid ved fødslen",
            "Life expectancy at birth",
            "higher_is_better",
            "years",
            "udsat.monitoring.lifetable (Chiang)",
            chosen,
        )
    for key in ("label_da", "label_en", "direction", "source"):
        if not spec.get(key):
            raise _fail(path, where, f"the field '{key}' is missing")
    if not isinstance(spec["direction"], str) or spec["direction"] not in DIRECTIONS:
        raise _fail(path, where, f"direction must be one of {DIRECTIONS}")
    return GoalIndicator(
        str(spec["id"]),
        kind,
        subgoal,
        str(spec["label_da"]),
        str(spec["label_en"]),
        spec["direction"],
        "share",
        str(spec["source"]),
        chosen,
    )
