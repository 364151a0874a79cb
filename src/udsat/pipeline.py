"""The one-way pipeline: a run context and the ordered steps every command takes a prefix of.

    open_run (validate, engine, references) -> state's lists (every year, once) -> overview and
    neighbourhoods -> screening (uses the lists) -> monitoring -> early warning (uses the lists)
    -> report bundle (consumes results) -> publish (udsat.publish)

Each step takes the run context and upstream results and returns a typed result; nothing travels
on the side. All relational work runs on the context's engine; the report package reads results
only (it imports nothing of this module).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import duckdb
import pandas as pd
from rich.console import Console

from udsat import __version__
from udsat.contract.dataset import Dataset, open_dataset
from udsat.engines import Engine, open_engine
from udsat.i18n import t
from udsat.progress import progress_bar
from udsat.publish import DisclosurePolicy, Stage, publish, run_manifest
from udsat.publish import tables as specs
from udsat.publish.disclosure import DEFAULT_LIMIT
from udsat.publish.privacy import Identifiers, identifiers_from_dataset
from udsat.runlog import RunLog
from udsat.statelists.microdata import References
from udsat.statelists.rules import Law

if TYPE_CHECKING:
    import geopandas as gpd

    from udsat.monitoring.monitor import MonitoringResult
    from udsat.report.bundle import ReportBundle, ScreeningLike
    from udsat.report.site import SiteSummary
    from udsat.screening.result import ScreeningResult
    from udsat.synth.scenario import Scenario

DEMO_YEARS = (2015, 2025)


# --- the manifest's versions -----------------------------------------------------------------

VERSIONED = ("statelists", "indicators", "screening", "monitoring")


def module_versions(*parts: str) -> dict[str, object]:
    """The versions of the rule sets, the indicator catalogue and the screening and monitoring
    configurations a run used (`parts`; default all), for its manifest."""
    chosen = parts or VERSIONED
    out: dict[str, object] = {}
    if "statelists" in chosen:
        from udsat.statelists.rules import rulesets

        out["statelists_rulesets"] = [rs.label for rs in rulesets()]
    if "indicators" in chosen:
        from udsat.indicators.catalogue import load_catalogue

        out["indicators_catalogue"] = load_catalogue().version
    if "screening" in chosen:
        from udsat.screening.config import load_config

        out["screening_config"] = load_config().version
    if "monitoring" in chosen:
        from udsat.monitoring.goals import load_goals

        out["monitoring_goals"] = load_goals().version
    return {k: v for k, v in out.items() if v is not None}


def run_inputs(data: Path, **files: Path | None) -> dict[str, Path]:
    """The inputs a run manifest hashes: the dataset's files (unprefixed) and the named files
    given (e.g. rules=, references=), so the manifest holds the exact amendment read."""
    return {"": Path(data), **{k: Path(v) for k, v in files.items() if v is not None}}


def manifest(
    *,
    config: dict[str, Any],
    inputs: Path | dict[str, Path],
    engine: str,
    seed: int | None,
    parts: tuple[str, ...] = (),
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The run manifest (udsat.publish.run_manifest) with the versions of the `parts` used."""
    return run_manifest(
        config=config,
        inputs=inputs,
        engine=engine,
        seed=seed,
        extra=extra,
        versions=module_versions(*parts),
    )


# --- the run context -------------------------------------------------------------------------


@dataclass
class RunContext:
    """What every step of one run shares: the validated dataset, the engine the relational work
    runs on, the references the state's lists are judged against, the disclosure policy and the
    run log (every excluded row with its reason, every decision taken for the user)."""

    dataset: Dataset
    engine: Engine
    references: References
    log: RunLog
    console: Console
    policy: DisclosurePolicy = field(default_factory=DisclosurePolicy)
    tables_checked: list[str] = field(default_factory=list)
    # An edited copy of the law (`--rules PATH`): its lists are shown beside the law's.
    amendment: Law | None = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The dataset's DuckDB connection, for small lookups (layers, geometry) only."""
        return self.engine.con


