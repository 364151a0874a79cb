"""The goals page (a summary table, one view per 2035 indicator with data, the indicators
without data) and the overview's key figures.

Every figure names the area set it describes (messages set_screening / set_policy /
set_policy_short / set_lists / set_rest): the overview's cards describe the designated areas of
the screening (or the policy's areas standing in for it), the goals describe the areas the
monitoring followed, the policy's 2017 areas (the dataset's layer udsatte_byomraader_2017). Each
indicator's values are shown in its unit (udsat.report.charts.GoalUnit), in the tables and the
charts alike.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

import pandas as pd

from udsat.report.bundle import ReportBundle
from udsat.report.charts import GoalUnit, goal_figure, goal_unit
from udsat.report.messages import MESSAGES, msg
from udsat.report.pages import MARK, NO_DATA, count, missing, share
from udsat.report.publish import REST, Published
from udsat.report.writer import PageWriter

POLICY_LAYER = "udsatte_byomraader_2017"  # the monitoring's areas (udsat.monitoring.monitor)
GROUPS = ("udsat", "rest")


class GoalViews(list[dict[str, Any]]):
    """The goals drawn as charts (one view each; site.py prints each as PNG and PDF), with what
    the rest of the goals page shows: the summary of every goal and the goals without data."""

    def __init__(
        self,
        drawn: list[dict[str, Any]],
        summary: list[dict[str, Any]],
        no_data: list[dict[str, str]],
        areas: str,
        area_names: list[str],
    ) -> None:
        super().__init__(drawn)
        self.summary = summary
        self.no_data = no_data
        self.areas = areas
        self.area_names = area_names


@lru_cache(maxsize=1)
def _subgoal_labels() -> dict[str, tuple[str, str]]:
    """Sub-goal id -> (Danish, English) label, from the packaged goals file."""
    from udsat.monitoring.goals import load_goals

    return {s.id: (s.label_da, s.label_en) for s in load_goals().subgoals}


def subgoal_label(subgoal: object, lang: str) -> str:
    """ "1.1 Flere i arbejde og uddannelse": the sub-goal by number and name."""
    key = "" if missing(subgoal) else str(subgoal)
    labels = _subgoal_labels().get(key)
    return f"{key} {labels[0 if lang == 'da' else 1]}" if labels else key


def monitored_areas(bundle: ReportBundle, pub: Published) -> list[str]:
    """The names of the areas the monitoring followed (the goal series' groups besides the
    pooled areas and the rest), in id order. Names come from the policy's layer; a name that
    two areas share is told apart by the area's id; an area the layer lacks shows its id."""
    if pub.series is None:
        return []
    ids = sorted(
        {str(g) for g in pub.series["group"].unique()} - set(GROUPS),
        key=lambda v: (0, int(v), v) if v.isdigit() else (1, 0, v),
    )
    layer = bundle.initiative_layers.get(POLICY_LAYER)
    names: dict[str, str] = {}
    if layer is not None and "name" in layer:
        names = dict(zip(layer["unit_id"].astype(str), layer["name"].astype(str), strict=True))
    shown = [names.get(i, i) for i in ids]
    twice = {n for n in shown if shown.count(n) > 1}
    return [f"{n} ({i})" if n in twice else n for n, i in zip(shown, ids, strict=True)]


def policy_set(bundle: ReportBundle, pub: Published) -> str:
    """The words for the monitoring's areas: "Politikkens 17 udsatte byområder (...2017)"."""
    return msg("set_policy", bundle.lang, n=len(monitored_areas(bundle, pub)))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def why_no_data(indicator: str, lang: str) -> str:
    """Why an indicator of kind no_data has none, in the page's language."""
    key = f"why_no_data_{indicator}"
    return msg(key if key in MESSAGES else "why_no_data", lang)


def _latest(series: pd.DataFrame, group: str) -> tuple[object, object]:
    """The latest published value of a group and its year."""
    rows = series[(series["group"] == group) & series["value"].notna()].sort_values("year")
    if rows.empty:
        return None, None
    return rows["value"].iloc[-1], int(rows["year"].iloc[-1])


