"""The national synthetic geography: 5 regions, 98 municipalities, 198 large housing areas.

Provenance: no national geodata ships with udsat, so everything here except Copenhagen is an
APPROXIMATION built offline. Real: the kommunekoder, names and regions. Approximate (hand-entered,
rounded): each municipality's main-town location and population (2020s, thousands), a relative
share of almene housing, and a coarse Denmark outline (a few polygons per landmass). SYNTHETIC:
the "kommuner" layer (Voronoi cells of the town points inside each landmass), "regioner" (their
union), every address outside Copenhagen and the deprivation surface. Copenhagen (101) is the
real Copenhagen geography of geography.py scaled to its share; Frederiksberg (147) is the real
hole in it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from udsat.synth import estates
from udsat.synth.estates import CRS, largest_remainder, sample_points, to_utm
from udsat.synth.geography import (
    KBH_CODE,
    SCOPES,
    Geography,
    build_copenhagen,
    city_land,
    finish_addresses,
    gaussian_bumps,
    value_noise,
    weighted_standardise,
)

FREDERIKSBERG = 147
PER_ADDRESS = 2.95  # national mean residents per adgangsadresse (~2 million for 5.9 million)
REGION_CODES = {
    "Hovedstaden": "1084",
    "Sjælland": "1085",
    "Syddanmark": "1083",
    "Midtjylland": "1082",
    "Nordjylland": "1081",
}
_REGION = {
    "H": "Hovedstaden",
    "S": "Sjælland",
    "D": "Syddanmark",
    "M": "Midtjylland",
    "N": "Nordjylland",
}
# code|name|region|lon|lat|population (thousands)|almene share|landmass|deprivation offset
# fmt: off
_MUNICIPALITIES = """
101|København|H|12.57|55.68|650|0.20|Z|0.1
147|Frederiksberg|H|12.53|55.68|104|0.12|Z|-0.4
151|Ballerup|H|12.36|55.73|52|0.30|Z|0.2
153|Brøndby|H|12.42|55.65|39|0.50|Z|0.8
155|Dragør|H|12.67|55.59|15|0.05|Z|-0.7
157|Gentofte|H|12.55|55.75|75|0.08|Z|-1.0
159|Gladsaxe|H|12.49|55.745|70|0.30|Z|0.1
161|Glostrup|H|12.40|55.67|24|0.25|Z|0.2
163|Herlev|H|12.44|55.73|30|0.30|Z|0.2
165|Albertslund|H|12.35|55.66|28|0.45|Z|0.7
167|Hvidovre|H|12.46|55.645|54|0.30|Z|0.3
169|Høje-Taastrup|H|12.27|55.65|58|0.30|Z|0.5
173|Lyngby-Taarbæk|H|12.50|55.78|57|0.12|Z|-0.8
175|Rødovre|H|12.44|55.685|41|0.30|Z|0.2
183|Ishøj|H|12.35|55.62|24|0.45|Z|0.8
185|Tårnby|H|12.60|55.625|44|0.15|Z|0.0
187|Vallensbæk|H|12.38|55.63|17|0.20|Z|-0.2
190|Furesø|H|12.38|55.80|41|0.22|Z|-0.5
201|Allerød|H|12.35|55.87|26|0.08|Z|-0.8
210|Fredensborg|H|12.40|55.97|41|0.18|Z|-0.1
217|Helsingør|H|12.55|56.03|63|0.20|Z|0.1
219|Hillerød|H|12.30|55.93|53|0.18|Z|-0.3
223|Hørsholm|H|12.50|55.88|25|0.10|Z|-0.9
230|Rudersdal|H|12.48|55.83|57|0.08|Z|-1.0
240|Egedal|H|12.20|55.78|44|0.10|Z|-0.5
250|Frederikssund|H|12.07|55.84|46|0.12|Z|0.0
260|Halsnæs|H|11.98|55.97|31|0.12|Z|0.3
270|Gribskov|H|12.25|56.06|42|0.06|Z|-0.1
400|Bornholm|H|14.92|55.13|39|0.15|B|0.4
253|Greve|S|12.27|55.60|51|0.15|Z|-0.1
259|Køge|S|12.15|55.46|62|0.18|Z|0.0
265|Roskilde|S|12.08|55.64|90|0.20|Z|-0.3
269|Solrød|S|12.20|55.53|24|0.08|Z|-0.5
306|Odsherred|S|11.65|55.90|33|0.08|Z|0.4
316|Holbæk|S|11.70|55.70|73|0.18|Z|0.2
320|Faxe|S|12.12|55.25|37|0.10|Z|0.1
326|Kalundborg|S|11.15|55.68|49|0.15|Z|0.3
329|Ringsted|S|11.79|55.44|36|0.15|Z|0.1
330|Slagelse|S|11.35|55.40|80|0.20|Z|0.4
336|Stevns|S|12.30|55.33|23|0.06|Z|0.0
340|Sorø|S|11.55|55.43|30|0.12|Z|0.0
350|Lejre|S|11.96|55.60|29|0.06|Z|-0.4
360|Lolland|S|11.30|54.77|40|0.15|L|0.8
370|Næstved|S|11.76|55.23|84|0.18|Z|0.2
376|Guldborgsund|S|11.87|54.77|60|0.15|L|0.5
390|Vordingborg|S|11.90|55.01|45|0.12|Z|0.3
410|Middelfart|D|9.85|55.45|39|0.12|F|-0.2
420|Assens|D|9.95|55.27|41|0.10|F|0.1
430|Faaborg-Midtfyn|D|10.30|55.15|51|0.10|F|0.1
440|Kerteminde|D|10.62|55.42|24|0.10|F|0.0
450|Nyborg|D|10.74|55.31|32|0.15|F|0.1
461|Odense|D|10.39|55.40|207|0.22|F|0.2
479|Svendborg|D|10.60|55.07|59|0.18|F|0.2
480|Nordfyns|D|10.15|55.52|29|0.08|F|0.1
482|Langeland|D|10.75|54.93|12|0.10|LA|0.6
492|Ærø|D|10.40|54.88|6|0.08|AE|0.3
510|Haderslev|D|9.45|55.25|55|0.15|J|0.1
530|Billund|D|9.10|55.73|27|0.10|J|-0.2
540|Sønderborg|D|9.79|54.96|74|0.18|J|0.2
550|Tønder|D|8.90|54.95|37|0.10|J|0.2
561|Esbjerg|D|8.50|55.50|116|0.20|J|0.2
563|Fanø|D|8.40|55.42|3.5|0.05|FA|-0.2
573|Varde|D|8.50|55.65|49|0.08|J|-0.1
575|Vejen|D|9.15|55.48|42|0.08|J|0.0
580|Aabenraa|D|9.35|55.05|58|0.15|J|0.1
607|Fredericia|D|9.70|55.57|52|0.22|J|0.2
621|Kolding|D|9.47|55.49|94|0.20|J|0.0
630|Vejle|D|9.50|55.72|121|0.18|J|0.0
615|Horsens|M|9.85|55.86|98|0.20|J|0.1
657|Herning|M|8.97|56.14|90|0.15|J|-0.1
661|Holstebro|M|8.62|56.36|59|0.18|J|0.0
665|Lemvig|M|8.30|56.55|19|0.08|J|0.1
671|Struer|M|8.59|56.49|21|0.12|J|0.2
706|Syddjurs|M|10.55|56.30|44|0.06|J|-0.2
707|Norddjurs|M|10.80|56.45|37|0.10|J|0.3
710|Favrskov|M|9.95|56.32|49|0.06|J|-0.4
727|Odder|M|10.15|55.97|23|0.08|J|-0.3
730|Randers|M|10.04|56.46|99|0.20|J|0.2
740|Silkeborg|M|9.55|56.17|100|0.15|J|-0.1
741|Samsø|M|10.60|55.87|3.7|0.05|SA|0.0
746|Skanderborg|M|9.93|56.04|64|0.08|J|-0.5
751|Aarhus|M|10.20|56.16|367|0.22|J|-0.1
756|Ikast-Brande|M|9.15|56.00|42|0.10|J|-0.1
760|Ringkøbing-Skjern|M|8.35|56.00|56|0.08|J|-0.1
766|Hedensted|M|9.70|55.77|48|0.08|J|-0.2
779|Skive|M|9.03|56.57|46|0.12|J|0.1
791|Viborg|M|9.40|56.45|98|0.15|J|-0.1
773|Morsø|N|8.70|56.80|20|0.08|J|0.2
787|Thisted|N|8.70|57.00|43|0.10|J|0.1
810|Brønderslev|N|10.00|57.27|36|0.10|J|0.1
813|Frederikshavn|N|10.45|57.44|59|0.15|J|0.3
820|Vesthimmerlands|N|9.35|56.80|36|0.08|J|0.2
825|Læsø|N|11.00|57.27|1.8|0.05|LS|0.3
840|Rebild|N|9.85|56.80|30|0.06|J|-0.1
846|Mariagerfjord|N|10.00|56.65|42|0.10|J|0.2
849|Jammerbugt|N|9.45|57.15|38|0.06|J|0.1
851|Aalborg|N|9.92|57.05|222|0.22|J|0.1
860|Hjørring|N|9.95|57.45|64|0.12|J|0.2
"""
# Coarse landmass outlines (lon, lat): enough to hold every town point and look like Denmark.
_LANDMASSES = {
    "J": [[(8.66, 54.91), (9.42, 54.83), (9.62, 54.93), (9.95, 54.93), (9.98, 55.05),
           (9.72, 55.12), (9.68, 55.25), (9.55, 55.30), (9.68, 55.42), (9.75, 55.55),
           (10.02, 55.72), (9.95, 55.85), (10.28, 55.95), (10.25, 56.10), (10.50, 56.15),
           (10.55, 56.25), (10.95, 56.30), (10.95, 56.48), (10.55, 56.62), (10.30, 56.58),
           (10.35, 56.80), (10.30, 57.00), (10.52, 57.28), (10.55, 57.45), (10.65, 57.74),
           (10.10, 57.60), (9.60, 57.45), (9.45, 57.20), (8.62, 57.12), (8.20, 56.80),
           (8.12, 56.55), (8.10, 56.30), (8.12, 56.00), (8.07, 55.56), (8.45, 55.45),
           (8.60, 55.30), (8.60, 55.05)]],
    "F": [[(9.72, 55.52), (9.90, 55.52), (10.08, 55.60), (10.35, 55.62), (10.60, 55.62),
           (10.70, 55.48), (10.80, 55.32), (10.75, 55.12), (10.62, 55.05), (10.35, 55.05),
           (10.20, 55.08), (9.98, 55.15), (9.80, 55.28), (9.68, 55.45)]],
    "Z": [[(12.62, 56.04), (12.45, 56.10), (12.31, 56.13), (11.85, 55.97), (11.50, 55.95),
           (11.30, 55.97), (11.40, 55.80), (11.08, 55.72), (11.08, 55.50), (11.14, 55.33),
           (11.30, 55.22), (11.65, 55.18), (11.80, 55.02), (11.95, 54.97), (12.10, 55.10),
           (12.20, 55.20), (12.45, 55.28), (12.38, 55.40), (12.20, 55.46), (12.30, 55.58),
           (12.45, 55.60), (12.55, 55.56), (12.70, 55.58), (12.66, 55.66), (12.62, 55.70),
           (12.60, 55.77), (12.58, 55.86)],
          [(12.20, 55.00), (12.35, 55.05), (12.55, 54.98), (12.40, 54.93), (12.20, 54.95)]],
    "L": [[(10.95, 54.84), (11.10, 54.95), (11.50, 54.88), (11.80, 54.96), (12.05, 54.96),
           (12.15, 54.85), (11.97, 54.56), (11.60, 54.63), (11.30, 54.65), (11.00, 54.72)]],
    "B": [[(14.68, 55.20), (14.78, 55.30), (14.98, 55.26), (15.15, 55.13), (15.08, 55.00),
           (14.82, 54.99), (14.70, 55.08)]],
    "LA": [[(10.68, 55.12), (10.78, 55.10), (10.85, 54.95), (10.75, 54.75), (10.68, 54.78),
            (10.70, 54.95)]],
    "AE": [[(10.20, 54.90), (10.45, 54.93), (10.50, 54.85), (10.30, 54.82)]],
    "SA": [[(10.55, 55.98), (10.65, 55.98), (10.68, 55.85), (10.58, 55.78), (10.52, 55.85)]],
    "LS": [[(10.85, 57.28), (11.05, 57.32), (11.20, 57.28), (11.05, 57.22), (10.90, 57.24)]],
    "FA": [[(8.35, 55.47), (8.42, 55.46), (8.45, 55.38), (8.38, 55.36)]],
}
# fmt: on
HOUSING_AREAS_NATIONAL = 198  # almene areas with >= 1,000 residents (BEK 1365 af 29/11/2018)
_NATIONAL_ESTATE_PER_ADDRESS = 15.0
ESTATE_LIFT = 0.3  # deprivation bump per unit of severity around estates outside Copenhagen


@lru_cache(maxsize=1)
def municipalities() -> pd.DataFrame:
    """The 98 municipalities: code, name, region, town point x/y (EPSG:25832), population ..."""
    rows = [line.split("|") for line in _MUNICIPALITIES.strip().splitlines()]
    cols = ["code", "name", "region", "lon", "lat", "population", "almene", "landmass", "offset"]
    table = pd.DataFrame(rows, columns=cols)
    table = table.astype(
        {
            "code": "int64",
            "lon": float,
            "lat": float,
            "population": float,
            "almene": float,
            "offset": float,
        }
    )
    table["population"] *= 1000.0
    table["region"] = table["region"].map(_REGION)
    table["x"], table["y"] = to_utm(table["lon"].to_numpy(), table["lat"].to_numpy())
    # the main town's spread: bigger towns sprawl further
    table["town_sd"] = np.clip(1500.0 * np.sqrt(table["population"] / 50_000), 700, 4500)
    return table


@lru_cache(maxsize=1)
def _cph_filled() -> BaseGeometry:
    """Copenhagen with its holes (Frederiksberg, harbour basins) filled."""
    return shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(city_land())])


def frederiksberg() -> BaseGeometry:
    """Frederiksberg municipality: the largest hole in Copenhagen (real outline)."""
    holes = [shapely.Polygon(r) for p in shapely.get_parts(city_land()) for r in p.interiors]
    return max(holes, key=lambda h: h.area)


@lru_cache(maxsize=1)
def _landmasses() -> dict[str, BaseGeometry]:
    out: dict[str, BaseGeometry] = {}
    taken: BaseGeometry = _cph_filled()
    for key, rings in _LANDMASSES.items():
        polys = [shapely.Polygon(np.column_stack(to_utm(*zip(*r, strict=True)))) for r in rings]
        geom = shapely.make_valid(shapely.difference(shapely.union_all(polys), taken))
        out[key] = geom
        taken = shapely.union(taken, geom)  # later landmasses lose overlaps with earlier ones
    return out


@lru_cache(maxsize=1)
def _kommuner() -> gpd.GeoDataFrame:
    m = municipalities()
    geoms: dict[int, BaseGeometry] = {KBH_CODE: city_land(), FREDERIKSBERG: frederiksberg()}
    for key, land in _landmasses().items():
        sub = m[(m["landmass"] == key) & ~m["code"].isin(list(geoms))]
        geoms.update(_voronoi(sub, land))
    frame = gpd.GeoDataFrame(
        {
            "unit_id": m["code"].astype(str),
            "name": m["name"],
            "parent_id": m["region"].map(REGION_CODES),
        },
        geometry=[geoms[c] for c in m["code"]],
        crs=CRS,
    )
    return frame


def _voronoi(sub: pd.DataFrame, land: BaseGeometry) -> dict[int, BaseGeometry]:
    """Voronoi cells of the town points, clipped to the landmass."""
    if len(sub) == 1:
        return {int(sub["code"].iloc[0]): land}
    points = shapely.multipoints(np.column_stack([sub["x"], sub["y"]]))
    cells = shapely.get_parts(shapely.voronoi_polygons(points, extend_to=land, ordered=True))
    clipped = shapely.make_valid(shapely.intersection(cells, land))
    inside = shapely.contains_xy(clipped, sub["x"].values, sub["y"].values)
    if not inside.all():
        raise ValueError(f"town points outside their cells: {list(sub['name'][~inside])}")
    return dict(zip(sub["code"].astype(int), clipped, strict=True))


def national_units() -> dict[str, gpd.GeoDataFrame]:
    """kommuner (98) and regioner (5) in EPSG:25832."""
    kommuner = _kommuner().copy()
    regions = kommuner.dissolve(by="parent_id").reset_index()
    names = {code: name for name, code in REGION_CODES.items()}
    regioner = gpd.GeoDataFrame(
        {"unit_id": regions["parent_id"], "name": regions["parent_id"].map(names)},
        geometry=shapely.make_valid(regions.geometry.to_numpy()),
        crs=CRS,
    )
    return {"regioner": regioner, "kommuner": kommuner}


@lru_cache(maxsize=1)
def _universe() -> gpd.GeoDataFrame:
    """Housing areas outside Copenhagen (fixed for every run seed)."""
    cph_large = int((estates.load_cph_estates()["nominal_residents"] >= 1000).sum())
    n = HOUSING_AREAS_NATIONAL - cph_large
    return estates.national_universe(n, municipalities(), _kommuner().set_index("unit_id").geometry)


def build_national(persons: int, seed: int) -> Geography:
    """All of Denmark: Copenhagen as in scope="copenhagen", the rest approximate."""
    rng = np.random.default_rng(seed)
    m = municipalities()
    residents = largest_remainder(m["population"].to_numpy(), persons)
    is_cph = (m["code"] == KBH_CODE).to_numpy()
    cph = build_copenhagen(int(residents[is_cph][0]), rng)
    areas = _universe().copy()
    scale = persons / m["population"].sum()
    areas["target_residents"] = np.maximum(1, np.round(areas["nominal_residents"] * scale))
    areas["target_residents"] = areas["target_residents"].astype("int64")
    counts = _address_counts(m, residents, areas, round(persons / PER_ADDRESS) - len(cph.addresses))
    cells = _kommuner().set_index("unit_id").geometry
    parts = [
        _place_municipality(
            town,
            int(residents[i]),
            counts[i],
            cells[str(town.code)],
            areas[areas["municipality_code"] == town.code],
            rng,
        )
        for i, town in enumerate(m.itertuples())
        if not is_cph[i]
    ]
    rest = pd.concat(parts, ignore_index=True)
    rest["deprivation"] += 0.3 * value_noise(
        rest["x"].to_numpy(), rest["y"].to_numpy(), 4000.0, rng
    )
    rest["deprivation"] += 0.4 * value_noise(rest["x"].to_numpy(), rest["y"].to_numpy(), 700.0, rng)
    kbh = cph.addresses.drop(columns="address_id")
    kbh["deprivation"] = 0.8 * kbh["deprivation"] + m.loc[is_cph, "offset"].iloc[0]
    addresses = pd.concat([kbh, rest], ignore_index=True)
    addresses["deprivation"] = weighted_standardise(
        addresses["deprivation"].to_numpy(), addresses["capacity"].to_numpy()
    )
    housing = pd.concat([cph.housing_areas, areas], ignore_index=True)
    housing = gpd.GeoDataFrame(housing.drop(columns="bydel_id"), geometry="geometry", crs=CRS)
    return Geography(finish_addresses(addresses), housing, cph.units | national_units(), "national")


def _address_counts(
    m: pd.DataFrame, residents: np.ndarray, areas: gpd.GeoDataFrame, total: int
) -> list[tuple[np.ndarray, int]]:
    """Per municipality: entrances per estate and ordinary addresses (national total fixed)."""
    # towns hold more residents per address than villages; Frederiksberg is all blocks
    per_address = np.where(
        m["code"] == FREDERIKSBERG, 8.0, 2.3 + 1.3 * np.clip(m["population"] / 200_000, 0, 1)
    )
    estate_n = np.maximum(1, np.round(areas["target_residents"] / _NATIONAL_ESTATE_PER_ADDRESS))
    by_muni = areas.assign(n=estate_n).groupby("municipality_code")
    in_estates = by_muni["target_residents"].sum().reindex(m["code"], fill_value=0).values
    if (in_estates > residents).any():
        raise ValueError("persons too small for the national housing areas")
    raw = (residents - in_estates) / per_address
    raw[(m["code"] == KBH_CODE).values] = 0.0
    ordinary = largest_remainder(raw, max(0, total - int(estate_n.sum())))
    est = by_muni["n"].apply(lambda s: s.to_numpy(dtype=np.int64))
    return [
        (est.get(code, np.empty(0, np.int64)), int(ordinary[i])) for i, code in enumerate(m["code"])
    ]


def _place_municipality(
    town: Any,  # a row of municipalities() from itertuples
    residents: int,
    counts: tuple[np.ndarray, int],
    cell: BaseGeometry,
    areas: gpd.GeoDataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Addresses of one municipality: its main town, villages around it, and its estates."""
    est_n, n = counts
    free = shapely.difference(cell, shapely.union_all(areas.geometry.to_numpy()))
    ordinary = float(residents - areas["target_residents"].sum())
    parts = [_ordinary_addresses(town, max(n, 1), ordinary, free, rng)]
    if len(areas):
        parts.append(estates.estate_addresses(areas, est_n, rng))
    out = pd.concat(parts, ignore_index=True)
    out["municipality_code"] = town.code
    out["region"] = town.region
    noise = 0.3 * rng.standard_normal(len(out))
    lift = gaussian_bumps(
        out["x"].to_numpy(), out["y"].to_numpy(), estates.estate_bumps(areas, ESTATE_LIFT)
    )
    out["deprivation"] = town.offset + noise + lift
    return out


