"""What the report shows: one `ReportBundle`, assembled from the pipeline's results.

The site generator reads nothing else. Screening, monitoring and early warning are optional: a
page whose input is missing says so instead of showing invented numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import duckdb
import geopandas as gpd
import pandas as pd

from udsat.contract.dataset import Dataset, open_dataset
from udsat.errors import UdsatError
from udsat.report.messages import msg
from udsat.runlog import RunLog
from udsat.suppression import DEFAULT_LIMIT

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


def designated_areas(bundle: ReportBundle) -> gpd.GeoDataFrame:
    """The designated udsatte byområder (screening areas of kind "screening")."""
    if bundle.screening is None:
        return gpd.GeoDataFrame(
            {"area_id": [], "name": [], "kind": []}, geometry=[], crs="EPSG:25832"
        )
    areas = bundle.screening.areas
    return areas[areas["kind"] == "screening"].reset_index(drop=True)


def read_year_choice(state_lists: pd.DataFrame, year: int | None) -> int:
    """The report year: the one asked for, else the latest list year of the data."""
    years = sorted(int(y) for y in state_lists["list_year"].dropna().unique())
    if year is not None:
        return year
    if not years:
        raise UdsatError(msg("no_list_year", None))
    return years[-1]


def bundle_from_dataset(
    data: Path | Dataset,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
    lists: pd.DataFrame | None = None,
    log: RunLog | None = None,
    year: int | None = None,
    lang: str = "da",
    screening: ScreeningLike | None = None,
    monitoring: MonitoringLike | None = None,
    warnings: pd.DataFrame | None = None,
    tables: dict[str, pd.DataFrame] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> ReportBundle:
    """A bundle computed from a dataset directory with what udsat computes today.

    The state's lists, housing areas, residents per designated area and the city, initiatives
    and the bydele as map background come from the data; screening, monitoring and warnings are
    passed in by the pipeline when those steps ran. Without a screening result, the 2017 policy
    areas (`units/udsatte_byomraader_2017`) stand in as the designated areas, and the method page
    says so.

    `data` may be an open (validated) Dataset with its connection `con`, and `lists` the state
    lists the pipeline already computed, so nothing is validated or computed twice.
    """
    from udsat import pipeline

    log = log if log is not None else RunLog()
    if isinstance(data, Dataset):
        dataset = data
    else:
        dataset = open_dataset(data)
        dataset.validate(log=log)
    con = con if con is not None else dataset.connect()
    if lists is None:
        lists = pipeline.state_lists(con, log)
    report_year = read_year_choice(lists, year)
    if screening is None and "units_udsatte_byomraader_2017" in dataset.tables:
        screening = policy_areas_as_screening(
            dataset.read_geo("units/udsatte_byomraader_2017"), report_year
        )
    residents = None
    if screening is not None:
        # The designated areas only: the screening's areas also hold the state-listed housing
        # areas, which overlap them (an address counts once) and are not designated.
        areas = screening.areas[screening.areas["kind"] == "screening"]
        units = areas[["area_id", "name", "geometry"]].rename(columns={"area_id": "unit_id"})
        residents = residents_in_polygons(con, units, log)
    city = con.sql("SELECT year, count(*) AS residents FROM persons GROUP BY year ORDER BY year")
    initiatives = None
    if "initiatives" in dataset.tables:
        initiatives = pd.read_csv(dataset.tables["initiatives"], dtype=str, keep_default_na=False)
    # Counts and reasons only: a run log's example rows hold input ids, never published.
    exclusions = [{"table": e.table, "reason": e.reason, "rows": e.rows} for e in log.exclusions]
    manifest = {
        "dataset": dataset.manifest,
        "run_log": {"exclusions": exclusions, "notes": list(log.notes)},
    }
    layers = {
        name.removeprefix("units_"): dataset.read_geo(name)
        for name in dataset.tables
        if name.startswith("units_")
    }
    return ReportBundle(
        year=report_year,
        manifest=manifest,
        state_lists=lists,
        housing_areas=dataset.read_geo("housing_areas"),
        lang=lang,
        tables=dict(tables or {}),
        screening=screening,
        monitoring=monitoring,
        warnings=warnings,
        initiatives=initiatives,
        background=layers.get("bydele"),
        initiative_layers=layers,
        residents_by_area=residents,
        city_residents=city.df(),
        limit=limit,
    )


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


def residents_in_polygons(
    con: duckdb.DuckDBPyConnection, units: gpd.GeoDataFrame, log: RunLog
) -> pd.DataFrame:
    """Residents per polygon and year (area_id, year, residents); outside addresses are logged."""
    from udsat.geo import assign_points

    addresses = con.sql("SELECT address_id, x, y FROM addresses ORDER BY address_id").df()
    addresses["unit_id"] = assign_points(
        addresses["x"].to_numpy(), addresses["y"].to_numpy(), units, "unit_id"
    ).to_numpy()
    log.note(
        f"report: {int(addresses['unit_id'].isna().sum())} addresses lie outside every "
        "designated area (they belong to the rest of the city)"
    )
    con.register("report_address_area", addresses[["address_id", "unit_id"]].dropna())
    counts = con.sql(
        """
        SELECT a.unit_id AS area_id, p.year, count(*) AS residents
        FROM persons p JOIN report_address_area a USING (address_id)
        GROUP BY ALL ORDER BY area_id, p.year
        """
    ).df()
    con.unregister("report_address_area")
    return counts
