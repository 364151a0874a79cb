"""The udsat command line (typer). Messages to users are Danish by default (UDSAT_LANG=en)."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from udsat import __version__
from udsat.errors import UdsatError

if TYPE_CHECKING:
    from udsat.contract.tabular import Stated
from udsat.i18n import language, t
from udsat.progress import progress_bar

app = typer.Typer(
    name="udsat",
    help=(
        "udsat: Københavns Politik for udsatte byområder 2025-2035 som software. "
        "Screening of the city, the state's lists (almenboligloven § 61 a/b), monitoring of the "
        "2035 goals and a Danish report site."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)
ENGINE_HELP = (
    "duckdb (embedded, default) or spark (UDSAT_SPARK_MASTER, default local[2]); "
    "the environment's UDSAT_ENGINE sets the default."
)
EngineOption = Annotated[str, typer.Option(help=ENGINE_HELP, envvar="UDSAT_ENGINE")]
RulesOption = Annotated[
    Path | None,
    typer.Option(
        help="An edited copy of the law's parameter file (src/udsat/statelists/law/"
        "almenboligloven.yaml): an amendment, run and shown beside the law in force."
    ),
]
BenefitsOption = Annotated[
    str | None,
    typer.Option(
        help="Benefits counted as outside the labour market: broad (default) or cash_only."
    ),
]
ReferencesOption = Annotated[
    Path | None,
    typer.Option(
        help="CSV of the references per list year (list_year, national_convicted_pct, region, "
        "region_mean_income); each year is judged with its own year's."
    ),
]
LangOption = Annotated[str, typer.Option(help="da (default) or en.")]
ReportYearOption = Annotated[
    int | None, typer.Option(help="Report year (default: the last list year of the data).")
]
LimitOption = Annotated[int, typer.Option(help="Smallest number of people a figure may show.")]
SeparatorOption = Annotated[
    str | None,
    typer.Option(
        help="Separator of the CSV inputs when it cannot be detected: ',' ';' or tab.",
    ),
]
DecimalOption = Annotated[
    str | None,
    typer.Option(
        help="Decimal mark of the CSV inputs when it cannot be detected: comma or point.",
    ),
]
SheetOption = Annotated[
    str | None, typer.Option(help="Sheet of an .xlsx input (default: the first).")
]

DEFAULT_SEED = 20250101


def _parse_years(text: str) -> tuple[int, int]:
    try:
        first, _, last = text.partition("-")
        years = (int(first), int(last or first))
    except ValueError as exc:
        raise typer.BadParameter(f"expected YEAR or FIRST-LAST, got {text!r}") from exc
    if years[0] > years[1]:
        raise typer.BadParameter(f"first year after last year: {text!r}")
    return years


def _stated(separator: str | None, decimal: str | None, sheet: str | None) -> Stated:
    """What the user said about the tabular inputs (udsat.contract.tabular.Stated)."""
    from udsat.contract.tabular import Stated

    try:
        return Stated.from_options(separator, decimal, sheet)
    except ValueError as exc:
        raise UdsatError(str(exc)) from exc


def _fail(exc: UdsatError) -> None:
    # Problems carry "[blocker]" tags and user text: print them verbatim, not as rich markup.
    console.print(f"[bold red]{t('error')}:[/] {escape(str(exc))}")
    raise typer.Exit(code=2)


def _version(value: bool) -> None:
    if value:
        print(f"udsat {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """udsat command line."""


@app.command()
def synth(
    out: Annotated[Path, typer.Option(help="Dataset directory to write.")],
    persons: Annotated[int, typer.Option(help="Residents in the first year.")] = 650_000,
    years: Annotated[str, typer.Option(help="Years as FIRST-LAST.")] = "2015-2025",
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives the same data.")
    ] = DEFAULT_SEED,
    scope: Annotated[
        str,
        typer.Option(
            help="copenhagen, national or auto (national from 1,500,000 persons: all 5 regions, "
            "198 housing areas).",
        ),
    ] = "auto",
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="contract (a dataset directory, default) or dst (DST register extracts as SAS "
            "transport files .xpt, for `udsat import dst`).",
        ),
    ] = "contract",
    scenario: Annotated[
        str,
        typer.Option(
            help="default (the calibrated city), shocked (a harder test city: area shocks drawn "
            "by the seed, no built-in trend, a moving national conviction share) or a YAML file "
            "of the scenario's fields (docs/synthetic-data.md); recorded in manifest.json.",
        ),
    ] = "default",
    trend: Annotated[
        str | None, typer.Option(help="linear or none (overrides the scenario's).")
    ] = None,
    conviction_share: Annotated[
        str | None, typer.Option(help="constant or moving (overrides the scenario's).")
    ] = None,
    shocks: Annotated[
        str | None, typer.Option(help="none or auto (drawn by the seed; overrides the scenario's).")
    ] = None,
) -> None:
    """Write a synthetic Copenhagen (or Denmark) in the data contract's format. SYNTHETIC DATA."""
    from udsat.pipeline import synthesize_with_progress
    from udsat.synth.scenario import scenario_from

    console.print(f"[yellow]{t('synthetic_notice')}[/]")
    span = _parse_years(years)
    try:
        chosen = scenario_from(
            scenario, trend=trend, conviction_share=conviction_share, shocks=shocks
        )
        if format == "dst" and not chosen.is_default:
            from udsat.synth.messages import msg as synth_msg

            raise UdsatError(synth_msg("scenario_dst"))
        if format == "dst":
            from udsat.commands.import_dst import synth_dst_command

            line = synth_dst_command(out, persons, span, seed, scope)
            console.print(line, markup=False)
            return
        if format != "contract":
            from udsat.importer.messages import msg

            raise UdsatError(msg("bad_format", got=format))
        synthesize_with_progress(
            out, console, persons=persons, years=span, seed=seed, scope=scope, scenario=chosen
        )
    except UdsatError as exc:
        _fail(exc)


