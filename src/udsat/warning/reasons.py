"""The risk ranking and the reasons (Danish and English) of the early-warning table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from udsat.i18n import number
from udsat.statelists.rules import RuleSet
from udsat.warning.messages import msg

MIN_SHOWN = 0.05  # criteria with at least this probability are named in the reason


def _pct(p: float, lang: str) -> str:
    return number(100.0 * p, lang, 0)


def _value(value: float, unit: str, lang: str) -> str:
    return f"{number(value, lang, 1)} %" if unit != "persons" else number(value, lang, 0)


def reason(row: pd.Series, rs: RuleSet, lang: str) -> str:
    """One area's reason: the most likely list, the criteria that drive it, the nearest margin."""
    year = int(row["list_year"])
    probs = {k: row.get(f"p_{k}") for k in rs.all_lists}
    known = {k: float(v) for k, v in probs.items() if v is not None and not math.isnan(v)}
    if not known:
        return msg("reason_missing", lang)
    parts: list[str] = []
    top = max(known, key=lambda k: known[k])
    if known[top] >= 0.01:
        rule = rs.lists[top]
        name = rule.name_da if lang == "da" else rule.name_en
        parts.append(msg("reason_head", lang, list=name, year=year, p=_pct(known[top], lang)))
    else:
        parts.append(msg("reason_none", lang, year=year))
    limit = rs.setting("min_residents")
    if row["residents_expected"] < limit:
        parts.append(
            msg("reason_small", lang, residents=int(row["residents_expected"]), limit=int(limit))
        )
    label = "label_da" if lang == "da" else "label_en"
    criteria = []
    for key, crit in rs.criteria.items():
        tier = next(iter(crit.thresholds))
        p_key = f"p_{rs.prefix(key, tier)}"
        if not np.isfinite(row.get(p_key, np.nan)):
            continue
        if row[p_key] >= MIN_SHOWN:
            th = crit.thresholds[tier]
            unit = "percent" if th.unit != "persons" else "persons"
            criteria.append(
                (
                    row[p_key],
                    msg(
                        "reason_criterion",
                        lang,
                        label=getattr(rs.criteria[key], label),
                        value=_value(row[f"expected_{key}"], unit, lang),
                        threshold=_value(row[f"threshold_{key}"], unit, lang),
                        p=_pct(row[p_key], lang),
                    ),
                )
            )
    if criteria:
        text = "; ".join(text for _, text in sorted(criteria, key=lambda c: -c[0])) + "."
        parts.append(text[:1].upper() + text[1:])  # a new sentence
    nearest = _nearest(row, rs)
    if nearest is not None:
        k, key = nearest
        crit_label = getattr(rs.criteria[key], label)
        which = "reason_people_more" if k > 0 else "reason_people_fewer"
        parts.append(msg(which, lang, k=int(abs(k)), label=crit_label) + ".")
    return " ".join(parts)


def _nearest(row: pd.Series, rs: RuleSet) -> tuple[float, str] | None:
    """The criterion (1-4) fewest people from flipping, with its signed distance."""
    best: tuple[float, str] | None = None
    for key in rs.core:
        k = row.get(f"people_to_{key}", np.nan)
        if key in rs.criteria and np.isfinite(k) and (best is None or abs(k) < abs(best[0])):
            best = (float(k), key)
    return best


def rank_and_explain(table: pd.DataFrame, rs: RuleSet) -> pd.DataFrame:
    """Rank by the probability of any list (then the nearest distance) and add the reasons."""
    out = table.copy()
    distance = out[[f"people_to_{k}" for k in rs.core if f"people_to_{k}" in out]].abs().min(axis=1)
    order = (
        out.assign(_p=out["p_any_list"].fillna(-1.0), _d=distance.fillna(np.inf))
        .sort_values(["_p", "_d", "housing_area_id"], ascending=[False, True, True])
        .index
    )
    out = out.loc[order].reset_index(drop=True)
    out.insert(0, "risk_rank", np.arange(1, len(out) + 1))
    rows = [row for _, row in out.iterrows()]
    out["reason_da"] = [reason(r, rs, "da") for r in rows]
    out["reason_en"] = [reason(r, rs, "en") for r in rows]
    return out
