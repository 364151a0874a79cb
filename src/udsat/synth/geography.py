"""The synthetic city's geography: address points, housing areas and reporting units.

What is real and what is synthetic:
- REAL (Københavns Kommune open data, CC BY 4.0, see ``udsat/data/kk/PROVENANCE.md``): the 10
  bydele, the 67 kvarterer (simplified outlines) and the 17 polygons of the 2017 policy's vulnerable
  areas, reprojected to EPSG:25832. Frederiksberg is the hole in the bydele and gets no address.
- Approximately real: district populations (rounded, 2020s order of magnitude); the large green
  areas kept free of addresses (hand-drawn ellipses, see ``_PARKS``); estate locations (estates.py).
- SYNTHETIC: every address point and its capacity (expected residents), the estate outlines, and
  the latent ``deprivation`` surface (Gaussian bumps at known deprived and affluent places and
  around estates, value noise at block and street scale, address noise, and a smooth lift over
  the blurred 2017 polygons whose height is calibrated so their person-weighted mean is +1.05).
  No synthetic figure is a real figure.

``deprivation`` is standardised to person-weighted mean 0 and sd 1 over the scope (the city, or
the country for scope="national"); higher is worse. It does not include ``housing_severity``, the
estate's own latent offset: a generator adds the two for estate residents.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from shapely.geometry.base import BaseGeometry

from udsat.synth import estates
from udsat.synth.estates import CRS, largest_remainder, sample_points, split_capacity, to_utm

KBH_CODE = 101
KBH_PERSONS = 650_000
SCOPES = ("copenhagen", "national")
# Residents by bydel_nr (rounded, 2020s); scaled to the requested number of persons.
# fmt: off
BYDEL_POPULATION = {1: 55_000, 2: 80_000, 3: 80_000, 4: 80_000, 5: 65_000,
                    6: 42_000, 7: 45_000, 8: 55_000, 9: 63_000, 10: 85_000}
# Mean residents per adgangsadresse by bydel: dense blocks inside, villas outside.
BYDEL_PER_ADDRESS = {1: 13.0, 2: 14.0, 3: 15.0, 4: 13.0, 5: 9.0,
                     6: 6.0, 7: 6.5, 8: 11.0, 9: 9.0, 10: 10.0}
ESTATE_PER_ADDRESS = 20.0  # a staircase entrance of an almene block
TARGET_PER_ADDRESS = 10.0  # city-wide mean: ~65,000 addresses for 650,000 residents
# kvarternr -> (relative resident density, residents-per-address factor): harbour, parks,
# allotments and airport-side land are sparse; villa quarters hold few residents per address.
_KVARTER_PROFILE = {
    20311: (0.15, 1.0), 20203: (0.35, 1.0), 20308: (0.3, 1.0), 21211: (0.25, 1.0),
    21206: (0.12, 1.0), 21205: (0.35, 1.0), 21104: (0.4, 1.0), 20603: (0.5, 1.0),
    20702: (0.6, 1.0), 20102: (0.6, 1.0), 20602: (0.7, 1.0), 20801: (0.55, 0.35),
    20901: (0.7, 0.45), 21103: (0.6, 0.35), 20904: (0.7, 0.45), 21001: (0.8, 0.6),
    20703: (0.9, 0.6), 20803: (0.9, 0.6), 20804: (0.9, 0.7), 20306: (0.6, 0.5),
    20401: (1.3, 1.0), 20402: (1.3, 1.0), 20404: (1.3, 1.0), 20405: (1.3, 1.0),
    20501: (1.3, 1.0), 20502: (1.3, 1.0), 21101: (1.3, 1.0), 21201: (1.3, 1.0),
}
# fmt: on
POLICY_DENSITY = 1.25  # the 2017 areas are dense estate land: more residents per km2
# Large green areas and lakes (lon, lat, semi-axis east m, semi-axis north m); approximate.
_PARKS = [
    (12.5695, 55.7010, 480, 330),  # Fælledparken
    (12.5955, 55.6907, 250, 220),  # Kastellet
    (12.5120, 55.7165, 1300, 260),  # Utterslev Mose
    (12.5760, 55.6540, 600, 700),  # Amager Fælled
    (12.5450, 55.6050, 3000, 2200),  # Kalvebod Fælled and Vestamager
    (12.5190, 55.6555, 500, 400),  # Vestre Kirkegård
    (12.5120, 55.6420, 600, 350),  # Valbyparken
    (12.5500, 55.6905, 250, 200),  # Assistens Kirkegård
    (12.5360, 55.7130, 300, 250),  # Bispebjerg Kirkegård
    (12.4780, 55.6800, 350, 250),  # Damhussøen
    (12.5780, 55.6855, 200, 150),  # Kongens Have
]


@dataclass
class Geography:
    addresses: pd.DataFrame  # one row per address (adgangsadresse)
    housing_areas: gpd.GeoDataFrame  # EPSG:25832
    units: dict[str, gpd.GeoDataFrame]  # layer name -> polygons EPSG:25832
    scope: str  # "copenhagen" | "national"


# --- real Copenhagen layers -------------------------------------------------------------------


def _read_kk(name: str) -> gpd.GeoDataFrame:
    path = resources.files("udsat.data").joinpath("kk", f"{name}.geojson")
    with resources.as_file(path) as p:
        frame = gpd.read_file(p).to_crs(CRS)
    # "structure" keeps polygons only (the simplified kvarterer have self-intersections)
    frame["geometry"] = shapely.make_valid(
        frame.geometry.to_numpy(), method="structure", keep_collapsed=False
    )
    return frame


@lru_cache(maxsize=1)
def _kk_units() -> dict[str, gpd.GeoDataFrame]:
    by = _read_kk("bydele")
    kv = _read_kk("kvarterer_simplified")
    po = _read_kk("udsatte_byomraader_2017_policy")
    # parent of a kvarter: the bydel holding most of it (simplified outlines overlap borders)
    overlap = shapely.area(
        shapely.intersection(kv.geometry.to_numpy()[:, None], by.geometry.values)
    )
    # fmt: off
    bydele = _layer(by["bydel_nr"].astype(int).astype(str), by["navn"], None, by)
    kvarterer = _layer(kv["kvarternr"].astype(int).astype(str), kv["kvarternavn"],
                       by["bydel_nr"].astype(int).astype(str).values[overlap.argmax(axis=1)], kv)
    policy = _layer(po["id"].str.rsplit(".", n=1).str[-1], po["delomraade"], po["byomraade"], po)
    # fmt: on
    return {"bydele": bydele, "kvarterer": kvarterer, "udsatte_byomraader_2017": policy}


def _layer(
    unit_id: pd.Series, name: pd.Series, parent: object, source: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """A units layer (unit_id, name[, parent_id]) sorted by numeric unit_id."""
    columns = {"unit_id": unit_id.values, "name": name.values}
    if parent is not None:
        columns["parent_id"] = np.asarray(parent, dtype=object)
    frame = gpd.GeoDataFrame(columns, geometry=source.geometry.values, crs=CRS)
    return frame.sort_values("unit_id", key=lambda s: s.astype(int), ignore_index=True)


def kk_units() -> dict[str, gpd.GeoDataFrame]:
    """Copies of the real Copenhagen layers in EPSG:25832 (cached read)."""
    return {name: frame.copy() for name, frame in _kk_units().items()}


@lru_cache(maxsize=1)
def city_land() -> BaseGeometry:
    """Copenhagen municipality: the union of the bydele (Frederiksberg is a hole in it)."""
    return shapely.make_valid(shapely.union_all(_kk_units()["bydele"].geometry.values))


@lru_cache(maxsize=1)
def _parks() -> BaseGeometry:
    lon, lat, ax, ay = (np.array(c, float) for c in zip(*_PARKS, strict=True))
    x, y = to_utm(lon, lat)
    unit = shapely.buffer(shapely.points(np.zeros(len(x)), np.zeros(len(x))), 1.0, quad_segs=8)
    shapes = [
        shapely.affinity.translate(shapely.affinity.scale(u, a, b, origin=(0, 0)), cx, cy)
        for u, a, b, cx, cy in zip(unit, ax, ay, x, y, strict=True)
    ]
    return shapely.union_all(shapes)


# --- generic sampling and fields ----------------------------------------------------------------


def value_noise(x: np.ndarray, y: np.ndarray, cell: float, rng: np.random.Generator) -> np.ndarray:
    """Smooth random field: N(0,1) on a lattice of spacing `cell` m, smoothstep-interpolated."""
    gx, gy = (x - x.min()) / cell, (y - y.min()) / cell
    grid = rng.standard_normal((int(gx.max()) + 2, int(gy.max()) + 2))
    return _interpolate(grid, gx, gy, smooth=True)


def blurred_mask(
    geom: BaseGeometry, x: np.ndarray, y: np.ndarray, cell: float = 50.0, sd: float = 150.0
) -> np.ndarray:
    """Share of geom around each point: its indicator on a raster, Gaussian-blurred (sd m).

    Makes a smooth surface that is ~1 deep inside geom, ~0.5 on its edge and ~0 far away.
    """
    x0, y0 = x.min() - 4 * sd, y.min() - 4 * sd
    nx, ny = int((x.max() + 4 * sd - x0) / cell) + 2, int((y.max() + 4 * sd - y0) / cell) + 2
    cx, cy = np.meshgrid(x0 + cell * np.arange(nx), y0 + cell * np.arange(ny), indexing="ij")
    grid = shapely.contains_xy(geom, cx.ravel(), cy.ravel()).reshape(nx, ny).astype(float)
    half = int(3 * sd / cell)
    kernel = np.exp(-0.5 * (np.arange(-half, half + 1) * cell / sd) ** 2)
    kernel /= kernel.sum()
    for axis in (0, 1):  # a separable Gaussian blur
        grid = np.apply_along_axis(np.convolve, axis, grid, kernel, mode="same")
    return _interpolate(grid, (x - x0) / cell, (y - y0) / cell, smooth=False)


def _interpolate(grid: np.ndarray, gx: np.ndarray, gy: np.ndarray, smooth: bool) -> np.ndarray:
    """Bilinear (or smoothstep) interpolation of grid at fractional indices gx, gy."""
    ix = np.clip(gx.astype(np.int64), 0, grid.shape[0] - 2)
    iy = np.clip(gy.astype(np.int64), 0, grid.shape[1] - 2)
    fx, fy = np.clip(gx - ix, 0, 1), np.clip(gy - iy, 0, 1)
    if smooth:
        fx, fy = fx * fx * (3 - 2 * fx), fy * fy * (3 - 2 * fy)
    top = grid[ix, iy] * (1 - fx) + grid[ix + 1, iy] * fx
    bottom = grid[ix, iy + 1] * (1 - fx) + grid[ix + 1, iy + 1] * fx
    return top * (1 - fy) + bottom * fy


def gaussian_bumps(x: np.ndarray, y: np.ndarray, bumps: np.ndarray) -> np.ndarray:
    """Sum of amplitude * exp(-d^2 / 2 sd^2); bumps has rows (x, y, amplitude, sd)."""
    out = np.zeros(len(x))
    for bx, by, amp, sd in bumps:
        out += amp * np.exp(-((x - bx) ** 2 + (y - by) ** 2) / (2 * sd * sd))
    return out


def weighted_standardise(v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """(v - weighted mean) / weighted sd: the person-weighted z-score."""
    mean = np.average(v, weights=w)
    sd = np.sqrt(np.average((v - mean) ** 2, weights=w))
    return (v - mean) / sd


# --- Copenhagen ---------------------------------------------------------------------------------

# Latent deprivation bumps (lon, lat, amplitude, sd m): the 2011/2017 policy's deprived places and
# the affluent inner city, Østerbro and villa districts. Hand-set, synthetic.
# fmt: off
_CPH_BUMPS = [
    (12.4830, 55.7180, 1.2, 700), (12.4680, 55.7120, 0.6, 400),  # Tingbjerg/Husum
    (12.5420, 55.7020, 1.1, 600), (12.5270, 55.7060, 0.9, 800),  # Ydre Nørrebro, Nordvest
    (12.5300, 55.6530, 0.9, 700), (12.5980, 55.6540, 1.0, 600),  # Sydhavn, Urbanplanen
    (12.5030, 55.6480, 0.8, 500), (12.4935, 55.6560, 0.7, 450),  # Folehaven, Akacieparken
    (12.5530, 55.6880, 0.5, 400), (12.6120, 55.6415, 0.5, 400),  # Blågården, Gyldenrisparken
    (12.5600, 55.7200, 0.5, 500), (12.5300, 55.7210, 0.4, 400),  # Ryparken, Bispebjerg Parkallé
    (12.5860, 55.6820, -1.0, 1300), (12.5800, 55.7120, -0.9, 1400),  # Indre By, Østerbro
    (12.5150, 55.6850, -0.5, 1200), (12.5950, 55.6720, 0.4, 500),  # by Frederiksberg, Christiania
    (12.5760, 55.6640, -0.5, 700), (12.6300, 55.6480, -0.5, 1200),  # Islands Brygge, Amager villas
    (12.4750, 55.6880, -0.6, 1200), (12.5000, 55.7110, -0.3, 800),  # Vanløse, Brønshøj villas
    (12.5800, 55.6280, -0.3, 700),  # Ørestad
]
# fmt: on
POLICY_MEAN_TARGET = 1.05  # person-weighted mean deprivation inside the 2017 polygons
ESTATE_LIFT = 0.25  # bump height per unit of estate severity: an estate's surroundings fare worse


def build_copenhagen(persons: int, rng: np.random.Generator) -> Geography:
    """The Copenhagen scope; the national build reuses it for municipality 101."""
    scale = persons / KBH_PERSONS
    units = kk_units()
    nominal, pieces = _static_layout()
    areas, pieces = nominal.copy(), pieces.copy()
    areas["target_residents"] = np.maximum(1, np.round(areas["nominal_residents"] * scale))
    areas["target_residents"] = areas["target_residents"].astype("int64")
    n_addresses = max(len(areas), round(persons / TARGET_PER_ADDRESS))
    est_n, piece_n = _address_counts(pieces, areas, scale, n_addresses)
    frames = [_piece_addresses(pieces, piece_n, rng)]
    frames.append(estates.estate_addresses(areas, est_n, rng))
    addresses = pd.concat(frames, ignore_index=True)
    _locate_estate_points(addresses, units)
    addresses["municipality_code"] = KBH_CODE
    addresses["region"] = "Hovedstaden"
    addresses["deprivation"] = cph_deprivation(addresses, areas, units, rng)
    return Geography(finish_addresses(addresses), areas, units, "copenhagen")


@lru_cache(maxsize=1)
def _static_layout() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The seed-independent layout (cached): estate outlines and the pieces of other land."""
    units = _kk_units()
    free = shapely.difference(city_land(), _parks())
    areas = estates.cph_housing_areas(free, units["bydele"])
    return areas, _pieces(units, shapely.difference(free, shapely.union_all(areas.geometry.values)))


