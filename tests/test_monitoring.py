"""Goal framework, gaps and status on constructed series, and monitor() on the synthetic city."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from demo_run import DemoRun
from udsat.errors import UdsatError
from udsat.monitoring.goals import load_goals
from udsat.monitoring.monitor import (
    MonitoringResult,
    gap_table,
    status_table,
)
from udsat.publish import DisclosurePolicy
from udsat.publish import tables as specs

SUBGOALS = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]


def test_goals_file_covers_every_subgoal() -> None:
    goals = load_goals()
    assert [s.id for s in goals.subgoals] == SUBGOALS
    assert goals.baseline_year == 2025 and goals.target_year == 2035
    by_sub = {s: [i.id for i in goals.indicators if i.subgoal == s] for s in SUBGOALS}
    assert all(by_sub.values())
    for named in ("work_or_education", "public_support", "aktivitetsparat", "only_grundskole"):
        assert named in by_sub["1.1"]
    assert "life_expectancy" in by_sub["1.2"] and "no_youth_education_25" in by_sub["1.3"]
    assert {"unsafe_day", "unsafe_night", "voter_turnout"} <= set(by_sub["2.3"])
    no_data = {i.id for i in goals.indicators if i.kind == "no_data"}
    assert no_data == {
        "sixth_graders_in_clubs", "voter_turnout", "homes_affected_by_noise",
        "access_to_green_areas", "access_to_public_transport",
    }  # fmt: skip
    # The extra definitions join the catalogue the engine reads.
    assert goals.catalogue.get("aktivitetsparat").numerator == "aktivitetsparat"
    assert all(i.target == {"gap_factor": 0.5} for i in goals.indicators)


def test_bad_goals_file_names_file_and_entry(tmp_path: Path) -> None:
    text = Path(load_goals().path).read_text(encoding="utf-8")
    bad = tmp_path / "goals_bad.yaml"
    bad.write_text(
        text.replace("{id: outside_labour, kind: catalogue}", "{id: nope, kind: catalogue}")
    )
    with pytest.raises(UdsatError, match=r"goals_bad.yaml: delmål 1.1, indikator 'nope'"):
        load_goals(bad)
    bad.write_text(text.replace("{id: public_support, kind: catalogue}", "{id: x, kind: guess}"))
    where = r"'goals.0\[1\].subgoals.0\[1.1\].indicators.2\[x\].kind'"
    with pytest.raises(UdsatError, match=where + r".*'guess'"):
        load_goals(bad)


def _series(udsat: list[float], rest: list[float], years: list[int]) -> pd.DataFrame:
    rows = []
    for group, values in (("udsat", udsat), ("rest", rest)):
        for year, value in zip(years, values, strict=True):
            rows.append(("outside_labour", "1.1", year, group, value, np.nan, np.nan, 100, 1000))
    columns = ["indicator_id", "subgoal", "year", "group", "value", "ci_low", "ci_high"]
    return pd.DataFrame(rows, columns=[*columns, "numerator", "denominator"])


def test_gap_status_with_a_missing_year() -> None:
    """Gap 0.20 in 2015 falling 0.01 a year; 2019 missing in the vulnerable areas. Target in
    2035: half the 2025 gap (0.10 / 2 = 0.05); the line reaches 0.0 in 2035: on track."""
    years = list(range(2015, 2026))
    udsat = [0.30 - 0.01 * i for i in range(11)]
    udsat[4] = np.nan
    gaps = gap_table(_series(udsat, [0.10] * 11, years))
    row_2019 = gaps[gaps["year"] == 2019].iloc[0]
    assert np.isnan(row_2019["gap"]) and np.isnan(row_2019["ratio"])  # missing, not zero
    assert gaps.loc[gaps["year"] == 2015, "ratio"].iloc[0] == pytest.approx(3.0)
    goals = load_goals()
    one = replace(goals, indicators=tuple(i for i in goals.indicators if i.id == "outside_labour"))
    status = status_table(gaps, one).iloc[0]
    assert status["baseline_year"] == 2025 and status["baseline_gap"] == pytest.approx(0.10)
    assert status["target_gap_2035"] == pytest.approx(0.05)
    assert status["trend_per_year"] == pytest.approx(-0.01)
    assert status["projected_gap_2035"] == pytest.approx(0.0, abs=1e-9)
    assert status["status"] == "on_track"
    assert "over 10 år" in status["reason_da"] and "over 10 years" in status["reason_en"]


def test_suppression_blanks_small_cells() -> None:
    """The series as published (the one policy, udsat.publish.tables.MONITORING_SERIES): a
    numerator of 3 blanks the rate and the count; 6 of 10 leaves a complement of 4: blanked
    too; 50 of 100 stays."""
    series = _series([0.3, 0.2, 0.25], [0.1, 0.1, 0.1], [2023, 2024, 2025])
    series.loc[0, ["numerator", "denominator"]] = (3, 10)
    series.loc[1, ["numerator", "denominator"]] = (6, 10)
    series.loc[2, ["numerator", "denominator"]] = (50, 100)
    out = DisclosurePolicy().protect(series, specs.MONITORING_SERIES)
    assert np.isnan(out.loc[0, "value"]) and pd.isna(out.loc[0, "numerator"])
    assert np.isnan(out.loc[1, "value"]) and out.loc[1, "numerator"] == 6
    assert out.loc[2, "value"] == 0.25 and out.loc[2, "numerator"] == 50


YEARS = list(range(2015, 2026))


@pytest.fixture(scope="module")
def result(default_demo: DemoRun) -> MonitoringResult:
    """The demo's monitoring of the default city (every year, the 2017 areas)."""
    return default_demo.analyses.monitoring


