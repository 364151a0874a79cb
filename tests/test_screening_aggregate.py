"""The screening on the real 396-unit data (KK roder 2008-2014) and the aggregate CSV format."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from udsat.errors import DataContractError, UdsatError
from udsat.screening.aggregate import screen_aggregate
from udsat.screening.config import load_config

RODER = Path(__file__).parents[1] / "src" / "udsat" / "data" / "kk" / "socio_roder_2008_2014.csv"
CONFIG = load_config()


@pytest.fixture(scope="module")
def screened():
    return screen_aggregate(RODER, year=None)


def test_every_year_is_screened_with_every_unit(screened) -> None:
    raw = pd.read_csv(RODER)
    units = screened.units
    assert sorted(units["year"].unique()) == list(range(2008, 2015))
    assert units.groupby("year").size().to_dict() == raw.groupby("year").size().to_dict()
    for year, rows in units.groupby("year"):
        assert rows["rank"].min() == 1, year
        assert rows["vulnerable"].sum() > 0, year
    assert screened.areas.empty and screened.unit_geometry is None
    assert "ingen geometri" in screened.summary_da


def test_flags_follow_from_the_file_numbers(screened) -> None:
    raw = pd.read_csv(RODER)
    y = raw[raw["year"] == 2013]
    city = {}
    for column in ("pct_lav_indkomst", "pct_ingen_udd", "working_population_pct"):
        k = y[(y["number_residents"] > 0) & y[column].notna()]
        city[column] = (k[column] * k["number_residents"]).sum() / k["number_residents"].sum()
    units = screened.units[screened.units["year"] == 2013].set_index("name")
    # Tingbjerg 2013: low income 42.24 %, only grundskole 49.46 %, employed 69.82 %.
    ting = units.loc["Tingbjergs"]
    assert ting["income_ratio"] == pytest.approx(42.24 / city["pct_lav_indkomst"], rel=1e-6)
    assert ting["education_ratio"] == pytest.approx(49.46 / city["pct_ingen_udd"], rel=1e-6)
    labour = (100 - 69.82) / (100 - city["working_population_pct"])
    assert ting["labour_ratio"] == pytest.approx(labour, rel=1e-6)
    assert ting["criteria_flagged"] == 3 and bool(ting["vulnerable"])
    # Bispeparken 2013: income 40.90 % is 1.225 x the city (< 1.25, not flagged); 2 of 3 suffice.
    bisp = units.loc["Bispeparkens"]
    assert bisp["income_ratio"] == pytest.approx(40.90 / city["pct_lav_indkomst"], rel=1e-6)
    assert bool(bisp["income_flag"]) is False
    assert bool(bisp["education_flag"]) and bool(bisp["labour_flag"])
    assert bisp["criteria_required"] == 2 and bool(bisp["vulnerable"])
    # Universitetets: half the residents in education -> noted, never designated blindly.
    assert units.loc["Universitetets", "note"].startswith("students")
    assert not bool(units.loc["Universitetets", "vulnerable"])


def test_invariants_over_all_years(screened) -> None:
    u = screened.units
    for crit in ("income", "education", "labour"):
        flagged = u[f"{crit}_flag"].fillna(False).astype(bool)
        assert (u.loc[flagged, f"{crit}_ratio"] >= 1.25 - 1e-9).all()
        assert (u.loc[u[f"{crit}_flag"].eq(False), f"{crit}_ratio"] < 1.25).all()
    vul = u[u["vulnerable"]]
    assert (vul["criteria_flagged"] >= vul["criteria_required"]).all()
    assert (vul["note"] == "").all()
    assert (u.loc[u["residents"] < 100, "note"].str.contains("few_residents")).all()
    assert u[["youth_flag", "health_flag", "safety_flag"]].isna().all().all()


def test_2014_has_no_income_so_the_rule_scales(screened) -> None:
    y = screened.units[screened.units["year"] == 2014]
    assert y["income_flag"].isna().all()
    assert (y.loc[y["criteria_available"] == 2, "criteria_required"] == 1).all()


def test_one_year_and_a_missing_year() -> None:
    one = screen_aggregate(RODER, year=2010)
    assert set(one.units["year"]) == {2010} and one.year == 2010
    with pytest.raises(UdsatError, match="2030"):
        screen_aggregate(RODER, year=2030)


def test_documented_format_and_bad_rows(tmp_path: Path) -> None:
    good = pd.DataFrame(
        {
            "unit_id": ["a", "b", "c", "d"],
            "name": ["A", "B", "C", "D"],
            "year": 2020,
            "residents": [1000, 1000, 1000, 1000],
            "pct_lav_indkomst": [40.0, 20.0, 20.0, 20.0],  # city 25: a = 1.6
            "pct_ingen_udd": [25.0, 20.0, 20.0, 15.0],  # city 20: a = 1.25 exactly
            "working_population_pct": [70.0, 80.0, 90.0, 80.0],  # not employed 30 vs 20: 1.5
        }
    )
    path = tmp_path / "units.csv"
    good.to_csv(path, index=False)
    result = screen_aggregate(path, year=2020)
    a = result.units.set_index("unit_id").loc["a"]
    assert a["education_ratio"] == pytest.approx(1.25) and bool(a["education_flag"])
    assert a["criteria_flagged"] == 3 and bool(a["vulnerable"]) and a["rank"] == 1
    bad = good.assign(pct_ingen_udd=[25.0, 120.0, "x", 15.0])
    bad.to_csv(path, index=False)
    with pytest.raises(DataContractError) as err:
        screen_aggregate(path, year=2020)
    rules = {(p.rule, p.column) for p in err.value.problems}
    assert rules == {("not_number", "pct_ingen_udd"), ("share_range", "pct_ingen_udd")}
    assert all(p.file == str(path) for p in err.value.problems)
    assert "unit_id=b" in next(p for p in err.value.problems if p.rule == "share_range").examples[0]