def _ordinary_addresses(
    town: Any, n: int, residents: float, free: BaseGeometry, rng: np.random.Generator
) -> pd.DataFrame:
    """n addresses: a share around the town point (sd town_sd), the rest in village clusters."""
    share = np.clip(0.25 + 0.1 * np.log2(town.population / 20_000 + 1), 0.3, 0.8)
    n_town = n if town.code == FREDERIKSBERG else round(n * share)
    centre = (np.array([town.x]), np.array([town.y]))
    tx, ty = sample_points(free, n_town, rng, centers=centre, spread=town.town_sd, background=0.05)
    villages = max(3, int(town.population // 3000))
    vx, vy = sample_points(free, n - n_town, rng, clusters=villages, spread=400.0, background=0.15)
    # town entrances hold more residents (flats) than village houses
    weight = np.concatenate(
        [1.6 * rng.lognormal(0, 0.7, n_town), rng.lognormal(0, 0.6, n - n_town)]
    )
    # fmt: off
    return pd.DataFrame({
        "x": np.concatenate([tx, vx]), "y": np.concatenate([ty, vy]), "housing_area_id": None,
        "capacity": residents * weight / weight.sum(), "in_policy_area_2017": False,
        "bydel_id": None, "kvarter_id": None, "housing_severity": 0.0,
    })
    # fmt: on


def build_geography(persons: int, seed: int, scope: str = "copenhagen") -> Geography:
    """Build the synthetic geography for `persons` residents; deterministic for a seed."""
    if persons < 1_000:
        raise ValueError(f"persons must be at least 1,000 (got {persons})")
    if scope == "copenhagen":
        return build_copenhagen(persons, np.random.default_rng(seed))
    if scope == "national":
        return build_national(persons, seed)
    raise ValueError(f"scope must be one of {SCOPES} (got {scope!r})")
