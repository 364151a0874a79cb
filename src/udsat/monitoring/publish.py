"""What the goal monitoring publishes, through the publication layer (udsat.publish)."""

from __future__ import annotations

import pandas as pd

from udsat.monitoring.monitor import MonitoringResult
from udsat.publish import Stage, TableSpec
from udsat.publish import tables as specs


def monitoring_tables(result: MonitoringResult) -> dict[str, tuple[pd.DataFrame, TableSpec]]:
    """The published tables by name: status, series, gaps, initiatives."""
    gaps = result.gaps.rename(columns={"udsat": "value_udsat", "rest": "value_rest"})
    return {
        "status": (result.status, specs.MONITORING_STATUS),
        "series": (result.series, specs.MONITORING_SERIES),
        "gaps": (gaps, specs.MONITORING_GAPS),
        "initiatives": (result.initiatives, specs.INITIATIVES),
    }


def write_monitoring(
    stage: Stage,
    result: MonitoringResult,
    *,
    prefix: str = "monitoring_",
    excel: bool = True,
    log: bool = True,
) -> list[str]:
    """Each table as CSV (and as a one-sheet workbook with `excel`), and the run log."""
    written = []
    for name, (table, spec) in monitoring_tables(result).items():
        for suffix in (".csv", ".xlsx") if excel else (".csv",):
            stage.table(f"{prefix}{name}{suffix}", table, spec)
            written.append(f"{prefix}{name}{suffix}")
    if log:
        stage.run_log(result.log, f"{prefix}run_log.json")
    return written
