"""Calibration of the default synthetic Copenhagen against published figures.

Targets: Politik for udsatte byområder 2025-2035 (2017 policy areas vs the rest of the city),
Københavns Tryghedsundersøgelse, the KK 'roder' open data 2008-2014, the state's list rules.
Definitions are in udsat.synth.measure and docs/synthetic-data.md.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from udsat.contract.dataset import Dataset
from udsat.statelists.microdata import References
from udsat.statelists.run import lists_for_data
from udsat.synth import measure

ROder = Path(__file__).parents[1] / "src" / "udsat" / "data" / "kk" / "socio_roder_2008_2014.csv"
PP = 0.01  # one percentage point

# (indicator, inside 2017 areas, outside) in 2023: None = not a target.
REGISTER_TARGETS = [
    ("no_attachment", 0.173, None),
    ("only_grundskole", 0.184, 0.094),
    ("temporary", 0.113, 0.113 / 2),
    ("aktivitetsparat", 0.037, 0.017),
]


@pytest.fixture(scope="module")
def con(default_city: Path) -> duckdb.DuckDBPyConnection:
    return measure.connect(default_city)


@pytest.fixture(scope="module")
def indicators(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return measure.policy_indicators(con)


@pytest.mark.parametrize(("name", "inside", "outside"), REGISTER_TARGETS)
def test_register_targets_2023(
    indicators: pd.DataFrame, name: str, inside: float, outside: float | None
) -> None:
    row = indicators[indicators.year == 2023].set_index("inside")[name]
    assert abs(row[True] - inside) <= PP, f"{name} inside: {row[True]:.4f} vs {inside}"
    if outside is not None:
        assert abs(row[False] - outside) <= PP, f"{name} outside: {row[False]:.4f} vs {outside}"


def test_deprived_areas_improve_mildly(indicators: pd.DataFrame) -> None:
    inside = indicators[indicators.inside].set_index("year")
    assert inside.no_attachment[2015] > inside.no_attachment[2025]
    assert inside.only_grundskole[2015] > inside.only_grundskole[2025]


def test_life_expectancy_gap(con: duckdb.DuckDBPyConnection) -> None:
    e0 = measure.life_expectancy(con, (2019, 2024)).set_index("group").e0
    assert 79.5 <= e0["city"] <= 82.0
    assert abs((e0["outside"] - e0["inside"]) - 3.5) <= 0.75, e0.to_dict()


def test_feeling_safe(con: duckdb.DuckDBPyConnection) -> None:
    s = measure.survey_safety(con)
    city = s[(s.level == "city") & (s.year == 2023)].iloc[0]
    assert abs(city.day - 0.87) <= 0.015 and abs(city.night - 0.77) <= 0.015
    bydel = s[(s.level == "bydel") & (s.year == 2024)]
    assert abs(bydel.day.min() - 0.79) <= 0.03 and abs(bydel.day.max() - 0.95) <= 0.03
    areas = s[(s.level == "policy_unit") & (s.year == 2023) & (s.n >= 100)]
    assert 0.5 <= areas.night.min() <= 0.68  # about 60 % at night in some vulnerable areas


def test_small_area_spread_resembles_the_real_roder(con: duckdb.DuckDBPyConnection) -> None:
    synthetic = measure.small_area_shares(con, 2015)
    assert 480 <= len(synthetic) <= 520 and synthetic.residents.median() == pytest.approx(
        1300, rel=0.1
    )
    table = measure.spread_comparison(synthetic, measure.real_roder(ROder))
    worst = table.loc[table.difference.abs().idxmax()]
    assert table.difference.abs().max() <= 8.0, worst.to_dict()


@pytest.fixture(scope="module")
def lists(default_dataset: Dataset) -> pd.DataFrame:
    """The state's lists computed by the real engine (udsat.statelists) on the synthetic city."""
    con = default_dataset.connect()
    return lists_for_data(con, References(data_is_reference=True))


def test_housing_areas_and_state_list_dynamics(lists: pd.DataFrame) -> None:
    big = lists[lists.residents_ok.astype(bool)].groupby("list_year").size()
    assert big.min() >= 12
    members = lists.assign(
        udsat=lists.udsat.fillna(False).astype(bool),
        forebyggelse=lists.forebyggelse.fillna(False).astype(bool),
    )
    per_area = members.groupby("area_id")[["udsat", "forebyggelse"]].agg(["min", "max"])
    crosses = (per_area[("udsat", "min")] != per_area[("udsat", "max")]) | (
        per_area[("forebyggelse", "min")] != per_area[("forebyggelse", "max")]
    )
    assert crosses.sum() >= 3  # several areas cross a threshold in some years and not in others
    per_year = members.groupby("list_year")[["udsat", "forebyggelse"]].sum()
    assert (per_year.loc[2021:, "forebyggelse"] >= 3).all()  # § 61 b lists exist from 2021
    assert per_year.loc[2018:, "udsat"].max() >= 3 and per_year.loc[2018:, "udsat"].min() <= 2


