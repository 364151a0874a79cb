"""Classification at the edges of the law: at, just above and just below every threshold."""

import math

import pandas as pd
import pytest

from statelists_helpers import SAFE, area, figures
from udsat.statelists import compute_lists
from udsat.statelists.classify import people_to_flip

EPS = 1e-6
NATIONAL = 0.73
# The law's numbers, written here from the law's text (not read from the law file the code
# reads): (list year, criterion, tier, figure column, threshold, unit, operator).
# 2013 rules: L 45 (2013-14) § 61 a, stk. 1, nr. 1-5; 2018 rules: § 61 a, stk. 1-2 as amended by
# lov nr. 1322/2018; 2021 rules: § 61 a and § 61 b (L 23 2021-22); § 51 b kombineret udlejning.
LAW = [
    (2013, "e_nonwestern", "udsat", "nonwestern_pct", 50.0, "pct", ">"),
    (2013, "c1_outside", "udsat", "outside_pct", 40.0, "pct", ">"),
    (2013, "c2_convicted", "udsat", "convicted_pct", 2.7, "pct", ">"),
    (2013, "c3_education", "udsat", "basic_edu_pct", 50.0, "pct", ">"),
    (2013, "c4_income", "udsat", "income_pct_of_region", 55.0, "pct", "<"),
    (2018, "c1_outside", "udsat", "outside_pct", 40.0, "pct", ">"),
    (2018, "c2_convicted", "udsat", "convicted_pct", 3.0, "x_national", ">="),
    (2018, "c3_education", "udsat", "basic_edu_pct", 60.0, "pct", ">"),
    (2018, "c4_income", "udsat", "income_pct_of_region", 55.0, "pct", "<"),
    (2018, "e_nonwestern", "udsat", "nonwestern_pct", 50.0, "pct", ">"),
    (2021, "c1_outside", "udsat", "outside_pct", 40.0, "pct", ">"),
    (2021, "c2_convicted", "udsat", "convicted_pct", 3.0, "x_national", ">="),
    (2021, "c3_education", "udsat", "basic_edu_pct", 60.0, "pct", ">"),
    (2021, "c4_income", "udsat", "income_pct_of_region", 55.0, "pct", "<"),
    (2021, "e_nonwestern", "udsat", "nonwestern_pct", 50.0, "pct", ">"),
    (2021, "c1_outside", "forebyggelse", "outside_pct", 30.0, "pct", ">"),
    (2021, "c2_convicted", "forebyggelse", "convicted_pct", 2.0, "x_national", ">="),
    (2021, "c3_education", "forebyggelse", "basic_edu_pct", 60.0, "pct", ">"),
    (2021, "c4_income", "forebyggelse", "income_pct_of_region", 65.0, "pct", "<"),
    (2021, "e_nonwestern", "forebyggelse", "nonwestern_pct", 30.0, "pct", ">"),
    (2024, "k_outside", "kombineret", "outside_latest_pct", 40.0, "pct", ">="),
]
HOLDS = {">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b}
SUFFIX = {"udsat": "", "forebyggelse": "_fb", "kombineret": "_ku"}
CASES = [pytest.param(*case, id=f"{case[0]}-{case[1]}-{case[2]}") for case in LAW]


@pytest.mark.parametrize(("year", "key", "tier", "column", "value", "unit", "op"), CASES)
@pytest.mark.parametrize("offset", [-EPS, 0.0, EPS], ids=["below", "at", "above"])
def test_every_threshold_at_its_edges(year, key, tier, column, value, unit, op, offset) -> None:
    at = value * NATIONAL if unit == "x_national" else value
    row = area(year, national_convicted_pct=NATIONAL, **{column: at + offset})
    out = compute_lists(figures(row)).iloc[0]
    prefix = key + SUFFIX[tier]
    assert out[f"{prefix}_met"] == HOLDS[op](offset, 0.0)
    assert out[f"{prefix}_margin_pp"] == pytest.approx(offset, abs=1e-9)
    assert out[f"{prefix}_threshold"] == pytest.approx(at, abs=1e-12)


def test_forty_percent_is_not_above_forty() -> None:
    out = compute_lists(figures(area(outside_pct=100 * 400 / 1000))).iloc[0]
    assert out["c1_outside_value"] == 40.0
    assert not out["c1_outside_met"]


def test_exactly_three_times_the_national_average_meets_criterion_2() -> None:
    out = compute_lists(figures(area(convicted_pct=2.19, national_convicted_pct=0.73))).iloc[0]
    assert out["c2_convicted_threshold"] == 3 * 0.73
    out = compute_lists(figures(area(convicted_pct=3.0, national_convicted_pct=1.0))).iloc[0]
    assert out["c2_convicted_met"]
    assert out["c2_convicted_margin_pp"] == 0.0


def test_exactly_three_times_a_national_tenth_of_a_percent_is_met() -> None:
    """0.3 % against a national 0.1 %: 3 x 0.1 is 0.30000000000000004 in floating point, but
    the law's 'mindst 3 gange' holds (exact comparison); likewise 2 x for forebyggelse."""
    row = area(2022, convicted_pct=0.3, national_convicted_pct=0.1)
    out = compute_lists(figures(row)).iloc[0]
    assert 3 * 0.1 > 0.3  # the floating-point trap the comparison must not fall into
    assert out["c2_convicted_met"]
    fb = compute_lists(figures(area(2022, convicted_pct=0.2, national_convicted_pct=0.1)))
    assert fb.iloc[0]["c2_convicted_fb_met"]
    below = compute_lists(figures(area(2022, convicted_pct=0.2999999, national_convicted_pct=0.1)))
    assert not below.iloc[0]["c2_convicted_met"]


def test_2013_rules_fixed_crime_threshold_is_strict() -> None:
    out = compute_lists(figures(area(2016, convicted_pct=2.7, national_convicted_pct=5.0)))
    assert out.iloc[0]["c2_convicted_threshold"] == 2.7
    assert not out.iloc[0]["c2_convicted_met"]


@pytest.mark.parametrize(("residents", "listed"), [(999, False), (1000, True)])
def test_999_and_1000_residents(residents: int, listed: bool) -> None:
    row = area(residents=residents, outside_pct=50.0, convicted_pct=4.0, nonwestern_pct=70.0)
    out = compute_lists(figures(row)).iloc[0]
    assert out["udsat"] == listed and out["parallelsamfund"] == listed
    assert ("TOO_FEW_RESIDENTS" in out["reason_codes"]) != listed


def test_mjoelnerparken_966_residents_in_2023_leaves_all_lists() -> None:
    history = pd.DataFrame(
        {"year": range(2018, 2023), "area_name": "Mjølnerparken", "list": "parallelsamfund"}
    )
    row = area(
        2023,
        name="Mjølnerparken",
        residents=966,
        outside_pct=45.0,
        convicted_pct=3.5,
        basic_edu_pct=65.0,
        income_pct_of_region=50.0,
        nonwestern_pct=80.0,
    )
    out = compute_lists(figures(row), history).iloc[0]
    assert out["criteria_met"] == 4
    assert not any(out[k] for k in ("udsat", "parallelsamfund", "omdannelse", "forebyggelse"))
    assert out["reason_codes"] == "TOO_FEW_RESIDENTS;PEOPLE_MARGIN_ON_RESIDENTS"
    assert "966 beboere" in out["reasons"] and "under 1.000" in out["reasons"]
    with_1000 = compute_lists(figures({**row, "residents": 1000}), history).iloc[0]
    assert with_1000["omdannelse"]


@pytest.mark.parametrize(("convicted", "met"), [(32, False), (33, True)])
def test_askeroed_2022_one_conviction_decides_criterion_2(convicted: int, met: bool) -> None:
    national = 100 * 32.5 / 1476 / 3  # a national average that makes 33/1,476 meet 3x
    row = area(
        2022,
        name="Askerød",
        residents=1476,
        convicted_base=1476,
        convicted_pct=100 * convicted / 1476,
        national_convicted_pct=national,
        outside_pct=45.0,
        nonwestern_pct=60.0,
    )
    out = compute_lists(figures(row)).iloc[0]
    assert out["c2_convicted_met"] == met
    assert out["c2_convicted_margin_people"] == 1
    assert out["parallelsamfund"] == met
    if not met:
        assert "1 flere dømte beboere ville opfylde kriterium 2" in out["reasons"]


@pytest.mark.parametrize(
    ("value", "threshold", "base", "op", "expected"),
    [
        (100 * 400 / 1000, 40.0, 1000, ">", 1),  # 401 of 1,000 is above 40 %
        (100 * 401 / 1000, 40.0, 1000, ">", 1),  # one fewer is 40.0 %, not above
        (100 * 397 / 1000, 40.0, 1000, ">", 4),
        (100 * 30 / 1000, 3.0, 1000, ">=", 1),  # 30 of 1,000 is exactly 3 %: one fewer unmeets
        (100 * 27 / 1000, 3.0, 1000, ">=", 3),
        (50.0, 40.0, 0, ">", math.nan),
    ],
)
def test_people_margin_is_exact(value, threshold, base, op, expected) -> None:
    got = people_to_flip(value, threshold, base, op)
    assert (math.isnan(got) and math.isnan(expected)) or got == expected


def test_udsat_needs_two_criteria_and_2013_ghetto_three_of_five() -> None:
    one = area(outside_pct=50.0)
    two = area(area_id="a2", outside_pct=50.0, basic_edu_pct=70.0)
    out = compute_lists(figures(one, two))
    assert out["udsat"].tolist() == [False, True]
    two_2016 = area(2016, outside_pct=50.0, basic_edu_pct=70.0)
    three_2016 = area(2016, area_id="a2", outside_pct=50.0, basic_edu_pct=70.0, nonwestern_pct=51.0)
    out = compute_lists(figures(two_2016, three_2016))
    assert out["parallelsamfund"].tolist() == [False, True]
    assert out["udsat"].isna().all() and out["forebyggelse"].isna().all()
    assert (out["reason_codes"].str.contains("LIST_NOT_IN_FORCE")).all()


def test_forebyggelse_excludes_udsat_by_default_and_optionally_not() -> None:
    udsat_area = area(outside_pct=45.0, basic_edu_pct=65.0, nonwestern_pct=40.0)
    tier_below = area(area_id="a2", outside_pct=35.0, income_pct_of_region=60.0, nonwestern_pct=35)
    out = compute_lists(figures(udsat_area, tier_below))
    assert out["udsat"].tolist() == [True, False]
    assert out["forebyggelse"].tolist() == [False, True]
    assert "FOREBYGGELSE_SUPERSEDED" in out.iloc[0]["reason_codes"]
    both = compute_lists(
        figures(udsat_area, tier_below), settings={"forebyggelse_excludes_udsat": False}
    )
    assert both["forebyggelse"].tolist() == [True, True]


def test_missing_value_leaves_a_list_undecided_only_when_it_matters() -> None:
    settled = area(outside_pct=50.0, basic_edu_pct=70.0, income_pct_of_region=math.nan)
    open_ = area(area_id="a2", outside_pct=50.0, income_pct_of_region=math.nan)
    out = compute_lists(figures(settled, open_))
    assert out.iloc[0]["udsat"]
    assert out.iloc[1]["udsat"] is pd.NA
    assert "VALUE_MISSING" in out.iloc[1]["reason_codes"]


def test_every_listed_area_really_meets_its_rule() -> None:
    rows = [
        area(
            2023,
            area_id=f"a{i}",
            outside_pct=30 + i,
            convicted_pct=1.45 + 0.1 * i,
            basic_edu_pct=50 + i,
            nonwestern_pct=25 + 2 * i,
        )
        for i in range(25)
    ]
    out = compute_lists(figures(*rows))
    # every list has members, so the checks below cannot pass on empty lists
    counts = {
        k: int(out[k].astype(bool).sum()) for k in ("udsat", "parallelsamfund", "forebyggelse")
    }
    assert counts == {"udsat": 14, "parallelsamfund": 12, "forebyggelse": 5}
    listed = out[out["udsat"].astype(bool)]
    assert (listed["criteria_met"] >= 2).all() and (listed["residents"] >= 1000).all()
    ps = out[out["parallelsamfund"].astype(bool)]
    assert (ps["e_nonwestern_value"] > 50).all() and ps["udsat"].all()
    fb = out[out["forebyggelse"].astype(bool)]
    assert (fb["criteria_met_fb"] >= 2).all() and (fb["e_nonwestern_value"] > 30).all()
    assert not (fb["udsat"].astype(bool)).any()


def test_safe_area_is_not_listed() -> None:
    out = compute_lists(figures(area(**SAFE))).iloc[0]
    assert out["reason_codes"].startswith("NOT_LISTED")
    assert "Ikke på nogen liste" in out["reasons"]


def test_the_reasons_in_english_say_the_same() -> None:
    """The English sentence beside the Danish one: same figures, English words and number
    format, the same paragraphs cited."""
    row = area(
        2022,
        name="Askerød",
        residents=1476,
        convicted_base=1476,
        convicted_pct=100 * 32 / 1476,
        national_convicted_pct=100 * 32.5 / 1476 / 3,
        outside_pct=45.0,
        nonwestern_pct=60.0,
    )
    out = compute_lists(figures(row)).iloc[0]
    en, da = out["reasons_en"], out["reasons"]
    assert en.startswith("Askerød, list year 2022 (rules_2021.v2): 1,476 residents on 1 January")
    assert da.startswith("Askerød, listeår 2022 (rules_2021.v2): 1.476 beboere pr. 1. januar")
    assert "Criteria met: 1 of 4" in en and "Kriterier opfyldt: 1 af 4" in da
    assert "1 more person would meet criterion 2." in en
    assert "§ 61 a" in en and en.count("§") == da.count("§")
    safe = compute_lists(figures(area(**SAFE))).iloc[0]
    assert "On no list." in safe["reasons_en"]
