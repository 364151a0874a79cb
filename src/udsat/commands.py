"""The commands' glue: each command opens the run (udsat.pipeline.open_run), takes the steps it
needs and publishes through udsat.publish. The typer definitions in udsat.cli call these."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from rich.console import Console

from udsat.errors import UdsatError
from udsat.monitoring.messages import msg as monitoring_msg
from udsat.monitoring.monitor import MonitoringResult, monitor
from udsat.monitoring.publish import write_monitoring
from udsat.neighbourhoods.cli import Request as NeighbourhoodsRequest
from udsat.neighbourhoods.cli import check_request, closing_message, compute
from udsat.neighbourhoods.publish import write_neighbourhoods
from udsat.pipeline import dataset_manifest_extra, identifiers, manifest, open_run
from udsat.progress import progress_bar
from udsat.publish import publish, publish_file
from udsat.publish import tables as specs
from udsat.publish.writers import TABLE_SUFFIXES
from udsat.screening.aggregate import screen_aggregate
from udsat.screening.config import load_config
from udsat.screening.messages import say as screening_say
from udsat.screening.publish import write_screening
from udsat.screening.result import ScreeningResult
from udsat.statelists.cli import ListsRequest, ListsSummary, lists_table, summary_lines
from udsat.statelists.messages import msg as lists_msg
from udsat.warning.messages import msg as warning_msg

# --- udsat lists -----------------------------------------------------------------------------


def lists_command(request: ListsRequest, out: Path) -> ListsSummary:
    """The lists of the request's year, published as `out` (.csv, .parquet or .xlsx) with
    `<out>.manifest.json`; returns the table and the messages."""
    if out.suffix.lower() not in TABLE_SUFFIXES:
        raise UdsatError(lists_msg("suffix", suffix=out.suffix))
    summary = lists_table(request)
    publish_file(
        out,
        lambda stage: stage.table(out.name, summary.table, specs.STATE_LISTS),
        manifest(
            config={
                "year": request.year,
                "settings": request.settings,
                "without_ethnicity": request.without_ethnicity,
                "national_convicted_pct": request.national_convicted_pct,
                "region_income": list(request.region_income or []),
            },
            inputs=request.inputs(),
            engine=request.engine if request.data is not None else "none",
            seed=None,
            parts=("statelists",),
            extra={"run_log": summary.log.to_dict(examples=False)},
        ),
    )
    summary.messages += summary_lines(summary, request, out)
    return summary


# --- udsat neighbourhoods --------------------------------------------------------------------


def neighbourhoods_command(
    request: NeighbourhoodsRequest, progress: Callable[[str, float], None]
) -> str:
    """Compute, optionally cluster, and publish as `request.out` with its manifest; returns the
    closing message."""
    started = time.perf_counter()
    check_request(request)
    ctx = open_run(request.data, engine=request.engine)
    computed = compute(request, ctx.engine, progress)
    publish_file(
        request.out,
        lambda stage: write_neighbourhoods(
            stage, request.out.name, computed.frame, areas=computed.areas
        ),
        manifest(
            config={
                "ks": sorted(set(request.ks)),
                "year": request.year,
                "variables": computed.variables,
                "flag": request.flag,
                "worst": request.worst,
                "origins": request.origins,
            },
            inputs=request.data,
            engine=request.engine,
            seed=None,
        ),
        identifiers=identifiers(ctx),
        policy=ctx.policy,
    )
    return closing_message(request, computed, time.perf_counter() - started)


# --- udsat screen ----------------------------------------------------------------------------


def screen_command(
    data: Path | None,
    aggregate: Path | None,
    year: int,
    config: Path | None,
    compare: Path | None,
    out: Path,
    engine: str = "duckdb",
) -> ScreeningResult:
    """Screen `data` (a dataset directory) or `aggregate` (an area-level CSV) for `year` and
    publish the outputs into `out` (a directory, replaced whole when complete)."""
    if (data is None) == (aggregate is None):
        raise UdsatError(screening_say("one_source"))
    settings = load_config(config)
    source = Path(data if data is not None else aggregate)  # type: ignore[arg-type]
    if aggregate is not None:
        if compare is not None:
            raise UdsatError(screening_say("compare_aggregate"))
        result = screen_aggregate(aggregate, year=year, config=settings)
        found = None
    else:
        from udsat.screening.run import run_screening

        ctx = open_run(source, engine=engine)
        with progress_bar(ctx.console, "screening") as report:
            result = run_screening(
                ctx.dataset,
                year=year,
                config=settings,
                compare=compare,
                progress=report,
                engine=ctx.engine,
                references=ctx.references,
            )
        result.log.exclusions[:0] = ctx.log.exclusions
        result.log.notes[:0] = ctx.log.notes
        found = identifiers(ctx)
    publish(
        out,
        lambda stage: write_screening(stage, result),
        manifest(
            config={
                "year": year,
                "config": str(config) if config else "default",
                "compare": str(compare) if compare else None,
            },
            inputs=source,
            engine=engine,
            seed=None,
            parts=("indicators", "screening", "statelists"),
        ),
        identifiers=found,
    )
    Console().print(screening_say("done", year=year, path=out, areas=len(result.areas)))
    return result


# --- udsat monitor ---------------------------------------------------------------------------


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


# --- udsat warn ------------------------------------------------------------------------------


@dataclass
class WarnSummary:
    table: pd.DataFrame
    messages: list[str]


def warn_command(
    data: Path, year: int, out: Path, draws: int, seed: int, engine: str = "duckdb"
) -> WarnSummary:
    """Warn for list year `year` from the dataset in `data` (rows up to `year` - 1) and publish
    the ranked table as `out` (.csv, .parquet or .xlsx) with its manifest."""
    from udsat.warning.model import warn

    if out.suffix.lower() not in TABLE_SUFFIXES:
        raise UdsatError(lists_msg("suffix", suffix=out.suffix))
    ctx = open_run(Path(data), engine=engine)
    messages = []
    if ctx.references.data_is_reference:
        messages.append(warning_msg("own_reference"))
    table = warn(ctx.engine, year=year, draws=draws, seed=seed, references=ctx.references)
    publish_file(
        out,
        lambda stage: stage.table(out.name, table, specs.EARLY_WARNING),
        manifest(
            config={"year": year, "draws": draws},
            inputs=Path(data),
            engine=engine,
            seed=seed,
            parts=("statelists",),
            extra={**dataset_manifest_extra(ctx), "run_log": ctx.log.to_dict(examples=False)},
        ),
        identifiers=identifiers(ctx),
        policy=ctx.policy,
    )
    top = table.iloc[0] if len(table) else None
    shown = f"{top['name']} ({round(100 * top['p_any_list'])} %)" if top is not None else "-"
    messages.append(
        warning_msg(
            "warn_done",
            year=year,
            last=year - 1,
            draws=draws,
            seed=seed,
            path=out,
            areas=len(table),
            top=shown,
        )
    )
    return WarnSummary(table, messages)
