"""The screening's parameters: config.yaml (versioned) read into a typed, checked object."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from udsat.errors import DataContractError, Problem
from udsat.screening.messages import say

DEFAULT_CONFIG = Path(__file__).with_name("config.yaml")
CRITERIA = ("income", "education", "labour", "youth", "health", "safety")
DIRECTIONS = ("higher_is_worse", "higher_is_better")


@dataclass(frozen=True)
class AggregateIndicator:
    """One column of an area-level CSV: its criterion, indicator id and direction."""

    indicator_id: str
    criterion: str
    column: str
    direction: str


@dataclass(frozen=True)
class ScreeningConfig:
    """Every parameter of the designation (see config.yaml for the meaning of each)."""

    version: str
    criteria: tuple[str, ...] = CRITERIA
    flag_on: str = "ratio"
    margin: float = 0.25
    margins: dict[str, float] = field(default_factory=dict)
    z_margin: float = 1.0
    min_criteria: int = 3
    scale_min_criteria: bool = True
    composite: str = "mean_z"
    units: str = "neighbourhoods"
    k: int = 1000
    shrink: bool = True
    min_area_residents: int = 1000
    adjacency: str = "rook"
    state_lists: tuple[str, ...] = ("parallelsamfund", "forebyggelse")
    min_unit_residents: int = 100
    max_student_share: float = 0.35
    max_age_band_share: float = 0.5
    margin_deltas: tuple[float, ...] = (-0.05, 0.0, 0.05)
    min_criteria_deltas: tuple[int, ...] = (-1, 0, 1)
    ks: tuple[int, ...] = (500, 1000, 2000)
    shrink_options: tuple[bool, ...] = (True, False)
    stability_overlap: float = 0.5
    compare_layer: str = "udsatte_byomraader_2017"
    match_share: float = 0.5
    same_share: float = 0.8
    aggregate_indicators: tuple[AggregateIndicator, ...] = ()
    student_share_column: str | None = None
    age_band_columns: tuple[str, ...] = ()
    aggregate_rename: dict[str, str] = field(default_factory=dict)
    source: str = str(DEFAULT_CONFIG)

    def margin_for(self, criterion: str) -> float:
        """The flag margin of `criterion` (ratio or z, as `flag_on` says)."""
        if self.flag_on == "z":
            return float(self.margins.get(criterion, self.z_margin))
        return float(self.margins.get(criterion, self.margin))

    def required_criteria(self, available: int) -> int:
        """How many flagged criteria make a unit vulnerable when `available` criteria exist."""
        if not self.scale_min_criteria or available >= len(self.criteria):
            return self.min_criteria
        return max(1, math.ceil(self.min_criteria * available / len(self.criteria)))

    def varied(self, **changes: Any) -> ScreeningConfig:
        """A copy with some parameters changed (the stability grid's variations)."""
        return replace(self, **changes)


def load_config(path: Path | None = None) -> ScreeningConfig:
    """Read and check a screening configuration (default: the packaged config.yaml)."""
    path = Path(path) if path is not None else DEFAULT_CONFIG
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    # ValueError: PyYAML on impossible dates (2020-13-45); RecursionError: deeply nested input.
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, RecursionError) as exc:
        raise DataContractError(
            [Problem(str(path), "unreadable", say("config_unreadable", error=exc))]
        ) from exc
    if not isinstance(raw, dict):
        raise DataContractError([Problem(str(path), "structure", say("config_not_mapping"))])
    return _build(raw, str(path))


def _section(raw: dict, name: str, source: str) -> dict:
    value = raw.get(name, {}) or {}
    if not isinstance(value, dict):
        raise DataContractError([Problem(source, "structure", say("config_section", name=name))])
    return value


