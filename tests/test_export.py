"""`udsat export`: only aggregates leave the research machine, every file listed for output
control, and the report built outside from the bundle alone equals the report built inside."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from udsat.cli import app
from udsat.pipeline import demo_dataset_path

SEED = 20250101
runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args), terminal_width=200)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def built(small_demo, tmp_path_factory) -> tuple[Path, Path, Path]:
    data = demo_dataset_path(small_demo.cache, 3000, SEED)
    root = tmp_path_factory.mktemp("export")
    bundle, inside, outside = root / "bundle", root / "inside", root / "outside"
    said = _run("export", "--data", str(data), "--out", str(bundle))
    assert "INDHOLD.md" in said
    _run("report", "--data", str(data), "--out", str(inside))
    _run("report", "--bundle", str(bundle), "--out", str(outside))
    return bundle, inside, outside


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "run_manifest.json"
    }


def test_the_site_built_from_the_bundle_alone_equals_the_site_built_inside(built) -> None:
    _, inside, outside = built
    mine, theirs = _files(inside), _files(outside)
    assert len(mine) > 40 and set(mine) == set(theirs)
    differ = [name for name in mine if mine[name] != theirs[name]]
    assert differ == []


def test_every_file_is_listed_for_output_control(built) -> None:
    bundle, _, _ = built
    listed = set(re.findall(r"^\| `([^`]+)`", (bundle / "INDHOLD.md").read_text("utf-8"), re.M))
    present = {str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file()}
    assert present == listed
    _run("verify", str(bundle))  # every file's sha256 is in the bundle's manifest


def test_only_aggregates_leave(built) -> None:
    """No person or address ids, no count of 1-4 people in any table of the bundle."""
    bundle, _, _ = built
    for path in (bundle / "tables").glob("*.parquet"):
        frame = pd.read_parquet(path)
        assert not {"person_id", "address_id", "household_id"} & set(frame.columns), path.name
        for column in [c for c in frame.columns if c in ("residents", "numerator", "denominator")]:
            values = pd.to_numeric(frame[column], errors="coerce").dropna()
            small = values[(values >= 1) & (values < 5)]
            assert small.empty, f"{path.name}.{column}: {small.tolist()[:5]}"
    settings = json.loads((bundle / "bundle.json").read_text("utf-8"))
    assert settings["format"] == "udsat-export" and settings["limit"] == 5


def test_report_needs_exactly_one_source(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--out", str(tmp_path / "s")], terminal_width=200)
    assert result.exit_code != 0 and "--bundle" in result.output
    not_bundle = tmp_path / "x"
    not_bundle.mkdir()
    result = runner.invoke(
        app,
        ["report", "--bundle", str(not_bundle), "--out", str(tmp_path / "s")],
        terminal_width=200,
    )
    assert result.exit_code != 0 and "bundle.json" in result.output
    assert not (tmp_path / "s").exists()
