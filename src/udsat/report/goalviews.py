"""The goals page (one view per 2035 indicator) and the overview's key figures."""

from __future__ import annotations

from typing import cast

import pandas as pd

from udsat.report.bundle import ReportBundle
from udsat.report.charts import goal_figure
from udsat.report.messages import msg
from udsat.report.pages import (
    MARK,
    count,
    is_share,
    missing,
    plain,
    share,
)
from udsat.report.publish import REST, Published
from udsat.report.writer import PageWriter


def goal_views(bundle: ReportBundle, pub: Published) -> list[dict]:
    """One view per indicator of the monitoring: chart, table beside it, status."""
    lang = bundle.lang
    # (the caller checks status; series and status are published together from the monitoring)
    assert pub.status is not None and pub.series is not None
    views = []
    for i, status in enumerate(pub.status.to_dict("records")):
        ind = status["indicator_id"]
        series = pub.series[
            (pub.series["indicator_id"] == ind) & pub.series["group"].isin(["udsat", "rest"])
        ]
        label = str(status.get(f"label_{lang}") or ind)
        wide = series.pivot_table(
            index="year", columns="group", values="value", aggfunc="first", dropna=False
        )
        scale_share = is_share(series["value"])

        def fmt(v: object, scale_share: bool = scale_share) -> str:
            return share(v, lang) if scale_share else plain(v, lang)

        rows = [
            {
                "year": str(int(y)),
                "udsat": fmt(wide.get("udsat", {}).get(y)),
                "rest": fmt(wide.get("rest", {}).get(y)),
            }
            for y in wide.index
        ]
        gaps = [
            ("gap_latest", status.get("latest_gap")),
            ("gap_target", status.get("target_gap_2035")),
            ("gap_projected", status.get("projected_gap_2035")),
        ]
        years = series["year"].astype(int)
        st = str(status.get("status") or "missing")
        views.append(
            {
                "label": label,
                "file": f"maal_{i + 1:02d}",
                "indicator_id": ind,
                "status": st,
                "status_text": msg(f"status_{st}", lang),
                "reason": str(status.get(f"reason_{lang}") or ""),
                "figure": goal_figure(series, pd.Series(status), lang),
                "alt": msg(
                    "goal_chart_alt",
                    lang,
                    label=label,
                    first=int(years.min()) if len(years) else "",
                    last=int(years.max()) if len(years) else "",
                ),
                "rows": rows,
                "columns": [
                    ("year", msg("year", lang)),
                    ("udsat", msg("group_udsat", lang)),
                    ("rest", msg("group_rest", lang)),
                ],
                "gap_rows": [{"what": msg(k, lang), "value": fmt(v)} for k, v in gaps],
                "gap_columns": [("what", msg("status", lang)), ("value", msg("value", lang))],
                "series": series,
                "status_row": pd.Series(status),
            }
        )
    return views


def key_cards(bundle: ReportBundle, pub: Published) -> list[dict]:
    lang = bundle.lang
    table = pub.area_residents
    years = sorted(table["year"].unique()) if len(table) else []
    cards = [{"label": msg("n_areas", lang), "value": count(len(pub.designated), lang)}]
    if years:
        year = bundle.year if bundle.year in years else years[-1]
        rows = table[table["year"] == year].set_index("area_id")["residents"]
        from udsat.publish.disclosure import TOTAL

        city, rest = rows.get(TOTAL), rows.get(REST)
        known = not (missing(city) or missing(rest))
        inside = int(cast(float, city)) - int(cast(float, rest)) if known else None
        cards += [
            {"label": msg("residents_in_areas", lang), "value": count(inside, lang)},
            {"label": msg("residents_rest", lang), "value": count(rest, lang)},
            {"label": msg("residents_city", lang), "value": count(city, lang)},
            {
                "label": msg("share_in_areas", lang),
                "value": MARK if inside is None else share(inside / int(cast(float, city)), lang),
            },
        ]
    for status in ("parallelsamfund", "forebyggelse"):
        n = int((pub.housing["status"] == status).sum())
        cards.append(
            {
                "label": msg("n_on_list", lang, list=msg(f"list_{status}", lang)),
                "value": count(n, lang),
            }
        )
    return cards


def key_rows(bundle: ReportBundle, pub: Published) -> list[dict]:
    """Latest value of every goal indicator for the vulnerable areas and the rest."""
    if pub.series is None or pub.status is None:
        return []
    lang = bundle.lang
    labels = dict(zip(pub.status["indicator_id"], pub.status[f"label_{lang}"], strict=True))
    latest = pub.series.sort_values("year").groupby(["indicator_id", "group"]).last()["value"]
    rows = []
    for ind, label in labels.items():
        vals = [latest.get((ind, g)) for g in ("udsat", "rest")]
        fmt = share if is_share(pd.Series(vals)) else plain
        rows.append(
            {"indicator": str(label), "udsat": fmt(vals[0], lang), "rest": fmt(vals[1], lang)}
        )
    return rows


def write_goals(writer: PageWriter, bundle: ReportBundle, goals: list[dict]) -> None:
    lang = bundle.lang
    missing = "" if goals else msg("missing_input", lang, what=msg("what_monitoring", lang))
    writer.page(
        "goals.html",
        "goals.html",
        msg("nav_goals", lang),
        has_charts=bool(goals),
        goals=goals,
        missing=missing,
    )
