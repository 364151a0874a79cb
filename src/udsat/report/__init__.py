"""The report: a static, offline Danish site with maps, charts, profiles and downloads."""

from __future__ import annotations

from pathlib import Path

from udsat.report.bundle import ReportBundle, bundle_from_dataset
from udsat.report.site import SiteSummary, build_site

__all__ = ["ReportBundle", "SiteSummary", "build_site", "bundle_from_dataset", "report_command"]


def report_command(
    data: Path, out: Path, *, lang: str = "da", year: int | None = None, limit: int = 5
) -> SiteSummary:
    """`udsat report --data DIR --out DIR [--lang en] [--year]`: the site of a dataset."""
    bundle = bundle_from_dataset(data, year=year, lang=lang, limit=limit)
    return build_site(bundle, out)
