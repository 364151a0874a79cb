"""The Danish 100 m grid (DKN kvadratnet): cell ids, and persons aggregated per inhabited cell.

A cell is the square [100 E, 100 E + 100) x [100 N, 100 N + 100) in EPSG:25832 metres; its id is
`100m_NNNNN_EEEE` with N = floor(y / 100) and E = floor(x / 100) (the lower-left corner in
hectometres), its midpoint (100 E + 50, 100 N + 50). Only inhabited cells exist in a CellTable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import shapely

from udsat.contract.plan import q
from udsat.engines import Engine, as_engine, exact_sum

CELL = 100  # metres
HALF = CELL // 2


@dataclass(frozen=True)
class CellTable:
    """Inhabited 100 m cells: grid row/column, people, and one column per count variable.

    `rows` = floor(y / 100) (northing index), `cols` = floor(x / 100) (easting index), sorted by
    (row, col) and unique; `people` > 0; `values[:, j]` is the sum of variable `names[j]` over the
    cell's people.
    """

    rows: np.ndarray
    cols: np.ndarray
    people: np.ndarray
    values: np.ndarray
    names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def ids(self) -> np.ndarray:
        """DKN cell ids `100m_NNNNN_EEEE`."""
        return cell_ids(self.rows, self.cols)

    @property
    def x(self) -> np.ndarray:
        """Cell midpoint easting (EPSG:25832 metres)."""
        return self.cols * CELL + HALF

    @property
    def y(self) -> np.ndarray:
        """Cell midpoint northing (EPSG:25832 metres)."""
        return self.rows * CELL + HALF


def cell_ids(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """DKN ids from grid indices: `100m_{row:05d}_{col:04d}` (row = floor(y/100))."""
    frame = pd.DataFrame({"r": np.asarray(rows, np.int64), "c": np.asarray(cols, np.int64)})
    text = "100m_" + frame["r"].astype(str).str.zfill(5) + "_" + frame["c"].astype(str).str.zfill(4)
    return text.to_numpy(dtype=object)


def cell_index(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Grid (row, col) of EPSG:25832 points: (floor(y / 100), floor(x / 100))."""
    rows = np.floor(np.asarray(y, float) / CELL).astype(np.int64)
    cols = np.floor(np.asarray(x, float) / CELL).astype(np.int64)
    return rows, cols


def cell_polygons(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The cells as shapely squares (EPSG:25832)."""
    x0 = np.asarray(cols, np.int64) * CELL
    y0 = np.asarray(rows, np.int64) * CELL
    return shapely.box(x0, y0, x0 + CELL, y0 + CELL)


def cells_from_points(
    x: np.ndarray,
    y: np.ndarray,
    values: Mapping[str, np.ndarray] | None = None,
) -> CellTable:
    """Aggregate points (one per person) into cells: people = count, values = per-cell sums."""
    values = dict(values or {})
    rows, cols = cell_index(x, y)
    frame = pd.DataFrame({"row": rows, "col": cols, "people": 1})
    for name, column in values.items():
        frame[name] = np.asarray(column, float)
    summed = frame.groupby(["row", "col"], sort=True).sum()
    return _table(summed.reset_index(), tuple(values))


def cells_from_dataset(
    con: duckdb.DuckDBPyConnection | Engine, variables: Mapping[str, str], year: int
) -> CellTable:
    """Persons of `year` per inhabited cell, via the `persons` and `addresses` views.

    `variables` maps a name to a DuckDB expression over a persons row (e.g. `age BETWEEN 18 AND
    64`); the cell's value is the sum of the expression over its people, booleans counting 1, and
    NULL counting 0 (the person is not in the group, and still counts as a person).
    """
    sql = f"""
        SELECT CAST(floor(a.y / {CELL}) AS BIGINT) AS "row",
               CAST(floor(a.x / {CELL}) AS BIGINT) AS col,
               count(*) AS people{variable_sums(variables)}
        FROM persons p JOIN addresses a ON p.address_id = a.address_id
        WHERE p.year = {int(year)}
        GROUP BY ALL ORDER BY 1, 2
    """
    return _table(as_engine(con).frame(sql), tuple(variables))


def variable_sums(variables: Mapping[str, str]) -> str:
    """SELECT items `, sum(...) AS "name"` per variable: the expression's sum over a group of
    persons rows, booleans counting 1 and NULL 0."""
    return "".join(
        f", coalesce({exact_sum(f'coalesce(CAST(({expr}) AS DOUBLE), 0)')}, 0) AS {q(name)}"
        for name, expr in variables.items()
    )


def _table(frame: pd.DataFrame, names: tuple[str, ...]) -> CellTable:
    frame = frame[frame["people"] > 0]
    return CellTable(
        rows=frame["row"].to_numpy(np.int64),
        cols=frame["col"].to_numpy(np.int64),
        people=frame["people"].to_numpy(float),
        values=frame[list(names)].to_numpy(float).reshape(len(frame), len(names)),
        names=names,
    )
