"""Pure classification: area figures + a rule set -> criteria, margins, lists, reasons.

Input (one row per area and list year; what aggregate.py reads and microdata.py computes):
list_year, area_id, area_name, municipality, residents, outside_pct, convicted_pct,
national_convicted_pct, basic_edu_pct, income_pct_of_region, nonwestern_pct and, optionally,
the people bases <measure>_base (one more person moves the value by 100 / base percentage points).

Every comparison uses the law's operator on unrounded values. Missing values stay missing: a list
is decided only when the known criteria settle it (three-valued logic), otherwise it is <NA>.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from udsat.errors import UdsatError
from udsat.statelists.codes import Reason
from udsat.statelists.rules import (
    LIST_KEYS,
    OPERATORS,
    Criterion,
    ListRule,
    RuleSet,
    Threshold,
    ruleset_for_year,
    with_settings,
    without_ethnicity,
)

MEASURE_COLUMNS = {
    "outside": "outside_pct",
    "convicted": "convicted_pct",
    "basic_edu": "basic_edu_pct",
    "income": "income_pct_of_region",
    "nonwestern": "nonwestern_pct",
}
KEY_COLUMNS = ("list_year", "area_id", "area_name", "municipality", "residents")
FIGURE_COLUMNS = (*KEY_COLUMNS, *MEASURE_COLUMNS.values(), "national_convicted_pct")
CRITERIA = ("c1_outside", "c2_convicted", "c3_education", "c4_income", "e_nonwestern")
# Income has no people margin: it is a mean of DKK, not a count of people.
NO_PEOPLE_MARGIN = {"income"}


def threshold_value(th: Threshold, figures: pd.DataFrame) -> pd.Series:
    """The threshold in the value's own unit (a multiple of the national average becomes %)."""
    if th.unit == "multiple_of_national":
        return th.value * figures["national_convicted_pct"].astype(float)
    return pd.Series(th.value, index=figures.index, dtype=float)


def people_to_flip(value: float, threshold: float, base: float, op: str) -> float:
    """The smallest number of people whose move into (or out of) the criterion's numerator flips
    `value OP threshold`, one person moving the value by 100 / base pp. NaN if unknown or out of
    reach (more people than the base holds)."""
    if any(math.isnan(x) for x in (value, threshold, base)) or base <= 0:
        return math.nan
    compare = OPERATORS[op]
    met = compare(value, threshold)
    # Adding people raises the value: needed to meet '>' criteria and to unmeet '<' criteria.
    step = (1.0 if met != (op in (">", ">=")) else -1.0) * 100.0 / base
    room = base * (1 - value / 100) if step > 0 else base * value / 100
    k = max(1, math.floor((threshold - value) / step))
    while k <= room + 1 and compare(value + k * step, threshold) == met:
        k += 1
    while k > 1 and compare(value + (k - 1) * step, threshold) != met:
        k -= 1
    return float(k) if k <= room + 1e-9 else math.nan


def _people_base(figures: pd.DataFrame, measure: str) -> pd.Series:
    column = f"{measure}_base"
    if column in figures:
        return figures[column].astype(float)
    return figures["residents"].astype(float)


def criterion_columns(
    figures: pd.DataFrame, crit: Criterion, tier: str, prefix: str
) -> pd.DataFrame:
    """value / threshold / met / margin_pp / margin_people of one criterion at one tier."""
    th = crit.thresholds[tier]
    value = figures[MEASURE_COLUMNS[crit.measure]].astype(float)
    threshold = threshold_value(th, figures)
    met = pd.array(
        [
            pd.NA if (np.isnan(v) or np.isnan(t)) else th.met(v, t)
            for v, t in zip(value, threshold, strict=True)
        ],
        dtype="boolean",
    )
    out = pd.DataFrame(index=figures.index)
    out[f"{prefix}_threshold"] = threshold
    out[f"{prefix}_met"] = met
    out[f"{prefix}_margin_pp"] = value - threshold
    if crit.measure in NO_PEOPLE_MARGIN:
        out[f"{prefix}_margin_people"] = np.nan
    else:
        base = _people_base(figures, crit.measure)
        out[f"{prefix}_margin_people"] = [
            people_to_flip(v, t, b, th.operator)
            for v, t, b in zip(value, threshold, base, strict=True)
        ]
    return out


