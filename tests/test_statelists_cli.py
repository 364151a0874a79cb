"""`udsat lists`: aggregate and microdata mode, output by suffix, Danish/English messages."""

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box
from typer.testing import CliRunner

from statelists_synthetic import make_tables
from udsat.cli import app
from udsat.errors import DataContractError
from udsat.statelists.aggregate import read_aggregate

FIXTURES = Path(__file__).parent / "fixtures" / "statelists"
AGGREGATE = FIXTURES / "aggregate_example.csv"
HISTORY = FIXTURES / "memberships_2017_2022.csv"
ISSUE_COLUMNS = [
    "area_id",
    "area_name",
    "municipality",
    "list_year",
    "residents",
    *(
        f"{c}_{p}"
        for c in ("c1_outside", "c2_convicted", "c3_education", "c4_income", "e_nonwestern")
        for p in ("value", "threshold", "met", "margin_pp", "margin_people")
    ),
    "criteria_met",
    "udsat",
    "parallelsamfund",
    "omdannelse",
    "forebyggelse",
    "reasons",
]
runner = CliRunner()


class _Result:
    """The CLI result with its output on one line (rich wraps long messages)."""

    def __init__(self, result) -> None:
        self.exit_code = result.exit_code
        self.output = " ".join(result.output.split())


def _run(*args: str) -> _Result:
    return _Result(runner.invoke(app, ["lists", *args], terminal_width=200))


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_aggregate_mode_writes_every_format(tmp_path, suffix, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "da")
    out = tmp_path / f"lister{suffix}"
    args = ["--aggregate", str(AGGREGATE), "--year", "2023", "--history", str(HISTORY)]
    result = _run(*args, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Listerne for 2023" in result.output and "række 8" in result.output
    reader = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".xlsx": pd.read_excel}[suffix]
    table = reader(out).set_index("area_name")
    assert [c for c in ISSUE_COLUMNS if c not in table.reset_index()] == []
    assert not table.loc["Mjølnerparken", "udsat"]
    assert table.loc["Vollsmose", "omdannelse"]
    assert table.loc["Tåstrupgård", "forebyggelse"]


def test_without_ethnicity_shows_changes_side_by_side(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    out = tmp_path / "scenario.csv"
    result = _run(
        "--aggregate",
        str(AGGREGATE),
        "--year",
        "2023",
        "--without-ethnicity",
        "--history",
        str(HISTORY),
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "Without the ethnicity criterion 1 areas would change" in result.output
    table = pd.read_csv(out).set_index("area_name")
    row = table.loc["Testparken Syd"]
    assert not row["parallelsamfund"] and row["parallelsamfund_without_e"]
    assert row["status_changes_without_e"] == "parallelsamfund: nej -> ja"
    assert table["status_changed_without_e"].sum() == 1


def test_usage_errors_are_danish_without_traceback(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "da")
    result = _run("--year", "2023", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and "præcis én af --data og --aggregate" in result.output
    result = _run("--aggregate", str(AGGREGATE), "--year", "2023", "--out", str(tmp_path / "x.txt"))
    assert result.exit_code == 2 and ".xlsx" in result.output
    result = _run("--aggregate", str(AGGREGATE), "--year", "2019", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and "ingen rækker for listeåret 2019" in result.output
    assert "Traceback" not in result.output


def test_aggregate_validation_names_file_column_and_row(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")  # the problem frame ("column", "rule") is translated
    text = AGGREGATE.read_text(encoding="utf-8").splitlines()
    text[2] = text[2].replace("46.3", "x46").replace(",6800,", ",-5,")
    bad = tmp_path / "tal.csv"
    bad.write_text("\n".join([*text, text[3]]) + "\n", encoding="utf-8")
    with pytest.raises(DataContractError) as err:
        read_aggregate(bad)
    message = str(err.value)
    assert "tal.csv, column 'outside_pct': not a number" in message and "row 3" in message
    assert "column 'residents': outside [0" in message
    assert "more than one row per list_year and area_id" in message
    missing = tmp_path / "kort.csv"
    missing.write_text("list_year,area_id\n2023,a\n", encoding="utf-8")
    with pytest.raises(DataContractError, match="column 'residents'"):
        read_aggregate(missing)


def test_a_row_longer_than_the_header_is_an_error_not_a_loss(tmp_path, monkeypatch) -> None:
    """pandas would drop the values beyond the header with only a warning."""
    monkeypatch.setenv("UDSAT_LANG", "en")
    text = AGGREGATE.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "tal.csv"
    bad.write_text("\n".join([text[0], text[1] + ",extra", *text[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(DataContractError) as err:
        read_aggregate(bad)
    fields = text[0].count(",") + 1
    assert f"line 2 has {fields + 1} fields, the header {fields}" in str(err.value)


def _dataset(path: Path) -> Path:
    persons, addresses, areas = make_tables(n_areas=6, others=1500, years=(2022, 2023))
    path.mkdir()
    persons.to_parquet(path / "persons.parquet")
    addresses.to_parquet(path / "addresses.parquet")
    boxes = [box(700_000 + i * 100, 6_170_000, 700_050 + i * 100, 6_170_050) for i in range(6)]
    gpd.GeoDataFrame(areas, geometry=boxes, crs="EPSG:25832").to_file(path / "housing_areas.gpkg")
    manifest = {
        "name": "statelists test",
        "municipality": "Danmark",
        "municipality_codes": [101, 147, 461, 751],
        "region": ["Hovedstaden", "Syddanmark", "Midtjylland"],
        "years": [2022, 2023],
        "crs": "EPSG:25832",
        "source": "tests/statelists_synthetic.py",
        "licence": "CC0",
        "synthetic": True,
    }
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return path


def test_microdata_mode_from_a_dataset_directory(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    data = _dataset(tmp_path / "ds")
    out = tmp_path / "lists.parquet"
    result = _run("--data", str(data), "--year", "2023", "--averaging", "pooled", "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(out)
    assert len(table) == 6 and (table["rule_set"] == "rules_2021.v2+averaging=pooled").all()
    # no history and no earlier data years: the look-back is open exactly for parallelsamfund
    assert (table["omdannelse"].isna() == table["parallelsamfund"].fillna(False)).all()


def test_lists_help_describes_every_option(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    result = runner.invoke(app, ["lists", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for option in ("--data", "--aggregate", "--year", "--history", "--without-ethnicity", "--out"):
        assert option in result.output
    # rich draws "│ *  --year  <int>  List year ..." (or "│    --data ..."): every option line
    # must carry a description besides its flags and <metavar>
    option_lines = [
        line
        for line in result.output.splitlines()
        if line.strip(" │*").startswith("--") and "--help" not in line
    ]
    assert len(option_lines) >= 6
    for line in option_lines:
        words = line.strip(" │*").split()
        description = [w for w in words if not w.startswith(("--", "<", "│"))]
        assert description, line