def _pieces(units: dict[str, gpd.GeoDataFrame], free: BaseGeometry) -> gpd.GeoDataFrame:
    """Free land split by bydel x kvarter x inside/outside the 2017 polygons, with weights."""
    by, kv = units["bydele"], units["kvarterer"]
    bi, ki = shapely.STRtree(kv.geometry.values).query(by.geometry.values, "intersects")
    geom = shapely.intersection(
        shapely.intersection(by.geometry.to_numpy()[bi], kv.geometry.to_numpy()[ki]), free
    )
    policy = shapely.union_all(units["udsatte_byomraader_2017"].geometry.values)
    frame = gpd.GeoDataFrame(
        {
            "bydel_id": np.tile(by["unit_id"].values[bi], 2),
            "kvarter_id": np.tile(kv["unit_id"].values[ki], 2),
            "in_policy_area_2017": np.repeat([True, False], len(bi)),
        },
        geometry=np.concatenate(
            [shapely.intersection(geom, policy), shapely.difference(geom, policy)]
        ),
        crs=CRS,
    )
    frame = frame[frame.area > 500.0].reset_index(drop=True)
    profile = np.array([_KVARTER_PROFILE.get(int(k), (1.0, 1.0)) for k in frame["kvarter_id"]])
    boost = np.where(frame["in_policy_area_2017"], POLICY_DENSITY, 1.0)
    frame["weight"] = frame.area.values * profile[:, 0] * boost
    per_address = frame["bydel_id"].astype(int).map(BYDEL_PER_ADDRESS).values * profile[:, 1]
    frame["per_address"] = per_address
    return frame


