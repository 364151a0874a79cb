"""Rule sets as data: every threshold cited and dated; a list year picks its rules."""

import itertools

import pytest

from udsat.errors import UdsatError
from udsat.statelists.rules import (
    OPERATORS,
    ruleset_for_year,
    rulesets,
    with_settings,
    without_ethnicity,
)


def test_rule_sets_cover_2013_onward_without_gaps() -> None:
    spans = [rs.list_years for rs in rulesets()]
    assert spans[0][0] == 2013
    assert spans[-1][1] is None
    for (_, last), (first, _) in itertools.pairwise(spans):
        assert first == last + 1


@pytest.mark.parametrize(
    ("year", "rule_set"),
    [
        (2013, "rules_2013"),
        (2017, "rules_2013"),
        (2018, "rules_2018"),
        (2020, "rules_2018"),
        (2021, "rules_2021"),
        (2025, "rules_2021"),
    ],
)
def test_first_and_last_year_of_each_rule_set(year: int, rule_set: str) -> None:
    assert ruleset_for_year(year).id == rule_set


def test_year_before_the_rules_is_an_error() -> None:
    with pytest.raises(UdsatError, match="listeåret 2012"):
        ruleset_for_year(2012)


def test_every_value_is_cited_and_dated() -> None:
    for rs in rulesets():
        for crit in rs.criteria.values():
            for th in crit.thresholds.values():
                assert th.reference.paragraph and th.citation.startswith("almenboligloven § ")
                assert th.operator in OPERATORS and th.effective <= rs.era
        for rule in rs.lists.values():
            assert rule.citation.startswith("almenboligloven § ")
        for setting in rs.settings.values():
            assert setting.description and setting.citation


def test_paragraphs_as_the_law_numbers_them() -> None:
    """LBK 1171/2024: § 61 a, stk. 1 udsat (nr. 1-4 the criteria), stk. 2 parallelsamfund,
    stk. 3 the area of at least 1,000 residents, stk. 4 omdannelse; § 61 b forebyggelse."""
    rs = ruleset_for_year(2025)
    short = {k: r.reference.short() for k, r in rs.lists.items()}
    assert short == {
        "udsat": "§ 61 a, stk. 1",
        "parallelsamfund": "§ 61 a, stk. 2",
        "omdannelse": "§ 61 a, stk. 4",
        "forebyggelse": "§ 61 b",
        "kombineret": "§ 51 b, stk. 3-4",
    }
    nr = {k: c.thresholds["udsat"].reference.short() for k, c in rs.criteria.items()
          if "udsat" in c.thresholds}  # fmt: skip
    assert nr == {
        "c1_outside": "§ 61 a, stk. 1, nr. 1",
        "c2_convicted": "§ 61 a, stk. 1, nr. 2",
        "c3_education": "§ 61 a, stk. 1, nr. 3",
        "c4_income": "§ 61 a, stk. 1, nr. 4",
        "e_nonwestern": "§ 61 a, stk. 2",
    }
    assert rs.settings["min_residents"].reference.short() == "§ 61 a, stk. 3"


def test_operators_as_the_law_writes_them() -> None:
    rs = ruleset_for_year(2024)
    ops = {k: c.thresholds["udsat"].operator for k, c in rs.criteria.items()
           if "udsat" in c.thresholds}  # fmt: skip
    assert ops == {
        "c1_outside": ">",
        "c2_convicted": ">=",
        "c3_education": ">",
        "c4_income": "<",
        "e_nonwestern": ">",
    }
    assert ruleset_for_year(2015).criteria["c2_convicted"].thresholds["udsat"].unit == "percent"


def test_lists_per_rule_set() -> None:
    assert set(ruleset_for_year(2016).lists) == {"parallelsamfund", "kombineret"}
    assert set(ruleset_for_year(2019).lists) == {
        "udsat", "parallelsamfund", "omdannelse", "kombineret",
    }  # fmt: skip
    assert set(ruleset_for_year(2022).lists) == {
        "udsat",
        "parallelsamfund",
        "omdannelse",
        "forebyggelse",
        "kombineret",
    }
    assert ruleset_for_year(2019).lists["omdannelse"].years == 5  # transitional 5 years


def test_settings_variant_is_checked_and_labelled() -> None:
    rs = with_settings(ruleset_for_year(2022), averaging="pooled")
    assert rs.setting("averaging") == "pooled"
    assert "averaging=pooled" in rs.label
    with pytest.raises(UdsatError, match="skal være en af"):
        with_settings(rs, averaging="median")
    with pytest.raises(UdsatError, match="ingen indstilling"):
        with_settings(rs, colour="red")


def test_without_ethnicity_drops_e_everywhere() -> None:
    rs = without_ethnicity(ruleset_for_year(2015))
    assert "e_nonwestern" not in rs.lists["parallelsamfund"].criteria
    rs = without_ethnicity(ruleset_for_year(2023))
    assert all(rule.ethnicity is None for rule in rs.lists.values())
