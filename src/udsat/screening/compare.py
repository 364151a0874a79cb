"""Re-delimitation: a designation against an earlier one (by default the 2017 policy's areas).

Overlap is measured in area (m2) and in residents (the year's residents at their address
points). A new area "enters" when fewer than `match_share` of its residents lived in an earlier
area; it is the "same" when at least `same_share` of its residents and of its best-matching
earlier area's residents overlap; otherwise it "changed". An earlier area "leaves" when fewer
than `match_share` of its residents live in any new area.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from udsat.contract.schemas import CRS
from udsat.errors import UdsatError
from udsat.i18n import number
from udsat.screening.config import ScreeningConfig
from udsat.screening.messages import label, say

ID_COLUMNS = ("unit_id", "area_id", "id")
NAME_COLUMNS = ("name", "navn", "delomraade", "byomraade")


def read_designation(path: Path) -> gpd.GeoDataFrame:
    """An earlier designation (GeoJSON, GeoPackage, ...) as `earlier_id`, `name`, geometry in
    EPSG:25832 (GeoJSON without a CRS is read as EPSG:4326, RFC 7946)."""
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        raise UdsatError(say("no_layer", path=path, error=exc)) from exc
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    return normalise(frame.to_crs(CRS))


def normalise(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`earlier_id` and `name` from the first known id and name columns."""
    ids = next((c for c in ID_COLUMNS if c in frame), None)
    names = next((c for c in NAME_COLUMNS if c in frame), None)
    out = gpd.GeoDataFrame(
        {
            "earlier_id": frame[ids].astype(str)
            if ids
            else [str(i + 1) for i in range(len(frame))],
            "name": frame[names].astype(str) if names else "",
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    return out[~out.geometry.is_empty & out.geometry.notna()].reset_index(drop=True)


def membership(geometry: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Boolean matrix (areas x points): the point lies in (or on the edge of) the area."""
    out = np.zeros((len(geometry), len(x)), bool)
    for i, geom in enumerate(geometry):
        shapely.prepare(geom)
        out[i] = shapely.intersects_xy(geom, x, y)
    return out


def compare(
    areas: gpd.GeoDataFrame,
    earlier: gpd.GeoDataFrame,
    points: pd.DataFrame,
    units: pd.DataFrame,
    config: ScreeningConfig,
    layer: str,
) -> pd.DataFrame:
    """One row per new area (enter / changed / same) and per earlier area that leaves.

    `points`: x, y, residents (the year's residents per address). `units`: x, y, residents,
    criteria_flagged, designated (the screening's units, for the reasons of areas that leave).
    """
    x, y, res = (points[c].to_numpy(float) for c in ("x", "y", "residents"))
    new = membership(areas.geometry.to_numpy(), x, y)
    old = membership(earlier.geometry.to_numpy(), x, y)
    in_old, in_new = old.any(axis=0), new.any(axis=0)
    new_res, old_res = new @ res, old @ res
    pair_res = (new * res) @ old.T  # residents in new area i and earlier area j
    old_union = shapely.union_all(earlier.geometry.to_numpy())
    rows = []
    for i, area in enumerate(areas.itertuples()):
        share_new = _share((new[i] & in_old) @ res, new_res[i])
        j = int(np.argmax(pair_res[i])) if len(earlier) else -1
        share_old = _share(pair_res[i, j], old_res[j]) if j >= 0 else 0.0
        change = _change(share_new, share_old, config)
        overlap_m2 = shapely.area(shapely.intersection(area.geometry, old_union))
        rows.append(
            {
                "area_id": area.area_id,
                "name": area.name,
                "change": change,
                "earlier_id": earlier["earlier_id"].iat[j]
                if j >= 0 and pair_res[i, j] > 0
                else None,
                "overlap_area_m2": round(float(overlap_m2)),
                "overlap_area_share": float(overlap_m2 / area.geometry.area),
                "residents": int(new_res[i]),
                "overlap_residents": round((new[i] & in_old) @ res),
                "overlap_residents_share": share_new,
                "reason_da": _reason(change, share_new, area.criteria, "da"),
                "reason_en": _reason(change, share_new, area.criteria, "en"),
            }
        )
    rows += _leaving(areas, earlier, old, in_new, res, old_res, units, config)
    return pd.DataFrame(rows)


def _leaving(areas, earlier, old, in_new, res, old_res, units, config) -> list[dict]:
    new_union = shapely.union_all(areas.geometry.to_numpy()) if len(areas) else None
    ux, uy = units["x"].to_numpy(float), units["y"].to_numpy(float)
    unit_in = membership(earlier.geometry.to_numpy(), ux, uy)
    w = units["residents"].to_numpy(float)
    flags = units["criteria_flagged"].to_numpy(float)
    designated = units["designated"].to_numpy(bool)
    rows = []
    for j, e in enumerate(earlier.itertuples()):
        share = _share((old[j] & in_new) @ res, old_res[j])
        if share >= config.match_share:
            continue
        m = unit_in[j]
        unit_share = _share((w * designated)[m].sum(), w[m].sum())
        mean_flags = _share((w * flags)[m].sum(), w[m].sum())
        overlap = shapely.area(shapely.intersection(e.geometry, new_union)) if new_union else 0.0
        reason = {
            lang: say(
                "reason_leave",
                lang,
                share=number(100 * unit_share, lang, 0),
                flags=number(mean_flags, lang, 1),
            )
            for lang in ("da", "en")
        }
        rows.append(
            {
                "area_id": f"earlier:{e.earlier_id}",
                "name": e.name,
                "change": "leave",
                "earlier_id": e.earlier_id,
                "overlap_area_m2": round(float(overlap)),
                "overlap_area_share": float(overlap / e.geometry.area),
                "residents": int(old_res[j]),
                "overlap_residents": round((old[j] & in_new) @ res),
                "overlap_residents_share": share,
                "reason_da": reason["da"],
                "reason_en": reason["en"],
            }
        )
    return rows


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole > 0 else 0.0


def _change(share_new: float, share_old: float, config: ScreeningConfig) -> str:
    if share_new < config.match_share:
        return "enter"
    if share_new >= config.same_share and share_old >= config.same_share:
        return "same"
    return "changed"


def _reason(change: str, share: float, criteria: str, lang: str) -> str:
    names = [c for c in str(criteria or "").split(";") if c]
    text = ", ".join(label(c, lang) for c in names) or say("no_criteria_flagged", lang)
    key = {"enter": "reason_enter", "changed": "reason_changed", "same": "reason_same"}[change]
    return say(key, lang, share=number(100 * share, lang, 0), criteria=text)
