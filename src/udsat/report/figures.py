"""Static figures for print: the policy's map and the goal charts (matplotlib Agg), saved as PNG
and PDF without timestamps by the publication layer (udsat.publish.Stage.figure).
"""

from __future__ import annotations

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from udsat.i18n import number
from udsat.report.charts import COLOURS, TARGET_YEAR, goal_targets
from udsat.report.maps import OKABE_ITO
from udsat.report.messages import msg


def policy_map(
    designated: gpd.GeoDataFrame,
    housing: gpd.GeoDataFrame,
    background: gpd.GeoDataFrame | None,
    *,
    year: int,
    lang: str,
) -> plt.Figure:
    """The policy's map: designated areas, state-listed housing areas hatched by list."""
    fig, ax = plt.subplots(figsize=(8.3, 8.3))
    # 5 m simplification: invisible at print scale, fewer vertices to draw twice (PNG and PDF).
    designated, housing = _simple(designated), _simple(housing)
    background = _simple(background) if background is not None else None
    if background is not None:
        background.plot(ax=ax, facecolor="#F2F2F2", edgecolor="#9E9E9E", linewidth=0.5)
    handles = []
    if len(designated):
        designated.plot(ax=ax, facecolor=OKABE_ITO["designated"], edgecolor="#7A5200", lw=0.6)
        handles.append(
            Patch(facecolor=OKABE_ITO["designated"], label=msg("legend_designated", lang))
        )
    for status, hatch in (("parallelsamfund", "////"), ("forebyggelse", "\\\\\\\\")):
        rows = housing[housing["status"] == status]
        if len(rows):
            rows.plot(ax=ax, facecolor="none", edgecolor=OKABE_ITO[status], hatch=hatch, lw=1.0)
            handles.append(
                Patch(
                    facecolor="white",
                    edgecolor=OKABE_ITO[status],
                    hatch=hatch,
                    label=msg(f"legend_{status}", lang),
                )
            )
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_title(
        f"{msg('map_title', lang, year=year)}\n{msg('map_subtitle', lang)}", loc="left", fontsize=13
    )
    if handles:
        ax.legend(handles=handles, loc="lower left", frameon=False)
    fig.tight_layout()
    return fig


def _simple(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.set_geometry(frame.geometry.simplify(5.0, preserve_topology=True))


def goal_chart(series: pd.DataFrame, status: pd.Series, *, label: str, lang: str) -> plt.Figure:
    """One indicator for print: both groups with bands, the 2035 target and the projection."""
    fig, ax = plt.subplots(figsize=(8.0, 3.6))
    for group in ("udsat", "rest"):
        rows = series[series["group"] == group].sort_values("year")
        ax.plot(
            rows["year"],
            rows["value"],
            marker="o",
            ms=3,
            color=COLOURS[group],
            label=msg(f"group_{group}", lang),
        )
        if rows["ci_low"].notna().any():
            ax.fill_between(
                rows["year"],
                rows["ci_low"],
                rows["ci_high"],
                color=COLOURS[group],
                alpha=0.15,
                lw=0,
            )
    targets = goal_targets(status, series)
    latest = series[(series["group"] == "udsat") & series["value"].notna()].sort_values("year")
    if targets["projected"] is not None and len(latest):
        x0, y0 = int(latest["year"].iloc[-1]), float(latest["value"].iloc[-1])
        ax.plot(
            [x0, TARGET_YEAR],
            [y0, targets["projected"]],
            ls="--",
            color=COLOURS["udsat"],
            label=msg("projection", lang),
        )
        if targets["low"] is not None and targets["high"] is not None:
            ax.fill(
                [x0, TARGET_YEAR, TARGET_YEAR],
                [y0, targets["high"], targets["low"]],
                color=COLOURS["udsat"],
                alpha=0.1,
                lw=0,
            )
    if targets["target"] is not None:
        ax.plot(
            [TARGET_YEAR],
            [targets["target"]],
            marker="*",
            ms=12,
            ls="none",
            color=COLOURS["target"],
            label=msg("target_2035", lang),
        )
    ax.set_title(label, loc="left", fontsize=11)
    ax.set_xlabel(msg("year", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    shares = series["value"].dropna().between(0, 1).all()
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _: f"{number(v * 100, lang, 0)} %" if shares else number(v, lang))
    )
    ax.spines[["top", "right"]].set_visible(False)
    # Fixed margins and legend place: tight_layout and loc="best" each cost a full extra draw.
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.subplots_adjust(left=0.09, right=0.74, top=0.9, bottom=0.14)
    return fig
