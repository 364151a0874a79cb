"""The synthetic panel: arguments, determinism, the data contract and panel properties.

One default-size Copenhagen (650,000 persons, 2015-2025) is generated once per test run
(conftest.py); checks run as DuckDB SQL over the written Parquet files.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from udsat.contract.schemas import BENEFIT_COLUMNS, PERSONS, SURVEY, Kind
from udsat.errors import UdsatError
from udsat.synth import synthesize

SEED = 20250101
YEARS = (2015, 2025)


@pytest.fixture(scope="session")
def city(default_city: Path) -> Path:
    return default_city


@pytest.fixture(scope="session")
def con(city: Path) -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute(f"CREATE VIEW persons AS SELECT * FROM read_parquet('{city}/persons/*.parquet')")
    c.execute(f"CREATE VIEW addresses AS SELECT * FROM read_parquet('{city}/addresses.parquet')")
    c.execute(f"CREATE VIEW survey AS SELECT * FROM read_parquet('{city}/survey.parquet')")
    return c


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    return con.execute(sql).fetchone()[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"persons": 999}, "at least"),
        ({"years": (2020, 2019)}, "reversed"),
        ({"years": (1985, 1995)}, "within"),
        ({"years": (2020, 2101)}, "within"),
        ({"scope": "moon"}, "scope"),
    ],
)
def test_bad_arguments_raise_udsat_error(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(UdsatError, match=message):
        synthesize(tmp_path / "x", **kwargs)
    assert not (tmp_path / "x").exists()


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    a = synthesize(tmp_path / "a", persons=5000, years=(2019, 2021), seed=7)
    b = synthesize(tmp_path / "b", persons=5000, years=(2019, 2021), seed=7)
    assert a.scope == "copenhagen" and a.person_years == b.person_years
    files = sorted(p.relative_to(a.path) for p in a.path.rglob("*.parquet"))
    assert len(files) == 5  # three years, addresses, survey
    for f in [*files, Path("manifest.json"), Path("initiatives.csv")]:
        assert (a.path / f).read_bytes() == (b.path / f).read_bytes(), f
    c = synthesize(tmp_path / "c", persons=5000, years=(2019, 2021), seed=8)
    same = (a.path / files[0]).read_bytes() == (c.path / files[0]).read_bytes()
    assert not same
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp dirs left


def test_manifest_says_synthetic(city: Path) -> None:
    manifest = json.loads((city / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True
    assert manifest["seed"] == SEED and manifest["years"] == list(YEARS)
    assert manifest["crs"] == "EPSG:25832" and manifest["generator"].startswith("udsat synth")
    assert "SYNTETISKE DATA" in manifest["notice"] and "CC BY 4.0" in manifest["licence"]
    assert manifest["scope"] == "copenhagen" and manifest["municipality_codes"] == [101]
    for name in ("addresses.parquet", "housing_areas.gpkg", "survey.parquet", "initiatives.csv"):
        assert (city / name).exists(), name
    units = sorted(p.name for p in (city / "units").iterdir())
    assert units == ["bydele.gpkg", "kvarterer.gpkg", "udsatte_byomraader_2017.gpkg"]


EXPECTED = {Kind.STRING: "string", Kind.INT: "int", Kind.FLOAT: "float", Kind.BOOL: "bool"}


def _kind(arrow_type: object) -> str:
    text = str(arrow_type)
    for prefix, kind in (("int", "int"), ("float", "float"), ("double", "float"), ("bool", "bool")):
        if text.startswith(prefix):
            return kind
    return "string" if text in ("string", "large_string") else text


@pytest.mark.parametrize(
    ("schema", "file"), [(PERSONS, "persons/persons_2020.parquet"), (SURVEY, "survey.parquet")]
)
def test_every_contract_column_with_its_type(city: Path, schema: object, file: str) -> None:
    arrow = pq.read_schema(city / file)
    assert list(arrow.names) == list(schema.names)
    for col in schema.columns:
        assert _kind(arrow.field(col.name).type) == EXPECTED[col.kind], col.name


def test_values_within_the_contract(con: duckdb.DuckDBPyConnection) -> None:
    shares = " OR ".join(f"{c} < 0 OR {c} > 1" for c in (*BENEFIT_COLUMNS, "employed_share"))
    assert scalar(con, f"SELECT count(*) FROM persons WHERE {shares}") == 0
    total = " + ".join(BENEFIT_COLUMNS)
    assert scalar(con, f"SELECT max({total} + employed_share) FROM persons") <= 1 + 1e-5
    dup = """SELECT count(*) FROM (SELECT person_id, year FROM persons
             GROUP BY ALL HAVING count(*) > 1)"""
    assert scalar(con, dup) == 0
    orphan = "SELECT count(*) FROM persons p ANTI JOIN addresses a USING (address_id)"
    assert scalar(con, orphan) == 0
    nulls = """SELECT count(*) FROM persons WHERE age >= 16
               AND (education_level = 'unknown') <> (education_danish_approved IS NULL)"""
    assert scalar(con, nulls) == 0
    child = "SELECT count(*) FROM persons WHERE (age < 18) <> (child_in_poor_household IS NOT NULL)"
    assert scalar(con, child) == 0
    assert scalar(con, "SELECT min(weight) FROM survey") > 0


def test_people_age_by_one_year_and_the_dead_leave(con: duckdb.DuckDBPyConnection) -> None:
    pairs = con.execute(
        """SELECT count(*), sum((b.age <> a.age + 1)::INT), sum(a.died::INT),
                  sum((a.address_id <> b.address_id)::INT)
           FROM persons a JOIN persons b ON a.person_id = b.person_id AND b.year = a.year + 1"""
    ).fetchone()
    assert pairs[0] > 5_000_000 and pairs[1] == 0 and pairs[2] == 0
    assert 0.06 < pairs[3] / pairs[0] < 0.25  # moves happen (persons changing address)
    first_rows = con.execute(
        """SELECT year, count(*), sum((age = 0)::INT) FROM persons p
           WHERE year > 2015 AND NOT EXISTS (SELECT 1 FROM persons q
             WHERE q.person_id = p.person_id AND q.year = p.year - 1) GROUP BY year"""
    ).fetchall()
    for _year, new, newborn in first_rows:
        assert 0.06 < new / 650_000 < 0.2 and 6000 < newborn < 14000  # births + in-migrants


def test_population_stable_and_deaths_plausible(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "SELECT year, count(*), avg(died::INT) FROM persons GROUP BY year ORDER BY year"
    ).fetchall()
    sizes = [r[1] for r in rows]
    assert sizes[0] == 650_000 and 0.98 < sizes[-1] / sizes[0] < 1.12
    assert all(0.003 < r[2] < 0.01 for r in rows)
    young = scalar(con, "SELECT avg((age BETWEEN 20 AND 39)::INT) FROM persons WHERE year = 2020")
    assert 0.33 < young < 0.48  # Copenhagen's many 20-39-year-olds


def test_origin_mix(con: duckdb.DuckDBPyConnection) -> None:
    danish = scalar(con, "SELECT avg((origin = 'danish')::INT) FROM persons WHERE year = 2020")
    nonwestern = scalar(
        con, "SELECT avg((origin LIKE '%nonwestern')::INT) FROM persons WHERE year = 2020"
    )
    assert 0.70 < danish < 0.80 and 0.13 < nonwestern < 0.19
    top = scalar(
        con,
        """SELECT max(nw) FROM (SELECT housing_area_id, avg((origin LIKE '%nonwestern')::INT) nw
           FROM persons JOIN addresses USING (address_id) WHERE year = 2020
           AND housing_area_id IS NOT NULL GROUP BY ALL HAVING count(*) >= 1000)""",
    )
    assert top > 0.5


def test_survey_has_ten_thousand_respondents_a_year(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "SELECT year, count(*), avg((feels_safe_night IS NULL)::INT) FROM survey GROUP BY year"
    ).fetchall()
    assert len(rows) == YEARS[1] - YEARS[0] + 1
    assert all(r[1] == 10_000 and 0 < r[2] < 0.1 for r in rows)
