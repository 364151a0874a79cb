"""The indicator methods by hand: standardisation, shrinkage, intervals, neighbourhoods, and the
catalogue's validation errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy import stats as sps

from udsat.errors import UdsatError
from udsat.indicators import load_catalogue
from udsat.indicators.catalogue import DEFAULT_PATH
from udsat.indicators.stats import direct_standardise, fay_feuer, kish, shrink, wilson

Z = 1.959963984540054


def test_direct_standardisation_two_age_groups_two_units() -> None:
    """Standard population 300 young, 100 old (w = 0.75, 0.25). Unit A: 2/20 young, 5/10 old:
    0.75 x 0.1 + 0.25 x 0.5 = 0.2. Unit B: 10/50 young, 1/2 old: 0.75 x 0.2 + 0.25 x 0.5 = 0.275.
    Crude rates (0.233, 0.212) rank the units the other way round."""
    cases = np.array([[2, 5], [10, 1]])
    people = np.array([[20, 10], [50, 2]])
    res = direct_standardise(cases, people, np.array([300, 100]), 0.95, np.array([30, 20]))
    assert res.value == pytest.approx([0.2, 0.275])
    assert (res.filled == 0).all()
    # Fay-Feuer for A: var = 0.75² 2/20² + 0.25² 5/10² = 0.0059375, wm = max(0.75/20, 0.25/10)
    var, wm, y = 0.0059375, 0.0375, 0.2
    low = var / (2 * y) * sps.chi2.ppf(0.025, 2 * y * y / var)
    high = (
        (var + wm * wm) / (2 * (y + wm)) * sps.chi2.ppf(0.975, 2 * (y + wm) ** 2 / (var + wm * wm))
    )
    assert (res.low[0], res.high[0]) == pytest.approx((low, high))
    assert res.low[0] < 0.2 < res.high[0]


def test_standardisation_fills_an_empty_stratum_with_the_standard_rate() -> None:
    """No old people in the unit: the old stratum takes the standard's rate 20/100."""
    res = direct_standardise(
        np.array([[2, 0]]), np.array([[20, 0]]), np.array([300, 100]), 0.95, np.array([30, 20])
    )
    assert res.value == pytest.approx([0.75 * 0.1 + 0.25 * 0.2])
    assert res.filled == pytest.approx([0.25])
    empty = direct_standardise(
        np.array([[0, 0]]), np.array([[0, 0]]), np.array([300, 100]), 0.95, np.array([30, 20])
    )
    assert np.isnan(empty.value).all()


def test_fay_feuer_with_no_cases_starts_at_zero() -> None:
    low, high = fay_feuer(np.array([0.0]), np.array([0.0]), np.array([0.01]), 0.95)
    assert low[0] == 0
    assert high[0] == pytest.approx(0.01 / 2 * sps.chi2.ppf(0.975, 2))


def test_wilson_and_kish() -> None:
    low, high = wilson(np.array([0.0, 0.3, 0.5]), np.array([10.0, 0.0, 4.5]), 0.95)
    assert low[0] == 0 and high[0] == pytest.approx(
        (Z * Z / 20 + Z * np.sqrt(Z * Z / 400)) / (1 + Z * Z / 10)
    )
    assert np.isnan(low[1]) and np.isnan(high[1])
    assert 0.5 - low[2] == pytest.approx(high[2] - 0.5)
    assert kish(np.array([3.0, 0.0, 4.0]), np.array([5.0, 0.0, 4.0])).tolist() == [1.8, 0.0, 4.0]


def test_shrinkage_by_hand() -> None:
    """Two units with 10 respondents each, 0.2 and 0.8, district 0.5 (very large):
    tau² = (10 x 0.09 x 2 - 2 x 0.25) / 20 = 0.065, s = 0.025, B = 0.065 / 0.09."""
    res = shrink(
        np.array([0.2, 0.8, np.nan]),
        np.array([10.0, 10.0, 0.0]),
        np.array([0.5, 0.5, 0.5]),
        np.array([1e12, 1e12, 1e12]),
        0.95,
    )
    b = 0.065 / 0.09
    assert res.tau2 == pytest.approx(0.065)
    assert res.factor[:2] == pytest.approx([b, b])
    assert res.value == pytest.approx([0.5 - b * 0.3, 0.5 + b * 0.3, 0.5])
    half = Z * np.sqrt(b * 0.025)
    assert res.high[0] - res.value[0] == pytest.approx(half, rel=1e-6)
    # no respondents: the district value, interval from tau² (plus the district's own variance)
    assert res.high[2] - 0.5 == pytest.approx(Z * np.sqrt(0.065), rel=1e-6)