def _year_rows(series: pd.DataFrame, unit: GoalUnit, lang: str) -> list[dict[str, str]]:
    wide = series.pivot_table(
        index="year", columns="group", values="value", aggfunc="first", dropna=False
    ).reindex(columns=list(GROUPS))
    rows = []
    for year, row in wide.iterrows():
        inside, rest = row["udsat"], row["rest"]
        gap = None if missing(inside) or missing(rest) else float(inside) - float(rest)
        rows.append(
            {
                "year": str(int(cast(float, year))),
                "udsat": unit.value(inside, lang),
                "rest": unit.value(rest, lang),
                "gap": unit.gap_number(gap, lang),
            }
        )
    return rows


def gap_header(unit: GoalUnit, lang: str) -> str:
    """The header of a column of gaps without their unit: "Afstand i procentpoint"."""
    name = unit.gap_unit(lang)
    return msg("gap_in", lang, unit=name) if name else msg("gap", lang)


def _gap_rows(status: pd.Series, unit: GoalUnit, lang: str) -> list[dict[str, str]]:
    """The latest gap, the 2035 target and the projection with its interval (numbers in the
    unit the column header names)."""
    latest_year = status.get("latest_year")
    latest = (
        msg("gap_latest_year", lang, year=int(cast(float, latest_year)))
        if not missing(latest_year)
        else msg("gap_latest", lang)
    )

    def fmt(key: str) -> str:
        return unit.gap_number(status.get(key), lang)

    rows = [
        {"what": latest, "value": fmt("latest_gap")},
        {"what": msg("gap_target", lang), "value": fmt("target_gap_2035")},
        {"what": msg("gap_projected", lang), "value": fmt("projected_gap_2035")},
    ]
    if not (missing(status.get("projected_low")) or missing(status.get("projected_high"))):
        interval = msg("interval", lang, low=fmt("projected_low"), high=fmt("projected_high"))
        rows.append({"what": msg("projected_interval", lang), "value": interval})
    return rows


def _summary_row(
    status: dict[Any, Any], series: pd.DataFrame, unit: GoalUnit, lang: str, href: str
) -> dict[str, Any]:
    """One goal's latest values, gap, target and status, each in the goal's unit; a goal
    without data says so."""
    ind = str(status["indicator_id"])
    label = str(status.get(f"label_{lang}") or ind)
    has_data = bool(series["value"].notna().any())
    st = str(status.get("status") or "missing")
    inside, inside_year = _latest(series, "udsat")
    rest, rest_year = _latest(series, "rest")
    none = msg("no_data", lang)
    if inside_year is None:
        year = NO_DATA
    elif rest_year is None or rest_year == inside_year:
        year = str(inside_year)
    else:
        year = f"{inside_year}/{rest_year}"
    return {
        "indicator": {"href": href, "text": label} if has_data else label,
        "subgoal": subgoal_label(status.get("subgoal"), lang),
        "better": unit.better(lang) or NO_DATA,
        "udsat": unit.value(inside, lang) if has_data else none,
        "rest": unit.value(rest, lang) if has_data else none,
        "year": year,
        "gap": unit.gap(status.get("latest_gap"), lang) if has_data else NO_DATA,
        "target": unit.gap(status.get("target_gap_2035"), lang) if has_data else NO_DATA,
        "status": {"text": msg(f"status_{st}", lang), "css": f"status-{st}"},
    }


def single_year(rows: list[dict[str, Any]]) -> str | None:
    """The year of every row with data when they share one (the table then names it once)."""
    years = {r["year"] for r in rows if r["year"] != NO_DATA}
    return years.pop() if len(years) == 1 else None


