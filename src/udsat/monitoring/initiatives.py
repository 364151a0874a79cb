"""The action plan: initiatives linked to areas and sub-goals, with the development of each
sub-goal's indicators in the area since the initiative started.

The numbers describe development over the same years, next to the rest of the city's; they are
not effects of the initiative (nothing here has a comparison group).

Area ids are `<layer>:<unit_id>` (e.g. udsatte_byomraader_2017:1, bydele:8) or `city`. The
monitored layer's areas reuse the monitoring series; other layers are computed by the indicator
engine for the years needed; `city` shows the development of the vulnerable areas pooled.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from udsat.engines import Engine
from udsat.i18n import number
from udsat.indicators import compute_indicators
from udsat.indicators.units import REST, layers
from udsat.monitoring.goals import Goals
from udsat.monitoring.messages import msg
from udsat.runlog import RunLog

CITY = "city"
POOLED = "udsat"
COLUMNS = [
    "initiative_id",
    "name",
    "administration",
    "status",
    "subgoal",
    "area",
    "area_name",
    "indicator_id",
    "label_da",
    "label_en",
    "direction",
    "start_year",
    "from_year",
    "value_from",
    "latest_year",
    "value_latest",
    "change",
    "rest_change",
    "development",
    "text_da",
    "text_en",
]


def read_initiatives(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The dataset's initiatives view (empty when the dataset has none)."""
    views = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = 'initiatives' AND NOT internal"
    ).fetchall()
    if not views[0][0]:
        return pd.DataFrame(columns=["initiative_id", "name", "areas", "goals", "start_year"])
    return con.sql("SELECT * FROM initiatives ORDER BY initiative_id").df()


def links(plan: pd.DataFrame) -> pd.DataFrame:
    """One row per initiative, area id and sub-goal."""
    out = plan.assign(
        area=plan["areas"].astype(str).str.split(";"),
        subgoal=plan["goals"].astype(str).str.split(";"),
    )
    out = out.explode("area").explode("subgoal")
    out["area"] = out["area"].str.strip()
    out["subgoal"] = out["subgoal"].str.strip()
    return out.reset_index(drop=True)


def _other_layer_values(
    con: duckdb.DuckDBPyConnection | Engine,
    layer: str,
    years: set[int],
    goals: Goals,
    log: RunLog,
) -> pd.DataFrame:
    frames = [
        compute_indicators(
            con,
            year=y,
            units=layer,
            catalogue=goals.catalogue,
            indicators=goals.computed(),
            shrink=False,
            log=log,
        )
        for y in sorted(years)
    ]
    values = pd.concat(frames, ignore_index=True)
    values["group"] = layer + ":" + values["unit_id"].astype(str)
    return values[["indicator_id", "year", "group", "value"]]


def _names(con: duckdb.DuckDBPyConnection, layer: str) -> dict[str, str]:
    table = con.sql(f'SELECT unit_id, name FROM "units_{layer}"').df()
    return {f"{layer}:{u}": str(n) for u, n in zip(table["unit_id"], table["name"], strict=True)}


def _fmt(value: float, unit: str, lang: str, signed: bool = False) -> str:
    if not np.isfinite(value):
        return "-"
    scale, tail = (100.0, " %") if unit == "share" else (1.0, " år" if lang == "da" else " years")
    if signed:
        tail = (" pct.-point" if lang == "da" else " pp") if unit == "share" else tail
    text = number(value * scale, lang, 1)
    return ("+" if signed and value > 0 else "") + text + tail


