"""The goals page and the overview's key figures of the demo's published site, in headless
Chromium: values in the unit of each goal (formatted here, independently of the report code),
the area set named, no plotly toolbar, a short tab order, goals without data listed and not
drawn (axe-core on every page: test_report_a11y.py)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from conftest import open_guarded
from udsat.report import ReportBundle, SiteSummary
from udsat.report.goalviews import goal_views
from udsat.report.publish import publish_bundle

WIDTHS = (390, 1366)


def _da(x: float, decimals: int = 1) -> str:
    return f"{x:,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _latest(series: pd.DataFrame, ind: str, group: str) -> float:
    rows = series[
        (series["indicator_id"] == ind) & (series["group"] == group) & series["value"].notna()
    ].sort_values("year")
    return float(rows["value"].iloc[-1])


@pytest.fixture(scope="module")
def published(report_bundle: ReportBundle) -> tuple[pd.DataFrame, pd.DataFrame]:
    pub = publish_bundle(report_bundle)
    assert pub.series is not None and pub.status is not None
    return pub.series, pub.status


def _with_data(series: pd.DataFrame, status: pd.DataFrame) -> list[str]:
    known = series[series["group"].isin(["udsat", "rest"]) & series["value"].notna()]
    return [i for i in status["indicator_id"] if i in set(known["indicator_id"])]


def test_summary_table_shows_each_goal_in_its_unit(
    site: SiteSummary, published: tuple[pd.DataFrame, pd.DataFrame], browser_context: object
) -> None:
    series, status = published
    page, guard = open_guarded(browser_context, site.out)
    page.goto((site.out / "goals.html").as_uri())
    table = page.locator("table").first
    caption = table.locator("caption").inner_text()
    areas = series["group"].nunique() - 2  # the monitored areas besides "udsat" and "rest"
    assert areas == 17
    assert f"politikkens {areas} udsatte byområder (afgrænsningen fra 2017)" in caption
    header = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert "Udsatte byområder (2017)" in header and "Resten af byen" in header
    rows = table.locator("tbody tr")
    assert rows.count() == len(status) == 17
    by_label = {
        rows.nth(i).locator("th").inner_text().strip(): rows.nth(i).locator("td").all_inner_texts()
        for i in range(rows.count())
    }
    checked = {"share": 0, "years": 0}
    for st in status.to_dict("records"):
        cells = by_label[st["label_da"]]
        text = " | ".join(cells)
        if st["indicator_id"] not in _with_data(series, status):
            assert "ingen data" in text
            continue
        inside = _latest(series, st["indicator_id"], "udsat")
        rest = _latest(series, st["indicator_id"], "rest")
        if st["unit"] == "share":
            assert f"{_da(inside * 100)} %" in cells and f"{_da(rest * 100)} %" in cells
            assert f"{_da(st['latest_gap'] * 100)} procentpoint" in cells
            assert f"{_da(st['target_gap_2035'] * 100)} procentpoint" in cells
            assert "højere er bedre" in cells or "lavere er bedre" in cells
        else:
            assert st["unit"] == "years"
            assert f"{_da(inside)} år" in cells and f"{_da(rest)} år" in cells
            assert f"{_da(st['latest_gap'])} år" in cells
            assert "%" not in text
        checked[st["unit"]] += 1
    assert checked["share"] >= 10 and checked["years"] == 1
    page.close()
    guard.assert_clean()


def test_charts_have_percent_axes_no_toolbar_and_a_short_tab_order(
    site: SiteSummary, published: tuple[pd.DataFrame, pd.DataFrame], browser_context: object
) -> None:
    series, status = published
    drawn = _with_data(series, status)
    page, guard = open_guarded(browser_context, site.out)
    page.goto((site.out / "goals.html").as_uri())
    page.wait_for_function(
        f"document.querySelectorAll('.chart .main-svg').length >= {len(drawn)}", timeout=20000
    )
    # Drawn: the goals with data, each a figure whose caption names it; the others not at all.
    assert page.locator(".chart").count() == len(drawn) == 12
    assert page.locator("figure.chart-figure figcaption").count() == len(drawn)
    # No plotly toolbar, no link that would send the data to a cloud.
    # (plotly leaves an empty .modebar-container: no bar, no button in it)
    assert page.locator(".modebar, .modebar-btn, .modebar-container *").count() == 0
    assert page.locator(".chart a, .chart button, .chart [tabindex]").count() == 0
    html = page.content()
    assert "Chart Studio" not in html.split("<script", 1)[0]
    assert page.locator("a[href*='plot.ly'], a[href*='chart-studio']").count() == 0
    # The first chart (a share): its value axis reads in percent with a decimal comma.
    first = status[status["indicator_id"] == drawn[0]].iloc[0]
    assert first["unit"] == "share"
    ticks = page.locator("#chart-1 .ytick text").all_text_contents()
    assert ticks and all(t.endswith("%") for t in ticks), ticks
    assert page.evaluate("document.getElementById('chart-1')._fullLayout.separators") == ",."
    title = page.locator("#chart-1 .g-ytitle").text_content() or ""
    assert title.startswith("Procent (") and "er bedre" in title
    years = page.locator("#chart-1 .xtick text").all_text_contents()
    assert years == ["2015", "2020", "2025", "2030", "2035"]  # never "201"
    # Life expectancy: years on a range around the data, not from 0.
    life = drawn.index("life_expectancy") + 1
    low = page.evaluate(f"document.getElementById('chart-{life}')._fullLayout.yaxis.range[0]")
    assert low > 60
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto((site.out / "goals.html").as_uri())
        stops = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                 'a[href], button, input, select, textarea, summary, [tabindex]'))
               .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length).length"""
        )
        assert stops < 40, (width, stops)
    page.close()
    guard.assert_clean()


