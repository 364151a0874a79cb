"""Reason codes and the Danish sentence of reasons for each classified area and list year."""

from __future__ import annotations

import math

import pandas as pd

from udsat.i18n import number
from udsat.statelists.classify import CRITERIA
from udsat.statelists.codes import Reason
from udsat.statelists.rules import RuleSet

CORE = CRITERIA[:4]  # criteria 1-4; E is not counted
SHORT_DA = {
    "c1_outside": "1 (uden for arbejdsmarked og uddannelse)",
    "c2_convicted": "2 (dømte)",
    "c3_education": "3 (kun grundskole)",
    "c4_income": "4 (indkomst i pct. af regionen)",
    "e_nonwestern": "ikke-vestlig andel",
}
NOUN_DA = {
    "c1_outside": "fuldtidspersoner uden for arbejdsmarkedet",
    "c2_convicted": "dømte beboere",
    "c3_education": "beboere med kun grundskole",
    "e_nonwestern": "beboere med ikke-vestlig baggrund",
}
# The sign shown when a criterion is met / not met under each operator of the law.
SHOWN = {">": (">", "≤"), ">=": ("≥", "<"), "<": ("<", "≥"), "<=": ("≤", ">")}


def yes(v: object) -> bool:
    return v is not pd.NA and not (isinstance(v, float) and math.isnan(v)) and bool(v)


def no(v: object) -> bool:
    return v is not pd.NA and not (isinstance(v, float) and math.isnan(v)) and not bool(v)


def unknown(v: object) -> bool:
    return not yes(v) and not no(v)


LIST_DA = {
    "udsat": "udsat boligområde",
    "parallelsamfund": "parallelsamfund",
    "omdannelse": "omdannelsesområde",
    "forebyggelse": "forebyggelsesområde",
}


def _clause(row: pd.Series, rs: RuleSet, key: str, tier: str = "udsat") -> str:
    prefix = key if tier == "udsat" else f"{key}_fb"
    value, threshold = row[f"{key}_value"], row[f"{prefix}_threshold"]
    if pd.isna(value) or pd.isna(threshold):
        return f"{SHORT_DA[key]}: værdi mangler"
    met = yes(row[f"{prefix}_met"])
    sign = SHOWN[rs.criteria[key].thresholds[tier].operator][0 if met else 1]
    digits = 1 if abs(value - threshold) >= 0.05 else 3
    shown, limit = number(value, "da", digits), number(threshold, "da", digits)
    return f"{SHORT_DA[key]} {shown} % {sign} {limit} %"


def _nearest(row: pd.Series, rs: RuleSet) -> str:
    """The unmet udsat criterion fewest people away from being met, said in people."""
    best: tuple[float, str] | None = None
    for key in CORE:
        if key not in rs.criteria or not no(row.get(f"{key}_met")):
            continue
        k = row[f"{key}_margin_people"]
        known = key in NOUN_DA and not (isinstance(k, float) and math.isnan(k))
        if known and (best is None or k < best[0]):
            best = (k, key)
    if best is None:
        return ""
    k, key = best
    return f" {int(k)} flere {NOUN_DA[key]} ville opfylde kriterium {key[1]}."


def _lists_text(row: pd.Series, rs: RuleSet) -> str:
    on = [k for k in LIST_DA if k in rs.lists and yes(row[k])]
    names = [rs.lists[k].name_da for k in on]
    if "omdannelse" in on:
        years = rs.lists["omdannelse"].years
        names[on.index("omdannelse")] += f" ({row['omdannelse_years_on_list']} af {years} år)"
    undecided = [rs.lists[k].name_da for k in LIST_DA if k in rs.lists and unknown(row[k])]
    text = ("På listen: " + ", ".join(names) + ".") if names else "Ikke på nogen liste."
    if undecided:
        text += " Uafgjort (manglende data eller historik): " + ", ".join(undecided) + "."
    return text


def sentence(row: pd.Series, rs: RuleSet) -> str:
    """One Danish sentence (a few clauses) that explains every list decision of the row."""
    residents = row["residents"]
    minimum = int(rs.setting("min_residents"))
    head = f"{row['area_name']}, listeår {row['list_year']} ({rs.label}): "
    if pd.isna(residents):
        return head + "antal beboere mangler; 1.000-beboerreglen kan ikke anvendes."
    head += f"{number(residents, 'da', 0)} beboere pr. 1. januar {row['list_year']}"
    if no(row["residents_ok"]):
        return head + f", under {number(minimum, 'da', 0)}: på ingen af listerne."
    core = [k for k in CORE if k in rs.criteria]
    clauses = "; ".join(_clause(row, rs, k) for k in core)
    text = f"{head}. Kriterier opfyldt: {row['criteria_met']} af {len(core)} ({clauses})."
    if "e_nonwestern" in rs.criteria:
        e = _clause(row, rs, "e_nonwestern")
        text += f" {e[0].upper()}{e[1:]}."
    if "forebyggelse" in rs.lists:
        text += f" Forebyggelsesgrænser: {row['criteria_met_fb']} af {len(core)} opfyldt."
    if row.get("omdannelse_history_missing") and not no(row["parallelsamfund"]):
        text += f" Historik mangler for {row['omdannelse_history_missing']}."
    return text + " " + _lists_text(row, rs) + _nearest(row, rs)


def codes(row: pd.Series, rs: RuleSet, base_given: bool) -> str:
    """The reason codes of one row, ';'-separated, in a fixed order."""
    out: list[Reason] = []
    if unknown(row["residents_ok"]):
        out.append(Reason.RESIDENTS_UNKNOWN)
    elif no(row["residents_ok"]):
        out.append(Reason.TOO_FEW_RESIDENTS)
    if any(pd.isna(row[f"{k}_value"]) for k in rs.criteria):
        out.append(Reason.VALUE_MISSING)
    if yes(row["udsat"]):
        out.append(Reason.UDSAT)
        ps = row["parallelsamfund"]
        out.append(Reason.PARALLELSAMFUND if yes(ps) else Reason.UDSAT_NOT_PARALLELSAMFUND)
    elif yes(row["parallelsamfund"]):
        out.append(Reason.PARALLELSAMFUND)
    if yes(row["omdannelse"]):
        out.append(Reason.OMDANNELSE)
    elif yes(row["parallelsamfund"]):
        broken = no(row["omdannelse"])
        out.append(Reason.LOOKBACK_BROKEN if broken else Reason.LOOKBACK_INCOMPLETE)
    if yes(row["forebyggelse"]):
        out.append(Reason.FOREBYGGELSE)
    elif yes(row.get("forebyggelse_rule_met")) and yes(row["udsat"]):
        out.append(Reason.FOREBYGGELSE_SUPERSEDED)
    listed = any(yes(row[k]) for k in LIST_DA)
    if yes(row["residents_ok"]) and not listed:
        out.append(Reason.NOT_LISTED)
    if any(k not in rs.lists for k in LIST_DA):
        out.append(Reason.LIST_NOT_IN_FORCE)
    if not base_given:
        out.append(Reason.PEOPLE_MARGIN_ON_RESIDENTS)
    return ";".join(str(c) for c in out)
