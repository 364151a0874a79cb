"""The demo pipeline: load and validate -> indicators -> rules -> monitor -> publish.

The demo runs every step udsat has: overview tables, the state's lists, bespoke neighbourhoods,
the city screening, the 2035 goals, the early warning, and the report site; one publication,
scanned for personal data and moved into place only when complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from rich.console import Console

from udsat import __version__
from udsat.contract.dataset import Dataset, open_dataset
from udsat.geo import assign_points
from udsat.i18n import t
from udsat.neighbourhoods import neighbourhood_step
from udsat.outputs import write_geopackage, write_json, write_table, write_text
from udsat.privacy import Identifiers, identifiers_from_dataset
from udsat.progress import progress_bar
from udsat.publication import Publication, run_manifest
from udsat.publication import publish as publish_atomically
from udsat.runlog import RunLog
from udsat.suppression import suppress_counts

DEMO_YEARS = (2015, 2025)


def demo_dataset_path(cache: Path, persons: int, seed: int) -> Path:
    """Where the demo caches its synthetic city: one entry per size, seed and udsat version."""
    return cache / f"copenhagen-{persons}-{seed}-{DEMO_YEARS[0]}-{DEMO_YEARS[1]}-v{__version__}"


def synthesize_with_progress(
    out: Path,
    console: Console,
    *,
    persons: int,
    years: tuple[int, int],
    seed: int,
    scope: str,
) -> None:
    """`udsat.synth.synthesize` behind a progress bar, reporting what it wrote."""
    from udsat.synth import synthesize

    with progress_bar(console, "synth") as report:
        summary = synthesize(
            out, persons=persons, years=years, seed=seed, scope=scope, progress=report
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
    """The synthetic city for the demo, generated once per size, seed and udsat version."""
    path = demo_dataset_path(cache, persons, seed)
    if (path / "manifest.json").exists():
        console.print(t("synth_cached", path=path))
        return path
    synthesize_with_progress(
        path, console, persons=persons, years=DEMO_YEARS, seed=seed, scope="copenhagen"
    )
    return path


def overview_by_year(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Residents, households, births, deaths and movers per year (whole dataset)."""
    return con.sql(
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
    ).df()


def residents_by_unit(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, layer: str, log: RunLog
) -> pd.DataFrame:
    """Residents per unit of a polygon layer and year; addresses outside every unit are counted."""
    units = dataset.read_geo(f"units/{layer}")
    addresses = con.sql("SELECT address_id, x, y FROM addresses ORDER BY address_id").df()
    addresses["unit_id"] = assign_points(
        addresses["x"].to_numpy(), addresses["y"].to_numpy(), units, "unit_id"
    ).to_numpy()
    outside = addresses[addresses["unit_id"].isna()]
    log.exclude(
        f"addresses -> units/{layer}",
        "address outside every unit of the layer",
        len(outside),
        [f"address_id={a}" for a in outside["address_id"].head(5)],
    )
    con.register("address_unit", addresses[["address_id", "unit_id"]])
    counts = con.sql(
        """
        SELECT a.unit_id, p.year, count(*) AS residents
        FROM persons p JOIN address_unit a USING (address_id)
        WHERE a.unit_id IS NOT NULL
        GROUP BY ALL ORDER BY a.unit_id, p.year
        """
    ).df()
    con.unregister("address_unit")
    names = units[["unit_id", "name"]]
    return names.merge(counts, on="unit_id", how="right")


def state_lists(con: duckdb.DuckDBPyConnection, log: RunLog) -> pd.DataFrame:
    """The state's lists for every list year the data cover.

    The synthetic city holds one municipality, so it is its own national and regional reference;
    the run log says so.
    """
    from udsat.statelists.microdata import References
    from udsat.statelists.run import lists_for_data

    log.note(
        "state lists: the conviction average and the regional income reference are the "
        "dataset's own (one municipality), not the national and regional figures"
    )
    return lists_for_data(con, References(data_is_reference=True), log)


def write_cells_gpkg(frame: pd.DataFrame, path: Path) -> None:
    """The neighbourhood table as 100 m cell squares for QGIS (EPSG:25832)."""
    import geopandas as gpd

    from udsat.contract.schemas import CRS
    from udsat.neighbourhoods.grid import cell_polygons

    geometry = cell_polygons(frame["row"].to_numpy(), frame["col"].to_numpy())
    cells = gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)
    write_geopackage(cells, path, layer="naboskaber_k1000")


