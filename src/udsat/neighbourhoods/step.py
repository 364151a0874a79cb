"""The neighbourhood step of the pipeline: persons of one year -> cells -> k-NN neighbourhoods."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import duckdb
import pandas as pd

from udsat.engines import DuckDBEngine, Engine, as_engine
from udsat.errors import UdsatError
from udsat.neighbourhoods.grid import cells_from_dataset, variable_sums
from udsat.neighbourhoods.messages import say
from udsat.neighbourhoods.points import knn_points
from udsat.neighbourhoods.spark import knn_counts_on

DEFAULT_KS: tuple[int, ...] = (1000,)

# Numerators and denominators of screening indicators, as DuckDB expressions over a persons row.
DEFAULT_VARIABLES: dict[str, str] = {
    "adults_18_64": "age BETWEEN 18 AND 64",
    "outside_work_18_64": "age BETWEEN 18 AND 64 AND employed_share < 0.5 AND NOT in_education",
    "adults_30_59": "age BETWEEN 30 AND 59",
    "grundskole_30_59": "age BETWEEN 30 AND 59 AND education_level = 'grundskole'",
}

# Per-cell counts describe a handful of people; outputs leave them out (every neighbourhood
# value is over at least k people).
CELL_COLUMNS = ("people",)


def neighbourhood_step(
    con: duckdb.DuckDBPyConnection | Engine,
    ks: Sequence[int] = DEFAULT_KS,
    variables: Mapping[str, str] | None = None,
    year: int | None = None,
    progress: Callable[[str, float], None] | None = None,
    origins: str = "cells",
) -> pd.DataFrame:
    """Bespoke neighbourhoods of every inhabited 100 m cell for `year` (default: the last year),
    or with `origins="addresses"` of every inhabited address, addresses being the units.

    `variables` maps a column name to a DuckDB expression over a persons row, summed over the
    k nearest residents (default DEFAULT_VARIABLES). Returns knn_counts' table: per cell
    `cell_id`, `x`, `y`, and per k `people_k{k}`, `{var}_k{k}`, `{var}_share_k{k}`,
    `radius_k{k}`; per-cell counts (`people` and each variable of the cell alone) are dropped.
    With addresses: `address_id`, `year`, `x`, `y` and the same per-k columns (knn_points);
    per-address counts are dropped likewise.
    """
    if origins not in ("cells", "addresses"):
        raise UdsatError(say("origins", value=origins))
    variables = dict(DEFAULT_VARIABLES if variables is None else variables)
    engine = as_engine(con)
    if year is None:
        year = engine.frame("SELECT max(year) AS year FROM persons")["year"].iloc[0]
        if pd.isna(year):
            raise UdsatError(say("no_persons"))
    if origins == "addresses":
        if not isinstance(engine, DuckDBEngine):
            raise UdsatError(say("origins_engine", engine=engine.name))
        return _address_step(engine, ks, variables, int(year), progress)
    try:
        cells = cells_from_dataset(engine, variables, int(year))
    except duckdb.Error as exc:
        raise UdsatError(say("bad_variable", error=exc)) from exc
    if not len(cells):
        raise UdsatError(say("no_persons_year", year=year))
    frame = knn_counts_on(engine, cells, ks, progress)
    frame.insert(1, "year", int(year))
    return frame.drop(columns=[*CELL_COLUMNS, *variables])


def _address_step(
    engine: Engine, ks, variables: dict[str, str], year: int, progress
) -> pd.DataFrame:
    """Persons of `year` per address (people, variable sums) -> knn_points, counts dropped."""
    sql = f"""
        SELECT a.address_id, a.x, a.y, count(*) AS people{variable_sums(variables)}
        FROM persons p JOIN addresses a USING (address_id)
        WHERE p.year = {int(year)} AND a.x IS NOT NULL AND a.y IS NOT NULL
        GROUP BY ALL ORDER BY a.address_id
    """
    try:
        units = engine.frame(sql)
    except (duckdb.Error, UdsatError) as exc:
        raise UdsatError(say("bad_variable", error=exc)) from exc
    if not len(units):
        raise UdsatError(say("no_persons_year", year=year))
    values = {name: units[name].to_numpy(float) for name in variables}
    frame = knn_points(units["x"], units["y"], units["people"], values, ks, progress=progress)
    frame.insert(0, "address_id", units["address_id"].to_numpy()[frame["index"]])
    frame.insert(1, "year", year)
    return frame.drop(columns=["index", *CELL_COLUMNS, *variables])
