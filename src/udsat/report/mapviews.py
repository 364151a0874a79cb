"""The maps' pages: the overview (map, area table, key figures) and the six criteria maps,
and the small map of each profile."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udsat.report.bundle import STATUS_LISTS, ReportBundle, designated_areas
from udsat.report.goalviews import key_cards, key_rows
from udsat.report.maps import (
    MISSING,
    Frame,
    Label,
    LegendEntry,
    LegendGroup,
    Shape,
    SvgMap,
    cell_boxes,
    class_colours,
    class_edges,
    classify,
    containing,
    district_labels,
    path_data,
)
from udsat.report.messages import MESSAGES, msg
from udsat.report.pages import (
    CRITERIA,
    MARK,
    area_page,
    count,
    housing_page,
    is_share,
    plain,
    share,
    yes_no,
)
from udsat.report.publish import Published
from udsat.report.writer import PageWriter


def _designated_set(bundle: ReportBundle, n: int) -> str:
    """The words for the designated areas' set: the screening's, or the policy's 2017 areas
    standing in for it."""
    lang = bundle.lang
    if getattr(bundle.screening, "stand_in", False):
        return msg("set_policy", lang, n=n)
    year = getattr(bundle.screening, "year", bundle.year)
    return msg("set_screening", lang, year=year)


def _districts(bundle: ReportBundle, frame: Frame) -> list[Label]:
    return district_labels(bundle.background, frame)


def _orientation(bundle: ReportBundle, bg: list[str]) -> list[LegendGroup]:
    """The legend's group for the districts (outlines and names), when the map has them."""
    if not bg:
        return []
    entry = LegendEntry("districts", msg("legend_districts", bundle.lang), "district-key")
    return [LegendGroup(msg("legend_orientation", bundle.lang), (entry,))]


def _inline(words: str) -> str:
    """A set's name inside a sentence (its first letter in lower case)."""
    return words[:1].lower() + words[1:]


def _counted(label: str, n: int, lang: str) -> str:
    return f"{label} ({count(n, lang)})"


def overview_map(bundle: ReportBundle, pub: Published, frame: Frame, bg: list[str]) -> SvgMap:
    lang = bundle.lang
    shapes = []
    kind = msg("kind", lang)
    for row in pub.designated.itertuples():
        figures = [
            (kind, msg("legend_designated", lang)),
            (msg("residents", lang), count(row.residents, lang)),
        ]
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
        figures = [
            (kind, msg(f"legend_{row.status}", lang)),
            (msg("residents", lang), count(row.residents, lang)),
        ]
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
    designated_set = _designated_set(bundle, len(pub.designated))
    lists_set = msg("set_lists", lang, year=bundle.year)
    statuses = pub.housing["status"].value_counts()
    # The statuses the map draws (udsat.report.publish.housing_status), in the bundle's order.
    shown = [s for s in STATUS_LISTS if f"legend_{s}" in MESSAGES or s in statuses]
    legend = [
        LegendGroup(
            designated_set,
            (
                LegendEntry(
                    "designated",
                    _counted(msg("legend_designated", lang), len(pub.designated), lang),
                    "designated",
                ),
            ),
        ),
        LegendGroup(
            lists_set,
            tuple(
                LegendEntry(s, _counted(msg(f"legend_{s}", lang), int(statuses.get(s, 0)), lang), s)
                for s in [*shown, "housing"]
            ),
        ),
        *_orientation(bundle, bg),
    ]
    alt = msg("map_alt", lang, city=city, areas=len(pub.designated), listed=listed)
    sets = msg("map_sets", lang, designated=_inline(designated_set), lists=_inline(lists_set))
    return SvgMap(
        frame,
        bg,
        shapes,
        msg("map_title", lang, year=bundle.year),
        f"{alt} {sets}",
        frame.basemap(bundle.basemap_url),
        labels=_districts(bundle, frame),
        legend=legend,
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
    lang = bundle.lang
    shape = Shape(key, name, "", "selected", path_data(geometry, frame), None, [])
    alt = msg("profile_map_alt", lang, name=name)
    if key.startswith("a:"):
        designated = designated_areas(bundle)
        shape.figures = [(msg("kind", lang), _designated_set(bundle, len(designated)))]
        alt = f"{alt} {msg('profile_map_set', lang, set=shape.figures[0][1])}"
    return SvgMap(frame, bg, [shape], name, alt, labels=_districts(bundle, frame))


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
            "d": [_rect_path(g, frame) or path_data(g, frame, tolerance) for g in geo.geometry],
        }
    )


