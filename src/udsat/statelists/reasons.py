"""Reason codes and the Danish sentence of reasons for each classified area and list year.

The names of the criteria and lists and the paragraphs they cite come from the law file (through
the RuleSet); the sentence names the paragraph of every threshold it compares against.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Any

import pandas as pd

from udsat.i18n import number
from udsat.statelists.codes import Reason
from udsat.statelists.rules import RuleSet

# One output row as a mapping of column -> value (DataFrame.to_dict("records")).
Row = Mapping[Hashable, Any]
# The sign shown when a criterion is met / not met under each operator of the law.
SHOWN = {">": (">", "≤"), ">=": ("≥", "<"), "<": ("<", "≥"), "<=": ("≤", ">")}


def _missing(v: object) -> bool:
    """<NA>, None (how to_dict gives <NA>) or NaN: not decided."""
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def yes(v: object) -> bool:
    return not _missing(v) and bool(v)


def no(v: object) -> bool:
    return not _missing(v) and not bool(v)


def unknown(v: object) -> bool:
    return not yes(v) and not no(v)


def _clause(row: Row, rs: RuleSet, key: str, tier: str = "udsat") -> str:
    crit = rs.criteria[key]
    th = crit.thresholds[tier]
    prefix = rs.prefix(key, tier)
    cited = f"{crit.short_da}, {th.reference.short()}" if th.reference.paragraph else crit.short_da
    value, threshold = row[f"{key}_value"], row[f"{prefix}_threshold"]
    if pd.isna(value) or pd.isna(threshold):
        return f"{cited}: værdi mangler"
    met = yes(row[f"{prefix}_met"])
    sign = SHOWN[th.operator][0 if met else 1]
    digits = 1 if abs(value - threshold) >= 0.05 else 3
    shown, limit = number(value, "da", digits), number(threshold, "da", digits)
    return f"{cited}: {shown} % {sign} {limit} %"


def _nearest(row: Row, rs: RuleSet) -> str:
    """The unmet udsat criterion fewest people away from being met, said in people."""
    best: tuple[float, str] | None = None
    for key in rs.core:
        if not no(row.get(f"{key}_met")):
            continue
        k = row[f"{key}_margin_people"]
        known = rs.criteria[key].noun_da is not None and not (
            isinstance(k, float) and math.isnan(k)
        )
        if known and (best is None or k < best[0]):
            best = (k, key)
    if best is None:
        return ""
    k, key = best
    crit = rs.criteria[key]
    return f" {int(k)} flere {crit.noun_da} ville opfylde kriterium {crit.number}."


def _named(rs: RuleSet, key: str) -> str:
    rule = rs.lists[key]
    cited = rule.reference.short()
    return f"{rule.name_da} ({cited})" if cited else rule.name_da


def _lists_text(row: Row, rs: RuleSet) -> str:
    on = [k for k in rs.lists if yes(row[k])]
    names = [_named(rs, k) for k in on]
    for i, key in enumerate(on):
        if rs.lists[key].kind == "lookback":
            years = rs.lists[key].years
            names[i] += f" ({row[f'{key}_years_on_list']} af {years} år)"
    undecided = [_named(rs, k) for k in rs.lists if unknown(row[k])]
    text = ("På listen: " + ", ".join(names) + ".") if names else "Ikke på nogen liste."
    if undecided:
        text += " Uafgjort (manglende data eller historik): " + ", ".join(undecided) + "."
    return text


def _other_tiers(row: Row, rs: RuleSet) -> str:
    """The clauses of criteria judged only at another tier (kombineret udlejning's share)."""
    out = ""
    for key, crit in rs.criteria.items():
        if "udsat" in crit.thresholds or crit.ethnicity:
            continue
        for tier in crit.thresholds:
            clause = _clause(row, rs, key, tier)
            out += f" {clause[0].upper()}{clause[1:]}."
    return out


def sentence(row: Row, rs: RuleSet) -> str:
    """One Danish sentence (a few clauses) that explains every list decision of the row."""
    residents = row["residents"]
    rule = rs.settings["min_residents"]
    head = f"{row['area_name']}, listeår {row['list_year']} ({rs.label}): "
    if pd.isna(residents):
        return (
            head
            + f"antal beboere mangler; beboerreglen ({rule.reference.short()}) kan ikke anvendes."
        )
    head += f"{number(residents, 'da', 0)} beboere pr. 1. januar {row['list_year']}"
    if no(row["residents_ok"]):
        minimum = number(rule.value, "da", 0)
        return head + f", under {minimum} ({rule.reference.short()}): på ingen af listerne."
    core = list(rs.core)
    clauses = "; ".join(_clause(row, rs, k) for k in core)
    text = f"{head}. Kriterier opfyldt: {row['criteria_met']} af {len(core)} ({clauses})."
    for key, crit in rs.criteria.items():
        if crit.ethnicity and "udsat" in crit.thresholds and key not in core:
            e = _clause(row, rs, key)
            text += f" {e[0].upper()}{e[1:]}."
    for rule_ in rs.lists.values():
        met_here = f"criteria_met{rs.tier_suffix.get(rule_.tier, '')}"
        if rule_.kind == "count" and rule_.tier != "udsat" and met_here in row:
            cited = rule_.reference.short()
            text += (
                f" Grænser for {rule_.name_da} ({cited}): {row[met_here]} af {len(core)} opfyldt."
            )
    text += _other_tiers(row, rs)
    for key, rule_ in rs.lists.items():
        missing = row.get(f"{key}_history_missing")
        if rule_.kind == "lookback" and missing and rule_.source and not no(row[rule_.source]):
            text += f" Historik mangler for {missing}."
    return text + " " + _lists_text(row, rs) + _nearest(row, rs)


def codes(row: Row, rs: RuleSet, base_given: bool, not_computed: tuple[str, ...] = ()) -> str:
    """The reason codes of one row, ';'-separated, in a fixed order."""
    out: list[Reason] = []
    if unknown(row["residents_ok"]):
        out.append(Reason.RESIDENTS_UNKNOWN)
    elif no(row["residents_ok"]):
        out.append(Reason.TOO_FEW_RESIDENTS)
    if any(pd.isna(row[f"{k}_value"]) for k in rs.criteria):
        out.append(Reason.VALUE_MISSING)
    if yes(row.get("udsat")):
        out.append(Reason.UDSAT)
        ps = row["parallelsamfund"]
        out.append(Reason.PARALLELSAMFUND if yes(ps) else Reason.UDSAT_NOT_PARALLELSAMFUND)
    elif yes(row.get("parallelsamfund")):
        out.append(Reason.PARALLELSAMFUND)
    if yes(row.get("omdannelse")):
        out.append(Reason.OMDANNELSE)
    elif yes(row.get("parallelsamfund")) and "omdannelse" in rs.lists:
        broken = no(row["omdannelse"])
        out.append(Reason.LOOKBACK_BROKEN if broken else Reason.LOOKBACK_INCOMPLETE)
    if yes(row.get("forebyggelse")):
        out.append(Reason.FOREBYGGELSE)
    elif yes(row.get("forebyggelse_rule_met")) and yes(row.get("udsat")):
        out.append(Reason.FOREBYGGELSE_SUPERSEDED)
    if yes(row.get("kombineret")):
        out.append(Reason.KOMBINERET)
    listed = any(yes(row[k]) for k in rs.lists)
    decided = all(no(row[k]) for k in rs.lists)  # an undecided list is not "on none"
    if yes(row["residents_ok"]) and not listed and decided:
        out.append(Reason.NOT_LISTED)
    if any(k not in rs.lists and k not in not_computed for k in rs.all_lists):
        out.append(Reason.LIST_NOT_IN_FORCE)
    if not_computed:
        out.append(Reason.LIST_NOT_COMPUTED)
    if not base_given:
        out.append(Reason.PEOPLE_MARGIN_ON_RESIDENTS)
    return ";".join(str(c) for c in out)
