"""The life table against a published worked example.

Example: the Public Health England life expectancy calculator's test case as shipped with the R
package PHEindicatormethods (tests/testthat/testLifeExpectancy.R, `df1` and `answer1`; method
"Chiang, using Silcocks et al for confidence limits"): 20 age groups 0, 1-4, ..., 85-89, 90+.
Printed to 8 decimals; compared here to the 4 decimals the package's own test uses.
"""

from __future__ import annotations

import numpy as np
import pytest

from udsat.errors import UdsatError
from udsat.monitoring.lifetable import STANDARD_AGES, age_group, ax_values, life_table

AGES = (0, 1, *range(5, 95, 5))
POPS = (7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416,
        46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936)  # fmt: skip
DEATHS = (17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605,
          1936, 1937)  # fmt: skip
# answer1 of the package: e(x), lower and upper 95 % limits for every age group.
E = (80.16960813, 79.36245674, 75.44193645, 70.47299936, 65.52909542, 60.67510088, 55.78835987,
     50.92752727, 46.06740425, 41.24505636, 36.49322717, 31.83343842, 27.26027992, 22.9719144,
     18.76856852, 14.95858336, 11.51684445, 8.618849241, 6.163942934, 6.16210635)  # fmt: skip
LOW = (79.88268548, 79.0898816, 75.17407307, 70.20675732, 65.26548673, 60.41876577, 55.53801579,
       50.68279939, 45.82666794, 41.00842831, 36.26223216, 31.60996318, 27.04337271, 22.76653134,
       18.57570352, 14.77985004, 11.34831778, 8.451134045, 5.978358351, 5.887683386)  # fmt: skip
HIGH = (80.45653078, 79.63503188, 75.70979983, 70.7392414, 65.79270412, 60.931436, 56.03870395,
        51.17225516, 46.30814055, 41.48168441, 36.72422219, 32.05691365, 27.47718713,
        23.17729746, 18.96143352, 15.13731667, 11.68537112, 8.786564437, 6.349527517,
        6.436529314)  # fmt: skip


def test_reproduces_the_phe_worked_example() -> None:
    table = life_table(DEATHS, POPS, AGES)
    assert table["e"].round(4).tolist() == pytest.approx(np.round(E, 4), abs=1e-9)
    assert table["ci_low"].round(4).tolist() == pytest.approx(np.round(LOW, 4), abs=1e-9)
    assert table["ci_high"].round(4).tolist() == pytest.approx(np.round(HIGH, 4), abs=1e-9)
    assert round(table.at[0, "e"], 1) == 80.2  # e0 as the calculator prints it


def test_life_table_identities() -> None:
    table = life_table(DEATHS, POPS, AGES)
    assert table.at[0, "l"] == 100_000
    assert table["d"].sum() == pytest.approx(100_000)  # everyone dies in the table
    assert table["q"].iloc[-1] == 1.0
    assert table["L"].iloc[-1] == pytest.approx(table["l"].iloc[-1] / (1937 / 11936))
    assert table.at[0, "T"] == pytest.approx(table["L"].sum())


def test_standard_groups_and_ax() -> None:
    assert STANDARD_AGES[:3] == (0, 1, 5) and STANDARD_AGES[-1] == 85 and len(STANDARD_AGES) == 19
    assert ax_values(STANDARD_AGES).tolist() == [0.1] + [0.5] * 18
    assert age_group(np.array([0, 1, 4, 5, 84, 85, 103])).tolist() == [0, 1, 1, 5, 80, 85, 85]


def test_undefined_tables_are_missing_not_zero() -> None:
    no_old_deaths = life_table((*DEATHS[:-1], 0), POPS, AGES)
    assert no_old_deaths["e"].isna().all()
    empty_group = life_table(DEATHS, (*POPS[:5], 0, *POPS[6:]), AGES)
    assert empty_group["e"].isna().all()


def test_bad_shapes_are_errors() -> None:
    with pytest.raises(UdsatError, match="same length"):
        life_table(DEATHS[:-1], POPS, AGES)
    with pytest.raises(UdsatError, match="increase"):
        life_table(DEATHS, POPS, tuple(reversed(AGES)))


def test_everyone_dying_before_the_open_group_is_undefined() -> None:
    deaths = list(DEATHS)
    deaths[3] = POPS[3]  # M = 1 in a 5-year group: q would exceed 1
    assert life_table(deaths, POPS, AGES)["e"].isna().all()
