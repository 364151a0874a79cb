"""compute_indicators against hand computations on a tiny dataset written with the contract.

The dataset: 12 persons at 4 addresses, 7 survey responses.

Layout (EPSG:25832, X0/Y0 = central Copenhagen), districts b1 (west) and b2 (east):

    a1 (k1, b1): p1 40 m, p2 40 f, p3 25 f, p4 10 m (household of p1), p5 70 f
    a2 (k2, b1): p6 25 m, p7 50 f, p8 8 f (household of p7)
    a3 (k3, b2): p9 35 m, p10 60 m
    a4 (outside every kvarter, b2): p11 45 f, p12 15 m (household of p11)
    k4: a kvarter in b2 where nobody lives

Every expected value below is worked out by hand from these rows.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import yaml
from shapely.geometry import box

from fixtures.contract.builders import X0, Y0, person_row, write_dataset
from udsat.contract.dataset import open_dataset
from udsat.contract.schemas import BENEFIT_COLUMNS, CRS
from udsat.errors import UdsatError
from udsat.indicators import compute_indicators, load_catalogue
from udsat.indicators.catalogue import DEFAULT_PATH
from udsat.runlog import RunLog

YEAR = 2021
ADDRESSES = {  # address -> (x, y)
    "a1": (X0 + 50, Y0 + 50),
    "a2": (X0 + 250, Y0 + 50),
    "a3": (X0 + 1050, Y0 + 50),
    "a4": (X0 + 1850, Y0 + 850),
}
# person -> (address, age, sex, household, changes to the builder's defaults)
PEOPLE: dict[str, tuple[str, int, str, str, dict]] = {
    "p1": (
        "a1",
        40,
        "m",
        "h1",
        {
            "gross_income": 100_000.0,
            "education_level": "grundskole",
            "fte_kontanthjaelp": 0.5,
            "chronic_disease": True,
        },
    ),
    "p2": (
        "a1",
        40,
        "f",
        "h2",
        {"gross_income": 400_000.0, "education_level": "lang_videregaaende", "fte_dagpenge": 0.4},
    ),
    "p3": (
        "a1",
        25,
        "f",
        "h3",
        {"gross_income": 50_000.0, "in_education": True, "youth_education_completed": False},
    ),
    "p4": ("a1", 10, "m", "h1", {"gross_income": 0.0}),
    "p5": ("a1", 70, "f", "h5", {"gross_income": 200_000.0, "chronic_disease": True}),
    "p6": ("a2", 25, "m", "h6", {"gross_income": 300_000.0}),
    "p7": (
        "a2",
        50,
        "f",
        "h7",
        {
            "gross_income": 20_000.0,
            "education_level": "unknown",
            "education_danish_approved": None,
            "fte_uddannelseshjaelp": 0.3,
            "fte_selvforsoergelse": 0.9,
            "chronic_disease": True,
        },
    ),
    "p8": ("a2", 8, "f", "h7", {"gross_income": 0.0}),
    "p9": ("a3", 35, "m", "h9", {"gross_income": 350_000.0, "education_danish_approved": False}),
    "p10": ("a3", 60, "m", "h10", {"gross_income": 150_000.0}),
    "p11": ("a4", 45, "f", "h11", {"gross_income": 500_000.0, "chronic_disease": True}),
    "p12": ("a4", 15, "m", "h11", {"gross_income": 0.0}),
}
# respondent -> (address, area_id, weight, feels_safe_night)
RESPONSES = {
    "r1": ("a1", None, 2.0, False),
    "r2": ("a1", None, 1.0, True),
    "r3": ("a2", None, 1.0, True),
    "r4": ("a3", None, 3.0, False),
    "r5": ("a3", None, 1.0, None),
    "r6": (None, "b2", 4.0, True),
    "r7": ("a4", None, 1.0, True),
}


def persons() -> pd.DataFrame:
    rows = []
    for pid, (address, age, sex, household, changes) in PEOPLE.items():
        row = person_row(pid, YEAR, address, age)
        row.update({c: 0.0 for c in BENEFIT_COLUMNS})
        row.update(sex=sex, household_id=household, child_in_poor_household=None)
        if age < 18:
            row["child_in_poor_household"] = False
        row.update(changes)
        rows.append(row)
    return pd.DataFrame(rows)


def survey() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "respondent_id": rid,
                "year": YEAR,
                "address_id": address,
                "area_id": area,
                "weight": weight,
                "age": 40,
                "sex": "f",
                "feels_safe_day": True,
                "feels_safe_night": night,
                "self_rated_health": 2,
            }
            for rid, (address, area, weight, night) in RESPONSES.items()
        ]
    )


def addresses() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "address_id": list(ADDRESSES),
            "x": [xy[0] for xy in ADDRESSES.values()],
            "y": [xy[1] for xy in ADDRESSES.values()],
            "housing_area_id": ["ha1", None, None, None],
            "municipality_code": [101] * 4,
        }
    )


def kvarterer() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"unit_id": ["k1", "k2", "k3", "k4"], "name": ["K1", "K2", "K3", "K4"]},
        geometry=[
            box(X0, Y0, X0 + 200, Y0 + 200),
            box(X0 + 200, Y0, X0 + 400, Y0 + 200),
            box(X0 + 1000, Y0, X0 + 1200, Y0 + 200),
            box(X0 + 1300, Y0 + 300, X0 + 1500, Y0 + 500),
        ],
        crs=CRS,
    )


def write(root: Path) -> Path:
    frames = {"persons": persons(), "addresses": addresses(), "survey": survey()}
    write_dataset(root, frames, years=(YEAR, YEAR))
    kvarterer().to_file(root / "units" / "kvarterer.geojson", driver="GeoJSON", engine="pyogrio")
    return root


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    connection = open_dataset(write(tmp_path_factory.mktemp("ind") / "city")).connect()
    yield connection
    connection.close()


def values(frame: pd.DataFrame, indicator: str, column: str = "value") -> dict[str, float]:
    rows = frame[frame["indicator_id"] == indicator]
    return dict(zip(rows["unit_id"], rows[column], strict=True))


@pytest.fixture(scope="module")
def kvarter(con) -> pd.DataFrame:
    return compute_indicators(con, year=YEAR, units="kvarterer", outside="rest")


def test_output_columns_and_one_row_per_unit_and_indicator(kvarter) -> None:
    assert list(kvarter.columns[:14]) == [
        "unit_id", "indicator_id", "criterion", "year", "numerator", "denominator", "value",
        "value_raw", "ci_low", "ci_high", "effective_n", "shrunk", "residents", "respondents",
    ]  # fmt: skip
    n = len(load_catalogue().indicators)
    assert len(kvarter) == 5 * n
    assert set(kvarter["unit_id"]) == {"k1", "k2", "k3", "k4", "rest"}
    assert (kvarter["year"] == YEAR).all()
    assert values(kvarter, "low_income", "residents") == {
        "k1": 5, "k2": 3, "k3": 2, "k4": 0, "rest": 2
    }  # fmt: skip


def test_low_income_at_the_threshold(kvarter) -> None:
    """Median gross income of 18-64 not in education (p1 p2 p6 p7 p9 p10 p11): 300,000, so the
    line is 150,000: p1 (100,000) and p7 (20,000) are below; p10 sits exactly on it (not low)."""
    assert values(kvarter, "low_income", "numerator") == {
        "k1": 1, "k2": 1, "k3": 0, "k4": 0, "rest": 0
    }  # fmt: skip
    assert values(kvarter, "low_income", "denominator") == {
        "k1": 2, "k2": 2, "k3": 2, "k4": 0, "rest": 1
    }  # fmt: skip
    got = values(kvarter, "low_income")
    assert got["k1"] == 0.5 and got["k3"] == 0.0 and np.isnan(got["k4"])
    note = values(kvarter, "low_income", "note")
    assert note["k4"] == "no_population" and note["k1"] == ""


def test_only_grundskole_counts_unknown_and_unapproved(kvarter) -> None:
    """30-59: p1 grundskole, p2 lang, p7 unknown, p9 not Danish-approved, p11 gymnasial."""
    assert values(kvarter, "only_grundskole", "numerator") == {
        "k1": 1, "k2": 1, "k3": 1, "k4": 0, "rest": 0
    }  # fmt: skip
    assert values(kvarter, "only_grundskole", "denominator") == {
        "k1": 2, "k2": 1, "k3": 1, "k4": 0, "rest": 1
    }  # fmt: skip


def test_outside_labour_sums_full_time_persons(kvarter) -> None:
    """p1 0.5 kontanthjælp; p7 0.3 + 0.9 capped at 1; p2's 0.4 dagpenge counts too: the law
    file's benefit set is every public benefit but SU, barselsdagpenge, sygedagpenge, fleksjob
    and efterløn (docs/statutory-lists.md); public_support is the same here (0.5 + 0.4)."""
    num = values(kvarter, "outside_labour", "numerator")
    assert num == pytest.approx({"k1": 0.9, "k2": 1.0, "k3": 0, "k4": 0, "rest": 0})
    assert values(kvarter, "outside_labour", "denominator")["k1"] == 3  # p1 p2 p3
    assert values(kvarter, "public_support", "numerator")["k1"] == pytest.approx(0.9)
    assert values(kvarter, "outside_labour")["k2"] == pytest.approx(0.5)


def test_youth_education_and_child_poverty(kvarter) -> None:
    """Equivalised household incomes: h1 100,000 / 1.3, h7 20,000 / 1.3, h11 500,000 / 1.5, the
    rest alone; the median over 12 residents is (150,000 + 200,000) / 2, the line 87,500: p4 and
    p8 are poor, p12 is not."""
    assert values(kvarter, "no_youth_education_25") == pytest.approx(
        {"k1": 1.0, "k2": 0.0, "k3": np.nan, "k4": np.nan, "rest": np.nan}, nan_ok=True
    )
    assert values(kvarter, "child_poverty") == pytest.approx(
        {"k1": 1.0, "k2": 1.0, "k3": np.nan, "k4": np.nan, "rest": 0.0}, nan_ok=True
    )


def test_register_interval_is_wilson(kvarter) -> None:
    """Wilson 95 % for 1 of 2: centre (0.5 + z²/4) / (1 + z²/2), half z / (1 + z²/2) *
    sqrt(0.125 + z²/16)."""
    z = 1.959963984540054
    centre = (0.5 + z * z / 4) / (1 + z * z / 2)
    half = z / (1 + z * z / 2) * np.sqrt(0.25 / 2 + z * z / 16)
    row = kvarter[(kvarter["indicator_id"] == "low_income") & (kvarter["unit_id"] == "k1")]
    assert row["ci_low"].item() == pytest.approx(centre - half, abs=1e-12)
    assert row["ci_high"].item() == pytest.approx(centre + half, abs=1e-12)
    assert not row["shrunk"].item() and row["effective_n"].item() == 2


def test_survey_weighted_share_and_kish_without_shrinkage(con) -> None:
    """k1: r1 (w 2, unsafe) and r2 (w 1, safe): 2 / 3, Kish n = 3² / 5 = 1.8; r5 has no answer;
    r6 has no address (run log); k4 has no respondents: no value, never a zero."""
    log = RunLog()
    frame = compute_indicators(
        con, year=YEAR, units="kvarterer", outside="rest", shrink=False, log=log,
        indicators=["unsafe_night"],
    )  # fmt: skip
    assert values(frame, "unsafe_night") == pytest.approx(
        {"k1": 2 / 3, "k2": 0.0, "k3": 1.0, "k4": np.nan, "rest": 0.0}, nan_ok=True
    )
    assert values(frame, "unsafe_night", "effective_n") == pytest.approx(
        {"k1": 1.8, "k2": 1, "k3": 1, "k4": 0, "rest": 1}
    )
    assert values(frame, "unsafe_night", "respondents")["k3"] == 1  # r5 did not answer
    assert values(frame, "unsafe_night", "note")["k4"] == "no_respondents"
    assert not frame["shrunk"].any()
    assert [(e.table, e.rows) for e in log.exclusions] == [("survey", 1)]  # r6


def test_survey_shrinkage_towards_the_district(con) -> None:
    """District shares: b1 (r1 r2 r3) 2 / 4; b2 (r4 r6 r7) 3 / 8. tau² by moments:
    1.8 (1/6)² + 0.5² + 0.625² + 0.375² - (2 x 0.25 + 2 x 0.234375) < 0, so tau² = 0 and every
    unit takes its district's share; k4 (nobody lives there) gets the city share 5 / 12."""
    frame = compute_indicators(
        con, year=YEAR, units="kvarterer", outside="rest", indicators=["unsafe_night"]
    )
    assert values(frame, "unsafe_night") == pytest.approx(
        {"k1": 0.5, "k2": 0.5, "k3": 0.375, "k4": 5 / 12, "rest": 0.375}
    )
    assert values(frame, "unsafe_night", "value_raw")["k1"] == pytest.approx(2 / 3)
    assert frame["shrunk"].all()
    k4 = frame[frame["unit_id"] == "k4"].iloc[0]
    assert k4["effective_n"] == 0 and k4["note"] == "no_respondents_district_value"
    assert np.isnan(k4["value_raw"]) and k4["ci_low"] < 5 / 12 < k4["ci_high"]


