"""Interactive goal and trend charts as plotly figure JSON (drawn by the bundled plotly.min.js).

Figures are data: they go into `<script type="application/json">` blocks and charts.js draws them,
so no page carries inline script built from data.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from udsat.report.messages import msg

COLOURS = {"udsat": "#D55E00", "rest": "#0072B2", "target": "#009E73", "area": "#E69F00"}
TARGET_YEAR = 2035


def _clean(values: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in values]


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
    """One indicator: both groups with their bands, the 2035 target and the projection.

    Plain plotly.js figure data (built as dicts: plotly's Python objects cost 0.4 s a chart).
    """
    traces = []
    for group in ("udsat", "rest"):
        rows = series[series["group"] == group].sort_values("year")
        years = rows["year"].astype(int).tolist()
        if rows["ci_low"].notna().any():
            traces.append(
                _band(
                    years + years[::-1],
                    _clean(rows["ci_high"]) + _clean(rows["ci_low"])[::-1],
                    COLOURS[group] + "22",
                )
            )
        traces.append(
            _line(years, _clean(rows["value"]), msg(f"group_{group}", lang), COLOURS[group])
        )
    targets = goal_targets(status, series)
    latest = series[(series["group"] == "udsat") & series["value"].notna()].sort_values("year")
    if targets["projected"] is not None and len(latest):
        x0, y0 = int(latest["year"].iloc[-1]), float(latest["value"].iloc[-1])
        if targets["low"] is not None and targets["high"] is not None:
            traces.append(
                _band(
                    [x0, TARGET_YEAR, TARGET_YEAR, x0],
                    [y0, targets["high"], targets["low"], y0],
                    COLOURS["udsat"] + "18",
                    msg("projection_band", lang),
                    True,
                )
            )
        traces.append(
            _line(
                [x0, TARGET_YEAR],
                [y0, targets["projected"]],
                msg("projection", lang),
                COLOURS["udsat"],
                mode="lines",
                line={"color": COLOURS["udsat"], "dash": "dash"},
            )
        )
    if targets["target"] is not None:
        traces.append(
            _line(
                [TARGET_YEAR],
                [targets["target"]],
                msg("target_2035", lang),
                COLOURS["target"],
                mode="markers",
                marker={"symbol": "star", "size": 14, "color": COLOURS["target"]},
            )
        )
    return {"data": traces, "layout": _layout(lang)}


def trend_figure(rows: pd.DataFrame, label: str, lang: str) -> dict[str, Any]:
    """A simple line over years (e.g. residents of one area)."""
    trace = _line(rows["year"].astype(int).tolist(), _clean(rows["value"]), label, COLOURS["area"])
    return {"data": [trace], "layout": _layout(lang)}


def _layout(lang: str) -> dict[str, Any]:
    axis = {
        "showline": True,
        "linecolor": "#444",
        "ticks": "outside",
        "zeroline": False,
        "gridcolor": "#e5e5e5",
    }
    return {
        "margin": {"l": 60, "r": 10, "t": 10, "b": 40},
        "height": 320,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": "system-ui, sans-serif", "size": 13},
        "legend": {"orientation": "h", "y": -0.25},
        "separators": ",." if lang == "da" else ".,",
        "xaxis": {**axis, "title": {"text": msg("year", lang)}, "dtick": 2},
        "yaxis": {**axis, "rangemode": "tozero"},
    }
