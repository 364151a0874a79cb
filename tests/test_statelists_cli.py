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


def _amendment(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the shipped law file with one edit (an amendment, or a typo)."""
    from udsat.statelists.rules import LAW_PATH

    text = LAW_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "amended.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# Criterion 3 of the 2018 rules (§ 61 a, stk. 1, nr. 3: "overstiger 60 pct.") and a proposed
# 50 % from the list of 1 December 2023: one dated value added, nothing else changed.
C3_2018 = """          reference: {paragraph: "61 a", stk: 1, nr: 3, act: L38_2018}
      forebyggelse:"""
C3_2023 = """          reference: {paragraph: "61 a", stk: 1, nr: 3, act: L38_2018}
        2023-12-01:
          value: 50.0
          unit: percent
          operator: ">"
          reference: {paragraph: "61 a", stk: 1, nr: 3, act: L38_2018, note: "forslag"}
      forebyggelse:"""


def test_rules_amendment_is_shown_beside_the_law(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "da")
    rules = _amendment(tmp_path, C3_2018, C3_2023)
    rows = [
        # 55 % only basic education and 45 % outside: 1 criterion under the law (c3 needs
        # > 60 %), 2 under the amendment (> 50 %): udsat only with the amendment.
        {"area_id": "a1", "basic_edu_pct": 55.0, "outside_pct": 45.0},
        {"area_id": "a2", "basic_edu_pct": 50.0, "outside_pct": 45.0},  # exactly 50: not above
    ]
    frame = pd.DataFrame(
        [
            {
                "list_year": 2023, "area_name": r["area_id"], "municipality": "København",
                "residents": 2000, "convicted_pct": 0.5, "national_convicted_pct": 1.0,
                "income_pct_of_region": 90.0, "nonwestern_pct": 10.0,
                "outside_latest_pct": 10.0, **r,
            }
            for r in rows
        ]
    )  # fmt: skip
    figures = tmp_path / "figures.csv"
    frame.to_csv(figures, index=False)
    out = tmp_path / "l.csv"
    result = _run("--aggregate", str(figures), "--year", "2023", "--rules", str(rules),
                  "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out).set_index("area_id")
    assert not table.loc["a1", "udsat"] and table.loc["a1", "udsat_amended"]
    assert not table.loc["a2", "udsat"] and not table.loc["a2", "udsat_amended"]
    assert table.loc["a1", "status_changes_amended"] == "udsat: nej -> ja"
    assert "Med de ændrede regler (--rules) ville 1 områders status ændre sig: a1" in result.output
    manifest = json.loads((tmp_path / "l.csv.manifest.json").read_text(encoding="utf-8"))
    assert manifest["configuration"]["rules"] == "amended.yaml"
    assert len(manifest["inputs"]["rules"]["sha256"]) == 64  # the amendment's exact content


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            '      min_met: 2\n      tier: udsat\n      reference: {paragraph: "61 a", stk: 1,',
            '      min_mett: 2\n      tier: udsat\n      reference: {paragraph: "61 a", stk: 1,',
            "ukendt nøgle 'lists.udsat.2018-12-01.min_mett' (mente du 'min_met'?)",
        ),
        (
            '          operator: ">="\n          reference: {paragraph: "61 a", stk: 1, nr: 2,',
            '          operator: "=>"\n          reference: {paragraph: "61 a", stk: 1, nr: 2,',
            "criteria.c2_convicted.thresholds.udsat.2018-12-01.operator",
        ),
        (
            "      kind: count\n      criteria: [c1_outside, c2_convicted, c3_education, "
            "c4_income]\n      min_met: 2\n      tier: udsat\n",
            "      kind: count\n      criteria: [c1_outside, c2_convicted, c3_eduction, "
            "c4_income]\n      min_met: 2\n      tier: udsat\n",
            "unknown criterion 'c3_eduction'",
        ),
    ],
)
def test_a_typo_in_rules_is_an_error_and_nothing_is_written(tmp_path, old, new, says) -> None:
    rules = _amendment(tmp_path, old, new)
    out = tmp_path / "l.csv"
    result = _run("--aggregate", str(AGGREGATE), "--year", "2023", "--rules", str(rules),
                  "--out", str(out))  # fmt: skip
    assert result.exit_code != 0
    assert "amended.yaml" in result.output and says in result.output
    assert not out.exists() and not list(tmp_path.glob("l.csv*"))


def test_a_dataset_without_housing_areas_is_a_clear_error(tmp_path, monkeypatch) -> None:
    """E.g. `udsat import dst` without --housing-areas: no DuckDB catalog error, a sentence."""
    monkeypatch.setenv("UDSAT_LANG", "en")
    data = _dataset(tmp_path / "ds")
    (data / "housing_areas.gpkg").unlink()
    out = tmp_path / "lists.csv"
    result = _run("--data", str(data), "--year", "2023", "--out", str(out))
    assert result.exit_code != 0 and not out.exists()
    assert "no housing_areas table" in result.output and "--housing-areas" in result.output
