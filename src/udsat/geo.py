"""Point-in-polygon assignment with shapely's STRtree (through geopandas); the only spatial join.

DuckDB's spatial extension is not used: it is downloaded at run time, and udsat runs offline.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from udsat.contract.schemas import CRS


def assign_points(
    x: np.ndarray, y: np.ndarray, polygons: gpd.GeoDataFrame, id_column: str
) -> pd.Series:
    """The id of the polygon containing each point (None outside every polygon).

    A point on a shared boundary goes to the polygon with the smallest id, so the result is
    deterministic.
    """
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=CRS)
    joined = gpd.sjoin(
        points, polygons[[id_column, "geometry"]].to_crs(CRS), predicate="intersects"
    )
    joined = joined.sort_values(id_column, kind="stable")
    first = joined[~joined.index.duplicated(keep="first")][id_column]
    return first.reindex(range(len(points))).astype(object).where(lambda s: s.notna(), None)
