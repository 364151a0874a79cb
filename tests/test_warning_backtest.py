"""The backtest of the early warning (udsat.warning.backtest): Brier scores, area-resampled
intervals, the fair baselines from earlier years only, entries and exits, rule-change years from
the law, interval coverage and the Markdown, on hand-built frames with numbers worked out by
hand; one run on the default synthetic city."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from udsat.statelists.microdata import References, figures_from_counts, needed_years
from udsat.statelists.rules import LAW_PATH, first_list_year, law_from_mapping, ruleset_for_year
from udsat.strict import read_yaml
from udsat.warning.backtest import (
    BacktestResult,
    Target,
    area_weights,
    backtest,
    baselines,
    coverage,
    for_years,
    last_figures_calls,
    render_markdown,
    resampled_difference,
    rule_change,
    score,
    statuses,
    summarise,
)
from udsat.warning.model import Prepared

OWN = References(data_is_reference=True)  # one municipality: its own reference
BASELINES = ("persistence", "rates", "last_figures", "last_figures_rates")


def _rows(records: list[tuple], target: str = "parallelsamfund", **extra) -> pd.DataFrame:
    """Scored rows from (list_year, area, outcome, prior, p_model, p_persistence); the other
    baselines equal the model unless given in `extra` (column -> list)."""
    frame = pd.DataFrame(
        records, columns=["list_year", "area_id", "outcome", "prior", "p_model", "p_persistence"]
    )
    kind = "criterion" if target.startswith("c") else "list"
    role = "not pooled" if target in ("udsat", "omdannelse") else "event"
    frame = frame.assign(target=target, kind=kind, role=role, rule_change=False)
    frame["p_announced"] = np.nan
    for name in ("rates", "last_figures", "last_figures_rates"):
        frame[f"p_{name}"] = frame["p_model"]
    for column, values in extra.items():
        frame[column] = values
    return frame


# 3 areas x 2 years. Squared errors of the model: A 0.01, 0.04; B 0.01, 0; C 0.04, 0.25
# (sum 0.35); of persistence: only C 2023 misses (1). Brier 0.35 / 6 and 1 / 6.
THREE = [
    (2022, "A", 1, 1, 0.9, 1.0),
    (2023, "A", 1, 1, 0.8, 1.0),
    (2022, "B", 0, 0, 0.1, 0.0),
    (2023, "B", 0, 0, 0.0, 0.0),
    (2022, "C", 0, 0, 0.2, 0.0),
    (2023, "C", 1, 0, 0.5, 0.0),
]


def _score_row(scores: pd.DataFrame, target: str, split: str = "all", period: str = "stable"):
    row = scores[
        (scores["target"] == target) & (scores["split"] == split) & (scores["period"] == period)
    ]
    assert len(row) == 1, (target, split, period)
    return row.iloc[0]


def test_brier_scores_entries_exits_and_pools() -> None:
    # udsat: the same events again, reported on its own and never pooled.
    rows = pd.concat([_rows(THREE), _rows(THREE, "udsat")], ignore_index=True)
    scores, diffs = score(rows, resamples=200, seed=1)
    lists = _score_row(scores, "lists")
    assert lists["role"] == "pool" and lists["n"] == 6 and lists["events"] == 3  # not 12 / 6
    assert lists["brier_model"] == pytest.approx(0.35 / 6)
    assert lists["brier_persistence"] == pytest.approx(1 / 6)
    assert _score_row(scores, "udsat")["role"] == "not pooled"
    assert _score_row(scores, "udsat")["brier_model"] == pytest.approx(0.35 / 6)
    # Entries: the area-years not listed in Y-1 (B and C); exits: listed in Y-1 (A).
    entries = _score_row(scores, "parallelsamfund", "entries")
    assert (entries["n"], entries["events"]) == (4, 1)
    assert entries["brier_model"] == pytest.approx((0.01 + 0 + 0.04 + 0.25) / 4)
    assert entries["brier_persistence"] == pytest.approx(1 / 4)
    exits = _score_row(scores, "parallelsamfund", "exits")
    assert (exits["n"], exits["events"]) == (2, 2)
    assert exits["brier_model"] == pytest.approx(0.05 / 2)
    assert exits["brier_persistence"] == 0
    # No rule-change year: no such period, and "all" would repeat "stable".
    assert set(scores["period"]) == {"stable", "all"}
    pooled = diffs[(diffs["target"] == "lists") & (diffs["split"] == "all")]
    pooled = pooled[pooled["period"] == "stable"].set_index("baseline")
    assert pooled.at["persistence", "difference"] == pytest.approx(0.35 / 6 - 1 / 6)
    # Per-area mean differences A +0.025, B +0.005, C -0.355 (two rows each): every resample's
    # difference lies between the extremes.
    lo, hi = pooled.at["persistence", "lo"], pooled.at["persistence", "hi"]
    assert -0.355 - 1e-12 <= lo < pooled.at["persistence", "difference"] < hi <= 0.025 + 1e-12
    assert not pooled.at["persistence", "excludes_zero"]  # hi > 0 (every resample of A alone)
    # The other baselines equal the model: 0 in every area, interval [0, 0], not excluding 0.
    for base in ("rates", "last_figures", "last_figures_rates"):
        assert pooled.at[base, "difference"] == 0
        assert (pooled.at[base, "lo"], pooled.at[base, "hi"]) == (0.0, 0.0)
        assert not pooled.at[base, "excludes_zero"]


def test_announced_rules_scored_beside_where_they_differ() -> None:
    rows = _rows(THREE).assign(rule_change=True)
    same = rows.assign(p_announced=rows["p_model"])
    scores, diffs = score(same, resamples=50, seed=1)
    assert scores["brier_announced"].isna().all() and set(diffs["forecast"]) == {"model"}
    other = rows.assign(p_announced=0.5)  # (0.5 - y)^2 = 0.25 in every row
    scores, diffs = score(other, resamples=50, seed=1)
    change = _score_row(scores, "lists", period="rule change")
    assert change["brier_announced"] == pytest.approx(0.25)
    assert set(diffs["forecast"]) == {"model", "announced"}


def test_area_resampling_by_hand() -> None:
    weights = area_weights(2, 1000, seed=3)
    assert weights.shape == (1000, 2) and (weights.sum(axis=1) == 2).all()
    # Area 0: two rows with a difference of 0.25; area 1: two rows with 1.0. A resample is AA
    # (0.25, p = 1/4), AB (0.625, p = 1/2) or BB (1.0, p = 1/4): the 2.5 and 97.5 percentiles
    # of 1000 resamples are the extremes.
    codes = np.array([0, 0, 1, 1])
    lo, hi = resampled_difference(codes, np.array([0.25, 0.25, 1.0, 1.0]), np.zeros(4), weights)
    assert (lo, hi) == (0.25, 1.0)
    same = np.array([0.3, 0.1, 0.7, 0.2])
    assert resampled_difference(codes, same, same, weights) == (0.0, 0.0)
    # Same seed, same weights.
    assert (area_weights(2, 1000, seed=3) == weights).all()


PS = {  # parallelsamfund per list year and area
    2020: [1, 0, 0, 0],
    2021: [1, 1, 0, 0],
    2022: [0, 1, 0, 1],
    2023: [0, 1, 1, 1],
}
FB = {2020: [None] * 4, 2021: [0, 1, 0, 0], 2022: [0, 1, 1, 0], 2023: [0, 0, 1, 0]}
AREAS = ["a", "b", "c", "d"]
TARGETS = [Target("parallelsamfund", "list", "event"), Target("forebyggelse", "list", "event")]


def _lists(ps: dict, fb: dict) -> pd.DataFrame:
    frames = [
        pd.DataFrame(
            {
                "list_year": year,
                "area_id": AREAS,
                "parallelsamfund": pd.array(ps[year], dtype="boolean"),
                "forebyggelse": pd.array(fb[year], dtype="boolean"),
            }
        )
        for year in ps
    ]
    return pd.concat(frames, ignore_index=True)


def _calls(calls: dict) -> pd.DataFrame:
    return pd.concat(
        [
            pd.DataFrame({"list_year": y, "area_id": AREAS, "target": "parallelsamfund", "call": c})
            for y, c in calls.items()
        ],
        ignore_index=True,
    )


CALLS = {2021: [1.0, 0.0, 0.0, 1.0], 2022: [1.0, 1.0, 0.0, 1.0], 2023: [0.0, 1.0, 1.0, np.nan]}


def _baseline(frame: pd.DataFrame, target: str, year: int, column: str) -> list[float]:
    rows = frame[(frame["target"] == target) & (frame["list_year"] == year)]
    return rows.set_index("area_id").loc[AREAS, column].tolist()


def test_rates_learn_from_earlier_years_only() -> None:
    frame = baselines(statuses(_lists(PS, FB), TARGETS), _calls(CALLS))
    # Persistence: the status of Y-1; forebyggelse is not in force in 2020 (the law's 2018
    # rules), so 2021 starts from 0.
    assert _baseline(frame, "parallelsamfund", 2022, "p_persistence") == [1, 1, 0, 0]
    assert _baseline(frame, "forebyggelse", 2021, "p_persistence") == [0, 0, 0, 0]
    # Rates of parallelsamfund. 2021: no earlier transition (no list of 2019): persistence.
    assert _baseline(frame, "parallelsamfund", 2021, "p_rates") == [1, 0, 0, 0]
    # 2022 from the transitions into 2021: from 1: a stays (1/1); from 0: b enters, c, d do not
    # (1/3).
    assert _baseline(frame, "parallelsamfund", 2022, "p_rates") == pytest.approx(
        [1, 1, 1 / 3, 1 / 3]
    )
    # 2023 from 2021 and 2022: from 1: a21 stays, a22 exits, b22 stays (2/3); from 0: b21 and
    # d22 enter, c21, d21, c22 do not (2/5). Priors 2022: a 0, b 1, c 0, d 1.
    assert _baseline(frame, "parallelsamfund", 2023, "p_rates") == pytest.approx(
        [2 / 5, 2 / 3, 2 / 5, 2 / 3]
    )
    # forebyggelse: 2021 has no prior in force, so the first transitions are into 2022; the
    # 2022 rates fall back to persistence, 2023 learns 0->1 = 1/3 (c of a, c, d), 1->1 = 1/1.
    assert _baseline(frame, "forebyggelse", 2022, "p_rates") == [0, 1, 0, 0]
    assert _baseline(frame, "forebyggelse", 2023, "p_rates") == pytest.approx([1 / 3, 1, 1, 1 / 3])
    # Last figures softened: 2021 has no earlier pair (the call itself); 2022 from 2021's pairs
    # (call 1: a listed, d not -> 1/2; call 0: b listed, c not -> 1/2); 2023 from 2021-2022
    # (call 1: a21 1, d21 0, a22 0, b22 1, d22 1 -> 3/5; call 0: b21 1, c21 0, c22 0 -> 1/3);
    # an unknown call stays unknown.
    assert _baseline(frame, "parallelsamfund", 2021, "p_last_figures_rates") == [1, 0, 0, 1]
    assert _baseline(frame, "parallelsamfund", 2022, "p_last_figures_rates") == [0.5] * 4
    got = _baseline(frame, "parallelsamfund", 2023, "p_last_figures_rates")
    assert got[:3] == pytest.approx([1 / 3, 3 / 5, 3 / 5]) and np.isnan(got[3])

    # A later year's outcomes never change an earlier year's rates.
    later = copy.deepcopy(PS)
    later[2023] = [1 - v for v in PS[2023]]
    other = baselines(statuses(_lists(later, FB), TARGETS), _calls(CALLS))
    for year in (2021, 2022, 2023):
        for column in ("p_rates", "p_last_figures_rates"):
            assert _baseline(other, "parallelsamfund", year, column) == pytest.approx(
                _baseline(frame, "parallelsamfund", year, column), nan_ok=True
            )
    # ... while an earlier one does (a stays in 2022 instead of exiting: 3/3 from 1 in 2023).
    earlier = copy.deepcopy(PS)
    earlier[2022] = [1, 1, 0, 1]
    changed = baselines(statuses(_lists(earlier, FB), TARGETS), _calls(CALLS))
    assert _baseline(changed, "parallelsamfund", 2023, "p_rates")[1] == pytest.approx(1.0)


def test_rule_change_years_come_from_the_law() -> None:
    changes = [y for y in range(first_list_year() + 1, 2031) if rule_change(y)]
    assert changes == [2018, 2021]
    assert rule_change(first_list_year())  # no rules the year before
    # A new criterion 2 threshold dated 1 December 2023 makes 2023 a rule-change year too.
    raw = read_yaml(LAW_PATH)
    assert isinstance(raw, dict)
    dated = raw["criteria"]["c2_convicted"]["thresholds"]["udsat"]
    dated[dt.date(2023, 12, 1)] = {**dated[max(dated)], "value": 3.5}
    amended = law_from_mapping(raw, "amended.yaml")
    changes = [y for y in range(first_list_year() + 1, 2031) if rule_change(y, amended)]
    assert changes == [2018, 2021, 2023]


def test_last_figures_never_read_the_forecast_year() -> None:
    # Under every era of the law, the figures of list year Y-1 read rows before Y only.
    for year in range(first_list_year() + 1, 2040):
        assert max(needed_years(ruleset_for_year(year), year - 1)) < year, year


class _Counts:
    """The counts of hand-built row years, figured as the lists engine does."""

    def __init__(self, counts: pd.DataFrame, areas: pd.DataFrame, regions: pd.Series) -> None:
        self.counts, self.areas, self.regions = counts, areas, regions
        self.asked: list[int] = []

    def figures(self, rs, year, references=None, log=None) -> pd.DataFrame:
        self.asked.append(year)
        return figures_from_counts(self.counts, self.areas, self.regions, rs, year, references)


def _area_counts(area: str, year: int, high: bool) -> dict:
    """2,000 residents. high: 60 % non-Western, 50 % outside, 70 % basic education, income
    2/3 of the region (criteria 1, 3 and E met at the udsat tier); low: none met."""
    return {
        "year": year,
        "area_id": area,
        "municipality_code": 101,
        "residents": 2000,
        "nonwestern_n": 1200 if high else 200,
        "outside_den": 1000,
        "outside_num": 500.0 if high else 100.0,
        "convicted_den": 1000,
        "convicted_num": 10 if high else 5,  # 1.0 % and 0.5 % against 3 x 1.0 %
        "basic_edu_den": 1000,
        "basic_edu_num": 700 if high else 200,
        "income_den": 1000,
        "income_num": 1000 * (200_000.0 if high else 300_000.0),
    }


LAST_AREAS = ["HIGH", "MID", "LOW", "NEW"]


def _last_prep(counts: pd.DataFrame) -> Prepared:
    areas = pd.DataFrame(
        {
            "area_id": LAST_AREAS,
            "area_name": LAST_AREAS,
            "municipality": "Testby",
            "region": "Hovedstaden",
        }
    )
    regions = pd.Series({101: "Hovedstaden"})
    prep = Prepared(
        engine=None,  # type: ignore[arg-type]  # everything is given; no query runs
        references=References(national_convicted_pct=1.0, region_income={"Hovedstaden": 3e5}),
        years=[2022, 2023, 2024],
        areas=areas,
        regions=regions,
        counts=_Counts(counts, areas, regions),  # type: ignore[arg-type]
    )
    # The parallelsamfund lists before 2024 (omdannelse looks back over 2020-2023): HIGH on it
    # every year, MID off it in 2022, NEW undecided in 2021.
    on = {
        "HIGH": [True] * 4,
        "MID": [True, True, False, True],
        "LOW": [False] * 4,
        "NEW": [True, None, True, True],
    }
    prep.lists = pd.DataFrame(
        [
            {"list_year": y, "area_id": a, "area_name": a, "parallelsamfund": on[a][i]}
            for i, y in enumerate(range(2020, 2024))
            for a in LAST_AREAS
        ]
    ).astype({"parallelsamfund": "boolean"})
    prep.lists_done.update(range(2020, 2024))
    return prep


def _counts(high: dict[int, set[str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [_area_counts(a, y, a in high[y]) for y in (2022, 2023, 2024) for a in LAST_AREAS]
    )


def test_last_figures_call_by_hand_and_without_leak() -> None:
    high = {y: {"HIGH", "MID", "NEW"} for y in (2022, 2023, 2024)}
    targets = [
        *TARGETS,
        Target("udsat", "list", "not pooled"),
        Target("omdannelse", "list", "not pooled"),
        *(Target(k, "criterion", "event") for k in ("c1_outside", "c2_convicted", "e_nonwestern")),
    ]
    prep = _last_prep(_counts(high))
    calls = last_figures_calls(prep, 2024, targets).set_index(["target", "area_id"])["call"]
    assert prep.counts.asked == [2023]  # type: ignore[union-attr]  # list year Y-1 only

    def got(target: str) -> list[float]:
        return calls.loc[target].reindex(LAST_AREAS).tolist()

    # 2 of criteria 1-4 (1 and 3) and E: parallelsamfund and udsat; forebyggelse excludes udsat.
    assert got("parallelsamfund") == [1, 1, 0, 1]
    assert got("udsat") == [1, 1, 0, 1]
    assert got("forebyggelse") == [0, 0, 0, 0]
    assert got("c1_outside") == [1, 1, 0, 1]
    assert got("c2_convicted") == [0, 0, 0, 0]
    assert got("e_nonwestern") == [1, 1, 0, 1]
    # omdannelse: on parallelsamfund 2020-2023 and now (HIGH); broken in 2022 (MID); not on it
    # now (LOW); undecided in 2021 (NEW).
    omd = got("omdannelse")
    assert omd[:3] == [1, 0, 0] and np.isnan(omd[3])
    # Rows of 2024 (the forecast year) do not matter; rows of 2023 do.
    other = {**high, 2024: set()}
    again = last_figures_calls(_last_prep(_counts(other)), 2024, targets)
    assert again.set_index(["target", "area_id"])["call"].equals(calls)
    changed = {**high, 2023: {"MID", "NEW"}}
    moved = last_figures_calls(_last_prep(_counts(changed)), 2024, targets)
    moved_calls = moved.set_index(["target", "area_id"])["call"]
    assert moved_calls.loc[("parallelsamfund", "HIGH")] == 0


def test_coverage_counts_the_ends_as_inside() -> None:
    q = {"q05": 10.0, "q25": 30.0, "q75": 40.0, "q95": 50.0}
    rows = [
        {"criterion": "c1_outside", "list_year": 2022, "truth": 30.0, **q},  # q25: both, end 50
        {"criterion": "c1_outside", "list_year": 2022, "truth": 40.0, **q},  # q75: both, end 50
        {"criterion": "c1_outside", "list_year": 2022, "truth": 10.0, **q},  # q05: 90, end 90
        {"criterion": "c1_outside", "list_year": 2023, "truth": 35.0, **q},  # inside both
        {"criterion": "c1_outside", "list_year": 2023, "truth": 55.0, **q},  # outside both
        {"criterion": "c1_outside", "list_year": 2023, "truth": np.nan, **q},  # no truth
        {"criterion": "c1_outside", "list_year": 2023, "truth": 20.0, **q, "q05": np.nan},
        # 0.1 + 0.2 = 0.30000000000000004 is the end 0.3 on the law's 1e-9 grid.
        {
            "criterion": "c3_education",
            "list_year": 2022,
            "truth": 0.1 + 0.2,
            "q05": 0.1,
            "q25": 0.2,
            "q75": 0.3,
            "q95": 0.4,
        },
    ]
    table = coverage(pd.DataFrame(rows)).set_index("criterion")
    c1 = table.loc["c1_outside"]
    assert (c1["n"], c1["no_truth"], c1["no_interval"]) == (5, 1, 1)
    assert (c1["inside_50"], c1["at_end_50"], c1["inside_90"], c1["at_end_90"]) == (3, 2, 4, 1)
    assert c1["share_50"] == pytest.approx(3 / 5) and c1["share_90"] == pytest.approx(4 / 5)
    c3 = table.loc["c3_education"]
    assert (c3["n"], c3["inside_50"], c3["at_end_50"], c3["inside_90"]) == (1, 1, 1, 1)
    by_year = coverage(pd.DataFrame(rows), ("criterion", "list_year"))
    first = by_year[(by_year["criterion"] == "c1_outside") & (by_year["list_year"] == 2022)]
    assert (first["n"].iloc[0], first["inside_50"].iloc[0]) == (3, 2)


def _frame_for_summary() -> pd.DataFrame:
    """Two areas, the model better than persistence in both; an undecided omdannelse row."""
    rows = _rows(
        [
            (2022, "A", 1, 0, 0.9, 0.0),
            (2023, "A", 1, 1, 0.9, 1.0),
            (2022, "B", 0, 1, 0.1, 1.0),
            (2023, "B", 0, 0, 0.1, 0.0),
        ]
    )
    rows["p_rates"] = 0.5
    undecided = _rows([(2023, "A", np.nan, 0, np.nan, 0.0)], "omdannelse")
    frame = pd.concat([rows, _rows(THREE, "udsat"), undecided], ignore_index=True)
    frame["in_force"] = True
    frame["rule_set"] = "rules_2021.v2"
    return frame


def test_reliability_and_markdown() -> None:
    values = pd.DataFrame(
        [
            {"criterion": "c1_outside", "list_year": 2022, "truth": t, "q05": 10.0}
            | {"q25": 30.0, "q75": 40.0, "q95": 50.0}
            for t in (30.0, 35.0, 45.0)
        ]
    )
    result = summarise(_frame_for_summary(), values, draws=100, seed=0, resamples=200)
    assert isinstance(result, BacktestResult)
    assert result.years == [2022, 2023] and result.rule_change_years == []
    # The undecided omdannelse outcome is counted as left out, not scored.
    assert result.left_out.to_dict("records") == [
        {"list_year": 2023, "target": "omdannelse", "reason": "outcome_undetermined", "n": 1}
    ]
    rel = result.reliability
    rel = rel[(rel["period"] == "stable") & (rel["pool"] == "lists")].set_index("bin")
    # p = 0.1 (B, twice) is the upper end of the bin 0.01-0.1; p = 0.9 (A) of 0.7-0.9.
    assert rel.loc["0.01-0.1", ["n", "observed"]].tolist() == [2, 0.0]
    assert rel.loc["0.7-0.9", ["n", "observed"]].tolist() == [2, 1.0]
    assert rel.loc["0.01-0.1", "mean_p"] == pytest.approx(0.1)
    text = render_markdown(result)
    # Brier: model 0.01 in every row; persistence misses A 2022 and B 2022: 2 / 4.
    assert "| **lists (parallelsamfund + forebyggelse)** | all | 4 | 2 | 0.0100 |" in text
    assert "| 0.0100 | 0.5000 | 0.2500 | 0.0100 | 0.0100 |" in text
    # The model beats persistence in both areas (-0.49 each): the interval excludes 0 (bold).
    assert "**-0.4900 [-0.4900, -0.4900]**" in text
    assert "+0.0000 [+0.0000, +0.0000] |" in text  # equal to the model: not bold
    assert "`udsat` (not pooled)" in text
    # Coverage with 2 decimals: 2 of 3 in [30, 40] (30 at an end), 3 of 3 in [10, 50].
    assert "| `c1_outside` | 3 | 0.67 (off target) | 1 | 1.00 (off target) | 0 | 0 |" in text
    assert render_markdown(result, "da").count("|") == text.count("|")
    # 2023 alone, scored again: the model's squared errors are 0.01 in both rows; persistence
    # is right in both (A stays on, B stays off).
    later = for_years(result, [2023])
    assert later.years == [2023]
    row = _score_row(later.scores, "lists")
    assert (row["n"], row["brier_model"], row["brier_persistence"]) == (2, pytest.approx(0.01), 0)
    assert later.left_out.equals(result.left_out)  # the undecided row was of 2023


@pytest.fixture(scope="module")
def city_result(default_dataset) -> BacktestResult:
    return backtest(
        default_dataset.connect(), years=[2020, 2021, 2022], draws=150, resamples=200, seed=4,
        references=OWN,
    )  # fmt: skip


def test_backtest_on_the_default_city(city_result: BacktestResult) -> None:
    result = city_result
    assert result.years == [2020, 2021, 2022] and result.rule_change_years == [2021]
    pred = result.predictions
    ps = pred[pred["target"] == "parallelsamfund"]
    # In a year without a rule change the last figures through this year's rules ARE last
    # year's list (the same figures, the same rules): the baselines agree.
    stable = ps[(ps["list_year"] == 2022) & ps["p_last_figures"].notna()]
    assert len(stable) >= 30
    assert (stable["p_last_figures"] == stable["p_persistence"]).all()
    # forebyggelse came in force in 2021: nobody was on it in 2020 (persistence 0); the model
    # forecasts 2021 with the rules in force on 1 December 2020, which lack it (probability 0).
    fb21 = pred[(pred["target"] == "forebyggelse") & (pred["list_year"] == 2021)]
    assert (fb21["p_persistence"] == 0).all() and (fb21["p_model"] == 0).all()
    assert (fb21["rule_set"] == ruleset_for_year(2020).label).all()
    scores = result.scores
    lists = _score_row(scores, "lists", period="all")
    scored = pred[pred["scored"] & pred["target"].isin(["parallelsamfund", "forebyggelse"])]
    assert lists["n"] == len(scored) and lists["events"] == scored["outcome"].sum()
    for column in ("brier_model", *(f"brier_{b}" for b in BASELINES)):
        assert scores[column].between(0, 1).all()
    diffs = result.differences
    assert (diffs["lo"] <= diffs["hi"]).all()
    assert set(result.coverage["criterion"]) >= {"c1_outside", "c4_income", "e_nonwestern"}
    text = render_markdown(result)
    assert "stable years (2020, 2022)" in text and "rule change (2021)" in text
