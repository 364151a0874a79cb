"""Monitoring the 2035 goals: every indicator of goals.yaml for every data year, in the vulnerable
areas pooled ("udsat"), in the rest of the city ("rest") and in each area; the gap and ratio; the
Theil-Sen trend of the gap, its projection to the target year and the status.

Register and survey indicators come from the indicator engine (udsat.indicators.compute_indicators,
two calls per year: the areas one by one, and the areas pooled; both with outside="rest"); life
expectancy from the abridged life table (lifetable.py) over deaths and population by age. A year
without data for an indicator is missing, never zero. Tables are published through udsat.publish
(the disclosure policy of udsat.publish.tables.MONITORING_SERIES).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd

from udsat.engines import Engine, as_engine
from udsat.errors import UdsatError
from udsat.indicators import compute_indicators
from udsat.indicators.engine import kept_units
from udsat.indicators.units import REST, read_layer
from udsat.monitoring import trend
from udsat.monitoring.goals import GoalIndicator, Goals, load_goals
from udsat.monitoring.lifetable import age_group, life_table
from udsat.monitoring.messages import msg
from udsat.runlog import RunLog
from udsat.statelists.microdata import available_years

POOLED = "udsat"
SERIES_COLUMNS = [
    "indicator_id",
    "subgoal",
    "year",
    "group",
    "value",
    "ci_low",
    "ci_high",
    "numerator",
    "denominator",
]


@dataclass
class MonitoringResult:
    series: pd.DataFrame
    status: pd.DataFrame
    initiatives: pd.DataFrame
    gaps: pd.DataFrame  # indicator_id, subgoal, year, udsat, rest, gap, ratio
    areas: pd.DataFrame  # group (unit id), name
    goals_label: str
    years: list[int]
    log: RunLog = field(default_factory=RunLog)


def area_units(con: duckdb.DuckDBPyConnection, areas: str | gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The monitored areas as polygons with unit_id and name."""
    if isinstance(areas, gpd.GeoDataFrame):
        frame = areas.copy()
        if "unit_id" not in frame:
            raise UdsatError(msg("areas_no_id", columns=", ".join(map(str, frame.columns))))
        frame["unit_id"] = frame["unit_id"].astype(str)
        if "name" not in frame:
            frame["name"] = frame["unit_id"]
        return frame[["unit_id", "name", "geometry"]]
    layer = areas.replace("units/", "", 1)
    frame = read_layer(con, layer)
    names = con.sql(f'SELECT unit_id, name FROM "units_{layer}"').df()
    frame["unit_id"] = frame["unit_id"].astype(str)
    names["unit_id"] = names["unit_id"].astype(str)
    return frame.merge(names, on="unit_id", how="left")[["unit_id", "name", "geometry"]]


def indicator_series(
    con: duckdb.DuckDBPyConnection | Engine,
    units: gpd.GeoDataFrame,
    goals: Goals,
    years: list[int],
    log: RunLog,
) -> pd.DataFrame:
    """Engine indicators for udsat, rest and every area, every year (raw values: no shrinkage,
    the monitored groups are the areas themselves)."""
    ids = goals.computed()
    if not ids:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    frames = []
    polygons = units[["unit_id", "geometry"]]
    pooled = {POOLED: list(polygons["unit_id"].astype(str))}  # udsat: the areas' sums
    for year in years:
        frames.append(
            compute_indicators(
                con,
                year=year,
                units=polygons,
                catalogue=goals.catalogue,
                indicators=ids,
                outside=REST,
                shrink=False,
                log=log,
                groups=pooled,
            )
        )
    raw = pd.concat(frames, ignore_index=True).rename(columns={"unit_id": "group"})
    subgoal = {i.id: i.subgoal for i in goals.indicators}
    raw["subgoal"] = raw["indicator_id"].map(subgoal)
    return raw[SERIES_COLUMNS]


