"""Inline SVG maps: simplified polygons (shapely) as focusable links, no tiles and no library.

A few kilobytes per map instead of plotly's 4.6 MB: the overview page stays light, works from
disk, and every area is an `<a>` element, so a click or Enter on a focused area opens its profile
without any script. map.js adds hover figures and zoom.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import colormaps
from matplotlib.colors import to_hex

WIDTH = 1000.0  # SVG user units across the map
SIMPLIFY_M = 8.0  # metres: invisible at city scale, cuts the vertices by about two thirds

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "designated": "#E69F00",
    "parallelsamfund": "#D55E00",
    "forebyggelse": "#0072B2",
    "udsat": "#CC79A7",
    "omdannelse": "#D55E00",
    "housing": "#FFFFFF",
}


@dataclass(frozen=True)
class Frame:
    """The map's projection from EPSG:25832 metres to SVG units (north up)."""

    minx: float
    maxy: float
    scale: float
    width: float
    height: float

    @classmethod
    def around(cls, *frames: gpd.GeoDataFrame | None) -> Frame:
        bounds = np.array([f.total_bounds for f in frames if f is not None and len(f)])
        minx, miny = bounds[:, 0].min(), bounds[:, 1].min()
        maxx, maxy = bounds[:, 2].max(), bounds[:, 3].max()
        pad = 0.02 * max(maxx - minx, maxy - miny)
        minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
        scale = WIDTH / (maxx - minx)
        return cls(minx, maxy, scale, WIDTH, round((maxy - miny) * scale, 1))

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"

    def basemap(self, template: str | None, pixels: int = 1600) -> str | None:
        """An optional basemap address (e.g. a WMS GetMap in EPSG:25832) for the map's extent.

        `template` may use {minx} {miny} {maxx} {maxy} (metres) and {width} {height} (pixels).
        Off by default: without it the site makes no request at all.
        """
        if not template:
            return None
        miny = self.maxy - self.height / self.scale
        maxx = self.minx + self.width / self.scale
        return template.format(
            minx=round(self.minx),
            miny=round(miny),
            maxx=round(maxx),
            maxy=round(self.maxy),
            width=pixels,
            height=round(pixels * self.height / self.width),
        )


@dataclass
class Shape:
    """One interactive area: its SVG path, link, CSS class and the figures of its tooltip."""

    key: str
    name: str
    href: str
    css: str
    d: str
    fill: str | None = None
    figures: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SvgMap:
    frame: Frame
    background: list[str]
    shapes: list[Shape]
    title: str
    alt: str
    basemap: str | None = None

    def tooltip_data(self) -> dict[str, dict[str, object]]:
        """Tooltip contents per shape key, for a JSON block (never markup)."""
        return {s.key: {"name": s.name, "figures": s.figures} for s in self.shapes}


def path_data(geometry: shapely.Geometry, frame: Frame, tolerance: float = SIMPLIFY_M) -> str:
    """An SVG path ('M x y L ... Z' per ring) of a (multi)polygon, simplified and projected."""
    simple = shapely.simplify(geometry, tolerance, preserve_topology=True)
    parts = []
    for polygon in getattr(simple, "geoms", [simple]):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = shapely.get_coordinates(ring)[:-1]
            px = np.round((xy[:, 0] - frame.minx) * frame.scale, 1)
            py = np.round((frame.maxy - xy[:, 1]) * frame.scale, 1)
            points = " ".join(f"{a:g} {b:g}" for a, b in zip(px, py, strict=True))
            parts.append(f"M{points}Z")
    return "".join(parts)


def background_paths(layer: gpd.GeoDataFrame | None, frame: Frame) -> list[str]:
    if layer is None:
        return []
    return [path_data(g, frame, tolerance=20.0) for g in layer.geometry]


def sequential_colours(values: np.ndarray, cmap: str = "cividis_r") -> list[str | None]:
    """A colour per value on a colour-blind-safe sequential scale (None for missing values)."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return [None] * len(values)
    low, high = float(finite.min()), float(finite.max())
    span = high - low or 1.0
    scale = colormaps[cmap]
    return [to_hex(scale((v - low) / span)) if np.isfinite(v) else None for v in values]


def legend_steps(values: np.ndarray, cmap: str = "cividis_r", steps: int = 5) -> list[tuple]:
    """(value, colour) pairs spanning the values, for the legend of a choropleth."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return []
    points = np.linspace(finite.min(), finite.max(), steps)
    return list(zip(points, sequential_colours(points, cmap), strict=True))
