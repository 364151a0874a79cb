"""The whole list computation: figures (any number of list years) -> the output table.

Years are classified oldest first so that each year's omdannelse look-back can use the lists
computed for earlier years in the same run, next to (and overridden by) a published history.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from udsat.statelists import lookback as lb
from udsat.statelists.classify import CRITERIA, check_figures, classify_year, resolve_ruleset
from udsat.statelists.reasons import codes, sentence
from udsat.statelists.rules import LIST_KEYS, RuleSet

PARTS = ("value", "threshold", "met", "margin_pp", "margin_people")


def output_columns(table: pd.DataFrame) -> list[str]:
    """The issue's column order first, then the forebyggelse tier and look-back details."""
    head = ["area_id", "area_name", "municipality", "list_year", "rule_set", "residents"]
    head.append("residents_ok")
    crit = [f"{c}_{p}" for c in CRITERIA for p in PARTS]
    fb = [f"{c}_fb_{p}" for c in CRITERIA for p in PARTS[1:]]
    tail = ["criteria_met", "criteria_met_fb", *LIST_KEYS, "reason_codes", "reasons"]
    extra = ["omdannelse_years_on_list", "omdannelse_history_missing"]
    ordered = [c for c in [*head, *crit, *tail, *fb, *extra] if c in table]
    return ordered + [c for c in table.columns if c not in ordered and c != "forebyggelse_rule_met"]


def _apply_lookback(
    out: pd.DataFrame, rs: RuleSet, history: pd.DataFrame | None, earlier: list[pd.DataFrame]
) -> pd.DataFrame:
    rule = rs.lists.get("omdannelse")
    if rule is None:
        out["omdannelse"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
        return out
    year = int(out["list_year"].iloc[0])
    computed = pd.concat(earlier) if earlier else out.iloc[0:0]
    rows, known, uncertain = lb.history_from_results(computed)
    if history is not None:
        covered = set(history["year"])
        known -= covered
        uncertain = {(y, n) for y, n in uncertain if y not in covered}
    combined = lb.combine_history(history, rows)
    current = pd.DataFrame({"area_name": out["area_name"], "member": out["parallelsamfund"]})
    res = lb.lookback(current, year, rule, combined, known, uncertain)
    out["omdannelse"] = res.member
    out["omdannelse_years_on_list"] = res.years_member
    out["omdannelse_history_missing"] = res.missing_years
    return out


def compute_lists(
    figures: pd.DataFrame,
    history: pd.DataFrame | None = None,
    *,
    settings: dict[str, Any] | None = None,
    ethnicity: bool = True,
    ruleset: RuleSet | None = None,
) -> pd.DataFrame:
    """Classify every area and list year in `figures`.

    settings: rule-set setting overrides (e.g. {"averaging": "pooled"}; only those a year's rule
    set has are applied). ethnicity=False: the scenario without criterion E.
    """
    check_figures(figures)
    base_given = any(c.endswith("_base") for c in figures.columns)
    results: list[pd.DataFrame] = []
    for year in sorted(figures["list_year"].astype(int).unique()):
        fig = figures[figures["list_year"] == year].reset_index(drop=True)
        rs = resolve_ruleset(int(year), ruleset, settings, ethnicity)
        out = _apply_lookback(classify_year(fig, rs), rs, history, results)
        rows = [row for _, row in out.iterrows()]  # built once for codes and sentences
        out["reason_codes"] = [codes(r, rs, base_given) for r in rows]
        out["reasons"] = [sentence(r, rs) for r in rows]
        results.append(out)
    table = pd.concat(results, ignore_index=True)
    return table[output_columns(table)]


def scenario_without_ethnicity(
    figures: pd.DataFrame,
    history: pd.DataFrame | None = None,
    *,
    settings: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """The lists with and without criterion E side by side, and which areas would change."""
    with_e = compute_lists(figures, history, settings=settings)
    without = compute_lists(figures, history, settings=settings, ethnicity=False)
    keys = ["list_year", "area_id"]
    side = without[[*keys, *LIST_KEYS]].rename(columns={k: f"{k}_without_e" for k in LIST_KEYS})
    table = with_e.merge(side, on=keys, how="left", validate="one_to_one")
    changes = []
    for _, row in table.iterrows():
        diff = [
            f"{k}: {_yn(row[k])} -> {_yn(row[f'{k}_without_e'])}"
            for k in LIST_KEYS
            if _yn(row[k]) != _yn(row[f"{k}_without_e"])
        ]
        changes.append("; ".join(diff))
    table["status_changes_without_e"] = changes
    table["status_changed_without_e"] = [bool(c) for c in changes]
    return table


def _yn(value: object) -> str:
    if value is pd.NA or value is None:
        return "uafgjort"
    return "ja" if bool(value) else "nej"