def _build(raw: dict[str, Any], source: str) -> ScreeningConfig:
    des, units = _section(raw, "designation", source), _section(raw, "units", source)
    areas, notes = _section(raw, "areas", source), _section(raw, "notes", source)
    stab, comp = _section(raw, "stability", source), _section(raw, "comparison", source)
    agg = _section(raw, "aggregate", source)
    try:
        config = ScreeningConfig(
            version=str(raw["version"]),
            criteria=tuple(raw.get("criteria", CRITERIA)),
            flag_on=str(des.get("flag_on", "ratio")),
            margin=float(des.get("margin", 0.25)),
            margins={str(k): float(v) for k, v in (des.get("margins") or {}).items()},
            z_margin=float(des.get("z_margin", 1.0)),
            min_criteria=int(des.get("min_criteria", 3)),
            scale_min_criteria=bool(des.get("scale_min_criteria", True)),
            composite=str(des.get("composite", "mean_z")),
            units=str(units.get("default", "neighbourhoods")),
            k=int(units.get("k", 1000)),
            shrink=bool(units.get("shrink", True)),
            min_area_residents=int(areas.get("min_residents", 1000)),
            adjacency=str(areas.get("adjacency", "rook")),
            state_lists=tuple(areas.get("state_lists", ("parallelsamfund", "forebyggelse"))),
            min_unit_residents=int(notes.get("min_unit_residents", 100)),
            max_student_share=float(notes.get("max_student_share", 0.35)),
            max_age_band_share=float(notes.get("max_age_band_share", 0.5)),
            margin_deltas=tuple(float(v) for v in stab.get("margin_deltas", (-0.05, 0, 0.05))),
            min_criteria_deltas=tuple(int(v) for v in stab.get("min_criteria_deltas", (-1, 0, 1))),
            ks=tuple(int(v) for v in stab.get("ks", (500, 1000, 2000))),
            shrink_options=tuple(bool(v) for v in stab.get("shrink", (True, False))),
            stability_overlap=float(stab.get("overlap", 0.5)),
            compare_layer=str(comp.get("default_layer", "udsatte_byomraader_2017")),
            match_share=float(comp.get("match_share", 0.5)),
            same_share=float(comp.get("same_share", 0.8)),
            aggregate_indicators=_aggregate_indicators(agg.get("indicators") or {}),
            student_share_column=agg.get("student_share_column"),
            age_band_columns=tuple(agg.get("age_band_columns") or ()),
            aggregate_rename={str(k): str(v) for k, v in (agg.get("rename") or {}).items()},
            source=source,
        )
    except KeyError as exc:
        raise DataContractError(
            [Problem(source, "missing_key", say("config_missing", key=exc.args[0]))]
        ) from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise DataContractError(
            [Problem(source, "bad_value", say("config_bad", error=exc))]
        ) from exc
    _check(config)
    return config


def _aggregate_indicators(raw: dict[str, Any]) -> tuple[AggregateIndicator, ...]:
    return tuple(
        AggregateIndicator(str(ind), str(crit), str(spec["column"]), str(spec["direction"]))
        for crit, indicators in raw.items()
        for ind, spec in indicators.items()
    )


def _check(config: ScreeningConfig) -> None:
    """Every rule a configuration must meet, all problems at once."""
    problems: list[str] = []
    unknown = [c for c in config.criteria if c not in CRITERIA]
    if unknown:
        problems.append(say("config_criteria", names=", ".join(unknown), known=", ".join(CRITERIA)))
    if config.flag_on not in ("ratio", "z"):
        problems.append(
            say(
                "config_choice", key="designation.flag_on", value=config.flag_on, allowed="ratio, z"
            )
        )
    if config.composite != "mean_z":
        problems.append(
            say(
                "config_choice",
                key="designation.composite",
                value=config.composite,
                allowed="mean_z",
            )
        )
    if config.adjacency not in ("rook", "queen"):
        problems.append(
            say(
                "config_choice",
                key="areas.adjacency",
                value=config.adjacency,
                allowed="rook, queen",
            )
        )
    if not 1 <= config.min_criteria <= len(config.criteria):
        problems.append(
            say(
                "config_range",
                key="designation.min_criteria",
                value=config.min_criteria,
                low=1,
                high=len(config.criteria),
            )
        )
    if config.margin < 0 or any(v < 0 for v in config.margins.values()):
        problems.append(
            say("config_range", key="designation.margin", value=config.margin, low=0, high="...")
        )
    for lst in config.state_lists:
        if lst not in ("parallelsamfund", "forebyggelse", "udsat", "omdannelse"):
            problems.append(
                say(
                    "config_choice",
                    key="areas.state_lists",
                    value=lst,
                    allowed="parallelsamfund, forebyggelse, udsat, omdannelse",
                )
            )
    for ind in config.aggregate_indicators:
        if ind.direction not in DIRECTIONS or ind.criterion not in CRITERIA:
            problems.append(
                say(
                    "config_choice",
                    key=f"aggregate.indicators.{ind.indicator_id}",
                    value=f"{ind.criterion}/{ind.direction}",
                    allowed=f"{'|'.join(CRITERIA)} / {'|'.join(DIRECTIONS)}",
                )
            )
    if problems:
        raise DataContractError([Problem(config.source, "config", text) for text in problems])
