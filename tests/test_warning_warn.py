"""The early warning's risk table on the synthetic Copenhagen (moved here from
test_warning_backtest.py, which now tests the backtest)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from udsat.errors import UdsatError
from udsat.statelists.microdata import References
from udsat.warning import warn
from udsat.warning.model import prepare

OWN = References(data_is_reference=True)  # one municipality: its own reference


@pytest.fixture(scope="module")
def con(default_dataset):
    return default_dataset.connect()


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