def test_city_and_cells(con) -> None:
    city = compute_indicators(con, year=YEAR, units="city", indicators=["low_income"])
    assert city[["unit_id", "numerator", "denominator", "residents"]].values.tolist() == [
        ["city", 2.0, 7.0, 12]
    ]
    cells = compute_indicators(con, year=YEAR, units="cells", indicators=["low_income"])
    assert len(cells) == 4 and cells["residents"].sum() == 12
    assert cells["unit_id"].str.match(r"^100m_\d{5}_\d{4}$").all()


def test_outside_units_are_counted_in_the_run_log(con) -> None:
    log = RunLog()
    frame = compute_indicators(
        con, year=YEAR, units="kvarterer", log=log, indicators=["low_income"]
    )
    assert "rest" not in set(frame["unit_id"])
    assert [(e.table, e.rows) for e in log.exclusions] == [("persons", 2)]


def test_geodataframe_units_and_housing_areas(con) -> None:
    west = gpd.GeoDataFrame(
        {"unit_id": ["w"]}, geometry=[box(X0 - 10, Y0 - 10, X0 + 400, Y0 + 200)], crs=CRS
    )
    frame = compute_indicators(
        con, year=YEAR, units=west, outside="rest", indicators=["low_income"]
    )
    assert values(frame, "low_income", "numerator") == {"w": 2.0, "rest": 0.0}
    ha = compute_indicators(con, year=YEAR, units="housing_areas", indicators=["low_income"])
    assert values(ha, "low_income", "residents") == {"ha1": 5, "ha2": 0}  # ha2: nobody lives there
    ha = compute_indicators(
        con, year=YEAR, units="housing_areas", outside="rest", indicators=["low_income"]
    )
    assert values(ha, "low_income", "residents") == {"ha1": 5, "ha2": 0, "rest": 7}
    assert values(ha, "low_income", "numerator") == {"ha1": 1, "ha2": 0, "rest": 1}


