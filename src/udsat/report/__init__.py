"""The report: a static, offline Danish site with maps, charts, profiles and downloads.

`build_site(bundle, stage)` writes the site of a `ReportBundle` into a publication's stage; the
bundle is made by the pipeline (udsat.pipeline.report_step) from the run's results.
"""

from __future__ import annotations

from udsat.report.bundle import ReportBundle
from udsat.report.site import SiteSummary, build_site, publish_site

__all__ = ["ReportBundle", "SiteSummary", "build_site", "publish_site"]
