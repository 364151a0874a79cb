"""Early warning on the synthetic Copenhagen: the risk table, and the backtest beating the naive
"same as last year" predictor."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from udsat.errors import UdsatError
from udsat.statelists.microdata import References
from udsat.warning import warn
from udsat.warning.backtest import BacktestResult, backtest
from udsat.warning.model import prepare

OWN = References(data_is_reference=True)  # one municipality: its own reference


@pytest.fixture(scope="module")
def con(default_dataset):
    return default_dataset.connect()


@pytest.fixture(scope="module")
def result(con) -> BacktestResult:
    return backtest(con, draws=300, seed=11, references=OWN)


def test_backtest_covers_every_year_and_beats_naive(result: BacktestResult) -> None:
    assert result.years == list(range(2017, 2026))  # rows 2015-2025: Y-2 must be in the data
    scores = result.scores.set_index("target")
    for pooled in ("all_lists", "all_criteria"):
        assert scores.at[pooled, "brier_model"] < scores.at[pooled, "brier_naive"], pooled
    # Each list that has events is predicted better than by last year's list.
    for target in ("udsat", "parallelsamfund", "forebyggelse"):
        assert scores.at[target, "events"] > 0
        assert scores.at[target, "brier_model"] < scores.at[target, "brier_naive"], target
    assert result.left_out <= 2


def test_reliability_table_is_consistent(result: BacktestResult) -> None:
    table = result.reliability
    scored = result.predictions.dropna(subset=["p_model", "p_naive", "outcome"])
    for kind, rows in table.groupby("kind"):
        assert rows["n"].sum() == (scored["kind"] == kind).sum()
    assert table["mean_p"].between(0, 1).all() and table["observed"].between(0, 1).all()
    # Near-certain bins are right: what is predicted below 1 % almost never happens.
    low = table[table["bin"] == "(-0.001, 0.01]"]
    assert (low["observed"] < 0.02).all()


def test_warn_next_list_year(con) -> None:
    table = warn(con, year=2026, draws=500, seed=3, references=OWN)
    assert len(table) == con.sql("SELECT count(*) FROM housing_areas").fetchall()[0][0]
    assert list(table["risk_rank"]) == list(range(1, len(table) + 1))
    probs = table[[c for c in table if c.startswith("p_")]]
    assert ((probs >= 0) & (probs <= 1) | probs.isna()).all().all()
    # Ranked by the probability of any list.
    assert table["p_any_list"].is_monotonic_decreasing
    # Areas far below 1,000 residents cannot be listed.
    tiny = table["residents"] < 700
    assert tiny.any() and (table.loc[tiny, "p_any_list"] < 0.01).all()
    # Forebyggelse excludes udsat: the two cannot both be certain.
    assert (table["p_udsat"] + table["p_forebyggelse"] <= 1 + 1e-9).all()
    assert table["reason_da"].str.contains("1. december 2026").all()
    assert table["reason_en"].str.contains("1 December 2026").all()
    # No person ids: only area-level columns.
    assert not any("person" in c or "household" in c for c in table.columns)


def test_same_seed_same_answer(con) -> None:
    prep = prepare(con, OWN)
    one = warn(con, year=2025, draws=200, seed=5, prepared=prep)
    two = warn(con, year=2025, draws=200, seed=5, prepared=prep)
    pd.testing.assert_frame_equal(one, two)
    assert not np.allclose(
        warn(con, year=2025, draws=200, seed=6, prepared=prep)["p_c2_convicted"],
        one["p_c2_convicted"],
    )


def test_warn_needs_the_year_before(con) -> None:
    with pytest.raises(UdsatError, match="2029"):
        warn(con, year=2030, draws=10, references=OWN)