def test_groups_equal_their_union_as_one_unit(con) -> None:
    """A group of kvarterer gives the same row as one polygon covering exactly its members (every
    indicator: register, survey, standardised), next to the members' own rows."""
    west = gpd.GeoDataFrame(
        {"unit_id": ["west"]}, geometry=[box(X0, Y0, X0 + 400, Y0 + 200)], crs=CRS
    )
    grouped = compute_indicators(
        con, year=YEAR, units="kvarterer", groups={"west": ["k1", "k2"]}, shrink=False
    )
    union = compute_indicators(con, year=YEAR, units=west, shrink=False)
    plain = compute_indicators(con, year=YEAR, units="kvarterer", shrink=False)
    assert set(grouped["unit_id"]) == {"k1", "k2", "k3", "k4", "west"}
    members = grouped[grouped["unit_id"] != "west"].reset_index(drop=True)
    pd.testing.assert_frame_equal(members, plain)
    pd.testing.assert_frame_equal(
        grouped[grouped["unit_id"] == "west"].reset_index(drop=True),
        union.reset_index(drop=True),
        check_dtype=False,
    )
    assert values(grouped, "low_income", "numerator")["west"] == 2.0
    with pytest.raises(UdsatError, match="k9"):
        compute_indicators(con, year=YEAR, units="kvarterer", groups={"x": ["k1", "k9"]})
    with pytest.raises(UdsatError, match="k1"):
        compute_indicators(con, year=YEAR, units="kvarterer", groups={"k1": ["k2"]})
    with pytest.raises(UdsatError, match="cells"):
        compute_indicators(con, year=YEAR, units="cells", groups={"x": ["a"]})


