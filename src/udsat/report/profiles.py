"""The profiles: one page per designated area and per housing area, the compare page, the
search index and each area profile's CSV.

An area profile shows the screening's six criteria against the city with 95 % intervals and
their trend (`Published.area_indicators`), the area's status and dynamics (classified as
Berlin's Monitoring Soziale Stadtentwicklung classifies its planning areas: `status_class` and
`dynamics_class`, the one place the rule lives), its stability, the housing areas inside it with
their lists, distances and early-warning risk, its 2035 indicators and the initiatives that
touch it. A housing profile shows every list criterion of the law over the years with the
thresholds in force each year, its lists per year and its early warning.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
import shapely

from udsat.indicators.catalogue import load_catalogue
from udsat.publish import tables as specs
from udsat.report.bundle import ReportBundle
from udsat.report.charts import goal_unit, trend_figure
from udsat.report.maps import Frame
from udsat.report.mapviews import profile_map
from udsat.report.messages import msg
from udsat.report.pages import (
    CRITERIA,
    MARK,
    NOT_APPLICABLE,
    area_page,
    count,
    housing_page,
    mark_for,
    missing,
    plain,
    share,
    slug,
    state_lists,
    yes_no,
)
from udsat.report.publish import Published
from udsat.report.writer import PageWriter
from udsat.screening.messages import label as criterion_label
from udsat.statelists.rules import RuleSet, law, ruleset_for_year, ruleset_named

CITY = "city"  # the city's rows of Published.area_indicators (udsat.pipeline)
POLICY_LAYER = "udsatte_byomraader_2017"  # the monitoring's groups (udsat.monitoring.monitor)
COMPARE_PAGE = "compare.html"
SEARCH_INDEX = "assets/search-index.js"
PROFILE_DATA = "assets/profile-data.js"

# ---------------------------------------------------------------- status and dynamics
# As Berlin's Monitoring Soziale Stadtentwicklung (MSS) classifies its planning areas by a status
# index and a dynamics index, an area here gets:
# - status index = the mean over the screening's criteria of the area's directed ratio to the
#   city (the screening's own measure: area / city, on the complement where higher is better;
#   1 = the city's level, above 1 = worse), in the report year;
# - status "low" when the index is >= 1 + STATUS_BAND (on average as far from the city as a
#   criterion the screening flags, its margin 0.25), "high" when <= 1 / (1 + STATUS_BAND)
#   (as far on the better side), "medium" between;
# - dynamics = the change of the index over DYNAMICS_YEARS years: "negative" when it rose by
#   >= DYNAMICS_BAND (the area fell further behind the city), "positive" when it fell by
#   >= DYNAMICS_BAND, "stable" between. Boundaries belong to the outer classes.
# MSS cuts at the standard deviation over its 500 areas; with a dozen areas a spread is no
# yardstick, so the bands are fixed and stated here.
STATUS_BAND = 0.25
DYNAMICS_BAND = 0.05
DYNAMICS_YEARS = 2
_EPS = 1e-9  # a ratio computed a hair off a boundary counts as on it


def status_class(index: object) -> str | None:
    """ "high", "medium" or "low" for a status index (None when unknown)."""
    if missing(index):
        return None
    value = float(index)  # type: ignore[arg-type]
    if value >= 1 + STATUS_BAND - _EPS:
        return "low"
    if value <= 1 / (1 + STATUS_BAND) + _EPS:
        return "high"
    return "medium"


def dynamics_class(change: object) -> str | None:
    """ "positive", "stable" or "negative" for a change of the status index (None: unknown)."""
    if missing(change):
        return None
    value = float(change)  # type: ignore[arg-type]
    if value >= DYNAMICS_BAND - _EPS:
        return "negative"
    if value <= -DYNAMICS_BAND + _EPS:
        return "positive"
    return "stable"


def area_criteria(table: pd.DataFrame, area_id: str) -> pd.DataFrame:
    """One row per indicator and year of `area_id`: its published value and interval, the
    city's value and the directed ratio (the screening's: area / city, complements where higher
    is better)."""
    area = table[table["area_id"].astype(str) == area_id]
    city = table[table["area_id"].astype(str) == CITY][["indicator_id", "year", "value"]]
    out = area.merge(city.rename(columns={"value": "city"}), on=["indicator_id", "year"])
    better = out["direction"].eq("higher_is_better").to_numpy()
    value = pd.to_numeric(out["value"], errors="coerce").to_numpy(float, na_value=np.nan)
    ref = pd.to_numeric(out["city"], errors="coerce").to_numpy(float, na_value=np.nan)
    worse_value = np.where(better, 1 - value, value)
    worse_city = np.where(better, 1 - ref, ref)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio"] = np.where(worse_city > 0, worse_value / worse_city, np.nan)
    return out.sort_values(["year", "indicator_id"], ignore_index=True)


def criterion_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """Years x criteria: the mean ratio of each criterion's indicators (as the screening)."""
    return frame.groupby(["year", "criterion"])["ratio"].mean().unstack("criterion")


