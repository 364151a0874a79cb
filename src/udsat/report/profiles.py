"""The profiles: one page per designated area and per housing area."""

from __future__ import annotations

from typing import Any

import pandas as pd

from udsat.report.bundle import ReportBundle
from udsat.report.charts import trend_figure
from udsat.report.maps import Frame
from udsat.report.mapviews import profile_map
from udsat.report.messages import msg
from udsat.report.pages import (
    area_page,
    count,
    housing_page,
    is_share,
    list_criteria,
    plain,
    share,
    state_lists,
    yes_no,
)
from udsat.report.publish import Published
from udsat.report.writer import PageWriter
from udsat.statelists.rules import law, ruleset_for_year


def initiative_index(bundle: ReportBundle) -> list[tuple[dict, list[Any]]]:
    """Each initiative with the polygons its `areas` tokens name ("city" stays a string)."""
    if bundle.initiatives is None:
        return []
    polygons = {
        f"{layer}:{uid}": geom
        for layer, frame in bundle.initiative_layers.items()
        for uid, geom in zip(frame["unit_id"].astype(str), frame.geometry, strict=True)
    }
    index = []
    for record in bundle.initiatives.to_dict("records"):
        tokens = [t for t in str(record.get("areas", "")).split(";") if t]
        index.append((record, ["city" if t == "city" else polygons.get(t) for t in tokens]))
    return index


def initiatives_for(index: list[tuple[dict, list[Any]]], geometry: Any) -> list[dict]:
    """Initiatives whose areas cover `geometry`: "city", or a polygon it overlaps by >= 10 %."""
    rows = []
    for record, places in index:
        if any(_covers(place, geometry) for place in places):
            rows.append(
                {
                    "initiative": str(record.get("name", "")),
                    "administration": str(record.get("administration", "")),
                    "start_year": str(record.get("start_year", "")),
                    "status": str(record.get("status", "")),
                }
            )
    return rows


def _covers(place: Any, geometry: Any) -> bool:
    if isinstance(place, str):
        return place == "city"
    if place is None or geometry is None or geometry.area == 0:
        return False
    return place.intersection(geometry).area >= 0.1 * geometry.area


def residents_section(pub: Published, area_id: str, lang: str) -> dict:
    rows = pub.area_residents[pub.area_residents["area_id"] == area_id].sort_values("year")
    values = rows.rename(columns={"residents": "value"})
    return {
        "title": msg("residents_trend", lang),
        "paragraphs": [],
        "rows": [
            {"year": str(y), "residents": count(v, lang)}
            for y, v in zip(rows["year"], rows["residents"], strict=True)
        ],
        "columns": [("year", msg("year", lang)), ("residents", msg("residents", lang))],
        "numeric": ("residents",),
        "figure": trend_figure(values, msg("residents", lang), lang) if len(rows) else None,
        "alt": msg("residents_trend", lang),
    }


def comparison_section(pub: Published, group: str, lang: str) -> dict | None:
    """The area's latest indicator values beside the vulnerable areas and the rest."""
    if pub.series is None or not (pub.series["group"] == group).any():
        return None
    latest = pub.series.sort_values("year").groupby(["indicator_id", "group"]).last()
    rows = []
    for ind in sorted(pub.series.loc[pub.series["group"] == group, "indicator_id"].unique()):
        vals = {g: latest["value"].get((ind, g)) for g in (group, "udsat", "rest")}
        fmt = share if is_share(pd.Series(list(vals.values()))) else plain
        rows.append(
            {
                "indicator": str(ind),
                "this": fmt(vals[group], lang),
                "udsat": fmt(vals["udsat"], lang),
                "rest": fmt(vals["rest"], lang),
            }
        )
    return {
        "title": msg("comparison", lang),
        "paragraphs": [],
        "rows": rows,
        "columns": [
            ("indicator", msg("indicator", lang)),
            ("this", msg("this_area", lang)),
            ("udsat", msg("group_udsat", lang)),
            ("rest", msg("group_rest", lang)),
        ],
        "numeric": ("this", "udsat", "rest"),
    }


def initiatives_section(bundle: ReportBundle, index: list, geometry: Any) -> dict:
    lang = bundle.lang
    rows = initiatives_for(index, geometry)
    return {
        "title": msg("initiatives", lang),
        "paragraphs": [] if rows else [msg("no_initiatives", lang)],
        "rows": rows,
        "columns": [
            (k, msg(k, lang)) for k in ("initiative", "administration", "start_year", "status")
        ],
        "numeric": (),
    }