def life_expectancy_series(
    con: duckdb.DuckDBPyConnection | Engine,
    units: gpd.GeoDataFrame,
    goals: Goals,
    indicator: GoalIndicator,
    years: list[int],
) -> pd.DataFrame:
    """e0 per group and year from deaths and population by age pooled over `period_years`
    (the year and the ones before it); exposure = population on 1 January minus half the deaths
    (the mid-year population). Years without the whole period are missing."""
    ages, period = goals.life_table.ages, goals.life_table.period_years
    confidence = goals.life_table.confidence
    engine = as_engine(con)  # the counts run on it (DuckDB or Spark), the life table here
    mapping = kept_units(engine.con, units[["unit_id", "geometry"]], REST).mapping
    engine.register("_monitor_units", mapping[["address_id", "unit_id"]])
    try:
        counts = engine.frame(
            """
            SELECT m.unit_id AS "group", p.year, p.age, count(*) AS population,
                   sum(p.died::INT) AS deaths
            FROM persons p JOIN _monitor_units m USING (address_id)
            WHERE m.unit_id IS NOT NULL
            GROUP BY ALL
            """
        )
    finally:
        engine.unregister("_monitor_units")
    counts["age_group"] = age_group(counts["age"].to_numpy(), ages)
    pooled = counts[counts["group"] != REST].assign(group=POOLED)
    counts = pd.concat([counts, pooled], ignore_index=True)
    table = counts.groupby(["group", "year", "age_group"])[["population", "deaths"]].sum()
    have = set(available_years(engine))
    rows = []
    for year in years:
        window = list(range(year - period + 1, year + 1))
        if not set(window) <= have:
            continue  # the period is not covered: missing
        part = table[table.index.get_level_values("year").isin(window)]
        summed = part.groupby(["group", "age_group"]).sum()
        for group, g in summed.groupby(level="group"):
            g = g.droplevel("group").reindex(ages, fill_value=0)
            exposure = g["population"] - g["deaths"] / 2
            lt = life_table(g["deaths"], exposure, ages, confidence)
            rows.append(
                (
                    indicator.id,
                    indicator.subgoal,
                    year,
                    group,
                    lt.at[0, "e"],
                    lt.at[0, "ci_low"],
                    lt.at[0, "ci_high"],
                    float(g["deaths"].sum()),
                    float(g["population"].sum()),
                )
            )
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