def status_index(frame: pd.DataFrame) -> pd.Series:
    """Per year: the mean over the criteria with a value of the criterion ratios."""
    return criterion_ratios(frame).mean(axis=1, skipna=True)


@dataclass
class Classified:
    year: int
    index: float | None
    status: str | None
    change: float | None
    dynamics: str | None
    since: int


def classify(frame: pd.DataFrame, year: int) -> Classified:
    """The area's status in `year` and its dynamics since `year` - DYNAMICS_YEARS."""
    index = status_index(frame)
    now = index.get(year)
    before = index.get(year - DYNAMICS_YEARS)
    change = None if missing(now) or missing(before) else _num(now) - _num(before)
    return Classified(
        year=year,
        index=None if missing(now) else _num(now),
        status=status_class(now),
        change=change,
        dynamics=dynamics_class(change),
        since=year - DYNAMICS_YEARS,
    )


# ---------------------------------------------------------------- helpers


def _signed(value: float | None, lang: str, decimals: int = 1) -> str:
    if value is None or missing(value):
        return MARK
    text = plain(value, lang, decimals)
    return text if text.startswith("-") or float(value) == 0 else f"+{text}"


def _num(value: object) -> float:
    """A table cell known not to be missing, as a float."""
    return float(cast(float, value))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _true(value: object) -> bool:
    return not missing(value) and bool(value)


def _ordered_criteria(present: list[str]) -> list[str]:
    return [c for c in CRITERIA if c in present] + sorted(c for c in present if c not in CRITERIA)


def _indicator_labels(lang: str) -> dict[str, str]:
    return {i.id: i.label(lang) for i in load_catalogue().indicators}


def _section(title: str, **parts: Any) -> dict:
    base: dict[str, Any] = {
        "title": title,
        "id": "",
        "paragraphs": [],
        "facts": [],
        "tables": [],
        "notes": [],
        "links": [],
        "figure": None,
        "alt": "",
    }
    base.update(parts)
    return base


def _table(rows: list[dict], columns: list[tuple[str, str]], caption: str, numeric=()) -> dict:
    return {"rows": rows, "columns": columns, "caption": caption, "numeric": tuple(numeric)}


def _inside(outer: Any, inner: Any) -> bool:
    """A housing area lies in a designated area when its inner point does."""
    if outer is None or inner is None or inner.is_empty:
        return False
    return bool(outer.contains(shapely.point_on_surface(inner)))


# ---------------------------------------------------------------- initiatives


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
        index.append((record, [CITY if t == CITY else polygons.get(t) for t in tokens]))
    return index


def _initiative_status(status: str, lang: str) -> str:
    """The data contract's status (planned, active, ended) in words."""
    key = f"prof_initiative_{status}"
    return msg(key, lang) if status in ("planned", "active", "ended") else status


def initiatives_for(
    index: list[tuple[dict, list[Any]]], geometry: Any, lang: str = "da"
) -> list[dict]:
    """Initiatives whose own areas cover `geometry` (a polygon it overlaps by >= 10 %); the
    city-wide ones are not listed here (`citywide`)."""
    rows = []
    for record, places in index:
        if any(_covers(place, geometry) for place in places):
            rows.append(
                {
                    "initiative": str(record.get("name", "")),
                    "administration": str(record.get("administration", "")).replace(";", ", "),
                    "start_year": str(record.get("start_year", "")),
                    "status": _initiative_status(str(record.get("status", "")), lang),
                }
            )
    return rows


def citywide(index: list[tuple[dict, list[Any]]]) -> int:
    """How many initiatives cover the whole city."""
    return sum(1 for _, places in index if CITY in places)


def _covers(place: Any, geometry: Any) -> bool:
    if isinstance(place, str):
        return False
    if place is None or geometry is None or geometry.area == 0:
        return False
    return bool(place.intersection(geometry).area >= 0.1 * geometry.area)


def initiatives_section(bundle: ReportBundle, index: list, geometry: Any) -> dict:
    lang = bundle.lang
    rows = initiatives_for(index, geometry, lang)
    columns = [(k, msg(k, lang)) for k in ("initiative", "administration", "start_year", "status")]
    notes = [] if rows else [msg("no_initiatives", lang)]
    n_city = citywide(index)
    if n_city:
        notes.append(msg("prof_citywide", lang, n=n_city))
    title = msg("initiatives", lang)
    return _section(
        title,
        id="initiatives",
        tables=[_table(rows, columns, title)] if rows else [],
        notes=notes,
    )


