"""Finding tables, reading manifest.json and every file format into typed DuckDB views."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from fixtures.contract.builders import tables, write_dataset
from udsat.contract.dataset import open_dataset
from udsat.contract.load import CACHE_DIR
from udsat.errors import DataContractError, UdsatError

SAS = Path(__file__).parent / "fixtures" / "contract"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests check English texts; test_contract_messages.py checks both languages."""
    monkeypatch.setenv("UDSAT_LANG", "en")


def test_missing_directory_lists_accepted_names(tmp_path: Path) -> None:
    with pytest.raises(UdsatError, match="dataset directory not found") as info:
        open_dataset(tmp_path / "nope")
    assert "persons{.parquet,.csv,.sas7bdat} or persons/" in str(info.value)


def test_load_errors_in_danish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "da")
    with pytest.raises(UdsatError, match="datasætmappen findes ikke") as info:
        open_dataset(tmp_path / "nope")
    assert "persons{.parquet,.csv,.sas7bdat} eller persons/" in str(info.value)
    root = write_dataset(tmp_path / "d")
    manifest = json.loads((root / "manifest.json").read_text())
    (root / "manifest.json").write_text(json.dumps({**manifest, "crs": "EPSG:4326"}))
    with pytest.raises(UdsatError, match="'crs' skal være 'EPSG:25832'") as info:
        open_dataset(root)
    assert "omprojicér data til EPSG:25832, fx med ogr2ogr -t_srs EPSG:25832" in str(info.value)
    (root / "manifest.json").write_text('{"name": "x"}')
    with pytest.raises(UdsatError, match="mangler felt\\(er\\): municipality") as info:
        open_dataset(root)
    assert "years ([første, sidste] registerår)" in str(info.value)


def test_missing_required_table_lists_what_was_found(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    (root / "addresses.csv").rename(root / "adresser.csv")
    with pytest.raises(UdsatError, match="required table\\(s\\) addresses missing") as info:
        open_dataset(root)
    assert "adresser.csv" in str(info.value) and "persons.parquet" in str(info.value)


def test_two_files_for_one_table_is_an_error(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    tables()["persons"].to_csv(root / "persons.csv", index=False)
    with pytest.raises(UdsatError, match=r"persons: persons\.csv, persons\.parquet"):
        open_dataset(root)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('{"name": "x"}', "lacks field\\(s\\): municipality, municipality_codes"),
        (None, "manifest.json missing"),
    ],
)
def test_manifest_errors(tmp_path: Path, content: str | None, message: str) -> None:
    root = write_dataset(tmp_path)
    if content is None:
        (root / "manifest.json").unlink()
    else:
        (root / "manifest.json").write_text(content)
    with pytest.raises(UdsatError, match=message):
        open_dataset(root)


