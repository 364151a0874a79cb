"""The static report site: `build_site(bundle, stage)` writes every page, asset, figure and
download.

Offline by construction: the only scripts are this package's map.js / charts.js and plotly's
bundled plotly.min.js (from the installed package), written once under assets/; no CDN, web font
or tile server. Every file is written through the publication's stage (udsat.publish), which
puts the site in place only when complete.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from udsat.publish import DisclosurePolicy, Stage, TableSpec, publish
from udsat.publish import tables as specs
from udsat.publish.privacy import Identifiers
from udsat.publish.writers import SheetLayout
from udsat.report import downloads, figures
from udsat.report.bundle import ReportBundle
from udsat.report.goalviews import goal_views, monitored_areas, write_goals
from udsat.report.listviews import write_lists
from udsat.report.maps import Frame, background_paths
from udsat.report.mapviews import write_criteria, write_overview
from udsat.report.messages import msg
from udsat.report.methodview import write_method
from udsat.report.profiles import write_profiles
from udsat.report.publish import Published, publish_bundle
from udsat.report.writer import PageWriter

WORKBOOK_MAX_ROWS = 5_000
TRANSLATION = "en"  # the English site published beside the Danish one (udsat demo)


@dataclass
class SiteSummary:
    """What `build_site` wrote (paths relative to `out`) and how long it took."""

    out: Path
    pages: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    map_areas: int = 0
    suppressed_cells: int = 0
    seconds: float = 0.0

    def page_weight(self, page: str) -> int:
        """Bytes of a page with every script, style and image it loads."""
        return page_weight(self.out / page)

    @classmethod
    def read(cls, out: Path) -> SiteSummary:
        """The summary of a site built earlier (e.g. the one a demo published), from its files.

        The suppressed cells and the build time are not written into the site: they stay 0.
        """
        out = Path(out)

        def files(pattern: str) -> list[str]:
            found = (p.relative_to(out).as_posix() for p in out.glob(pattern) if p.is_file())
            return sorted(f for f in found if not f.startswith(f"{TRANSLATION}/"))

        # Every clickable shape of the overview map is one `a.area` (templates/macros.html).
        index = (out / "index.html").read_text(encoding="utf-8")
        return cls(
            out=out,
            pages=files("**/*.html"),
            downloads=files("data/*"),
            figures=files("figures/*"),
            map_areas=index.count('<a class="area"'),
        )


def page_weight(page: Path) -> int:
    """Bytes of an HTML page and the local files its src/href attributes load."""
    import re

    text = page.read_text(encoding="utf-8")
    total = len(text.encode())
    for ref in set(re.findall(r'<(?:script|img)[^>]*\ssrc="([^"]+)"', text)) | set(
        re.findall(r'<link[^>]*\shref="([^"]+)"', text)
    ):
        total += (page.parent / ref).stat().st_size
    return total


def _write_assets(stage: Stage, plotly: bool) -> None:
    static = resources.files("udsat.report") / "static"
    for item in sorted(static.iterdir(), key=lambda i: i.name):  # every file of static/
        if item.is_file() and not item.name.startswith("."):
            stage.bytes(f"assets/{item.name}", item.read_bytes())
    if plotly:
        from plotly.offline import get_plotlyjs

        stage.text("assets/plotly.min.js", get_plotlyjs())


def build_site(
    bundle: ReportBundle,
    stage: Stage,
    pub: Published | None = None,
    *,
    alternate: str | None = None,
) -> SiteSummary:
    """Write the whole site for `bundle` into a publication's `stage` (udsat.publish). `pub`:
    its tables already through disclosure control (an export bundle, udsat.report.export)."""
    started = time.perf_counter()
    pub = pub if pub is not None else publish_bundle(bundle)
    summary = SiteSummary(out=stage.root, suppressed_cells=pub.suppressed_cells)
    writer = PageWriter(bundle, stage, alternate)
    frame = Frame.around(bundle.background, pub.designated, pub.housing)
    bg = background_paths(bundle.background, frame)
    goals = goal_views(bundle, pub) if pub.status is not None else []
    _write_assets(stage, plotly=True)
    summary.map_areas = write_overview(writer, bundle, pub, frame, bg)
    write_criteria(writer, bundle, pub, frame, bg)
    write_goals(writer, bundle, goals)
    write_lists(writer, bundle, pub)
    write_profiles(writer, bundle, pub, frame, bg)
    policy_areas = len(monitored_areas(bundle, pub))  # the words of what each table describes
    summary.downloads, rows = _downloads(stage, bundle, pub, policy_areas)
    summary.figures = _figures(stage, bundle, pub, goals)
    write_method(writer, bundle, pub)
    _downloads_page(writer, bundle, summary, rows, policy_areas)
    summary.pages = writer.pages
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def download_tables(
    bundle: ReportBundle, pub: Published
) -> dict[str, tuple[pd.DataFrame, TableSpec]]:
    """Every published table by its file name (without suffix), with what it holds."""
    screening = bundle.screening
    own = screening is None or getattr(screening, "own_values", True)
    tables: dict[str, tuple[pd.DataFrame | None, TableSpec]] = {
        "udsatte_byomraader": (
            pd.DataFrame(pub.designated.drop(columns="geometry")),
            specs.DESIGNATED_AREAS,
        ),
        "boligomraader": (pd.DataFrame(pub.housing.drop(columns="geometry")), specs.HOUSING_AREAS),
        "beboere_pr_omraade": (pub.area_residents, specs.AREA_RESIDENTS),
        "statens_lister": (pub.lists, specs.STATE_LISTS),
        "screening_enheder": (pub.units, specs.screening_units(own)),
        "maal_serier": (pub.series, specs.MONITORING_SERIES),
        "maal_status": (pub.status, specs.MONITORING_STATUS),
        "tidligt_varsel": (pub.warnings, specs.EARLY_WARNING),
        "indsatser": (bundle.initiatives, specs.INITIATIVES),
    }
    tables.update({name: (frame, specs.RESIDENTS) for name, frame in pub.extra.items()})
    return {name: (frame, spec) for name, (frame, spec) in tables.items() if frame is not None}


def _downloads(
    stage: Stage, bundle: ReportBundle, pub: Published, policy_areas: int
) -> tuple[list[str], dict[str, int]]:
    """Every table as CSV (column ids; Danish Excel's format), the data dictionary and the
    markers beside them, one workbook (Danish headers, Excel number formats, frozen header,
    filter; the dictionary first) and the areas as GeoPackage."""
    written, rows = [], {}
    tables = download_tables(bundle, pub)
    published = {}
    for name, (table, spec) in tables.items():
        published[name] = stage.table(f"data/{name}.csv", table, spec, style="danish")
        written.append(f"data/{name}.csv")
        rows[f"data/{name}.csv"] = len(table)
    columns = downloads.dictionary(published)
    signs = downloads.markers(bundle.limit)
    stage.table("data/kolonner.csv", columns, specs.NO_PEOPLE, style="danish")
    stage.table("data/tegn.csv", signs, specs.NO_PEOPLE, style="danish")
    # Cell-level tables (e.g. 8,000 screening cells x 40 columns) would take openpyxl most of the
    # build; they are published as CSV only, and the downloads page says which tables are where.
    sheets = {k: v for k, v in tables.items() if len(v[0]) <= WORKBOOK_MAX_ROWS}
    layouts = {
        name: SheetLayout(
            downloads.headers(name, published[name], bundle.lang),
            downloads.number_formats(name, published[name]),
            downloads.marks(name, published[name]),
        )
        for name in sheets
    }
    tables_sheet = pd.DataFrame(
        [
            {
                "fil": f"{name}.csv",
                "beskriver": downloads.describes(
                    name, bundle.lang, year=bundle.year,
                    policy_areas=policy_areas,
                ),
                "rækker": len(table),
            }
            for name, table in published.items()
        ]
    )  # fmt: skip
    stage.workbook(
        "data/udsat.xlsx",
        {
            "tabeller": (tables_sheet, specs.NO_PEOPLE),
            "kolonner": (
                columns[columns["fil"].isin([f"{n}.csv" for n in sheets])],
                specs.NO_PEOPLE,
            ),
            "tegn": (signs, specs.NO_PEOPLE),
            **sheets,
        },
        layouts=layouts,
    )
    stage.geopackage(
        "data/omraader.gpkg",
        {
            "udsatte_byomraader": (
                gpd.GeoDataFrame(pub.designated, crs="EPSG:25832"),
                specs.DESIGNATED_AREAS,
            ),
            "boligomraader": (gpd.GeoDataFrame(pub.housing, crs="EPSG:25832"), specs.HOUSING_AREAS),
        },
    )
    return [
        *written,
        "data/kolonner.csv",
        "data/tegn.csv",
        "data/udsat.xlsx",
        "data/omraader.gpkg",
    ], rows


def _figures(stage: Stage, bundle: ReportBundle, pub: Published, goals: list[dict]) -> list[str]:
    lang = bundle.lang
    fig = figures.policy_map(
        pub.designated, pub.housing, bundle.background, year=bundle.year, lang=lang
    )
    names = stage.figure("figures/kort", fig)
    for goal in goals:
        fig = figures.goal_chart(goal["series"], goal["status_row"], label=goal["label"], lang=lang)
        names += stage.figure(f"figures/{goal['file']}", fig)
    return names


def _downloads_page(
    writer: PageWriter,
    bundle: ReportBundle,
    summary: SiteSummary,
    counts: dict[str, int],
    policy_areas: int,
) -> None:
    lang = bundle.lang
    rows = [
        {
            "file": {"href": path, "text": path},
            "describes": downloads.describes(
                Path(path).stem, lang, year=bundle.year, policy_areas=policy_areas
            ),
            "rows": str(n),
            "workbook": msg("yes" if n <= WORKBOOK_MAX_ROWS else "no", lang),
        }
        for path, n in counts.items()
    ]
    writer.page(
        "downloads.html",
        "downloads.html",
        msg("nav_downloads", lang),
        rows=rows,
        columns=[
            ("file", msg("file", lang)),
            ("describes", msg("describes", lang)),
            ("rows", msg("rows", lang)),
            ("workbook", msg("in_workbook", lang)),
        ],
        figures=summary.figures,
    )


def publish_site(
    bundle: ReportBundle,
    out: Path,
    manifest: dict[str, Any] | None = None,
    *,
    identifiers: Identifiers | None = None,
    pub: Published | None = None,
) -> SiteSummary:
    """The site of `bundle` published on its own at `out` (udsat.publish: atomic, scanned, with
    its manifest); the summary's paths are relative to `out`. `pub`: see `build_site`."""
    built: list[SiteSummary] = []
    publish(
        out,
        lambda stage: built.append(build_site(bundle, stage, pub)),
        manifest or {},
        identifiers=identifiers,
        policy=DisclosurePolicy(bundle.limit),
    )
    summary = built[0]
    summary.out = Path(out)
    return summary