def goal_views(bundle: ReportBundle, pub: Published) -> GoalViews:
    """The goals page's views: a chart and tables for every indicator with data, a summary row
    for every indicator, and the indicators without data (listed, not drawn)."""
    lang = bundle.lang
    # (the caller checks status; series and status are published together from the monitoring)
    assert pub.status is not None and pub.series is not None
    areas = policy_set(bundle, pub)
    short = msg("set_policy_short", lang)
    drawn: list[dict[str, Any]] = []
    summary: list[dict[str, Any]] = []
    no_data: list[dict[str, str]] = []
    for i, status in enumerate(pub.status.to_dict("records")):
        row = pd.Series(status)
        ind = str(status["indicator_id"])
        series = pub.series[
            (pub.series["indicator_id"] == ind) & pub.series["group"].isin(list(GROUPS))
        ]
        label = str(status.get(f"label_{lang}") or ind)
        unit = goal_unit(row, series["value"])
        anchor = f"g-{ind}"
        st = str(status.get("status") or "missing")
        has_data = bool(series["value"].notna().any())
        summary.append(_summary_row(status, series, unit, lang, f"#{anchor}"))
        if not has_data:
            reason = (
                why_no_data(ind, lang)
                if status.get("kind") == "no_data"
                else str(status.get(f"reason_{lang}") or msg("why_no_data", lang))
            )
            no_data.append({"anchor": anchor, "label": label, "reason": reason})
            continue
        years = series["year"].astype(int)
        first, last = int(years.min()), int(years.max())
        drawn.append(
            {
                "label": label,
                "anchor": anchor,
                "file": f"maal_{i + 1:02d}",
                "indicator_id": ind,
                "subgoal": subgoal_label(status.get("subgoal"), lang),
                "better": unit.better(lang),
                "status": st,
                "status_text": msg(f"status_{st}", lang),
                "reason": str(status.get(f"reason_{lang}") or ""),
                "figure": goal_figure(series, row, lang),
                "caption": msg(
                    "goal_figure_caption",
                    lang,
                    label=label,
                    first=first,
                    last=last,
                    areas=_lower_first(areas),
                    unit="; ".join(
                        x for x in (msg(f"in_{unit.kind}", lang), unit.better(lang)) if x
                    ),
                ),
                "table_caption": msg(
                    "goal_table_caption",
                    lang,
                    label=label,
                    areas=short,
                    gap=_lower_first(gap_header(unit, lang)),
                ),
                "rows": _year_rows(series, unit, lang),
                "columns": [
                    ("year", msg("year", lang)),
                    ("udsat", short),
                    ("rest", msg("set_rest", lang)),
                    ("gap", msg("gap", lang)),
                ],
                "gap_caption": msg("goal_gap_caption", lang, label=label),
                "gap_rows": _gap_rows(row, unit, lang),
                "gap_columns": [("what", msg("gap", lang)), ("value", gap_header(unit, lang))],
                "series": series,
                "status_row": row,
            }
        )
    return GoalViews(drawn, summary, no_data, areas, monitored_areas(bundle, pub))


SUMMARY_NUMERIC = ("udsat", "rest", "gap", "target")


def summary_columns(lang: str) -> list[tuple[str, str]]:
    return [
        ("indicator", msg("indicator", lang)),
        ("subgoal", msg("subgoal", lang)),
        ("better", msg("better", lang)),
        ("udsat", msg("set_policy_short", lang)),
        ("rest", msg("set_rest", lang)),
        ("year", msg("year", lang)),
        ("gap", msg("gap", lang)),
        ("target", msg("gap_target", lang)),
        ("status", msg("status", lang)),
    ]


def designated_set(bundle: ReportBundle, pub: Published) -> str:
    """The words for the overview's designated areas: the screening's, or the policy's areas
    standing in for a screening that has not run."""
    screening = bundle.screening
    if screening is None or getattr(screening, "stand_in", False):
        return msg("set_policy", bundle.lang, n=len(pub.designated))
    return msg("set_screening", bundle.lang, year=screening.year)