# ---------------------------------------------------------------- area profile


def residents_section(pub: Published, area_id: str, lang: str) -> dict:
    rows = pub.area_residents[pub.area_residents["area_id"] == area_id].sort_values("year")
    values = rows.rename(columns={"residents": "value"})
    title = msg("residents_trend", lang)
    table_rows = [
        {"year": str(y), "residents": count(v, lang)}
        for y, v in zip(rows["year"], rows["residents"], strict=True)
    ]
    columns = [("year", msg("year", lang)), ("residents", msg("residents", lang))]
    return _section(
        title,
        id="residents",
        tables=[_table(table_rows, columns, title, ("residents",))],
        figure=trend_figure(values, msg("residents", lang), lang) if len(rows) else None,
        alt=title,
    )


def _status_word(kind: str, value: str | None, lang: str) -> str:
    return msg(f"prof_{kind}_{value}", lang) if value else msg("not_available", lang)


def summary_section(
    bundle: ReportBundle, pub: Published, area: Any, c: Classified | None, n_housing: int
) -> dict:
    lang = bundle.lang
    area_id = str(area.area_id)
    res = pub.area_residents[pub.area_residents["area_id"] == area_id]
    latest = res[res["year"] == res["year"].max()] if len(res) else res
    stability = getattr(area, "stability", None)
    facts = [
        (
            msg("prof_residents_in", lang, year=int(latest["year"].iloc[0]) if len(latest) else ""),
            count(latest["residents"].iloc[0], lang) if len(latest) else MARK,
        ),
        (
            msg("stability", lang),
            share(stability, lang) if not missing(stability) else msg("not_available", lang),
        ),
    ]
    if c is not None:
        facts.append(
            (
                msg("prof_status", lang, year=c.year),
                f"{_status_word('status', c.status, lang)} "
                f"({msg('prof_index', lang)} {plain(c.index, lang)})",
            )
        )
        facts.append(
            (
                msg("prof_dynamics", lang, since=c.since, year=c.year),
                f"{_status_word('dynamics', c.dynamics, lang)} "
                f"({msg('prof_change', lang)} {_signed(c.change, lang, 2)})",
            )
        )
    facts.append((msg("prof_housing_inside", lang), str(n_housing)))
    notes = [msg("prof_stability_note", lang)]
    if c is not None:
        notes.append(
            msg(
                "prof_rule",
                lang,
                low=plain(1 + STATUS_BAND, lang),
                high=plain(1 / (1 + STATUS_BAND), lang),
                years=DYNAMICS_YEARS,
                band=plain(DYNAMICS_BAND, lang),
            )
        )
    return _section(
        msg("why", lang),
        id="summary",
        paragraphs=[str(getattr(area, f"explanation_{lang}", "") or "")],
        facts=facts,
        notes=notes,
    )


def criteria_section(frame: pd.DataFrame, year: int, lang: str) -> dict | None:
    """The criteria against the city in `year`: value with interval, city, ratio, change over
    DYNAMICS_YEARS years and the trend over the years shown."""
    if frame.empty:
        return None
    labels = _indicator_labels(lang)
    years = sorted(int(y) for y in frame["year"].unique())
    first = years[0]
    now = frame[frame["year"] == year].set_index("indicator_id")
    if now.empty:
        return None
    rows = []
    for crit in _ordered_criteria(list(now["criterion"].unique())):
        for ind, r in now[now["criterion"] == crit].iterrows():
            series = frame[frame["indicator_id"] == ind].set_index("year")
            before = series["value"].get(year - DYNAMICS_YEARS)
            change = (
                None
                if missing(before) or missing(r["value"])
                else 100 * (_num(r["value"]) - _num(before))
            )
            rows.append(
                {
                    "criterion": f"{_cap(criterion_label(crit, lang))}: "
                    f"{labels.get(str(ind), str(ind))}",
                    "value": share(r["value"], lang),
                    "interval": f"{share(r['ci_low'], lang)} - {share(r['ci_high'], lang)}",
                    "city": share(r["city"], lang),
                    "ratio": plain(r["ratio"], lang),
                    "change": _signed(change, lang),
                    "trend": _trend_word(series, first, year, lang),
                }
            )
    columns = [
        ("criterion", msg("prof_criterion", lang)),
        ("value", msg("prof_area_value", lang, year=year)),
        ("interval", msg("prof_interval", lang)),
        ("city", msg("prof_city_value", lang)),
        ("ratio", msg("prof_ratio", lang)),
        ("change", msg("prof_change_pp", lang, since=year - DYNAMICS_YEARS)),
        ("trend", msg("prof_trend", lang, first=first, year=year)),
    ]
    title = msg("prof_criteria", lang, year=year)
    notes = [msg("prof_criteria_note", lang, first=first, year=year)]
    directions = set(frame["direction"].astype(str))
    if directions == {"higher_is_worse"}:
        notes.append(msg("prof_higher_worse", lang))
    return _section(
        title,
        id="criteria",
        tables=[_table(rows, columns, title, ("value", "interval", "city", "ratio", "change"))],
        notes=notes,
    )