def _rect_path(geometry: Any, frame: Frame) -> str | None:
    """A grid cell (an axis-aligned rectangle) as a short path ('M x y h w v h h -w Z'): the
    six maps of 8,000 cells weigh a third less."""
    if geometry is None or geometry.geom_type != "Polygon" or len(geometry.interiors):
        return None
    minx, miny, maxx, maxy = geometry.bounds
    if (
        len(geometry.exterior.coords) != 5
        or abs(geometry.area - (maxx - minx) * (maxy - miny)) > 1e-6
    ):
        return None
    x, y = frame.point(minx, maxy)
    w, h = round((maxx - minx) * frame.scale, 1), round((maxy - miny) * frame.scale, 1)
    return f"M{x:g} {y:g}h{w:g}v{h:g}h{-w:g}Z"


def unit_cells(bundle: ReportBundle, pub: Published, frame: Frame) -> dict[str, object]:
    """Where each screening unit lies, for the many-cells maps' tooltips (one block per page):
    its box, the district and the designated area it lies in (by its centre)."""
    screening = bundle.screening
    assert screening is not None and screening.unit_geometry is not None  # (the caller checks)
    geo = screening.unit_geometry
    centres = geo.geometry.representative_point()
    background = bundle.background
    district = containing(centres, background)
    districts = (
        background["name"].astype(str).tolist()
        if background is not None and "name" in background
        else []
    )
    if not districts:
        district[:] = -1
    area = containing(centres, pub.designated)
    return {
        "box": cell_boxes(geo.geometry, frame),
        "district": district.tolist(),
        "districts": districts,
        "area": area.tolist(),
        "areas": pub.designated["name"].astype(str).tolist(),
        "area_kind": msg("legend_designated", bundle.lang),
        "unit": msg("unit", bundle.lang),
    }


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
    city = fmt(_city_average(merged, crit, values))
    cells: dict[str, object] | None = None
    if len(merged) <= MAX_UNIT_SHAPES:
        shapes, rows, columns, legend = _unit_shapes(merged, values, crit, fmt, lang)
    else:
        shapes, rows, columns, legend = _class_shapes(merged, values, fmt, lang)
        # Each cell's own value beside the city's (the tooltip's line), stored once per text.
        texts = [msg("value_vs_city", lang, value=fmt(v), city=city) for v in values]
        unique = sorted(set(texts))
        index = {t: i for i, t in enumerate(unique)}
        classes = classify(values.to_numpy(), class_edges(values.to_numpy()))
        cells = {
            "label": label,
            "texts": unique,
            "v": [index[t] for t in texts],
            "k": [int(k) for k in classes],  # the class (its legend entry); -1: no value
        }
    designated_set = _designated_set(bundle, len(pub.designated))
    overlay = [
        Shape(
            f"a:{r.area_id}",
            str(r.name),
            area_page(r.area_id),
            "outline",
            path_data(r.geometry, frame),
            None,
            [(msg("kind", lang), msg("legend_designated", lang))],
        )
        for r in pub.designated.itertuples()
    ]
    year = getattr(bundle.screening, "year", bundle.year)
    groups = [
        LegendGroup(msg("legend_classes", lang, criterion=label, year=year), legend, True),
        LegendGroup(
            designated_set, (LegendEntry("outline", msg("legend_outline", lang), "outline"),)
        ),
        *_orientation(bundle, bg),
    ]
    alt = msg("choropleth_alt", lang, criterion=label, units=len(merged))
    return {
        "id": crit,
        "label": label,
        "average": msg("city_average", lang, value=city),
        "map": SvgMap(
            frame,
            bg,
            shapes + overlay,
            label,
            f"{alt} {msg('outline_note', lang, set=designated_set)}",
            labels=_districts(bundle, frame),
            legend=groups,
            cells=cells,
        ),
        "rows": rows,
        "columns": columns,
    }


def _class_label(edges: np.ndarray, i: int, fmt: Any) -> str:
    return f"{fmt(edges[i])} – {fmt(edges[i + 1])}"


