"""Disclosure control of a bundle: the tables as they may be published, and nothing else.

Every page, tooltip, chart and download reads the `Published` tables made here, so no figure
reaches the site without passing the rules of `udsat.disclosure`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from udsat.disclosure import (
    TOTAL,
    primary_mask,
    protect_table,
    suppress_by_residents,
    suppress_rates,
)
from udsat.report.bundle import ReportBundle, designated_areas

# Columns that count people; anything else in a row rests on the row's residents.
COUNT_COLUMNS = (
    "residents",
    "numerator",
    "denominator",
    "households",
    "persons",
    "count",
    "inhabited_addresses",
    "aged_0",
    "deaths_during_year",
    "moved_since_last_year",
)
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
    long = protected.values.rename_axis(index="area_id", columns="year").stack()
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


def _series(series: pd.DataFrame, limit: int) -> pd.DataFrame:
    out = series.copy()
    for column in ("value", "ci_low", "ci_high"):
        if column in out:
            out[column] = suppress_rates(out[column], out["numerator"], out["denominator"], limit)
    for column in ("numerator", "denominator"):
        out[column] = out[column].astype("Float64").mask(primary_mask(out[column], limit))
    return out


def _counts(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Primary suppression of every count column of a free-form table; rates follow residents."""
    out = frame.copy()
    for column in COUNT_COLUMNS:
        if column in out and pd.api.types.is_numeric_dtype(out[column]):
            small = primary_mask(out[column].to_numpy(dtype=float, na_value=np.nan), limit)
            out[column] = out[column].astype("Float64").mask(small)
    return out


def publish_bundle(bundle: ReportBundle) -> Published:
    """Apply disclosure control to everything the site will show."""
    limit = bundle.limit
    area_residents, suppressed = _area_residents(bundle, limit)
    latest = _latest(area_residents, bundle.year)
    designated = designated_areas(bundle).copy()
    designated["area_id"] = designated["area_id"].astype(str)
    designated["residents"] = designated["area_id"].map(latest).astype("Float64")
    lists = suppress_by_residents(
        bundle.state_lists,
        [c for c in bundle.state_lists if c.endswith(("_value", "_margin_pp", "_margin_people"))],
        limit,
    )
    year_lists = lists[lists["list_year"] == bundle.year].set_index("area_id")
    housing = bundle.housing_areas[["housing_area_id", "name", "geometry"]].copy()
    status = housing_status(year_lists.reset_index()).set_axis(year_lists.index)
    housing["status"] = housing["housing_area_id"].map(status).fillna("housing")
    housing["residents"] = housing["housing_area_id"].map(year_lists["residents"])
    units = None
    if bundle.screening is not None and len(bundle.screening.units):
        value_cols = [c for c in bundle.screening.units if c.endswith(("_value", "_ratio"))]
        units = suppress_by_residents(bundle.screening.units, [*value_cols, "composite"], limit)
    series = status_table = None
    if bundle.monitoring is not None:
        series = _series(bundle.monitoring.series, limit)
        status_table = bundle.monitoring.status.copy()
    warnings = None
    if bundle.warnings is not None:
        probs = [c for c in bundle.warnings if c.startswith(("p_", "people_to_", "expected_"))]
        warnings = suppress_by_residents(bundle.warnings, probs, limit)
    extra = {name: _counts(frame, limit) for name, frame in bundle.tables.items()}
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
    )


def city_total(table: pd.DataFrame, year: int) -> object:
    """The published city total of `year` (NA when suppressed or missing)."""
    rows = table[(table["area_id"] == TOTAL) & (table["year"] == year)]
    return rows["residents"].iloc[0] if len(rows) else pd.NA
