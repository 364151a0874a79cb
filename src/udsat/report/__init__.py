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
        warnings=warn(con, year=year, references=References(data_is_reference=True)),
    )


def report_command(
    data: Path, out: Path, *, lang: str = "da", year: int | None = None, limit: int = 5
) -> SiteSummary:
    """`udsat report --data DIR --out DIR [--lang en] [--year Y]`: the site of a dataset."""
    return build_site(bundle_with_steps(data, lang=lang, year=year, limit=limit), out)