def _unit_shapes(merged: pd.DataFrame, values: pd.Series, crit: str, fmt: Any, lang: str) -> tuple:
    """Few units (e.g. districts or neighbourhoods): each its own shape with its value."""
    edges = class_edges(values.to_numpy())
    classes = classify(values.to_numpy(), edges)
    colours = class_colours(max(len(edges) - 1, 0))
    label = msg(f"crit_{crit}", lang)
    city = fmt(_city_average(merged, crit, values))
    texts = [fmt(v) for v in values]
    shapes = [
        Shape(
            f"u:{u}",
            str(n),
            "",
            "cls" if k >= 0 else MISSING,
            d,
            colours[k] if k >= 0 else None,
            [(label, msg("value_vs_city", lang, value=t, city=city))],
            f"k{k}" if k >= 0 else MISSING,
        )
        for u, n, d, k, t in zip(
            merged["unit_id"], merged["name"], merged["d"], classes, texts, strict=True
        )
    ]
    ratio = merged.get(f"{crit}_ratio", values * np.nan)
    flag = merged.get(f"{crit}_flag", values * np.nan)
    rows = [
        {"unit": str(n), "value": t, "ratio": plain(r, lang), "flag": yes_no(f, lang)}
        for n, t, r, f in zip(merged["name"], texts, ratio, flag, strict=True)
    ]
    legend = tuple(
        LegendEntry(f"k{i}", _class_label(edges, i, fmt), "class", c) for i, c in enumerate(colours)
    )
    if (classes < 0).any():
        legend += (LegendEntry(MISSING, msg("legend_missing", lang, mark=MARK), MISSING),)
    columns = [(k, msg(k, lang)) for k in ("unit", "value", "ratio", "flag")]
    return shapes, rows, columns, legend


def _class_shapes(merged: pd.DataFrame, values: pd.Series, fmt: Any, lang: str) -> tuple:
    """Many small units: one path per quantile class, a table of the classes."""
    edges = class_edges(values.to_numpy())
    classes = classify(values.to_numpy(), edges)
    colours = class_colours(max(len(edges) - 1, 0))
    shapes, rows, legend = [], [], []
    residents = pd.to_numeric(merged["residents"], errors="coerce")
    for i, colour in enumerate(colours):
        member = classes == i
        span = _class_label(edges, i, fmt)
        people = float(residents[member].sum())
        figures = [
            (msg("units_n", lang), count(int(member.sum()), lang)),
            (msg("residents", lang), count(people if people >= 5 else None, lang)),
        ]
        shapes.append(
            Shape(f"c:{i}", span, "", "cls", "".join(merged["d"][member]), colour, figures, f"k{i}")
        )
        rows.append(
            {"class": span, "units": count(int(member.sum()), lang), "residents": figures[1][1]}
        )
        legend.append(LegendEntry(f"k{i}", span, "class", colour))
    hidden = classes < 0
    if hidden.any():
        label = msg("legend_missing", lang, mark=MARK)
        shapes.append(
            Shape(
                "c:na",
                label,
                "",
                MISSING,
                "".join(merged["d"][hidden]),
                None,
                [(msg("units_n", lang), count(int(hidden.sum()), lang))],
            )
        )
        rows.append({"class": MARK, "units": count(int(hidden.sum()), lang), "residents": MARK})
        legend.append(LegendEntry(MISSING, label, MISSING))
    columns = [
        ("class", msg("value", lang)),
        ("units", msg("units_n", lang)),
        ("residents", msg("residents", lang)),
    ]
    return shapes, rows, columns, tuple(legend)


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


def write_overview(
    writer: PageWriter, bundle: ReportBundle, pub: Published, frame: Frame, bg: list[str]
) -> int:
    lang = bundle.lang
    svg = overview_map(bundle, pub, frame, bg)
    writer.page(
        "overview.html",
        "index.html",
        msg("map_title", lang, year=bundle.year),
        has_map=True,
        map=svg,
        area_rows=area_rows(bundle, pub),
        area_columns=[
            ("area", msg("area", lang)),
            ("kind", msg("kind", lang)),
            ("residents", msg("residents", lang)),
        ],
        cards=key_cards(bundle, pub),
        key_rows=key_rows(bundle, pub),
        key_columns=[
            ("indicator", msg("indicator", lang)),
            ("udsat", msg("group_udsat", lang)),
            ("rest", msg("group_rest", lang)),
        ],
    )
    return len(svg.shapes)


def write_criteria(
    writer: PageWriter, bundle: ReportBundle, pub: Published, frame: Frame, bg: list[str]
) -> None:
    lang = bundle.lang
    units = pub.units
    screening = bundle.screening
    ready = units is not None and screening is not None and screening.unit_geometry is not None
    views = []
    cells: dict[str, object] | None = None
    if ready and units is not None:
        paths = unit_paths(bundle, frame)
        if len(paths) > MAX_UNIT_SHAPES:
            cells = unit_cells(bundle, pub, frame)
        views = [
            criterion_map(bundle, pub, frame, bg, paths, c)
            for c in CRITERIA
            if f"{c}_value" in units
        ]
    missing = "" if ready else msg("missing_input", lang, what=msg("what_screening", lang))
    writer.page(
        "criteria.html",
        "criteria.html",
        msg("nav_criteria", lang),
        has_map=ready,
        criteria=views,
        cells=cells,
        missing=missing,
    )
