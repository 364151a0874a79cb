"""The published site's files: offline, no inline handlers, weights, downloads, disclosure.

Counts come from the demo's real bundle; a few plain facts of the default synthetic city (40
housing areas, at least 5 designated areas, a chart per goal) are asserted beside them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook
from plotly.offline import get_plotlyjs

from udsat.publish.disclosure import TOTAL
from udsat.publish.writers import read_danish_csv as read_csv
from udsat.report import ReportBundle, SiteSummary
from udsat.report.bundle import designated_areas
from udsat.report.pages import housing_page
from udsat.report.profiles import residents_section
from udsat.report.publish import REST, publish_bundle
from udsat.report.site import WORKBOOK_MAX_ROWS

# Columns that count people (written here, not read from the code's own declarations).
COUNT_COLUMNS = ("residents", "numerator", "denominator", "households", "people", "count")
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//""")


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


HOUSING_AREAS = 40  # the default synthetic Copenhagen's almene boligområder


def _pages(site: SiteSummary) -> list:
    return sorted(site.out.rglob("*.html"))


@pytest.mark.parametrize("which", ["site", "hostile_site"])
def test_pages_load_nothing_from_outside_and_carry_no_inline_handlers(
    which: str, request: pytest.FixtureRequest, report_bundle: ReportBundle
) -> None:
    site: SiteSummary = request.getfixturevalue(which)
    pages = _pages(site)
    designated = len(designated_areas(report_bundle))
    assert designated >= 5
    # The six main pages, the comparison page and a profile per designated and per housing
    # area (the English site beside it, site/en, is a site of its own).
    danish = [p for p in pages if p.relative_to(site.out).parts[0] != "en"]
    assert len(danish) == 7 + designated + HOUSING_AREAS == len(site.pages)
    if which == "site":  # the demo publishes the English translation beside it
        assert len(pages) == 2 * len(danish)
    assert len(report_bundle.housing_areas) == HOUSING_AREAS
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not EXTERNAL.search(html), page
        tags = Tags(html).tags
        handlers = [(t, a) for t, a in tags if any(k.lower().startswith("on") for k in a)]
        assert handlers == [], page
        # The only inline scripts are data blocks; no markup from data became an element.
        inline = [a for t, a in tags if t == "script" and "src" not in a]
        assert all(a.get("type") == "application/json" for a in inline), page
        assert [a for t, a in tags if t == "img" and a.get("src") in ("x", "y")] == [], page
    css = (site.out / "assets" / "site.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert (site.out / "assets" / "plotly.min.js").read_text(encoding="utf-8") == get_plotlyjs()


def test_overview_weighs_under_5_mb_without_plotly(site: SiteSummary) -> None:
    html = (site.out / "index.html").read_text(encoding="utf-8")
    assert "plotly" not in html
    assert site.page_weight("index.html") < 5_000_000
    assert site.page_weight("index.html") < 300_000  # the inline SVG map is small
    assert site.page_weight("goals.html") > 4_000_000  # plotly only where charts are


def test_lists_page_has_a_row_per_housing_area_linking_its_profile(
    site: SiteSummary, report_bundle: ReportBundle
) -> None:
    html = (site.out / "lists.html").read_text(encoding="utf-8")
    lists = report_bundle.lists_of_year
    assert len(lists) == len(report_bundle.housing_areas) == HOUSING_AREAS
    for area_id in lists["area_id"]:
        assert f'href="{housing_page(area_id)}"' in html


def test_csv_downloads_are_excel_ready_and_hold_the_published_tables(
    site: SiteSummary, report_bundle: ReportBundle
) -> None:
    path = site.out / "data" / "statens_lister.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    header = raw.split(b"\n")[0].split(b";")
    # The bundle's columns and the policy's marks of what it blanked in each row.
    assert len(header) == len(report_bundle.state_lists.columns) + 1
    assert header[-1] == b"suppressed"
    table = read_csv(path)
    assert len(table) == len(report_bundle.state_lists)
    assert "Gadelandet/Husumgård" in set(table["area_name"])
    merged = table.merge(report_bundle.state_lists, on=["area_id", "list_year"])
    assert np.allclose(merged["c1_outside_value_x"], merged["c1_outside_value_y"], equal_nan=True)


def test_workbook_has_a_sheet_per_table_with_danish_headers(site: SiteSummary) -> None:
    book = load_workbook(site.out / "data" / "udsat.xlsx", read_only=True)
    rows = {p.stem: len(read_csv(p)) for p in (site.out / "data").glob("*.csv")}
    # Cell-level tables are published as CSV only (the downloads page says which); the
    # workbook opens with what each table describes (its own sheet, not a CSV).
    assert book.sheetnames[0] == "tabeller"
    assert sorted(book.sheetnames[1:]) == sorted(
        k for k, n in rows.items() if n <= WORKBOOK_MAX_ROWS
    )
    assert rows["screening_enheder"] > WORKBOOK_MAX_ROWS  # the demo screens 100 m cells
    header = next(book["statens_lister"].iter_rows(max_row=1, values_only=True))
    assert header[:3] == ("områdeid", "område", "kommune")
    assert "beboere" in header


def test_geopackage_holds_both_layers_in_epsg_25832(
    site: SiteSummary, report_bundle: ReportBundle
) -> None:
    path = site.out / "data" / "omraader.gpkg"
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"udsatte_byomraader", "boligomraader"}
    designated = pyogrio.read_dataframe(path, layer="udsatte_byomraader")
    housing = pyogrio.read_dataframe(path, layer="boligomraader")
    assert designated.crs.to_epsg() == housing.crs.to_epsg() == 25832
    expected = designated_areas(report_bundle)
    assert (len(designated), len(housing)) == (len(expected), HOUSING_AREAS)
    assert list(designated["area_id"]) == list(expected["area_id"])
    assert set(housing["status"]) <= {"housing", "udsat", "forebyggelse", "parallelsamfund"}


