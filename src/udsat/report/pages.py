"""View models of the pages: plain dicts and lists of already formatted, published figures.

The templates only lay them out (autoescaped); nothing here writes markup.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, cast

import numpy as np
import pandas as pd

from udsat.i18n import number
from udsat.report.bundle import ReportBundle
from udsat.report.charts import goal_figure, trend_figure
from udsat.report.maps import (
    Frame,
    Shape,
    SvgMap,
    legend_steps,
    path_data,
    sequential_colours,
)
from udsat.report.messages import msg
from udsat.report.publish import REST, Published
from udsat.statelists.rules import RuleSet, law, ruleset_for_year

CRITERIA = ("income", "education", "labour", "youth", "health", "safety")
MARK = ".."


def list_criteria(rs: RuleSet) -> list[tuple[str, str]]:
    """The state's criteria the pages show, in the law's order, with the column prefix of the
    tier each is judged at first (c1_outside; k_outside_ku for kombineret udlejning)."""
    return [(k, rs.prefix(k, next(iter(c.thresholds)))) for k, c in rs.criteria.items()]


def state_lists(table: pd.DataFrame) -> list[str]:
    """The law's lists that `table` holds, in the law's order."""
    return [k for k in law().list_keys() if k in table]


def slug(value: object) -> str:
    """A file name for any id: safe characters plus a hash, so hostile ids cannot collide."""
    text = str(value)
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", text)[:40]
    return f"{safe}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"


def area_page(area_id: object) -> str:
    return f"areas/{slug(area_id)}.html"


def housing_page(housing_id: object) -> str:
    return f"housing/{slug(housing_id)}.html"


def missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


# The formatters take a table cell of any type; a cell that is not missing is a number.
def count(value: object, lang: str) -> str:
    return MARK if missing(value) else number(int(cast(float, value)), lang)


def share(value: object, lang: str, scale: float = 100.0) -> str:
    """A share as a percentage (values in [0, 1] unless scale=1 says they are percent)."""
    return MARK if missing(value) else f"{number(float(cast(float, value)) * scale, lang, 1)} %"


def plain(value: object, lang: str, decimals: int = 2) -> str:
    return MARK if missing(value) else number(float(cast(float, value)), lang, decimals)


def yes_no(value: object, lang: str) -> str:
    return MARK if missing(value) else msg("yes" if bool(value) else "no", lang)


def is_share(values: pd.Series) -> bool:
    finite = pd.to_numeric(values, errors="coerce").dropna()
    return bool(len(finite)) and bool(finite.between(0, 1).all())


def shown(values: pd.Series, lang: str) -> list[str]:
    """Shares as percentages, other figures (rates) as plain numbers."""
    if is_share(values):
        return [share(v, lang) for v in values]
    return [plain(v, lang) for v in values]


# ---------------------------------------------------------------- maps


def overview_map(bundle: ReportBundle, pub: Published, frame: Frame, bg: list[str]) -> SvgMap:
    lang = bundle.lang
    shapes = []
    for row in pub.designated.itertuples():
        figures = [(msg("residents", lang), count(row.residents, lang))]
        crit = str(getattr(row, "criteria", "") or "")
        if crit:
            labels = [msg(f"crit_{c}", lang) for c in crit.split(";") if f"crit_{c}" in _KEYS]
            figures.append((msg("criteria_flagged", lang), ", ".join(labels)))
        shapes.append(
            Shape(
                f"a:{row.area_id}",
                str(row.name),
                area_page(row.area_id),
                "designated",
                path_data(row.geometry, frame),
                None,
                figures,
            )
        )
    risk = _risk_by_housing(pub)
    for row in pub.housing.itertuples():
        figures = [(msg("residents", lang), count(row.residents, lang))]
        if row.status != "housing":
            figures.append((msg("lists", lang), msg(f"legend_{row.status}", lang)))
        if row.housing_area_id in risk:
            figures.append((msg("risk_rank", lang), risk[row.housing_area_id]))
        shapes.append(
            Shape(
                f"h:{row.housing_area_id}",
                str(row.name),
                housing_page(row.housing_area_id),
                row.status,
                path_data(row.geometry, frame),
                None,
                figures,
            )
        )
    listed = int((pub.housing["status"] != "housing").sum())
    city = str(bundle.manifest.get("dataset", {}).get("municipality", ""))
    return SvgMap(
        frame,
        bg,
        shapes,
        msg("map_title", lang, year=bundle.year),
        msg("map_alt", lang, city=city, areas=len(pub.designated), listed=listed),
        frame.basemap(bundle.basemap_url),
    )


_KEYS = {f"crit_{c}" for c in CRITERIA}


def _risk_by_housing(pub: Published) -> dict[str, str]:
    if pub.warnings is None or "risk_rank" not in pub.warnings:
        return {}
    return {
        str(k): str(v)
        for k, v in zip(pub.warnings["housing_area_id"], pub.warnings["risk_rank"], strict=True)
    }


def profile_map(
    bundle: ReportBundle, frame: Frame, bg: list[str], key: str, name: str, geometry: Any
) -> SvgMap:
    shape = Shape(key, name, "", "selected", path_data(geometry, frame), None, [])
    return SvgMap(
        frame,
        bg,
        [shape],
        name,
        msg("profile_map_alt", bundle.lang, name=name),
    )


MAX_UNIT_SHAPES = 400  # more units (e.g. 100 m cells) are drawn as one path per colour class


def unit_paths(bundle: ReportBundle, frame: Frame) -> pd.DataFrame:
    """unit_id, name and SVG path of each screening unit, computed once for all six maps."""
    screening = bundle.screening
    assert screening is not None and screening.unit_geometry is not None  # (the caller checks)
    geo = screening.unit_geometry
    names = geo["name"].astype(str) if "name" in geo else geo["unit_id"].astype(str)
    tolerance = 8.0 if len(geo) <= MAX_UNIT_SHAPES else 0.0
    return pd.DataFrame(
        {
            "unit_id": geo["unit_id"].astype(str).to_numpy(),
            "name": names.to_numpy(),
            "d": [path_data(g, frame, tolerance) for g in geo.geometry],
        }
    )


def _city_average(merged: pd.DataFrame, crit: str, values: pd.Series) -> float | None:
    """The screening's own city value when given, else the residents-weighted mean."""
    if f"{crit}_city" in merged:
        city = pd.to_numeric(merged[f"{crit}_city"], errors="coerce").dropna()
        if len(city):
            return float(city.iloc[0])
    weights = pd.to_numeric(merged["residents"], errors="coerce")
    ok = values.notna() & weights.notna()
    return float(np.average(values[ok], weights=weights[ok])) if ok.any() else None


