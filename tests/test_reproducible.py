"""Same inputs and configuration, same bytes: the demo, the synthetic city and each writer."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from demo_run import SEED, SMALL_PERSONS, DemoRun
from udsat import __version__
from udsat.publish.atomic import file_digest
from udsat.publish.writers import FIXED_TIME, write_geopackage, write_table
from udsat.synth import synthesize

PERSONS = SMALL_PERSONS


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".udsat_cache" not in p.parts
    }


# Columns that count people, as published in the tables (ids) and in the site's workbook
# (Danish headers): written here, independently of udsat.publish.tables.
COUNT_NAMES = {
    "residents", "households", "inhabited_addresses", "aged_0", "deaths_during_year",
    "moved_since_last_year", "numerator", "denominator", "overlap_residents", "people",
    "beboere", "tæller", "nævner",
}  # fmt: skip


def published_tables(root: Path) -> dict[str, pd.DataFrame]:
    """Every table of a publication: CSV (plain and Danish), Parquet, each workbook sheet and
    each GeoPackage layer, by file (and sheet or layer)."""
    import pyogrio

    out: dict[str, pd.DataFrame] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        if path.suffix == ".csv":
            danish = path.read_bytes().startswith(b"\xef\xbb\xbf")
            out[name] = (
                pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
                if danish
                else pd.read_csv(path)
            )
        elif path.suffix == ".parquet":
            out[name] = pd.read_parquet(path)
        elif path.suffix == ".xlsx":
            for sheet, frame in pd.read_excel(path, sheet_name=None).items():
                out[f"{name}[{sheet}]"] = frame
        elif path.suffix == ".gpkg":
            for layer, _ in pyogrio.list_layers(path):
                out[f"{name}[{layer}]"] = pd.DataFrame(gpd.read_file(path, layer=layer))
    return out


def small_counts(tables: dict[str, pd.DataFrame]) -> list[str]:
    """'file: column (n rows)' for every count column holding a value from 1 to 4."""
    found = []
    for name, table in tables.items():
        for column in [c for c in table.columns if str(c) in COUNT_NAMES]:
            values = pd.to_numeric(table[column], errors="coerce")
            small = int(((values >= 1) & (values <= 4)).sum())
            if small:
                found.append(f"{name}: {column} ({small} rows)")
    return found


def test_the_count_check_finds_a_planted_small_count(tmp_path: Path) -> None:
    write_table(pd.DataFrame({"unit_id": ["a", "b"], "residents": [3, 1200]}), tmp_path / "t.csv")
    assert small_counts(published_tables(tmp_path)) == ["t.csv: residents (1 rows)"]


def test_default_demo_publishes_no_count_of_1_to_4(default_demo: DemoRun) -> None:
    tables = published_tables(default_demo.out)
    assert len(tables) > 20 and "tables/state_lists.csv" in tables
    assert small_counts(tables) == []


def test_small_areas_rows_are_published_blank_in_every_copy(small_demo: DemoRun) -> None:
    """The small city's housing areas of 1-4 residents (148 rows, the issue's case): the rows
    are there, every figure about their people blank, the same in the table and the site."""
    tables = published_tables(small_demo.out)
    assert small_counts(tables) == []
    lists = tables["tables/state_lists.csv"]
    site = tables["site/data/statens_lister.csv"]
    blank = lists["residents"].isna()
    assert blank.sum() == 148 and (site["residents"].isna() == blank).all()
    for column in ("c1_outside_value", "c2_convicted_margin_people", "criteria_met", "reasons"):
        assert lists.loc[blank, column].isna().all(), column
        assert lists.loc[~blank, column].notna().any(), column
    assert lists.loc[blank, "c1_outside_threshold"].notna().all()  # a national reference
    assert lists.loc[blank, "suppressed"].str.contains("residents").all()


def test_default_demo_repeats_byte_for_byte_in_another_process(
    default_demo: DemoRun, tmp_path: Path
) -> None:
    """`udsat demo` again, in another process, on one thread (the session's ran on every core,
    under the load of the rest of the suite): the same bytes in every file."""
    udsat = Path(sys.executable).parent / "udsat"
    env = {**os.environ, "UDSAT_THREADS": "1", "UDSAT_LANG": "da"}
    again = tmp_path / "again"
    args = ["demo", "--persons", "650000", "--cache", str(default_demo.cache), "--out", str(again)]
    subprocess.run([str(udsat), *args], env=env, check=True, capture_output=True)
    first, second = tree_bytes(default_demo.out), tree_bytes(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_manifest_says_how_to_reproduce(small_demo: DemoRun) -> None:
    a, cache = small_demo.out, small_demo.cache
    manifest = json.loads((a / "run_manifest.json").read_text(encoding="utf-8"))
    assert manifest["udsat_version"] == __version__
    assert {"python", "duckdb", "pandas", "pyarrow", "gdal"} <= set(manifest["libraries"])
    assert [r.split(".v")[0] for r in manifest["versions"]["statelists_rulesets"]] == [
        "rules_2013",
        "rules_2018",
        "rules_2021",
    ]
    assert manifest["configuration"] == {"persons": PERSONS, "years": [2015, 2025], "ks": [1000]}
    assert manifest["seed"] == SEED and manifest["engine"].startswith("duckdb ")
    assert "seconds" not in manifest
    # No path of this machine: the dataset by its folder's name and its files' hashes.
    text = (a / "run_manifest.json").read_text(encoding="utf-8")
    assert str(cache) not in text and manifest["dataset_name"] == next(cache.iterdir()).name
    # Every input file is hashed (not the derived .udsat_cache) and the hashes are right.
    dataset = next(cache.iterdir())
    inputs = manifest["inputs"]
    expected = {
        p.relative_to(dataset).as_posix()
        for p in dataset.rglob("*")
        if p.is_file() and ".udsat_cache" not in p.parts
    }
    assert set(inputs) == expected
    assert inputs["addresses.parquet"] == file_digest(dataset / "addresses.parquet")
    # Every output but the manifest itself is listed with its sha256 and size.
    outputs = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    assert set(manifest["outputs"]) == outputs - {"run_manifest.json"}
    assert manifest["outputs"]["LAESMIG.txt"] == file_digest(a / "LAESMIG.txt")


def test_synthetic_city_twice_gives_identical_bytes(tmp_path: Path) -> None:
    kwargs = {"persons": 1500, "years": (2019, 2020), "seed": 7, "scope": "copenhagen"}
    synthesize(tmp_path / "a", **kwargs)
    time.sleep(1.1)
    synthesize(tmp_path / "b", **kwargs)
    first, second = tree_bytes(tmp_path / "a"), tree_bytes(tmp_path / "b")
    assert any(name.endswith(".gpkg") for name in first)
    assert sorted(first) == sorted(second)
    assert [n for n in first if first[n] != second[n]] == []


def test_xlsx_has_fixed_document_and_zip_times(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_table(pd.DataFrame({"område": ["Tingbjerg"], "andel": [0.25]}), path)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as z:
        core = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {FIXED_TIME.timetuple()[:6]}
    assert f">{stamp}</dcterms:created>" in core and f">{stamp}</dcterms:modified>" in core
    assert pd.read_excel(path).to_dict("list") == {"område": ["Tingbjerg"], "andel": [0.25]}


def test_geopackage_has_the_fixed_gdal_date(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"unit_id": ["a"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:25832")
    write_geopackage(frame, tmp_path / "t.gpkg", layer="cells")
    with sqlite3.connect(tmp_path / "t.gpkg") as db:
        (changed,) = db.execute("SELECT last_change FROM gpkg_contents").fetchone()
    assert changed == FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_csv_and_parquet_repeat_byte_for_byte(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1.5, None], "b": ["æ", "ø"]})
    for suffix in ("csv", "parquet"):
        write_table(frame, tmp_path / f"1.{suffix}")
        write_table(frame, tmp_path / f"2.{suffix}")
        assert (tmp_path / f"1.{suffix}").read_bytes() == (tmp_path / f"2.{suffix}").read_bytes()
    assert (tmp_path / "1.csv").read_bytes() == "a,b\n1.5,æ\n,ø\n".encode()
