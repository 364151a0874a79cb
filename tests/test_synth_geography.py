"""The synthetic geography: real Copenhagen layers, synthetic points, estates and deprivation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from udsat.synth.geography import CRS, Geography, city_land, locate
from udsat.synth.national import build_geography

PERSONS = 120_000


@pytest.fixture(scope="module")
def cph() -> Geography:
    return build_geography(PERSONS, seed=7)


def _weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    return float(np.average(values, weights=weights))


def test_addresses_lie_on_city_land_and_not_in_frederiksberg(cph: Geography) -> None:
    a = cph.addresses
    assert shapely.contains_xy(city_land(), a["x"].values, a["y"].values).all()
    # Frederiksberg is the largest hole in the bydele union
    holes = [shapely.Polygon(r) for p in shapely.get_parts(city_land()) for r in p.interiors]
    frederiksberg = max(holes, key=lambda h: h.area)
    assert 8e6 < frederiksberg.area < 9.5e6
    assert not shapely.contains_xy(frederiksberg, a["x"].values, a["y"].values).any()


def test_capacities_sum_to_persons_and_address_count(cph: Geography) -> None:
    a = cph.addresses
    assert a["capacity"].sum() == pytest.approx(PERSONS, rel=1e-9)
    assert (a["capacity"] > 0).all()
    assert len(a) == pytest.approx(PERSONS / 10, rel=0.02)
    assert a["address_id"].is_unique and a["address_id"].str.match(r"^A\d{7}$").all()
    assert (a["municipality_code"] == 101).all() and (a["region"] == "Hovedstaden").all()


def test_real_layers_present_valid_and_projected(cph: Geography) -> None:
    sizes = {"bydele": 10, "kvarterer": 67, "udsatte_byomraader_2017": 17}
    for name, n in sizes.items():
        layer = cph.units[name]
        assert len(layer) == n and layer["unit_id"].is_unique
        assert layer.crs.to_epsg() == 25832
        assert layer.is_valid.all() and layer.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert set(cph.units["kvarterer"]["parent_id"]) <= set(cph.units["bydele"]["unit_id"])
    assert cph.units["udsatte_byomraader_2017"].area.sum() == pytest.approx(13_464_744, rel=0.01)


def test_housing_areas(cph: Geography) -> None:
    h = cph.housing_areas
    assert h.crs == CRS and h["housing_area_id"].is_unique and h.is_valid.all()
    assert (h["nominal_residents"] >= 1000).sum() >= 12
    assert {"Tingbjerg/Utterslevhuse", "Mjølnerparken", "Urbanplanen"} <= set(h["name"])
    assert not shapely.union_all(h.geometry.values).is_empty
    assert h.geometry.to_numpy()[0].disjoint(h.geometry.to_numpy()[1])
    # capacities inside an area add up to its target
    a = cph.addresses
    totals = a.groupby("housing_area_id")["capacity"].sum()
    target = h.set_index("housing_area_id")["target_residents"]
    pd.testing.assert_series_equal(
        totals.sort_index(), target.sort_index().astype(float), check_names=False
    )


def test_housing_area_id_matches_polygon_containment(cph: Geography) -> None:
    a, h = cph.addresses, cph.housing_areas
    layer = h.rename(columns={"housing_area_id": "unit_id"})
    found = locate(layer, a["x"].values, a["y"].values)
    expected = a["housing_area_id"].to_numpy(dtype=object)
    assert (pd.isna(found) == pd.isna(expected)).all()
    assert (found[~pd.isna(found)] == expected[~pd.isna(expected)]).all()
    inside = a["housing_area_id"].notna()
    assert (a.loc[~inside, "housing_severity"] == 0).all()
    assert (a.loc[inside, "housing_severity"] > 0).all()


def test_policy_flag_and_deprivation(cph: Geography) -> None:
    a = cph.addresses
    w = a["capacity"]
    policy = shapely.union_all(cph.units["udsatte_byomraader_2017"].geometry.values)
    flag = shapely.contains_xy(policy, a["x"].values, a["y"].values)
    assert (flag == a["in_policy_area_2017"].values).mean() > 0.999  # edges of the raster blur
    inside = a["in_policy_area_2017"]
    assert 0.18 < w[inside].sum() / w.sum() < 0.28
    assert _weighted_mean(a["deprivation"], w) == pytest.approx(0.0, abs=1e-9)
    sd = np.sqrt(np.average(a["deprivation"] ** 2, weights=w))
    assert sd == pytest.approx(1.0, abs=1e-9)
    assert 0.9 < _weighted_mean(a.loc[inside, "deprivation"], w[inside]) < 1.2
    assert _weighted_mean(a.loc[~inside, "deprivation"], w[~inside]) < -0.2
    by_bydel = a.groupby("bydel_id").apply(
        lambda g: _weighted_mean(g["deprivation"], g["capacity"])
    )
    assert by_bydel["1"] < 0 < by_bydel["7"]  # Indre By better off than Brønshøj-Husum (Tingbjerg)


def test_deterministic_for_a_seed() -> None:
    one, two = build_geography(20_000, seed=3), build_geography(20_000, seed=3)
    pd.testing.assert_frame_equal(one.addresses, two.addresses)
    other = build_geography(20_000, seed=4)
    assert not np.allclose(one.addresses["x"].values[:100], other.addresses["x"].values[:100])


def test_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="scope"):
        build_geography(10_000, seed=1, scope="mars")
    with pytest.raises(ValueError, match="persons"):
        build_geography(10, seed=1)


@pytest.fixture(scope="module")
def dk() -> Geography:
    return build_geography(400_000, seed=11, scope="national")


def test_national_units_and_municipalities(dk: Geography) -> None:
    assert dk.scope == "national"
    regioner, kommuner = dk.units["regioner"], dk.units["kommuner"]
    assert len(regioner) == 5 and len(kommuner) == 98
    for layer in (regioner, kommuner, dk.housing_areas):
        assert layer.crs.to_epsg() == 25832 and layer.is_valid.all()
    a = dk.addresses
    assert a["municipality_code"].nunique() == 98
    assert set(a["region"]) == {
        "Hovedstaden",
        "Sjælland",
        "Syddanmark",
        "Midtjylland",
        "Nordjylland",
    }
    assert a["capacity"].sum() == pytest.approx(400_000, rel=1e-9)
    assert len(a) == pytest.approx(400_000 / 2.95, rel=0.02)
    # every address lies in its own municipality's cell
    found = locate(kommuner, a["x"].values, a["y"].values)
    assert (found == a["municipality_code"].astype(str).values).mean() > 0.999


def test_national_housing_areas(dk: Geography) -> None:
    h = dk.housing_areas
    assert h["housing_area_id"].is_unique
    assert (h["nominal_residents"] >= 1000).sum() == 198
    assert {"Gellerupparken/Toveshøj", "Vollsmose", "Tingbjerg/Utterslevhuse"} <= set(h["name"])
    assert (h["severity"] >= 1.8).sum() == pytest.approx(40, abs=6)  # udsat-like
    assert 15 <= (h["severity"] >= 2.4).sum() <= 20  # parallel-society-like
    a = dk.addresses
    totals = a.groupby("housing_area_id")["capacity"].sum()
    target = h.set_index("housing_area_id")["target_residents"].astype(float)
    pd.testing.assert_series_equal(totals.sort_index(), target.sort_index(), check_names=False)


def test_national_deprivation_standardised(dk: Geography) -> None:
    a = dk.addresses
    w = a["capacity"]
    assert _weighted_mean(a["deprivation"], w) == pytest.approx(0.0, abs=1e-9)
    inside = a["in_policy_area_2017"]
    assert inside.sum() > 0 and (a.loc[inside, "municipality_code"] == 101).all()
    assert _weighted_mean(a.loc[inside, "deprivation"], w[inside]) > 0.5


def test_national_deterministic_and_copenhagen_inside() -> None:
    one = build_geography(60_000, seed=2, scope="national")
    two = build_geography(60_000, seed=2, scope="national")
    pd.testing.assert_frame_equal(one.addresses, two.addresses)
    kbh = one.addresses[one.addresses["municipality_code"] == 101]
    assert shapely.contains_xy(city_land(), kbh["x"].values, kbh["y"].values).all()
    assert kbh["bydel_id"].notna().all()
