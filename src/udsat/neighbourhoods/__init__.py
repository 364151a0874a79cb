"""Bespoke neighbourhoods: the k nearest residents around every inhabited 100 m cell.

API: `neighbourhood_step(con, ks, variables, year)` (the pipeline step), `knn_counts(cells, ks)`
(the engine), `knn_points` (address points as origins and units), `cells_from_dataset` /
`cells_from_points` (the DKN grid), `areas` / `flag_worst` (clustering). See docs/neighbourhoods.md.
"""

from udsat.neighbourhoods.cluster import areas, flag_worst
from udsat.neighbourhoods.grid import CellTable, cells_from_dataset, cells_from_points
from udsat.neighbourhoods.knn import knn_counts
from udsat.neighbourhoods.points import knn_points
from udsat.neighbourhoods.step import DEFAULT_VARIABLES, neighbourhood_step

__all__ = [
    "DEFAULT_VARIABLES",
    "CellTable",
    "areas",
    "cells_from_dataset",
    "cells_from_points",
    "flag_worst",
    "knn_counts",
    "knn_points",
    "neighbourhood_step",
]
