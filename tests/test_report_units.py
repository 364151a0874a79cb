"""The report's small parts on hand-made inputs: maps, formatting, downloads, bundle checks."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from openpyxl import load_workbook
from shapely.geometry import box

from udsat.errors import UdsatError
from udsat.publish.writers import read_danish_csv as read_csv
from udsat.publish.writers import sheet_name, write_workbook
from udsat.publish.writers import write_danish_csv as write_csv
from udsat.report import ReportBundle
from udsat.report.charts import goal_targets
from udsat.report.maps import Frame, path_data, sequential_colours
from udsat.report.pages import count, share, slug
from udsat.report.publish import housing_status


def test_path_data_projects_north_up_and_closes_rings() -> None:
    frame = Frame(minx=1000.0, maxy=2000.0, scale=0.5, width=1000.0, height=500.0)
    d = path_data(box(1000, 1800, 1200, 2000), frame, tolerance=0)
    # x: (x - 1000) * 0.5; y: (2000 - y) * 0.5, shapely orients the box counter-clockwise.
    assert d == "M100 100 100 0 0 0 0 100Z"


def test_frame_keeps_the_aspect_ratio() -> None:
    layer = gpd.GeoDataFrame(geometry=[box(0, 0, 2000, 1000)], crs="EPSG:25832")
    frame = Frame.around(layer)
    assert frame.width == 1000
    assert frame.height == pytest.approx((1000 + 80) * 1000 / 2080, abs=0.1)


def test_slugs_are_safe_and_distinct_for_hostile_ids() -> None:
    a, b = slug('x"><svg onload=alert(2)>'), slug("x__svg_onload_alert_2_")
    assert a != b
    assert all(c.isalnum() or c in "_-" for c in a)


def test_figures_in_danish_and_english_and_the_suppression_mark() -> None:
    assert count(12345, "da") == "12.345" and count(12345, "en") == "12,345"
    assert share(0.1234, "da") == "12,3 %" and share(12.34, "en", 1) == "12.3 %"
    assert count(pd.NA, "da") == ".." and share(float("nan"), "en") == ".."


def test_sequential_colours_span_the_scale_and_skip_missing() -> None:
    colours = sequential_colours([0.0, 0.5, 1.0, float("nan")])
    assert colours[3] is None and len(set(colours[:3])) == 3


def test_csv_has_bom_semicolons_decimal_comma_and_round_trips_danish_letters(
    tmp_path: Path,
) -> None:
    table = pd.DataFrame({"navn": ["Ærø", "Å;by"], "andel": [0.25, 1.5], "beboere": [10, None]})
    path = tmp_path / "t.csv"
    write_csv(table, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Ærø;0,25;10" in raw.decode("utf-8-sig")
    back = read_csv(path)
    assert back["navn"].tolist() == ["Ærø", "Å;by"]
    assert back["andel"].tolist() == [0.25, 1.5]


def test_sheet_names_follow_excel_rules() -> None:
    used: set[str] = set()
    assert sheet_name("a/b:c", used) == "a_b_c"
    long = "x" * 40
    first, second = sheet_name(long, used), sheet_name(long, used)
    assert len(first) == len(second) == 31 and first != second


def test_workbook_is_byte_identical_and_has_danish_headers(tmp_path: Path) -> None:
    tables = {
        "lister": pd.DataFrame({"area_id": ["A"], "residents": [1200]}),
        "serier": pd.DataFrame({"year": [2020], "value": [0.5]}),
    }
    headers = {"area_id": "områdeid", "residents": "beboere"}
    write_workbook(tables, tmp_path / "a.xlsx", headers=headers)
    write_workbook(tables, tmp_path / "b.xlsx", headers=headers)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    book = load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames == ["lister", "serier"]
    assert [c.value for c in book["lister"][1]] == ["områdeid", "beboere"]
    assert [c.value for c in book["serier"][2]] == [2020, 0.5]


def test_goal_targets_are_gaps_added_to_the_rest_latest_level() -> None:
    series = pd.DataFrame(
        {
            "group": ["rest", "rest", "udsat"],
            "year": [2020, 2021, 2021],
            "value": [0.30, 0.28, 0.40],
        }
    )
    status = pd.Series(
        {
            "target_gap_2035": 0.05,
            "projected_gap_2035": 0.10,
            "projected_low": 0.08,
            "projected_high": 0.12,
        }
    )
    got = goal_targets(status, series)
    assert got == pytest.approx({"target": 0.33, "projected": 0.38, "low": 0.36, "high": 0.40})


def test_housing_status_takes_the_strictest_list() -> None:
    lists = pd.DataFrame(
        {
            "udsat": [True, True, False, None],
            "forebyggelse": [False, True, False, None],
            "parallelsamfund": [True, False, False, None],
        }
    )
    assert housing_status(lists).tolist() == [
        "parallelsamfund",
        "forebyggelse",
        "housing",
        "housing",
    ]


def _bundle(**overrides: object) -> ReportBundle:
    housing = gpd.GeoDataFrame(
        {"housing_area_id": ["H1"], "name": ["A"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:25832"
    )
    values = {
        "year": 2025,
        "manifest": {},
        "state_lists": pd.DataFrame({"list_year": []}),
        "housing_areas": housing,
    }
    values.update(overrides)
    return ReportBundle(**values)


def test_bundle_refuses_unknown_language_bad_limit_and_other_crs() -> None:
    with pytest.raises(UdsatError, match="de"):
        _bundle(lang="de")
    with pytest.raises(UdsatError, match="0"):
        _bundle(limit=0)
    wgs = gpd.GeoDataFrame(
        {"housing_area_id": ["H1"], "name": ["A"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326"
    )
    with pytest.raises(UdsatError, match="EPSG:25832"):
        _bundle(housing_areas=wgs)


def test_many_units_are_drawn_as_quantile_classes_with_a_class_table() -> None:
    from udsat.report.mapviews import _class_shapes

    n = 1200
    values = pd.Series([i / n for i in range(n)] + [None] * 5)
    merged = pd.DataFrame(
        {"d": [f"M{i} 0Z" for i in range(n + 5)], "residents": [10] * n + [3] * 5}
    )
    shapes, rows, _columns, legend = _class_shapes(merged, values, lambda v: f"{v:.2f}", "da")
    assert len(shapes) == len(rows) == len(legend) == 6  # five classes and the hidden units
    assert [r["units"] for r in rows] == ["240"] * 5 + ["5"]
    assert rows[0]["residents"] == "2.400" and rows[-1]["residents"] == ".."
    assert shapes[0].d.count("Z") == 240 and shapes[-1].d.count("Z") == 5
    assert len({s.fill for s in shapes}) == 6  # five colours; the hidden units hatched


def test_basemap_is_off_by_default_and_fills_the_extent_when_configured() -> None:
    frame = Frame(minx=720000.0, maxy=6180000.0, scale=0.1, width=1000.0, height=500.0)
    assert frame.basemap(None) is None and frame.basemap("") is None
    url = frame.basemap(
        "https://wms.example/?bbox={minx},{miny},{maxx},{maxy}&w={width}&h={height}"
    )
    assert url == "https://wms.example/?bbox=720000,6175000,730000,6180000&w=1600&h=800"