def housing_history(bundle: ReportBundle, area_lists: pd.DataFrame) -> dict:
    """One housing area's state-list rows over the years (`area_lists`: its rows)."""
    lang = bundle.lang
    rows = area_lists.sort_values("list_year")
    lists = state_lists(rows)
    out = []
    for r in rows.to_dict("records"):
        row = {
            "list_year": str(r["list_year"]),
            "residents": count(r["residents"], lang),
            "criteria_met": plain(r.get("criteria_met"), lang, 0),
        }
        for k in lists:
            row[k] = yes_no(r.get(k), lang)
        out.append(row)
    columns = [
        ("list_year", msg("list_year", lang)),
        ("residents", msg("residents", lang)),
        ("criteria_met", msg("criteria_met", lang)),
    ]
    columns += [(k, law().list_name(k, lang)) for k in lists]
    return {
        "title": msg("history", lang),
        "paragraphs": [],
        "rows": out,
        "columns": columns,
        "numeric": ("residents", "criteria_met"),
    }


def housing_criteria(bundle: ReportBundle, area_lists: pd.DataFrame) -> dict:
    """Why a housing area is (not) listed this year: each criterion with its margin."""
    lang = bundle.lang
    rows = area_lists[area_lists["list_year"] == bundle.year]
    out, paragraphs = [], []
    for r in rows.to_dict("records"):
        paragraphs.append(str(r.get("reasons") or ""))
        rs = ruleset_for_year(int(r["list_year"]))
        for c, prefix in list_criteria(rs):
            tier = next(iter(rs.criteria[c].thresholds))
            out.append(
                {
                    "criterion": law().criterion_short(c, lang),
                    "value": share(r.get(f"{c}_value"), lang, 1),
                    "threshold": share(r.get(f"{prefix}_threshold"), lang, 1),
                    "met": yes_no(r.get(f"{prefix}_met"), lang),
                    "margin_pp": plain(r.get(f"{prefix}_margin_pp"), lang, 1),
                    "margin_people": count(r.get(f"{prefix}_margin_people"), lang),
                    # the paragraph; the full citation is in the downloads' *_reference
                    "reference": rs.criteria[c].thresholds[tier].reference.short(),
                }
            )
    columns = [
        (k, msg(k, lang))
        for k in (
            "criterion", "value", "threshold", "met", "margin_pp", "margin_people", "reference",
        )
    ]  # fmt: skip
    return {
        "title": msg("why", lang),
        "paragraphs": paragraphs,
        "rows": out,
        "columns": columns,
        "numeric": ("value", "threshold", "margin_pp", "margin_people"),
    }


def warning_section(pub: Published, housing_id: str, lang: str) -> dict | None:
    if pub.warnings is None:
        return None
    rows = pub.warnings[pub.warnings["housing_area_id"].astype(str) == housing_id]
    if rows.empty:
        return None
    w = rows.iloc[0]
    out = [
        {"what": c.removeprefix("p_"), "value": share(w[c], lang)}
        for c in rows.columns
        if c.startswith("p_")
    ]
    out += [
        {
            "what": f"{msg('people_to', lang)}: {c.removeprefix('people_to_')}",
            "value": plain(w[c], lang, 0),
        }
        for c in rows.columns
        if c.startswith("people_to_")
    ]
    return {
        "title": msg("warning_reason", lang),
        "paragraphs": [str(w.get(f"reason_{lang}") or "")],
        "rows": out,
        "columns": [("what", msg("probability", lang)), ("value", msg("value", lang))],
        "numeric": ("value",),
    }


def write_profiles(
    writer: PageWriter, bundle: ReportBundle, pub: Published, frame: Frame, bg: list[str]
) -> None:
    lang = bundle.lang
    index = initiative_index(bundle)
    by_area = {str(k): v for k, v in pub.lists.groupby("area_id")}
    empty = pub.lists.iloc[:0]
    for area in pub.designated.itertuples():
        area_id, name = str(area.area_id), str(area.name)
        why = {
            "title": msg("why", lang),
            "paragraphs": [str(getattr(area, f"explanation_{lang}", "") or "")],
            "rows": [],
            "columns": [],
            "numeric": (),
        }
        sections = [why, residents_section(pub, area_id, lang)]
        sections += [s for s in [comparison_section(pub, area_id, lang)] if s]
        sections.append(initiatives_section(bundle, index, area.geometry))
        has_chart = any(s.get("figure") for s in sections)
        writer.page(
            "profile.html",
            area_page(area_id),
            msg("area_profile", lang, name=name),
            has_map=True,
            has_charts=has_chart,
            sections=sections,
            map=profile_map(bundle, frame, bg, f"a:{area_id}", name, area.geometry),
        )
    for area in pub.housing.itertuples():
        hid, name = str(area.housing_area_id), str(area.name)
        rows = by_area.get(hid, empty)
        sections = [housing_criteria(bundle, rows), housing_history(bundle, rows)]
        sections += [s for s in [warning_section(pub, hid, lang)] if s]
        sections.append(initiatives_section(bundle, index, area.geometry))
        writer.page(
            "profile.html",
            housing_page(hid),
            msg("housing_profile", lang, name=name),
            has_map=True,
            sections=sections,
            map=profile_map(bundle, frame, bg, f"h:{hid}", name, area.geometry),
        )
