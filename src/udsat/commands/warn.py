"""`udsat warn`: the early warning for the next 1 December, published as one file, and its
backtest (`--backtest`), published as a directory of tables and a report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from udsat.i18n import number
from udsat.pipeline import (
    RunContext,
    dataset_manifest_extra,
    identifiers,
    manifest,
    open_run,
    run_inputs,
)
from udsat.publish import Stage, publish, publish_file
from udsat.publish import tables as specs
from udsat.publish.writers import check_table_suffix
from udsat.warning.messages import msg as warning_msg

if TYPE_CHECKING:  # the warning's modules load when a command runs, not when the CLI starts
    from udsat.warning.backtest import BacktestResult
    from udsat.warning.model import Prepared

# The backtest's tables, published as CSV beside its Markdown (udsat.warning.backtest).
BACKTEST_TABLES = (
    "scores",
    "differences",
    "reliability",
    "coverage",
    "coverage_by_year",
    "left_out",
)


@dataclass
class WarnSummary:
    table: pd.DataFrame
    messages: list[str]


@dataclass
class _WarningRun:
    """What both commands do first: open the run, read the references file (its values per list
    year) and prepare the warning's inputs; `messages` says what the user must know of them."""

    data: Path
    engine: str
    ctx: RunContext
    prepared: Prepared
    messages: list[str]
    files: dict[str, Path | None]  # the input files beside the dataset (rules, references)

    def manifest(self, seed: int, config: dict[str, Any]) -> dict[str, Any]:
        log = self.ctx.log.to_dict(examples=False)
        extra = {**dataset_manifest_extra(self.ctx), "run_log": log}
        named = {key: path.name for key, path in self.files.items() if path is not None}
        return manifest(
            config={**config, **named},
            inputs=run_inputs(self.data, **self.files),
            engine=self.engine,
            seed=seed,
            parts=("statelists",),
            extra=extra,
        )


def _open(data: Path, engine: str, references: Path | None, rules: Path | None) -> _WarningRun:
    from udsat.statelists.references import read_references
    from udsat.warning.model import prepare

    ctx = open_run(Path(data), engine=engine, rules=rules)
    given = read_references(references, log=ctx.log) if references is not None else None
    messages = []
    if ctx.references.data_is_reference and given is None:
        messages.append(warning_msg("own_reference"))
    prepared = prepare(ctx.engine, ctx.references, year_references=given)
    files = {"rules": rules, "references": references}
    return _WarningRun(Path(data), engine, ctx, prepared, messages, files)


def warn_command(
    data: Path,
    year: int,
    out: Path,
    draws: int,
    seed: int,
    engine: str = "duckdb",
    rules: Path | None = None,
    references: Path | None = None,
    as_of: dt.date | None = None,
) -> WarnSummary:
    """Warn for list year `year` from the dataset in `data` (rows up to `year` - 1) and publish
    the ranked table as `out` (.csv, .parquet or .xlsx) with its manifest. `references`: the
    published references per list year (udsat.statelists.references), from which the forecast
    year's are forecast; `as_of`: the forecast's day (udsat.warning.model.forecast_rules)."""
    from udsat.warning.model import warn

    check_table_suffix(out)
    run = _open(data, engine, references, rules)
    table = warn(
        run.ctx.engine,
        year=year,
        draws=draws,
        seed=seed,
        prepared=run.prepared,
        amendment=run.ctx.amendment,
        as_of=as_of,
    )
    as_of_config = {"as_of": as_of.isoformat()} if as_of is not None else {}
    publish_file(
        out,
        lambda stage: stage.table(out.name, table, specs.EARLY_WARNING),
        run.manifest(seed, {"year": year, "draws": draws, **as_of_config}),
        identifiers=identifiers(run.ctx),
        policy=run.ctx.policy,
    )
    top = table.iloc[0] if len(table) else None
    shown = f"{top['name']} ({round(100 * top['p_any_list'])} %)" if top is not None else "-"
    done = warning_msg(
        "warn_done",
        year=year,
        last=year - 1,
        draws=draws,
        seed=seed,
        path=out,
        areas=len(table),
        top=shown,
    )
    return WarnSummary(table, [*run.messages, done])


def backtest_command(
    data: Path,
    out: Path,
    draws: int,
    seed: int,
    engine: str = "duckdb",
    references: Path | None = None,
    years: list[int] | None = None,
) -> WarnSummary:
    """Backtest the early warning on the dataset in `data` (every list year from
    udsat.warning.backtest.HEADLINE_FROM, or `years`) and publish its tables as CSV and its
    report as Markdown in Danish and English (backtest_da.md, backtest_en.md: the English one is
    what docs/early-warning.md holds, `python -m udsat.warning.doc`) into the directory `out`."""
    from udsat.warning.backtest import backtest, render_markdown

    run = _open(data, engine, references, None)
    result = backtest(run.ctx.engine, years=years, draws=draws, seed=seed, prepared=run.prepared)

    def write(stage: Stage) -> None:
        for name in BACKTEST_TABLES:
            stage.table(f"{name}.csv", getattr(result, name), specs.BACKTEST)
        for lang in ("da", "en"):
            stage.text(f"backtest_{lang}.md", render_markdown(result, lang) + "\n")

    config = {"backtest": True, "years": result.years, "draws": draws}
    publish(
        out,
        write,
        run.manifest(seed, {**config, "resamples": result.resamples}),
        identifiers=identifiers(run.ctx),
        policy=run.ctx.policy,
    )
    return WarnSummary(result.scores, [*run.messages, _backtest_done(result, out)])


def _backtest_done(result: BacktestResult, out: Path) -> str:
    """The closing line: the pooled lists' model minus the best fair baseline, all years."""
    d = result.differences
    found = d[
        (d["period"] == "all")
        & (d["target"] == "lists")
        & (d["split"] == "all")
        & (d["forecast"] == "model")
        & (d["baseline"] == "last_figures_rates")
    ]
    row = found.iloc[0] if len(found) else None

    def signed(column: str) -> str:
        if row is None:
            return "-"
        return ("+" if row[column] >= 0 else "") + number(row[column], None, 4)

    return warning_msg(
        "backtest_done",
        path=out,
        years=f"{min(result.years)}-{max(result.years)}",
        difference=signed("difference"),
        low=signed("lo"),
        high=signed("hi"),
    )