def _trend_word(series: pd.DataFrame, first: int, year: int, lang: str) -> str:
    """Rose / fell when the intervals of the first and the last year do not overlap."""
    if first == year or first not in series.index or year not in series.index:
        return MARK
    a, b = series.loc[first], series.loc[year]
    if any(missing(a[k]) or missing(b[k]) for k in ("ci_low", "ci_high")):
        return MARK
    if _num(b["ci_low"]) > _num(a["ci_high"]):
        return msg("prof_rose", lang)
    if _num(b["ci_high"]) < _num(a["ci_low"]):
        return msg("prof_fell", lang)
    return msg("prof_no_change", lang)


def years_section(frame: pd.DataFrame, lang: str) -> dict | None:
    """Criteria x years: the ratios, the status index and its class (the area's trend); years
    as columns, so the table stays narrow on a phone and on A4."""
    if frame.empty:
        return None
    ratios = criterion_ratios(frame)
    index = status_index(frame)
    crits = _ordered_criteria(list(ratios.columns))
    years = [int(y) for y in ratios.index]
    rows = []
    for crit in crits:
        row = {"what": _cap(criterion_label(crit, lang))}
        row.update({str(y): plain(ratios.loc[y, crit], lang) for y in years})
        rows.append(row)
    rows.append(
        {
            "what": _cap(msg("prof_index", lang)),
            **{str(y): plain(index.get(y), lang) for y in years},
        }
    )
    rows.append(
        {
            "what": msg("prof_status_short", lang),
            **{str(y): _status_word("status", status_class(index.get(y)), lang) for y in years},
        }
    )
    columns = [("what", msg("prof_criterion", lang))] + [(str(y), str(y)) for y in years]
    title = msg("prof_years", lang)
    return _section(
        title,
        id="years",
        tables=[_table(rows, columns, title, tuple(str(y) for y in years))],
        notes=[msg("prof_years_note", lang)],
    )


def housing_inside(pub: Published, geometry: Any) -> pd.DataFrame:
    keep = [_inside(geometry, g) for g in pub.housing.geometry]
    return pd.DataFrame(pub.housing[keep].drop(columns="geometry")).sort_values("name")


def housing_section(bundle: ReportBundle, pub: Published, inside: pd.DataFrame) -> dict:
    """The housing areas inside the area: lists, distance to each threshold in people (this
    year's lists) and the early warning's probability of a list next year."""
    lang, year = bundle.lang, bundle.year
    title = msg("prof_housing", lang)
    if inside.empty:
        return _section(title, id="housing", notes=[msg("prof_no_housing", lang)])
    rs = ruleset_for_year(year)
    lists = pub.lists[pub.lists["list_year"] == year].set_index("area_id")
    keys = state_lists(lists)
    names = {k: law().list_name(k, lang, year) for k in keys}
    warnings = pub.warnings.set_index("housing_area_id") if pub.warnings is not None else None
    rows = []
    for h in inside.itertuples():
        hid = str(h.housing_area_id)
        r = lists.loc[hid] if hid in lists.index else None
        row = {
            "area": {"href": housing_page(hid), "text": str(h.name)},
            "residents": count(h.residents, lang),
            "lists": MARK,
            "distance": MARK,
            "risk": msg("not_available", lang),
        }
        if r is not None:
            on = [names[k] for k in keys if _true(r.get(k))]
            row["lists"] = ", ".join(on) or msg("prof_no_list", lang)
            row["distance"] = "; ".join(_distances(cast(pd.Series, r), rs, lang))
        if warnings is not None and hid in warnings.index:
            row["risk"] = share(warnings.loc[hid].get("p_any_list"), lang)
        rows.append(row)
    columns = [
        ("area", msg("area", lang)),
        ("residents", msg("residents", lang)),
        ("lists", msg("prof_lists_year", lang, year=year)),
        ("distance", msg("prof_distance", lang)),
        ("risk", msg("prof_risk", lang, year=year + 1)),
    ]
    return _section(
        title,
        id="housing",
        tables=[_table(rows, columns, title, ("residents", "risk"))],
        notes=[msg("prof_distance_note", lang)],
    )


