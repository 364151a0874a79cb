"""Disclosure control of a bundle: the tables as they may be published, and nothing else.

The rules are the run's one policy (udsat.publish.policy) with each table's declared spec
(udsat.publish.tables); the areas x years residents table adds secondary suppression with the
city as its total.

Every page, tooltip, chart and download reads the `Published` tables made here, so no figure
reaches the site without passing the rules of `udsat.publish.disclosure`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import geopandas as gpd
import pandas as pd

from udsat.publish import DisclosurePolicy
from udsat.publish import tables as specs
from udsat.publish.disclosure import TOTAL, protect_table
from udsat.report.bundle import ReportBundle, designated_areas

REST = "rest"


@dataclass
class Published:
    """The bundle's figures after primary and secondary suppression."""

    designated: gpd.GeoDataFrame  # area_id, name, residents (latest year), criteria, ...
    housing: gpd.GeoDataFrame  # housing_area_id, name, status, residents, geometry
    area_residents: pd.DataFrame  # area_id (incl. "rest" and TOTAL), year, residents
    lists: pd.DataFrame  # all list years, values of tiny areas blanked
    units: pd.DataFrame | None  # screening units
    series: pd.DataFrame | None  # goal series
    status: pd.DataFrame | None  # goal status
    warnings: pd.DataFrame | None
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)
    suppressed_cells: int = 0
    area_indicators: pd.DataFrame | None = None  # the profiles' criteria per area and year


def housing_status(lists_of_year: pd.DataFrame) -> pd.Series:
    """The list an area is marked with on the map (the strictest list it is on)."""
    status = pd.Series("housing", index=lists_of_year.index, dtype=object)
    for column in ("udsat", "forebyggelse", "parallelsamfund"):  # later overrides earlier
        if column in lists_of_year:
            status = status.mask(lists_of_year[column].fillna(False).astype(bool), column)
    return status


def _area_residents(bundle: ReportBundle, limit: int) -> tuple[pd.DataFrame, int]:
    """Residents per designated area and year with the rest of the city and the city total.

    The areas and the rest add up to the city, so the whole table (areas x years with the city
    as column total) goes through secondary suppression at once.
    """
    if bundle.residents_by_area is None or bundle.city_residents is None:
        return pd.DataFrame(columns=["area_id", "year", "residents"]), 0
    wide = bundle.residents_by_area.pivot_table(
        index="area_id", columns="year", values="residents", aggfunc="sum", fill_value=0
    )
    city = bundle.city_residents.set_index("year")["residents"].reindex(wide.columns).fillna(0)
    wide.loc[REST] = city - wide.sum(axis=0)
    protected = protect_table(wide, limit, row_totals=False, col_totals=True)
    long = cast(pd.Series, protected.values.rename_axis(index="area_id", columns="year").stack())
    table = long.rename("residents").reset_index()
    table["area_id"] = table["area_id"].astype(str)
    table["year"] = table["year"].astype(int)
    return table, int(protected.suppressed.to_numpy().sum())


def _latest(table: pd.DataFrame, year: int) -> pd.Series:
    """Residents per area id in `year` (or the latest year available)."""
    if table.empty:
        return pd.Series(dtype="Int64")
    years = sorted(table["year"].unique())
    use = year if year in years else years[-1]
    rows = table[table["year"] == use]
    return rows.set_index("area_id")["residents"]


def publish_bundle(bundle: ReportBundle) -> Published:
    """Apply the run's disclosure policy to everything the site will show: each table with the
    spec it has wherever it is published (udsat.publish.tables), so the site and the run's
    tables agree cell for cell."""
    limit = bundle.limit
    policy = DisclosurePolicy(limit)
    area_residents, suppressed = _area_residents(bundle, limit)
    latest = _latest(area_residents, bundle.year)
    designated = designated_areas(bundle).copy()
    designated["area_id"] = designated["area_id"].astype(str)
    designated["residents"] = designated["area_id"].map(latest).astype("Float64")
    lists = policy.protect(bundle.state_lists, specs.STATE_LISTS)
    year_lists = lists[lists["list_year"] == bundle.year].set_index("area_id")
    housing = bundle.housing_areas[["housing_area_id", "name", "geometry"]].copy()
    status = housing_status(year_lists.reset_index()).set_axis(year_lists.index)
    housing["status"] = housing["housing_area_id"].map(status).fillna("housing")
    housing["residents"] = housing["housing_area_id"].map(year_lists["residents"])
    units = None
    screening = bundle.screening
    if screening is not None and len(screening.units):
        own = getattr(screening, "own_values", True)
        units = policy.protect(screening.units, specs.screening_units(own))
    series = status_table = None
    if bundle.monitoring is not None:
        series = policy.protect(bundle.monitoring.series, specs.MONITORING_SERIES)
        status_table = bundle.monitoring.status.copy()
    warnings = None
    if bundle.warnings is not None:
        warnings = policy.protect(bundle.warnings, specs.EARLY_WARNING)
    extra = {name: policy.protect(frame, specs.RESIDENTS) for name, frame in bundle.tables.items()}
    area_indicators = None
    if bundle.area_indicators is not None:
        area_indicators = policy.protect(bundle.area_indicators, specs.AREA_INDICATORS)
    return Published(
        designated=designated,
        housing=housing,
        area_residents=area_residents,
        lists=lists,
        units=units,
        series=series,
        status=status_table,
        warnings=warnings,
        extra=extra,
        suppressed_cells=suppressed,
        area_indicators=area_indicators,
    )


def city_total(table: pd.DataFrame, year: int) -> object:
    """The published city total of `year` (NA when suppressed or missing)."""
    rows = table[(table["area_id"] == TOTAL) & (table["year"] == year)]
    return rows["residents"].iloc[0] if len(rows) else pd.NA
