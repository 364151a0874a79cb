"""The look-back reproduces the published omdannelse / hårde ghetto lists from the published
parallelsamfund / ghetto lists (tests/fixtures/statelists/memberships_2017_2022.csv)."""

from pathlib import Path

import pandas as pd
import pytest

from udsat.errors import DataContractError
from udsat.statelists.lookback import lookback, read_history
from udsat.statelists.rules import ruleset_for_year

FIXTURE = Path(__file__).parent / "fixtures" / "statelists" / "memberships_2017_2022.csv"


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return read_history(FIXTURE)


def _names(history: pd.DataFrame, year: int, key: str) -> set[str]:
    rows = history[(history["year"] == year) & (history["list"] == key)]
    return set(rows["area_name"])


def _run(published: pd.DataFrame, year: int):
    """Look-back for the published parallelsamfund list of `year`, history = earlier years."""
    current = published[(published["year"] == year) & (published["list"] == "parallelsamfund")]
    current = pd.DataFrame({"area_name": current["area_name"], "member": True})
    rule = ruleset_for_year(year).lists["omdannelse"]
    res = lookback(current, year, rule, published[published["year"] < year])
    names, member = current["area_name"].to_numpy(), res.member
    return {
        "yes": set(names[(member == True).fillna(False).to_numpy()]),  # noqa: E712
        "no": set(names[(member == False).fillna(False).to_numpy()]),  # noqa: E712
        "unknown": set(names[member.isna().to_numpy()]),
    }


@pytest.mark.parametrize("year", [2021, 2022])
def test_omdannelse_2021_and_2022_reproduced_exactly(published, year: int) -> None:
    got = _run(published, year)
    assert got["unknown"] == set()
    assert got["yes"] == _names(published, year, "omdannelse")


@pytest.mark.parametrize("year", [2018, 2019, 2020])
def test_haarde_ghetto_2018_2020_where_history_reaches(published, year: int) -> None:
    """History starts in 2017, so the transitional 5-year look-back is undetermined for areas on
    every known list; no published hård area may be ruled out by the known years."""
    got = _run(published, year)
    assert got["yes"] == set()
    assert _names(published, year, "omdannelse") <= got["unknown"]
    assert not (_names(published, year, "omdannelse") & got["no"])


def test_haarde_ghetto_2020_candidates_equal_the_published_list(published) -> None:
    """Only 2016 is missing for 2020: the candidates left by 2017-2020 are the 13 published."""
    got = _run(published, 2020)
    assert got["unknown"] == _names(published, 2020, "omdannelse")
    assert len(got["unknown"]) == 13


def test_dropping_out_once_breaks_the_lookback() -> None:
    history = pd.DataFrame(
        {"year": [2019, 2020, 2022], "area_name": ["X", "X", "X"], "list": "parallelsamfund"}
    )
    history = pd.concat(
        [history, pd.DataFrame({"year": [2021], "area_name": ["Y"], "list": ["parallelsamfund"]})]
    )
    current = pd.DataFrame({"area_name": ["X"], "member": [True]})
    res = lookback(current, 2023, ruleset_for_year(2023).lists["omdannelse"], history)
    assert not res.member.iloc[0]
    assert res.broken_year.iloc[0] == 2021


def test_history_errors_name_file_column_and_row(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    bad = tmp_path / "history.csv"
    bad.write_text("year,area_name,list\n2020,Vollsmose,parallelsamfund\ntyve,X,parallelsamfund\n")
    with pytest.raises(DataContractError, match=r"history.csv.*year") as err:
        read_history(bad)
    assert "row 3" in str(err.value)
    missing = tmp_path / "h2.csv"
    missing.write_text("year,name\n2020,X\n")
    with pytest.raises(DataContractError, match="area_name"):
        read_history(missing)
