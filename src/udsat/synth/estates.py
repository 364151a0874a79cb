"""Housing areas (almene boligområder) and the placement of entrances (address points).

Provenance:
- Copenhagen: ``udsat/data/housing_areas_cph.csv``. Names marked "real name" are real almene
  estates; their locations are approximate (hand-placed within a few hundred metres, those on the
  state's lists moved inside the real 2017 policy polygons) and their outlines are SYNTHETIC
  ellipses sized from the resident count. Names marked "(syntetisk)" are invented. Resident counts
  are rounded, plausible orders of magnitude, not official figures.
- Outside Copenhagen (``NATIONAL_NAMED``): real names and municipalities (most from the state's
  lists 2017-2022), approximate sizes, SYNTHETIC locations (near the municipality's town point)
  and outlines; invented areas fill the universe up to 198 areas of >= 1,000 residents, spread by
  population x almene share, and are labelled "(syntetisk)".
- ``severity`` is a SYNTHETIC latent offset (how much worse the area's residents fare than its
  surroundings). Tiers used to tune it (the population generator maps it to outcomes):
  >= 2.4 parallel-society-like, 1.8-2.4 udsat-like, 1.2-1.8 near the forebyggelse thresholds,
  < 1.2 mild. The estates on the state's lists 2017-2022 sit in the top tiers.

The placement helpers at the end (rejection sampling, capacities, integer allocation) are shared
by the Copenhagen and the national builds.
"""

from __future__ import annotations

from importlib import resources
from typing import cast

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

CRS = "EPSG:25832"
# Residents per km2 of an estate footprint (3-6 storey blocks with green space between them).
ESTATE_DENSITY_PER_KM2 = 14_000.0
# Tier thresholds on severity (documentation and tests; the population generator calibrates).
TIER_PARALLEL = 2.4
TIER_UDSAT = 1.8
TIER_NEAR = 1.2
_SYNTH_NEAR_SHARE = 0.3  # of the synthetic areas: near the forebyggelse thresholds (1.2-1.8)
_UNIVERSE_SEED = 198  # fixed: the national estate universe is the same for every run seed
# Fixed seed for the outline shapes: the estate layer is the same for every run seed.
_SHAPE_SEED = 20_170


def load_cph_estates() -> pd.DataFrame:
    """The Copenhagen estate table (id, name, lon, lat, nominal_residents, severity, basis)."""
    path = resources.files("udsat.data").joinpath("housing_areas_cph.csv")
    with path.open("rb") as fh:
        table = pd.read_csv(fh, dtype={"housing_area_id": str, "name": str, "basis": str})
    if table["housing_area_id"].duplicated().any():
        raise ValueError("housing_areas_cph.csv: duplicate housing_area_id")
    return table


def estate_polygons(
    x: np.ndarray, y: np.ndarray, residents: np.ndarray, land: BaseGeometry
) -> np.ndarray:
    """Synthetic outlines: rotated ellipses of area residents / density, clipped to land.

    Larger estates are placed first and later ones lose any overlap, so polygons never overlap.
    """
    rng = np.random.default_rng(_SHAPE_SEED)
    n = len(x)
    aspect = rng.uniform(1.0, 1.8, n)
    angle = rng.uniform(0.0, 180.0, n)
    radius = np.sqrt(np.asarray(residents, float) / ESTATE_DENSITY_PER_KM2 * 1e6 / np.pi)
    circles = shapely.buffer(shapely.points(np.zeros(n), np.zeros(n)), 1.0, quad_segs=8)
    out = np.empty(n, dtype=object)
    taken: BaseGeometry = shapely.Polygon()
    for i in np.argsort(-np.asarray(residents), kind="stable"):
        shape = shapely.affinity.scale(circles[i], radius[i] * aspect[i], radius[i] / aspect[i])
        shape = shapely.affinity.rotate(shape, angle[i], origin=(0, 0))
        shape = shapely.affinity.translate(shape, x[i], y[i])
        piece = shapely.make_valid(shapely.difference(shapely.intersection(shape, land), taken))
        out[i] = _largest_polygon(piece)
        taken = shapely.union(taken, out[i])
    return out