def test_goals_without_data_are_listed_with_why_not_drawn(
    site: SiteSummary, published: tuple[pd.DataFrame, pd.DataFrame], browser_context: object
) -> None:
    series, status = published
    missing = status[~status["indicator_id"].isin(_with_data(series, status))]
    assert len(missing) == 5
    page, guard = open_guarded(browser_context, site.out)
    page.goto((site.out / "goals.html").as_uri())
    items = page.locator("ul.no-data li")
    assert items.count() == 5
    texts = items.all_inner_texts()
    for label, text in zip(missing["label_da"], texts, strict=True):
        assert text.startswith(f"{label}:")
        assert "datasættet" in text and "No data" not in text and "not in the data" not in text
    headings = page.locator("section h3").all_inner_texts()
    assert not set(missing["label_da"]) & set(headings)
    # No chart of them is printed either.
    numbers = {int(f.stem.split("_")[1]) for f in (site.out / "figures").glob("maal_*.png")}
    assert numbers == {
        i + 1
        for i, ind in enumerate(status["indicator_id"])
        if ind not in set(missing["indicator_id"])
    }
    page.close()
    guard.assert_clean()


def test_english_goal_views_speak_english(report_bundle: ReportBundle) -> None:
    bundle = replace(report_bundle, lang="en")
    views = goal_views(bundle, publish_bundle(bundle))
    assert views.areas == "The policy's 17 vulnerable urban areas (2017 boundaries)"
    assert len(views.area_names) == 17 and "Tingbjerg/Husum" in views.area_names
    assert len(set(views.area_names)) == 17  # a name two areas share is told apart
    assert all(" the dataset" in g["reason"] for g in views.no_data)
    first = views.summary[0]
    assert first["udsat"].endswith(" %") and "." in first["udsat"]
    assert first["gap"].endswith(" percentage points")


def test_overview_names_the_set_of_every_card_and_the_key_table(
    site: SiteSummary, report_bundle: ReportBundle, browser_context: object
) -> None:
    page, guard = open_guarded(browser_context, site.out)
    page.goto((site.out / "index.html").as_uri())
    cards = page.locator(".cards .card").all_inner_texts()
    year = report_bundle.screening.year
    sets = (
        f"Udsatte byområder efter screeningen {year}",
        "Resten af byen",
        "Hele byen",
        f"Almene boligområder på statens lister 1. december {report_bundle.year}",
    )
    assert len(cards) == 7
    assert all(any(card.rstrip().endswith(s) for s in sets) for card in cards), cards
    key = page.locator("table", has=page.locator("caption", has_text="Målene for 2035"))
    assert (
        "politikkens 17 udsatte byområder (afgrænsningen fra 2017)"
        in key.locator("caption").inner_text()
    )
    assert key.locator("tbody tr").count() == 12
    life = key.locator("tbody tr", has_text="Middellevetid").inner_text()
    assert life.count(" år") == 2 and "%" not in life
    page.close()
    guard.assert_clean()
