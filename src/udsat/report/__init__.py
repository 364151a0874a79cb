"""The report: a static, offline Danish site with maps, charts, profiles and downloads."""

from __future__ import annotations

from pathlib import Path

from udsat.report.bundle import ReportBundle, bundle_from_dataset
from udsat.report.site import SiteSummary, build_site

__all__ = [
    "ReportBundle",
    "SiteSummary",
    "build_site",
    "bundle_from_dataset",
    "bundle_with_steps",
    "report_command",
]


def bundle_with_steps(
    data: Path, *, lang: str = "da", year: int | None = None, limit: int = 5
) -> ReportBundle:
    """The bundle of a dataset with every step udsat has: the state's lists, the screening
    (without its stability grid, which the screening command computes), the goal monitoring
    and the early warning. A single-municipality dataset is its own national and regional
    reference for the lists and the warning (as in the demo pipeline)."""
    from udsat import pipeline
    from udsat.contract.dataset import open_dataset
    from udsat.monitoring.monitor import monitor
    from udsat.runlog import RunLog
    from udsat.screening import run_screening
    from udsat.statelists.microdata import References
    from udsat.warning import warn

    dataset = open_dataset(data)
    log = RunLog()
    dataset.validate(log=log)
    con = dataset.connect()
    lists = pipeline.state_lists(con, log)
    year = year if year is not None else int(lists["list_year"].max())
    return bundle_from_dataset(
        dataset,
        con=con,
        lists=lists,
        log=log,
        year=year,
        lang=lang,
        limit=limit,
        screening=run_screening(dataset, year=year, stability=False),
        monitoring=monitor(con, log=log),
        # the next 1 December: the data up to the report's year are known
        warnings=warn(con, year=year + 1, references=References(data_is_reference=True)),
    )


def report_command(
    data: Path, out: Path, *, lang: str = "da", year: int | None = None, limit: int = 5
) -> SiteSummary:
    """`udsat report --data DIR --out DIR [--lang en] [--year Y]`: the site of a dataset,
    published atomically with its run manifest after the scan for personal data."""
    from udsat.contract.dataset import open_dataset
    from udsat.privacy import identifiers_from_dataset
    from udsat.publication import publish, run_manifest

    bundle = bundle_with_steps(data, lang=lang, year=year, limit=limit)
    manifest = run_manifest(
        config={"lang": lang, "year": bundle.year, "limit": limit},
        inputs=Path(data),
        engine="duckdb",
        seed=None,
        extra={"dataset": bundle.manifest.get("dataset", {})},
    )
    built: list[SiteSummary] = []
    identifiers = identifiers_from_dataset(open_dataset(data).connect())
    publish(
        out,
        lambda staging: built.append(build_site(bundle, staging)),
        manifest,
        identifiers=identifiers,
    )
    summary = built[0]
    summary.out = Path(out)
    return summary