def key_cards(bundle: ReportBundle, pub: Published) -> list[dict[str, Any]]:
    """The overview's cards, each naming the area set it describes."""
    lang = bundle.lang
    table = pub.area_residents
    years = sorted(table["year"].unique()) if len(table) else []
    designated = designated_set(bundle, pub)
    cards = [
        {
            "label": msg("n_designated", lang),
            "value": count(len(pub.designated), lang),
            "set": designated,
        }
    ]
    if years:
        year = bundle.year if bundle.year in years else years[-1]
        rows = table[table["year"] == year].set_index("area_id")["residents"]
        from udsat.publish.disclosure import TOTAL

        city, rest = rows.get(TOTAL), rows.get(REST)
        known = not (missing(city) or missing(rest))
        inside = int(cast(float, city)) - int(cast(float, rest)) if known else None
        residents = msg("residents_in_year", lang, year=int(year))
        cards += [
            {"label": residents, "value": count(inside, lang), "set": designated},
            {
                "label": msg("share_in_areas", lang),
                "value": MARK if inside is None else share(inside / int(cast(float, city)), lang),
                "set": designated,
            },
            {"label": residents, "value": count(rest, lang), "set": msg("set_rest", lang)},
            {"label": residents, "value": count(city, lang), "set": msg("set_city", lang)},
        ]
    listed = msg("set_lists", lang, year=bundle.year)
    for status in ("parallelsamfund", "forebyggelse"):
        n = int((pub.housing["status"] == status).sum())
        cards.append(
            {
                "label": msg("n_on_list", lang, list=msg(f"list_{status}", lang)),
                "value": count(n, lang),
                "set": listed,
            }
        )
    return cards


def key_rows(bundle: ReportBundle, pub: Published) -> dict[str, Any] | None:
    """The overview's key-figure table: the latest value of every goal indicator with data in
    the monitoring's areas and in the rest of the city, each in its unit."""
    if pub.series is None or pub.status is None:
        return None
    lang = bundle.lang
    rows, without = [], 0
    for status in pub.status.to_dict("records"):
        ind = str(status["indicator_id"])
        series = pub.series[
            (pub.series["indicator_id"] == ind) & pub.series["group"].isin(list(GROUPS))
        ]
        if not series["value"].notna().any():
            without += 1
            continue
        unit = goal_unit(pd.Series(status), series["value"])
        rows.append(_summary_row(status, series, unit, lang, f"goals.html#g-{ind}"))
    year = single_year(rows)
    areas = _lower_first(policy_set(bundle, pub))
    columns = [
        ("indicator", msg("indicator", lang)),
        ("year", msg("year", lang)),
        ("udsat", msg("set_policy_short", lang)),
        ("rest", msg("set_rest", lang)),
    ]
    return {
        "rows": rows,
        "columns": [c for c in columns if not (year and c[0] == "year")],
        "numeric": ("udsat", "rest"),
        "caption": msg("key_goals_caption", lang, areas=areas, year=year or msg("latest", lang)),
        "missing": msg("key_goals_missing", lang, n=without) if without else "",
    }


def write_goals(writer: PageWriter, bundle: ReportBundle, goals: list[dict]) -> None:
    lang = bundle.lang
    page = goals if isinstance(goals, GoalViews) else None
    context: dict[str, Any] = {"page": page, "goals": list(goals), "missing": ""}
    if page is None:
        context["missing"] = msg("missing_input", lang, what=msg("what_monitoring", lang))
    else:
        areas = _lower_first(page.areas)
        year = single_year(page.summary)
        context.update(
            lede=msg("goals_lede", lang, areas=areas),
            summary_caption=msg(
                "goals_summary_caption", lang, areas=areas, year=year or msg("latest", lang)
            ),
            summary_columns=[c for c in summary_columns(lang) if not (year and c[0] == "year")],
            summary_numeric=SUMMARY_NUMERIC,
        )
    writer.page(
        "goals.html", "goals.html", msg("nav_goals", lang), has_charts=bool(goals), **context
    )