def _distances(r: pd.Series, rs: RuleSet, lang: str) -> list[str]:
    """Per criterion at its first tier: met or not, and how many people from the threshold."""
    out = []
    for key, crit in rs.criteria.items():
        prefix = rs.prefix(key, next(iter(crit.thresholds)))
        met, people = r.get(f"{prefix}_met"), r.get(f"{prefix}_margin_people")
        if missing(met):
            continue
        word = msg("prof_met" if bool(met) else "prof_not_met", lang)
        n = "" if missing(people) else f" ({count(people, lang)})"
        out.append(f"{crit.number}: {word}{n}")
    return out


def policy_match(layer: Any, geometry: Any) -> tuple[str, str, float, float] | None:
    """The policy area (2017) that matches an area: of those overlapping it, the one with the
    largest common surface, when that surface is at least half of the area or at least half of
    the policy area. Returns (unit_id, name, share of the area, share of the policy area)."""
    if layer is None or geometry is None or geometry.area <= 0:
        return None
    names = layer["name"] if "name" in layer else layer["unit_id"]
    best: tuple[float, str, str, float, float] | None = None
    for uid, geom, name in zip(layer["unit_id"], layer.geometry, names, strict=True):
        if geom is None or geom.area <= 0:
            continue
        common = geom.intersection(geometry).area
        of_area, of_policy = common / geometry.area, common / geom.area
        if max(of_area, of_policy) >= 0.5 and (best is None or common > best[0]):
            best = (common, str(uid), str(name), of_area, of_policy)
    return None if best is None else best[1:]


def goals_section(bundle: ReportBundle, pub: Published, area: Any) -> dict | None:
    """The 2035 indicators of the policy area this area matches (the monitoring's groups)."""
    lang = bundle.lang
    if pub.series is None:
        return None
    area_id = str(area.area_id)
    groups = set(pub.series["group"].astype(str))
    group, name, of_area, of_policy = None, "", 1.0, 1.0
    if area_id in groups and getattr(bundle.screening, "stand_in", False):
        group, name = area_id, str(area.name)
    else:
        match = policy_match(bundle.initiative_layers.get(POLICY_LAYER), area.geometry)
        if match is not None and match[0] in groups:
            group, name, of_area, of_policy = match
    title = msg("prof_goals", lang)
    n = len(groups - {"udsat", "rest"})
    if group is None:
        return _section(
            title,
            id="goals",
            notes=[msg("prof_no_policy_area", lang, set=msg("set_policy", lang, n=n))],
        )
    latest = pub.series.sort_values("year").groupby(["indicator_id", "group"]).last()
    labels = {}
    if pub.status is not None:
        labels = dict(zip(pub.status["indicator_id"], pub.status[f"label_{lang}"], strict=False))
    status = pub.status.set_index("indicator_id") if pub.status is not None else None
    rows = []
    for ind in sorted(pub.series.loc[pub.series["group"] == group, "indicator_id"].unique()):
        vals = {g: latest["value"].get((ind, g)) for g in (group, "udsat", "rest")}
        # the goal's own unit, as the goals page shows it (12,3 % / 78,7 år)
        row_status = status.loc[ind] if status is not None and ind in status.index else None
        unit = goal_unit(
            row_status if row_status is not None else pd.Series(dtype=object),
            pd.Series(list(vals.values())),
        )
        year = latest["year"].get((ind, group))
        rows.append(
            {
                "indicator": str(labels.get(ind, ind)),
                "year": MARK if missing(year) else str(int(_num(year))),
                "this": unit.value(vals[group], lang),
                "udsat": unit.value(vals["udsat"], lang),
                "rest": unit.value(vals["rest"], lang),
            }
        )
    columns = [
        ("indicator", msg("indicator", lang)),
        ("year", msg("year", lang)),
        ("this", msg("prof_policy_area", lang, name=name)),
        ("udsat", msg("set_policy_short", lang)),
        ("rest", msg("set_rest", lang)),
    ]
    note = msg(
        "prof_goals_note",
        lang,
        set=msg("set_policy", lang, n=n),
        name=name,
        a=plain(100 * of_area, lang, 0),
        b=plain(100 * of_policy, lang, 0),
    )
    return _section(
        title,
        id="goals",
        tables=[_table(rows, columns, title, ("this", "udsat", "rest"))],
        notes=[note],
    )


def profile_table(frame: pd.DataFrame, c: Classified | None, area_id: str) -> pd.DataFrame:
    """The profile's figures as one table (the CSV): the area's and the city's indicator values
    per year with numerators, denominators, intervals, ratios and the status index."""
    index = status_index(frame) if len(frame) else pd.Series(dtype=float)
    out = frame.rename(columns={"city": "city_value"}).copy()
    out["area_id"] = area_id
    out["status_index"] = out["year"].map(index)
    out["status"] = out["status_index"].map(status_class)
    out["dynamics"] = None
    if c is not None:
        out.loc[out["year"] == c.year, "dynamics"] = c.dynamics
    columns = ["area_id", "indicator_id", "criterion", "direction", "year", "numerator"]
    columns += ["denominator", "value", "ci_low", "ci_high", "city_value", "ratio"]
    columns += ["status_index", "status", "dynamics"]
    return out[[c for c in columns if c in out]].reset_index(drop=True)