def test_no_between_unit_variance_means_full_shrinkage() -> None:
    res = shrink(
        np.array([0.4, 0.6]), np.array([4.0, 4.0]), np.array([0.5, 0.5]), np.array([8.0, 8.0]), 0.95
    )
    assert res.tau2 == 0 and res.value == pytest.approx([0.5, 0.5])


# --- the catalogue ---------------------------------------------------------------------------


def test_packaged_catalogue_covers_the_six_criteria() -> None:
    cat = load_catalogue()
    assert cat.version >= 1
    screening = {i.criterion for i in cat.indicators if i.screening}
    assert screening == {"income", "education", "labour", "youth", "health", "safety"}
    named = {"low_income", "only_grundskole", "outside_labour", "no_youth_education_25",
             "child_poverty", "chronic_disease_std", "unsafe_night"}  # fmt: skip
    assert named <= {i.id for i in cat.indicators}
    assert cat.get("chronic_disease_std").standardise is not None
    assert {i.source for i in cat.indicators if i.criterion == "safety"} == {"survey"}
    assert all(i.reference and i.label_da and i.label_en for i in cat.indicators)


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _first(data: dict) -> dict:
    return data["indicators"][0]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda d: _first(d).update(numerator="gross_incme < 1"),
            ["low_income", "numerator", "gross_incme"],
        ),
        (lambda d: _first(d).update(population="age > 'x' AND"), ["low_income", "population"]),
        (
            lambda d: _first(d).update(criterion="wealth"),
            ["indicators.0[low_income].criterion", "'wealth'"],
        ),
        (lambda d: _first(d).update(direction="up"), ["direction", "higher_is_worse"]),
        (lambda d: _first(d).update(source="census"), ["source", "census"]),
        (lambda d: _first(d).pop("reference"), ["'indicators.0[low_income].reference' is missing"]),
        (
            lambda d: _first(d).update(numerator="gross_income < {nope}"),
            ["nope", "median_income_18_64"],
        ),
        (lambda d: d["indicators"].append(dict(_first(d))), ["low_income", "more than once"]),
        (
            lambda d: d["indicators"][6].update(standardise={"age_groups": [10, 5]}),
            ["age_groups", "[10, 5]"],
        ),
        (
            lambda d: d["indicators"][8].update(standardise={"age_groups": [0, 50]}),
            ["unsafe_day", "register"],
        ),
        (
            lambda d: d["indicators"][8].update(numerator="NOT chronic_disease"),
            ["unsafe_day", "survey", "chronic_disease"],
        ),
        (lambda d: d["derived"].update(outside_fte="fte_nothing"), ["derived", "fte_nothing"]),
        (
            lambda d: d["households"].update(household_equivalised_income="sum(gross_incme)"),
            ["households", "gross_incme"],
        ),
        (lambda d: d.pop("version"), ["version"]),
        (lambda d: d.update(version="one"), ["'version'", "must be a whole number", "'one'"]),
        (lambda d: d.update(indicators=5), ["'indicators'", "must be a list", "5"]),
        (lambda d: d.update(references=["x"]), ["'references'", "must be a mapping"]),
        (
            lambda d: _first(d).update(id='low"income'),
            ['low"income', 'indicators.0[low"income].id', "^[a-z][a-z0-9_]*$"],
        ),
        (lambda d: _first(d).update(numerator="1); DROP VIEW persons; SELECT (1"), ["';'"]),
    ],
)
def test_catalogue_errors_name_the_indicator_field_and_value(
    tmp_path, monkeypatch, change, words
) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    path = _broken(tmp_path, change)
    with pytest.raises(UdsatError) as info:
        load_catalogue(path)
    message = str(info.value)
    assert path.name in message
    for word in words:
        assert word in message


def test_catalogue_error_is_danish_by_default(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("UDSAT_LANG", raising=False)
    path = _broken(tmp_path, lambda d: _first(d).update(criterion="wealth"))
    with pytest.raises(UdsatError) as info:
        load_catalogue(path)
    assert "catalogue.yaml: 1 fejl i filens opbygning" in str(info.value)
    assert "'indicators.0[low_income].criterion'" in str(
        info.value
    ) and "(fundet: 'wealth')" in str(info.value)


@pytest.mark.parametrize("content", [b"indicators: [", "id: æ".encode("cp1252"), b"[[[[" * 300])
def test_unreadable_catalogue(tmp_path, content) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(content)
    with pytest.raises(UdsatError, match=r"c\.yaml"):
        load_catalogue(path)
