"""`udsat warn`: the early warning for the next 1 December, published as one file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from udsat.i18n import number
from udsat.pipeline import dataset_manifest_extra, identifiers, manifest, open_run
from udsat.publish import Stage, publish, publish_file
from udsat.publish import tables as specs
from udsat.publish.writers import check_table_suffix
from udsat.warning.messages import msg as warning_msg


@dataclass
class WarnSummary:
    table: pd.DataFrame
    messages: list[str]


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
    from udsat.statelists.references import read_references
    from udsat.warning.model import prepare, warn

    check_table_suffix(out)
    ctx = open_run(Path(data), engine=engine, rules=rules)
    given = read_references(references, log=ctx.log) if references is not None else None
    messages = []
    if ctx.references.data_is_reference and given is None:
        messages.append(warning_msg("own_reference"))
    prepared = prepare(ctx.engine, ctx.references, year_references=given)
    table = warn(
        ctx.engine,
        year=year,
        draws=draws,
        seed=seed,
        prepared=prepared,
        amendment=ctx.amendment,
        as_of=as_of,
    )
    publish_file(
        out,
        lambda stage: stage.table(out.name, table, specs.EARLY_WARNING),
        manifest(
            config={
                "year": year,
                "draws": draws,
                **({"rules": rules.name} if rules is not None else {}),
                **({"references": references.name} if references is not None else {}),
                **({"as_of": as_of.isoformat()} if as_of is not None else {}),
            },
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


# The backtest's tables, published as CSV beside its Markdown (udsat.warning.backtest).
BACKTEST_TABLES = (
    "scores",
    "differences",
    "reliability",
    "coverage",
    "coverage_by_year",
    "left_out",
)


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
    from udsat.statelists.references import read_references
    from udsat.warning.backtest import backtest, render_markdown
    from udsat.warning.model import prepare

    ctx = open_run(Path(data), engine=engine)
    given = read_references(references, log=ctx.log) if references is not None else None
    prepared = prepare(ctx.engine, ctx.references, year_references=given)
    result = backtest(ctx.engine, years=years, draws=draws, seed=seed, prepared=prepared)

    def write(stage: Stage) -> None:
        for name in BACKTEST_TABLES:
            stage.table(f"{name}.csv", getattr(result, name), specs.BACKTEST)
        for lang in ("da", "en"):
            stage.text(f"backtest_{lang}.md", render_markdown(result, lang) + "\n")

    publish(
        out,
        write,
        manifest(
            config={
                "backtest": True,
                "years": result.years,
                "draws": draws,
                "resamples": result.resamples,
                **({"references": references.name} if references is not None else {}),
            },
            inputs=Path(data),
            engine=engine,
            seed=seed,
            parts=("statelists",),
            extra={**dataset_manifest_extra(ctx), "run_log": ctx.log.to_dict(examples=False)},
        ),
        identifiers=identifiers(ctx),
        policy=ctx.policy,
    )
    pooled = result.differences
    lists = pooled[
        (pooled["period"] == "all")
        & (pooled["target"] == "lists")
        & (pooled["split"] == "all")
        & (pooled["forecast"] == "model")
        & (pooled["baseline"] == "last_figures_rates")
    ]
    row = lists.iloc[0] if len(lists) else None

    def signed(column: str) -> str:
        return (
            "-" if row is None else ("+" if row[column] >= 0 else "") + number(row[column], None, 4)
        )

    messages = []
    if ctx.references.data_is_reference and given is None:
        messages.append(warning_msg("own_reference"))
    messages.append(
        warning_msg(
            "backtest_done",
            path=out,
            years=f"{min(result.years)}-{max(result.years)}",
            difference=signed("difference"),
            low=signed("lo"),
            high=signed("hi"),
        )
    )
    return WarnSummary(result.scores, messages)