def profile_csv(area_id: str) -> str:
    return f"data/profiler/{slug(area_id)}.csv"


# ---------------------------------------------------------------- housing profile


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
    title = msg("history", lang)
    return _section(
        title,
        id="history",
        tables=[_table(out, columns, title, ("residents", "criteria_met"))],
    )


def on_lists(row: pd.Series | dict | None, lang: str, year: int) -> list[str]:
    if row is None:
        return []
    return [law().list_name(k, lang, year) for k in law().list_keys() if _true(row.get(k))]


def housing_status(bundle: ReportBundle, area_lists: pd.DataFrame, name: str) -> dict:
    """Why the area is on its lists this year, or why it is on none (correct per case)."""
    lang, year = bundle.lang, bundle.year
    rows = area_lists[area_lists["list_year"] == year]
    r = rows.iloc[0].to_dict() if len(rows) else None
    listed = on_lists(r, lang, year)
    if r is None:
        title, text = msg("prof_why_unknown", lang), msg("prof_not_covered", lang, year=year)
    elif listed:
        title = msg("why", lang)
        key = "prof_on_lists" if len(listed) == 1 else "prof_on_lists_n"
        text = msg(key, lang, name=name, year=year, lists=", ".join(listed))
    else:
        title = msg("prof_why_not", lang)
        text = msg("prof_on_no_list", lang, name=name, year=year)
    paragraphs = [text]
    reason = "reasons" if lang == "da" else "reasons_en"  # the law's sentence in `lang`
    if r is not None and (r.get(reason) or r.get("reasons")):
        paragraphs.append(str(r.get(reason) or r["reasons"]))
    return _section(title, id="summary", paragraphs=paragraphs)


def criteria_over_years(bundle: ReportBundle, area_lists: pd.DataFrame) -> dict:
    """Every criterion of the law over the list years: the value, each tier's threshold in
    force that year and whether it was met (one small table per criterion)."""
    lang = bundle.lang
    rows = area_lists.sort_values("list_year")
    records = rows.to_dict("records")
    tables = []
    for key in law().criteria_keys():
        out = []
        tier_names: list[str] = []
        for r in records:
            year = int(r["list_year"])
            rs = ruleset_for_year(year)
            if key not in rs.criteria:
                continue
            crit = rs.criteria[key]
            value = f"{key}_value"
            row = {"year": str(year), "value": share(r.get(value), lang, 1, mark_for(r, value))}
            for tier in crit.thresholds:
                if tier not in tier_names:
                    tier_names.append(tier)
                prefix = rs.prefix(key, tier)
                t, m = f"{prefix}_threshold", f"{prefix}_met"
                row[f"t_{tier}"] = share(r.get(t), lang, 1, mark_for(r, t))
                row[f"m_{tier}"] = yes_no(r.get(m), lang, mark_for(r, m))
            out.append(row)
        if not out:
            continue
        for row in out:  # a tier the law did not have that year
            for tier in tier_names:
                row.setdefault(f"t_{tier}", NOT_APPLICABLE)
                row.setdefault(f"m_{tier}", NOT_APPLICABLE)
        columns = [("year", msg("list_year", lang)), ("value", msg("value", lang))]
        for tier in tier_names:
            tier_label = _tier_label(tier, lang)
            columns.append((f"t_{tier}", msg("prof_threshold_tier", lang, tier=tier_label)))
            columns.append((f"m_{tier}", msg("prof_met_tier", lang, tier=tier_label)))
        caption = msg("prof_criterion_n", lang, name=law().criterion_short(key, lang))
        numeric = ("value", *(f"t_{t}" for t in tier_names))
        tables.append(_table(out, columns, caption, numeric))
    return _section(
        msg("prof_list_criteria", lang),
        id="criteria",
        tables=tables,
        notes=[msg("prof_thresholds_note", lang)],
        grid=True,
    )


def _warning_rules(w: pd.Series, year: int) -> RuleSet:
    """The rule set the warning judged by (its `rule_set`: those in force on the forecast's
    day, udsat.warning.model.forecast_rules), else the list year's."""
    return ruleset_named(str(w.get("rule_set"))) or ruleset_for_year(year)


