"""The screening's units on microdata: own residents, geometry, adjacency and the facts for
notes (neighbourhood residents, student share, largest age-band share), computed in DuckDB."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from udsat.contract.schemas import CRS
from udsat.engines import Engine, as_engine
from udsat.geo import assign_points
from udsat.neighbourhoods.grid import cell_ids, cell_polygons, cells_from_dataset
from udsat.neighbourhoods.spark import knn_counts_on
from udsat.screening.join import cell_pairs, polygon_pairs

# Age bands as the KK roder file has them; one band holding most residents suggests an
# institution (students' halls, nursing homes).
AGE_BANDS: dict[str, str] = {
    "age_0_5": "age <= 5",
    "age_6_17": "age BETWEEN 6 AND 17",
    "age_18_29": "age BETWEEN 18 AND 29",
    "age_30_39": "age BETWEEN 30 AND 39",
    "age_40_49": "age BETWEEN 40 AND 49",
    "age_50_64": "age BETWEEN 50 AND 64",
    "age_65": "age >= 65",
}
NOTE_VARIABLES: dict[str, str] = {
    "adults": "age >= 18",
    "students": "age >= 18 AND in_education",
    **AGE_BANDS,
}


@dataclass
class UnitBase:
    """Units of one kind: ids, own residents, geometry, representative points, adjacency and,
    per k (cells: neighbourhoods of k residents), the facts for the notes."""

    kind: str  # "neighbourhoods", "cells" or "polygons"
    unit_ids: pd.Series
    residents: np.ndarray
    geometry: np.ndarray
    points: tuple[np.ndarray, np.ndarray]
    pairs: np.ndarray
    info: dict[int | None, pd.DataFrame]
    coverage: bool = True  # the units do not overlap

    def geodataframe(self) -> gpd.GeoDataFrame:
        frame = pd.DataFrame({"unit_id": self.unit_ids.to_numpy()})
        return gpd.GeoDataFrame(frame, geometry=self.geometry, crs=CRS)


def cell_base(
    con: duckdb.DuckDBPyConnection | Engine,
    year: int,
    ks: Sequence[int],
    adjacency: str,
    kind: str,
) -> UnitBase:
    """Inhabited 100 m cells; notes per k from the k nearest residents (or the cell itself),
    on the engine given (udsat.engines)."""
    engine = as_engine(con)
    cells = cells_from_dataset(engine, NOTE_VARIABLES, year)
    ids = pd.Series(cell_ids(cells.rows, cells.cols), name="unit_id")
    own = pd.DataFrame(cells.values, columns=list(cells.names))
    own["people"] = cells.people
    info: dict[int | None, pd.DataFrame] = {None: _info(ids, own, "")}
    if kind == "neighbourhoods":
        frame = knn_counts_on(engine, cells, tuple(sorted(set(ks))))
        for k in ks:
            info[k] = _info(ids, frame, f"_k{k}")
    return UnitBase(
        kind=kind,
        unit_ids=ids,
        residents=cells.people.astype(float),
        geometry=cell_polygons(cells.rows, cells.cols),
        points=(cells.x.astype(float), cells.y.astype(float)),
        pairs=cell_pairs(cells.rows, cells.cols, adjacency),
        info=info,
    )


def _info(ids: pd.Series, frame: pd.DataFrame, suffix: str) -> pd.DataFrame:
    people = frame[f"people{suffix}"].to_numpy(float)
    adults = frame[f"adults{suffix}"].to_numpy(float)
    bands = np.column_stack([frame[f"{b}{suffix}"].to_numpy(float) for b in AGE_BANDS])
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.DataFrame(
            {
                "unit_id": ids.to_numpy(),
                "residents": people,
                "student_share": np.where(adults > 0, frame[f"students{suffix}"] / adults, np.nan),
                "age_band_share": np.where(people > 0, bands.max(axis=1) / people, np.nan),
            }
        )


def polygon_base(
    con: duckdb.DuckDBPyConnection | Engine, year: int, polygons: gpd.GeoDataFrame
) -> tuple[UnitBase, int]:
    """Polygon units: residents and note facts from the address points inside each polygon,
    counted on the engine given (udsat.engines).

    Returns the base and the number of residents living outside every polygon.
    """
    polygons = polygons.to_crs(CRS).reset_index(drop=True)
    sums = ", ".join(
        f"sum(CAST(({expr}) AS INTEGER)) AS {name}" for name, expr in NOTE_VARIABLES.items()
    )
    per_address = as_engine(con).frame(
        f"""
        SELECT a.x, a.y, count(*) AS people, {sums}
        FROM persons p JOIN addresses a ON p.address_id = a.address_id
        WHERE p.year = {int(year)} GROUP BY a.x, a.y ORDER BY a.x, a.y
        """
    )
    per_address["unit_id"] = assign_points(
        per_address["x"].to_numpy(), per_address["y"].to_numpy(), polygons, "unit_id"
    ).to_numpy()
    outside = int(per_address.loc[per_address["unit_id"].isna(), "people"].sum())
    columns = ["people", *NOTE_VARIABLES]
    grouped = per_address.groupby("unit_id")[columns].sum()
    ids = polygons["unit_id"].astype(str)
    own = grouped.reindex(ids).fillna(0).reset_index(drop=True)
    geometry = polygons.geometry.to_numpy()
    inner = shapely.point_on_surface(geometry)
    base = UnitBase(
        kind="polygons",
        unit_ids=ids.rename("unit_id"),
        residents=own["people"].to_numpy(float),
        geometry=geometry,
        points=(shapely.get_x(inner), shapely.get_y(inner)),
        pairs=polygon_pairs(geometry),
        info={None: _info(ids, own, "")},
        coverage=False,
    )
    return base, outside
