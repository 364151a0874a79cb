"""Units of the indicator engine: every address mapped to its unit and its district.

Kinds: "city" (one unit), "cells" (100 m grid cells), "neighbourhoods" (computed on cells, then
the k nearest residents), "housing_areas" (the addresses' housing_area_id), a polygon layer of the
dataset (`units_<layer>` view) or a GeoDataFrame with `unit_id`. The district (the shrinkage
target) is the `bydele` layer's polygon holding the address; without that layer, or when the
units are the districts themselves, the district is the whole city.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

from udsat.contract.schemas import CRS
from udsat.errors import UdsatError
from udsat.geo import assign_points
from udsat.indicators.messages import say
from udsat.neighbourhoods.grid import CELL, cell_ids, cell_index

DISTRICT_LAYER = "bydele"
CITY = "city"
REST = "rest"
KINDS = ("city", "cells", "neighbourhoods", "housing_areas")


@dataclass
class Units:
    """Addresses mapped to units: `mapping` has address_id, unit_id (None outside every unit),
    district_id, row, col (the 100 m cell); `ids` lists every unit (also those without
    residents) for polygon layers, None for kinds whose units exist only where people live."""

    kind: str
    name: str
    mapping: pd.DataFrame
    ids: list[str] | None


def layers(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Polygon layers of the connected dataset (views units_<layer>)."""
    rows = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND view_name LIKE 'units\\_%' "
        "ESCAPE '\\' ORDER BY 1"
    ).fetchall()
    return [r[0][len("units_") :] for r in rows]


def read_layer(con: duckdb.DuckDBPyConnection, layer: str) -> gpd.GeoDataFrame:
    table = con.sql(f'SELECT unit_id, geometry FROM "units_{layer}"').to_arrow_table()
    geometry = shapely.from_wkb(table.column("geometry").to_pylist())
    frame = table.drop_columns(["geometry"]).to_pandas()
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)


def resolve_units(
    con: duckdb.DuckDBPyConnection,
    units: str | gpd.GeoDataFrame,
    outside: str | None,
) -> Units:
    """Map every address of the dataset to a unit and a district."""
    if outside not in (None, REST):
        raise UdsatError(say("bad_outside", value=outside))
    addr = con.execute(
        "SELECT address_id, x, y, housing_area_id FROM addresses ORDER BY address_id"
    ).df()
    x, y = addr["x"].to_numpy(float), addr["y"].to_numpy(float)
    rows, cols = cell_index(x, y)
    available = layers(con)
    district_is_city = isinstance(units, str) and units in (CITY, DISTRICT_LAYER)
    if DISTRICT_LAYER in available and not district_is_city:
        district = _cell_districts(rows, cols, read_layer(con, DISTRICT_LAYER))
    else:
        district = pd.Series(CITY, index=addr.index)
    ids: list[str] | None = None
    if isinstance(units, gpd.GeoDataFrame):
        kind, name, polygons = "polygons", "GeoDataFrame", _check_polygons(units)
    elif units in KINDS:
        kind, name, polygons = units, units, None
    elif units.replace("units/", "", 1) in available:
        name = units.replace("units/", "", 1)
        kind, polygons = "polygons", _check_polygons(read_layer(con, name))
    else:
        raise UdsatError(say("unknown_units", units=units, layers=", ".join(available) or "-"))
    if polygons is not None:
        unit = assign_points(x, y, polygons, "unit_id")
        ids = sorted(polygons["unit_id"].astype(str))
        if outside == REST:
            unit = unit.where(unit.notna(), REST)
            ids.append(REST)
    elif kind == CITY:
        unit = pd.Series(CITY, index=addr.index)
    elif kind == "housing_areas":
        unit, ids = _housing_areas(con, addr["housing_area_id"], outside)
    else:
        unit = pd.Series(cell_ids(rows, cols), index=addr.index)
    mapping = pd.DataFrame(
        {
            "address_id": addr["address_id"],
            "unit_id": unit.astype(object).where(unit.notna(), None),
            "district_id": district.astype(str),
            "row": rows,
            "col": cols,
        }
    )
    return Units(kind=kind, name=name, mapping=mapping, ids=ids)


def _housing_areas(con, unit: pd.Series, outside: str | None) -> tuple[pd.Series, list | None]:
    """The addresses' housing_area_id; every area of the housing_areas table (also those without
    residents); with outside="rest" everyone else as one unit."""
    ids = None
    found = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = 'housing_areas' AND NOT internal"
    ).fetchall()[0][0]
    if found:
        rows = con.execute("SELECT DISTINCT housing_area_id FROM housing_areas ORDER BY 1")
        ids = [str(r[0]) for r in rows.fetchall()]
        ids += sorted(set(unit.dropna().astype(str)) - set(ids))  # known to addresses only
    if outside == REST:
        unit = unit.where(unit.notna(), REST)
        ids = None if ids is None else [*ids, REST]
    return unit, ids


def _cell_districts(rows, cols, districts: gpd.GeoDataFrame) -> pd.Series:
    """The district holding each address's 100 m cell midpoint (CITY outside every district).

    Districts are large polygons with long boundaries; testing the few thousand inhabited cell
    midpoints instead of every address is several times faster, and a district is only the
    shrinkage target, so an address within 71 m of a district boundary may count to its neighbour.
    """
    cells = pd.DataFrame({"row": rows, "col": cols})
    unique = cells.drop_duplicates().reset_index(drop=True)
    x = unique["col"].to_numpy() * CELL + CELL / 2
    y = unique["row"].to_numpy() * CELL + CELL / 2
    unique["district"] = assign_points(x, y, districts, "unit_id").fillna(CITY).astype(str)
    return cells.merge(unique, on=["row", "col"], how="left")["district"]


def _check_polygons(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if "unit_id" not in frame.columns:
        raise UdsatError(say("units_no_id", columns=", ".join(map(str, frame.columns))))
    ids = frame["unit_id"].astype(str)
    duplicated = ids[ids.duplicated()]
    if len(duplicated):
        raise UdsatError(say("units_duplicate_id", example=duplicated.iloc[0]))
    if (ids == REST).any():
        raise UdsatError(say("units_rest_id"))
    out = frame[["geometry"]].copy()
    out["unit_id"] = ids.to_numpy()
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=frame.crs or CRS)
    return out


def majority(frame: pd.DataFrame, key: str, value: str, weight: str) -> pd.Series:
    """Per `key`, the `value` with the largest total `weight` (ties: the smallest value)."""
    if not len(frame):
        return pd.Series(dtype=object)
    totals = frame.groupby([key, value], sort=True)[weight].sum().reset_index()
    totals = totals.sort_values([key, weight, value], ascending=[True, False, True], kind="stable")
    return totals.drop_duplicates(key).set_index(key)[value]


__all__ = ["CITY", "DISTRICT_LAYER", "REST", "Units", "layers", "majority", "resolve_units"]