@app.command()
def validate(
    data: Annotated[Path, typer.Option(help="Dataset directory to check.")],
) -> None:
    """Check a dataset directory against the data contract and report every problem."""
    from udsat.contract.dataset import open_dataset

    try:
        dataset = open_dataset(data)
        report = dataset.validate()
    except UdsatError as exc:
        _fail(exc)
        return
    for warning in report.warnings:
        console.print(f"[yellow]{escape(str(warning))}[/]")
    console.print(t("validate_ok", path=data, tables=len(report.tables)))


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("output"),
    persons: Annotated[int, typer.Option(help="Residents of the synthetic city.")] = 650_000,
    cache: Annotated[Path, typer.Option(help="Where the synthetic city is cached.")] = Path(
        ".cache/synth"
    ),
) -> None:
    """Generate the synthetic city (cached), run every pipeline step and write the outputs."""
    from udsat.pipeline import run_demo

    started = time.perf_counter()
    console.print(f"[yellow]{t('synthetic_notice')}[/]")
    try:
        run_demo(out=out, persons=persons, cache=cache, seed=DEFAULT_SEED, console=console)
    except UdsatError as exc:
        _fail(exc)
        return
    console.print(t("demo_done", path=out, seconds=time.perf_counter() - started))


@app.command()
def lists(
    year: Annotated[int, typer.Option(help="List year (the lists of 1 December YEAR).")],
    out: Annotated[Path, typer.Option(help="Output file: .csv, .parquet or .xlsx.")],
    data: Annotated[Path | None, typer.Option(help="Dataset directory (microdata mode).")] = None,
    aggregate: Annotated[
        Path | None, typer.Option(help="CSV of published area figures (aggregate mode).")
    ] = None,
    history: Annotated[
        Path | None, typer.Option(help="CSV of earlier published lists (year, area_name, list).")
    ] = None,
    without_ethnicity: Annotated[
        bool, typer.Option(help="Also show the lists without the ethnicity criterion.")
    ] = False,
    averaging: Annotated[
        str | None, typer.Option(help="2-year averaging: mean_of_shares (default) or pooled.")
    ] = None,
    forebyggelse_includes_udsat: Annotated[
        bool, typer.Option(help="List udsat areas on the forebyggelse list too.")
    ] = False,
    national_convicted_pct: Annotated[
        float | None,
        typer.Option(
            help="National conviction share (%) of the list year only, for one-municipality data."
        ),
    ] = None,
    region_income: Annotated[
        list[str] | None,
        typer.Option(
            help="REGION=DKK mean income of the list year only, for one-municipality data."
        ),
    ] = None,
    engine: EngineOption = "duckdb",
    references: ReferencesOption = None,
    rules: RulesOption = None,
    benefits: BenefitsOption = None,
    separator: SeparatorOption = None,
    decimal: DecimalOption = None,
    sheet: SheetOption = None,
) -> None:
    """The state's lists of almene boligområder (almenboligloven § 61 a, § 61 b, § 51 b)."""
    from udsat.commands.lists import lists_command
    from udsat.statelists.request import ListsRequest

    try:
        request = ListsRequest(
            year=year,
            data=data,
            aggregate=aggregate,
            history=history,
            without_ethnicity=without_ethnicity,
            averaging=averaging,
            forebyggelse_includes_udsat=forebyggelse_includes_udsat,
            national_convicted_pct=national_convicted_pct,
            region_income=region_income,
            engine=engine,
            references=references,
            rules=rules,
            benefits=benefits,
            stated=_stated(separator, decimal, sheet),
        )
        summary = lists_command(request, out)
    except UdsatError as exc:
        _fail(exc)
        return
    for line in summary.messages:
        console.print(line, markup=False)