def single_municipality(engine: Engine) -> bool:
    """True when the data's addresses lie in one municipality (e.g. the synthetic city)."""
    found = engine.frame("SELECT count(DISTINCT municipality_code) AS n FROM addresses")
    return int(found["n"].iloc[0]) <= 1


def decide_references(engine: Engine, given: References | None, log: RunLog) -> References:
    """The one decision on what the state's lists are judged against, stated in the run log.

    Given references win. Data of one municipality hold neither the country nor the region, so
    they are their own national and regional reference (the synthetic demo city); real lists
    use the whole country and region (`udsat lists --references`). Otherwise the data are
    national and the references are computed from them, year by year.
    """
    if given is not None:
        return given
    if single_municipality(engine):
        log.note(t("own_reference_note", lang="en"))  # the log is English
        return References(data_is_reference=True)
    return References()


def open_run(
    data: Path | Dataset,
    *,
    engine: str = "duckdb",
    references: References | None = None,
    console: Console | None = None,
    limit: int = DEFAULT_LIMIT,
    rules: Path | None = None,
) -> RunContext:
    """Open and validate a dataset (a validation of unchanged files is reused), open the engine
    and decide the references: the first step of every command that reads microdata. `rules`:
    an amendment, checked by the law's strict schema before any data are read."""
    from udsat.statelists.rules import load_law

    amendment = load_law(rules) if rules is not None else None
    log = RunLog()
    console = console or Console(stderr=True)
    dataset = data if isinstance(data, Dataset) else open_dataset(Path(data))
    report = dataset.validate(log=log)
    for text in log.process_notes:  # e.g. the remembered validation was reused, and when
        console.print(text, style="dim", markup=False)
    runner = open_engine(engine, dataset)
    return RunContext(
        dataset=dataset,
        engine=runner,
        references=decide_references(runner, references, log),
        log=log,
        console=console,
        policy=DisclosurePolicy(limit),
        tables_checked=list(report.tables),
        amendment=amendment,
    )


# --- the steps -------------------------------------------------------------------------------


def lists_step(ctx: RunContext) -> pd.DataFrame:
    """The state's lists of every list year the data cover, computed once per run."""
    from udsat.statelists.run import lists_for_data

    ctx.console.print(t("step_lists"))
    return lists_for_data(ctx.engine, ctx.references, ctx.log, amendment=ctx.amendment)


def last_list_year(lists: pd.DataFrame) -> int:
    return int(lists["list_year"].max())


@dataclass
class Overview:
    """Residents, households and movements per year; residents per bydel and kvarter."""

    by_year: pd.DataFrame
    by_bydel: pd.DataFrame
    by_kvarter: pd.DataFrame


def overview_step(ctx: RunContext) -> Overview:
    ctx.console.print(t("step_overview"))
    by_year = ctx.engine.frame(
        """
        WITH p AS (
            SELECT person_id, year, address_id, household_id, age, died,
                   lag(address_id) OVER (PARTITION BY person_id ORDER BY year) AS prev_address,
                   lag(year) OVER (PARTITION BY person_id ORDER BY year) AS prev_year
            FROM persons
        )
        SELECT year,
               count(*) AS residents,
               count(DISTINCT household_id) AS households,
               count(DISTINCT address_id) AS inhabited_addresses,
               count(*) FILTER (WHERE age = 0) AS aged_0,
               count(*) FILTER (WHERE died) AS deaths_during_year,
               count(*) FILTER (WHERE prev_year = year - 1 AND prev_address <> address_id)
                   AS moved_since_last_year
        FROM p GROUP BY year ORDER BY year
        """
    )
    return Overview(
        by_year=by_year,
        by_bydel=residents_by_unit(ctx, ctx.dataset.read_geo("units/bydele"), "bydele"),
        by_kvarter=residents_by_unit(ctx, ctx.dataset.read_geo("units/kvarterer"), "kvarterer"),
    )