def test_bad_arguments_are_named(con) -> None:
    with pytest.raises(UdsatError, match="nowhere"):
        compute_indicators(con, year=YEAR, units="nowhere")
    with pytest.raises(UdsatError, match="2030"):
        compute_indicators(con, year=2030)
    with pytest.raises(UdsatError, match="no_such"):
        compute_indicators(con, year=YEAR, indicators=["no_such"])
    with pytest.raises(UdsatError, match="outside"):
        compute_indicators(con, year=YEAR, outside="everywhere")


def test_direct_standardisation_end_to_end(con, tmp_path) -> None:
    """Age groups <50 and 50+ (no sex split). Standard: 9 young (p1 p11 chronic), 3 old (p5 p7):
    w = (0.75, 0.25), rates 2/9 and 2/3. k1: 1/4 young, 1/1 old: 0.75/4 + 0.25 = 0.4375;
    k2: 0/2, 1/1: 0.25; k3: 0/1, 0/1: 0; rest: 1/2 young and no old: 0.375 + 0.25 x 2/3."""
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    chronic = next(i for i in data["indicators"] if i["id"] == "chronic_disease_std")
    chronic["standardise"] = {"age_groups": [0, 50], "by_sex": False}
    data["indicators"] = [chronic]
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    frame = compute_indicators(
        con, year=YEAR, units="kvarterer", outside="rest", catalogue=load_catalogue(path)
    )
    assert values(frame, "chronic_disease_std") == pytest.approx(
        {"k1": 0.4375, "k2": 0.25, "k3": 0.0, "k4": np.nan, "rest": 0.375 + 0.25 * 2 / 3},
        nan_ok=True,
    )
    assert values(frame, "chronic_disease_std", "numerator") == {
        "k1": 2, "k2": 1, "k3": 0, "k4": 0, "rest": 1
    }  # fmt: skip
    note = values(frame, "chronic_disease_std", "note")
    assert note["rest"] == "strata_filled_with_city_rate" and note["k1"] == ""
    k1 = frame[frame["unit_id"] == "k1"].iloc[0]
    assert k1["ci_low"] < 0.4375 < k1["ci_high"]


