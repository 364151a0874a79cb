"""Each validation rule: build a small bad dataset, check the error names file, column, rule,
count and an example row."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from shapely.geometry import Polygon

from fixtures.contract.builders import X0, Y0, bydele, housing_areas, tables, write_dataset
from udsat.contract.dataset import open_dataset
from udsat.errors import DataContractError, Problem
from udsat.runlog import RunLog


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests check English texts; test_contract_messages.py checks both languages."""
    monkeypatch.setenv("UDSAT_LANG", "en")


def blockers(root: Path) -> list[Problem]:
    with pytest.raises(DataContractError) as info:
        open_dataset(root).validate()
    return [p for p in info.value.problems if p.severity == "blocker"]


def one(
    problems: list[Problem], rule: str, column: str | None = None, file: str | None = None
) -> Problem:
    found = [
        p
        for p in problems
        if p.rule == rule and column in (None, p.column) and file in (None, p.file)
    ]
    assert len(found) == 1, f"expected one {rule}/{column}, got {problems}"
    return found[0]


def test_valid_dataset_passes(tmp_path: Path) -> None:
    report = open_dataset(write_dataset(tmp_path)).validate()
    assert report.problems == []
    assert report.tables == {
        "housing_areas": 2,
        "units_bydele": 2,
        "addresses": 3,
        "persons": 12,
        "survey": 2,
        "initiatives": 1,
    }


def test_missing_column_names_file_and_found_columns(tmp_path: Path) -> None:
    frames = tables()
    frames["persons"] = frames["persons"].drop(columns=["age"])
    problem = one(blockers(write_dataset(tmp_path, frames)), "missing_column")
    assert (problem.file, problem.column) == ("persons.parquet", "age")
    assert "person_id" in problem.message and "required column 'age'" in problem.message


def test_wrong_type_text_in_age_and_share(tmp_path: Path) -> None:
    frames = tables()
    frames["addresses"]["x"] = frames["addresses"]["x"].astype(object)
    frames["addresses"].loc[1, "x"] = "east"
    problems = blockers(write_dataset(tmp_path, frames))
    problem = one(problems, "wrong_type", "x")
    assert problem.file == "addresses.csv" and problem.count == 1
    assert problem.examples == ["address_id='a1': x='east'"]

    frames = tables()
    persons = frames["persons"].astype({"age": object, "employed_share": object})
    persons.loc[0, "age"] = "tyve"
    persons.loc[[1, 2], "employed_share"] = ["halv", "2.5.1"]
    frames["persons"] = persons.astype({"age": str, "employed_share": str})
    problems = blockers(write_dataset(tmp_path / "b", frames))
    age = one(problems, "wrong_type", "age")
    assert age.count == 1 and age.examples == ["person_id='p1', year=2020: age='tyve'"]
    assert "stored as VARCHAR" in age.message
    assert one(problems, "wrong_type", "employed_share").count == 2


def test_fractional_age_is_wrong_type_not_rounded(tmp_path: Path) -> None:
    frames = tables()
    frames["persons"]["age"] = frames["persons"]["age"].astype(float)
    frames["persons"].loc[3, "age"] = 30.5
    problem = one(blockers(write_dataset(tmp_path, frames)), "wrong_type", "age")
    assert problem.count == 1 and problem.examples == ["person_id='p4', year=2020: age=30.5"]


def test_impossible_values(tmp_path: Path) -> None:
    frames = tables()
    persons = frames["persons"]
    persons.loc[0, "age"] = -1
    persons.loc[[1, 2], "fte_dagpenge"] = [1.5, -0.1]
    persons.loc[3, "origin"] = "martian"
    persons.loc[4, "household_id"] = None
    problems = blockers(write_dataset(tmp_path, frames))
    age = one(problems, "impossible_value", "age")
    assert (age.file, age.count, age.examples) == (
        "persons.parquet",
        1,
        ["person_id='p1', year=2020: age=-1"],
    )
    assert "0 to 120" in age.message
    assert one(problems, "impossible_value", "fte_dagpenge").count == 2
    origin = one(problems, "not_allowed_category", "origin")
    assert origin.examples == ["person_id='p4', year=2020: origin='martian'"]
    assert "danish" in origin.message
    missing = one(problems, "not_null", "household_id")
    assert missing.examples == ["person_id='p1', year=2021: household_id=NULL"]


def test_duplicate_person_year(tmp_path: Path) -> None:
    frames = tables()
    frames["persons"] = pd.concat([frames["persons"], frames["persons"].iloc[[5]]])
    problem = one(blockers(write_dataset(tmp_path, frames)), "duplicate_key")
    assert (problem.column, problem.count) == ("person_id, year", 2)
    assert problem.examples == ["person_id='p2', year=2021: 2 rows"]


