"""The designated areas: joined screening areas and the state-listed housing areas of the year."""

from __future__ import annotations

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from udsat.contract.schemas import CRS
from udsat.geo import assign_points
from udsat.screening.config import ScreeningConfig
from udsat.screening.explain import area_criteria, area_profile, explain
from udsat.screening.join import NOT_IN_AREA, area_geometry
from udsat.screening.messages import say
from udsat.screening.result import AREA_COLUMNS, empty_areas
from udsat.screening.units import UnitBase


def screening_areas(
    units: pd.DataFrame,
    labels: np.ndarray,
    base: UnitBase,
    config: ScreeningConfig,
    names_layer: gpd.GeoDataFrame | None,
) -> gpd.GeoDataFrame:
    """One row per joined area (label order), explained in Danish and English."""
    if not (labels != NOT_IN_AREA).any():
        return empty_areas()
    profile = area_profile(units, labels, config)
    criteria = area_criteria(profile, config)
    frame = pd.DataFrame(
        {
            "area_id": [f"byomraade_{i + 1:03d}" for i in profile.index],
            "name": _names(labels, base, names_layer, len(profile)),
            "kind": "screening",
            "residents": profile["residents"].round().astype(int).to_numpy(),
            "criteria_flagged": [len([c for c in s.split(";") if c]) for s in criteria],
            "criteria": criteria.to_numpy(),
            "composite": profile["composite"].to_numpy(),
            "explanation_da": explain(profile, config, "da"),
            "explanation_en": explain(profile, config, "en"),
            "stability": np.nan,
        }
    )
    geometry = area_geometry(labels, base.geometry, base.coverage)
    return gpd.GeoDataFrame(frame[list(AREA_COLUMNS)], geometry=geometry, crs=CRS)


def _names(labels, base: UnitBase, layer, count: int) -> list[str]:
    """The kvarter holding most of each area's residents; numbered when names repeat."""
    inside = labels != NOT_IN_AREA
    found = name_by_layer(
        base.points[0][inside],
        base.points[1][inside],
        base.residents[inside],
        labels[inside],
        layer,
    )
    names = [str(found.get(i, f"Område {i + 1}")) for i in range(count)]
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if names.count(name) == 1 else f"{name} {seen[name]}")
    return out


def state_areas(
    table: pd.DataFrame | None,
    con: duckdb.DuckDBPyConnection,
    year: int,
    config: ScreeningConfig,
    units: pd.DataFrame,
    base: UnitBase,
    housing: gpd.GeoDataFrame | None,
) -> gpd.GeoDataFrame:
    """The housing areas on the configured state lists of `year`, marked with their list.

    `table`: the state's lists of `year` (udsat.statelists.run.lists_for_data; None: not
    available). `con` only looks up the outline of an area without a polygon (addresses).
    """
    if table is None or table.empty:
        return empty_areas()
    listed = table.reset_index(drop=True)
    listed["kind"] = None
    for name in reversed(config.state_lists):  # the first list named wins
        if name not in listed:  # a list the year's rule set does not have
            continue
        on = listed[name].astype("boolean").fillna(False).to_numpy(bool)
        listed.loc[on, "kind"] = name
    listed = listed[listed["kind"].notna()].reset_index(drop=True)
    if listed.empty:
        return empty_areas()
    geometry = _outlines(con, listed["area_id"], housing)
    profile = _state_profile(units, base, geometry, config)
    criteria = area_criteria(profile, config).fillna("")
    frame = pd.DataFrame(
        {
            "area_id": "state_" + listed["area_id"].astype(str),
            "name": listed["area_name"].astype(str),
            "kind": listed["kind"],
            "residents": listed["residents"].astype(int),
            "criteria_flagged": [len([c for c in s.split(";") if c]) for s in criteria],
            "criteria": criteria.to_numpy(),
            "composite": profile["composite"].to_numpy(),
            "explanation_da": [
                say("why_state", "da", list=say(f"list_{k}", "da"), year=year, state_reason=f" {r}")
                for k, r in zip(listed["kind"], listed["reasons"], strict=True)
            ],
            "explanation_en": [
                say("why_state", "en", list=say(f"list_{k}", "en"), year=year, state_reason="")
                for k in listed["kind"]
            ],
            "stability": 1.0,  # listed by law: independent of the screening's method
        }
    )
    return gpd.GeoDataFrame(frame[list(AREA_COLUMNS)], geometry=geometry, crs=CRS)


def _outlines(
    con: duckdb.DuckDBPyConnection, area_ids: pd.Series, housing: gpd.GeoDataFrame | None
) -> np.ndarray:
    """Each area's polygon; without one, the union of the 100 m cells of its addresses.

    A small geometry lookup over the addresses table (no person rows): on the DuckDB connection.
    """
    known = {}
    if housing is not None:
        known = dict(zip(housing["housing_area_id"].astype(str), housing.geometry, strict=True))
    out = []
    for area in area_ids.astype(str):
        if area in known:
            out.append(known[area])
            continue
        xy = con.execute(
            "SELECT DISTINCT floor(x / 100) * 100 AS x0, floor(y / 100) * 100 AS y0 "
            "FROM addresses WHERE housing_area_id = ?",
            [area],
        ).df()
        boxes = shapely.box(xy["x0"], xy["y0"], xy["x0"] + 100, xy["y0"] + 100)
        out.append(shapely.union_all(boxes))
    return np.array(out, dtype=object)


def _state_profile(
    units: pd.DataFrame, base: UnitBase, geometry: np.ndarray, config: ScreeningConfig
) -> pd.DataFrame:
    """The screening's view of each listed area: the cells inside it, or (polygon units,
    usually larger than a housing area) the unit containing the area's inner point."""
    if base.kind != "polygons":
        return area_profile(units, _labels_inside(base, geometry), config).reindex(
            range(len(geometry))
        )
    inner = shapely.point_on_surface(geometry)
    rows = []
    for point in inner:
        labels = np.full(len(base.unit_ids), NOT_IN_AREA, np.int64)
        hit = np.flatnonzero(shapely.intersects(base.geometry, point))[:1]
        labels[hit] = 0
        rows.append(area_profile(units, labels, config).reindex([0]))
    return pd.concat(rows, ignore_index=True)


def _labels_inside(base: UnitBase, geometry: np.ndarray) -> np.ndarray:
    """Per unit: the index of the area containing its point, or NOT_IN_AREA."""
    labels = np.full(len(base.unit_ids), NOT_IN_AREA, np.int64)
    x, y = base.points
    for i, geom in enumerate(geometry):
        shapely.prepare(geom)
        hit = shapely.intersects_xy(geom, x, y) & (labels == NOT_IN_AREA)
        labels[hit] = i
    return labels


def name_by_layer(
    x: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray,
    groups: np.ndarray,
    layer: gpd.GeoDataFrame | None,
) -> dict[int, str]:
    """Per group label: the name of the layer unit holding most of its weight."""
    if layer is None or not len(x):
        return {}
    names = assign_points(x, y, layer, "name")
    frame = pd.DataFrame({"g": groups, "name": names, "w": weights}).dropna()
    best = (
        frame.groupby(["g", "name"])["w"]
        .sum()
        .reset_index()
        .sort_values(["g", "w"], ascending=[True, False])
    )
    return dict(best.drop_duplicates("g")[["g", "name"]].itertuples(index=False))