def criterion_map(
    bundle: ReportBundle,
    pub: Published,
    frame: Frame,
    bg: list[str],
    paths: pd.DataFrame,
    crit: str,
) -> dict:
    """A choropleth of one criterion with the city average and its numbers in a table."""
    lang = bundle.lang
    assert pub.units is not None  # (the caller checks: criteria maps need the screening's units)
    units = pub.units.copy()
    units["unit_id"] = units["unit_id"].astype(str)
    merged = paths.merge(units, on="unit_id", how="left")
    values = pd.to_numeric(merged[f"{crit}_value"], errors="coerce")
    as_share = is_share(values)

    def fmt(v: object) -> str:
        return share(v, lang) if as_share else plain(v, lang)

    label = msg(f"crit_{crit}", lang)
    if len(merged) <= MAX_UNIT_SHAPES:
        shapes, rows, columns = _unit_shapes(merged, values, crit, fmt, lang)
        legend = [(fmt(v), c) for v, c in legend_steps(values.to_numpy())]
    else:
        shapes, rows, columns, legend = _class_shapes(merged, values, fmt, lang)
    overlay = [
        Shape(
            f"a:{r.area_id}",
            str(r.name),
            area_page(r.area_id),
            "outline",
            path_data(r.geometry, frame),
            None,
            [],
        )
        for r in pub.designated.itertuples()
    ]
    return {
        "id": crit,
        "label": label,
        "average": msg("city_average", lang, value=fmt(_city_average(merged, crit, values))),
        "map": SvgMap(
            frame,
            bg,
            shapes + overlay,
            label,
            msg("choropleth_alt", lang, criterion=label, units=len(merged)),
        ),
        "legend": legend,
        "rows": rows,
        "columns": columns,
    }


def _unit_shapes(merged: pd.DataFrame, values: pd.Series, crit: str, fmt: Any, lang: str) -> tuple:
    colours = sequential_colours(values.to_numpy())
    texts = [fmt(v) for v in values]
    shapes = [
        Shape(f"u:{u}", str(n), "", "unit", d, c, [(msg("value", lang), t)])
        for u, n, d, c, t in zip(
            merged["unit_id"], merged["name"], merged["d"], colours, texts, strict=True
        )
    ]
    ratio = merged.get(f"{crit}_ratio", values * np.nan)
    flag = merged.get(f"{crit}_flag", values * np.nan)
    rows = [
        {"unit": str(n), "value": t, "ratio": plain(r, lang), "flag": yes_no(f, lang)}
        for n, t, r, f in zip(merged["name"], texts, ratio, flag, strict=True)
    ]
    return shapes, rows, [(k, msg(k, lang)) for k in ("unit", "value", "ratio", "flag")]


