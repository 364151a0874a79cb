"""The site's downloads as an analyst opens them: the data dictionary, Danish headers, Excel
number formats, frozen header and filter, and markers that tell suppressed from not applicable
from no data (the small demo's published site)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from demo_run import DemoRun
from udsat.publish.writers import read_danish_csv
from udsat.report.downloads import describe, marks


@pytest.fixture(scope="module")
def book(small_demo: DemoRun) -> openpyxl.Workbook:
    return openpyxl.load_workbook(small_demo.out / "site" / "data" / "udsat.xlsx")


def _data(small_demo: DemoRun) -> Path:
    return small_demo.out / "site" / "data"


def test_the_law_columns_are_named_in_words() -> None:
    entry = describe("statens_lister", "c1_outside_fb_margin_pp")
    assert entry.da == (
        "kriterium 1 (uden for arbejdsmarked og uddannelse) (forebyggelse): afstand til grænsen"
    )
    assert entry.unit == "pp"
    assert describe("statens_lister", "c4_income_value").unit == "pct"
    assert describe("statens_lister", "forebyggelse").da == "forebyggelsesområde"
    assert describe("tidligt_varsel", "p_parallelsamfund").da == "sandsynlighed: parallelsamfund"
    assert describe("tidligt_varsel", "q05_c2_convicted").da == "5 %-fraktil: kriterium 2 (dømte)"
    assert describe("screening_enheder", "income_value").unit == "share"
    assert describe("screening_enheder", "income_value").da == "Indkomst: værdi"


def test_every_workbook_column_has_a_danish_header(
    small_demo: DemoRun, book: openpyxl.Workbook
) -> None:
    """No sheet shows a snake_case id as a header: every column is in the dictionary."""
    data = _data(small_demo)
    for sheet in book.worksheets[3:]:
        ids = list(read_danish_csv(data / f"{sheet.title}.csv").columns)
        headers = [c.value for c in sheet[1]]
        assert len(headers) == len(ids)
        untranslated = [i for i, h in zip(ids, headers, strict=True) if h == i and "_" in i]
        assert untranslated == [], f"{sheet.title}: {untranslated}"


def test_the_dictionary_lists_every_csv_column(small_demo: DemoRun) -> None:
    data = _data(small_demo)
    dictionary = read_danish_csv(data / "kolonner.csv")
    for path in sorted(data.glob("*.csv")):
        if path.name in ("kolonner.csv", "tegn.csv"):
            continue
        listed = dictionary.loc[dictionary["fil"] == path.name, "kolonne"].tolist()
        assert listed == list(read_danish_csv(path).columns), path.name
    signs = read_danish_csv(data / "tegn.csv")
    assert signs["tegn"].tolist() == ["..", ".", "i.o."]


def test_sheets_are_laid_out_for_excel(book: openpyxl.Workbook) -> None:
    assert [s.title for s in book.worksheets[:3]] == ["tabeller", "kolonner", "tegn"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet[1][0].font.b, sheet.title
    lists = book["statens_lister"]
    headers = [c.value for c in lists[1]]
    row = [c for c in lists[2]]
    by_header = dict(zip(headers, row, strict=True))
    assert by_header["beboere"].number_format == "#,##0"
    value = by_header["kriterium 1 (uden for arbejdsmarked og uddannelse): værdi"]
    assert value.number_format == '0.0" %"'
    margin = by_header["kriterium 1 (uden for arbejdsmarked og uddannelse): afstand til grænsen"]
    assert margin.number_format == '0.0" pp"'
    width = lists.column_dimensions["B"].width  # the area's name
    assert width is not None and width >= 12


def test_markers_tell_suppressed_from_not_applicable_from_no_data() -> None:
    """Written from the rules, not from the code's output: a cell the policy blanked is '..',
    a forebyggelse column in a year before that list existed is '.', a figure missing for
    another reason is 'i.o.', and a filled cell has no mark."""
    table = pd.DataFrame(
        {
            "area_id": ["A", "B", "C"],
            "list_year": [2019, 2022, 2022],
            "rule_set": ["rules_2018.v2", "rules_2021.v2", "rules_2021.v2"],
            "c1_outside_value": [41.0, None, None],
            "c1_outside_fb_threshold": [None, 30.0, 30.0],
            "c1_outside_fb_margin_pp": [None, 2.0, None],
            "forebyggelse": [None, True, False],
            "suppressed": ["", "c1_outside_value", ""],
        }
    )
    got = marks("statens_lister", table)
    assert got["c1_outside_value"].tolist() == ["", "..", "i.o."]
    assert got["c1_outside_fb_threshold"].tolist() == [".", "", ""]
    assert got["c1_outside_fb_margin_pp"].tolist() == [".", "", "i.o."]
    assert got["forebyggelse"].tolist() == [".", "", ""]
    assert got["area_id"].tolist() == ["", "", ""]


def test_the_workbook_shows_the_markers(small_demo: DemoRun, book: openpyxl.Workbook) -> None:
    """Every '..' in the workbook stands where the CSV's row names the column as suppressed,
    and the forebyggelse list is '.' in the years before 2021 (§ 61 b came in force then)."""
    data = _data(small_demo)
    lists = read_danish_csv(data / "statens_lister.csv")
    sheet = book["statens_lister"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(lists)
    columns = list(lists.columns)
    for values, (_, csv_row) in zip(rows, lists.iterrows(), strict=True):
        blanked = str(csv_row["suppressed"] or "").split(";")
        for column, cell in zip(columns, values, strict=True):
            if cell == "..":
                assert column in blanked, (column, csv_row["area_id"])
        year = int(csv_row["list_year"])
        cell = values[columns.index("forebyggelse")]
        assert (cell == ".") == (year < 2021), (year, cell)


def test_each_download_says_which_areas_it_describes(
    small_demo: DemoRun, book: openpyxl.Workbook
) -> None:
    """The same words as the pages: the screening's areas, the state's lists, the policy's
    2017 areas (issue 17: one definition per figure, named everywhere)."""
    sheet = book["tabeller"]
    said = {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    year = 2025  # the demo's report year: the last list year of the data
    assert said["udsatte_byomraader.csv"] == f"Udsatte byområder efter screeningen {year}"
    assert said["statens_lister.csv"] == "Almene boligområder og statens lister, alle listeår"
    assert said["tidligt_varsel.csv"] == (
        f"Almene boligområder: risikoen for statens lister 1. december {year + 1}"
    )
    assert said["maal_serier.csv"].startswith("Politikkens ")
    assert said["maal_serier.csv"].endswith("udsatte byområder (afgrænsningen fra 2017)")
    page = (small_demo.out / "site" / "downloads.html").read_text(encoding="utf-8")
    assert f"Udsatte byområder efter screeningen {year}" in page
