"""Reason codes and the sentence of reasons (Danish, and English) for each classified area and
list year.

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

# The sentence's words in each language (the names and paragraphs come from the law file).
WORDS: dict[str, dict[str, str]] = {
    "da": {
        "value_missing": "værdi mangler",
        "more": " {k} flere {noun} ville opfylde kriterium {number}.",
        "more_people": " {k} flere personer ville opfylde kriterium {number}.",
        "years_of": " ({n} af {years} år)",
        "on": "På listen: {names}.",
        "none": "Ikke på nogen liste.",
        "undecided": " Uafgjort (manglende data eller historik): {names}.",
        "head": "{area}, listeår {year} ({rules}): ",
        "no_residents": "antal beboere mangler; beboerreglen ({ref}) kan ikke anvendes.",
        "residents": "{n} beboere pr. 1. januar {year}",
        "too_few": ", under {minimum} ({ref}): på ingen af listerne.",
        "met": ". Kriterier opfyldt: {met} af {n} ({clauses}).",
        "tier_met": " Grænser for {name} ({ref}): {met} af {n} opfyldt.",
        "history": " Historik mangler for {missing}.",
    },
    "en": {
        "value_missing": "value missing",
        "more": " {k} more {people} would meet criterion {number}.",
        "more_people": " {k} more {people} would meet criterion {number}.",
        "years_of": " ({n} of {years} years)",
        "on": "On the list: {names}.",
        "none": "On no list.",
        "undecided": " Undecided (missing data or history): {names}.",
        "head": "{area}, list year {year} ({rules}): ",
        "no_residents": "residents unknown; the residents rule ({ref}) cannot be applied.",
        "residents": "{n} residents on 1 January {year}",
        "too_few": ", under {minimum} ({ref}): on none of the lists.",
        "met": ". Criteria met: {met} of {n} ({clauses}).",
        "tier_met": " Thresholds for {name} ({ref}): {met} of {n} met.",
        "history": " History missing for {missing}.",
    },
}


def _missing(v: object) -> bool:
    """<NA>, None (how to_dict gives <NA>) or NaN: not decided."""
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def yes(v: object) -> bool:
    return not _missing(v) and bool(v)


def no(v: object) -> bool:
    return not _missing(v) and not bool(v)


def unknown(v: object) -> bool:
    return not yes(v) and not no(v)


def _clause(row: Row, rs: RuleSet, key: str, tier: str = "udsat", lang: str = "da") -> str:
    crit = rs.criteria[key]
    th = crit.thresholds[tier]
    prefix = rs.prefix(key, tier)
    short = crit.short_da if lang == "da" else crit.short_en or crit.short_da
    cited = f"{short}, {th.reference.short()}" if th.reference.paragraph else short
    value, threshold = row[f"{key}_value"], row[f"{prefix}_threshold"]
    if pd.isna(value) or pd.isna(threshold):
        return f"{cited}: {WORDS[lang]['value_missing']}"
    met = yes(row[f"{prefix}_met"])
    sign = SHOWN[th.operator][0 if met else 1]
    digits = 1 if abs(value - threshold) >= 0.05 else 3
    shown, limit = number(value, lang, digits), number(threshold, lang, digits)
    return f"{cited}: {shown} % {sign} {limit} %"


def _nearest(row: Row, rs: RuleSet, lang: str = "da") -> str:
    """The unmet udsat criterion fewest people away from being met, said in people."""
    best: tuple[float, str] | None = None
    for key in rs.core:
        if not no(row.get(f"{key}_met")):
            continue
        k = row[f"{key}_margin_people"]
        known = rs.criteria[key].counts_people and not (isinstance(k, float) and math.isnan(k))
        if known and (best is None or k < best[0]):
            best = (k, key)
    if best is None:
        return ""
    k, key = best
    crit = rs.criteria[key]
    noun = crit.noun_da if lang == "da" else None  # the law file names its people in Danish
    words = WORDS[lang]
    people = "person" if int(k) == 1 else "people"
    if noun:
        return words["more"].format(k=int(k), noun=noun, number=crit.number, people=people)
    return words["more_people"].format(k=int(k), number=crit.number, people=people)


def _named(rs: RuleSet, key: str, lang: str = "da") -> str:
    rule = rs.lists[key]
    cited = rule.reference.short()
    name = rule.name_da if lang == "da" else rule.name_en
    return f"{name} ({cited})" if cited else name


def _lists_text(row: Row, rs: RuleSet, lang: str = "da") -> str:
    words = WORDS[lang]
    on = [k for k in rs.lists if yes(row[k])]
    names = [_named(rs, k, lang) for k in on]
    for i, key in enumerate(on):
        if rs.lists[key].kind == "lookback":
            years = rs.lists[key].years
            names[i] += words["years_of"].format(n=row[f"{key}_years_on_list"], years=years)
    undecided = [_named(rs, k, lang) for k in rs.lists if unknown(row[k])]
    text = words["on"].format(names=", ".join(names)) if names else words["none"]
    if undecided:
        text += words["undecided"].format(names=", ".join(undecided))
    return text


def _other_tiers(row: Row, rs: RuleSet, lang: str = "da") -> str:
    """The clauses of criteria judged only at another tier (kombineret udlejning's share)."""
    out = ""
    for key, crit in rs.criteria.items():
        if "udsat" in crit.thresholds or crit.ethnicity:
            continue
        for tier in crit.thresholds:
            clause = _clause(row, rs, key, tier, lang)
            out += f" {clause[0].upper()}{clause[1:]}."
    return out


def sentence(row: Row, rs: RuleSet, lang: str = "da") -> str:
    """One sentence (a few clauses) that explains every list decision of the row, in Danish or
    English (`lang`)."""
    words = WORDS[lang]
    residents = row["residents"]
    rule = rs.settings["min_residents"]
    head = words["head"].format(area=row["area_name"], year=row["list_year"], rules=rs.label)
    if pd.isna(residents):
        return head + words["no_residents"].format(ref=rule.reference.short())
    head += words["residents"].format(n=number(residents, lang, 0), year=row["list_year"])
    if no(row["residents_ok"]):
        minimum = number(rule.value, lang, 0)
        return head + words["too_few"].format(minimum=minimum, ref=rule.reference.short())
    core = list(rs.core)
    clauses = "; ".join(_clause(row, rs, k, lang=lang) for k in core)
    text = head + words["met"].format(met=row["criteria_met"], n=len(core), clauses=clauses)
    for key, crit in rs.criteria.items():
        if crit.ethnicity and "udsat" in crit.thresholds and key not in core:
            e = _clause(row, rs, key, lang=lang)
            text += f" {e[0].upper()}{e[1:]}."
    for rule_ in rs.lists.values():
        met_here = f"criteria_met{rs.tier_suffix.get(rule_.tier, '')}"
        if rule_.kind == "count" and rule_.tier != "udsat" and met_here in row:
            name = rule_.name_da if lang == "da" else rule_.name_en
            text += words["tier_met"].format(
                name=name, ref=rule_.reference.short(), met=row[met_here], n=len(core)
            )
    text += _other_tiers(row, rs, lang)
    for key, rule_ in rs.lists.items():
        missing = row.get(f"{key}_history_missing")
        if rule_.kind == "lookback" and missing and rule_.source and not no(row[rule_.source]):
            text += words["history"].format(missing=missing)
    return text + " " + _lists_text(row, rs, lang) + _nearest(row, rs, lang)


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
