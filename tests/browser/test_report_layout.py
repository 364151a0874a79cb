"""Layout of the demo's published report (issue 17, deliverable 2) in headless Chromium: the pages
at 390, 1366 and 1920 px and printed on A4, and the lists page's table of one figure per column.

Screenshots and PDFs go to pytest's temporary directory (the path is printed).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from viewports import WIDTHS, clipped, open_at, page_path, page_width, screenshot

from udsat.report import ReportBundle, SiteSummary
from udsat.report.pages import NOT_APPLICABLE
from udsat.statelists.rules import law, ruleset_for_year

SHOT_PAGES = ("index.html", "lists.html", "method.html", "downloads.html")
# The text width of an A4 sheet less print.css's margins (10 mm left and right), at 96 px per
# inch: portrait, and landscape for a page of wide tables (the lists page, body.wide).
A4_TEXT_WIDTH = {"portrait": 718, "landscape": 1047}
A4_POINTS = {"portrait": (595, 842), "landscape": (842, 595)}


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_hold_at_three_widths(
    site: SiteSummary, browser_context: object, screenshots: Path, width: int
) -> None:
    for name in SHOT_PAGES:
        page, guard = open_at(browser_context, site.out, width)
        page.goto((site.out / name).as_uri(), wait_until="load")
        wide, problems = page_width(page), clipped(page)
        screenshot(page, screenshots / f"{width}_{name}.png")
        page.close()
        guard.assert_clean()
        assert wide <= width, f"{name}: {wide} px wide at {width} px"
        assert problems == [], f"{name} at {width} px:\n" + "\n".join(problems)


def test_a_table_that_fits_keeps_its_header_in_view(
    site: SiteSummary, browser_context: object
) -> None:
    """At 1366 px the lists' tables fit, so nothing clips them and their header sticks to the top
    of the window while the page scrolls past their rows."""
    page, guard = open_at(browser_context, site.out, 1366)
    page.goto((site.out / "lists.html").as_uri())
    boxes = page.locator(".table-wrap")
    assert boxes.count() >= 3
    assert all("fits" in (boxes.nth(i).get_attribute("class") or "") for i in range(boxes.count()))
    table = page.locator("table").first
    rows = table.locator("tbody tr")
    rows.nth(rows.count() - 3).scroll_into_view_if_needed()
    head = table.locator("thead").bounding_box()
    body = table.locator("tbody").bounding_box()
    assert head is not None and body is not None
    assert abs(head["y"]) < 2  # at the top of the window ...
    assert body["y"] < 0  # ... while the first rows have scrolled away above it
    page.close()
    guard.assert_clean()


def _pdf_sheets(path: Path) -> list[tuple[int, int]]:
    """The size of every sheet of a PDF, in points (its pages' MediaBox)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", path.read_bytes())
    return [(round(float(w)), round(float(h))) for w, h in boxes]


@pytest.mark.parametrize(("which", "sheet"), [("lists.html", "landscape"), ("housing", "portrait")])
def test_print_on_a4_shows_every_row_and_column(
    site: SiteSummary,
    report_bundle: ReportBundle,
    browser_context: object,
    screenshots: Path,
    which: str,
    sheet: str,
) -> None:
    """Printed (print.css): no navigation, no hint, no box that clips, every row and column of
    every table inside the A4 sheet's text width; and a PDF through Chromium's print on A4
    sheets (the lists across the sheet, a profile upright)."""
    name = page_path(which, report_bundle)
    width = A4_TEXT_WIDTH[sheet]
    page, guard = open_at(browser_context, site.out, width)
    page.goto((site.out / name).as_uri(), wait_until="load")
    rows_on_screen = page.locator("tbody tr").count()
    page.emulate_media(media="print")
    assert not page.locator("header.site nav").is_visible()
    assert page.locator(".table-hint:visible, .sort-help:visible").count() == 0
    overflow = page.evaluate(
        "[...document.querySelectorAll('.table-wrap')].map(b => getComputedStyle(b).overflowX)"
    )
    assert set(overflow) <= {"visible"}
    assert page_width(page) <= width
    assert clipped(page) == []
    assert page.locator("tbody tr:visible").count() == rows_on_screen > 0
    pdf = screenshots / f"print_{name.replace('/', '_')}.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    page.emulate_media(media="screen")
    page.close()
    guard.assert_clean()
    sheets = _pdf_sheets(pdf)
    assert len(sheets) >= 2  # the tables run over several sheets, whole
    assert set(sheets) == {A4_POINTS[sheet]}


# ------------------------------------------------------------------ the lists page's figures

TABLES_JS = """
() => [...document.querySelectorAll('main table')].map(t => ({
  caption: t.caption ? t.caption.textContent : '',
  heads: [...t.tHead.rows].map(r => [...r.cells].map(c => ({
    text: c.textContent.replace(/\\u00ad/g, '').replace(/\\s+/g, ' ').trim(),
    col: c.dataset.col, span: c.colSpan, scope: c.getAttribute('scope')}))),
  rows: [...t.tBodies[0].rows].map(r => [...r.cells].map(c => ({
    text: c.textContent.trim(), met: c.classList.contains('met')}))),
}))
"""


def _number(text: str) -> float | None:
    t = text.replace("\u2212", "-").replace("+", "").replace("%", "").strip()
    t = t.replace(".", "").replace(",", ".")
    return float(t) if re.fullmatch(r"-?\d+(\.\d+)?", t) else None


@pytest.fixture(scope="module")
def lists_tables(site: SiteSummary, browser_context: object) -> list[dict[str, Any]]:
    page, guard = open_at(browser_context, site.out, 1366)
    page.goto((site.out / "lists.html").as_uri())
    tables = page.evaluate(TABLES_JS)
    page.close()
    guard.assert_clean()
    return tables


def _headers(table: dict[str, Any]) -> dict[int, str]:
    """Each column's header, under its group's label when it has one."""
    out: dict[int, str] = {}
    groups: list[tuple[str, int]] = []
    for cell in table["heads"][0]:
        if cell["scope"] == "colgroup":
            groups += [(cell["text"], cell["span"])]
        else:
            groups += [("", 1)]
    spans = [label for label, span in groups for _ in range(span)]
    for row in table["heads"]:
        for cell in row:
            if cell["col"] is not None:
                col = int(cell["col"])
                group = spans[col] if col < len(spans) and len(table["heads"]) > 1 else ""
                out[col] = f"{group} | {cell['text']}" if group else cell["text"]
    return out


def test_lists_page_gives_one_figure_per_column_with_one_sign_for_distances(
    lists_tables: list[dict[str, Any]], report_bundle: ReportBundle
) -> None:
    """Each criterion at each tier: value, threshold and distance in columns of their own; the
    distance is positive exactly when the criterion is met, for income (met below its
    threshold) as for the others, and equals value minus threshold turned by the law's
    operator; met criteria are in bold."""
    year = report_bundle.year
    rs = ruleset_for_year(year)
    lists = report_bundle.lists_of_year.set_index("area_name")
    tier_names = {
        "udsat": "udsat boligområde / parallelsamfund",
        "forebyggelse": "forebyggelsesområde",
        "kombineret": "kombineret udlejning",
    }
    checked = {"met": 0, "not met": 0, "income": 0}
    for tier, suffix in (("udsat", ""), ("forebyggelse", "_fb"), ("kombineret", "_ku")):
        caption = f"Kriterierne for {tier_names[tier]} {year}: værdi, grænse og afstand"
        (table,) = [t for t in lists_tables if t["caption"] == caption]
        heads = _headers(table)
        for key, crit in rs.criteria.items():
            if tier not in crit.thresholds:
                continue
            threshold = crit.thresholds[tier]
            short = law().criterion_short(key, "da")
            cols = {h.split(" | ")[1]: c for c, h in heads.items() if h.startswith(short + " |")}
            assert set(cols) == {"Værdi, %", "Grænse, %", "Afstand, pct.-point"}, (tier, key)
            for row in table["rows"]:
                area = lists.loc[row[0]["text"]]
                value = area[f"{key}_value"]
                limit = area[f"{key}{suffix}_threshold"]
                met = bool(area[f"{key}{suffix}_met"])
                shown = {name: row[c] for name, c in cols.items()}
                assert _number(shown["Værdi, %"]["text"]) == pytest.approx(value, abs=0.051)
                assert _number(shown["Grænse, %"]["text"]) == pytest.approx(limit, abs=0.051)
                gap = value - limit if threshold.operator in (">", ">=") else limit - value
                distance = shown["Afstand, pct.-point"]
                assert _number(distance["text"]) == pytest.approx(gap, abs=0.11)
                assert distance["met"] == met
                if distance["text"].startswith("+"):
                    assert met
                if distance["text"].startswith("\u2212"):
                    assert not met
                checked["met" if met else "not met"] += 1
                checked["income"] += threshold.operator in ("<", "<=")
    assert min(checked.values()) > 10  # both signs and the income criterion were seen


def test_lists_overview_counts_criteria_per_tier_and_ranks_only_real_risks(
    lists_tables: list[dict[str, Any]], report_bundle: ReportBundle
) -> None:
    year = report_bundle.year
    table = lists_tables[0]
    heads = _headers(table)
    col = {h: c for c, h in heads.items()}
    lists = report_bundle.lists_of_year.set_index("area_name")
    warnings = report_bundle.warnings
    assert warnings is not None
    risk_year = int(warnings["list_year"].iloc[0])
    by_name = warnings.set_index("name")
    met_udsat = col["udsat boligområde / parallelsamfund | Kriterier opfyldt (af 4)"]
    met_fb = col["forebyggelsesområde | Kriterier opfyldt (af 4)"]
    met_ku = col["kombineret udlejning | Kriterier opfyldt (af 1)"]
    p_ps = col[
        f"udsat boligområde / parallelsamfund | Sandsynlighed for parallelsamfund {risk_year}"
    ]
    p_fb = col[f"forebyggelsesområde | Sandsynlighed {risk_year}"]
    rank = col["Tidligt varsel | Risikorang"]
    ranked = 0
    for row in table["rows"]:
        name = row[0]["text"]
        area, w = lists.loc[name], by_name.loc[name]
        assert int(row[met_udsat]["text"]) == int(area["criteria_met"])
        assert int(row[met_fb]["text"]) == int(area["criteria_met_fb"])
        assert int(row[met_ku]["text"]) == int(bool(area["k_outside_ku_met"]))
        assert _number(row[p_ps]["text"]) == pytest.approx(100 * w["p_parallelsamfund"], abs=0.051)
        assert _number(row[p_fb]["text"]) == pytest.approx(100 * w["p_forebyggelse"], abs=0.051)
        if w["p_any_list"] >= 0.01:
            assert row[rank]["text"] == str(int(w["risk_rank"]))
            ranked += 1
        else:
            assert row[rank]["text"] == NOT_APPLICABLE
    # The forebyggelse areas meet their criteria (the udsat count alone showed 0 for them).
    fb = lists[lists["forebyggelse"].fillna(False).astype(bool)]
    assert len(fb) > 0 and (fb["criteria_met_fb"] >= 2).all()
    # Ranks for the areas at risk; the demo has many areas at ~0 % that get none.
    assert 0 < ranked < len(table["rows"]) - 10
    assert len(table["rows"]) == len(lists) == len(report_bundle.lists_of_year)
    assert heads[2] == f"Lister {year}"