def test_unknown_ids(tmp_path: Path) -> None:
    frames = tables()
    frames["persons"].loc[2, "address_id"] = "nowhere"
    frames["addresses"].loc[0, "housing_area_id"] = "ha9"
    frames["survey"].loc[0, "address_id"] = "gone"
    frames["survey"].loc[1, "area_id"] = "b7"
    problems = blockers(write_dataset(tmp_path, frames))
    person = one(problems, "unknown_address_id", "address_id", file="persons.parquet")
    assert person.examples == ["person_id='p3', year=2020: address_id='nowhere'"]
    area = one(problems, "unknown_housing_area_id")
    assert area.file == "addresses.csv" and area.examples == [
        "address_id='a0': housing_area_id='ha9'"
    ]
    survey = [p for p in problems if p.file == "survey.csv"]
    assert {p.rule for p in survey} == {"unknown_address_id", "unknown_area_id"}


def test_invalid_and_empty_geometry(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    areas = housing_areas()
    bowtie = Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10)])
    areas.loc[0, "geometry"] = bowtie
    areas.loc[1, "geometry"] = Polygon()
    areas.to_file(root / "housing_areas.gpkg", engine="pyogrio")
    problems = blockers(root)
    invalid = one(problems, "invalid_geometry")
    assert invalid.file == "housing_areas.gpkg" and invalid.count == 1
    assert invalid.examples[0].startswith("housing_area_id='ha1': geometry='Self-intersection")
    assert one(problems, "empty_geometry").examples == ["housing_area_id='ha2'"]