def residents_by_unit(
    ctx: RunContext, units: gpd.GeoDataFrame, layer: str, *, covers_city: bool = True
) -> pd.DataFrame:
    """Residents per polygon (unit_id, name) and year. Addresses outside every unit are counted
    in the run log: as excluded rows where the layer `covers_city`, else as a note (e.g. the
    designated areas, whose outside is the rest of the city). The addresses are mapped to the
    polygons by the indicators' kept mapping (one point-in-polygon pass per layer and run)."""
    from udsat.indicators.engine import kept_units

    addresses = kept_units(ctx.con, units, None).mapping[["address_id", "unit_id"]]
    outside = addresses[addresses["unit_id"].isna()]
    if not covers_city:
        ctx.log.note(f"{layer}: {len(outside)} addresses lie outside (the rest of the city)")
    else:
        ctx.log.exclude(
            f"addresses -> units/{layer}",
            "address outside every unit of the layer",
            len(outside),
            [f"address_id={a}" for a in outside["address_id"].head(5)],
        )
    name = "udsat_units_" + "".join(c if c.isalnum() else "_" for c in layer)
    ctx.engine.register(
        name, addresses.loc[addresses["unit_id"].notna(), ["address_id", "unit_id"]]
    )
    try:
        counts = ctx.engine.frame(
            f"""
            SELECT a.unit_id, p.year, count(*) AS residents
            FROM persons p JOIN {name} a USING (address_id)
            GROUP BY a.unit_id, p.year ORDER BY a.unit_id, p.year
            """
        )
    finally:
        ctx.engine.unregister(name)
    counts["residents"] = counts["residents"].astype("int64")
    columns = ["unit_id", "name"] if "name" in units else ["unit_id"]
    return units[columns].merge(counts, on="unit_id", how="right")


def neighbourhoods_step(ctx: RunContext, ks: tuple[int, ...] = (1000,)) -> pd.DataFrame:
    from udsat.neighbourhoods import neighbourhood_step

    ctx.console.print(t("step_neighbourhoods"))
    with progress_bar(ctx.console, "k = " + ", ".join(f"{k:,}" for k in ks)) as tick:
        return neighbourhood_step(ctx.engine, ks=ks, progress=tick)


def screening_step(
    ctx: RunContext, lists: pd.DataFrame, year: int, *, stability: bool = True
) -> ScreeningResult:
    from udsat.screening import run_screening

    ctx.console.print(t("step_screening"))
    return run_screening(
        ctx.dataset,
        year=year,
        engine=ctx.engine,
        lists=lists,
        references=ctx.references,
        stability=stability,
    )


def monitoring_step(ctx: RunContext) -> MonitoringResult:
    from udsat.monitoring.monitor import monitor

    ctx.console.print(t("step_monitoring"))
    return monitor(ctx.con, log=ctx.log, engine=ctx.engine)


def warning_step(ctx: RunContext, lists: pd.DataFrame, year: int) -> pd.DataFrame:
    """The early warning for list year `year` from the data up to `year` - 1."""
    from udsat.warning import warn

    ctx.console.print(t("step_warning", year=str(year)))
    return warn(
        ctx.engine, year=year, references=ctx.references, lists=lists, amendment=ctx.amendment
    )


