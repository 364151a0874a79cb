"""Pure classification: area figures + a rule set -> criteria, margins, lists, reasons.

Input (one row per area and list year; what aggregate.py reads and microdata.py computes):
list_year, area_id, area_name, municipality, residents, national_convicted_pct and each criterion's
column (the law file names it: outside_pct, convicted_pct, basic_edu_pct, income_pct_of_region,
nonwestern_pct, outside_latest_pct) and, optionally, the people bases <column>_base (one more
person moves the value by 100 / base percentage points).

Every comparison uses the law's operator on unrounded values, exact on the 1e-9 grid
(rules.compare). Missing values stay missing: a list is decided only when the known criteria
settle it (three-valued logic), otherwise it is <NA>. The criteria, tiers and lists, their order
and their names come from the law file; nothing here names one.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from udsat.errors import UdsatError
from udsat.statelists.codes import Reason
from udsat.statelists.rules import (
    Criterion,
    Law,
    ListRule,
    RuleSet,
    Threshold,
    compare,
    law,
    ruleset_for_year,
    with_settings,
    without_ethnicity,
)

KEY_COLUMNS = ("list_year", "area_id", "area_name", "municipality", "residents")
# Figures an input may lack: the lists that need them are then not computed (LIST_NOT_COMPUTED).
OPTIONAL_FIGURES = ("outside_latest_pct",)


def figure_columns(law_: Law | None = None) -> tuple[str, ...]:
    """The columns area figures must hold under a law (every criterion's column but the
    optional ones, the keys and the national conviction share)."""
    columns = [c.column for c in (law_ or law()).file.criteria.values()]
    needed = [c for c in dict.fromkeys(columns) if c not in OPTIONAL_FIGURES]
    return (*KEY_COLUMNS, *needed, "national_convicted_pct")


def threshold_value(th: Threshold, figures: pd.DataFrame) -> pd.Series:
    """The threshold in the value's own unit, per row: a multiple of the national average
    becomes %, and a threshold that depends on the residents takes the row's residents."""
    if th.unit == "multiple_of_national":
        return th.value * figures["national_convicted_pct"].astype(float)
    out = pd.Series(th.value, index=figures.index, dtype=float)
    residents = figures["residents"].astype(float)
    for minimum, value in th.from_residents:
        out = out.where(~(residents >= minimum), value)
    return out


def people_to_flip(value: float, threshold: float, base: float, op: str) -> float:
    """The smallest number of people whose move into (or out of) the criterion's numerator flips
    `value OP threshold`, one person moving the value by 100 / base pp. NaN if unknown or out of
    reach (more people than the base holds)."""
    if any(math.isnan(x) for x in (value, threshold, base)) or base <= 0:
        return math.nan
    met = compare(op, value, threshold)
    # Adding people raises the value: needed to meet '>' criteria and to unmeet '<' criteria.
    step = (1.0 if met != (op in (">", ">=")) else -1.0) * 100.0 / base
    room = base * (1 - value / 100) if step > 0 else base * value / 100
    k = max(1, math.floor((threshold - value) / step))
    while k <= room + 1 and compare(op, value + k * step, threshold) == met:
        k += 1
    while k > 1 and compare(op, value + (k - 1) * step, threshold) != met:
        k -= 1
    return float(k) if k <= room + 1e-9 else math.nan


def _people_base(figures: pd.DataFrame, crit: Criterion) -> pd.Series:
    if crit.base_column in figures:
        return figures[crit.base_column].astype(float)
    return figures["residents"].astype(float)


def criterion_columns(
    figures: pd.DataFrame, crit: Criterion, tier: str, prefix: str
) -> pd.DataFrame:
    """threshold / met / margin_pp / margin_people / reference of one criterion at one tier."""
    th = crit.thresholds[tier]
    value = figures[crit.column].astype(float).to_numpy()
    threshold = threshold_value(th, figures).to_numpy()
    known = ~(np.isnan(value) | np.isnan(threshold))
    met = pd.array(np.where(known, th.met(value, threshold), False), dtype="boolean")
    met[~known] = pd.NA
    if not crit.counts_people:  # income is a mean of DKK
        people = np.full(len(value), np.nan)
    else:
        base = _people_base(figures, crit).to_numpy()
        people = np.array(
            [
                people_to_flip(v, t, b, th.operator)
                for v, t, b in zip(value.tolist(), threshold.tolist(), base.tolist(), strict=True)
            ],
            dtype=float,
        )
    columns = {
        f"{prefix}_threshold": threshold,
        f"{prefix}_met": met,
        f"{prefix}_margin_pp": value - threshold,
        f"{prefix}_margin_people": people,
        f"{prefix}_reference": np.full(len(value), th.citation, dtype=object),
    }
    return pd.DataFrame(columns, index=figures.index)


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
    met: dict[str, dict[str, pd.Series]] = {}
    for key, crit in rs.criteria.items():
        parts.append(figures[[crit.column]].set_axis([f"{key}_value"], axis=1))
        for tier in crit.thresholds:
            cols = criterion_columns(figures, crit, tier, rs.prefix(key, tier))
            parts.append(cols)
            met.setdefault(tier, {})[key] = cols[f"{rs.prefix(key, tier)}_met"]
    tables = {tier: pd.DataFrame(columns, index=figures.index) for tier, columns in met.items()}
    return pd.concat(parts, axis=1), tables


