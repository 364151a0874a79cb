"""`udsat monitor`: the goal-monitoring tables (series, gaps, status, action plan)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from udsat.errors import UdsatError
from udsat.monitoring.messages import msg
from udsat.monitoring.monitor import MonitoringResult, monitor
from udsat.statelists.cli import write_table

TABLES = ("status", "series", "gaps", "initiatives")


@dataclass
class MonitorSummary:
    result: MonitoringResult
    files: list[Path]
    messages: list[str]


def read_areas(path: Path) -> gpd.GeoDataFrame:
    """A polygon file (GeoPackage, GeoJSON, ...) with a unit_id column, in EPSG:25832."""
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types; the message names the file
        raise UdsatError(msg("areas_unreadable", path=path, error=exc)) from exc
    if "unit_id" not in frame:
        raise UdsatError(msg("areas_no_id", columns=", ".join(map(str, frame.columns))))
    if frame.crs is not None and frame.crs.to_epsg() != 25832:
        frame = frame.to_crs(25832)
    return frame


def _gaps_for_output(gaps: pd.DataFrame) -> pd.DataFrame:
    return gaps.rename(columns={"udsat": "value_udsat", "rest": "value_rest"})


def monitor_command(
    data: Path, out: Path, areas: Path | None, engine: str = "duckdb"
) -> MonitorSummary:
    """Monitor the goals for the dataset in `data` and write the tables as CSV (and one Excel
    workbook per table) under `out`. `areas`: a polygon file of the areas; default the dataset's
    layer udsatte_byomraader_2017. `engine` runs the indicator passes (udsat.engines)."""
    from udsat.contract.dataset import open_dataset
    from udsat.engines import open_engine

    runner = open_engine(engine, open_dataset(data))
    chosen = read_areas(areas) if areas else "udsatte_byomraader_2017"
    result = monitor(runner.con, areas=chosen, engine=runner)
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "status": result.status,
        "series": result.series,  # small cells already suppressed
        "gaps": _gaps_for_output(result.gaps),
        "initiatives": result.initiatives,
    }
    files = []
    for name, table in tables.items():
        for suffix in (".csv", ".xlsx"):
            path = out / f"monitoring_{name}{suffix}"
            write_table(table, path)
            files.append(path)
    result.log.write(out / "monitoring_run_log.json")
    counts = result.status["status"].value_counts()
    messages = [
        msg(
            "monitor_done",
            path=out,
            years=f"{min(result.years)}-{max(result.years)}",
            indicators=len(result.status),
            on_track=int(counts.get("on_track", 0)),
            at_risk=int(counts.get("at_risk", 0)),
            off_track=int(counts.get("off_track", 0)),
            missing=int(counts.get("missing", 0)),
            initiatives=result.initiatives["initiative_id"].nunique()
            if len(result.initiatives)
            else 0,
        )
    ]
    messages += [
        msg(
            "monitor_line",
            label=row.label_da,
            status=msg(f"word_{row.status}"),
            reason=row.reason_da,
        )
        for row in result.status.itertuples()
    ]
    return MonitorSummary(result, files, messages)
