"""Early-warning model on hand-built histories: far from every threshold, and exactly at one."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from udsat.errors import UdsatError
from udsat.statelists.microdata import References
from udsat.statelists.rules import ruleset_for_year
from udsat.warning.model import Prepared, draw_next, fit_measure, predict
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


def test_a_flat_history_stays_where_it_is(table: pd.DataFrame) -> None:
    """Criterion 2 of A_low: 60 of 2,000 (3.0 %) convicted in every year 2019-2024. No year
    ever changed, so the fitted change has variance 0 and every draw of 2025 is 3.0 %: the
    2-year mean meets >= 3 x 1.0 % in every draw."""
    assert table.loc["A_low", "p_c2_convicted"] == 1.0
    assert table.loc["A_low", "threshold_c2_convicted"] == pytest.approx(3.0)
    for q in ("q05", "q25", "q75", "q95"):
        assert table.loc["A_low", f"{q}_c2_convicted"] == pytest.approx(3.0)


def _walks(
    n_areas: int, sd: Callable[[np.ndarray, np.ndarray], np.ndarray], seed: int
) -> pd.DataFrame:
    """Shares of `basic_edu` over YEARS: each area starts between 20 and 40 % with a people
    base between 300 and 5,000 and moves each year by N(0, sd(value, base)^2), no trend."""
    rng = np.random.default_rng(seed)
    base = rng.integers(300, 5000, n_areas).astype(float)
    value = rng.uniform(20, 40, n_areas)
    rows = []
    for year in YEARS:
        for i in range(n_areas):
            rows.append(
                (f"w{i:03d}", "basic_edu", year, value[i] * base[i] / 100, base[i], value[i])
            )
        value = value + rng.standard_normal(n_areas) * sd(value, base)
    return pd.DataFrame(rows, columns=["area_id", "measure", "year", "num", "den", "value"])


def test_a_panel_share_changes_less_than_binomial_and_its_intervals_say_so() -> None:
    """A share of a panel (the same people counted again) moves by N(0, 0.8^2) pp a year,
    whatever the area's size; two independent binomial samples of 30 % of 800 people would
    differ with variance 2 x 30 x 70 / 800 = 5.25 pp^2. The fitted change variance is the
    panel's (0.64 pp^2, within sampling error), not the binomial's, and the predictive intervals
    of the next year are those of N(0, 0.64): 50 % about +-0.67 x 0.8 = +-0.54 pp and 90 %
    about +-1.645 x 0.8 = +-1.32 pp around the last value."""
    series = _walks(300, lambda v, n: np.full_like(v, 0.8), seed=3)
    fit = fit_measure(series, "basic_edu", 2025)
    variance = fit.innovation_var + fit.dispersion * 2 * 30 * 70 / 800
    assert 0.5 < variance < 0.8  # 0.64 with the error of 300 areas x 5 changes
    areas = pd.Index(series["area_id"].unique())
    draws, _ = draw_next(fit, "basic_edu", areas, 4000, np.random.default_rng(0))
    last = fit.last["value"].reindex(areas).to_numpy()[:, None]
    q05, q25, q75, q95 = np.quantile(draws - last, [0.05, 0.25, 0.75, 0.95], axis=1)
    assert 0.45 < np.median(q75 - q25) / 2 < 0.65
    assert 1.1 < np.median(q95 - q05) / 2 < 1.6


def test_an_over_binomial_share_gets_wider_intervals_where_it_is_small() -> None:
    """Changes three times as variable as two binomial samples (sd = sqrt(3 p (100 - p) 2 / n),
    n from 300 to 5,000 people): the predictive intervals follow that sd area by area. The
    50 % half-width is about 0.674 sd and the 90 % about 1.645 sd (a little more: the drift is
    estimated, and its error is part of the forecast), and small areas get wider intervals."""
    series = _walks(300, lambda v, n: np.sqrt(3 * v * (100 - v) * 2 / n), seed=4)
    fit = fit_measure(series, "basic_edu", 2025)
    assert fit.dispersion > 1  # more than binomial
    areas = pd.Index(series["area_id"].unique())
    draws, _ = draw_next(fit, "basic_edu", areas, 4000, np.random.default_rng(0))
    last = fit.last.reindex(areas)
    value, n = last["value"].to_numpy(), last["den"].to_numpy()
    true_sd = np.sqrt(3 * value * (100 - value) * 2 / n)
    q05, q25, q75, q95 = np.quantile(draws - value[:, None], [0.05, 0.25, 0.75, 0.95], axis=1)
    assert 0.6 < np.median((q75 - q25) / 2 / true_sd) < 0.9
    assert 1.5 < np.median((q95 - q05) / 2 / true_sd) < 2.2
    small = n < 1000
    assert np.median((q75 - q25)[small]) > 1.5 * np.median((q75 - q25)[n > 3000])


def test_exactly_at_the_threshold_is_a_coin_flip() -> None:
    """Criterion 2 sits exactly on 3 x 1.0 % = 3.0 % in the known year 2024, among 300 areas
    whose conviction shares move by N(0, 0.3^2) pp a year with no trend. The 2-year mean of
    2024 and 2025 meets >= 3.0 % exactly when 2025 is at least 3.0 %: a symmetric change
    around no drift, so about 0.5."""
    prep = _prepared()
    rs = ruleset_for_year(2025)
    walks = _walks(300, lambda v, n: np.full_like(v, 0.3), seed=5).assign(measure="convicted")
    series = prep.series[rs.label]
    at = series["area_id"].eq("A_low") & series["measure"].eq("convicted")
    wiggle = dict(zip(YEARS, [3.2, 2.8, 3.1, 2.9, 3.2, 3.0], strict=True))
    series.loc[at, "value"] = series.loc[at, "year"].map(wiggle)
    series.loc[at, "num"] = series.loc[at, "value"] * 20
    prep.series[rs.label] = pd.concat([series, walks], ignore_index=True)
    table = predict(prep, 2025, draws=20_000, seed=7).set_index("housing_area_id")
    assert 0.42 <= table.loc["A_low", "p_c2_convicted"] <= 0.58
    low = table.loc["A_low"]
    assert low["q05_c2_convicted"] < low["q25_c2_convicted"] < 3.0 < low["q75_c2_convicted"]


def test_people_distance_is_signed() -> None:
    table = predict(_prepared(), 2025, draws=2000, seed=1).set_index("housing_area_id")
    assert table.loc["B_high", "people_to_c1_outside"] < 0  # met: people out would unmeet it
    assert table.loc["A_low", "people_to_c1_outside"] > 0  # not met: people in would meet it
    # c1: 5 % of 1,400 in every year, so 5 % expected. Meeting > 40 % with one person moving
    # 100 / 2,800 pp needs (40 - 5) * 28 = 980 people plus the one making it strictly greater.
    assert table.loc["A_low", "expected_c1_outside"] == pytest.approx(5.0)
    assert table.loc["A_low", "people_to_c1_outside"] == 981
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


def test_a_forecast_judges_by_the_rules_in_force_on_its_day() -> None:
    """The udsat list and its criteria took effect with the list of 1 December 2018 (lov nr.
    1322 af 27/11/2018), forebyggelse with that of 1 December 2021. A forecast of 2021 made
    when the 2020 list was published cannot know the 2021 rules; one made on 1 December 2021
    can."""
    import datetime

    from udsat.statelists.rules import rules_in_force
    from udsat.warning.model import forecast_rules

    assert rules_in_force(datetime.date(2018, 11, 30)) == ruleset_for_year(2017)
    assert rules_in_force(datetime.date(2018, 12, 1)) == ruleset_for_year(2018)
    before = forecast_rules(2021)  # made on 1 December 2020
    assert before == ruleset_for_year(2020) and "forebyggelse" not in before.lists
    assert "forebyggelse" in forecast_rules(2021, datetime.date(2021, 12, 1)).lists
    assert forecast_rules(2019) == ruleset_for_year(2018)  # no change between 2018 and 2019


def test_rules_announced_for_the_list_year_are_shown_beside() -> None:
    """An amendment taking effect with the list of 1 December 2025 (udsat needs one criterion
    instead of two) is announced, not in force, when the 2024 list is published: the forecast
    judges by the rules in force and shows the announced rules' probabilities beside."""
    import datetime

    import yaml

    from udsat.statelists.rules import LAW_PATH, law_from_mapping

    raw = yaml.safe_load(LAW_PATH.read_text(encoding="utf-8"))
    entry = dict(raw["lists"]["udsat"][max(raw["lists"]["udsat"])])
    raw["lists"]["udsat"][datetime.date(2025, 12, 1)] = {**entry, "min_met": 1}
    amended = law_from_mapping(raw, "amended.yaml")
    prep = _prepared()
    for year in (2024, 2025):  # no measurement changes: the same series under both eras
        prep.series[amended.ruleset_for_year(year).label] = prep.series[
            ruleset_for_year(2025).label
        ]
    table = predict(prep, 2025, draws=400, seed=1, law_=amended).set_index("housing_area_id")
    assert table["rule_set"].eq(amended.ruleset_for_year(2024).label).all()
    assert table["rule_set_announced"].eq(amended.ruleset_for_year(2025).label).all()
    assert (table["p_udsat_announced"] >= table["p_udsat"]).all()
    assert (table["p_udsat_announced"] > table["p_udsat"]).any()
    decided = predict(prep, 2025, draws=400, seed=1, law_=amended, as_of=datetime.date(2025, 12, 1))
    assert "p_udsat_announced" not in decided  # on the list's own day the rules are in force
    assert decided["p_udsat"].to_numpy() == pytest.approx(table["p_udsat_announced"].to_numpy())