def gap_table(series: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and year: udsat, rest, gap (udsat - rest) and ratio (udsat / rest)."""
    two = series[series["group"].isin([POOLED, REST])]
    wide = two.set_index(["indicator_id", "year", "group"])["value"].unstack("group")
    wide = wide.reindex(columns=[POOLED, REST]).reset_index()
    wide.columns.name = None
    subgoal = series.drop_duplicates("indicator_id").set_index("indicator_id")["subgoal"]
    wide.insert(1, "subgoal", wide["indicator_id"].map(subgoal))
    wide["gap"] = wide[POOLED] - wide[REST]
    wide["ratio"] = wide[POOLED] / wide[REST].where(wide[REST] != 0)
    return wide


def _unit(indicator: GoalIndicator, lang: str) -> tuple[float, str]:
    """Scale and unit for the reasons: shares in percentage points, life expectancy in years."""
    if indicator.unit == "share":
        return 100.0, " pp" if lang == "en" else " pct.-point"
    if indicator.unit == "years":
        return 1.0, " years" if lang == "en" else " år"
    return 1.0, ""


def status_table(gaps: pd.DataFrame, goals: Goals) -> pd.DataFrame:
    """One row per goal indicator: baseline, latest, target, trend, projection, status, reasons."""
    rows = []
    for ind in goals.indicators:
        g = gaps[gaps["indicator_id"] == ind.id].sort_values("year")
        known = g[g["gap"].notna()]
        base = known[known["year"] <= goals.baseline_year]
        row: dict[str, object] = {
            "indicator_id": ind.id,
            "subgoal": ind.subgoal,
            "label_da": ind.label_da,
            "label_en": ind.label_en,
            "direction": ind.direction,
            "kind": ind.kind,
            "unit": ind.unit,
        }
        if ind.kind == "no_data" or base.empty:
            reason = {
                lang: msg("no_data_indicator", lang, source=ind.source)
                if ind.kind == "no_data"
                else trend.reason("missing", None, np.nan, goals.target_year, "", lang)
                for lang in ("da", "en")
            }
            rows.append(
                {
                    **row,
                    "baseline_year": np.nan,
                    "baseline_gap": np.nan,
                    "latest_year": np.nan,
                    "latest_gap": np.nan,
                    "target_gap_2035": np.nan,
                    "trend_per_year": np.nan,
                    "projected_gap_2035": np.nan,
                    "projected_low": np.nan,
                    "projected_high": np.nan,
                    "status": "missing",
                    "reason_da": reason["da"],
                    "reason_en": reason["en"],
                }
            )
            continue
        baseline = base.iloc[-1]
        latest = known.iloc[-1]
        target = ind.target_gap(float(baseline["gap"]))
        proj = trend.project(known["year"], known["gap"], goals.target_year)
        state = trend.status(proj, target, ind.higher_is_worse)
        reasons = {}
        for lang in ("da", "en"):
            scale, unit = _unit(ind, lang)
            scaled = (
                trend.Projection(
                    proj.years_used,
                    proj.slope * scale,
                    proj.slope_low * scale,
                    proj.slope_high * scale,
                    proj.projected * scale,
                    proj.projected_low * scale,
                    proj.projected_high * scale,
                )
                if proj
                else None
            )
            reasons[lang] = trend.reason(
                state, scaled, target * scale, goals.target_year, unit, lang
            )
        rows.append(
            {
                **row,
                "baseline_year": int(baseline["year"]),
                "baseline_gap": baseline["gap"],
                "latest_year": int(latest["year"]),
                "latest_gap": latest["gap"],
                "target_gap_2035": target,
                "trend_per_year": proj.slope if proj else np.nan,
                "projected_gap_2035": proj.projected if proj else np.nan,
                "projected_low": proj.projected_low if proj else np.nan,
                "projected_high": proj.projected_high if proj else np.nan,
                "status": state,
                "reason_da": reasons["da"],
                "reason_en": reasons["en"],
            }
        )
    return pd.DataFrame(rows)


def monitor(
    con: duckdb.DuckDBPyConnection,
    *,
    areas: str | gpd.GeoDataFrame = "udsatte_byomraader_2017",
    goals: Goals | Path | None = None,
    years: list[int] | None = None,
    log: RunLog | None = None,
    engine: Engine | None = None,
) -> MonitoringResult:
    """Series, gaps, status and the action plan's development for the goals of `goals`.

    `engine` runs the indicator passes and the life table's counts (udsat.engines; default the
    connection's DuckDB); gaps, trends and status are small and computed here."""
    from udsat.monitoring.initiatives import initiative_development

    goals = goals if isinstance(goals, Goals) else load_goals(goals)
    log = log or RunLog()
    runner = engine if engine is not None else as_engine(con)
    data_years = available_years(runner)
    chosen = sorted(years) if years else data_years
    unknown = sorted(set(chosen) - set(data_years))
    if unknown:
        raise UdsatError(msg("unknown_years", years=unknown, span=_span(data_years)))
    units = area_units(con, areas)
    if units.empty:
        raise UdsatError(msg("no_areas", areas=areas if isinstance(areas, str) else "GeoDataFrame"))
    parts = [indicator_series(runner, units, goals, chosen, log)]
    for ind in goals.indicators:
        if ind.kind == "life_table":
            parts.append(life_expectancy_series(runner, units, goals, ind, chosen))
    series = pd.concat([p for p in parts if len(p)], ignore_index=True)
    gaps = gap_table(series)
    status = status_table(gaps, goals)
    layer = areas.replace("units/", "", 1) if isinstance(areas, str) else None
    plan = initiative_development(con, series, goals, layer, log, runner)
    log.note(f"monitoring: {goals.label}, years {_span(chosen)}, areas {len(units)}")
    return MonitoringResult(
        series=series,  # as computed: the publication layer applies the disclosure policy
        status=status,
        initiatives=plan,
        gaps=gaps,
        areas=units[["unit_id", "name"]].rename(columns={"unit_id": "group"}),
        goals_label=goals.label,
        years=chosen,
        log=log,
    )


def _span(years: list[int]) -> str:
    return f"{min(years)}-{max(years)}" if years else "-"
