"""No personal data out: CPR-like numbers and input ids in any output fail the publication."""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from udsat.errors import DataContractError, UdsatError
from udsat.publish import Stage
from udsat.publish.atomic import publish, verify
from udsat.publish.privacy import (
    MIN_ID_LENGTH,
    Finding,
    Identifiers,
    cpr_like,
    identifiers_from_dataset,
    scan_outputs,
)
from udsat.publish.writers import write_geopackage, write_table


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("010190-1234", True),
        ("0101901234", True),
        ("født 2902001234.", True),  # 29 February: a date in leap years
        ("x,3112851234,y", True),
        ("-0101901234", True),
        ("3102901234", False),  # 31 February
        ("3104901234", False),  # 31 April
        ("0113901234", False),  # month 13
        ("0001901234", False),  # day 0
        ("p0101901234", False),  # inside an id
        ("10101901234", False),  # eleven digits
        ("01019012345", False),
        ("0.0101901234", False),  # decimals of a share
        ("0101901234.5", False),
        ("010190-123", False),
        ("2021-2025", False),
    ],
)
def test_cpr_like(text: str, found: bool) -> None:
    assert cpr_like(text) is found


def _publication(root: Path) -> Path:
    """Clean outputs of every format the scan reads."""
    root.mkdir()
    frame = pd.DataFrame({"unit_id": ["bispebjerg", "valby"], "residents": [1234567, 20251]})
    write_table(frame, root / "tables" / "a.csv")
    write_table(frame, root / "tables" / "a.parquet")
    write_table(frame, root / "tables" / "a.xlsx")
    gdf = gpd.GeoDataFrame(frame, geometry=[box(0, 0, 1, 1)] * 2, crs="EPSG:25832")
    write_geopackage(gdf, root / "a.gpkg", layer="units")
    (root / "a.geojson").write_text(gdf.to_json(), encoding="utf-8")
    (root / "index.html").write_text("<p>Beboere: 1.234.567 (2025)</p>", encoding="utf-8")
    (root / "run_manifest.json").write_text(json.dumps({"seed": 20250101}), encoding="utf-8")
    return root


def _ids() -> Identifiers:
    con = duckdb.connect()
    con.sql(
        "CREATE TABLE persons AS SELECT * FROM (VALUES ('p00000012345', 'h00000000777', 'a1'),"
        " ('p00000099999', 'h00000000888', 'a2')) t(person_id, household_id, address_id)"
    )
    con.sql("CREATE TABLE addresses AS SELECT * FROM (VALUES ('0a3f50a2-1ab3-4c3e')) t(address_id)")
    return identifiers_from_dataset(con)


def test_clean_outputs_pass(tmp_path: Path) -> None:
    assert scan_outputs(_publication(tmp_path / "out"), _ids()) == []


@pytest.mark.parametrize(
    ("plant", "file", "kind", "where"),
    [
        ("csv", "tables/a.csv", "cpr", "linje 3"),
        ("parquet", "tables/a.parquet", "person_id", "kolonne unit_id"),
        ("xlsx", "tables/a.xlsx", "household_id", "lister!A3"),
        ("gpkg", "a.gpkg", "address_id", "kolonne units.unit_id"),
        ("html", "index.html", "person_id", "linje 1"),
        ("json", "run_manifest.json", "cpr", "linje 1"),
    ],
)
def test_planted_personal_data_is_found(
    tmp_path: Path, plant: str, file: str, kind: str, where: str
) -> None:
    out = _publication(tmp_path / "out")
    frame = pd.DataFrame({"unit_id": ["bispebjerg", "x"], "residents": [1, 2]})
    if plant == "csv":
        frame.loc[1, "unit_id"] = "010190-1234"
        write_table(frame, out / file)
    elif plant == "parquet":
        frame.loc[1, "unit_id"] = "p00000012345"
        write_table(frame, out / file)
    elif plant == "xlsx":
        frame.loc[1, "unit_id"] = "husstand h00000000777"
        write_table(frame, out / file)
    elif plant == "gpkg":
        frame.loc[1, "unit_id"] = "addr:0a3f50a2-1ab3-4c3e"
        gdf = gpd.GeoDataFrame(frame, geometry=[box(0, 0, 1, 1)] * 2, crs="EPSG:25832")
        write_geopackage(gdf, out / file, layer="units")
    elif plant == "html":
        (out / file).write_text('<a data-id="p00000099999">x</a>', encoding="utf-8")
    else:
        (out / file).write_text(json.dumps({"note": "cpr 3112851234"}), encoding="utf-8")
    assert scan_outputs(out, _ids()) == [Finding(file, kind, where)]


