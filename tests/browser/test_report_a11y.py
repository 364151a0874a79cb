"""Accessibility of the demo's published report (issue 17, deliverable 7), in headless Chromium:

- axe-core's WCAG 2.1 A/AA rules on every main page and an area and a housing profile, on a phone
  (390 px, mobile, touch) and a desktop window (1366 px): no violation of impact serious or
  critical;
- on a phone no page is wider than the screen (WCAG 1.4.10 reflow) and the check would see it if
  one were (a page without a viewport meta is laid out 980 px wide);
- no table column is cut off or hidden, and no table hides rows in a box of its own;
- keyboard only: the lists page sorts by a column with Tab and Enter, and a table wider than
  the phone is reached with Tab and scrolled with the arrow keys.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe import axe_violations, describe
from viewports import PAGES, PHONE, clipped, open_at, page_path, page_width

from udsat.report import ReportBundle, SiteSummary

BLOCKING = ("serious", "critical")


def _load(context: object, site: SiteSummary, name: str, width: int) -> tuple[object, object]:
    page, guard = open_at(context, site.out, width)
    page.goto((site.out / name).as_uri(), wait_until="load")
    return page, guard


def test_the_phone_lays_out_a_page_without_viewport_meta_at_980_px(
    browser_context: object, tmp_path: Path
) -> None:
    """The control of the reflow test: on the emulated phone a page without a viewport meta is
    as wide as a desktop (980 px), so a page missing it would fail the test below."""
    (tmp_path / "bare.html").write_text(
        '<!doctype html><html lang="da"><title>x</title><p>kort tekst</p></html>',
        encoding="utf-8",
    )
    page, guard = open_at(browser_context, tmp_path, PHONE)
    page.goto((tmp_path / "bare.html").as_uri())
    assert page_width(page) == 980
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")  # a touch screen
    page.close()
    guard.assert_clean()


AXE_WIDTHS = (PHONE, 1366)


@pytest.mark.parametrize("width", [PHONE, 1366, 1920])
@pytest.mark.parametrize("which", PAGES)
def test_every_page_reflows_shows_every_column_and_passes_axe(
    site: SiteSummary, report_bundle: ReportBundle, browser_context: object, which: str, width: int
) -> None:
    """Each page loaded once per width, clean (no request outside the site, no console error),
    in Danish with one h1: no wider than the window (on the phone: reflow, with a
    proper viewport meta), no table column cut or hidden, and at 390 and 1366 px no axe-core
    violation of impact serious or critical."""
    name = page_path(which, report_bundle)
    page, guard = _load(browser_context, site, name, width)
    viewport = page.locator('meta[name="viewport"]').get_attribute("content") or ""
    lang, headings = page.locator("html").get_attribute("lang"), page.locator("h1").count()
    page_wide, problems = page_width(page), clipped(page)
    guard.assert_clean()  # before axe, which fetches the stylesheets (refused on file://)
    violations = axe_violations(page, BLOCKING) if width in AXE_WIDTHS else []
    page.close()
    assert "width=device-width" in viewport
    assert lang == "da" and headings == 1  # loaded clean, in Danish, one h1
    assert page_wide <= width, f"{name} is {page_wide} px wide in a {width} px window"
    assert problems == [], f"{name} at {width} px:\n" + "\n".join(problems)
    assert violations == [], f"{name} at {width} px:\n{describe(violations)}"


def _danish(text: str) -> float | None:
    """A number as the page writes it in Danish (5.968, 99,8 %, −9,4, +0,1); None for a marker."""
    t = text.replace("\u2212", "-").replace("%", "").replace("+", "").replace(" ", "").strip()
    t = t.replace(".", "").replace(",", ".")
    return float(t) if re.fullmatch(r"-?\d+(\.\d+)?", t) else None


def _column(page: object, table: int, col: int) -> list[str]:
    return page.evaluate(
        "([t, c]) => [...document.querySelectorAll('table')[t].tBodies[0].rows]"
        ".map(r => r.cells[c].textContent.trim())",
        [table, col],
    )


def _focused(page: object) -> str:
    return page.evaluate(
        "(() => { const e = document.activeElement; "
        "return e.tagName + '|' + e.className + '|' + e.textContent.trim(); })()"
    )


def test_keyboard_sorts_the_lists_by_a_column(site: SiteSummary, browser_context: object) -> None:
    """Tab from the top of the page to the residents' header of the first table, Enter: the rows
    are sorted by residents, largest first, and the header says so; Enter again: smallest
    first. Then the rank column: the areas without a rank ("." not applicable) stay last."""
    page, guard = _load(browser_context, site, "lists.html", 1366)
    for _ in range(80):
        page.keyboard.press("Tab")
        if _focused(page).startswith("BUTTON|sort|Beboere"):
            break
    else:
        pytest.fail(f"Tab never reached the residents' header; last focus: {_focused(page)}")
    header = page.locator("table").first.locator("th", has=page.locator("button:focus"))
    col = int(header.get_attribute("data-col"))
    before = [_danish(t) for t in _column(page, 0, col)]
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    after = [_danish(t) for t in _column(page, 0, col)]
    assert sorted(before, reverse=True) == after  # every residents' figure is a number here
    assert len(after) == len(before) > 20
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    assert [_danish(t) for t in _column(page, 0, col)] == sorted(before)
    assert page.locator("table").first.locator("th[aria-sort]").count() == 1
    # The rank: numbers in order, then the areas without a rank, in either direction.
    rank = page.locator("table").first.locator("thead th", has_text="Risikorang")
    rank.locator("button").focus()
    page.keyboard.press("Enter")
    for direction in ("descending", "ascending"):
        assert rank.get_attribute("aria-sort") == direction
        cells = _column(page, 0, int(rank.get_attribute("data-col")))
        numbers = [_danish(c) for c in cells if _danish(c) is not None]
        assert numbers == sorted(numbers, reverse=direction == "descending")
        assert cells[len(numbers) :] == ["."] * (len(cells) - len(numbers))
        assert 0 < len(numbers) < len(cells)
        page.keyboard.press("Enter")
    page.close()
    guard.assert_clean()


def test_keyboard_scrolls_a_table_wider_than_the_phone(
    site: SiteSummary, browser_context: object
) -> None:
    page, guard = _load(browser_context, site, "lists.html", PHONE)
    box = page.locator(".table-wrap").first
    assert box.get_attribute("role") == "region"
    assert box.get_attribute("tabindex") == "0"
    caption = page.locator("table").first.locator("caption").inner_text()
    assert box.get_attribute("aria-label") == caption
    assert page.locator(".table-hint").first.is_visible()  # the visible cue
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('table-wrap')"):
            break
    else:
        pytest.fail("Tab never reached the lists' table")
    assert box.evaluate("b => b.scrollLeft") == 0
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)  # smooth scrolling
    assert box.evaluate("b => b.scrollLeft") > 0
    page.close()
    guard.assert_clean()