def report_step(
    ctx: RunContext,
    *,
    lists: pd.DataFrame,
    year: int,
    screening: ScreeningResult | None,
    monitoring: MonitoringResult | None,
    warnings: pd.DataFrame | None,
    lang: str = "da",
) -> ReportBundle:
    """The report's bundle: the results, and the figures the report needs from the data (the
    designated areas' and the city's residents, layers, initiatives)."""
    from udsat.report.bundle import ReportBundle, designated_areas_of, policy_areas_as_screening

    shown: ScreeningLike | None = screening
    if screening is None and "units_udsatte_byomraader_2017" in ctx.dataset.tables:
        shown = policy_areas_as_screening(
            ctx.dataset.read_geo("units/udsatte_byomraader_2017"), year
        )
    residents = None
    if shown is not None:
        # The designated areas only: the screening's areas also hold the state-listed housing
        # areas, which overlap them (an address counts once) and are not designated.
        areas = designated_areas_of(shown.areas)
        polygons = areas[["area_id", "name", "geometry"]].rename(columns={"area_id": "unit_id"})
        residents = residents_by_unit(ctx, polygons, "designated areas", covers_city=False).rename(
            columns={"unit_id": "area_id"}
        )[["area_id", "year", "residents"]]
    city = ctx.engine.frame(
        "SELECT year, count(*) AS residents FROM persons GROUP BY year ORDER BY year"
    )
    city["residents"] = city["residents"].astype("int64")
    area_indicators = None
    if shown is not None and len(designated_areas_of(shown.areas)):
        polygons = designated_areas_of(shown.areas).rename(columns={"area_id": "unit_id"})
        area_indicators = area_indicator_series(ctx, polygons, year, city["year"])
    dataset = ctx.dataset
    initiatives = None
    if "initiatives" in dataset.tables:
        from udsat.monitoring.initiatives import read_initiatives

        # The validated view (a CSV in any encoding or separator the contract reads), as text.
        plan = read_initiatives(ctx.con)
        initiatives = plan.astype(object).where(plan.notna(), "").astype(str)
    layers = {
        name.removeprefix("units_"): dataset.read_geo(name)
        for name in dataset.tables
        if name.startswith("units_")
    }
    # Counts and reasons only: a run log's example rows hold input ids, never published.
    exclusions = [
        {"table": e.table, "reason": e.reason, "rows": e.rows} for e in ctx.log.exclusions
    ]
    return ReportBundle(
        year=year,
        manifest={
            "dataset": dataset.manifest,
            "run_log": {"exclusions": exclusions, "notes": list(ctx.log.notes)},
        },
        state_lists=lists,
        housing_areas=dataset.read_geo("housing_areas"),
        lang=lang,
        screening=shown,
        monitoring=monitoring,
        warnings=warnings,
        initiatives=initiatives,
        background=layers.get("bydele"),
        initiative_layers=layers,
        residents_by_area=residents,
        city_residents=city,
        area_indicators=area_indicators,
        limit=ctx.policy.limit,
    )


PROFILE_YEARS = 5  # the designated areas' criteria over the report year and the 4 before


def area_indicator_series(
    ctx: RunContext, polygons: gpd.GeoDataFrame, year: int, years: pd.Series
) -> pd.DataFrame:
    """The screening's indicators for each designated area (`polygons`: unit_id, geometry) and
    for the city ("city"), in the report year and the PROFILE_YEARS - 1 before it that the data
    hold: the area profiles' criteria against the city with intervals and trend. Direct
    estimates (no shrinkage) with the engine's 95 % intervals; the indicators' own notes are
    the screening's and the monitoring's (a scratch log)."""
    from udsat.indicators.catalogue import load_catalogue
    from udsat.indicators.engine import compute_indicators
    from udsat.screening.run import screening_indicators

    catalogue = load_catalogue()
    ids, directions = screening_indicators(catalogue)
    scratch = RunLog()
    frames = []
    for y in sorted(int(v) for v in years if year - PROFILE_YEARS < int(v) <= year):
        for units in (polygons[["unit_id", "geometry"]], "city"):
            frames.append(
                compute_indicators(
                    ctx.engine, year=y, units=units, catalogue=catalogue, indicators=ids,
                    shrink=False, log=scratch,
                )
            )  # fmt: skip
    table = pd.concat(frames, ignore_index=True).rename(columns={"unit_id": "area_id"})
    table["area_id"] = table["area_id"].astype(str)
    table["direction"] = table["indicator_id"].map(directions).astype(str)
    columns = ["area_id", "indicator_id", "criterion", "direction", "year"]
    columns += ["numerator", "denominator", "value", "ci_low", "ci_high"]
    return table[columns].sort_values(["area_id", "indicator_id", "year"], ignore_index=True)


# --- the demo: every step ---------------------------------------------------------------------


@dataclass
class DemoResults:
    """Every result of the demo: what its publication holds."""

    overview: Overview
    lists: pd.DataFrame
    neighbourhoods: pd.DataFrame
    year: int  # the report year: the last list year of the data
    screening: ScreeningResult
    monitoring: MonitoringResult
    warnings: pd.DataFrame  # early warning for list year `year` + 1
    bundle: ReportBundle


