"""Interactive goal and trend charts as plotly figure JSON (drawn by the bundled plotly.min.js).

Figures are data: they go into `<script type="application/json">` blocks and charts.js draws them,
so no page carries inline script built from data.

A goal indicator's unit (the monitoring's status table: `unit`, `direction`) decides how its
values are shown everywhere, the web chart, the printed chart and the tables alike
(`GoalUnit`): shares in percent ("12,3 %") with gaps in percentage points, life expectancy in
years on a range that is not forced to 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from udsat.report.messages import msg
from udsat.report.pages import MARK, is_share, missing, plain, share

COLOURS = {"udsat": "#D55E00", "rest": "#0072B2", "target": "#009E73", "area": "#E69F00"}
TARGET_YEAR = 2035
TICK_STEP = 5  # years between the labelled ticks of the year axis (fits a phone unrotated)


@dataclass(frozen=True)
class GoalUnit:
    """How one goal indicator's values are shown: `kind` share (stored 0-1, shown in percent),
    years (life expectancy) or number; `direction` higher_is_better / higher_is_worse / ""."""

    kind: str
    direction: str = ""

    @property
    def scale(self) -> float:
        """Factor from a stored value to the value drawn on the axis."""
        return 100.0 if self.kind == "share" else 1.0

    @property
    def decimals(self) -> int:
        return 2 if self.kind == "number" else 1

    @property
    def from_zero(self) -> bool:
        """Shares are drawn from 0 %; years (e.g. 78-84) on a range around the data."""
        return self.kind != "years"

    def tick_suffix(self) -> str:
        return " %" if self.kind == "share" else ""

    def value(self, v: object, lang: str) -> str:
        """A value as the tables show it: 12,3 % / 78,7 år."""
        if missing(v):
            return MARK
        if self.kind == "share":
            return share(v, lang)
        if self.kind == "years":
            return f"{plain(v, lang, 1)} {msg('unit_years', lang)}"
        return plain(v, lang, self.decimals)

    def gap(self, v: object, lang: str) -> str:
        """A gap (vulnerable areas minus the rest) with its unit: 5,0 procentpoint / -3,7 år."""
        number = self.gap_number(v, lang)
        unit = self.gap_unit(lang)
        return number if number == MARK or not unit else f"{number} {unit}"

    def gap_number(self, v: object, lang: str) -> str:
        """A gap without its unit (for a column whose header names it): 5,0."""
        if missing(v):
            return MARK
        return plain(float(cast(float, v)) * self.scale, lang, self.decimals)

    def gap_unit(self, lang: str) -> str:
        """The unit of a gap: percentage points for shares, years for years."""
        return (
            msg("unit_pp" if self.kind == "share" else f"unit_{self.kind}", lang)
            if self.kind != "number"
            else ""
        )

    def axis_title(self, lang: str) -> str:
        """The value axis' title: its unit and which way is better."""
        unit = msg(f"axis_{self.kind}", lang)
        better = self.better(lang)
        return f"{unit} ({better})" if better else unit

    def better(self, lang: str) -> str:
        """Which way is better ("højere er bedre"), or "" when the goals file does not say."""
        if self.direction in ("higher_is_better", "higher_is_worse"):
            return msg(f"better_{self.direction}", lang)
        return ""

    def hover(self) -> str:
        """plotly hover template of a value (formatted with the layout's separators)."""
        return f"%{{y:.{self.decimals}f}}{self.tick_suffix() or ''}"


def goal_unit(status: pd.Series, values: pd.Series | None = None) -> GoalUnit:
    """The unit of a goal from its status row; without one, shares are recognised by range."""
    unit = status.get("unit")
    kind = str(unit) if unit in ("share", "years") else None
    if kind is None:
        kind = "share" if values is not None and is_share(values) else "number"
    direction = status.get("direction")
    return GoalUnit(kind, "" if missing(direction) else str(direction))


def year_ticks(first: int, last: int = TARGET_YEAR) -> list[int]:
    """Every `TICK_STEP`th year from the first data year's multiple of 5 to `last`."""
    start = first - first % TICK_STEP
    return list(range(start, last + 1, TICK_STEP))


def _clean(values: pd.Series, scale: float = 1.0) -> list[float | None]:
    return [None if pd.isna(v) else round(float(v) * scale, 6) for v in values]


def goal_targets(status: pd.Series, series: pd.DataFrame) -> dict[str, float | None]:
    """The 2035 target and projection as levels for the vulnerable group.

    The monitoring states them as gaps (vulnerable minus rest); the chart adds them to the rest
    of the city's latest published value (the page says so).
    """
    rest = series[(series["group"] == "rest") & series["value"].notna()].sort_values("year")
    base = float(rest["value"].iloc[-1]) if len(rest) else None

    def level(gap: float | None) -> float | None:
        return None if base is None or pd.isna(gap) else base + float(gap)

    return {
        "target": level(status.get("target_gap_2035")),
        "projected": level(status.get("projected_gap_2035")),
        "low": level(status.get("projected_low")),
        "high": level(status.get("projected_high")),
    }


