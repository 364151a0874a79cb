"""What the report shows: one `ReportBundle`, assembled by the pipeline from its results
(udsat.pipeline.report_step); this package runs no query and imports nothing of the pipeline.

The site generator reads nothing else. Screening, monitoring and early warning are optional: a
page whose input is missing says so instead of showing invented numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import geopandas as gpd
import pandas as pd

from udsat.errors import UdsatError
from udsat.publish.disclosure import DEFAULT_LIMIT
from udsat.report.messages import msg

STATUS_LISTS = ("parallelsamfund", "forebyggelse", "omdannelse", "udsat")


class ScreeningLike(Protocol):
    """The part of `udsat.screening.ScreeningResult` the report reads."""

    year: int
    units: pd.DataFrame
    unit_geometry: gpd.GeoDataFrame | None
    areas: gpd.GeoDataFrame
    comparison: pd.DataFrame | None
    summary_da: str


class MonitoringLike(Protocol):
    """The part of `udsat.monitoring.MonitoringResult` the report reads."""

    series: pd.DataFrame
    status: pd.DataFrame
    initiatives: pd.DataFrame


@dataclass
class ReportBundle:
    """Everything the site shows, already computed; `build_site` adds disclosure control.

    state_lists: `udsat.statelists` output (any number of list years; the site shows `year`'s and
    each housing area's history). housing_areas: housing_area_id, name, geometry (EPSG:25832).
    background: polygons drawn under the maps (e.g. the bydele), optional.
    tables: further tables for the downloads (name -> frame, counts in `residents`).
    initiatives: `initiatives.csv` of the data contract; its `areas` tokens ("city" or
    "<layer>:<unit_id>") are resolved with `initiative_layers` (layer -> unit_id, geometry): an
    initiative belongs to an area when the area overlaps the token's polygon.
    residents_by_area: area_id, year, residents for the designated areas (for key figures and
    trends); city_residents: year, residents for the whole city.
    """

    year: int
    manifest: dict[str, Any]
    state_lists: pd.DataFrame
    housing_areas: gpd.GeoDataFrame
    lang: str = "da"
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    screening: ScreeningLike | None = None
    monitoring: MonitoringLike | None = None
    warnings: pd.DataFrame | None = None
    initiatives: pd.DataFrame | None = None
    background: gpd.GeoDataFrame | None = None
    residents_by_area: pd.DataFrame | None = None
    city_residents: pd.DataFrame | None = None
    # The screening's indicators per designated area and for the city (area_id "city") over the
    # report year and the years before it (udsat.pipeline.area_indicator_series): area_id,
    # indicator_id, criterion, direction, year, numerator, denominator, value, ci_low, ci_high.
    area_indicators: pd.DataFrame | None = None
    initiative_layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    limit: int = DEFAULT_LIMIT
    basemap_url: str | None = None

    def __post_init__(self) -> None:
        if self.lang not in ("da", "en"):
            raise UdsatError(msg("bad_lang", "da", lang=self.lang))
        if self.limit < 1:
            raise UdsatError(msg("bad_limit", self.lang, limit=self.limit))
        for name, frame in (("housing_areas", self.housing_areas),) + (
            (("screening.areas", self.screening.areas),) if self.screening is not None else ()
        ):
            if frame.crs is None or frame.crs.to_epsg() != 25832:
                raise UdsatError(msg("bad_crs", self.lang, name=name, crs=frame.crs))

    @property
    def lists_of_year(self) -> pd.DataFrame:
        """The state's lists of the report year (empty when the data do not cover it)."""
        table = self.state_lists
        return table[table["list_year"] == self.year].reset_index(drop=True)


def designated_areas_of(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The designated udsatte byområder among a screening's areas (kind "screening"; the
    others are state-listed housing areas, marked for the year)."""
    return areas[areas["kind"] == "screening"].reset_index(drop=True)


def designated_areas(bundle: ReportBundle) -> gpd.GeoDataFrame:
    """The designated udsatte byområder of the bundle (none without a screening)."""
    if bundle.screening is None:
        return gpd.GeoDataFrame(
            {"area_id": [], "name": [], "kind": []}, geometry=[], crs="EPSG:25832"
        )
    return designated_areas_of(bundle.screening.areas)


def read_year_choice(state_lists: pd.DataFrame, year: int | None) -> int:
    """The report year: the one asked for, else the latest list year of the data."""
    years = sorted(int(y) for y in state_lists["list_year"].dropna().unique())
    if year is not None:
        return year
    if not years:
        raise UdsatError(msg("no_list_year", None))
    return years[-1]


@dataclass
class PolicyAreas:
    """The 2017 policy areas in the shape of a screening result (a stand-in, marked as such)."""

    year: int
    units: pd.DataFrame
    unit_geometry: gpd.GeoDataFrame | None
    areas: gpd.GeoDataFrame
    comparison: pd.DataFrame | None
    summary_da: str
    stand_in: bool = True


def policy_areas_as_screening(layer: gpd.GeoDataFrame, year: int) -> PolicyAreas:
    """The policy's 2017 udsatte byområder as the designated areas, until screening runs."""
    areas = gpd.GeoDataFrame(
        {
            "area_id": layer["unit_id"].astype(str),
            "name": layer["name"].astype(str),
            "kind": "screening",
            "residents": pd.NA,
            "criteria_flagged": pd.NA,
            "criteria": "",
            "explanation_da": msg("policy_stand_in", "da"),
            "explanation_en": msg("policy_stand_in", "en"),
            "stability": float("nan"),
        },
        geometry=layer.geometry.to_numpy(),
        crs=layer.crs,
    )
    return PolicyAreas(year, pd.DataFrame(), None, areas, None, msg("policy_stand_in", "da"))