@dataclass
class Analyses:
    """The steps after the lists for one report year: what the report shows."""

    screening: ScreeningResult
    monitoring: MonitoringResult
    warnings: pd.DataFrame  # early warning for list year `year` + 1
    bundle: ReportBundle


def analysis_steps(
    ctx: RunContext, lists: pd.DataFrame, year: int, *, stability: bool = True, lang: str = "da"
) -> Analyses:
    """Screening (uses the lists), monitoring, the early warning for the next 1 December (the
    data up to `year` are known; uses the lists) and the report's bundle of them."""
    screening = screening_step(ctx, lists, year, stability=stability)
    monitoring = monitoring_step(ctx)
    warnings = warning_step(ctx, lists, year + 1)
    bundle = report_step(
        ctx,
        lists=lists,
        year=year,
        screening=screening,
        monitoring=monitoring,
        warnings=warnings,
        lang=lang,
    )
    return Analyses(screening, monitoring, warnings, bundle)


def demo_steps(ctx: RunContext) -> DemoResults:
    overview = overview_step(ctx)
    lists = lists_step(ctx)
    neighbourhoods = neighbourhoods_step(ctx)
    year = last_list_year(lists)
    done = analysis_steps(ctx, lists, year)
    return DemoResults(
        overview,
        lists,
        neighbourhoods,
        year,
        done.screening,
        done.monitoring,
        done.warnings,
        done.bundle,
    )


def write_demo(stage: Stage, results: DemoResults, ctx: RunContext) -> None:
    """Every output of the demo, through the publication layer."""
    from udsat.monitoring.publish import write_monitoring
    from udsat.neighbourhoods.publish import write_cells
    from udsat.report import build_site
    from udsat.report.publish import publish_bundle
    from udsat.report.site import TRANSLATION
    from udsat.screening.publish import write_screening

    tables = stage.sub("tables")
    tables.table("overview_by_year.csv", results.overview.by_year, specs.OVERVIEW)
    tables.table("residents_by_bydel.csv", results.overview.by_bydel, specs.RESIDENTS)
    tables.table("residents_by_kvarter.csv", results.overview.by_kvarter, specs.RESIDENTS)
    for suffix in (".csv", ".xlsx"):
        tables.table(f"state_lists{suffix}", results.lists, specs.STATE_LISTS)
    write_cells(stage, results.neighbourhoods, "neighbourhoods_k1000", csv=tables)
    write_screening(stage.sub("screening"), results.screening)
    write_monitoring(tables, results.monitoring, prefix="monitoring_", excel=False, log=False)
    tables.table(f"early_warning_{results.year + 1}.csv", results.warnings, specs.EARLY_WARNING)
    ctx.console.print(t("step_report"))
    # The Danish site and its English translation beside it (site/en), from the same
    # published figures.
    pub = publish_bundle(results.bundle)
    build_site(results.bundle, stage.sub("site"), pub, alternate=f"{TRANSLATION}/")
    english = dataclasses.replace(results.bundle, lang="en")
    build_site(english, stage.sub(f"site/{TRANSLATION}"), pub, alternate="../")
    stage.run_log(ctx.log)
    stage.text("LAESMIG.txt", readme(ctx.dataset.manifest, results.year))