def residents_ok(figures: pd.DataFrame, rs: RuleSet) -> pd.Series:
    setting = rs.settings["min_residents"]
    op = setting.operator or ">="
    return pd.Series(
        [pd.NA if pd.isna(r) else compare(op, r, setting.value) for r in figures["residents"]],
        index=figures.index,
        dtype="boolean",
    )


def classify_year(figures: pd.DataFrame, rs: RuleSet) -> pd.DataFrame:
    """Criteria and the count lists for one list year under one rule set (no look-back yet).

    Every list of the law gets a column: <NA> for a list not in force in this year (or a
    look-back list, decided afterwards), and `<list>_reference` cites the paragraph.
    """
    crit, met = criteria_frame(figures, rs)
    out = pd.concat([figures[list(KEY_COLUMNS)], crit], axis=1)
    out.insert(1, "rule_set", rs.label)
    out["residents_ok"] = residents_ok(figures, rs)
    out["residents_reference"] = rs.settings["min_residents"].citation
    for tier, tier_met in met.items():  # criteria_met, criteria_met_fb: the core criteria met
        core = [c for c in rs.core if c in tier_met]
        if core:
            counted = tier_met[core].fillna(False).astype(int).sum(axis=1)
            out[f"criteria_met{rs.tier_suffix[tier]}"] = counted
    lists: dict[str, pd.Series] = {}
    for key in rs.all_lists:  # every list of the law, in its order (not in force: <NA>)
        rule = rs.lists.get(key)
        if rule is None or rule.kind != "count":
            lists[key] = pd.Series(pd.NA, index=figures.index, dtype="boolean")
            continue
        if rule.excludes_setting and not rs.setting(rule.excludes_setting):
            rule = replace(rule, excludes=())
        lists[key] = count_list(rule, met, lists) & out["residents_ok"]
        if rule.excludes:
            whole = count_list(replace(rule, excludes=()), met, lists) & out["residents_ok"]
            out[f"{key}_rule_met"] = whole
    for key, member in lists.items():
        out[key] = member
        rule = rs.lists.get(key)
        out[f"{key}_reference"] = rule.citation if rule is not None else ""
    return out


def resolve_ruleset(
    year: int,
    ruleset: RuleSet | None = None,
    settings: dict | None = None,
    ethnicity: bool = True,
    law_: Law | None = None,
) -> RuleSet:
    """The rule set of a list year with the run's setting overrides and scenario applied."""
    rs = ruleset or ruleset_for_year(year, law_)
    if settings:
        rs = with_settings(rs, **{k: v for k, v in settings.items() if k in rs.settings})
    return rs if ethnicity else without_ethnicity(rs)


def computable(rs: RuleSet, figures: pd.DataFrame) -> tuple[RuleSet, tuple[str, ...]]:
    """`rs` without the criteria whose figures the input lacks (OPTIONAL_FIGURES) and the lists
    that need them; the names of the lists left out (reported as LIST_NOT_COMPUTED)."""
    absent = {k for k, c in rs.criteria.items() if c.column not in figures}
    if not absent:
        return rs, ()
    dropped = tuple(
        key
        for key, rule in rs.lists.items()
        if absent & {*rule.criteria, *([rule.ethnicity] if rule.ethnicity else [])}
    )
    criteria = {k: c for k, c in rs.criteria.items() if k not in absent}
    lists = {k: r for k, r in rs.lists.items() if k not in dropped}
    return replace(rs, criteria=criteria, lists=lists), dropped


def check_figures(figures: pd.DataFrame, law_: Law | None = None) -> None:
    missing = [c for c in figure_columns(law_) if c not in figures]
    if missing:
        raise UdsatError(f"Area figures lack the column(s) {missing}")
    if figures.duplicated(["list_year", "area_id"]).any():
        raise UdsatError("Area figures have more than one row per list_year and area_id")


__all__ = ["KEY_COLUMNS", "Reason", "classify_year", "figure_columns"]
