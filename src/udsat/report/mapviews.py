"""The maps' pages: the overview (map, area table, key figures) and the six criteria maps,
and the small map of each profile."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from udsat.report.bundle import ReportBundle
from udsat.report.goalviews import key_cards, key_rows
from udsat.report.maps import Frame, Shape, SvgMap, legend_steps, path_data, sequential_colours
from udsat.report.messages import msg
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


def overview_map(bundle: ReportBundle, pub: Published, frame: Frame, bg: list[str]) -> SvgMap:
    lang = bundle.lang
    shapes = []
    for row in pub.designated.itertuples():
        figures = [(msg("residents", lang), count(row.residents, lang))]
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
        figures = [(msg("residents", lang), count(row.residents, lang))]
        if row.status != "housing":
            figures.append((msg("lists", lang), msg(f"legend_{row.status}", lang)))
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
    return SvgMap(
        frame,
        bg,
        shapes,
        msg("map_title", lang, year=bundle.year),
        msg("map_alt", lang, city=city, areas=len(pub.designated), listed=listed),
        frame.basemap(bundle.basemap_url),
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
    shape = Shape(key, name, "", "selected", path_data(geometry, frame), None, [])
    return SvgMap(
        frame,
        bg,
        [shape],
        name,
        msg("profile_map_alt", bundle.lang, name=name),
    )


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
            "d": [path_data(g, frame, tolerance) for g in geo.geometry],
        }
    )


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
    if len(merged) <= MAX_UNIT_SHAPES:
        shapes, rows, columns = _unit_shapes(merged, values, crit, fmt, lang)
        legend = [(fmt(v), c) for v, c in legend_steps(values.to_numpy())]
    else:
        shapes, rows, columns, legend = _class_shapes(merged, values, fmt, lang)
    overlay = [
        Shape(
            f"a:{r.area_id}",
            str(r.name),
            area_page(r.area_id),
            "outline",
            path_data(r.geometry, frame),
            None,
            [],
        )
        for r in pub.designated.itertuples()
    ]
    return {
        "id": crit,
        "label": label,
        "average": msg("city_average", lang, value=fmt(_city_average(merged, crit, values))),
        "map": SvgMap(
            frame,
            bg,
            shapes + overlay,
            label,
            msg("choropleth_alt", lang, criterion=label, units=len(merged)),
        ),
        "legend": legend,
        "rows": rows,
        "columns": columns,
    }


def _unit_shapes(merged: pd.DataFrame, values: pd.Series, crit: str, fmt: Any, lang: str) -> tuple:
    colours = sequential_colours(values.to_numpy())
    texts = [fmt(v) for v in values]
    shapes = [
        Shape(f"u:{u}", str(n), "", "unit", d, c, [(msg("value", lang), t)])
        for u, n, d, c, t in zip(
            merged["unit_id"], merged["name"], merged["d"], colours, texts, strict=True
        )
    ]
    ratio = merged.get(f"{crit}_ratio", values * np.nan)
    flag = merged.get(f"{crit}_flag", values * np.nan)
    rows = [
        {"unit": str(n), "value": t, "ratio": plain(r, lang), "flag": yes_no(f, lang)}
        for n, t, r, f in zip(merged["name"], texts, ratio, flag, strict=True)
    ]
    return shapes, rows, [(k, msg(k, lang)) for k in ("unit", "value", "ratio", "flag")]


def _class_shapes(merged: pd.DataFrame, values: pd.Series, fmt: Any, lang: str) -> tuple:
    """Many small units: one path per quantile class, a table of the classes."""
    finite = values.dropna()
    edges: np.ndarray | list[float] = (
        np.unique(np.nanquantile(finite, np.linspace(0, 1, 7))) if len(finite) else []
    )
    classes = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, max(len(edges) - 2, 0))
    mids = [(edges[i] + edges[i + 1]) / 2 for i in range(len(edges) - 1)]
    colours = sequential_colours(np.array(mids)) if mids else []
    shapes, rows, legend = [], [], []
    residents = pd.to_numeric(merged["residents"], errors="coerce")
    for i, colour in enumerate(colours):
        member = values.notna().to_numpy() & (classes == i)
        span = f"{fmt(edges[i])} - {fmt(edges[i + 1])}"
        people = float(residents[member].sum())
        figures = [
            (msg("units_n", lang), count(int(member.sum()), lang)),
            (msg("residents", lang), count(people if people >= 5 else None, lang)),
        ]
        shapes.append(
            Shape(f"c:{i}", span, "", "unit", "".join(merged["d"][member]), colour, figures)
        )
        rows.append(
            {"class": span, "units": count(int(member.sum()), lang), "residents": figures[1][1]}
        )
        legend.append((span, colour))
    hidden = values.isna().to_numpy()
    if hidden.any():
        shapes.append(
            Shape(
                "c:na",
                MARK,
                "",
                "unit",
                "".join(merged["d"][hidden]),
                "#bdbdbd",
                [(msg("units_n", lang), count(int(hidden.sum()), lang))],
            )
        )
        rows.append({"class": MARK, "units": count(int(hidden.sum()), lang), "residents": MARK})
        legend.append((MARK, "#bdbdbd"))
    columns = [
        ("class", msg("value", lang)),
        ("units", msg("units_n", lang)),
        ("residents", msg("residents", lang)),
    ]
    return shapes, rows, columns, legend


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
    legend = [
        ("designated", "legend_designated"),
        ("parallelsamfund", "legend_parallelsamfund"),
        ("forebyggelse", "legend_forebyggelse"),
        ("udsat", "legend_udsat"),
        ("housing", "legend_housing"),
    ]
    writer.page(
        "overview.html",
        "index.html",
        msg("map_title", lang, year=bundle.year),
        has_map=True,
        map=svg,
        legend=legend,
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
    if ready and units is not None:
        paths = unit_paths(bundle, frame)
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
        missing=missing,
    )
