"""The screening's result: one object the CLI, the demo and the report read."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from udsat.contract.schemas import CRS
from udsat.runlog import RunLog
from udsat.screening.config import ScreeningConfig

AREA_COLUMNS = (
    "area_id",
    "name",
    "kind",
    "residents",
    "criteria_flagged",
    "criteria",
    "composite",
    "explanation_da",
    "explanation_en",
    "stability",
)


@dataclass
class ScreeningResult:
    """Units with their criteria and verdict, the designated areas, and the comparison."""

    year: int
    config: ScreeningConfig
    units: pd.DataFrame
    unit_geometry: gpd.GeoDataFrame | None
    areas: gpd.GeoDataFrame
    comparison: pd.DataFrame | None
    summary_da: str
    summary_en: str = ""
    log: RunLog = field(default_factory=RunLog)
    timings: dict[str, float] = field(default_factory=dict)
    synthetic: bool = False
    unit_label: str = "neighbourhoods"  # "neighbourhoods", a layer name, or "aggregate"
    # True when a unit's figures are its own people's (polygons, cells, area-level data): they
    # are blanked with a unit of 1-4 residents. False for bespoke neighbourhoods (~k people).
    own_values: bool = True
    # How many rule variations the stability grid ran, and the residents of the city and of the
    # designated areas (for the summary's shares).
    variants: int = 0
    city_residents: float = 0.0
    residents_covered: float | None = None
    comparison_layer: str = ""  # what the comparison compares with


def empty_areas() -> gpd.GeoDataFrame:
    """No designated areas (e.g. area-level data without geometry)."""
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in AREA_COLUMNS})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)