def _interval(w: pd.Series, key: str, low: str, high: str, lang: str) -> str:
    """A predictive interval of a criterion's figure, e.g. '59,4-61,0' (in the criterion's %)."""
    a, b = w.get(f"{low}_{key}"), w.get(f"{high}_{key}")
    if missing(a) or missing(b):
        return MARK
    return f"{plain(a, lang, 1)}\u2013{plain(b, lang, 1)}"


def _tier_label(tier: str, lang: str) -> str:
    """A tier by the list it decides (udsat, forebyggelse, kombineret: the law's list names)."""
    if tier in law().list_keys():
        return law().list_name(tier, lang)
    return tier


def warning_section(pub: Published, housing_id: str, year: int, lang: str) -> dict | None:
    """The early warning with the law's names: probability of each list and of each criterion
    (per tier), and the expected distance to each threshold in people."""
    if pub.warnings is None:
        return None
    rows = pub.warnings[pub.warnings["housing_area_id"].astype(str) == housing_id]
    if rows.empty:
        return None
    w = rows.iloc[0]
    next_year = int(w["list_year"]) if not missing(w.get("list_year")) else year + 1
    rs = _warning_rules(w, next_year)
    lists_rows = [
        {"what": law().list_name(k, lang, next_year), "value": share(w[f"p_{k}"], lang)}
        for k in law().list_keys()
        if f"p_{k}" in w and k in rs.lists
    ]
    if "p_any_list" in w:
        lists_rows.append(
            {"what": msg("prof_any_list", lang), "value": share(w["p_any_list"], lang)}
        )
    lists_rows += [  # rules adopted for the list year but not in force when the forecast is made
        {
            "what": msg("prof_announced", lang, list=law().list_name(k, lang, next_year)),
            "value": share(w[f"p_{k}_announced"], lang),
        }
        for k in law().list_keys()
        if f"p_{k}_announced" in w
    ]
    crit_rows, figure_rows = [], []
    for key, crit in rs.criteria.items():
        name = law().criterion_short(key, lang)
        row = {"criterion": name}
        for tier in crit.thresholds:
            row[f"p_{tier}"] = share(w.get(f"p_{rs.prefix(key, tier)}"), lang)
        crit_rows.append(row)
        people = w.get(f"people_to_{key}")
        if not crit.counts_people:  # criterion 4: a mean of DKK, no distance in people
            people_text = NOT_APPLICABLE
        else:
            people_text = MARK if missing(people) else _signed(_num(people), lang, 0)
        figure_rows.append(
            {
                "criterion": name,
                "expected": share(w.get(f"expected_{key}"), lang, scale=1),
                "i50": _interval(w, key, "q25", "q75", lang),
                "i90": _interval(w, key, "q05", "q95", lang),
                "threshold": share(w.get(f"threshold_{key}"), lang, scale=1),
                "people": people_text,
            }
        )
    tiers = list(dict.fromkeys(t for c in rs.criteria.values() for t in c.thresholds))
    for row in crit_rows:
        for tier in tiers:
            row.setdefault(f"p_{tier}", NOT_APPLICABLE)  # the criterion has no such tier
    crit_columns = [("criterion", msg("prof_criterion", lang))]
    crit_columns += [(f"p_{t}", msg("prof_p_met", lang, tier=_tier_label(t, lang))) for t in tiers]
    figure_columns = [
        ("criterion", msg("prof_criterion", lang)),
        ("expected", msg("prof_expected", lang)),
        ("i50", msg("prof_forecast_interval", lang, level=50)),
        ("i90", msg("prof_forecast_interval", lang, level=90)),
        ("threshold", msg("prof_threshold", lang)),
        ("people", msg("prof_people_to", lang)),
    ]
    cap_lists = msg("prof_p_lists", lang, year=next_year)
    cap_crit = msg("prof_p_criteria", lang, year=next_year)
    return _section(
        msg("prof_warning", lang, year=next_year),
        id="warning",
        paragraphs=[str(w.get(f"reason_{lang}") or "")],
        tables=[
            _table(
                lists_rows,
                [("what", msg("prof_list", lang)), ("value", msg("probability", lang))],
                cap_lists,
                ("value",),
            ),
            _table(crit_rows, crit_columns, cap_crit, tuple(f"p_{t}" for t in tiers)),
            _table(
                figure_rows,
                figure_columns,
                msg("prof_figures", lang, year=next_year),
                ("expected", "i50", "i90", "threshold", "people"),
            ),
        ],
        notes=[
            msg("prof_people_note", lang),
            msg("prof_warning_note", lang),
            msg("prof_interval_note", lang),
        ],
    )


# ---------------------------------------------------------------- search and compare


