"""The profiles on the demo's site: figures equal the published tables (formatted here, not by
the site's formatters), the per-case headings, the profile CSV's disclosure, search, the compare
page and an A4 print of an area profile (axe-core and reflow: test_report_a11y.py)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import open_guarded
from udsat.publish import DisclosurePolicy
from udsat.publish import tables as specs
from udsat.report import ReportBundle, SiteSummary
from udsat.report.pages import area_page, housing_page
from udsat.report.publish import Published, publish_bundle
from udsat.statelists.rules import law, ruleset_for_year


@pytest.fixture(scope="module")
def pub(report_bundle: ReportBundle) -> Published:
    return publish_bundle(report_bundle)


def _pct(value: object) -> str:
    """A percentage value (already in percent) as the Danish site writes it: 46,3 %."""
    if value is None or pd.isna(value):
        return ".."
    return f"{float(value):.1f}".replace(".", ",") + " %"


def _table_after(page: str, caption: str) -> list[list[str]]:
    """The body rows (header cell first) of the table with `caption`."""
    start = page.index(f">{html.escape(caption, quote=False)}</caption>")
    body = page[page.index("<tbody>", start) : page.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, flags=re.S) for r in rows]
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in row] for row in cells]


def _housing_with_history(pub: Published) -> tuple[str, str, pd.DataFrame]:
    """The listed housing area with the most list years (Mjølnerparken on the demo)."""
    year = int(pub.lists["list_year"].max())
    now = pub.lists[pub.lists["list_year"] == year]
    listed = now[now["parallelsamfund"].fillna(False).astype(bool)]
    hid = str(listed["area_id"].iloc[0])
    rows = pub.lists[pub.lists["area_id"] == hid].sort_values("list_year")
    return hid, str(listed["area_name"].iloc[0]), rows


def test_housing_criteria_and_thresholds_each_year_equal_the_published_lists(
    site: SiteSummary, pub: Published
) -> None:
    hid, _, rows = _housing_with_history(pub)
    page = (site.out / housing_page(hid)).read_text(encoding="utf-8")
    assert "c1_outside" not in page and "p_parallelsamfund" not in page  # no raw ids
    for key in ("c1_outside", "c3_education"):
        table = _table_after(page, f"Kriterium {law().criterion_short(key, 'da')}")
        by_year = {row[0]: row for row in table}
        assert len(by_year) == len(rows)
        for r in rows.to_dict("records"):
            year = int(r["list_year"])
            cells = by_year[str(year)]
            assert cells[1] == _pct(r[f"{key}_value"])
            rs = ruleset_for_year(year)
            tiers = list(rs.criteria[key].thresholds)
            # the udsat tier's threshold, in force that year (40,0 % for criterion 1)
            assert cells[2] == _pct(r[f"{rs.prefix(key, tiers[0])}_threshold"])
            expected_fb = (
                _pct(r[f"{rs.prefix(key, 'forebyggelse')}_threshold"])
                if "forebyggelse" in tiers
                else "."  # the list did not exist that year: not applicable
            )
            assert cells[4] == expected_fb
    if "c1_outside" in rows:
        first = rows.iloc[0]
        assert _pct(first["c1_outside_threshold"]) == "40,0 %"


def test_housing_warning_shows_each_criterions_expected_figure_with_its_intervals(
    site: SiteSummary, pub: Published
) -> None:
    """The early warning's expected figure, 50 % and 90 % intervals and threshold of each
    criterion, as the published warning table holds them (formatted here)."""
    hid, _, _ = _housing_with_history(pub)
    page = (site.out / housing_page(hid)).read_text(encoding="utf-8")
    w = pub.warnings.set_index("housing_area_id").loc[hid]
    table = {
        row[0]: row
        for row in _table_after(
            page, f"Kriteriernes forventede tal {int(w['list_year'])} med intervaller"
        )
    }

    def interval(low: float, high: float) -> str:
        return f"{low:.1f}\u2013{high:.1f}".replace(".", ",")

    for key in ("c1_outside", "c3_education"):
        cells = table[law().criterion_short(key, "da")]
        assert cells[1] == _pct(w[f"expected_{key}"])
        assert cells[2] == interval(w[f"q25_{key}"], w[f"q75_{key}"])
        assert cells[3] == interval(w[f"q05_{key}"], w[f"q95_{key}"])
        assert cells[4] == _pct(w[f"threshold_{key}"])
        assert w[f"q05_{key}"] <= w[f"q25_{key}"] <= w[f"q75_{key}"] <= w[f"q95_{key}"]
    # Criterion 4 is a mean of DKK: no distance in people, so not applicable (".") rather than
    # suppressed (".."); so is a tier the criterion does not have (kombineret for criterion 1).
    assert table[law().criterion_short("c4_income", "da")][5] == "."
    probabilities = _table_after(page, f"Sandsynlighed for hvert kriterium {int(w['list_year'])}")
    first = {row[0]: row for row in probabilities}[law().criterion_short("c1_outside", "da")]
    assert first[-1] == "."  # the last tier's column: kombineret udlejning


def test_headings_say_why_an_area_is_or_is_not_listed(site: SiteSummary, pub: Published) -> None:
    year = int(pub.lists["list_year"].max())
    now = pub.lists[pub.lists["list_year"] == year]
    on_any = now[[k for k in law().list_keys() if k in now]].fillna(False).astype(bool).any(axis=1)
    off = str(now.loc[~on_any, "area_id"].iloc[0])
    on = str(now.loc[on_any, "area_id"].iloc[0])
    off_page = (site.out / housing_page(off)).read_text(encoding="utf-8")
    on_page = (site.out / housing_page(on)).read_text(encoding="utf-8")
    assert "Hvorfor området ikke er på en liste" in off_page
    assert "Hvorfor området er udpeget" not in off_page
    assert "Hvorfor området er udpeget" in on_page


def test_area_profile_shows_its_housing_areas_and_only_its_own_initiatives(
    site: SiteSummary, pub: Published
) -> None:
    area = pub.designated.sort_values("residents", ascending=False).iloc[0]
    page = (site.out / area_page(area["area_id"])).read_text(encoding="utf-8")
    inside = [
        h for h in pub.housing.itertuples()
        if area.geometry.contains(h.geometry.representative_point())
    ]  # fmt: skip
    assert inside, "the largest designated area holds housing areas"
    for h in inside:
        assert f'href="../{housing_page(h.housing_area_id)}"' in page
    assert "indsatser for hele byen" in page  # counted once, not listed
    assert "Gadeplansindsatser" not in page  # a city-wide initiative of the demo


def test_profile_csv_holds_only_aggregates_that_pass_the_policy(
    site: SiteSummary, pub: Published, report_bundle: ReportBundle
) -> None:
    area_id = str(pub.designated["area_id"].iloc[0])
    page = (site.out / area_page(area_id)).read_text(encoding="utf-8")
    link = re.search(r'href="\.\./(data/profiler/[^"]+\.csv)"', page)
    assert link is not None
    csv = pd.read_csv(site.out / link.group(1), sep=";", decimal=",", encoding="utf-8-sig")
    assert set(csv["area_id"].astype(str)) == {area_id}
    assert not {"person_id", "address_id", "household_id", "cpr"} & set(csv.columns)
    DisclosurePolicy(report_bundle.limit).check(csv, specs.AREA_PROFILE, "profile csv")
    assert csv["status"].dropna().isin(["high", "medium", "low"]).all()
    # the published figures, not recomputed ones
    ai = pub.area_indicators
    assert ai is not None
    mine = ai[ai["area_id"] == area_id].set_index(["indicator_id", "year"])["value"]
    got = csv.set_index(["indicator_id", "year"])["value"]
    pd.testing.assert_series_equal(
        got.sort_index().astype(float), mine.sort_index().astype(float), check_names=False
    )


def test_search_finds_a_name_typed_without_case_or_diacritics(
    site: SiteSummary, pub: Published, browser_context: object
) -> None:
    hid, name, _ = _housing_with_history(pub)
    folded = name.lower().replace("ø", "o").replace("æ", "ae").replace("å", "a")
    page, guard = open_guarded(browser_context, site.out)
    page.goto((site.out / "lists.html").as_uri())
    field = page.get_by_label("Søg område")
    field.fill(folded)
    link = page.locator("#site-search-results a").first
    assert link.inner_text().startswith(name)
    field.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent").startswith(name)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(housing_page(hid))
    guard.assert_clean()
    page.close()


def test_compare_page_sets_two_areas_side_by_side(
    site: SiteSummary, pub: Published, browser_context: object
) -> None:
    a, b = (str(x) for x in pub.designated["area_id"].iloc[:2])
    names = [str(x) for x in pub.designated["name"].iloc[:2]]
    page, guard = open_guarded(browser_context, site.out)
    page.goto((site.out / "compare.html").as_uri() + f"?a={a}&b={b}")
    heads = page.locator("#compare-out table").first.locator("thead th").all_inner_texts()
    assert heads[1:3] == names
    assert page.locator("#compare-out table").count() == 2
    guard.assert_clean()
    page.close()


def test_area_profile_prints_on_a4(
    site: SiteSummary, pub: Published, browser_context: object, tmp_path: Path
) -> None:
    area_id = pub.designated.sort_values("residents", ascending=False)["area_id"].iloc[0]
    page, _ = open_guarded(browser_context, site.out)
    page.goto((site.out / area_page(area_id)).as_uri())
    pdf = tmp_path / "profile.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 2, f"{pages} A4 pages"
    print(f"\nA4 print of the area profile: {pdf}")
    page.close()
