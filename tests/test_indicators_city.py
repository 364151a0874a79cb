"""The indicator engine on the synthetic Copenhagen (650,000 persons): every indicator for every
kvarter, the 2017 policy areas against the rest, and the default neighbourhoods."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from udsat.indicators import compute_indicators, load_catalogue
from udsat.indicators.units import read_layer
from udsat.runlog import RunLog

YEAR = 2024


@pytest.fixture(scope="module")
def con(default_dataset):
    connection = default_dataset.connect(located=False)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def persons(con) -> int:
    return con.execute("SELECT count(*) FROM persons WHERE year = ?", [YEAR]).fetchall()[0][0]


def test_every_indicator_for_every_kvarter(con, persons) -> None:
    log = RunLog()
    frame = compute_indicators(con, year=YEAR, units="kvarterer", log=log)
    kvarterer = set(read_layer(con, "kvarterer")["unit_id"])
    catalogue = load_catalogue()
    assert len(frame) == len(kvarterer) * len(catalogue.indicators) == 67 * 10
    for ind in catalogue.indicators:
        rows = frame[frame["indicator_id"] == ind.id]
        assert set(rows["unit_id"]) == kvarterer, ind.id
        assert rows["value"].notna().all(), ind.id
        assert rows["value"].between(0, 1).all(), ind.id
        assert (rows["ci_low"] <= rows["value"] + 1e-12).all(), ind.id
        assert (rows["value"] <= rows["ci_high"] + 1e-12).all(), ind.id
        assert (rows["criterion"] == ind.criterion).all()
        assert rows["shrunk"].all() == (ind.source == "survey"), ind.id
    # everyone is in a kvarter or counted in the run log as outside the units
    residents = frame.drop_duplicates("unit_id")["residents"].sum()
    assert residents + log.excluded_rows("persons") == persons
    low = frame[frame["indicator_id"] == "low_income"].set_index("unit_id")
    assert (low["numerator"] <= low["denominator"]).all()


def test_the_2017_policy_areas_are_worse_than_the_rest(con, persons) -> None:
    """The synthetic city puts deprivation where the 2017 policy drew its areas: on income,
    education and labour the policy areas (one unit) are worse than the rest of the city, beyond
    both intervals."""
    layer = read_layer(con, "udsatte_byomraader_2017")
    policy = gpd.GeoDataFrame({"unit_id": ["policy"]}, geometry=[layer.union_all()], crs=layer.crs)
    frame = compute_indicators(con, year=YEAR, units=policy, outside="rest").set_index(
        ["indicator_id", "unit_id"]
    )
    assert frame.xs("low_income")["residents"].sum() == persons
    for ind in ("low_income", "only_grundskole", "outside_labour", "child_poverty"):
        inside, rest = frame.loc[(ind, "policy")], frame.loc[(ind, "rest")]
        assert inside["ci_low"] > rest["ci_high"], ind
        assert inside["value"] > 1.3 * rest["value"], ind


def test_default_neighbourhoods_cover_every_inhabited_cell(con, persons) -> None:
    frame = compute_indicators(con, year=YEAR, units="neighbourhoods", k=1000)
    cells = frame[frame["indicator_id"] == "low_income"]
    assert cells["unit_id"].is_unique and cells["residents"].sum() == persons
    assert cells["residents"].min() >= 1
    # every neighbourhood holds 1,000 residents: the chronic-disease denominator counts everyone
    chronic = frame[frame["indicator_id"] == "chronic_disease_std"]
    assert np.allclose(chronic["denominator"], 1000)
    survey = frame[frame["indicator_id"] == "unsafe_night"]
    assert survey["value"].notna().all() and survey["value"].between(0, 1).all()
    assert (survey["effective_n"] > 0).mean() > 0.95
    values = frame.pivot(index="unit_id", columns="indicator_id", values="value")
    assert values.notna().all().all()
    assert pd.Series(values["low_income"]).corr(values["only_grundskole"]) > 0.5
