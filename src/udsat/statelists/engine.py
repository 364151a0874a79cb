"""The whole list computation: figures (any number of list years) -> the output table.

Years are classified oldest first so that each year's omdannelse look-back can use the lists
computed for earlier years in the same run, next to (and overridden by) a published history.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from udsat.statelists import lookback as lb
from udsat.statelists.classify import (
    check_figures,
    classify_year,
    computable,
    resolve_ruleset,
)
from udsat.statelists.reasons import codes, sentence
from udsat.statelists.rules import Law, RuleSet, law

PARTS = ("value", "threshold", "met", "margin_pp", "margin_people", "reference")


def output_columns(table: pd.DataFrame, law_: Law | None = None) -> list[str]:
    """Keys, the criteria at the first tier, the lists with their references, reasons; then the
    other tiers and the look-back details. Order and names come from the law file."""
    the_law = law_ or law()
    criteria, lists = the_law.criteria_keys(), the_law.list_keys()
    suffixes = the_law.tier_suffixes()
    head = ["area_id", "area_name", "municipality", "list_year", "rule_set", "residents"]
    head += ["residents_ok", "residents_reference"]
    crit = [
        f"{c}{suffixes['udsat']}_{p}" if p != "value" else f"{c}_value"
        for c in criteria
        for p in PARTS
    ]
    met = [f"criteria_met{s}" for s in suffixes.values()]
    tail = [
        *met,
        *lists,
        *[f"{k}_reference" for k in lists],
        "reason_codes",
        "reasons",
        "reasons_en",
    ]
    others = [f"{c}{s}_{p}" for s in suffixes.values() if s for c in criteria for p in PARTS[1:]]
    extra = [f"{k}_{d}" for k in lists for d in ("years_on_list", "history_missing")]
    ordered = [c for c in dict.fromkeys([*head, *crit, *tail, *others, *extra]) if c in table]
    internal = {f"{k}_rule_met" for k in lists}
    return ordered + [c for c in table.columns if c not in ordered and c not in internal]


def _apply_lookback(
    out: pd.DataFrame, rs: RuleSet, history: pd.DataFrame | None, earlier: list[pd.DataFrame]
) -> pd.DataFrame:
    """Decide every look-back list in force (omdannelse) from the earlier years' results."""
    year = int(out["list_year"].iloc[0])
    for key, rule in rs.lists.items():
        if rule.kind != "lookback" or rule.source is None:
            continue
        computed = pd.concat(earlier) if earlier else out.iloc[0:0]
        rows, known, uncertain = lb.history_from_results(computed, rule.source)
        if history is not None:
            covered = set(history["year"])
            known -= covered
            uncertain = {(y, n) for y, n in uncertain if y not in covered}
        combined = lb.combine_history(history, rows)
        current = pd.DataFrame({"area_name": out["area_name"], "member": out[rule.source]})
        res = lb.lookback(current, year, rule, combined, known, uncertain)
        out[key] = res.member
        out[f"{key}_years_on_list"] = res.years_member
        out[f"{key}_history_missing"] = res.missing_years
    return out


def compute_lists(
    figures: pd.DataFrame,
    history: pd.DataFrame | None = None,
    *,
    settings: dict[str, Any] | None = None,
    ethnicity: bool = True,
    ruleset: RuleSet | None = None,
    law_: Law | None = None,
) -> pd.DataFrame:
    """Classify every area and list year in `figures`.

    settings: rule-set setting overrides (e.g. {"averaging": "pooled"}; only those a year's rule
    set has are applied). ethnicity=False: the scenario without criterion E. law_: an edited
    copy of the law (an amendment, `--rules PATH`) instead of the shipped one.
    """
    check_figures(figures, law_)
    base_given = any(c.endswith("_base") for c in figures.columns)
    results: list[pd.DataFrame] = []
    for year in sorted(figures["list_year"].astype(int).unique()):
        fig = figures[figures["list_year"] == year].reset_index(drop=True)
        rs = resolve_ruleset(int(year), ruleset, settings, ethnicity, law_)
        rs, not_computed = computable(rs, fig)
        out = _apply_lookback(classify_year(fig, rs), rs, history, results)
        rows = out.to_dict("records")  # built once for codes and sentences
        out["reason_codes"] = [codes(r, rs, base_given, not_computed) for r in rows]
        out["reasons"] = [sentence(r, rs) for r in rows]
        out["reasons_en"] = [sentence(r, rs, "en") for r in rows]
        results.append(out)
    table = pd.concat(results, ignore_index=True)
    return table[output_columns(table, law_)]


def scenario_without_ethnicity(
    figures: pd.DataFrame,
    history: pd.DataFrame | None = None,
    *,
    settings: dict[str, Any] | None = None,
    law_: Law | None = None,
) -> pd.DataFrame:
    """The lists with and without criterion E side by side, and which areas would change."""
    with_e = compute_lists(figures, history, settings=settings, law_=law_)
    without = compute_lists(figures, history, settings=settings, ethnicity=False, law_=law_)
    return side_by_side(with_e, without, "without_e", law_)


def side_by_side(
    table: pd.DataFrame, scenario: pd.DataFrame, tag: str, law_: Law | None = None
) -> pd.DataFrame:
    """`table` with the scenario's list columns beside it (<list>_<tag>) and, per area, which
    lists would change (status_changes_<tag>, status_changed_<tag>). An area or a list the
    scenario lacks counts as undecided."""
    keys = ["list_year", "area_id"]
    lists = [k for k in (law_ or law()).list_keys() if k in table]
    present = [k for k in lists if k in scenario]
    side = scenario[[*keys, *present]].rename(columns={k: f"{k}_{tag}" for k in present})
    out = table.merge(side, on=keys, how="left", validate="one_to_one")
    for k in lists:
        if f"{k}_{tag}" not in out:
            out[f"{k}_{tag}"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    changes = []
    for row in out.to_dict("records"):
        diff = [
            f"{k}: {_yn(row[k])} -> {_yn(row[f'{k}_{tag}'])}"
            for k in lists
            if _yn(row[k]) != _yn(row[f"{k}_{tag}"])
        ]
        changes.append("; ".join(diff))
    out[f"status_changes_{tag}"] = changes
    out[f"status_changed_{tag}"] = [bool(c) for c in changes]
    return out


def _yn(value: object) -> str:
    if value is pd.NA or value is None:
        return "uafgjort"
    return "ja" if bool(value) else "nej"