def _largest_polygon(geom: BaseGeometry) -> BaseGeometry:
    """Keep the largest polygon part (clipping can leave slivers across a road or canal)."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and g.area > 0]
    if not parts:
        raise ValueError("an estate polygon fell entirely outside the land")
    return max(parts, key=lambda g: g.area)


def cph_housing_areas(free: BaseGeometry, bydele: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Copenhagen's housing areas in EPSG:25832 (target_residents = nominal: scale them)."""
    table = load_cph_estates()
    x, y = to_utm(table["lon"].to_numpy(), table["lat"].to_numpy())
    geom = estate_polygons(x, y, table["nominal_residents"].to_numpy(), free)
    areas = gpd.GeoDataFrame(
        {
            "housing_area_id": table["housing_area_id"],
            "name": table["name"],
            "municipality_code": 101,
            "municipality": "København",
            "region": "Hovedstaden",
            "target_residents": table["nominal_residents"].astype("int64"),
            "severity": table["severity"].astype(float),
            "nominal_residents": table["nominal_residents"].astype("int64"),
            "basis": table["basis"],
        },
        geometry=geom,
        crs=CRS,
    )
    where = shapely.STRtree(bydele.geometry.values).query(shapely.points(x, y), "within")
    areas["bydel_id"] = None
    areas.loc[where[0], "bydel_id"] = bydele["unit_id"].values[where[1]]
    return areas