def at_least(met: pd.DataFrame, k: int) -> pd.Series:
    """Kleene 'at least k of these are True': <NA> when the unknown ones would decide it."""
    n_true = met.fillna(False).astype(int).sum(axis=1)
    n_unknown = met.isna().sum(axis=1)
    out = pd.Series(pd.NA, index=met.index, dtype="boolean")
    out[n_true >= k] = True
    out[n_true + n_unknown < k] = False
    return out


def count_list(rule: ListRule, met: dict[str, pd.DataFrame], lists: dict) -> pd.Series:
    """Membership of a `count` list (lookback lists are decided in lookback.py)."""
    tier_met = met[rule.tier]
    member = at_least(tier_met[list(rule.criteria)], rule.min_met)
    if rule.ethnicity:
        member = member & tier_met[rule.ethnicity]
    for other in rule.excludes:
        member = member & ~lists[other].fillna(False)
    return member


def criteria_frame(figures: pd.DataFrame, rs: RuleSet) -> tuple[pd.DataFrame, dict]:
    """All criteria at all tiers, plus the met table per tier keyed by criterion."""
    parts: list[pd.DataFrame] = []
    met: dict[str, pd.DataFrame] = {}
    for key, crit in rs.criteria.items():
        parts.append(figures[[MEASURE_COLUMNS[crit.measure]]].set_axis([f"{key}_value"], axis=1))
        for tier in crit.thresholds:
            prefix = key if tier == "udsat" else f"{key}_fb"
            cols = criterion_columns(figures, crit, tier, prefix)
            parts.append(cols)
            met.setdefault(tier, pd.DataFrame(index=figures.index))[key] = cols[f"{prefix}_met"]
    return pd.concat(parts, axis=1), met


def residents_ok(figures: pd.DataFrame, rs: RuleSet) -> pd.Series:
    setting = rs.settings["min_residents"]
    compare = OPERATORS[setting.operator or ">="]
    return pd.Series(
        [pd.NA if pd.isna(r) else compare(r, setting.value) for r in figures["residents"]],
        index=figures.index,
        dtype="boolean",
    )


def classify_year(figures: pd.DataFrame, rs: RuleSet) -> pd.DataFrame:
    """Criteria and the count lists for one list year under one rule set (no look-back yet)."""
    crit, met = criteria_frame(figures, rs)
    out = pd.concat([figures[list(KEY_COLUMNS)], crit], axis=1)
    out.insert(1, "rule_set", rs.label)
    out["residents_ok"] = residents_ok(figures, rs)
    core = [c for c in CRITERIA[:4] if c in rs.criteria]
    out["criteria_met"] = met["udsat"][core].fillna(False).astype(int).sum(axis=1)
    if "forebyggelse" in met:
        out["criteria_met_fb"] = met["forebyggelse"][core].fillna(False).astype(int).sum(axis=1)
    lists: dict[str, pd.Series] = {}
    for key in ("udsat", "parallelsamfund", "forebyggelse"):
        rule = rs.lists.get(key)
        if rule is None:
            lists[key] = pd.Series(pd.NA, index=figures.index, dtype="boolean")
            continue
        if rule.excludes_setting and not rs.setting(rule.excludes_setting):
            rule = replace(rule, excludes=())
        lists[key] = count_list(rule, met, lists) & out["residents_ok"]
        if key == "forebyggelse":
            out["forebyggelse_rule_met"] = (
                count_list(replace(rule, excludes=()), met, lists) & out["residents_ok"]
                if rule.excludes
                else lists[key]
            )
    for key in ("udsat", "parallelsamfund", "forebyggelse"):
        out[key] = lists[key]
    return out


def resolve_ruleset(
    year: int,
    ruleset: RuleSet | None = None,
    settings: dict | None = None,
    ethnicity: bool = True,
) -> RuleSet:
    """The rule set of a list year with the run's setting overrides and scenario applied."""
    rs = ruleset or ruleset_for_year(year)
    if settings:
        rs = with_settings(rs, **{k: v for k, v in settings.items() if k in rs.settings})
    return rs if ethnicity else without_ethnicity(rs)


def check_figures(figures: pd.DataFrame) -> None:
    missing = [c for c in FIGURE_COLUMNS if c not in figures]
    if missing:
        raise UdsatError(f"Area figures lack the column(s) {missing}")
    if figures.duplicated(["list_year", "area_id"]).any():
        raise UdsatError("Area figures have more than one row per list_year and area_id")


__all__ = ["CRITERIA", "FIGURE_COLUMNS", "LIST_KEYS", "Reason", "classify_year"]