def brute_knn(cells: pd.DataFrame, k: float, columns: list[str]) -> pd.DataFrame:
    """The k nearest residents of every cell, by sorting all cells by distance: rings of equal
    distance are taken whole until the one that crosses k, which contributes the fraction
    (k - before) / its people of each sum (docs/neighbourhoods.md)."""
    out = {}
    for cid, origin in cells.iterrows():
        d2 = (cells["row"] - origin["row"]) ** 2 + (cells["col"] - origin["col"]) ** 2
        sums = {c: 0.0 for c in columns}
        taken = 0.0
        for dist in sorted(set(d2)):
            ring = cells[d2 == dist]
            people = ring["people"].sum()
            f = min(1.0, (k - taken) / people)
            for c in columns:
                sums[c] += f * ring[c].sum()
            taken += f * people
            if taken >= k:
                break
        out[cid] = sums
    return pd.DataFrame.from_dict(out, orient="index")


@pytest.mark.parametrize("k", [1, 4, 7, 100])
def test_neighbourhoods_equal_a_brute_force(con, k) -> None:
    cells = compute_indicators(
        con, year=YEAR, units="cells", indicators=["low_income", "unsafe_night"]
    )
    nb = compute_indicators(
        con, year=YEAR, units="neighbourhoods", k=k, shrink=False,
        indicators=["low_income", "unsafe_night"],
    )  # fmt: skip
    wide = cells.pivot(index="unit_id", columns="indicator_id", values=["numerator", "denominator"])
    wide.columns = [f"{a}_{b}" for a, b in wide.columns]
    residents = cells.drop_duplicates("unit_id").set_index("unit_id")["residents"]
    grid = wide.assign(
        people=residents,
        row=[int(c.split("_")[1]) for c in wide.index],
        col=[int(c.split("_")[2]) for c in wide.index],
    )
    truth = brute_knn(grid, k, list(wide.columns))
    for ind in ("low_income", "unsafe_night"):
        for part in ("numerator", "denominator"):
            got = values(nb, ind, part)
            assert got == pytest.approx(truth[f"{part}_{ind}"].to_dict(), abs=1e-9)
    # the unit's residents are its own cell's, so they add up to the city
    assert nb.drop_duplicates("unit_id")["residents"].sum() == 12


