"""The screening's parameters: config.yaml (versioned) read into a typed, checked object.

The file's schema is `ConfigFile` (udsat.strict models): unknown keys, values outside a closed set
and numbers out of range are errors naming the file and the key. A user's file (`udsat screen
--config FILE`) is validated by the same models and read alone, not merged with the packaged
file: a key it leaves out takes the model's default, which is the packaged method's value (the
`aggregate` section's default is empty: no area-level columns).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, NonNegativeFloat, NonNegativeInt, PositiveInt

from udsat.errors import UdsatError
from udsat.indicators.catalogue import CRITERIA, DIRECTIONS, Criterion, Direction
from udsat.screening.messages import say
from udsat.strict import Strict, load_model

__all__ = ["CRITERIA", "DIRECTIONS", "AggregateIndicator", "ScreeningConfig", "load_config"]

DEFAULT_CONFIG = Path(__file__).with_name("config.yaml")
StateList = Literal["parallelsamfund", "forebyggelse", "udsat", "omdannelse"]
Share = Annotated[float, Field(ge=0, le=1)]


class Designation(Strict):
    flag_on: Literal["ratio", "z"] = "ratio"
    margin: NonNegativeFloat = 0.25
    margins: dict[Criterion, NonNegativeFloat] = Field(default_factory=dict)
    z_margin: float = 1.0
    min_criteria: int = Field(default=3, ge=1, le=len(CRITERIA))  # and <= len(criteria): _check
    scale_min_criteria: bool = True
    composite: Literal["mean_z"] = "mean_z"


class Units(Strict):
    default: str = "neighbourhoods"
    k: PositiveInt = 1000
    shrink: bool = True


class Areas(Strict):
    min_residents: NonNegativeInt = 1000
    adjacency: Literal["rook", "queen"] = "rook"
    state_lists: tuple[StateList, ...] = ("parallelsamfund", "forebyggelse")


class Notes(Strict):
    min_unit_residents: NonNegativeInt = 100
    max_student_share: Share = 0.35
    max_age_band_share: Share = 0.5


class Stability(Strict):
    margin_deltas: tuple[float, ...] = (-0.05, 0.0, 0.05)
    min_criteria_deltas: tuple[int, ...] = (-1, 0, 1)
    ks: tuple[PositiveInt, ...] = (500, 1000, 2000)
    shrink: tuple[bool, ...] = (True, False)
    overlap: Share = 0.5


class Comparison(Strict):
    default_layer: str = "udsatte_byomraader_2017"
    match_share: Share = 0.5
    same_share: Share = 0.8


class AggregateColumn(Strict):
    column: str
    direction: Direction


class Aggregate(Strict):
    indicators: dict[Criterion, dict[str, AggregateColumn]] = Field(
        default_factory=dict
    )  # criterion -> id -> column
    student_share_column: str | None = None
    age_band_columns: tuple[str, ...] = ()
    rename: dict[str, str] = Field(default_factory=dict)


class ConfigFile(Strict):
    """The whole file (config.yaml explains every key)."""

    version: str
    criteria: tuple[Criterion, ...] = CRITERIA
    designation: Designation = Designation()
    units: Units = Units()
    areas: Areas = Areas()
    notes: Notes = Notes()
    stability: Stability = Stability()
    comparison: Comparison = Comparison()
    aggregate: Aggregate = Aggregate()


@dataclass(frozen=True)
class AggregateIndicator:
    """One column of an area-level CSV: its criterion, indicator id and direction."""

    indicator_id: str
    criterion: str
    column: str
    direction: str


@dataclass(frozen=True)
class ScreeningConfig:
    """Every parameter of the designation, flat (the defaults live in the models above)."""

    version: str
    criteria: tuple[str, ...]
    flag_on: str
    margin: float
    margins: dict[str, float]
    z_margin: float
    min_criteria: int
    scale_min_criteria: bool
    composite: str
    units: str
    k: int
    shrink: bool
    min_area_residents: int
    adjacency: str
    state_lists: tuple[str, ...]
    min_unit_residents: int
    max_student_share: float
    max_age_band_share: float
    margin_deltas: tuple[float, ...]
    min_criteria_deltas: tuple[int, ...]
    ks: tuple[int, ...]
    shrink_options: tuple[bool, ...]
    stability_overlap: float
    compare_layer: str
    match_share: float
    same_share: float
    aggregate_indicators: tuple[AggregateIndicator, ...]
    student_share_column: str | None
    age_band_columns: tuple[str, ...]
    aggregate_rename: dict[str, str]
    source: str

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
    """Read and check a screening configuration (default: the packaged config.yaml); any
    problem is one UdsatError naming the file and the key."""
    path = Path(path) if path is not None else DEFAULT_CONFIG
    spec = load_model(path, ConfigFile)
    _check(spec, path)
    return _flatten(spec, str(path))


def _check(spec: ConfigFile, path: Path) -> None:
    """The rule between keys: min_criteria of at most the criteria screened."""
    count = spec.designation.min_criteria
    if count > len(spec.criteria):
        text = say(
            "config_range",
            key="designation.min_criteria",
            value=count,
            low=1,
            high=len(spec.criteria),
        )
        raise UdsatError(f"{path.name}: {text}")


def _flatten(spec: ConfigFile, source: str) -> ScreeningConfig:
    des, units, areas, notes = spec.designation, spec.units, spec.areas, spec.notes
    stab, comp, agg = spec.stability, spec.comparison, spec.aggregate
    return ScreeningConfig(
        version=spec.version,
        criteria=spec.criteria,
        flag_on=des.flag_on,
        margin=des.margin,
        margins={c: m for c, m in des.margins.items()},
        z_margin=des.z_margin,
        min_criteria=des.min_criteria,
        scale_min_criteria=des.scale_min_criteria,
        composite=des.composite,
        units=units.default,
        k=units.k,
        shrink=units.shrink,
        min_area_residents=areas.min_residents,
        adjacency=areas.adjacency,
        state_lists=areas.state_lists,
        min_unit_residents=notes.min_unit_residents,
        max_student_share=notes.max_student_share,
        max_age_band_share=notes.max_age_band_share,
        margin_deltas=stab.margin_deltas,
        min_criteria_deltas=stab.min_criteria_deltas,
        ks=stab.ks,
        shrink_options=stab.shrink,
        stability_overlap=stab.overlap,
        compare_layer=comp.default_layer,
        match_share=comp.match_share,
        same_share=comp.same_share,
        aggregate_indicators=tuple(
            AggregateIndicator(ind, crit, col.column, col.direction)
            for crit, indicators in agg.indicators.items()
            for ind, col in indicators.items()
        ),
        student_share_column=agg.student_share_column,
        age_band_columns=agg.age_band_columns,
        aggregate_rename=dict(agg.rename),
        source=source,
    )
