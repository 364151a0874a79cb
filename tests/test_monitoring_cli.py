"""`monitor_command` and `warn_command` through a local Typer app on a small synthetic city."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from udsat.commands.monitor import monitor_command
from udsat.commands.warn import warn_command
from udsat.errors import UdsatError
from udsat.synth import synthesize

app = typer.Typer()


@app.command()
def monitor(
    data: Annotated[Path, typer.Option()],
    out: Annotated[Path, typer.Option()],
    areas: Annotated[Path | None, typer.Option()] = None,
) -> None:
    for line in monitor_command(data, out, areas).messages:
        typer.echo(line)


@app.command()
def warn(
    data: Annotated[Path, typer.Option()],
    year: Annotated[int, typer.Option()],
    out: Annotated[Path, typer.Option()],
    draws: Annotated[int, typer.Option()] = 2000,
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    try:
        summary = warn_command(data, year, out, draws, seed)
    except UdsatError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    for line in summary.messages:
        typer.echo(line)


@pytest.fixture(scope="module")
def small_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("small") / "city"
    synthesize(path, persons=30_000, years=(2021, 2025), seed=5, scope="copenhagen")
    return path


def test_warn_cli(small_city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "warn.csv"
    runner = CliRunner()
    args = ["warn", "--data", str(small_city), "--year", "2026", "--out", str(out)]
    result = runner.invoke(app, [*args, "--draws", "200", "--seed", "4"])
    assert result.exit_code == 0, result.output
    assert "Varsling for 1. december 2026 (data til og med 2025, 200 træk, frø 4)" in result.output
    assert "Data rummer én kommune" in result.output  # its own national/regional reference
    table = pd.read_csv(out)
    assert list(table["risk_rank"]) == list(range(1, len(table) + 1))
    assert {"p_udsat", "p_parallelsamfund", "p_forebyggelse", "p_omdannelse"} <= set(table)
    monkeypatch.setenv("UDSAT_LANG", "en")
    result = runner.invoke(app, [*args, "--draws", "50"])
    assert "Warning for 1 December 2026 (data up to 2025, 50 draws, seed 0)" in result.output
    bad = runner.invoke(
        app, ["warn", "--data", str(small_city), "--year", "2026", "--out", "x.txt"]
    )
    assert bad.exit_code == 1 and ".txt" in bad.output


def test_warn_cli_needs_the_year_before(small_city: Path, tmp_path: Path) -> None:
    with pytest.raises(UdsatError, match="2029"):
        warn_command(small_city, 2030, tmp_path / "w.csv", 10, 0)


def test_monitor_cli(small_city: Path, tmp_path: Path) -> None:
    out = tmp_path / "monitor"
    result = CliRunner().invoke(app, ["monitor", "--data", str(small_city), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Opfølgning 2021-2025 skrevet til" in result.output
    assert "17 indikatorer" in result.output and "13 indsatser i handleplanen" in result.output
    for name in ("status", "series", "gaps", "initiatives"):
        assert (out / f"monitoring_{name}.csv").exists()
        assert (out / f"monitoring_{name}.xlsx").exists()
    status = pd.read_csv(out / "monitoring_status.csv")
    assert (
        len(status) == 17 and (status.loc[status["kind"] == "no_data", "status"] == "missing").all()
    )
    series = pd.read_csv(out / "monitoring_series.csv")
    counts = series[["numerator", "denominator"]].to_numpy(float)
    assert not ((counts > 0) & (counts < 5)).any()  # small cells blanked
    assert series["suppressed"].any()  # a 30,000-person city has small cells to blank
    assert not any("person" in c or "household" in c for c in series.columns)