def estate_addresses(
    areas: gpd.GeoDataFrame, counts: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """Entrances inside each estate; their capacities sum to the estate's target residents."""
    parts = []
    for area, n in zip(areas.itertuples(), counts, strict=True):
        x, y = sample_points(
            area.geometry, int(n), rng, clusters=max(1, n // 6), spread=35.0, background=0.3
        )
        capacity = split_capacity(float(area.target_residents), int(n), 0.3, rng)
        # fmt: off
        parts.append(pd.DataFrame({
            "x": x, "y": y, "housing_area_id": area.housing_area_id, "capacity": capacity,
            "in_policy_area_2017": False, "bydel_id": None, "kvarter_id": None,
            "housing_severity": area.severity,
        }))
        # fmt: on
    return pd.concat(parts, ignore_index=True)


def to_utm(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 lon/lat -> EPSG:25832 metres."""
    t = Transformer.from_crs("EPSG:4326", CRS, always_xy=True)
    x, y = t.transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(x, float), np.asarray(y, float)


# Real almene estates outside Copenhagen (names and municipalities as on the state's lists or
# widely known; residents rounded and approximate; severities synthetic): name|code|residents|sev
# fmt: off
NATIONAL_NAMED = """
Gellerupparken/Toveshøj|751|7000|3.0
Bispehaven|751|1500|2.5
Skovgårdsparken|751|1200|2.0
Herredsvang|751|1300|1.7
Vollsmose|461|8000|2.9
Solbakken|461|1300|2.3
Korsløkkeparken Øst|461|1100|2.2
Ringparken|330|1500|2.6
Motalavej|330|1200|2.5
Tåstrupgård|169|2700|2.6
Gadehavegård|169|1700|2.6
Charlotteager|169|1300|2.2
Nøjsomhed/Sydvej|217|1800|2.3
Vapnagaard|217|3000|1.3
Skovvejen/Skovparken|621|1500|2.5
Munkebo|621|1200|2.3
Agervang|316|1100|2.5
Finlandsparken|630|1400|2.5
Møllevangen|630|1300|1.5
Stengårdsvej|561|1200|2.5
Præstebakken/Syrenparken|561|1100|1.9
Kvaglund|561|3000|1.5
Sundparken|615|1400|2.5
Nørager/Søstjernevej m.fl.|540|1600|2.3
Lindholm|376|1500|2.2
Korskærparken|607|1400|2.3
Askerød|253|1500|2.2
Karlemoseparken|259|1100|2.2
Ellekonebakken|791|1000|2.1
Houlkærvænget|791|1100|1.9
Resedavej/Nørrevang II|740|1200|2.2
Holtbjerg|657|1100|1.9
Trekanten|661|1000|1.9
Rønnebærparken/Æblehaven|265|1500|1.9
Vejleåparken|183|2800|1.6
Sydbyen|370|1000|1.7
Brøndby Strand Parkerne|153|6000|1.7
Albertslund Syd|165|4000|1.4
Hyldespjældet|165|1200|1.6
Avedøre Stationsby|167|5000|1.3
Farum Midtpunkt|190|3000|1.3
Værebro Park|159|2000|1.5
Høje Gladsaxe|159|2000|1.3
Kildeparken|851|2000|1.8
Løvvangen|851|1500|1.5
Jennumparken|730|1500|1.6
"""
# fmt: on
# Words for invented estate names ("<town> <word> (syntetisk)").
SYNTHETIC_WORDS = (
    "Nordparken",
    "Sydparken",
    "Østervang",
    "Vestervang",
    "Engparken",
    "Skovvænget",
    "Bakkegården",
    "Søparken",
    "Lyngbakken",
    "Højvangen",
    "Toftegården",
    "Kærparken",
)


def national_named() -> pd.DataFrame:
    """The real-named estates outside Copenhagen as a table."""
    rows = [line.split("|") for line in NATIONAL_NAMED.strip().splitlines()]
    table = pd.DataFrame(
        rows, columns=["name", "municipality_code", "nominal_residents", "severity"]
    )
    return table.astype(
        {"municipality_code": "int64", "nominal_residents": "int64", "severity": "float64"}
    )


def national_universe(n: int, munis: pd.DataFrame, cells: pd.Series) -> gpd.GeoDataFrame:
    """n housing areas of >= 1,000 residents outside Copenhagen: the named ones, then invented
    ones; centres near the municipality's town point, inside its cell (`cells` by code str)."""
    m = munis.set_index("code")
    named = national_named()
    table = pd.concat([named, _synthetic_areas(n - len(named), munis)])
    rng = np.random.default_rng(_UNIVERSE_SEED)
    parts = []
    for code, group in table.groupby("municipality_code", sort=True):
        cell, town = cells[str(code)], cast(pd.Series, m.loc[code])  # codes are unique
        x, y = _estate_centres(len(group), cell, town, rng)
        geom = estate_polygons(x, y, group["nominal_residents"].to_numpy(), cell)
        ids = [f"HA{code:03d}{i:02d}" for i in range(1, len(group) + 1)]
        parts.append(
            group.assign(
                housing_area_id=ids, geometry=geom, municipality=town["name"], region=town["region"]
            )
        )
    frame = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=CRS)
    frame["basis"] = np.where(
        frame["name"].str.endswith("(syntetisk)"),
        "synthetic",
        "real name; synthetic location and outline",
    )
    return frame


def _synthetic_areas(n: int, munis: pd.DataFrame) -> pd.DataFrame:
    """n invented areas of >= 1,000 residents, spread where almene housing is (fixed seed)."""
    rng = np.random.default_rng(_UNIVERSE_SEED + 1)
    m = munis[(munis["code"] != 101) & (munis["population"] >= 20_000)]
    counts = largest_remainder((m["population"] * m["almene"]).to_numpy(), n)
    code = np.repeat(m["code"].to_numpy(), counts)
    town = np.repeat(m["name"].to_numpy(), counts)
    k = np.concatenate([np.arange(c) for c in counts])
    words = np.array(SYNTHETIC_WORDS)[k % len(SYNTHETIC_WORDS)]
    near = rng.random(n) < _SYNTH_NEAR_SHARE  # near the thresholds; the others are mild
    return pd.DataFrame(
        {
            "name": [f"{t} {w} (syntetisk)" for t, w in zip(town, words, strict=True)],
            "municipality_code": code,
            "nominal_residents": np.minimum(6000, 1000 + np.round(700 * rng.lognormal(0, 0.8, n))),
            "severity": np.round(
                np.where(near, rng.uniform(1.2, 1.8, n), rng.uniform(0.3, 1.2, n)), 2
            ),
        }
    ).astype({"nominal_residents": "int64"})


def _estate_centres(
    n: int, cell: BaseGeometry, town: pd.Series, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Estate centres in the town, at least 500 m apart (almene estates sit in the towns)."""
    xs: list[float] = []
    ys: list[float] = []
    for _ in range(n):
        for _attempt in range(200):
            r = town["town_sd"] * rng.uniform(0.2, 1.0)
            a = rng.uniform(0, 2 * np.pi)
            x, y = town["x"] + r * np.cos(a), town["y"] + r * np.sin(a)
            far = all(np.hypot(x - px, y - py) > 500.0 for px, py in zip(xs, ys, strict=True))
            if far and shapely.contains_xy(cell, x, y):
                break
        xs.append(x)
        ys.append(y)
    return np.array(xs), np.array(ys)


def estate_bumps(areas: gpd.GeoDataFrame, lift: float) -> np.ndarray:
    """Deprivation bumps (x, y, amplitude, sd) centred on the estates, sized by their outline."""
    centre = shapely.centroid(areas.geometry.to_numpy())
    return np.column_stack(
        [
            shapely.get_x(centre),
            shapely.get_y(centre),
            lift * areas["severity"].to_numpy(float),
            1.5 * np.sqrt(areas.area.to_numpy() / np.pi),
        ]
    )


# --- placing entrances: shared by the Copenhagen and national builds ---------------------------


def sample_points(
    geom: BaseGeometry,
    n: int,
    rng: np.random.Generator,
    *,
    clusters: int = 0,
    spread: float = 100.0,
    background: float = 1.0,
    centers: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """n points inside geom by vectorised rejection sampling.

    A share `background` is uniform; the rest scatter (Gaussian, sd `spread` m) around `clusters`
    uniform centres (or the given `centers`): a Thomas cluster process, so points bunch like
    buildings along streets.
    """
    if n <= 0:
        return np.empty(0), np.empty(0)
    shapely.prepare(geom)
    if centers is None:
        if clusters <= 0 or background >= 1.0:
            clusters, background = 0, 1.0
        centers = sample_points(geom, clusters, rng) if clusters else (np.zeros(1), np.zeros(1))
    cx, cy = centers
    x0, y0, x1, y1 = geom.bounds
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    got = 0
    for _ in range(500):
        m = max(64, (n - got) * 3)
        uniform = rng.random(m) < background
        pick = rng.integers(0, len(cx), m)
        x = np.where(uniform, rng.uniform(x0, x1, m), cx[pick] + rng.normal(0.0, spread, m))
        y = np.where(uniform, rng.uniform(y0, y1, m), cy[pick] + rng.normal(0.0, spread, m))
        keep = shapely.contains_xy(geom, x, y)
        xs.append(x[keep])
        ys.append(y[keep])
        got += int(keep.sum())
        if got >= n:
            return np.concatenate(xs)[:n], np.concatenate(ys)[:n]
    raise RuntimeError(f"could not place {n} points in a polygon of {geom.area:.0f} m2")


def split_capacity(total: float, n: int, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """n positive capacities summing to `total` (lognormal shares: entrances differ in size)."""
    w = rng.lognormal(0.0, sigma, n)
    return total * w / w.sum()


def largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to weights that sum exactly to total (Hamilton's method)."""
    quota = np.asarray(weights, float) / np.sum(weights) * total
    counts = np.floor(quota).astype(np.int64)
    short = total - counts.sum()
    counts[np.argsort(-(quota - counts), kind="stable")[:short]] += 1
    return counts