def _address_counts(
    pieces: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, scale: float, total: int
) -> tuple[np.ndarray, np.ndarray]:
    """Addresses per estate and per piece; sets pieces['residents'] (non-estate residents)."""
    estate_by = areas.groupby("bydel_id")["target_residents"].sum()
    budget = {b: p * scale - estate_by.get(str(b), 0) for b, p in BYDEL_POPULATION.items()}
    if min(budget.values()) <= 0:
        raise ValueError("estate residents exceed a bydel's population")
    for _ in range(10):  # drop pieces too small to hold one address, then share out again
        share = pieces["weight"] / pieces.groupby("bydel_id")["weight"].transform("sum")
        pieces["residents"] = share * pieces["bydel_id"].astype(int).map(budget)
        raw = np.concatenate(
            [
                areas["target_residents"] / ESTATE_PER_ADDRESS,
                pieces["residents"] / pieces["per_address"],
            ]
        )
        counts = largest_remainder(raw, total)
        est_n, piece_n = np.maximum(counts[: len(areas)], 1), counts[len(areas) :]
        empty = (piece_n == 0) & (pieces["weight"].values > 0)
        if not empty.any():
            break
        pieces.loc[empty, "weight"] = 0.0
    return est_n, piece_n


def _piece_addresses(
    pieces: gpd.GeoDataFrame, counts: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """Clustered points and lognormal capacities in each piece of ordinary (non-estate) land."""
    parts = []
    for piece, n in zip(pieces.itertuples(), counts, strict=True):
        if n == 0:
            continue
        x, y = sample_points(
            piece.geometry, n, rng, clusters=max(1, n // 25), spread=90.0, background=0.3
        )
        capacity = split_capacity(piece.residents, n, 0.6, rng)
        # fmt: off
        parts.append(pd.DataFrame({
            "x": x, "y": y, "housing_area_id": None, "capacity": capacity,
            "in_policy_area_2017": piece.in_policy_area_2017, "bydel_id": piece.bydel_id,
            "kvarter_id": piece.kvarter_id, "housing_severity": 0.0,
        }))
        # fmt: on
    return pd.concat(parts, ignore_index=True)


def _locate_estate_points(addresses: pd.DataFrame, units: dict[str, gpd.GeoDataFrame]) -> None:
    """Fill bydel, kvarter and policy flags of estate addresses by point-in-polygon."""
    rows = addresses["housing_area_id"].notna().to_numpy()
    x, y = addresses["x"].to_numpy()[rows], addresses["y"].to_numpy()[rows]
    for column, layer in (("bydel_id", "bydele"), ("kvarter_id", "kvarterer")):
        addresses.loc[rows, column] = locate(units[layer], x, y)
    policy = shapely.union_all(units["udsatte_byomraader_2017"].geometry.values)
    addresses.loc[rows, "in_policy_area_2017"] = shapely.contains_xy(policy, x, y)


def locate(layer: gpd.GeoDataFrame, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """unit_id of the (first) polygon containing each point; None outside all of them."""
    out = np.full(len(x), None, dtype=object)
    pts, polys = shapely.STRtree(layer.geometry.values).query(shapely.points(x, y), "within")
    first = np.unique(pts, return_index=True)[1]
    out[pts[first]] = layer["unit_id"].values[polys[first]]
    return out


def cph_deprivation(
    addresses: pd.DataFrame, areas: gpd.GeoDataFrame, units: dict, rng: np.random.Generator
) -> np.ndarray:
    """Latent deprivation: bumps + block/street noise + a calibrated lift over the 2017 areas."""
    x, y = addresses["x"].to_numpy(), addresses["y"].to_numpy()
    lon, lat, amp, sd = (np.array(c, float) for c in zip(*_CPH_BUMPS, strict=True))
    bx, by = to_utm(lon, lat)
    estate_bumps = estates.estate_bumps(areas, ESTATE_LIFT)
    base = gaussian_bumps(x, y, np.vstack([np.column_stack([bx, by, amp, sd]), estate_bumps]))
    base += 0.45 * value_noise(x, y, 500.0, rng) + 0.35 * value_noise(x, y, 180.0, rng)
    base += 0.25 * rng.standard_normal(len(x))  # address level: the house itself
    policy = shapely.union_all(units["udsatte_byomraader_2017"].geometry.values)
    lift = blurred_mask(policy, x, y)
    inside = addresses["in_policy_area_2017"].to_numpy().astype(bool)
    return calibrated_lift(base, lift, addresses["capacity"].to_numpy(), inside, POLICY_MEAN_TARGET)


def calibrated_lift(
    base: np.ndarray, lift: np.ndarray, w: np.ndarray, inside: np.ndarray, target: float
) -> np.ndarray:
    """z-score of base + b * lift, with b chosen by bisection so inside's weighted mean = target."""
    lo, hi = 0.0, 10.0
    for _ in range(40):
        b = (lo + hi) / 2
        z = weighted_standardise(base + b * lift, w)
        if np.average(z[inside], weights=w[inside]) < target:
            lo = b
        else:
            hi = b
    return weighted_standardise(base + (lo + hi) / 2 * lift, w)


# fmt: off
ADDRESS_COLUMNS = ("address_id", "x", "y", "housing_area_id", "municipality_code", "capacity",
                   "deprivation", "in_policy_area_2017", "bydel_id", "kvarter_id", "region",
                   "housing_severity")
_DTYPES = {"x": "float64", "y": "float64", "capacity": "float64", "deprivation": "float64",
           "municipality_code": "int64", "in_policy_area_2017": "bool",
           "housing_severity": "float64"}
# fmt: on


def finish_addresses(addresses: pd.DataFrame) -> pd.DataFrame:
    """Ids, column order and dtypes of the addresses table."""
    out = addresses.reset_index(drop=True)
    numbers = pc.cast(pa.array(np.arange(1, len(out) + 1)), pa.string())
    ids = pc.binary_join_element_wise("A", pc.utf8_lpad(numbers, 7, "0"), "")  # A0000001 ...
    out["address_id"] = pd.Series(ids.to_pandas().values, index=out.index)
    return out.astype(_DTYPES).loc[:, list(ADDRESS_COLUMNS)]