def test_print_figures_exist_as_png_and_pdf(site: SiteSummary, report_bundle: ReportBundle) -> None:
    status = report_bundle.monitoring.status
    assert len(status) >= 10  # the policy's goal indicators, each with a status (some "missing")
    names = {p.name for p in (site.out / "figures").iterdir()}
    # A goal without data is listed on the goals page, not drawn (nor printed).
    drawn = [i for i, year in enumerate(status["latest_year"], 1) if pd.notna(year)]
    stems = ["kort", *(f"maal_{i:02d}" for i in drawn)]
    assert names == {f"{s}.{x}" for s in stems for x in ("png", "pdf")}
    assert sorted(site.figures) == sorted(f"figures/{n}" for n in names)
    assert (site.out / "figures" / "kort.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (site.out / "figures" / "kort.pdf").read_bytes()[:5] == b"%PDF-"


def test_no_download_publishes_a_count_under_the_limit(site: SiteSummary) -> None:
    for path in (site.out / "data").glob("*.csv"):
        table = read_csv(path)
        for column in set(COUNT_COLUMNS) & set(table.columns):
            values = pd.to_numeric(table[column], errors="coerce")
            assert not ((values > 0) & (values < 5)).any(), (path.name, column)


def test_residents_areas_plus_rest_make_the_city(report_bundle: ReportBundle) -> None:
    pub = publish_bundle(report_bundle)
    table = pub.area_residents.pivot(index="area_id", columns="year", values="residents")
    city = report_bundle.city_residents.set_index("year")["residents"]
    assert (table.loc[TOTAL] == city.reindex(table.columns)).all()
    inner = table.drop(index=[TOTAL])
    assert (inner.sum() == table.loc[TOTAL]).all()
    # Exactly the designated areas and the rest: no state-listed housing area among them.
    designated = designated_areas(report_bundle)["area_id"].astype(str)
    assert set(inner.index) == {*designated, REST}
    assert (table.loc[REST] > 0).all() and (inner.drop(index=[REST]) > 0).all().all()


def test_a_tiny_area_is_hidden_with_a_partner_in_pages_and_downloads(
    report_bundle: ReportBundle,
) -> None:
    residents = report_bundle.residents_by_area.copy()
    tiny = residents["area_id"].iloc[0]
    residents.loc[(residents["area_id"] == tiny) & (residents["year"] == 2025), "residents"] = 3
    bundle = replace(report_bundle, residents_by_area=residents)
    pub = publish_bundle(bundle)
    year = pub.area_residents[pub.area_residents["year"] == 2025].set_index("area_id")
    hidden = year["residents"].isna()
    assert hidden[tiny]
    assert hidden.sum() == 2  # the tiny area and the next smallest, so the total cannot tell
    assert not hidden[TOTAL]
    section = residents_section(pub, tiny, "da")["tables"][0]
    assert section["rows"][-1] == {"year": "2025", "residents": ".."}
    assert pub.designated.set_index("area_id")["residents"].isna()[tiny]
    # The tiny area's other years are still shown.
    assert section["rows"][0]["residents"] != ".."


def test_goal_values_resting_on_few_people_are_blanked(report_bundle: ReportBundle) -> None:
    before = publish_bundle(report_bundle).series
    # A value the real publication shows, resting on a count (not e.g. a life expectancy).
    row = before[before["value"].notna() & (before["numerator"].fillna(0) >= 5)].index[0]
    series = report_bundle.monitoring.series.copy()
    series.loc[row, ["numerator", "denominator"]] = [3, 40]
    monitoring = replace(report_bundle.monitoring, series=series)
    pub = publish_bundle(replace(report_bundle, monitoring=monitoring))
    assert pd.isna(pub.series.loc[row, "value"]) and pd.isna(pub.series.loc[row, "ci_low"])
    assert pd.isna(pub.series.loc[row, "numerator"]) and pub.series.loc[row, "denominator"] == 40
    assert pub.series["value"].notna().sum() == before["value"].notna().sum() - 1


def test_no_input_id_reaches_the_method_page(
    site: SiteSummary, report_bundle: ReportBundle
) -> None:
    exclusions = report_bundle.manifest["run_log"]["exclusions"]
    assert all(set(e) == {"table", "reason", "rows"} for e in exclusions)
    html = (site.out / "method.html").read_text(encoding="utf-8")
    for column in ("address_id=", "person_id=", "household_id="):
        assert column not in html


def test_the_method_page_says_what_the_warning_rests_on(site: SiteSummary) -> None:
    """The early warning's method in words with the model's own settings: the list year and
    the last data year, the 6-year window, up to 10 earlier years for the spread."""
    from udsat.warning import model

    html = (site.out / "method.html").read_text(encoding="utf-8")
    assert "<h2>Tidligt varsel</h2>" in html
    found = re.search(r"listerne 1\. december (\d{4}) bygger kun på data til og med (\d{4})", html)
    assert found is not None and int(found.group(2)) == int(found.group(1)) - 1
    assert f"over de seneste {model.WINDOW} år" in html and model.WINDOW == 6
    assert f"(op til {model.CALIBRATION})" in html and model.CALIBRATION == 10
