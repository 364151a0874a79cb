"""Bespoke neighbourhoods on Spark: tiles of the 100 m grid with a halo, solved in parallel.

The single-machine engine (knn.py) runs unchanged inside each task: a task receives one tile's
cells plus every cell within `halo` cells of the tile (a Chebyshev window, which holds the disc
of radius `halo` around every origin of the tile) and solves the tile's origins. An origin's
answer is whole when its crossing ring lies within the halo (ring_s <= halo^2): every cell at that
distance or nearer is then in the window, so the cumulative people per ring, the crossing ring and
its sums equal those over all cells. Origins whose ring lies further out go to the next level (a
wider halo); the few left after the widest level are solved on the driver against every cell, as
knn_counts does. Results equal knn_counts' (sums may differ in the last bits of floating point).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from udsat.engines import Engine, SparkEngine
from udsat.neighbourhoods.grid import CellTable
from udsat.neighbourhoods.knn import (
    check_ks,
    exact_columns,
    knn_counts,
    per_k_columns,
    result_frame,
)

# (halo, tile) in cells, as knn.LEVELS: most origins settle in the first level.
SPARK_LEVELS: tuple[tuple[int, int], ...] = ((64, 128), (256, 256), (512, 256))


def _cells_frame(cells: CellTable) -> pd.DataFrame:
    frame = pd.DataFrame({"row": cells.rows, "col": cells.cols, "people": cells.people})
    for j in range(len(cells.names)):  # positional names: any variable name is safe in Spark
        frame[f"v{j}"] = cells.values[:, j]
    frame["origin"] = np.arange(len(cells), dtype=np.int64)
    return frame


def _solver(ks: tuple[int, ...], n_values: int, halo: int, tile: int) -> Callable:
    """The task body: solve one tile's origins in its window, mark which are whole."""
    value_cols = [f"v{j}" for j in range(n_values)]

    def solve(key: tuple, part: pd.DataFrame) -> pd.DataFrame:
        tr, tc = int(key[0]), int(key[1])
        part = part.sort_values(["row", "col"], kind="stable")
        window = CellTable(
            rows=part["row"].to_numpy(np.int64),
            cols=part["col"].to_numpy(np.int64),
            people=part["people"].to_numpy(float),
            values=part[value_cols].to_numpy(float).reshape(len(part), n_values),
            names=tuple(value_cols),
        )
        own = (
            (part["row"].to_numpy() // tile == tr)
            & (part["col"].to_numpy() // tile == tc)
            & part["todo"].to_numpy(bool)
        )
        result = knn_counts(window, ks, workers=1, with_ring=True)
        whole = np.ones(len(part), bool)
        for k in ks:
            whole &= result[f"ring_s_k{k}"].to_numpy() <= halo * halo
        columns = {"origin": part["origin"].to_numpy()[own], "whole": whole[own]}
        for name in per_k_columns(ks, window.names):
            columns[name] = result[name].to_numpy()[own]
        return pd.DataFrame(columns)

    return solve


def _schema(ks: tuple[int, ...], n_values: int) -> str:
    names = per_k_columns(ks, tuple(f"v{j}" for j in range(n_values)))
    return ", ".join(["origin long", "whole boolean", *(f"`{n}` double" for n in names)])


def _window_sql(halo: int, tile: int) -> str:
    """Each cell once per tile whose window (tile + halo) holds it."""
    return f"""
        SELECT tr, tc, c.*
        FROM cells c
        LATERAL VIEW explode(sequence(
            CAST(floor((c.row - {halo}) / {tile}) AS BIGINT),
            CAST(floor((c.row + {halo}) / {tile}) AS BIGINT))) r AS tr
        LATERAL VIEW explode(sequence(
            CAST(floor((c.col - {halo}) / {tile}) AS BIGINT),
            CAST(floor((c.col + {halo}) / {tile}) AS BIGINT))) k AS tc
    """


def knn_counts_spark(
    session: Any,
    cells: CellTable,
    ks: Sequence[int],
    *,
    levels: tuple[tuple[int, int], ...] = SPARK_LEVELS,
    progress: Callable[[str, float], None] | None = None,
) -> pd.DataFrame:
    """knn_counts on Spark: the same table, computed tile by tile in Spark tasks."""
    ks = check_ks(ks)
    names = per_k_columns(ks, cells.names)
    out = {name: np.full(len(cells), np.nan) for name in names}
    todo = np.ones(len(cells), bool)
    base = _cells_frame(cells)
    n_values = len(cells.names)
    spark_names = per_k_columns(ks, tuple(f"v{j}" for j in range(n_values)))
    for halo, tile in levels:
        if not todo.any():
            break
        frame = base.assign(todo=todo)
        session.createDataFrame(frame).createOrReplaceTempView("cells")
        tiles = frame.loc[todo, ["row", "col"]] // tile
        session.createDataFrame(
            tiles.drop_duplicates().set_axis(["tr", "tc"], axis=1)
        ).createOrReplaceTempView("todo_tiles")
        windows = session.sql(
            f"SELECT w.* FROM ({_window_sql(halo, tile)}) w "
            "JOIN todo_tiles t ON w.tr = t.tr AND w.tc = t.tc"
        )
        solved = (
            windows.groupBy("tr", "tc")
            .applyInPandas(_solver(ks, n_values, halo, tile), schema=_schema(ks, n_values))
            .where("whole")
            .toArrow()
            .to_pandas()
        )
        ids = solved["origin"].to_numpy(np.int64)
        for name, spark_name in zip(names, spark_names, strict=True):
            out[name][ids] = solved[spark_name].to_numpy(float)
        todo[ids] = False
        if progress:
            progress("neighbourhoods", 1.0 - todo.mean())
    if todo.any():  # beyond the widest halo: against every cell, on the driver
        rest = np.flatnonzero(todo)
        columns = exact_columns(cells, rest, ks)
        for name in names:
            out[name][rest] = columns[name]
    return result_frame(cells, ks, out)


def knn_counts_on(
    engine: Engine,
    cells: CellTable,
    ks: Sequence[int],
    progress: Callable[[str, float], None] | None = None,
) -> pd.DataFrame:
    """knn_counts where the engine runs: in Spark tasks on Spark, in this process otherwise."""
    if isinstance(engine, SparkEngine):
        return knn_counts_spark(engine.session, cells, ks, progress=progress)
    return knn_counts(cells, ks, progress=progress)
