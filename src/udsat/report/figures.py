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
from udsat.report.charts import (
    COLOURS,
    TARGET_YEAR,
    goal_targets,
    goal_unit,
    group_names,
    year_ticks,
)
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
    """One indicator for print: both groups with bands, the 2035 target and the projection, on
    the web chart's scale (its unit, axis title, year ticks and range: udsat.report.charts)."""
    unit = goal_unit(status, series["value"])
    k = unit.scale
    names = group_names(lang)
    fig, ax = plt.subplots(figsize=(8.0, 3.6))
    for group in ("udsat", "rest"):
        rows = series[series["group"] == group].sort_values("year")
        ax.plot(
            rows["year"],
            rows["value"] * k,
            marker="o",
            ms=3,
            color=COLOURS[group],
            label=names[group],
        )
        if rows["ci_low"].notna().any():
            ax.fill_between(
                rows["year"],
                rows["ci_low"].astype(float) * k,
                rows["ci_high"].astype(float) * k,
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
            [y0 * k, targets["projected"] * k],
            ls="--",
            color=COLOURS["udsat"],
            label=msg("projection", lang),
        )
        if targets["low"] is not None and targets["high"] is not None:
            ax.fill(
                [x0, TARGET_YEAR, TARGET_YEAR],
                [y0 * k, targets["high"] * k, targets["low"] * k],
                color=COLOURS["udsat"],
                alpha=0.1,
                lw=0,
                label=msg("projection_band", lang),
            )
    if targets["target"] is not None:
        ax.plot(
            [TARGET_YEAR],
            [targets["target"] * k],
            marker="*",
            ms=12,
            ls="none",
            color=COLOURS["target"],
            label=msg("target_2035", lang),
        )
    ax.set_title(label, loc="left", fontsize=11)
    ax.set_ylabel(unit.axis_title(lang), fontsize=9)
    years = series["year"].dropna().astype(int)
    ticks = year_ticks(int(years.min()) if len(years) else TARGET_YEAR - 10)
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.set_xlim(ticks[0] - 0.5, ticks[-1] + 0.5)
    suffix = unit.tick_suffix()
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _: f"{number(v, lang, _decimals(ax))}{suffix}")
    )
    if unit.from_zero:
        ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="#e5e5e5", lw=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    # Fixed margins and legend place: tight_layout and loc="best" each cost a full extra draw.
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.subplots_adjust(left=0.1, right=0.7, top=0.9, bottom=0.1)
    return fig


def _decimals(ax: plt.Axes) -> int:
    """Decimals the value axis' ticks need (0 for 0, 5, 10; 1 for 0,5 steps)."""
    ticks = ax.get_yticks()
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    return 0 if step >= 1 else 1 if step >= 0.1 else 2
