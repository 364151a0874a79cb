"""The goal framework (goals.yaml): sub-goals, their indicators, directions, baseline and targets.

Catalogue indicators are referenced by id; the policy's indicators that the screening catalogue
lacks are defined in goals.yaml in the catalogue's own format and appended to it, so the one
indicator engine (udsat.indicators.compute_indicators) computes both.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from udsat.errors import UdsatError
from udsat.indicators import Catalogue, load_catalogue
from udsat.indicators.catalogue import _indicator, check_sql  # the catalogue's own parser

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
    """Read and check a goals file (default: the packaged goals.yaml)."""
    path = Path(path) if path else DEFAULT_GOALS
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise UdsatError(f"{path}: cannot read the goals file: {exc}") from exc
    for key in ("version", "baseline_year", "target_year", "goals"):
        if not isinstance(raw, dict) or key not in raw:
            raise _fail(path, "top level", f"the field '{key}' is missing")
    base = catalogue or load_catalogue()
    extras = tuple(_indicator(path, e, base.references) for e in raw.get("extra_indicators") or [])
    clash = {e.id for e in extras} & {i.id for i in base.indicators}
    if clash:
        raise _fail(path, "extra_indicators", f"ids already in the catalogue: {sorted(clash)}")
    cat = replace(base, indicators=base.indicators + extras) if extras else base
    if extras:
        check_sql(cat)
    default_target = dict(raw.get("target") or {"gap_factor": 0.5})
    subgoals, indicators = [], []
    for goal in raw["goals"]:
        for sub in goal.get("subgoals") or []:
            subgoals.append(
                SubGoal(
                    str(sub["id"]),
                    str(goal["id"]),
                    sub["label_da"],
                    sub["label_en"],
                    str(sub.get("source", "")),
                )
            )
            for spec in sub.get("indicators") or []:
                indicators.append(_goal_indicator(path, spec, str(sub["id"]), cat, default_target))
    return Goals(
        version=int(raw["version"]),
        path=path,
        baseline_year=int(raw["baseline_year"]),
        target_year=int(raw["target_year"]),
        subgoals=tuple(subgoals),
        indicators=tuple(indicators),
        catalogue=cat,
        life_table=dict(raw.get("life_table") or {}),
    )


def _goal_indicator(
    path: Path, spec: dict[str, Any], subgoal: str, cat: Catalogue, target: dict[str, float]
) -> GoalIndicator:
    where = f"sub-goal {subgoal}, indicator {spec.get('id', '?')!r}"
    kind = spec.get("kind")
    if kind not in KINDS:
        raise _fail(path, where, f"kind must be one of {KINDS}, got {kind!r}")
    chosen = {**target, **(spec.get("target") or {})}
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
    if spec["direction"] not in DIRECTIONS:
        raise _fail(path, where, f"direction must be one of {DIRECTIONS}")
    return GoalIndicator(
        str(spec["id"]),
        kind,
        subgoal,
        spec["label_da"],
        spec["label_en"],
        spec["direction"],
        "share",
        spec["source"],
        chosen,
    )