@app.command()
def neighbourhoods(
    data: Annotated[Path, typer.Option(help="Dataset directory.")],
    out: Annotated[Path, typer.Option(help="Output file: .parquet or .gpkg.")],
    k: Annotated[
        list[int] | None, typer.Option(help="Residents per neighbourhood (repeatable; 1000).")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Register year (default: the last).")] = None,
    var: Annotated[
        list[str] | None,
        typer.Option(help="Count variable NAME=DuckDB expression over persons (repeatable)."),
    ] = None,
    flag: Annotated[
        str | None, typer.Option(help="Column to flag the worst cells on, e.g. a share.")
    ] = None,
    worst: Annotated[float, typer.Option(help="Share of cells flagged (with --flag).")] = 0.05,
    origins: Annotated[
        str, typer.Option(help="Origins and units: cells (100 m grid) or addresses.")
    ] = "cells",
    engine: EngineOption = "duckdb",
) -> None:
    """Bespoke neighbourhoods: the k nearest residents around every inhabited cell or address."""
    from udsat.commands.neighbourhoods import neighbourhoods_command
    from udsat.neighbourhoods.request import Request

    request = Request(
        data, list(k or [1000]), out, year, list(var or []), flag, worst, origins, engine
    )
    try:
        with progress_bar(console, "neighbourhoods") as report:
            message = neighbourhoods_command(request, report)
    except UdsatError as exc:
        _fail(exc)
        return
    console.print(message, markup=False)


@app.command()
def screen(
    year: Annotated[int, typer.Option(help="Year screened.")],
    out: Annotated[Path, typer.Option(help="Output directory (replaced when complete).")],
    data: Annotated[Path | None, typer.Option(help="Dataset directory (microdata).")] = None,
    aggregate: Annotated[
        Path | None,
        typer.Option(help="Area-level CSV: unit_id, name, year, residents, shares in percent."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="Screening configuration YAML (default: the packaged one).")
    ] = None,
    compare: Annotated[
        Path | None,
        typer.Option(help="Earlier designation (GeoJSON/GeoPackage); default: the 2017 areas."),
    ] = None,
    separator: SeparatorOption = None,
    decimal: DecimalOption = None,
    sheet: SheetOption = None,
    engine: EngineOption = "duckdb",
) -> None:
    """The city screening on the six criteria: the udsatte byområder, explained, with stability."""
    from udsat.commands.screen import screen_command

    try:
        stated = _stated(separator, decimal, sheet)
        result = screen_command(data, aggregate, year, config, compare, out, engine, stated)
    except UdsatError as exc:
        _fail(exc)
        return
    console.print(result.summary_da if language() == "da" else result.summary_en, markup=False)


@app.command()
def monitor(
    data: Annotated[Path, typer.Option(help="Dataset directory.")],
    out: Annotated[Path, typer.Option(help="Output directory for the monitoring tables.")],
    areas: Annotated[
        Path | None,
        typer.Option(
            help="Polygon file with unit_id; default the dataset's layer udsatte_byomraader_2017."
        ),
    ] = None,
    engine: EngineOption = "duckdb",
) -> None:
    """The 2035 goals: vulnerable areas against the rest of the city, trends and status."""
    from udsat.commands.monitor import monitor_command

    try:
        summary = monitor_command(data, out, areas, engine)
    except UdsatError as exc:
        _fail(exc)
        return
    for line in summary.messages:
        console.print(line, markup=False)


@app.command()
def warn(
    data: Annotated[Path, typer.Option(help="Dataset directory.")],
    out: Annotated[
        Path,
        typer.Option(help="Output file: .csv, .parquet or .xlsx (with --backtest: a directory)."),
    ],
    year: Annotated[
        int | None,
        typer.Option(
            help="List year to warn for (1 December YEAR); the data up to YEAR-1 are used."
        ),
    ] = None,
    backtest: Annotated[
        bool,
        typer.Option(
            "--backtest",
            help="Forecast every past list year from 2019 from the data before it and score the "
            "forecasts against the lists, beside fair baselines (docs/early-warning.md).",
        ),
    ] = False,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws per area.")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed (the same seed, the same table).")] = 0,
    engine: EngineOption = "duckdb",
    rules: RulesOption = None,
    references: ReferencesOption = None,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="The forecast's day (YYYY-MM-DD): it judges by the rules in force that day and "
            "shows rules announced for the list beside; default the day the last list was "
            "published (1 December of YEAR-1).",
        ),
    ] = None,
) -> None:
    """Early warning: the probability that each housing area lands on each of the state's lists."""
    from udsat.commands.warn import backtest_command, warn_command
    from udsat.warning.messages import msg as warning_msg

    try:
        day = as_of.date() if as_of is not None else None
        if backtest:
            if year is not None or rules is not None or day is not None:
                raise UdsatError(warning_msg("backtest_options"))
            summary = backtest_command(data, out, draws, seed, engine, references)
        elif year is None:
            raise UdsatError(warning_msg("year_needed"))
        else:
            summary = warn_command(data, year, out, draws, seed, engine, rules, references, day)
    except UdsatError as exc:
        _fail(exc)
        return
    for line in summary.messages:
        console.print(line, markup=False)