def initiative_development(
    con: duckdb.DuckDBPyConnection,
    series: pd.DataFrame,
    goals: Goals,
    layer: str | None,
    log: RunLog,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """Initiatives x areas x sub-goals x indicators with the development since the start year
    (values of other layers computed on `engine`, default the connection's DuckDB)."""
    plan = read_initiatives(con)
    if plan.empty:
        return pd.DataFrame(columns=COLUMNS)
    linked = links(plan)
    available = set(layers(con))
    values = series[["indicator_id", "year", "group", "value"]].copy()
    names: dict[str, str] = {CITY: msg("city_pooled")}
    if layer:
        prefixed = values[~values["group"].isin([POOLED, REST])].copy()
        prefixed["group"] = layer + ":" + prefixed["group"].astype(str)
        values = pd.concat([values, prefixed], ignore_index=True)
        names.update(_names(con, layer))
    latest = int(values["year"].max()) if len(values) else None
    by_layer: dict[str, set[int]] = {}
    unknown = []
    for area, start in zip(linked["area"], linked["start_year"], strict=True):
        if area == CITY:
            continue
        other, _, _ = area.partition(":")
        if other == layer:
            continue
        if other not in available:
            unknown.append(area)
            continue
        if latest is None:  # no series at all: no year to measure in (the rows show missing)
            continue
        first = max(int(start), int(values["year"].min()))
        by_layer.setdefault(other, set()).update({first, latest})
    for other, years in by_layer.items():
        values = pd.concat([values, _other_layer_values(engine or con, other, years, goals, log)])
        names.update(_names(con, other))
    if unknown:
        log.exclude(
            "initiatives",
            "area id of a layer the dataset does not have",
            len(unknown),
            sorted(set(unknown)),
        )
    table = values.assign(group=values["group"].replace({POOLED: CITY}))
    table = pd.concat([table, values[values["group"] == POOLED]], ignore_index=True)
    lookup = table.dropna(subset=["value"]).set_index(["indicator_id", "group", "year"])["value"]
    lookup = lookup[~lookup.index.duplicated()]
    rest = values[values["group"] == REST].set_index(["indicator_id", "year"])["value"]
    by_subgoal: dict[str, list] = {}
    for ind in goals.indicators:
        if ind.kind != "no_data":
            by_subgoal.setdefault(ind.subgoal, []).append(ind)
    rows = []
    linked = linked[~linked["area"].isin(unknown)]
    for _, link in linked.iterrows():
        for ind in by_subgoal.get(link["subgoal"], []):
            rows.append(_row(link, ind, lookup, rest, names))
    return pd.DataFrame(rows, columns=COLUMNS)


def _row(link: pd.Series, ind, lookup: pd.Series, rest: pd.Series, names: dict) -> list:
    group = link["area"]
    try:
        own = lookup.xs((ind.id, group), level=("indicator_id", "group"))
    except KeyError:
        own = pd.Series(dtype=float)
    start = int(link["start_year"])
    after = own[own.index >= start]
    if after.empty:
        v0 = v1 = change = rest_change = np.nan
        y0 = y1 = np.nan
    else:
        y0, y1 = int(after.index.min()), int(after.index.max())
        v0, v1 = float(after.loc[y0]), float(after.loc[y1])
        change = v1 - v0
        rest_change = float(rest.get((ind.id, y1), np.nan) - rest.get((ind.id, y0), np.nan))
    development = _direction(change, ind.higher_is_worse)
    texts = []
    for lang in ("da", "en"):
        if not np.isfinite(change):
            texts.append(msg("development_missing", lang, start=start))
            continue
        texts.append(
            msg(
                "development",
                lang,
                start=start,
                y0=y0,
                y1=y1,
                v0=_fmt(v0, ind.unit, lang),
                v1=_fmt(v1, ind.unit, lang),
                change=_fmt(change, ind.unit, lang, signed=True),
                rest=_fmt(rest_change, ind.unit, lang, signed=True),
            )
        )
    return [
        link["initiative_id"],
        link["name"],
        link.get("administration"),
        link.get("status"),
        link["subgoal"],
        group,
        names.get(group, group),
        ind.id,
        ind.label_da,
        ind.label_en,
        ind.direction,
        start,
        y0,
        v0,
        y1,
        v1,
        change,
        rest_change,
        development,
        *texts,
    ]


def _direction(change: float, higher_is_worse: bool) -> str:
    if not np.isfinite(change):
        return "missing"
    if abs(change) < 1e-12:
        return "unchanged"
    return "improved" if (change < 0) == higher_is_worse else "worsened"
