"""The demo pipeline end to end on the default synthetic city (generated once per test run)."""

from __future__ import annotations

import csv
import json

from demo_run import DemoRun
from udsat.publish.atomic import verify


def test_demo_writes_every_output_and_says_synthetic(default_demo: DemoRun) -> None:
    out = default_demo.out
    names = sorted(p.name for p in (out / "tables").iterdir())
    assert names == [
        "early_warning_2026.csv",
        "monitoring_gaps.csv",
        "monitoring_initiatives.csv",
        "monitoring_series.csv",
        "monitoring_status.csv",
        "neighbourhoods_k1000.csv",
        "overview_by_year.csv",
        "residents_by_bydel.csv",
        "residents_by_kvarter.csv",
        "state_lists.csv",
        "state_lists.xlsx",
    ]
    # the screening, the report site, and a publication that verifies against its manifest
    screening = {p.name for p in (out / "screening").iterdir()}
    assert {"udsatte_byomraader.gpkg", "udsatte_byomraader.geojson", "units.csv"} <= screening
    areas = json.loads((out / "screening" / "udsatte_byomraader.geojson").read_text("utf-8"))
    kinds = {f["properties"]["kind"] for f in areas["features"]}
    assert "screening" in kinds and len(areas["features"]) >= 5
    site = out / "site"
    assert (site / "index.html").is_file() and (site / "lists.html").is_file()
    assert "Udsatte byområder 2025" in (site / "index.html").read_text(encoding="utf-8")
    assert verify(out).ok
    with (out / "tables" / "early_warning_2026.csv").open(encoding="utf-8") as f:
        warning = list(csv.DictReader(f))
    assert len(warning) == 40 and all(0 <= float(r["p_any_list"]) <= 1 for r in warning)
    assert not out.with_name("output.partial").exists()
    assert (out / "LAESMIG.txt").read_text(encoding="utf-8").startswith("SYNTETISKE DATA")
    manifest = json.loads((out / "run_manifest.json").read_text(encoding="utf-8"))
    assert manifest["dataset"]["synthetic"] is True
    with (out / "tables" / "overview_by_year.csv").open(encoding="utf-8") as f:
        years = list(csv.DictReader(f))
    assert [int(r["year"]) for r in years] == list(range(2015, 2026))
    assert int(years[0]["residents"]) == 650_000
    with (out / "tables" / "residents_by_bydel.csv").open(encoding="utf-8") as f:
        bydele = list(csv.DictReader(f))
    first_year = [r for r in bydele if r["year"] == "2015"]
    assert len(first_year) == 10
    # every resident is in exactly one bydel (totals preserved)
    assert sum(int(r["residents"]) for r in first_year) == 650_000
    with (out / "tables" / "state_lists.csv").open(encoding="utf-8") as f:
        lists = list(csv.DictReader(f))
    assert sorted({int(r["list_year"]) for r in lists}) == list(range(2016, 2026))
    with (out / "tables" / "neighbourhoods_k1000.csv").open(encoding="utf-8") as f:
        cells = list(csv.DictReader(f))
    assert cells and all(abs(float(c["people_k1000"]) - 1000) < 1e-9 for c in cells)
    assert (out / "neighbourhoods_k1000.gpkg").stat().st_size > 0
    log = json.loads((out / "run_log.json").read_text(encoding="utf-8"))
    assert any("one municipality" in note for note in log["notes"])


def test_udsat_report_publishes_the_demos_lists_and_warning(
    small_demo: DemoRun, tmp_path, monkeypatch
) -> None:
    """`udsat report` through the real CLI takes the same steps as the demo (no stability grid):
    its site carries the same state's lists and early warning, byte for byte, and verifies."""
    from typer.testing import CliRunner

    from udsat.cli import app

    monkeypatch.setenv("UDSAT_LANG", "da")
    data = next(small_demo.cache.iterdir())
    out = tmp_path / "site"
    result = CliRunner().invoke(app, ["report", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "site" in result.output and verify(out).ok
    demo_site = small_demo.out / "site"
    for name in ("data/statens_lister.csv", "data/tidligt_varsel.csv", "data/maal_serier.csv"):
        assert (out / name).read_bytes() == (demo_site / name).read_bytes(), name
    manifest = json.loads((out / "run_manifest.json").read_text(encoding="utf-8"))
    assert manifest["configuration"] == {"lang": "da", "year": 2025, "limit": 5}
    # the dataset by its hashes, never by where it lies
    text = (out / "run_manifest.json").read_text(encoding="utf-8")
    assert str(data) not in text and str(data.parent) not in text