@app.command()
def report(
    out: Annotated[Path, typer.Option(help="Directory of the site (replaced when complete).")],
    data: Annotated[Path | None, typer.Option(help="Dataset directory.")] = None,
    bundle: Annotated[
        Path | None,
        typer.Option(help="An export bundle (udsat export): build the site from it alone."),
    ] = None,
    lang: LangOption = "da",
    year: ReportYearOption = None,
    limit: LimitOption = 5,
    engine: EngineOption = "duckdb",
    rules: RulesOption = None,
) -> None:
    """The report site: map, criteria, goals, lists, area profiles, downloads (offline)."""
    from udsat.pipeline import report_command, report_from_export

    started = time.perf_counter()
    try:
        if (data is None) == (bundle is None):
            raise UdsatError(t("data_or_bundle"))
        if bundle is not None:
            site = report_from_export(bundle, out)
        else:
            assert data is not None
            site = report_command(
                data,
                out,
                lang=lang,
                year=year,
                limit=limit,
                engine=engine,
                console=console,
                rules=rules,
            )
    except UdsatError as exc:
        _fail(exc)
        return
    console.print(
        t("report_done", path=out, pages=len(site.pages), seconds=time.perf_counter() - started),
        markup=False,
    )


@app.command()
def export(
    data: Annotated[Path, typer.Option(help="Dataset directory.")],
    out: Annotated[Path, typer.Option(help="Directory of the export bundle (replaced).")],
    lang: LangOption = "da",
    year: ReportYearOption = None,
    limit: LimitOption = 5,
    engine: EngineOption = "duckdb",
    rules: RulesOption = None,
) -> None:
    """What may leave the research machine: the report's figures after disclosure control, for
    DST's output control (INDHOLD.md lists every file); `udsat report --bundle` builds the
    site from it alone."""
    from udsat.pipeline import export_command

    try:
        files = export_command(
            data, out, lang=lang, year=year, limit=limit, engine=engine, console=console,
            rules=rules,
        )  # fmt: skip
    except UdsatError as exc:
        _fail(exc)
        return
    console.print(t("export_done", path=out, files=len(files)), markup=False)


@app.command()
def verify(
    output_dir: Annotated[
        Path,
        typer.Argument(help="Publication with run_manifest.json.", metavar="OUTPUT_DIR"),
    ],
) -> None:
    """Re-check a publication against its run manifest: missing, extra or changed files."""
    from udsat.publish.atomic import verify as verify_publication

    try:
        result = verify_publication(output_dir)
    except UdsatError as exc:
        _fail(exc)
        return
    for line in result.lines():
        console.print(line, markup=False)
    if not result.ok:
        raise typer.Exit(code=1)


import_app = typer.Typer(
    name="import",
    help="Import real data into the data contract (DST register extracts).",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")


@import_app.command("dst")
def import_dst(
    registers: Annotated[
        Path, typer.Option(help="Folder of register extracts: one file per register and year.")
    ],
    out: Annotated[Path, typer.Option(help="Dataset directory to write (replaced).")],
    mapping: Annotated[
        Path | None,
        typer.Option(help="A project's mapping (default: the packaged dst_mapping.yaml)."),
    ] = None,
    housing_areas: Annotated[
        Path | None,
        typer.Option(help="Polygons of the housing areas (housing_area_id, name, ...)."),
    ] = None,
    units: Annotated[
        Path | None, typer.Option(help="Folder of polygon layers copied as the dataset's units.")
    ] = None,
) -> None:
    """DST register extracts (SAS, SAS transport, CSV, Parquet) -> a dataset directory."""
    from udsat.commands.import_dst import import_dst_command

    try:
        result = import_dst_command(registers, out, mapping, housing_areas, units)
    except UdsatError as exc:
        _fail(exc)
        return
    for line in result.messages:
        console.print(line, markup=False)


if __name__ == "__main__":
    app()