def readme(dataset_manifest: dict[str, object], year: int) -> str:
    """A Danish description of the demo's outputs, opening with the synthetic-data notice."""
    lines = []
    if dataset_manifest.get("synthetic"):
        lines += [t("synthetic_notice", lang="da"), ""]
    years = cast(list[object], dataset_manifest.get("years") or [])
    lines += [
        f"udsat {__version__}: resultater for {dataset_manifest.get('municipality', '')}, "
        f"år {'-'.join(str(y) for y in years)}",
        "",
        "tables/overview_by_year.csv      beboere, husstande, fødsler, dødsfald og flyttere pr. år",
        "tables/residents_by_bydel.csv    beboere pr. bydel og år",
        "tables/residents_by_kvarter.csv  beboere pr. kvarter og år",
        "tables/state_lists.csv (.xlsx)   statens lister (almenboligloven § 61 a, § 61 b og "
        "§ 51 b) pr. listeår: kriterier, tærskler, afstand i procentpoint og personer, begrundelse",
        "tables/neighbourhoods_k1000.csv  de 1.000 nærmeste beboere omkring hver beboet "
        "100 m-celle (seneste år): andele og radius",
        "neighbourhoods_k1000.gpkg        det samme som 100 m-celler til QGIS (EPSG:25832)",
        "site/index.html                  rapporten (åbnes direkte fra disken, uden net): "
        f"kort, kriterier, mål, lister, områdeprofiler, downloads ({year})",
        "screening/                       screeningen på de seks kriterier: udpegede områder "
        "(GeoPackage, GeoJSON), enhedstabel (CSV, Parquet), resumé",
        "tables/monitoring_*.csv          målene for 2035: status, tidsserier, afstande, "
        "initiativer",
        f"tables/early_warning_{year + 1}.csv   tidlig varsling: sandsynlighed for statens lister "
        f"1. december {year + 1}",
        "run_log.json                     alle udeladte rækker med årsag, og bemærkninger",
        "run_manifest.json                versioner, konfiguration, sha256 af inddata og af hver "
        "resultatfil (udsat verify)",
        "",
        "Tal for 1-4 personer offentliggøres aldrig: de står som tomme felter i alle filer.",
    ]
    return "\n".join(lines) + "\n"


def demo_dataset_path(cache: Path, persons: int, seed: int) -> Path:
    """Where the demo caches its synthetic city: one entry per size, seed, udsat version and
    generator source (a changed generator makes a new city, never reuses a stale one)."""
    from udsat.synth import generator_fingerprint

    years = f"{DEMO_YEARS[0]}-{DEMO_YEARS[1]}"
    return cache / f"copenhagen-{persons}-{seed}-{years}-v{__version__}-{generator_fingerprint()}"


def synthesize_with_progress(
    out: Path,
    console: Console,
    *,
    persons: int,
    years: tuple[int, int],
    seed: int,
    scope: str,
    scenario: Scenario | None = None,
) -> None:
    """`udsat.synth.synthesize` behind a progress bar, reporting what it wrote."""
    from udsat.synth import synthesize

    with progress_bar(console, "synth") as report:
        summary = synthesize(
            out,
            persons=persons,
            years=years,
            seed=seed,
            scope=scope,
            progress=report,
            scenario=scenario,
        )
    console.print(
        t(
            "synth_done",
            path=out,
            persons=summary.persons,
            rows=summary.person_years,
            seconds=summary.seconds,
        )
    )


def cached_synthetic_city(cache: Path, persons: int, seed: int, console: Console) -> Path:
    """The synthetic city for the demo, generated once per size, seed, udsat version and
    generator source."""
    path = demo_dataset_path(cache, persons, seed)
    if (path / "manifest.json").exists():
        console.print(t("synth_cached", path=path))
        return path
    synthesize_with_progress(
        path, console, persons=persons, years=DEMO_YEARS, seed=seed, scope="copenhagen"
    )
    return path


def dataset_manifest_extra(ctx: RunContext) -> dict[str, object]:
    return {
        "dataset": ctx.dataset.manifest,
        "tables_checked": ctx.tables_checked,
        "notice": t("synthetic_notice") if ctx.dataset.manifest.get("synthetic") else "",
    }


def identifiers(ctx: RunContext) -> Identifiers:
    return identifiers_from_dataset(ctx.con)


def run_demo(out: Path, persons: int, cache: Path, seed: int, console: Console) -> DemoResults:
    """Synthesise (cached), validate, run every step and publish under `out`."""
    data_dir = cached_synthetic_city(cache, persons, seed, console)
    console.print(t("step_validate"))
    ctx = open_run(data_dir, console=console)
    results = demo_steps(ctx)
    # No wall-clock times in the manifest: same inputs, same bytes (timings go to the console).
    described = manifest(
        config={"persons": persons, "years": list(DEMO_YEARS), "ks": [1000]},
        inputs=data_dir,
        engine=f"duckdb {duckdb.__version__}",
        seed=seed,
        # The dataset by its folder's name: an absolute path would tie the bytes to one machine
        # and tell where it keeps its data (its inputs are identified by their hashes).
        extra={"dataset_name": data_dir.name, **dataset_manifest_extra(ctx)},
    )
    publish(
        out,
        lambda stage: write_demo(stage, results, ctx),
        described,
        identifiers=identifiers(ctx),
        policy=ctx.policy,
    )
    return results