def test_manifest_years_must_be_a_pair(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    manifest = json.loads((root / "manifest.json").read_text())
    (root / "manifest.json").write_text(json.dumps({**manifest, "years": [2022, 2020]}))
    with pytest.raises(UdsatError, match="'years' must be \\[first, last\\]"):
        open_dataset(root)


def test_manifest_crs_must_be_25832(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    manifest = json.loads((root / "manifest.json").read_text())
    (root / "manifest.json").write_text(json.dumps({**manifest, "crs": "EPSG:4326"}))
    with pytest.raises(UdsatError, match=r"'crs' must be 'EPSG:25832'.*got 'EPSG:4326'"):
        open_dataset(root)


def test_tables_and_view_types(tmp_path: Path) -> None:
    ds = open_dataset(write_dataset(tmp_path))
    assert set(ds.tables) == {
        "persons", "addresses", "survey", "initiatives", "housing_areas", "units_bydele"
    }  # fmt: skip
    assert ds.tables["units_bydele"] == tmp_path / "units" / "bydele.geojson"
    con = ds.connect()
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE persons)").fetchall())
    got = (types["year"], types["age"], types["employed_share"], types["died"])
    assert got == ("BIGINT", "BIGINT", "DOUBLE", "BOOLEAN")
    survey = con.execute("SELECT feels_safe_night, age FROM survey ORDER BY respondent_id")
    assert survey.fetchall() == [(None, 40), (False, None)]
    areas = con.execute("SELECT typeof(geometry), count(*) FROM housing_areas GROUP BY 1")
    assert areas.fetchall() == [("BLOB", 2)]
    units = ds.read_geo("units/bydele")
    assert list(units["unit_id"]) == ["b1", "b2"] and units.crs.to_epsg() == 25832


def test_folder_of_parquet_files_and_hive_years(tmp_path: Path) -> None:
    frames = tables()
    root = write_dataset(tmp_path, {k: v for k, v in frames.items() if k != "persons"})
    persons = frames["persons"]
    (root / "persons").mkdir()
    for year, part in persons.groupby("year"):
        part.to_parquet(root / "persons" / f"persons_{year}.parquet", index=False)
    ds = open_dataset(root)
    assert ds.validate().files["persons"] == "persons/"
    con = ds.connect()
    assert con.execute("SELECT count(DISTINCT year), count(*) FROM persons").fetchone() == (3, 12)
    columns = [r[0] for r in con.execute("DESCRIBE persons").fetchall()]
    assert not [c for c in columns if c.startswith("__")]  # the file column stays internal

    hive = write_dataset(tmp_path / "hive", {k: v for k, v in frames.items() if k != "persons"})
    for year, part in persons.groupby("year"):
        (hive / "persons" / f"year={year}").mkdir(parents=True)
        part.drop(columns=["year"]).to_parquet(hive / "persons" / f"year={year}" / "p.parquet")
    con = open_dataset(hive).connect()
    rows = con.execute("SELECT year, count(*) FROM persons GROUP BY year ORDER BY year").fetchall()
    assert rows == [(2020, 4), (2021, 4), (2022, 4)]


def _persons_folder(tmp_path: Path, persons: pd.DataFrame, hive: bool = False) -> Path:
    frames = tables()
    root = write_dataset(tmp_path, {k: v for k, v in frames.items() if k != "persons"})
    for year, part in persons.groupby("year"):
        folder = root / "persons" / (f"year={year}" if hive else "")
        folder.mkdir(parents=True, exist_ok=True)
        name = "part-0.parquet" if hive else f"persons_{year}.parquet"
        (part.drop(columns=["year"]) if hive else part).to_parquet(folder / name, index=False)
    return root


def test_examples_of_a_folder_table_name_the_file(tmp_path: Path) -> None:
    persons = tables()["persons"]
    persons.loc[(persons["person_id"] == "p2") & (persons["year"] == 2021), "age"] = -4
    with pytest.raises(DataContractError) as info:
        open_dataset(_persons_folder(tmp_path, persons)).validate()
    (problem,) = info.value.problems
    assert (problem.file, problem.rule, problem.count) == ("persons/", "impossible_value", 1)
    assert problem.examples == ["persons/persons_2021.parquet: person_id='p2', year=2021: age=-4"]

    with pytest.raises(DataContractError) as info:
        open_dataset(_persons_folder(tmp_path / "hive", persons, hive=True)).validate()
    example = info.value.problems[0].examples[0]
    assert example == "persons/year=2021/part-0.parquet: person_id='p2', year=2021: age=-4"


def test_duplicates_across_files_name_every_file(tmp_path: Path) -> None:
    persons = tables()["persons"]
    copy = persons[(persons["person_id"] == "p3") & (persons["year"] == 2020)]
    root = _persons_folder(tmp_path, persons)
    copy.to_parquet(root / "persons" / "persons_2020_late.parquet", index=False)
    ds = open_dataset(root)
    report = ds.validate(on_invalid_rows="exclude")
    problem = next(p for p in report.problems if p.rule == "duplicate_key")
    assert problem.examples == [
        "persons/persons_2020.parquet, persons/persons_2020_late.parquet: "
        "person_id='p3', year=2020: 2 rows"
    ]
    assert report.excluded_rows("persons") == 2
    count = ds.connect().execute("SELECT count(*) FROM persons").fetchone()
    assert count == (11,)  # 12 rows + 1 copy, both copies excluded


def test_csv_booleans_and_upper_case_names(tmp_path: Path) -> None:
    frames = tables()
    persons = frames["persons"].rename(columns=str.upper)
    persons["DIED"] = ["ja", "nej", "1", "0", "true", "FALSE"] * 2
    root = write_dataset(tmp_path, {**frames, "persons": persons}, formats={"persons": "csv"})
    con = open_dataset(root).connect()
    died = con.execute("SELECT list(died ORDER BY year, person_id) FROM persons").fetchone()
    assert died == ([True, False, True, False, True, False] * 2,)


def test_csv_bad_boolean_is_wrong_type(tmp_path: Path) -> None:
    frames = tables()
    frames["persons"]["died"] = ["måske"] + [False] * 11
    root = write_dataset(tmp_path, frames, formats={"persons": "csv"})
    with pytest.raises(DataContractError, match="rule: wrong_type") as info:
        open_dataset(root).validate()
    assert info.value.problems[0].examples == ["person_id='p1', year=2020: died='måske'"]


def test_latin1_csv_falls_back_with_warning(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    frames = tables()
    frames["initiatives"].to_csv(root / "initiatives.csv", index=False, encoding="cp1252")
    ds = open_dataset(root)
    report = ds.validate()
    assert [p.rule for p in report.problems] == ["encoding"]
    assert report.problems[0].file == "initiatives.csv" and "cp1252" in report.warnings[0]
    name = ds.connect().execute("SELECT name FROM initiatives").fetchone()
    assert name == ("Lektiecafé",)


def _sas_dataset(tmp_path: Path, persons_fixture: str) -> Path:
    frames = tables()
    root = write_dataset(tmp_path, {k: v for k, v in frames.items() if k != "addresses"})
    (root / "persons.parquet").unlink()
    shutil.copy(SAS / persons_fixture, root / "PERSONS.sas7bdat")
    shutil.copy(SAS / "addresses.sas7bdat", root / "addresses.sas7bdat")
    return root


def test_sas_datasets_read_and_coerced(tmp_path: Path) -> None:
    root = _sas_dataset(tmp_path, "persons.sas7bdat")
    ds = open_dataset(root)
    assert ds.validate().problems == []
    con = ds.connect()
    got = con.execute(
        "SELECT person_id, year, age, died, typeof(age), typeof(died) FROM persons "
        "ORDER BY year, person_id LIMIT 1"
    ).fetchone()
    assert got == ("p1", 2020, 21, False, "BIGINT", "BOOLEAN")
    blank = con.execute("SELECT housing_area_id FROM addresses WHERE address_id = 'a2'")
    assert blank.fetchone() == (None,)  # SAS blank character value -> NULL
    expected = tables()["persons"].sort_values(["year", "person_id"])
    frame = con.execute("SELECT * FROM persons ORDER BY year, person_id").df()
    pd.testing.assert_series_equal(
        frame["fte_kontanthjaelp"], expected["fte_kontanthjaelp"].reset_index(drop=True)
    )
    cached = list((root / CACHE_DIR).glob("*.parquet"))
    assert len(cached) == 2  # converted once; the second open reuses the cache
    before = {p: p.stat().st_mtime_ns for p in cached}
    open_dataset(root).validate()
    assert {p: p.stat().st_mtime_ns for p in cached} == before


def test_sas_year_stored_as_date(tmp_path: Path) -> None:
    con = open_dataset(_sas_dataset(tmp_path, "persons_year_as_date.sas7bdat")).connect()
    years = con.execute("SELECT DISTINCT year FROM persons ORDER BY year").fetchall()
    assert years == [(2020,), (2021,), (2022,)]


def test_sas_bad_rows_reported(tmp_path: Path) -> None:
    root = _sas_dataset(tmp_path, "persons_bad.sas7bdat")
    with pytest.raises(DataContractError) as info:
        open_dataset(root).validate()
    found = {(p.file, p.rule, p.column, p.count) for p in info.value.problems}
    assert found == {
        ("PERSONS.sas7bdat", "impossible_value", "age", 1),
        ("PERSONS.sas7bdat", "wrong_type", "died", 1),
        ("PERSONS.sas7bdat", "duplicate_key", "person_id, year", 2),
    }
    wrong = next(p for p in info.value.problems if p.rule == "wrong_type")
    assert wrong.examples == ["person_id='p3', year=2020: died=2.0"]


def test_sas_converted_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import udsat.contract.load as load

    monkeypatch.setattr(load, "SAS_CHUNK_ROWS", 5)  # 12 rows -> three chunks
    con = open_dataset(_sas_dataset(tmp_path, "persons.sas7bdat")).connect()
    got = con.execute("SELECT count(*), count(DISTINCT person_id), sum(age) FROM persons")
    expected = tables()["persons"]
    assert got.fetchone() == (12, 4, int(expected["age"].sum()))