def readme(manifest: dict[str, object], analyses: Analyses | None = None) -> str:
    """A Danish description of the outputs, opening with the synthetic-data notice."""
    lines = []
    if manifest.get("synthetic"):
        lines += [t("synthetic_notice", lang="da"), ""]
    lines += [
        f"udsat {__version__}: resultater for {manifest.get('municipality', '')}, "
        f"år {'-'.join(str(y) for y in manifest.get('years') or [])}",
        "",
        "tables/overview_by_year.csv      beboere, husstande, fødsler, dødsfald og flyttere pr. år",
        "tables/residents_by_bydel.csv    beboere pr. bydel og år",
        "tables/residents_by_kvarter.csv  beboere pr. kvarter og år",
        "tables/state_lists.csv (.xlsx)   statens lister (almenboligloven § 61 a og § 61 b) pr. "
        "listeår: kriterier, tærskler, afstand i procentpoint og personer, begrundelse",
        "tables/neighbourhoods_k1000.csv  de 1.000 nærmeste beboere omkring hver beboet "
        "100 m-celle (seneste år): andele og radius",
        "neighbourhoods_k1000.gpkg        det samme som 100 m-celler til QGIS (EPSG:25832)",
    ]
    if analyses is not None:
        nxt = analyses.year + 1
        lines += [
            "site/index.html                  rapporten (åbnes direkte fra disken, uden net): "
            f"kort, kriterier, mål, lister, områdeprofiler, downloads ({analyses.year})",
            "screening/                       screeningen på de seks kriterier: udpegede områder "
            "(GeoPackage, GeoJSON), enhedstabel (CSV, Parquet), resumé",
            "tables/monitoring_*.csv          målene for 2035: status, tidsserier, afstande, "
            "initiativer",
            f"tables/early_warning_{nxt}.csv   tidlig varsling: sandsynlighed for statens lister "
            f"1. december {nxt}",
        ]
    lines += [
        "run_log.json                     alle udeladte rækker med årsag, og bemærkninger",
        "run_manifest.json                versioner, konfiguration, sha256 af inddata og af hver "
        "resultatfil (udsat verify)",
        "",
        "Tal for 1-4 personer er udeladt (tomme felter, markeret i kolonnen 'suppressed').",
    ]
    return "\n".join(lines) + "\n"


def compute_steps(
    dataset: Dataset, con: duckdb.DuckDBPyConnection, console: Console, log: RunLog
) -> dict[str, pd.DataFrame]:
    """Every pipeline step that exists so far, as named output tables."""
    console.print(t("step_overview"))
    outputs = {
        "overview_by_year": overview_by_year(con),
        "residents_by_bydel": residents_by_unit(con, dataset, "bydele", log),
        "residents_by_kvarter": residents_by_unit(con, dataset, "kvarterer", log),
    }
    outputs = {name: suppress_counts(frame, ["residents"]) for name, frame in outputs.items()}
    console.print(t("step_lists"))
    outputs["state_lists"] = state_lists(con, log)
    console.print(t("step_neighbourhoods"))
    with progress_bar(console, "k = 1.000") as tick:
        outputs["neighbourhoods_k1000"] = neighbourhood_step(con, ks=(1000,), progress=tick)
    return outputs


@dataclass
class Analyses:
    """The screening, the goal monitoring, the early warning and the report built from them."""

    year: int  # the report year: the last list year of the data
    screening: Any  # udsat.screening.ScreeningResult
    monitoring: Any  # udsat.monitoring.MonitoringResult
    warnings: pd.DataFrame  # early warning for list year `year` + 1
    bundle: Any  # udsat.report.ReportBundle