# --- udsat report: the steps the site needs ------------------------------------------------


def site_bundle(
    data: Path,
    lang: str,
    year: int | None,
    limit: int,
    engine: str,
    console: Console | None,
    rules: Path | None,
) -> tuple[RunContext, ReportBundle, int]:
    """The run, the report's bundle and its year for `udsat report` and `udsat export`: lists,
    the screening without its stability grid (udsat screen computes it), monitoring and the
    early warning."""
    from udsat.report.bundle import read_year_choice

    ctx = open_run(data, engine=engine, console=console, limit=limit, rules=rules)
    lists = lists_step(ctx)
    report_year = read_year_choice(lists, year)
    bundle = analysis_steps(ctx, lists, report_year, stability=False, lang=lang).bundle
    return ctx, bundle, report_year


def report_command(
    data: Path,
    out: Path,
    *,
    lang: str = "da",
    year: int | None = None,
    limit: int = DEFAULT_LIMIT,
    engine: str = "duckdb",
    console: Console | None = None,
    rules: Path | None = None,
) -> SiteSummary:
    """`udsat report`: the site of a dataset (lists, screening without its stability grid,
    monitoring, early warning), published atomically with its manifest after the scan.
    `rules`: an amendment whose lists and risks are shown beside the law's."""
    from udsat.report import publish_site

    ctx, bundle, report_year = site_bundle(data, lang, year, limit, engine, console, rules)
    described = _site_manifest(ctx, data, lang, report_year, limit, rules)
    return publish_site(bundle, out, described, identifiers=identifiers(ctx))


def _site_manifest(
    ctx: RunContext, data: Path, lang: str, year: int, limit: int, rules: Path | None
) -> dict[str, Any]:
    """The manifest of `udsat report` and `udsat export`: what the site's figures rest on."""
    return manifest(
        config={
            "lang": lang,
            "year": year,
            "limit": limit,
            **({"rules": rules.name} if rules is not None else {}),
        },
        inputs=run_inputs(data, rules=rules),
        engine=ctx.engine.name,
        seed=None,
        extra=dataset_manifest_extra(ctx),
    )


def export_command(
    data: Path,
    out: Path,
    *,
    lang: str = "da",
    year: int | None = None,
    limit: int = DEFAULT_LIMIT,
    engine: str = "duckdb",
    console: Console | None = None,
    rules: Path | None = None,
) -> list[str]:
    """`udsat export`: the report's figures after disclosure control, the maps' geometry and a
    list of every file (INDHOLD.md), for DST's output control; the report is built outside from
    it alone (`udsat report --bundle`). Published atomically, scanned, with its manifest."""
    from udsat.report.export import write_export

    ctx, bundle, report_year = site_bundle(data, lang, year, limit, engine, console, rules)
    written: list[str] = []
    publish(
        out,
        lambda stage: written.extend(write_export(stage, bundle)),
        _site_manifest(ctx, data, lang, report_year, limit, rules),
        identifiers=identifiers(ctx),
        policy=ctx.policy,
    )
    return written


def report_from_export(bundle_dir: Path, out: Path) -> SiteSummary:
    """`udsat report --bundle DIR`: the site from an export bundle alone (no microdata)."""
    from udsat.report import publish_site
    from udsat.report.export import read_export

    bundle, pub = read_export(bundle_dir)
    bundle_dir = Path(bundle_dir)
    # The bundle's own run_manifest.json holds the hashes of every file it carries.
    described = manifest(
        config={"bundle": bundle_dir.name, "year": bundle.year, "lang": bundle.lang},
        inputs={"bundle_manifest": bundle_dir / "run_manifest.json"},
        engine="none",
        seed=None,
    )
    return publish_site(bundle, out, described, pub=pub)