def test_wrong_and_missing_crs(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    bydele().to_crs("EPSG:4326").to_file(root / "units" / "bydele.geojson", driver="GeoJSON")
    problem = one(blockers(root), "crs")
    assert problem.file == "units/bydele.geojson"
    assert "EPSG:4326" in problem.message and "ogr2ogr -t_srs EPSG:25832" in problem.message

    root = write_dataset(tmp_path / "b")
    housing_areas().set_crs(None, allow_override=True).to_parquet(root / "housing_areas.parquet")
    (root / "housing_areas.gpkg").unlink()
    problem = one(blockers(root), "crs")
    assert "declares no CRS" in problem.message and problem.file == "housing_areas.parquet"


def test_lonlat_coordinates(tmp_path: Path) -> None:
    frames = tables()
    frames["addresses"]["x"] = [12.55, 12.56, 12.60]
    frames["addresses"]["y"] = [55.68, 55.69, 55.70]
    problem = one(blockers(write_dataset(tmp_path, frames)), "lonlat")
    assert problem.count == 3 and "EPSG:25832" in problem.message
    assert problem.examples[0] == "address_id='a0': x=12.55, y=55.68"

    root = write_dataset(tmp_path / "b")
    fake = bydele().to_crs("EPSG:4326").set_crs("EPSG:25832", allow_override=True)
    fake.to_file(root / "units" / "bydele.geojson", driver="GeoJSON")
    assert "longitude/latitude" in one(blockers(root), "lonlat").message


def test_missing_year_named(tmp_path: Path) -> None:
    frames = tables()
    frames["persons"] = frames["persons"][frames["persons"]["year"] != 2021]
    problem = one(blockers(write_dataset(tmp_path, frames)), "missing_year")
    assert problem.file == "persons.parquet" and "2021" in problem.message
    assert "2020" not in problem.message.split("[")[0]


def test_empty_table_blocks(tmp_path: Path) -> None:
    frames = tables()
    frames["persons"] = frames["persons"].iloc[0:0]
    problems = blockers(write_dataset(tmp_path, frames))
    assert one(problems, "empty_table").file == "persons.parquet"


def test_cpr_numbers_block_and_are_masked(tmp_path: Path) -> None:
    frames = tables()
    n = len(frames["persons"])
    frames["persons"]["person_id"] = [f"0{(i % 9) + 1}0190-{1000 + i}" for i in range(n)]
    problem = one(blockers(write_dataset(tmp_path, frames)), "cpr_number")
    assert problem.column == "person_id" and problem.count == n
    assert "pseudonymise" in problem.message
    assert problem.examples == ["person_id=******-**** (values masked)"]


def test_ids_that_are_not_dates_are_not_cpr(tmp_path: Path) -> None:
    frames = tables()
    n = len(frames["persons"])
    frames["persons"]["person_id"] = [f"99{i:08d}" for i in range(n)]  # day 99: no date
    assert open_dataset(write_dataset(tmp_path, frames)).validate().problems == []


def test_all_problems_collected_in_one_error(tmp_path: Path) -> None:
    frames = tables()
    frames["persons"].loc[0, "age"] = 500
    frames["addresses"] = frames["addresses"].drop(columns=["municipality_code"])
    frames["survey"].loc[0, "weight"] = 0.0
    with pytest.raises(DataContractError) as info:
        open_dataset(write_dataset(tmp_path, frames)).validate()
    rules = {(p.file, p.rule) for p in info.value.problems}
    assert rules == {
        ("persons.parquet", "impossible_value"),
        ("addresses.csv", "missing_column"),
        ("survey.csv", "impossible_value"),
    }
    assert str(info.value).startswith("3 problem(s) in the input data:")


def test_exclude_mode_drops_and_counts_rows(tmp_path: Path) -> None:
    frames = tables()
    frames["persons"].loc[0, "age"] = -1
    frames["persons"].loc[1, "address_id"] = "nowhere"
    frames["persons"] = pd.concat([frames["persons"], frames["persons"].iloc[[6]]])
    ds = open_dataset(write_dataset(tmp_path, frames))
    log = RunLog()
    report = ds.validate(on_invalid_rows="exclude", log=log)
    assert {p.severity for p in report.problems} == {"warning"}
    assert report.excluded_rows("persons") == 4 == log.excluded_rows("persons")
    reasons = {e.reason.split(" ")[0]: e.rows for e in log.exclusions}
    assert reasons == {"impossible_value": 1, "unknown_address_id": 1, "duplicate_key": 2}
    con = ds.connect()
    kept = con.execute("SELECT count(*), min(age) FROM persons").fetchone()
    assert kept == (13 - 4, 22)  # p1's age-21 row had age -1
    left = con.execute("SELECT count(*) FROM persons WHERE person_id = 'p3' AND year = 2021")
    assert left.fetchone() == (0,)  # both copies of the duplicate are out


def test_exclusions_cascade_to_children_and_are_counted(tmp_path: Path) -> None:
    frames = tables()
    frames["addresses"].loc[2, "x"] = 5.0  # impossible easting: the address is excluded
    ds = open_dataset(write_dataset(tmp_path, frames))
    report = ds.validate(on_invalid_rows="exclude")
    persons_at_a2 = int((frames["persons"]["address_id"] == "a2").sum())
    assert report.excluded_rows("addresses") == 1
    assert report.excluded_rows("persons") == persons_at_a2
    n = ds.connect().execute("SELECT count(*) FROM persons WHERE address_id = 'a2'").fetchone()
    assert n == (0,)


def test_structural_problems_block_even_in_exclude_mode(tmp_path: Path) -> None:
    frames = tables()
    frames["persons"] = frames["persons"].drop(columns=["sex"])
    with pytest.raises(DataContractError, match="required column 'sex'"):
        open_dataset(write_dataset(tmp_path, frames)).validate(on_invalid_rows="exclude")


def test_unknown_mode_rejected(tmp_path: Path) -> None:
    from udsat.errors import UdsatError

    with pytest.raises(UdsatError, match="on_invalid_rows"):
        open_dataset(write_dataset(tmp_path)).validate(on_invalid_rows="drop")


def test_manifest_year_outside_range_is_row_level(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["years"] = [2020, 2021]
    (root / "manifest.json").write_text(json.dumps(manifest))
    report = open_dataset(root).validate(on_invalid_rows="exclude")
    assert report.excluded_rows("persons") == 4
    assert report.problems[0].rule == "year_outside_manifest"


def test_excluded_polygons_left_out_of_views_and_read_geo(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    areas = housing_areas()
    areas.loc[1, "geometry"] = Polygon()
    areas.to_file(root / "housing_areas.gpkg", engine="pyogrio")
    ds = open_dataset(root)
    report = ds.validate(on_invalid_rows="exclude")
    assert [(e.table, e.rows) for e in report.exclusions] == [("housing_areas", 1)]
    assert list(ds.read_geo("housing_areas")["housing_area_id"]) == ["ha1"]
    import duckdb

    con = duckdb.connect()
    assert ds.connect(con) is con  # views go on the caller's connection
    assert con.execute("SELECT list(housing_area_id) FROM housing_areas").fetchone() == (["ha1"],)


def test_unreadable_file_is_collected_with_other_problems(tmp_path: Path) -> None:
    frames = tables()
    frames["persons"].loc[0, "age"] = -5
    root = write_dataset(tmp_path, frames)
    (root / "survey.parquet").write_bytes(b"not parquet at all")
    (root / "survey.csv").unlink()
    problems = blockers(root)
    assert one(problems, "unreadable").file == "survey.parquet"
    assert one(problems, "impossible_value", "age").count == 1


def test_cpr_in_an_extra_column(tmp_path: Path) -> None:
    frames = tables()
    frames["addresses"]["owner_cpr"] = ["0101901234", "3112851234", "2902001234"]
    problem = one(blockers(write_dataset(tmp_path, frames)), "cpr_number")
    assert (problem.file, problem.column, problem.count) == ("addresses.csv", "owner_cpr", 3)
    assert problem.examples == ["owner_cpr=******-**** (values masked)"]


def test_empty_optional_table_is_a_warning(tmp_path: Path) -> None:
    frames = tables()
    frames["initiatives"] = frames["initiatives"].iloc[0:0]
    report = open_dataset(write_dataset(tmp_path, frames)).validate()
    problem = one(report.problems, "empty_table")
    assert (problem.file, problem.severity) == ("initiatives.csv", "warning")
    assert any("initiatives.csv" in w and "no rows" in w for w in report.warnings)