def test_short_ids_are_not_searched(tmp_path: Path) -> None:
    """Ids shorter than MIN_ID_LENGTH would match counts and years; they are not searched."""
    out = _publication(tmp_path / "out")
    con = duckdb.connect()
    con.sql("CREATE TABLE persons AS SELECT '20251' AS person_id, 'x' AS household_id")
    assert len("20251") < MIN_ID_LENGTH
    assert scan_outputs(out, identifiers_from_dataset(con)) == []
    con.sql("CREATE OR REPLACE TABLE persons AS SELECT '1234567' AS person_id, 'x' household_id")
    assert scan_outputs(out, identifiers_from_dataset(con)) == [
        Finding("a.geojson", "person_id", "linje 1"),
        Finding("a.gpkg", "person_id", "kolonne units.residents"),
        Finding("tables/a.csv", "person_id", "linje 2"),
        Finding("tables/a.parquet", "person_id", "kolonne residents"),
        Finding("tables/a.xlsx", "person_id", "lister!B2"),
    ]


def test_millions_of_ids_are_joined_in_duckdb(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # 200,000 output tokens against 3 million ids, one of them planted.
    words = [f"cell{i:08d}" for i in range(200_000)] + ["q00002999999"]
    (out / "big.csv").write_text("\n".join(words), encoding="utf-8")
    con = duckdb.connect()
    con.sql(
        "CREATE TABLE persons AS SELECT 'q' || lpad(i::VARCHAR, 11, '0') AS person_id, "
        "person_id AS household_id FROM range(3000000) t(i)"
    )
    started = time.perf_counter()
    found = scan_outputs(out, identifiers_from_dataset(con))
    assert found == [
        Finding("big.csv", "household_id", "linje 200001"),
        Finding("big.csv", "person_id", "linje 200001"),
    ]
    assert time.perf_counter() - started < 30


def test_publish_refuses_personal_data_and_keeps_the_old(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, lambda s: (s.root / "a.csv").write_text("x\n1\n", encoding="utf-8"), {"seed": 1})
    before = (out / "run_manifest.json").read_bytes()

    def leaky(stage: Stage) -> None:
        staging = stage.root
        (staging / "a.csv").write_text("x\n1\n", encoding="utf-8")
        (staging / "b.csv").write_text("unit,person\nvalby,p00000012345\n", encoding="utf-8")

    with pytest.raises(UdsatError) as info:
        publish(out, leaky, {"seed": 2}, identifiers=_ids())
    text = str(info.value)
    assert text.startswith("Personoplysninger i resultaterne (1 fund): intet er udgivet")
    assert "b.csv, linje 2: et id fra inddata (person_id)" in text
    assert "p00000012345" not in text  # the message never repeats the value
    assert (out / "run_manifest.json").read_bytes() == before and verify(out).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_publish_refuses_a_cpr_number_in_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    with pytest.raises(UdsatError, match=r"b\.txt, line 1: a CPR-like number"):
        publish(tmp_path / "out", lambda s: (s.root / "b.txt").write_text("0101901234"), {})
    assert not (tmp_path / "out").exists()


def test_cpr_columns_are_refused_at_input_with_or_without_dash(tmp_path: Path) -> None:
    """The input side: a CPR-like column tells the user to pseudonymise first (both forms)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from fixtures.contract.builders import tables, write_dataset
    from udsat.contract.dataset import open_dataset

    for name, form in (("dash", "{d:02d}0190-{n:04d}"), ("nodash", "{d:02d}0190{n:04d}")):
        frames = tables()
        n = len(frames["persons"])
        frames["persons"]["person_id"] = [form.format(d=i % 28 + 1, n=i) for i in range(n)]
        with pytest.raises(DataContractError) as info:
            open_dataset(write_dataset(tmp_path / name, frames)).validate()
        problem = next(p for p in info.value.problems if p.rule == "cpr_number")
        assert problem.column == "person_id" and problem.count == n
        assert "pseudonymisér data først" in problem.render("da")


def test_only_an_exact_copy_of_plotly_is_skipped(tmp_path: Path) -> None:
    """plotly.min.js holds constants like 1508970993 (CPR-like); the site ships it verbatim."""
    from udsat.publish.privacy import library_files

    (plotly,) = library_files()
    out = tmp_path / "out"
    (out / "assets").mkdir(parents=True)
    (out / "assets" / "plotly.min.js").write_bytes(plotly.read_bytes())
    assert scan_outputs(out) == []
    assert scan_outputs(out, libraries=[]) == [Finding("assets/plotly.min.js", "cpr", "linje 2632")]
    (out / "assets" / "plotly.min.js").write_bytes(plotly.read_bytes() + b"\n")
    assert scan_outputs(out) == [Finding("assets/plotly.min.js", "cpr", "linje 2632")]