def test_monitor_series_groups(result: MonitoringResult, default_demo: DemoRun) -> None:
    series = result.series
    areas = set(result.areas["group"])
    assert len(areas) == 17
    assert set(series["group"]) == {"udsat", "rest"} | areas
    assert sorted(series["year"].unique()) == YEARS
    # No published count of 1-4 people (the demo's table, through the publication layer).
    published = pd.read_csv(default_demo.out / "tables" / "monitoring_series.csv")
    counts = published[["numerator", "denominator"]].to_numpy(float)
    assert not ((counts > 0) & (counts < 5)).any()
    # The pooled group is exactly the areas: counts add up (a plain register share).
    ol = series[(series["indicator_id"] == "outside_labour") & (series["year"] == 2025)]
    per_area = ol[ol["group"].isin(areas)]
    pooled = ol[ol["group"] == "udsat"].iloc[0]
    assert pooled["denominator"] == per_area["denominator"].sum()
    assert pooled["numerator"] == pytest.approx(per_area["numerator"].sum())


def test_monitor_gaps_and_life_expectancy(result: MonitoringResult) -> None:
    gaps = result.gaps
    assert (gaps["gap"] - (gaps["udsat"] - gaps["rest"])).abs().max() < 1e-12
    le = result.series[result.series["indicator_id"] == "life_expectancy"]
    pooled = le[(le["group"] == "udsat") & (le["year"] == 2025)].iloc[0]
    rest = le[(le["group"] == "rest") & (le["year"] == 2025)].iloc[0]
    assert pooled["ci_low"] < pooled["value"] < pooled["ci_high"]
    assert 60 < pooled["value"] < rest["value"] < 95  # the synthetic city's health gradient
    assert pooled["numerator"] > 0  # deaths over the 3-year period


def test_monitor_status(result: MonitoringResult) -> None:
    status = result.status.set_index("indicator_id")
    assert set(status["status"]) <= {"on_track", "at_risk", "off_track", "missing"}
    for missing in ("voter_turnout", "homes_affected_by_noise", "sixth_graders_in_clubs"):
        assert status.at[missing, "status"] == "missing"
        assert status.at[missing, "reason_da"].startswith("Ingen data i dette datasæt")
    known = status[status["kind"] != "no_data"]
    assert (known["status"] != "missing").all()
    assert (known["baseline_year"] == 2025).all()
    assert np.allclose(known["target_gap_2035"], known["baseline_gap"] / 2)


def test_monitor_action_plan(result: MonitoringResult) -> None:
    plan = result.initiatives
    i01 = plan[plan["initiative_id"] == "I01"]
    # I01: 17 areas x sub-goals 1.1 (5 indicators, one a life table... not in 1.1) and 1.3.
    assert set(i01["subgoal"]) == {"1.1", "1.3"}
    assert i01["area"].nunique() == 17
    assert i01["text_da"].str.contains("ikke indsatsens effekt").all()
    assert i01["text_en"].str.contains("not the initiative's effect").all()
    # I03 names bydele 3, 8, 9 and 10: another layer, computed by the engine.
    assert {"bydele:8", "bydele:9"} <= set(plan.loc[plan["initiative_id"] == "I03", "area"])
    b8 = plan[(plan["area"] == "bydele:8") & (plan["indicator_id"] == "outside_labour")]
    assert b8["value_from"].notna().all() and (b8["area_name"] == "Bispebjerg").all()
    # The development's sign follows the indicator's direction.
    worse = plan[(plan["direction"] == "higher_is_worse") & (plan["change"] > 0)]
    assert (worse["development"] == "worsened").all()


@pytest.mark.parametrize(
    "text",
    [
        b" 2020-13-45",  # PyYAML: ValueError for an impossible date
        "version: æ\n".encode("latin-1"),  # not UTF-8
        b"[" * 5000,  # RecursionError in PyYAML
        b"version: x\nbaseline_year: 1\ntarget_year: 2\ngoals: 5\n",
        b"version: 1\nbaseline_year: 1\ntarget_year: 2\ngoals: [5]\n",
        b"version: 1\nbaseline_year: 1\ntarget_year: 2\ngoals: [{subgoals: [{id: 1}]}]\n",
        b"version: 1\nbaseline_year: 1\ntarget_year: 2\ngoals: []\ntarget: {gap_factor: x}\n",
        b"version: 1\nbaseline_year: 1\ntarget_year: 2\ngoals: []\nlife_table: {ages: [5, 1]}\n",
    ],
)
def test_hostile_goals_files_are_clear_errors(tmp_path: Path, text: bytes) -> None:
    path = tmp_path / "goals_hostile.yaml"
    path.write_bytes(text)
    with pytest.raises(UdsatError, match=r"goals_hostile\.yaml"):
        load_goals(path)


def test_initiatives_without_any_series_show_missing_not_a_crash(small_demo: DemoRun) -> None:
    """No goal series at all (e.g. no year with data): initiatives on another layer (bydele)
    cannot be measured; their rows show no value instead of a bare ValueError."""
    from udsat.contract.dataset import open_dataset
    from udsat.monitoring.initiatives import initiative_development
    from udsat.runlog import RunLog

    con = open_dataset(next(small_demo.cache.iterdir())).connect()
    empty = pd.DataFrame(columns=["indicator_id", "year", "group", "value"])
    plan = initiative_development(con, empty, load_goals(), "udsatte_byomraader_2017", RunLog())
    other = plan[plan["area"].astype(str).str.startswith("bydele:")]
    assert len(other) > 0 and other["value_latest"].isna().all()