def test_national_conviction_share(con: duckdb.DuckDBPyConnection) -> None:
    share = con.execute(
        """SELECT avg((convictions_straffeloven + convictions_vaabenloven
                       + convictions_euf > 0)::INT) FROM persons WHERE age >= 18"""
    ).fetchone()[0]
    assert 0.006 <= share <= 0.009  # 3 x average is about 2.2 %


# The state's criterion 1 (almenboligloven § 61 a, stk. 1, nr. 1): residents aged 18-64 outside
# the labour market and education, in full-time persons, mean of the two yearly shares (row years
# L-1 and L for the list of 1 December L), met above 40 %. Counted: every public benefit except
# those BL's guidance leaves out (SU, barselsdagpenge, sygedagpenge, fleksjob, efterløn); one
# person counts at most one full-time year. Written here independently of udsat.statelists.
C1_BENEFITS = (
    "kontanthjaelp",
    "uddannelseshjaelp",
    "selvforsoergelse",
    "dagpenge",
    "foertidspension",
    "ressourceforloeb",
    "jobafklaring",
    "ledighedsydelse",
    "revalidering",
)
C1_THRESHOLD = 40.0  # percent, strictly greater
MIN_RESIDENTS = 1000  # on 1 January of the list year
# Published: Mjølnerparken, 43.5 % on the list of 1 December 2017 (the ministry's list, cited in
# ../shared/reference/statutory-lists.md); the eight areas above 40 % on the list of 1 December
# 2024 (kombineret udlejning, 40.7-46.2 % for 2023) include none in Copenhagen.
MJOLNERPARKEN_2017 = 43.5


@pytest.fixture(scope="module")
def criterion1(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """area_id, list_year, value (%) for the housing areas with >= 1,000 residents."""
    outside = " + ".join(f"p.fte_{b}" for b in C1_BENEFITS)
    yearly = con.execute(
        f"""SELECT a.housing_area_id AS area_id, p.year, count(*) AS residents,
                   sum(CASE WHEN p.age BETWEEN 18 AND 64 THEN least(1.0, {outside}) END)
                   / count(CASE WHEN p.age BETWEEN 18 AND 64 THEN 1 END) * 100 AS share
            FROM persons p JOIN addresses a USING (address_id)
            WHERE a.housing_area_id IS NOT NULL GROUP BY ALL"""
    ).df()
    previous = yearly.assign(year=yearly.year + 1)[["area_id", "year", "share"]]
    both = yearly.merge(previous, on=["area_id", "year"], suffixes=("", "_before"))
    both = both[both.residents >= MIN_RESIDENTS]
    value = (both.share + both.share_before) / 2
    return pd.DataFrame({"area_id": both.area_id, "list_year": both.year, "value": value})


def test_criterion1_follows_the_published_figures(criterion1: pd.DataFrame) -> None:
    """The worst estates above 40 % in the late 2010s, none in Copenhagen by the 2024 list."""
    top = criterion1.groupby("list_year").value.max()
    met = criterion1.value > C1_THRESHOLD
    above = criterion1[met].groupby("list_year").size().reindex(top.index, fill_value=0)
    assert list(top.index) == list(range(2016, 2026))
    assert abs(top[2017] - MJOLNERPARKEN_2017) <= 2.0, top.round(1).to_dict()
    assert (top.loc[2016:2018] > C1_THRESHOLD).all(), top.round(1).to_dict()
    assert above.loc[2016:2019].sum() >= 4, above.to_dict()  # met in several area-years
    assert above.loc[2023] <= 1 and (above.loc[2024:2025] == 0).all(), above.to_dict()
    assert top[2025] < top[2017] - 5.0  # the worst estates improve: about a point a year


def test_the_engine_meets_criterion_1_where_the_calibration_puts_it(
    lists: pd.DataFrame, criterion1: pd.DataFrame
) -> None:
    """udsat.statelists (the law file's benefit set, exact comparison) meets criterion 1 in
    exactly the area-years the independent computation above puts over 40 %."""
    engine = lists[lists.residents_ok.astype(bool)].set_index(["area_id", "list_year"])
    mine = criterion1.set_index(["area_id", "list_year"]).reindex(engine.index)
    assert mine.value.notna().all()
    assert engine.c1_outside_value.to_numpy() == pytest.approx(mine.value.to_numpy(), abs=1e-6)
    met = engine.c1_outside_met.astype(bool)
    assert met.sum() >= 4  # criterion 1 is met in the synthetic city (7 area-years, 2016-2018)
    assert (met == (mine.value > C1_THRESHOLD)).all()
