"""`screen_command` behind a local typer app: aggregate input end to end, outputs and errors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import typer
from typer.testing import CliRunner

from publish_helpers import published_screening
from udsat.commands.screen import screen_command
from udsat.contract.schemas import CRS
from udsat.errors import UdsatError
from udsat.publish import DisclosurePolicy
from udsat.publish import tables as specs
from udsat.runlog import RunLog
from udsat.screening.config import load_config
from udsat.screening.result import ScreeningResult

RODER = Path(__file__).parents[1] / "src" / "udsat" / "data" / "kk" / "socio_roder_2008_2014.csv"


def app() -> typer.Typer:
    cli = typer.Typer()

    @cli.command()
    def screen(
        year: Annotated[int, typer.Option(help="year")],
        out: Annotated[Path, typer.Option(help="output directory")],
        data: Annotated[Path | None, typer.Option(help="dataset directory")] = None,
        aggregate: Annotated[Path | None, typer.Option(help="area-level CSV")] = None,
        config: Annotated[Path | None, typer.Option(help="configuration")] = None,
        compare: Annotated[Path | None, typer.Option(help="earlier designation")] = None,
    ) -> None:
        try:
            screen_command(data, aggregate, year, config, compare, out)
        except UdsatError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from exc

    return cli


def test_aggregate_screen_writes_units_and_danish_summary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app(), ["--aggregate", str(RODER), "--year", "2008", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Screeningen for 2008" in result.output
    units = pd.read_csv(out / "units.csv")
    assert len(units) == 396 and set(units["year"]) == {2008}
    assert (out / "units.parquet").exists() and (out / "run_log.json").exists()
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# Screening af udsatte byområder 2008")
    assert "reglen er skaleret til 2 af 3" in summary
    # 2008 has three units of 1-4 residents (Panums 4, Frihavnskvarterets 2, Skyttecentrets 1):
    # they show neither residents nor values.
    tiny = units[units["suppressed"].astype(str).str.contains("residents")]
    assert sorted(tiny["name"]) == ["Frihavnskvarterets", "Panums", "Skyttecentrets"]
    assert tiny["income_ratio"].isna().all() and tiny["residents"].isna().all()


def test_one_source_and_no_compare_for_aggregate(tmp_path: Path) -> None:
    out = tmp_path / "out"
    both = CliRunner().invoke(app(), ["--year", "2013", "--out", str(out)])
    assert both.exit_code == 2 and "præcis én af --data og --aggregate" in both.output
    cmp = CliRunner().invoke(
        app(),
        ["--aggregate", str(RODER), "--year", "2013", "--compare", str(RODER), "--out", str(out)],
    )
    assert cmp.exit_code == 2 and "--compare kræver geometri" in cmp.output
    assert not out.exists()


def test_bad_config_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("version: x\ndesignation: {flag_on: median, min_criteria: 9}\n")
    result = CliRunner().invoke(
        app(),
        [
            "--aggregate",
            str(RODER),
            "--year",
            "2013",
            "--config",
            str(path),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2
    assert path.name in result.output and "designation.flag_on" in result.output
    assert "designation.min_criteria" in result.output


def test_write_areas_gpkg_25832_and_geojson_4326(tmp_path: Path) -> None:
    config = load_config()
    units = pd.DataFrame(
        {
            "unit_id": ["a", "b"],
            "residents": [3, 2000],
            "income_ratio": [1.5, 1.3],
            "vulnerable": [False, True],
            "note": ["", ""],
        }
    )
    areas = gpd.GeoDataFrame(
        {
            "area_id": ["byomraade_001"],
            "name": ["X"],
            "kind": ["screening"],
            "residents": [2000],
            "criteria_flagged": [3],
            "criteria": ["income;education;labour"],
            "composite": [1.2],
            "explanation_da": ["Udpeget"],
            "explanation_en": ["Designated"],
            "stability": [0.75],
        },
        geometry=[shapely.box(720000, 6170000, 720200, 6170100)],
        crs=CRS,
    )
    result = ScreeningResult(
        year=2025,
        config=config,
        units=units,
        unit_geometry=None,
        areas=areas,
        comparison=None,
        summary_da="# s\n",
        log=RunLog(),
    )
    files = published_screening(result, tmp_path / "o")
    gpkg = gpd.read_file(files["areas_gpkg"])
    assert gpkg.crs.to_epsg() == 25832 and gpkg.at[0, "stability"] == 0.75
    geojson = gpd.read_file(files["areas_geojson"])
    assert geojson.crs.to_epsg() == 4326
    lon, lat = geojson.geometry.iloc[0].centroid.coords[0]
    assert 12 < lon < 13 and 55 < lat < 56
    assert np.isclose(geojson.to_crs(CRS).area.iloc[0], 20000, rtol=1e-3)
    written = pd.read_csv(files["units_csv"])
    assert written["residents"].isna().tolist() == [True, False]
    assert written["income_ratio"].isna().tolist() == [True, False]


def test_neighbourhood_values_are_not_blanked_with_the_cell() -> None:
    units = pd.DataFrame({"unit_id": ["c"], "residents": [2], "income_ratio": [1.4]})
    table = DisclosurePolicy().protect(units, specs.screening_units(own_values=False))
    assert pd.isna(table.at[0, "residents"]) and table.at[0, "income_ratio"] == 1.4


def test_messages_in_english_with_udsat_lang(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    result = CliRunner().invoke(app(), ["--year", "2013", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "Give exactly one of --data and --aggregate" in result.output
    done = CliRunner().invoke(
        app(), ["--aggregate", str(RODER), "--year", "2013", "--out", str(tmp_path / "o")]
    )
    assert done.exit_code == 0 and "The screening for 2013 written to" in done.output
    assert (
        (tmp_path / "o" / "summary_en.md")
        .read_text(encoding="utf-8")
        .startswith("# Screening of vulnerable urban areas 2013")
    )
