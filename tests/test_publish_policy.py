"""The one disclosure policy (udsat.publish.policy): each kind of table, at the exact limits, and
the refusals. Expected values are written out here, not derived from the code."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from udsat.errors import UdsatError
from udsat.publish import DisclosurePolicy, TableSpec, counts_table, publish, units_table, verify
from udsat.publish import tables as specs

POLICY = DisclosurePolicy()  # DST's rule: nothing about fewer than 5 people


def test_counts_blank_1_to_4_and_keep_0_and_5() -> None:
    frame = pd.DataFrame({"unit_id": list("abcde"), "residents": [0, 1, 4, 5, 1200]})
    out = POLICY.protect(frame, counts_table("residents"))
    assert out["residents"].tolist()[:1] == [0]
    assert out["residents"].isna().tolist() == [False, True, True, False, False]
    assert out["residents"].dtype == "Int64"  # whole numbers stay whole
    assert out["suppressed"].tolist() == ["", "residents", "residents", "", ""]


def test_units_blank_every_figure_about_a_small_units_people() -> None:
    frame = pd.DataFrame(
        {
            "area_id": ["small", "edge", "big"],
            "residents": [4, 5, 900],
            "c1_value": [50.0, 40.0, 12.5],
            "c1_threshold": [40.0, 40.0, 40.0],
            "c1_met": [True, True, False],
            "reasons": ["x", "y", "z"],
        }
    )
    spec = units_table("residents", about=("*_value", "*_met", "reasons"))
    out = POLICY.protect(frame, spec)
    assert out["residents"].isna().tolist() == [True, False, False]
    assert out["c1_value"].isna().tolist() == [True, False, False]
    assert out["c1_met"].isna().tolist() == [True, False, False]
    assert out["reasons"].isna().tolist() == [True, False, False]
    assert out["c1_threshold"].tolist() == [40.0, 40.0, 40.0]  # not about the unit's people
    assert out.loc[0, "suppressed"] == "residents;c1_value;c1_met;reasons"


def test_rates_rest_on_numerator_denominator_and_complement() -> None:
    frame = pd.DataFrame(
        {
            "numerator": [3, 50, 50, 0, 2],
            "denominator": [100, 54, 100, 4, 100],
            "value": [0.03, 50 / 54, 0.5, 0.0, 0.02],
        }
    )
    spec = TableSpec(
        "rates",
        counts=("numerator", "denominator"),
        rates=(("value", "numerator", "denominator"),),
    )
    out = POLICY.protect(frame, spec)
    # 3 people; 4 outside the numerator; fine; a base of 4; 2 people
    assert out["value"].isna().tolist() == [True, True, False, True, True]
    assert out["numerator"].isna().tolist() == [True, False, False, False, True]
    assert out["denominator"].isna().tolist() == [False, False, False, True, False]


def test_protect_is_idempotent_and_keeps_its_marks() -> None:
    frame = pd.DataFrame({"residents": [2, 7]})
    once = POLICY.protect(frame, counts_table("residents"))
    twice = POLICY.protect(once, counts_table("residents"))
    pd.testing.assert_frame_equal(once, twice)


def test_check_refuses_a_small_count_and_an_undeclared_count(monkeypatch) -> None:
    raw = pd.DataFrame({"unit_id": ["a", "b"], "residents": [2, 80]})
    with pytest.raises(UdsatError, match=r"t\.csv: kolonnen 'residents' har 1 rækker med tal for"):
        POLICY.check(raw, counts_table("residents"), "t.csv")
    monkeypatch.setenv("UDSAT_LANG", "en")
    with pytest.raises(UdsatError, match=r"t\.csv: column 'residents' holds 1 rows .* 1-4 people"):
        POLICY.check(raw, counts_table("residents"), "t.csv")
    sneaky = pd.DataFrame({"unit_id": ["a"], "residents": [80], "households": [3]})
    with pytest.raises(UdsatError, match=r"'households'.*TableSpec"):
        POLICY.check(sneaky, counts_table("residents"), "t.csv")
    with pytest.raises(UdsatError, match=r"'overlap_residents'"):
        POLICY.check(pd.DataFrame({"overlap_residents": [9]}), counts_table(), "c.csv")


def test_a_refused_table_publishes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, lambda s: s.table("a.csv", pd.DataFrame({"residents": [9]}), specs.RESIDENTS), {})
    before = (out / "a.csv").read_bytes()
    undeclared = pd.DataFrame({"residents": [9], "aged_0": [2]})
    with pytest.raises(UdsatError, match="aged_0"):
        publish(out, lambda s: s.table("a.csv", undeclared, specs.RESIDENTS), {})
    assert (out / "a.csv").read_bytes() == before and verify(out).ok


def test_the_limit_is_the_policys() -> None:
    frame = pd.DataFrame({"residents": [5, 9, 10]})
    out = DisclosurePolicy(limit=10).protect(frame, counts_table("residents"))
    assert out["residents"].isna().tolist() == [True, True, False]


def test_neighbourhood_counts_of_1_to_4_go_with_their_share() -> None:
    frame = pd.DataFrame(
        {
            "people_k1000": [1000, 1000],
            "grundskole_k1000": [3, 40],
            "grundskole_share_k1000": [0.003, 0.04],
            "radius_k1000": [310.0, 280.0],
        }
    )
    spec = specs.neighbourhoods(list(frame.columns))
    out = POLICY.protect(frame, spec)
    assert out["grundskole_k1000"].isna().tolist() == [True, False]
    assert np.isnan(out.loc[0, "grundskole_share_k1000"])
    assert out.loc[1, "grundskole_share_k1000"] == 0.04
    assert out["people_k1000"].tolist() == [1000, 1000]  # ~k people: not a small cell


def test_the_state_lists_spec_keeps_thresholds_and_lists() -> None:
    frame = pd.DataFrame(
        {
            "area_id": ["tiny"],
            "residents": [3],
            "c2_convicted_value": [33.3],
            "c2_convicted_threshold": [2.26],
            "c2_convicted_margin_people": [1.0],
            "criteria_met": [2],
            "parallelsamfund": [False],
        }
    )
    out = POLICY.protect(frame, specs.STATE_LISTS)
    row = out.iloc[0]
    assert pd.isna(row["residents"]) and pd.isna(row["c2_convicted_value"])
    assert pd.isna(row["c2_convicted_margin_people"]) and pd.isna(row["criteria_met"])
    assert row["c2_convicted_threshold"] == 2.26 and not bool(row["parallelsamfund"])