def group_names(lang: str) -> dict[str, str]:
    """The legend's names of the two groups: the policy's 2017 areas and the rest of the city."""
    return {"udsat": msg("set_policy_short", lang), "rest": msg("set_rest", lang)}


def _line(x: list, y: list, name: str, colour: str, **extra: Any) -> dict[str, Any]:
    trace = {
        "type": "scatter",
        "x": x,
        "y": y,
        "name": name,
        "mode": "lines+markers",
        "line": {"color": colour},
    }
    trace.update(extra)
    return trace


def _band(x: list, y: list, colour: str, name: str = "", legend: bool = False) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "fill": "toself",
        "fillcolor": colour,
        "line": {"width": 0},
        "hoverinfo": "skip",
        "name": name,
        "showlegend": legend,
        "mode": "lines",
    }


def goal_figure(series: pd.DataFrame, status: pd.Series, lang: str) -> dict[str, Any]:
    """One indicator: both groups with their bands, the 2035 target and the projection, in the
    indicator's unit (`goal_unit`).

    Plain plotly.js figure data (built as dicts: plotly's Python objects cost 0.4 s a chart).
    """
    unit = goal_unit(status, series["value"])
    k = unit.scale
    hover = unit.hover()
    names = group_names(lang)
    traces = []
    for group in ("udsat", "rest"):
        rows = series[series["group"] == group].sort_values("year")
        years = rows["year"].astype(int).tolist()
        if rows["ci_low"].notna().any():
            traces.append(
                _band(
                    years + years[::-1],
                    _clean(rows["ci_high"], k) + _clean(rows["ci_low"], k)[::-1],
                    COLOURS[group] + "22",
                )
            )
        traces.append(
            _line(
                years,
                _clean(rows["value"], k),
                names[group],
                COLOURS[group],
                hovertemplate=f"%{{x}}: {hover}<extra>{names[group]}</extra>",
            )
        )
    targets = goal_targets(status, series)
    latest = series[(series["group"] == "udsat") & series["value"].notna()].sort_values("year")
    if targets["projected"] is not None and len(latest):
        x0, y0 = int(latest["year"].iloc[-1]), float(latest["value"].iloc[-1])
        if targets["low"] is not None and targets["high"] is not None:
            traces.append(
                _band(
                    [x0, TARGET_YEAR, TARGET_YEAR, x0],
                    _clean(pd.Series([y0, targets["high"], targets["low"], y0]), k),
                    COLOURS["udsat"] + "18",
                    msg("projection_band", lang),
                    True,
                )
            )
        traces.append(
            _line(
                [x0, TARGET_YEAR],
                _clean(pd.Series([y0, targets["projected"]]), k),
                msg("projection", lang),
                COLOURS["udsat"],
                mode="lines",
                line={"color": COLOURS["udsat"], "dash": "dash"},
                hovertemplate=f"%{{x}}: {hover}<extra>{msg('projection', lang)}</extra>",
            )
        )
    if targets["target"] is not None:
        traces.append(
            _line(
                [TARGET_YEAR],
                _clean(pd.Series([targets["target"]]), k),
                msg("target_2035", lang),
                COLOURS["target"],
                mode="markers",
                marker={"symbol": "star", "size": 14, "color": COLOURS["target"]},
                hovertemplate=f"%{{x}}: {hover}<extra>{msg('target_2035', lang)}</extra>",
            )
        )
    known = series["year"].dropna().astype(int)
    first = int(known.min()) if len(known) else TARGET_YEAR - 10
    layout = _layout(lang, year_ticks(first))
    layout["yaxis"].update(
        {
            "title": {"text": unit.axis_title(lang)},
            "ticksuffix": unit.tick_suffix(),
            "rangemode": "tozero" if unit.from_zero else "normal",
        }
    )
    return {"data": traces, "layout": layout}


def trend_figure(rows: pd.DataFrame, label: str, lang: str) -> dict[str, Any]:
    """A simple line over years (e.g. residents of one area)."""
    years = rows["year"].astype(int).tolist()
    trace = _line(years, _clean(rows["value"]), label, COLOURS["area"])
    layout = _layout(lang, year_ticks(min(years), max(years)) if years else None)
    layout["yaxis"].update({"title": {"text": label}, "rangemode": "tozero"})
    return {"data": [trace], "layout": layout}


def _layout(lang: str, ticks: list[int] | None = None) -> dict[str, Any]:
    axis = {
        "showline": True,
        "linecolor": "#444",
        "ticks": "outside",
        "zeroline": False,
        "gridcolor": "#e5e5e5",
        "automargin": True,
        "fixedrange": True,  # no zoom: a swipe over the chart scrolls the page
    }
    xaxis: dict[str, Any] = {**axis, "tickangle": 0}
    if ticks:
        xaxis.update(
            {
                "tickmode": "array",
                "tickvals": ticks,
                "ticktext": [str(t) for t in ticks],
                "range": [ticks[0] - 0.5, ticks[-1] + 0.5],
            }
        )
    return {
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "height": 340,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": "system-ui, sans-serif", "size": 13},
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top"},
        "separators": ",." if lang == "da" else ".,",
        "dragmode": False,
        "hovermode": "closest",
        "xaxis": xaxis,
        "yaxis": {**axis},
    }