def search_index(pub: Published, lang: str) -> list[dict[str, str]]:
    """Every profile by name: designated areas and housing areas (names and links only)."""
    items = [
        {"n": str(a.name), "k": msg("prof_kind_area", lang), "h": area_page(a.area_id)}
        for a in pub.designated.itertuples()
    ]
    items += [
        {
            "n": str(h.name),
            "k": msg("prof_kind_housing", lang),
            "h": housing_page(h.housing_area_id),
        }
        for h in pub.housing.itertuples()
    ]
    return sorted(items, key=lambda i: (i["n"].lower(), i["h"]))


def _js_assign(name: str, value: object) -> str:
    """A script that sets window[name] (a JSON file cannot be read from file:// pages)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("</", "<\\/")
    return f"window.{name} = {text};\n"


# ---------------------------------------------------------------- the pages


def write_profiles(
    writer: PageWriter, bundle: ReportBundle, pub: Published, frame: Frame, bg: list[str]
) -> None:
    lang = bundle.lang
    stage = writer.stage
    index = initiative_index(bundle)
    by_area = {str(k): v for k, v in pub.lists.groupby("area_id")}
    empty = pub.lists.iloc[:0]
    compare: dict[str, dict] = {}
    indicators = pub.area_indicators
    for area in pub.designated.itertuples():
        area_id, name = str(area.area_id), str(area.name)
        crit = area_criteria(indicators, area_id) if indicators is not None else pd.DataFrame()
        classified = classify(crit, bundle.year) if len(crit) else None
        inside = housing_inside(pub, area.geometry)
        sections = [summary_section(bundle, pub, area, classified, len(inside))]
        sections += [s for s in [criteria_section(crit, bundle.year, lang)] if s]
        sections += [s for s in [years_section(crit, lang)] if s]
        sections.append(housing_section(bundle, pub, inside))
        sections += [s for s in [goals_section(bundle, pub, area)] if s]
        sections.append(initiatives_section(bundle, index, area.geometry))
        sections.append(residents_section(pub, area_id, lang))
        csv = None
        if len(crit):
            csv = profile_csv(area_id)
            table = profile_table(crit, classified, area_id)
            stage.table(csv, table, specs.AREA_PROFILE, style="danish")
        compare[area_id] = _compare_entry(area_id, name, sections)
        page = area_page(area_id)
        writer.page(
            "profile.html",
            page,
            msg("area_profile", lang, name=name),
            has_map=True,
            has_charts=any(s.get("figure") for s in sections),
            sections=sections,
            set_label=msg("set_screening", lang, year=bundle.year),
            csv=csv,
            compare_href=f"{COMPARE_PAGE}?a={area_id}",
            profile_css=True,
            map=profile_map(bundle, frame, bg, f"a:{area_id}", name, area.geometry),
        )
    for area in pub.housing.itertuples():
        hid, name = str(area.housing_area_id), str(area.name)
        rows = by_area.get(hid, empty)
        sections = [housing_status(bundle, rows, name), criteria_over_years(bundle, rows)]
        sections.append(housing_history(bundle, rows))
        sections += [s for s in [warning_section(pub, hid, bundle.year, lang)] if s]
        sections.append(initiatives_section(bundle, index, area.geometry))
        writer.page(
            "profile.html",
            housing_page(hid),
            msg("housing_profile", lang, name=name),
            has_map=True,
            sections=sections,
            set_label=msg("set_lists", lang, year=bundle.year),
            csv=None,
            compare_href=None,
            profile_css=True,
            map=profile_map(bundle, frame, bg, f"h:{hid}", name, area.geometry),
        )
    stage.text(SEARCH_INDEX, _js_assign("UDSAT_SEARCH", search_index(pub, lang)))
    stage.text(PROFILE_DATA, _js_assign("UDSAT_PROFILES", compare))
    writer.page(
        "compare.html",
        COMPARE_PAGE,
        msg("prof_compare_title", lang),
        areas=sorted(((k, v["name"]) for k, v in compare.items()), key=lambda x: x[1]),
        profile_css=True,
    )


def _compare_entry(area_id: str, name: str, sections: list[dict]) -> dict:
    """The figures of an area profile the compare page sets side by side: its facts and its
    criteria table's rows (already formatted, as on the profile)."""
    facts = [[k, v] for s in sections for k, v in s["facts"]]
    entry: dict[str, Any] = {"name": name, "href": area_page(area_id), "facts": facts}
    entry.update(criteria=[], criteria_title="", city_label="")
    for s in sections:
        if s["id"] == "criteria" and s["tables"]:
            t = s["tables"][0]
            keys = ("criterion", "value", "interval", "city", "ratio")
            entry["criteria"] = [[r[k] for k in keys] for r in t["rows"]]
            entry["criteria_title"] = t["caption"]
            entry["city_label"] = dict(t["columns"])["city"]
    return entry
