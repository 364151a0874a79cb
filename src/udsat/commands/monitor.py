"""`udsat monitor`: the 2035 goals' tables, published as a directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from udsat.errors import UdsatError
from udsat.monitoring.messages import msg as monitoring_msg
from udsat.monitoring.monitor import MonitoringResult, monitor
from udsat.monitoring.publish import write_monitoring
from udsat.pipeline import dataset_manifest_extra, identifiers, manifest, open_run
from udsat.publish import publish


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
        raise UdsatError(monitoring_msg("areas_unreadable", path=path, error=exc)) from exc
    if "unit_id" not in frame:
        raise UdsatError(monitoring_msg("areas_no_id", columns=", ".join(map(str, frame.columns))))
    if frame.crs is not None and frame.crs.to_epsg() != 25832:
        frame = frame.to_crs(25832)
    return frame


def monitor_command(
    data: Path, out: Path, areas: Path | None, engine: str = "duckdb"
) -> MonitorSummary:
    """Monitor the goals for the dataset in `data`; publish the tables as CSV and one Excel
    workbook per table into the directory `out`. `areas`: a polygon file of the areas; default
    the dataset's layer udsatte_byomraader_2017."""
    ctx = open_run(Path(data), engine=engine)
    chosen = read_areas(areas) if areas else "udsatte_byomraader_2017"
    result = monitor(ctx.con, areas=chosen, engine=ctx.engine, log=ctx.log)
    written: list[str] = []
    publish(
        out,
        lambda stage: written.extend(write_monitoring(stage, result)),
        manifest(
            config={"areas": str(areas) if areas else "udsatte_byomraader_2017"},
            inputs=Path(data),
            engine=engine,
            seed=None,
            parts=("indicators", "monitoring"),
            extra=dataset_manifest_extra(ctx),
        ),
        identifiers=identifiers(ctx),
        policy=ctx.policy,
    )
    counts = result.status["status"].value_counts()
    initiatives = result.initiatives
    messages = [
        monitoring_msg(
            "monitor_done",
            path=out,
            years=f"{min(result.years)}-{max(result.years)}",
            indicators=len(result.status),
            on_track=int(counts.get("on_track", 0)),
            at_risk=int(counts.get("at_risk", 0)),
            off_track=int(counts.get("off_track", 0)),
            missing=int(counts.get("missing", 0)),
            initiatives=initiatives["initiative_id"].nunique() if len(initiatives) else 0,
        )
    ]
    messages += [
        monitoring_msg(
            "monitor_line",
            label=row.label_da,
            status=monitoring_msg(f"word_{row.status}"),
            reason=row.reason_da,
        )
        for row in result.status.itertuples()
    ]
    return MonitorSummary(result, [Path(out) / name for name in written], messages)
