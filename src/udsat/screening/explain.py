"""A sentence for every designated area: which criteria, by how much, against the city average."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.typing import NAType

from udsat.i18n import number
from udsat.screening.config import ScreeningConfig
from udsat.screening.messages import label, say

MAJORITY = 0.5  # a criterion describes an area when flagged for at least half its residents


def area_profile(units: pd.DataFrame, labels: np.ndarray, config: ScreeningConfig) -> pd.DataFrame:
    """Per area label: residents, composite and, per criterion, the residents-weighted mean
    value, city value and ratio and the share of residents in units flagged on it."""
    inside = labels >= 0
    lab = labels[inside]
    count = int(lab.max()) + 1 if len(lab) else 0
    w = units.loc[inside, "residents"].fillna(0).to_numpy(float)
    out = pd.DataFrame({"residents": np.bincount(lab, weights=w, minlength=count)})
    columns = ["composite"] + [
        f"{c}_{p}" for c in config.criteria for p in ("value", "city", "ratio")
    ]
    for column in columns:
        values = units.loc[inside, column].to_numpy(float)
        known = ~np.isnan(values)
        num = np.bincount(lab, weights=np.where(known, values * w, 0.0), minlength=count)
        den = np.bincount(lab, weights=w * known, minlength=count)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[column] = np.where(den > 0, num / den, np.nan)
    for crit in config.criteria:
        flagged = units.loc[inside, f"{crit}_flag"].fillna(False).to_numpy(bool)
        hit = np.bincount(lab, weights=w * flagged, minlength=count)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"{crit}_share"] = hit / out["residents"].to_numpy()
    return out


def area_criteria(profile: pd.DataFrame, config: ScreeningConfig) -> pd.Series:
    """The criteria (";"-joined) flagged for at least half of each area's residents."""
    names = pd.Series("", index=profile.index, dtype=object)
    for crit in config.criteria:
        hit = profile[f"{crit}_share"].ge(MAJORITY)
        names = names.where(~hit, names + crit + ";")
    return names.str.rstrip(";")


def explain(profile: pd.DataFrame, config: ScreeningConfig, lang: str) -> list[str]:
    """One sentence per area in `lang`."""
    available = [c for c in config.criteria if profile[f"{c}_ratio"].notna().any()]
    texts = []
    for _, row in profile.iterrows():
        strong = [c for c in available if row[f"{c}_share"] >= MAJORITY]
        comp = number(float(row["composite"]), lang, 2)
        if strong:
            parts = "; ".join(_part(row, c, lang) for c in strong)
            texts.append(
                say(
                    "why_screening",
                    lang,
                    n=len(strong),
                    m=len(available),
                    residents=int(row["residents"]),
                    parts=parts,
                    composite=comp,
                )
            )
        else:
            top = sorted(available, key=lambda c: -row[f"{c}_share"])[: config.min_criteria]
            parts = "; ".join(_part(row, c, lang) for c in top)
            texts.append(say("why_mixed", lang, parts=parts, composite=comp))
    return texts


def _part(row: pd.Series, crit: str, lang: str) -> str:
    return say(
        "criterion_part",
        lang,
        label=label(crit, lang),
        ratio=number(float(row[f"{crit}_ratio"]), lang, 2),
        value=number(100 * float(row[f"{crit}_value"]), lang, 1),
        city=number(100 * float(row[f"{crit}_city"]), lang, 1),
    )


def unit_reason(units: pd.DataFrame, config: ScreeningConfig, lang: str) -> list[str]:
    """Per unit: its flagged criteria with ratios (for the ranked aggregate screening)."""
    out = []
    for _, row in units.iterrows():
        crits = [c for c in config.criteria if _true(row.get(f"{c}_flag"))]
        if not crits:
            out.append(say("no_criteria_flagged", lang))
            continue
        out.append("; ".join(_part(row, c, lang) for c in crits))
    return out


def _true(value: bool | float | NAType | None) -> bool:
    return value is not None and not pd.isna(value) and bool(value)
