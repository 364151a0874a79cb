"""Early-warning model on hand-built histories: far from every threshold, and exactly at one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from udsat.errors import UdsatError
from udsat.statelists.microdata import References
from udsat.statelists.rules import ruleset_for_year
from udsat.warning.model import Prepared, fit_measure, predict
from udsat.warning.reasons import rank_and_explain

YEARS = list(range(2019, 2025))  # data rows 2019-2024: the warning is for list year 2025
NATIONAL = 1.0  # given national conviction share (%): criterion 2's threshold is 3 x 1.0 = 3.0 %


def _series(area: str, figures: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """Constant yearly figures: measure -> (value, people base)."""
    rows = []
    for measure, (value, den) in figures.items():
        for year in YEARS:
            if measure == "residents":
                rows.append((area, measure, year, value, value, np.log(value)))
            elif measure == "income":
                rows.append((area, measure, year, value, den, value))
            else:
                rows.append((area, measure, year, value * den / 100, den, value))
    return pd.DataFrame(rows, columns=["area_id", "measure", "year", "num", "den", "value"])


LOW = {  # far below every threshold except criterion 2, which sits exactly on 3.0 %
    "outside": (5.0, 1400),
    "convicted": (3.0, 2000),
    "basic_edu": (10.0, 800),
    "nonwestern": (5.0, 2000),
    "income": (100.0, 1300),
    "residents": (2000, 0),
}
HIGH = {  # far above every udsat threshold
    "outside": (60.0, 1400),
    "convicted": (10.0, 2000),
    "basic_edu": (80.0, 800),
    "nonwestern": (90.0, 2000),
    "income": (40.0, 1300),
    "residents": (2000, 0),
}
SMALL = {**HIGH, "residents": (400, 0)}  # meets every criterion but has 400 residents


def _prepared() -> Prepared:
    rs = ruleset_for_year(2025)
    series = pd.concat([_series("A_low", LOW), _series("B_high", HIGH), _series("C_small", SMALL)])
    areas = pd.DataFrame(
        {
            "area_id": ["A_low", "B_high", "C_small"],
            "area_name": ["Low", "High", "Small"],
            "municipality": "Testby",
            "region": "Hovedstaden",
        }
    )
    prep = Prepared(
        engine=None,  # type: ignore[arg-type]  # everything is given below; no query runs
        references=References(national_convicted_pct=NATIONAL),
        years=YEARS,
        areas=areas,
        regions=pd.Series({101: "Hovedstaden"}),
    )
    prep.series[rs.label] = series
    prep.lists_done.update(range(2021, 2025))  # no earlier lists: omdannelse stays unknown
    return prep


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return predict(_prepared(), 2025, draws=20_000, seed=7).set_index("housing_area_id")


def test_far_from_every_threshold_gives_near_certain_probabilities(table: pd.DataFrame) -> None:
    low, high, small = table.loc["A_low"], table.loc["B_high"], table.loc["C_small"]
    for key in ("c1_outside", "c3_education", "c4_income", "e_nonwestern"):
        assert low[f"p_{key}"] < 0.01, key
        assert high[f"p_{key}"] > 0.99, key
    for key in ("udsat", "parallelsamfund", "forebyggelse"):
        assert low[f"p_{key}"] < 0.01, key
        assert small[f"p_{key}"] < 0.01, key  # 400 residents: far below 1,000
    assert high["p_udsat"] > 0.99 and high["p_parallelsamfund"] > 0.99
    # forebyggelse excludes areas on the udsat list (the rule set's setting)
    assert high["p_forebyggelse"] < 0.01
    assert np.isnan(high["p_omdannelse"])  # the look-back years are unknown


def test_exactly_at_the_threshold_with_a_known_year(table: pd.DataFrame) -> None:
    """Criterion 2: 60 of 2,000 (3.0 %) convicted in the known row year 2024 and every year
    before, threshold >= 3 x 1.0 % = 3.0 %. The 2-year mean is >= 3.0 % exactly when the drawn
    2025 share is >= 3.0 %, i.e. X >= 60 for X ~ Binomial(2000, level) with the level centred on
    60.5 / 2001 (Jeffreys posterior; no drift, no innovation for a flat history). P(X >= 60) at
    level 0.03 is 0.5 + P(X = 60) / 2 = 0.5 + 0.052 / 2 = 0.526; the half-person shift of the
    posterior mean adds about 0.052 / 2 = 0.026. So about 0.55: asserted within [0.50, 0.60]."""
    p = table.loc["A_low", "p_c2_convicted"]
    assert 0.50 <= p <= 0.60
    # The signed distance in people: the expected value is at the threshold and >= meets it.
    assert table.loc["A_low", "threshold_c2_convicted"] == pytest.approx(3.0)


def test_people_distance_is_signed() -> None:
    table = predict(_prepared(), 2025, draws=2000, seed=1).set_index("housing_area_id")
    assert table.loc["B_high", "people_to_c1_outside"] < 0  # met: people out would unmeet it
    assert table.loc["A_low", "people_to_c1_outside"] > 0  # not met: people in would meet it
    # c1: 5 % of 1,400 in the known year, the drawn year's mean a few hundredths of a pp above
    # (the Jeffreys posterior's half person). Meeting > 40 % with one person moving 100 / 2,800
    # pp needs (40 - value) * 28 people plus the one making it strictly greater: 981 at exactly
    # 5 %, 980 for a value up to 5.036 %.
    assert table.loc["A_low", "expected_c1_outside"] == pytest.approx(5.0, abs=0.03)
    assert table.loc["A_low", "people_to_c1_outside"] in (980, 981)
    assert np.isnan(table.loc["A_low", "people_to_c4_income"])  # a mean of DKK: no people


def test_ranking_and_reasons() -> None:
    table = rank_and_explain(predict(_prepared(), 2025, 2000, 1), ruleset_for_year(2025))
    assert list(table["risk_rank"]) == [1, 2, 3]
    assert table.loc[0, "housing_area_id"] == "B_high"
    assert "listen 'udsat boligområde'" in table.loc[0, "reason_da"]
    assert "the list 'vulnerable housing area'" in table.loc[0, "reason_en"]
    small = table.set_index("housing_area_id").loc["C_small"]
    assert "400 beboere" in small["reason_da"] and "1000" in small["reason_da"]


def _lines(slopes: np.ndarray, noise: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i, slope in enumerate(slopes):
        for j, year in enumerate(YEARS):
            value = 20 + slope * j + noise * rng.standard_normal()
            rows.append((f"a{i:02d}", "outside", year, value * 10, 1000, value))
    return pd.DataFrame(rows, columns=["area_id", "measure", "year", "num", "den", "value"])


def test_drift_of_exact_lines_is_their_slope() -> None:
    """No residual noise: nothing to shrink, each area keeps its own slope."""
    slopes = np.linspace(-1.0, 2.0, 10)
    fit = fit_measure(_lines(slopes, 0.0, 1), "outside", 2025)
    assert fit.drift.to_numpy() == pytest.approx(slopes, abs=1e-9)


def test_noisy_flat_series_drift_is_shrunk_towards_zero() -> None:
    """True slopes all 0, yearly noise sd 2 pp: the OLS slopes scatter only by noise, so the
    empirical-Bayes spread of true drifts is about 0 and the drifts are pulled to near 0."""
    series = _lines(np.zeros(40), 2.0, 2)
    fit = fit_measure(series, "outside", 2025)
    wide = series.pivot(index="area_id", columns="year", values="value")
    raw = np.polyfit(np.array(YEARS, float), wide.to_numpy().T, 1)[0]
    assert (fit.drift.abs().to_numpy() <= np.abs(raw) + 1e-12).all()
    assert fit.drift.abs().mean() < 0.5 * np.abs(raw).mean()


def test_missing_last_year_is_an_error() -> None:
    with pytest.raises(UdsatError, match="2026"):
        predict(_prepared(), 2027, draws=10)


def test_an_amendment_is_warned_for_beside_the_law() -> None:
    """`udsat warn --rules`: the same draws judged under an amended law (here: udsat needs one
    criterion instead of two, from the list of 1 December 2025) give p_<list>_amended beside
    the law's probabilities, and never lower for a list the amendment only loosens."""
    import yaml

    from udsat.statelists.rules import LAW_PATH, law_from_mapping
    from udsat.warning.model import warn

    raw = yaml.safe_load(LAW_PATH.read_text(encoding="utf-8"))
    entry = dict(raw["lists"]["udsat"][max(raw["lists"]["udsat"])])
    raw["lists"]["udsat"][__import__("datetime").date(2025, 12, 1)] = {**entry, "min_met": 1}
    amended = law_from_mapping(raw, "amended.yaml")
    prep = _prepared()
    # The amendment changes no measurement: its series are the law's (no query runs here).
    prep.series[amended.ruleset_for_year(2025).label] = prep.series[ruleset_for_year(2025).label]
    table = warn(None, year=2025, draws=400, seed=1, prepared=prep, amendment=amended)
    table = table.set_index("housing_area_id")
    assert {"p_udsat_amended", "p_parallelsamfund_amended", "p_any_list_amended"} <= set(table)
    assert (table["p_udsat_amended"] >= table["p_udsat"]).all()
    assert (table["p_udsat_amended"] > table["p_udsat"]).any()
    assert table["rule_set"].eq("rules_2021.v2").all()  # the law's own rows stay the law's
