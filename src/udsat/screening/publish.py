"""What the screening publishes, written through the publication layer (udsat.publish):
the designated areas (GeoPackage, GeoJSON), the unit table (CSV, Parquet), the comparison with
an earlier designation, the summaries and the run log."""

from __future__ import annotations

import pandas as pd

from udsat.publish import Stage
from udsat.publish import tables as specs
from udsat.screening.messages import NOTE_LABELS
from udsat.screening.result import ScreeningResult

GPKG_LAYER = "udsatte_byomraader"


def unit_table(result: ScreeningResult) -> pd.DataFrame:
    """The unit table as published: rounded neighbourhood sizes, Danish note labels."""
    table = result.units.copy()
    if "neighbourhood_residents" in table:
        # About k people each (fractional where the k-th ring is shared): not a small cell.
        table["neighbourhood_residents"] = table["neighbourhood_residents"].round(1)
    if "note" in table:
        table["note_da"] = [
            "; ".join(NOTE_LABELS[c]["da"] for c in str(n).split(";") if c in NOTE_LABELS)
            for n in table["note"].fillna("")
        ]
    return table


def write_screening(stage: Stage, result: ScreeningResult) -> None:
    """Every output of a screening, into `stage`."""
    areas = result.areas
    if len(areas):
        stage.geopackage("udsatte_byomraader.gpkg", {GPKG_LAYER: (areas, specs.SCREENING_AREAS)})
        stage.geojson("udsatte_byomraader.geojson", areas, specs.SCREENING_AREAS)
    spec = specs.screening_units(result.own_values)
    units = unit_table(result)
    stage.table("units.csv", units, spec)
    stage.table("units.parquet", units, spec)
    if result.comparison is not None:
        stage.table("comparison.csv", result.comparison, specs.SCREENING_COMPARISON)
    stage.text("summary.md", result.summary_da)
    stage.text("summary_en.md", result.summary_en)
    stage.run_log(result.log)
