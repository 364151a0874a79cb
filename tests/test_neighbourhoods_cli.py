"""`udsat neighbourhoods` writes Parquet and GeoPackage, clusters on request, fails clearly."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from typer.testing import CliRunner

from udsat.cli import app
from udsat.contract.dataset import open_dataset
from udsat.neighbourhoods import neighbourhood_step
from udsat.synth import synthesize

runner = CliRunner()


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nbh") / "city"
    synthesize(path, persons=20_000, years=(2023, 2024), seed=11, scope="copenhagen")
    return path


def test_parquet_with_several_k(city: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("UDSAT_LANG", "en")
    out = tmp_path / "nb.parquet"
    args = ["neighbourhoods", "--data", str(city), "--k", "500", "--k", "1000", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "k = 500, 1,000" in result.output
    frame = pd.read_parquet(out)
    assert set(frame["year"]) == {2024}
    assert frame["cell_id"].str.match(r"^100m_\d{5}_\d{4}$").all()
    assert (frame["people_k1000"] == 1000).all()  # the city holds far more than 1,000
    assert "people" not in frame.columns  # no per-cell counts of a handful of people
    share, count = frame["grundskole_30_59_share_k500"], frame["grundskole_30_59_k500"]
    # A count of 1-4 people is blanked with its share (the disclosure policy); others are shares.
    assert not count.between(1, 4).any() and (share.isna() == count.isna()).all()
    assert ((share >= 0) & (share <= 1) | count.isna()).all()


def test_geopackage_with_areas(default_city: Path, tmp_path: Path, monkeypatch):
    # The default-size city: a small one is too sparse for any area of 1,000 residents.
    monkeypatch.setenv("UDSAT_LANG", "en")
    out = tmp_path / "nb.gpkg"
    flag = "outside_work_18_64_share_k1000"
    args = ["neighbourhoods", "--data", str(default_city), "--out", str(out), "--year", "2023"]
    result = runner.invoke(app, [*args, "--flag", flag, "--worst", "0.2"])
    assert result.exit_code == 0, result.output
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert layers == {"neighbourhoods", "areas"}
    cells = gpd.read_file(out, layer="neighbourhoods")
    assert cells.crs.to_epsg() == 25832 and len(cells) > 100
    assert cells.geometry.area.round(6).eq(10_000).all()
    found = gpd.read_file(out, layer="areas")
    assert len(found) > 0
    assert (found["residents"] >= 1000).all()
    assert (found.geometry.area.round(6) == found["cells"] * 10_000).all()


def test_bad_requests_fail_without_traceback(city: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("UDSAT_LANG", "en")
    base = ["neighbourhoods", "--data", str(city)]
    result = runner.invoke(app, [*base, "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and ".parquet or .gpkg" in result.output
    result = runner.invoke(app, [*base, "--out", str(tmp_path / "x.parquet"), "--var", "nope"])
    assert result.exit_code == 2 and "NAME=EXPRESSION" in result.output
    bad = ["--out", str(tmp_path / "x.parquet"), "--var", "a=no_such_column > 1"]
    result = runner.invoke(app, [*base, *bad])
    assert result.exit_code == 2 and "not a valid expression" in result.output


def test_step_api(city: Path):
    con = open_dataset(city).connect()
    frame = neighbourhood_step(con, [200], {"children": "age < 18"}, year=2024)
    assert {"cell_id", "x", "y", "people_k200", "children_k200", "radius_k200"} <= set(frame)
    assert (frame["children_share_k200"] == frame["children_k200"] / 200).all()


def test_parquet_areas_are_published_with_the_table_and_its_manifest(tmp_path: Path) -> None:
    """The areas of --flag beside a Parquet output are part of its publication (they were once
    written outside the staging): listed in the manifest, checked by verify, nothing else left."""
    from shapely.geometry import box

    from udsat.neighbourhoods.publish import write_neighbourhoods
    from udsat.publish import publish_file, verify

    frame = pd.DataFrame(
        {"cell_id": ["c1"], "row": [1], "col": [2], "people_k1000": [1000], "radius_k1000": [9.0]}
    )
    found = gpd.GeoDataFrame(
        {"area_id": ["area_001"], "residents": [1200], "cells": [1]},
        geometry=[box(0, 0, 100, 100)],
        crs="EPSG:25832",
    )
    out = tmp_path / "nb.parquet"
    publish_file(out, lambda stage: write_neighbourhoods(stage, out.name, frame, areas=found), {})
    manifest = json.loads((tmp_path / "nb.parquet.manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["outputs"]) == ["nb.parquet", "nb_areas.parquet"]
    assert verify(out).ok and verify(tmp_path / "nb.parquet.manifest.json").ok
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".nb.parquet.lock",
        "nb.parquet",
        "nb.parquet.manifest.json",
        "nb_areas.parquet",
    ]
    (tmp_path / "nb_areas.parquet").write_bytes(b"changed")
    assert verify(out).changed == ["nb_areas.parquet"]
