"""Geometry tables (housing_areas, units/<layer>): reading, CRS checks and geometry flags.

These tables are small (hundreds of polygons), so they are read whole with pyogrio/geopandas and
handed to DuckDB as an Arrow table: the attribute columns as stored, the geometry as WKB, and
per-row flags the validator turns into rules.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow as pa
import shapely

from udsat.contract.load import TableFile
from udsat.contract.messages import msg
from udsat.contract.schemas import CRS
from udsat.errors import Problem, UdsatError

ROW = "__row"  # position in the file; read_geo uses it to drop excluded rows
GEOM_REASON = "__geom_problem"  # why a geometry is invalid; NULL when fine
GEOM_EMPTY = "__geom_empty"


def read_geo_file(path: Path) -> gpd.GeoDataFrame:
    """The file as a GeoDataFrame, whatever the format (GeoPackage, GeoJSON, GeoParquet)."""
    try:
        if path.suffix.lower() == ".parquet":
            return gpd.read_parquet(path)
        return gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio / pyarrow raise many error types
        raise UdsatError(msg("geo_unreadable", file=path.name, error=exc)) from exc


def crs_problems(table: TableFile, gdf: gpd.GeoDataFrame) -> list[Problem]:
    """Missing or wrong CRS, and coordinates that look like longitude/latitude (blockers)."""
    hint = msg("reproject_hint", crs=CRS)
    if gdf.crs is None:
        return [Problem(table.label, "crs", msg("crs_none", hint=hint))]
    if gdf.crs.to_epsg() != int(CRS.split(":")[1]):
        text = msg("crs_wrong", got=gdf.crs.to_string(), crs=CRS, hint=hint)
        return [Problem(table.label, "crs", text)]
    geoms = gdf.geometry[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    if len(geoms):
        minx, miny, maxx, maxy = geoms.total_bounds
        if minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90:
            bounds = f"{minx:.3f}, {miny:.3f}, {maxx:.3f}, {maxy:.3f}"
            text = msg("geo_lonlat", crs=CRS, bounds=bounds, hint=hint)
            return [Problem(table.label, "lonlat", text, count=len(geoms))]
    return []


def _geometry_problem(geoms: gpd.GeoSeries) -> np.ndarray:
    # One text per row: why the geometry cannot be used, or None.
    values = geoms.values
    missing = geoms.isna().to_numpy()
    empty = np.asarray(shapely.is_empty(values)) & ~missing
    polygonal = np.isin(np.asarray(shapely.get_type_id(values)), (3, 6))  # Polygon, MultiPolygon
    reasons = np.asarray(shapely.is_valid_reason(values), dtype=object)
    out = np.full(len(geoms), None, dtype=object)
    bad_type = ~missing & ~empty & ~polygonal
    out[bad_type] = [msg("not_polygon", type=t) for t in geoms[bad_type].geom_type]
    invalid = ~missing & ~empty & polygonal & (reasons != "Valid Geometry")
    out[invalid] = reasons[invalid]
    return out


def geo_arrow(gdf: gpd.GeoDataFrame) -> pa.Table:
    """Attributes as stored + `geometry` (WKB) + row position and geometry flags."""
    geoms = gdf.geometry
    attrs = gdf.drop(columns=[gdf.geometry.name]).reset_index(drop=True)
    table = pa.Table.from_pandas(attrs, preserve_index=False)
    missing = geoms.isna().to_numpy()
    empty = missing | np.asarray(shapely.is_empty(geoms.values))
    wkb = shapely.to_wkb(geoms.values)
    table = table.append_column("geometry", pa.array(list(wkb), type=pa.binary()))
    table = table.append_column(ROW, pa.array(np.arange(len(gdf)), type=pa.int64()))
    table = table.append_column(GEOM_EMPTY, pa.array(empty))
    return table.append_column(GEOM_REASON, pa.array(_geometry_problem(geoms), type=pa.string()))