def _class_shapes(merged: pd.DataFrame, values: pd.Series, fmt: Any, lang: str) -> tuple:
    """Many small units: one path per quantile class, a table of the classes."""
    finite = values.dropna()
    edges: np.ndarray | list[float] = (
        np.unique(np.nanquantile(finite, np.linspace(0, 1, 7))) if len(finite) else []
    )
    classes = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, max(len(edges) - 2, 0))
    mids = [(edges[i] + edges[i + 1]) / 2 for i in range(len(edges) - 1)]
    colours = sequential_colours(np.array(mids)) if mids else []
    shapes, rows, legend = [], [], []
    residents = pd.to_numeric(merged["residents"], errors="coerce")
    for i, colour in enumerate(colours):
        member = values.notna().to_numpy() & (classes == i)
        span = f"{fmt(edges[i])} - {fmt(edges[i + 1])}"
        people = float(residents[member].sum())
        figures = [
            (msg("units_n", lang), count(int(member.sum()), lang)),
            (msg("residents", lang), count(people if people >= 5 else None, lang)),
        ]
        shapes.append(
            Shape(f"c:{i}", span, "", "unit", "".join(merged["d"][member]), colour, figures)
        )
        rows.append(
            {"class": span, "units": count(int(member.sum()), lang), "residents": figures[1][1]}
        )
        legend.append((span, colour))
    hidden = values.isna().to_numpy()
    if hidden.any():
        shapes.append(
            Shape(
                "c:na",
                MARK,
                "",
                "unit",
                "".join(merged["d"][hidden]),
                "#bdbdbd",
                [(msg("units_n", lang), count(int(hidden.sum()), lang))],
            )
        )
        rows.append({"class": MARK, "units": count(int(hidden.sum()), lang), "residents": MARK})
        legend.append((MARK, "#bdbdbd"))
    columns = [
        ("class", msg("value", lang)),
        ("units", msg("units_n", lang)),
        ("residents", msg("residents", lang)),
    ]
    return shapes, rows, columns, legend


# ---------------------------------------------------------------- tables


def lists_rows(bundle: ReportBundle, pub: Published) -> tuple[list[dict], list, tuple]:
    """This year's state lists: criteria with margins, lists and the early-warning risk; with
    an amendment (`--rules`), the lists under it beside them."""
    lang = bundle.lang
    rs = ruleset_for_year(bundle.year)
    criteria = list_criteria(rs)
    table = pub.lists[pub.lists["list_year"] == bundle.year]
    lists = state_lists(table)
    names = {k: law().list_name(k, lang, bundle.year) for k in lists}  # once, not per row
    amended = "status_changes_amended" in table
    warnings = pub.warnings.set_index("housing_area_id") if pub.warnings is not None else None
    rows = []
    for r in table.to_dict("records"):
        row = {
            "area": {"href": housing_page(r["area_id"]), "text": str(r["area_name"])},
            "residents": count(r["residents"], lang),
            "criteria_met": plain(r.get("criteria_met"), lang, 0),
        }
        for c, prefix in criteria:
            row[c] = (
                f"{share(r.get(f'{c}_value'), lang, 1)} / "
                f"{share(r.get(f'{prefix}_threshold'), lang, 1)} "
                f"({plain(r.get(f'{prefix}_margin_pp'), lang, 1)})"
            )
        row["lists"] = ", ".join(names[k] for k in lists if r.get(k) is True) or "-"
        if amended:
            row["amended"] = (
                ", ".join(names[k] for k in lists if r.get(f"{k}_amended") is True) or "-"
            )
        if warnings is not None and r["area_id"] in warnings.index:
            w = warnings.loc[r["area_id"]]
            row["risk"] = (
                f"{share(w.get('p_parallelsamfund'), lang)} / "
                f"{share(w.get('p_forebyggelse'), lang)}"
            )
            row["risk_rank"] = plain(w.get("risk_rank"), lang, 0)
        else:
            row["risk"] = row["risk_rank"] = msg("not_available", lang)
        rows.append(row)
    columns = [
        ("area", msg("area", lang)),
        ("residents", msg("residents", lang)),
        ("criteria_met", msg("criteria_met", lang)),
    ]
    columns += [
        (
            c,
            f"{law().criterion_short(c, lang)}: {msg('value', lang)} / {msg('threshold', lang)} "
            f"({msg('margin_pp', lang)})",
        )
        for c, _ in criteria
    ]
    columns += [("lists", msg("lists", lang))]
    if amended:
        columns += [("amended", msg("lists_amended", lang))]
    columns += [("risk", msg("risk", lang)), ("risk_rank", msg("risk_rank", lang))]
    return rows, columns, ("residents", "criteria_met", *(c for c, _ in criteria), "risk_rank")


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


def area_rows(bundle: ReportBundle, pub: Published) -> list[dict]:
    lang = bundle.lang
    rows = [
        {
            "area": {"href": area_page(r.area_id), "text": str(r.name)},
            "kind": msg("legend_designated", lang),
            "residents": count(r.residents, lang),
        }
        for r in pub.designated.itertuples()
    ]
    rows += [
        {
            "area": {"href": housing_page(r.housing_area_id), "text": str(r.name)},
            "kind": msg(f"legend_{r.status}", lang),
            "residents": count(r.residents, lang),
        }
        for r in pub.housing.itertuples()
    ]
    return rows


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
