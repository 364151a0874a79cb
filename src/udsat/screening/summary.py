"""The short summary of a screening (summary.md), Danish and English."""

from __future__ import annotations

import pandas as pd

from udsat.i18n import number
from udsat.screening.explain import unit_reason
from udsat.screening.messages import label, say
from udsat.screening.result import ScreeningResult


def summary_text(result: ScreeningResult, lang: str) -> str:
    """Title, method, counts of units and areas, missing criteria, comparison, stability."""
    cfg = result.config
    units = result.units
    lines = [say("summary_title", lang, year=result.year), ""]
    if result.synthetic:
        lines += [say("summary_synthetic", lang), ""]
    if result.unit_label == "neighbourhoods":
        unit_text = say("units_neighbourhoods", lang, k=cfg.k)
    else:
        unit_text = say("units_layer", lang, layer=result.unit_label)
    available = [c for c in cfg.criteria if units[f"{c}_flag"].notna().any()]
    missing = [c for c in cfg.criteria if c not in available]
    lines.append(
        say(
            "summary_method",
            lang,
            version=cfg.version,
            units=unit_text,
            margin=number(100 * cfg.margin, lang, 0),
            n=cfg.min_criteria,
            m=len(cfg.criteria),
            min_residents=cfg.min_area_residents,
        )
    )
    if missing:
        lines.append(
            say(
                "summary_missing",
                lang,
                names=", ".join(label(c, lang) for c in missing),
                n=cfg.required_criteria(len(available)),
                m=len(available),
            )
        )
    latest = units[units["year"] == result.year] if "year" in units else units
    noted = int(latest["note"].fillna("").ne("").sum())
    lines.append(
        say(
            "summary_units",
            lang,
            units=len(latest),
            vulnerable=int(latest["vulnerable"].sum()),
            noted=noted,
        )
    )
    if result.unit_geometry is None and result.areas.empty:
        lines.append(say("summary_no_geometry", lang))
        lines.append(_top_units(latest, result, lang))
    else:
        lines.append(_areas_line(result, lang))
    if result.comparison is not None and len(result.comparison):
        counts = result.comparison["change"].value_counts()
        lines.append(
            say(
                "summary_compare",
                lang,
                layer=result.comparison_layer,
                **{k: int(counts.get(k, 0)) for k in ("enter", "changed", "same", "leave")},
            )
        )
    if len(result.areas) and result.areas["stability"].notna().any():
        lines.append(
            say(
                "summary_stability",
                lang,
                variants=result.variants,
                median=number(float(result.areas["stability"].median()), lang, 2),
            )
        )
    return "\n\n".join(line for line in lines if line) + "\n"


def _top_units(latest: pd.DataFrame, result: ScreeningResult, lang: str, n: int = 10) -> str:
    """The n highest-ranked vulnerable units of the latest year with their flagged criteria."""
    top = latest[latest["vulnerable"]].sort_values("rank").head(n)
    reasons = unit_reason(top, result.config, lang)
    rows = [
        f"{int(r['rank'])}. {r.get('name', r['unit_id'])}: {reason}"
        for (_, r), reason in zip(top.iterrows(), reasons, strict=True)
    ]
    return say("summary_top", lang, n=len(rows), year=result.year) + "\n\n" + "\n".join(rows)


def _areas_line(result: ScreeningResult, lang: str) -> str:
    areas = result.areas
    total = result.city_residents or float("nan")
    screening = int((areas["kind"] == "screening").sum())
    residents = int(pd.to_numeric(areas["residents"]).sum())
    # State-listed areas may overlap screening areas: the share counts each resident once.
    covered = residents if result.residents_covered is None else result.residents_covered
    return say(
        "summary_areas",
        lang,
        areas=len(areas),
        residents=residents,
        share=number(100 * covered / total, lang, 1),
        screening=screening,
        state=len(areas) - screening,
    )
