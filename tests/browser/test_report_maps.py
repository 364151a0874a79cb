"""The report's maps in real Chromium (issue 17, deliverable 3): a coloured legend that toggles
its layers, district outlines and names, each place's value on hover, keyboard focus and a first
tap (a second tap follows the link), the page scrolling under the wheel, Esc, classes that stay
apart (WCAG contrast measured here) and the state's lists told apart by pattern.

Expected figures are formatted here, independently of the report's formatters."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from shapely.geometry import Point

from conftest import open_guarded
from udsat.report import ReportBundle, SiteSummary
from udsat.report.maps import Frame
from udsat.report.messages import msg
from udsat.report.pages import housing_page
from udsat.report.publish import Published, publish_bundle


def _url(site: SiteSummary, page: str) -> str:
    return (site.out / page).as_uri()


def _da_percent(value: float) -> str:
    """0.2345 -> '23,5 %' (Danish decimal comma), written without the report's code."""
    return f"{value * 100:.1f}".replace(".", ",") + " %"


def _da_count(value: float) -> str:
    return f"{int(value):,}".replace(",", ".")


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of 'rgb(r, g, b)' or '#rrggbb'."""
    if colour.startswith("#"):
        rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        rgb = [int(float(v)) for v in re.findall(r"[\d.]+", colour)[:3]]
    lin = [
        c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb
    ]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def pub(report_bundle: ReportBundle) -> Published:
    """The published figures (after disclosure control) the site shows."""
    return publish_bundle(report_bundle)


def _visible(page: Any, selector: str) -> int:
    return int(
        page.evaluate(
            "(s) => [...document.querySelectorAll(s)].filter(e => e.getClientRects().length"
            " && getComputedStyle(e).display !== 'none').length",
            selector,
        )
    )


# --- legend -----------------------------------------------------------------------------------


def test_overview_legend_is_coloured_and_each_entry_toggles_exactly_its_layer(
    site: SiteSummary, browser_context: object
) -> None:
    page, guard = open_guarded(browser_context, site.out)
    page.goto(_url(site, "index.html"))
    buttons = page.locator("[data-map='overview-map'] .map-key button[data-layer]")
    assert buttons.count() >= 6  # designated, three lists, other housing, districts
    layers = [buttons.nth(i).get_attribute("data-layer") for i in range(buttons.count())]
    assert {"designated", "parallelsamfund", "forebyggelse", "udsat", "housing"} <= set(layers)
    before = {x: _visible(page, f'#overview-map svg [data-layer="{x}"]') for x in layers}
    assert before["designated"] > 0 and before["housing"] > 0
    for i, layer in enumerate(layers):
        button = buttons.nth(i)
        assert button.get_attribute("aria-pressed") == "true"
        rect = button.locator("svg.swatch rect")
        fill = rect.evaluate("e => getComputedStyle(e).fill")
        if layer != "districts":
            assert fill not in ("none", "rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), (layer, fill)
        button.click()
        assert button.get_attribute("aria-pressed") == "false"
        after = {x: _visible(page, f'#overview-map svg [data-layer="{x}"]') for x in layers}
        assert after[layer] == 0
        assert {k: v for k, v in after.items() if k != layer} == {
            k: v for k, v in before.items() if k != layer
        }
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
        assert _visible(page, f'#overview-map svg [data-layer="{layer}"]') == before[layer]
    page.close()
    guard.assert_clean()


def test_criteria_classes_are_few_distinct_and_drawn_as_in_the_legend(
    site: SiteSummary, browser_context: object
) -> None:
    page, guard = open_guarded(browser_context, site.out)
    page.goto(_url(site, "criteria.html"))
    for figure in page.locator("figure.map").all():
        legend = page.locator(f"[data-map='{figure.get_attribute('id')}']")
        classes = legend.locator("ul.legend button[data-layer^='k']")
        assert 2 <= classes.count() <= 5
        swatches = [
            classes.nth(i).locator("rect").evaluate("e => getComputedStyle(e).fill")
            for i in range(classes.count())
        ]
        drawn = [
            figure.locator(f'svg path[data-layer="k{i}"]').first.evaluate(
                "e => getComputedStyle(e).fill"
            )
            for i in range(classes.count())
        ]
        assert swatches == drawn  # the legend shows the classes' own colours
        assert all(s != "rgb(255, 255, 255)" for s in swatches)
        ratios = [_contrast(a, b) for a, b in itertools.pairwise(swatches)]
        assert min(ratios) >= 1.5, ratios  # neighbouring classes: WCAG contrast >= 1.5:1
        # Toggling a class hides exactly its cells.
        button = classes.nth(0)
        button.click()
        assert _visible(page, f"#{figure.get_attribute('id')} svg [data-layer='k0']") == 0
        assert _visible(page, f"#{figure.get_attribute('id')} svg [data-layer='k1']") == 1
        button.click()
    page.close()
    guard.assert_clean()


def test_the_lists_are_told_apart_by_pattern_in_map_and_legend(
    site: SiteSummary, browser_context: object
) -> None:
    page, guard = open_guarded(browser_context, site.out)
    page.goto(_url(site, "index.html"))
    drawn = {}
    for layer in ("parallelsamfund", "forebyggelse", "udsat"):
        pattern = page.locator(f"#overview-map .map-box svg pattern[id$='-{layer}']")
        assert pattern.count() == 1
        drawn[layer] = pattern.inner_html()
        key = f"[data-map='overview-map'] .map-key button[data-layer='{layer}'] rect"
        legend = page.locator(key)
        assert "url(" in legend.evaluate("e => getComputedStyle(e).fill")
        shapes = page.locator(f"#overview-map svg a[data-layer='{layer}'] path")
        for i in range(shapes.count()):
            fill = shapes.nth(i).evaluate("e => getComputedStyle(e).fill")
            assert f"-p-{layer}" in fill
    # The marks differ (cross-hatch, stripes, dots), not only their colours.
    marks = {k: re.sub(r'fill="[^"]*"|stroke="[^"]*"', "", v) for k, v in drawn.items()}
    assert len(set(marks.values())) == 3
    page.close()
    guard.assert_clean()


# --- districts and area sets ------------------------------------------------------------------


def test_maps_show_the_districts_and_name_their_area_sets(
    site: SiteSummary, report_bundle: ReportBundle, browser_context: object
) -> None:
    names = sorted(report_bundle.background["name"].astype(str))
    page, guard = open_guarded(browser_context, site.out)
    page.goto(_url(site, "index.html"))
    labels = page.locator("#overview-map .district-labels text")
    # A long name is set in two lines (tspans): compare without the spaces.
    shown = sorted(re.sub(r"\s", "", t) for t in labels.all_text_contents())
    assert shown == sorted(re.sub(r"\s", "", n) for n in names)
    assert page.locator("#overview-map .district-lines path").count() == len(names)
    size = labels.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    ctm = labels.first.evaluate("e => e.getScreenCTM().a")
    assert 10 <= size * ctm <= 16  # the names stay legible on the screen: 10-16 px
    caption = page.locator("#overview-map figcaption").inner_text()
    year = report_bundle.year
    assert msg("set_screening", "da", year=report_bundle.screening.year)[1:] in caption
    assert msg("set_lists", "da", year=year)[1:] in caption
    page.goto(_url(site, "criteria.html"))
    caption = page.locator("#map-income figcaption").inner_text()
    assert msg("set_screening", "da", year=report_bundle.screening.year) in caption
    page.close()
    guard.assert_clean()


# --- values per place -------------------------------------------------------------------------


def test_hover_and_keyboard_focus_show_the_places_published_value(
    site: SiteSummary, report_bundle: ReportBundle, pub: Published, browser_context: object
) -> None:
    page, guard = open_guarded(browser_context, site.out)
    page.goto(_url(site, "index.html"))
    tip = page.locator("#overview-map .map-tip")
    # Keyboard: Tab from the last zoom button to the first area; its residents as published.
    page.get_by_role("button", name="Hele byen").focus()
    page.keyboard.press("Tab")
    first = pub.designated.iloc[0]
    assert tip.is_visible()
    assert first["name"] in tip.inner_text()
    assert f"Beboere: {_da_count(first['residents'])}" in tip.inner_text()
    # A housing area, focused directly: its residents on the state's lists as published.
    row = pub.housing.dropna(subset=["residents"]).iloc[2]
    page.locator(f'#overview-map a.area[data-key="h:{row.housing_area_id}"]').focus()
    assert f"Beboere: {_da_count(row['residents'])}" in tip.inner_text()
    page.keyboard.press("Escape")
    assert tip.is_hidden()

    # Criteria: a cell's own value beside the city's, at the pointer.
    page.goto(_url(site, "criteria.html"))
    units = pub.units.set_index(pub.units["unit_id"].astype(str))
    geo = report_bundle.screening.unit_geometry
    frame = Frame.around(report_bundle.background, pub.designated, pub.housing)
    svg = page.locator("#map-income .map-box svg")
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    tip = page.locator("#map-income .map-tip")
    city = _da_percent(float(units["income_city"].dropna().iloc[0]))
    checked = 0
    for fx, fy in ((0.3, 0.3), (0.45, 0.55), (0.6, 0.7)):
        x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
        page.mouse.move(x, y)
        if tip.is_hidden():
            continue  # no cell at that point (a park, the sea)
        index = int(page.locator("#map-income .cursor").get_attribute("data-cell"))
        unit = str(geo["unit_id"].iloc[index])
        # The cell under the pointer is the unit whose polygon holds the pointer's position.
        sx = (x - box["x"]) / box["width"] * frame.width
        sy = (y - box["y"]) / box["height"] * frame.height
        metres = Point(frame.minx + sx / frame.scale, frame.maxy - sy / frame.scale)
        assert geo.geometry.iloc[index].buffer(1 / frame.scale).contains(metres)
        value = _da_percent(float(units.loc[unit, "income_value"]))
        assert f"Indkomst: {value} (byen {city})" in tip.inner_text()
        checked += 1
    assert checked >= 2
    # Keyboard: a colour class takes focus; the arrows move between its cells with their value.
    page.locator("#map-income path.unit").first.focus()
    assert tip.is_visible()
    for key in ("ArrowRight", "ArrowDown", "ArrowLeft"):
        page.keyboard.press(key)
        index = int(page.locator("#map-income .cursor").get_attribute("data-cell"))
        unit = str(geo["unit_id"].iloc[index])
        value = _da_percent(float(units.loc[unit, "income_value"]))
        assert f"Indkomst: {value} (byen {city})" in tip.inner_text()
    page.keyboard.press("Escape")
    assert tip.is_hidden()
    page.close()
    guard.assert_clean()


def test_tooltip_stays_inside_the_map_on_a_phone(
    site: SiteSummary, pub: Published, browser_context: object
) -> None:
    page, guard = open_guarded(browser_context, site.out)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(_url(site, "index.html"))
    # The area farthest right and the one lowest: a tip there must turn back into the box.
    keys = page.locator("#overview-map a.area").evaluate_all(
        "els => els.map(e => [e.dataset.key, e.getBoundingClientRect().right,"
        " e.getBoundingClientRect().bottom])"
    )
    for pick in (max(keys, key=lambda k: k[1]), max(keys, key=lambda k: k[2])):
        page.locator(f'#overview-map a.area[data-key="{pick[0]}"]').focus()
        box = page.locator("#overview-map .map-box").bounding_box()  # (focus may scroll)
        tip = page.locator("#overview-map .map-tip").bounding_box()
        assert tip["x"] >= box["x"] and tip["y"] >= box["y"]
        assert tip["x"] + tip["width"] <= box["x"] + box["width"] + 0.5
        assert tip["y"] + tip["height"] <= box["y"] + box["height"] + 0.5
    page.close()
    guard.assert_clean()


# --- touch, wheel, Esc ------------------------------------------------------------------------


def _tap(cdp: Any, x: float, y: float) -> None:
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_a_tap_shows_the_figures_and_a_second_tap_opens_the_profile(
    site: SiteSummary, pub: Published, browser_context: object
) -> None:
    page, guard = open_guarded(browser_context, site.out)
    page.set_viewport_size({"width": 390, "height": 844})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    page.goto(_url(site, "index.html"))
    row = pub.housing.iloc[1]
    area = page.locator(f'#overview-map a.area[data-key="h:{row.housing_area_id}"]')
    area.scroll_into_view_if_needed()
    # The area's centre, on top of every other shape there (housing areas are drawn last).
    x, y = area.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return [r.x + r.width / 2, r.y + r.height / 2]; }"
    )
    assert page.evaluate(f"document.elementFromPoint({x}, {y}).closest('a').dataset.key") == (
        f"h:{row.housing_area_id}"
    )
    _tap(cdp, x, y)
    page.wait_for_timeout(300)
    tip = page.locator("#overview-map .map-tip")
    assert page.url.endswith("index.html")  # the first tap does not navigate
    assert tip.is_visible() and row["name"] in tip.inner_text()
    page.keyboard.press("Escape")
    assert tip.is_hidden()
    _tap(cdp, x, y)
    page.wait_for_timeout(300)
    assert page.url.endswith("index.html") and tip.is_visible()
    _tap(cdp, x, y)  # the second tap on the same place follows its link
    page.wait_for_url(re.compile(re.escape(housing_page(row.housing_area_id)) + "$"))
    page.close()
    guard.assert_clean()


def test_the_wheel_scrolls_the_page_and_ctrl_wheel_zooms(
    site: SiteSummary, browser_context: object
) -> None:
    page, guard = open_guarded(browser_context, site.out)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(_url(site, "criteria.html"))
    svg = page.locator("#map-income .map-box svg")
    assert svg.evaluate("e => getComputedStyle(e).touchAction") != "none"  # a swipe scrolls
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    before = svg.get_attribute("viewBox")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 20)
    top = page.evaluate("window.scrollY")
    page.mouse.wheel(0, 300)
    page.wait_for_function(f"window.scrollY > {top}", timeout=3000)
    assert svg.get_attribute("viewBox") == before
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 - 300)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -100)
    page.keyboard.up("Control")
    page.wait_for_timeout(100)
    assert float(svg.get_attribute("viewBox").split()[2]) < float(before.split()[2])
    page.close()
    guard.assert_clean()


# axe on the maps' pages: tests/browser/test_report_a11y.py (every page, 390 and 1366 px).
