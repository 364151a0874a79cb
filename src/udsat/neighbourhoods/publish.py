"""What the bespoke neighbourhoods publish, through the publication layer (udsat.publish)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from udsat.contract.schemas import CRS
from udsat.neighbourhoods.grid import cell_polygons
from udsat.publish import Stage
from udsat.publish import tables as specs


def as_geometry(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Cell squares (100 m, EPSG:25832), or the address points of address origins."""
    if "row" in frame.columns:
        geometry = cell_polygons(frame["row"].to_numpy(), frame["col"].to_numpy())
    else:
        geometry = shapely.points(frame["x"].to_numpy(), frame["y"].to_numpy())
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)


def write_neighbourhoods(
    stage: Stage,
    name: str,
    frame: pd.DataFrame,
    *,
    layer: str = "neighbourhoods",
    areas: gpd.GeoDataFrame | None = None,
) -> None:
    """`name` by its suffix: .parquet (the table; areas beside it as `<stem>_areas.parquet`)
    or .gpkg (cells or points as a layer; areas as the layer `areas`). Address origins are
    published by their point: an address id is a key of the input and never leaves it."""
    frame = frame.drop(columns=["address_id"], errors="ignore")
    spec = specs.neighbourhoods([str(c) for c in frame.columns])
    if name.endswith(".parquet"):
        stage.table(name, frame, spec)
        if areas is not None:
            stem = name.removesuffix(".parquet")
            stage.table(f"{stem}_areas.parquet", areas, specs.NEIGHBOURHOOD_AREAS)
        return
    layers = {layer: (as_geometry(frame), spec)}
    if areas is not None:
        layers["areas"] = (areas, specs.NEIGHBOURHOOD_AREAS)
    stage.geopackage(name, layers)


def write_cells(stage: Stage, frame: pd.DataFrame, stem: str, *, csv: Stage) -> None:
    """The demo's neighbourhood table: CSV under `csv`, cell squares as `<stem>.gpkg`."""
    spec = specs.neighbourhoods([str(c) for c in frame.columns])
    csv.table(f"{stem}.csv", frame, spec)
    write_neighbourhoods(stage, f"{stem}.gpkg", frame, layer="naboskaber_k1000")