def test_districts_shrink_towards_the_city(con) -> None:
    """Units that are the districts themselves: the target is the city share 5 / 12. b1 (r1 r2
    r3): 2 / 4 with n = 16 / 6; b2 (r4 r6 r7): 3 / 8 with n = 64 / 26 (r6 by its area_id is
    not placed in a unit, so b2's raw share is r4 and r7 only: 3 / 4)."""
    frame = compute_indicators(con, year=YEAR, units="bydele", indicators=["unsafe_night"])
    raw = values(frame, "unsafe_night", "value_raw")
    assert raw == pytest.approx({"b1": 0.5, "b2": 0.75})
    # tau² = (16/6 (1/2 - 5/12)² + 2 (3/4 - 5/12)² - 2 x 5/12 x 7/12) / (16/6 + 2) < 0: the city
    assert values(frame, "unsafe_night") == pytest.approx({"b1": 5 / 12, "b2": 5 / 12})


def test_a_year_without_survey_gives_no_survey_values(con) -> None:
    frame = compute_indicators(con, year=YEAR, units="kvarterer", indicators=["unsafe_night"])
    assert frame["value"].notna().all()
    con.execute("CREATE OR REPLACE TEMP TABLE survey_copy AS SELECT * FROM survey")
    try:
        # a temporary view shadows the dataset's survey view: the same columns, no rows
        con.execute("CREATE OR REPLACE TEMP VIEW survey AS SELECT * FROM survey_copy WHERE FALSE")
        empty = compute_indicators(con, year=YEAR, units="kvarterer", indicators=["unsafe_night"])
    finally:
        con.execute("DROP VIEW temp.survey")
        con.execute("DROP TABLE survey_copy")
    assert empty["value"].isna().all() and (empty["note"] == "no_respondents").all()
    assert not empty["shrunk"].any()


def test_confidence_must_be_a_probability(con) -> None:
    with pytest.raises(UdsatError, match="confidence"):
        compute_indicators(con, year=YEAR, confidence=95)