def analysis_steps(
    dataset: Dataset,
    con: duckdb.DuckDBPyConnection,
    lists: pd.DataFrame,
    console: Console,
    log: RunLog,
) -> Analyses:
    """Screening, monitoring and early warning for the data's last list year, and the report's
    bundle of everything."""
    from udsat.engines import as_engine
    from udsat.monitoring.monitor import monitor
    from udsat.report import bundle_from_dataset
    from udsat.screening import run_screening
    from udsat.statelists.microdata import References
    from udsat.warning import warn

    year = int(lists["list_year"].max())
    console.print(t("step_screening"))
    screening = run_screening(dataset, year=year, engine=as_engine(con))  # con's kept passes
    console.print(t("step_monitoring"))
    monitoring = monitor(con, log=log)
    console.print(t("step_warning", year=str(year + 1)))
    warnings = warn(con, year=year + 1, references=References(data_is_reference=True))
    bundle = bundle_from_dataset(
        dataset,
        con=con,
        lists=lists,
        log=log,
        year=year,
        screening=screening,
        monitoring=monitoring,
        warnings=warnings,
    )
    return Analyses(year, screening, monitoring, warnings, bundle)


def write_analyses(staging: Path, analyses: Analyses, console: Console) -> None:
    """The screening's files, the monitoring and warning tables, and the report site."""
    from udsat.report import build_site
    from udsat.screening import write_screening

    write_screening(analyses.screening, staging / "screening")
    monitoring = analyses.monitoring
    tables = {
        "monitoring_status": monitoring.status,
        "monitoring_series": monitoring.series,  # small cells suppressed by monitor()
        "monitoring_gaps": monitoring.gaps.rename(
            columns={"udsat": "value_udsat", "rest": "value_rest"}
        ),
        "monitoring_initiatives": monitoring.initiatives,
        f"early_warning_{analyses.year + 1}": suppress_counts(analyses.warnings, ["residents"]),
    }
    for name, frame in tables.items():
        write_table(frame, staging / "tables" / f"{name}.csv")
    console.print(t("step_report"))
    build_site(analyses.bundle, staging / "site")


def write_outputs(
    staging: Path,
    outputs: dict[str, pd.DataFrame],
    log: RunLog,
    dataset_manifest: dict,
    analyses: Analyses | None = None,
    console: Console | None = None,
) -> None:
    """Every output file of the demo, written into the staging directory."""
    for name, frame in outputs.items():
        write_table(frame, staging / "tables" / f"{name}.csv")
    write_table(outputs["state_lists"], staging / "tables" / "state_lists.xlsx")
    write_cells_gpkg(outputs["neighbourhoods_k1000"], staging / "neighbourhoods_k1000.gpkg")
    if analyses is not None:
        write_analyses(staging, analyses, console or Console(stderr=True))
    write_json(log.to_dict(examples=False), staging / "run_log.json")
    write_text(readme(dataset_manifest, analyses), staging / "LAESMIG.txt")


def publish(
    out: Path,
    outputs: dict[str, pd.DataFrame],
    log: RunLog,
    manifest: dict,
    identifiers: Identifiers | None = None,
    analyses: Analyses | None = None,
    console: Console | None = None,
) -> Publication:
    """Write every output and put it at `out` atomically (udsat.publication), after the scan
    for personal data; the manifest gains the sha256 and size of every output."""
    return publish_atomically(
        out,
        lambda staging: write_outputs(
            staging, outputs, log, manifest["dataset"], analyses, console
        ),
        manifest,
        identifiers=identifiers,
    )


def run_demo(out: Path, persons: int, cache: Path, seed: int, console: Console) -> Analyses:
    """Synthesise (cached), validate, compute every step and publish under `out`; returns the
    analyses (their bundle is what the report shows)."""
    data_dir = cached_synthetic_city(cache, persons, seed, console)
    log = RunLog()
    console.print(t("step_validate"))
    dataset = open_dataset(data_dir)
    report = dataset.validate(log=log)
    con = dataset.connect()
    outputs = compute_steps(dataset, con, console, log)
    analyses = analysis_steps(dataset, con, outputs["state_lists"], console, log)
    # No wall-clock times in the manifest: same inputs, same bytes (timings go to the console).
    manifest = run_manifest(
        config={"persons": persons, "years": list(DEMO_YEARS), "ks": [1000]},
        inputs=data_dir,
        engine=f"duckdb {duckdb.__version__}",
        seed=seed,
        extra={
            "dataset": dataset.manifest,
            "dataset_path": str(data_dir),
            "tables_checked": report.tables,
            "notice": t("synthetic_notice") if dataset.manifest.get("synthetic") else "",
        },
    )
    publish(out, outputs, log, manifest, identifiers_from_dataset(con), analyses, console)
    return analyses
