"""Inline SVG maps: simplified polygons (shapely) as focusable links, no tiles and no library.

A few kilobytes per map instead of plotly's 4.6 MB: the overview page stays light, works from
disk, and every area is an `<a>` element, so a click or Enter on a focused area opens its profile
without any script. map.js adds the tooltips (hover, keyboard focus, a first tap on a phone), the
legend's layer toggles and zoom (buttons, Ctrl + wheel, pinch); a plain wheel or swipe scrolls
the page.

What a person needs to read a map is drawn with it: the districts (outlines and names) for
orientation, a legend whose entries are the layers, classes that stay apart in every common
colour-vision deficiency, and the state's lists told apart by pattern as well as by colour.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import colormaps
from matplotlib.colors import to_hex
from shapely.ops import polylabel

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

# The choropleths' classes: ColorBrewer YlGnBu, 5 classes (marked colour-blind safe by
# ColorBrewer); neighbouring classes differ in WCAG contrast by at least 1.5:1 (a test measures
# it). Missing values are hatched grey (pattern "na" in templates/macros.html).
CLASS_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
MISSING = "na"


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

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A point in metres as SVG units (rounded to 0.1)."""
        return round((x - self.minx) * self.scale, 1), round((self.maxy - y) * self.scale, 1)

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
    """One interactive area: its SVG path, link, CSS class and the figures of its tooltip.

    `layer` names the legend entry that shows or hides it (default: its CSS class)."""

    key: str
    name: str
    href: str
    css: str
    d: str
    fill: str | None = None
    figures: list[tuple[str, str]] = field(default_factory=list)
    layer: str = ""

    def __post_init__(self) -> None:
        self.layer = self.layer or self.css


@dataclass(frozen=True)
class Label:
    """A district's name at a point inside it, in one or two lines."""

    lines: tuple[str, ...]
    x: float
    y: float


@dataclass(frozen=True)
class LegendEntry:
    """A legend entry: a button that shows or hides `layer`; its swatch is drawn like the layer
    (`css`: the same class and pattern, or `fill`: a class colour)."""

    layer: str
    label: str
    css: str
    fill: str | None = None


@dataclass(frozen=True)
class LegendGroup:
    """Entries under a title that names their area set; `classes`: a choropleth's classes."""

    title: str
    entries: tuple[LegendEntry, ...]
    classes: bool = False


@dataclass
class SvgMap:
    frame: Frame
    background: list[str]
    shapes: list[Shape]
    title: str
    alt: str
    basemap: str | None = None
    labels: list[Label] = field(default_factory=list)
    legend: list[LegendGroup] = field(default_factory=list)
    cells: dict[str, object] | None = None  # a choropleth of many cells: values per cell

    def tooltip_data(self) -> dict[str, object]:
        """Tooltip contents per shape key (and per cell), for a JSON block (never markup)."""
        shapes = {s.key: {"name": s.name, "figures": s.figures} for s in self.shapes}
        return {"shapes": shapes, "cells": self.cells}


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


def label_lines(name: str, wrap: int = 12) -> tuple[str, ...]:
    """A long name in two lines, broken after a hyphen or at the space nearest its middle."""
    if len(name) <= wrap:
        return (name,)
    breaks = [i + 1 for i, c in enumerate(name) if c == "-"] or [
        i for i, c in enumerate(name) if c == " "
    ]
    if not breaks:
        return (name,)
    cut = min(breaks, key=lambda i: abs(i - len(name) / 2))
    return (name[:cut].strip(), name[cut:].strip())


_LABELS: dict[tuple[int, Frame], list[Label]] = {}


def district_labels(layer: gpd.GeoDataFrame | None, frame: Frame) -> list[Label]:
    """Each district's name at the point of its largest part farthest from the edge (computed
    once per layer and frame: every profile's map shows them too)."""
    if layer is None or "name" not in layer or not len(layer):
        return []
    key = (id(layer), frame)
    if key not in _LABELS:
        labels = []
        for name, geometry in zip(layer["name"].astype(str), layer.geometry, strict=True):
            if geometry is None or geometry.is_empty:
                continue
            parts = getattr(geometry, "geoms", [geometry])
            largest = max(parts, key=lambda g: g.area)
            spot = polylabel(largest, tolerance=max(largest.length / 500, 1.0))
            labels.append(Label(label_lines(name), *frame.point(spot.x, spot.y)))
        _LABELS.clear()  # one layer per site build
        _LABELS[key] = labels
    return _LABELS[key]


def class_edges(values: np.ndarray, classes: int = len(CLASS_COLOURS)) -> np.ndarray:
    """Quantile class edges of the finite values (fewer when values repeat)."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return np.array([])
    return np.unique(np.nanquantile(finite, np.linspace(0, 1, classes + 1)))


def classify(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The class of each value (0 .. len(edges) - 2), -1 for a missing value."""
    values = np.asarray(values, dtype=float)
    if len(edges) < 2:
        return np.where(np.isfinite(values), 0, -1)
    index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, len(edges) - 2)
    return np.where(np.isfinite(values), index, -1)


def class_colours(n: int) -> list[str]:
    """`n` (at most 5) colours of the class ramp, spread over it."""
    if n <= 0:
        return []
    picks = np.round(np.linspace(0, len(CLASS_COLOURS) - 1, n)).astype(int) if n > 1 else [2]
    return [CLASS_COLOURS[i] for i in picks]


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


def cell_boxes(geometry: gpd.GeoSeries, frame: Frame) -> list[float]:
    """x, y, width, height (SVG units, 0.1) of each unit's bounding box, flat: the many-cells
    choropleth finds the cell under the pointer from them (exact for grid cells)."""
    bounds = geometry.bounds.to_numpy()
    x = np.round((bounds[:, 0] - frame.minx) * frame.scale, 1)
    y = np.round((frame.maxy - bounds[:, 3]) * frame.scale, 1)
    w = np.round((bounds[:, 2] - bounds[:, 0]) * frame.scale, 1)
    h = np.round((bounds[:, 3] - bounds[:, 1]) * frame.scale, 1)
    return [float(v) for v in np.column_stack([x, y, w, h]).ravel()]


def containing(points: gpd.GeoSeries, layer: gpd.GeoDataFrame | None) -> np.ndarray:
    """The row of `layer` holding each point (-1 for none)."""
    found = np.full(len(points), -1)
    if layer is None or not len(layer):
        return found
    tree = shapely.STRtree(layer.geometry.to_numpy())
    pts, polys = tree.query(points.to_numpy(), predicate="within")
    found[pts] = polys
    return found
