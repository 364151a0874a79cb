"""References per list year (`udsat lists --references`) and the omdannelse look-back.

Issue 14: the look-back judged every earlier year against the list year's national conviction
average and regional income, and computed look-back year 2017 (2013 rules) with the 2018
education rule. Each earlier year must be judged with its own year's references and its own rule
set plus only the options the user chose.

The fixtures are tiny hand-built datasets whose every figure is known by construction; the
expected values below are worked out from the law's thresholds, not by the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box
from typer.testing import CliRunner

from statelists_synthetic import MUNICIPALITIES, make_tables
from udsat.cli import app
from udsat.commands.lists import lists_command as publish_lists
from udsat.contract.schemas import BENEFIT_COLUMNS, CONVICTION_LAWS
from udsat.errors import DataContractError, UdsatError
from udsat.runlog import RunLog
from udsat.statelists.classify import classify_year, resolve_ruleset
from udsat.statelists.microdata import References
from udsat.statelists.references import (
    REFERENCE_COLUMNS,
    YearReferences,
    read_references,
    run_references,
)
from udsat.statelists.request import ListsRequest, microdata_figures

runner = CliRunner()
HEADER = ",".join(REFERENCE_COLUMNS)


def lists_command(*, out, **request):
    """`udsat lists` as the CLI runs it: the request, published as `out`."""
    return publish_lists(ListsRequest(**request), out)


# --------------------------------------------------------------------------- fixture builders


def _people(area: str, year: int, n: int, **columns: object) -> pd.DataFrame:
    """`n` persons of one area and row year, aged 40, every column set (overridable by arrays)."""
    p = pd.DataFrame({"person_id": [f"{area}-{k}" for k in range(n)], "year": year})
    p["address_id"] = f"A-{area}"
    p["household_id"] = p["person_id"]
    p["age"] = 40
    p["sex"] = "f"
    p["origin"] = "danish"
    p["education_level"] = "erhvervsfaglig"
    p["education_danish_approved"] = True
    p["in_education"] = False
    for column in BENEFIT_COLUMNS:
        p[column] = 0.0
    p["aktivitetsparat"] = False
    p["employed_share"] = 1.0
    p["gross_income"] = 400_000.0
    p["taxpayer"] = True
    for law in CONVICTION_LAWS:
        p[f"convictions_{law}"] = 0
    p["youth_education_completed"] = True
    p["child_in_poor_household"] = None
    p["chronic_disease"] = False
    p["died"] = False
    for column, values in columns.items():
        p[column] = values
    return p


def _first(n: int, k: int, yes: object, no: object) -> np.ndarray:
    """`yes` for the first k of n persons, `no` for the rest."""
    return np.where(np.arange(n) < k, yes, no)


def _addresses(areas: pd.DataFrame) -> pd.DataFrame:
    """One address per area ("A-<area id>"), in the area's municipality."""
    return pd.DataFrame(
        {
            "address_id": "A-" + areas["housing_area_id"],
            "housing_area_id": areas["housing_area_id"],
            "municipality_code": areas["municipality_code"],
            "x": 700_000.0,
            "y": 6_170_000.0,
        }
    )


def _write_dataset(
    path: Path, persons: pd.DataFrame, addresses: pd.DataFrame, areas: pd.DataFrame
) -> Path:
    """A dataset directory (persons, addresses, housing areas, manifest) from the tables."""
    path.mkdir(parents=True)
    persons.to_parquet(path / "persons.parquet")
    addresses.to_parquet(path / "addresses.parquet")
    boxes = [
        box(700_000 + i * 100, 6_170_000, 700_050 + i * 100, 6_170_050) for i in range(len(areas))
    ]
    gpd.GeoDataFrame(areas, geometry=boxes, crs="EPSG:25832").to_file(path / "housing_areas.gpkg")
    manifest = {
        "name": "statelists references test",
        "municipality": "test",
        "municipality_codes": sorted(int(c) for c in addresses["municipality_code"].unique()),
        "region": sorted(areas["region"].unique()),
        "years": [int(persons["year"].min()), int(persons["year"].max())],
        "crs": "EPSG:25832",
        "source": "tests/test_statelists_references.py",
        "licence": "CC0",
        "synthetic": True,
    }
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return path


def _areas(*names: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "housing_area_id": [a for a, _ in names],
            "name": [n for _, n in names],
            "municipality_code": 101,
            "municipality": "København",
            "region": "Hovedstaden",
        }
    )


# Two areas of one municipality, rows 2018-2023 (list years 2019-2023), 2,000 residents aged 40:
# 60 % non-Western (E met), 50 % on kontanthjælp (criterion 1 met), nobody with only grundskole
# (criterion 3 not met). So each area is a parallelsamfund exactly when criterion 2 or 4 is met.
#
# Tingbjerg: convicted 45 of 2,000 (2.25 %) in rows 2018-2021, 50 (2.5 %) in rows 2022-2023;
#   income 400,000 (80 % of the region: criterion 4 not met). The 2-year shares of list years
#   2019-2021 are 2.25 %, 2022: 2.375 %, 2023: 2.5 %.
# Indkomstparken: nobody convicted; income 275,000 each.
N = 2000
CONVICTED = {2018: 45, 2019: 45, 2020: 45, 2021: 45, 2022: 50, 2023: 50}

# National conviction share and Hovedstaden's mean income per list year, as a ministry would
# publish them: 2019-2021 0.75 % (3 x = 2.25 %: Tingbjerg's 2.25 % meets '>=' exactly) and
# 500,000 (Indkomstparken 55.0 %: not '< 55'); 2022 0.76 % (3 x = 2.28 % < 2.375 %);
# 2023 0.76 % and 510,000 (Indkomstparken 53.9 % < 55).
REFERENCES = {
    2019: (0.75, 500_000),
    2020: (0.75, 500_000),
    2021: (0.75, 500_000),
    2022: (0.76, 500_000),
    2023: (0.76, 510_000),
}


def _references_csv(path: Path, years: dict[int, tuple[float, int]] = REFERENCES) -> Path:
    rows = [f"{y},{nat},Hovedstaden,{inc}" for y, (nat, inc) in years.items()]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frames = []
    for year, convicted in CONVICTED.items():
        common = {
            "origin": _first(N, 1200, "immigrant_nonwestern", "danish"),
            "fte_kontanthjaelp": _first(N, 1000, 1.0, 0.0),
        }
        frames.append(
            _people("T", year, N, convictions_straffeloven=_first(N, convicted, 1, 0), **common)
        )
        frames.append(_people("I", year, N, gross_income=275_000.0, **common))
    persons = pd.concat(frames, ignore_index=True)
    areas = _areas(("T", "Tingbjerg"), ("I", "Indkomstparken"))
    path = tmp_path_factory.mktemp("refs") / "city"
    return _write_dataset(path, persons, _addresses(areas), areas)


class _Result:
    def __init__(self, result) -> None:
        self.exit_code = result.exit_code
        self.output = " ".join(result.output.split())


def _lists(*args: str) -> _Result:
    return _Result(runner.invoke(app, ["lists", *args], terminal_width=200))


def _omdannelse(path: Path) -> dict[str, object]:
    table = pd.read_csv(path).set_index("area_name")
    return {name: table.at[name, "omdannelse"] for name in ("Tingbjerg", "Indkomstparken")}


# --------------------------------------------------------------------------- bug 1: references


def test_each_lookback_year_is_judged_with_its_own_references(city, tmp_path, monkeypatch):
    """Tingbjerg is a parallelsamfund in 2019-2021 only against those years' own 0.75 % (2.25 %
    >= 3 x 0.75 % exactly): with the 2023 references (3 x 0.76 % = 2.28 %) it would drop out,
    as in the issue (2.261 % vs 3 x 0.7538 % in 2021, 3 x 0.7548 % in 2023). Indkomstparken is a
    parallelsamfund in 2023 only (53.9 % of 510,000); against 2023's income every earlier year
    would list it too. So omdannelse 2023: Tingbjerg yes, Indkomstparken no."""
    monkeypatch.setenv("UDSAT_LANG", "en")
    refs = _references_csv(tmp_path / "references.csv")
    out = tmp_path / "lists.csv"
    result = _lists(
        "--data", str(city), "--year", "2023", "--references", str(refs), "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out).set_index("area_name")
    assert table.loc["Tingbjerg", "parallelsamfund"]
    assert table.loc["Indkomstparken", "parallelsamfund"]
    assert _omdannelse(out) == {"Tingbjerg": True, "Indkomstparken": False}
    assert table.loc["Tingbjerg", "omdannelse_years_on_list"] == 5
    assert table.loc["Indkomstparken", "omdannelse_years_on_list"] == 1
    assert table["c2_convicted_threshold"].tolist() == pytest.approx([3 * 0.76] * 2, rel=1e-12)


def test_the_earlier_years_rows_carry_their_own_references(city, tmp_path):
    refs = _references_csv(tmp_path / "references.csv")
    summary = lists_command(data=city, year=2023, references=refs, out=tmp_path / "lists.csv")
    earlier = summary.earlier.set_index(["list_year", "area_name"])
    assert sorted(summary.earlier["list_year"].unique()) == [2019, 2020, 2021, 2022]
    for year in (2019, 2020, 2021):
        row = earlier.loc[(year, "Tingbjerg")]
        assert row["c2_convicted_value"] == 2.25
        assert row["c2_convicted_threshold"] == 2.25  # 3 x 0.75: '>=' met at equality
        assert row["c2_convicted_met"] and row["parallelsamfund"]
        income = earlier.loc[(year, "Indkomstparken")]
        assert income["c4_income_value"] == 55.0  # 275,000 / 500,000: not '< 55'
        assert not income["c4_income_met"] and not income["parallelsamfund"]
    assert earlier.loc[(2022, "Tingbjerg"), "c2_convicted_threshold"] == pytest.approx(2.28)
    assert earlier.loc[(2022, "Tingbjerg"), "c2_convicted_value"] == pytest.approx(2.375)
    assert summary.table.set_index("area_name").at["Indkomstparken", "c4_income_value"] == (
        pytest.approx(100 * 275_000 / 510_000)
    )


def test_the_list_years_references_for_every_year_give_the_wrong_answer(city, tmp_path):
    """The defect reproduced on purpose: a file whose every year holds 2023's references gives
    the inverse result, so the test above does see the difference."""
    wrong = {year: REFERENCES[2023] for year in REFERENCES}
    refs = _references_csv(tmp_path / "references.csv", wrong)
    out = tmp_path / "lists.csv"
    lists_command(data=city, year=2023, references=refs, out=out)
    assert _omdannelse(out) == {"Tingbjerg": False, "Indkomstparken": True}


def test_single_value_options_apply_to_the_list_year_only(city, tmp_path, monkeypatch):
    monkeypatch.setenv("UDSAT_LANG", "en")
    earlier = {y: v for y, v in REFERENCES.items() if y < 2023}
    refs = _references_csv(tmp_path / "references.csv", earlier)
    out = tmp_path / "lists.csv"
    flags = ["--national-convicted-pct", "0.76", "--region-income", "Hovedstaden=510000"]
    args = ["--data", str(city), "--year", "2023", "--out", str(out)]
    result = _lists(*args, "--references", str(refs), *flags)
    assert result.exit_code == 0, result.output
    assert _omdannelse(out) == {"Tingbjerg": True, "Indkomstparken": False}
    # options only: the look-back years have no references and one municipality cannot give them
    result = _lists(*args, *flags)
    assert result.exit_code == 2
    assert "looks back on the list years 2019, 2020, 2021, 2022" in result.output
    assert "apply to list year 2023 only" in result.output and "Traceback" not in result.output


def test_options_and_a_file_for_the_same_year_are_an_error(city, tmp_path, monkeypatch):
    monkeypatch.setenv("UDSAT_LANG", "en")
    refs = _references_csv(tmp_path / "references.csv")
    args = ["--data", str(city), "--year", "2023", "--out", str(tmp_path / "x.csv")]
    for flag in (["--national-convicted-pct", "0.76"], ["--region-income", "Hovedstaden=1"]):
        result = _lists(*args, "--references", str(refs), *flag)
        assert result.exit_code == 2
        assert "references of list year 2023 are given twice: in references.csv" in result.output
    assert not (tmp_path / "x.csv").exists()


def test_a_missing_year_is_an_error_naming_the_years(city, tmp_path, monkeypatch):
    monkeypatch.setenv("UDSAT_LANG", "en")
    some = {y: v for y, v in REFERENCES.items() if y not in (2020, 2021)}
    refs = _references_csv(tmp_path / "references.csv", some)
    args = ["--data", str(city), "--year", "2023", "--out", str(tmp_path / "x.csv")]
    result = _lists(*args, "--references", str(refs))
    assert result.exit_code == 2
    assert "references.csv has no references for the list year(s) 2020, 2021" in result.output
    # the list year itself too
    refs = _references_csv(tmp_path / "r2.csv", {y: v for y, v in REFERENCES.items() if y < 2023})
    result = _lists(*args, "--references", str(refs))
    assert result.exit_code == 2 and "list year(s) 2023," in result.output


def test_a_year_the_history_covers_needs_no_references(city, tmp_path, monkeypatch):
    """--history gives 2020 and 2021 (Tingbjerg on the list): they are not computed, so the
    file needs no rows for them; the other years still use their own references."""
    monkeypatch.setenv("UDSAT_LANG", "en")
    some = {y: v for y, v in REFERENCES.items() if y not in (2020, 2021)}
    refs = _references_csv(tmp_path / "references.csv", some)
    history = tmp_path / "history.csv"
    history.write_text(
        "year,area_name,list\n2020,Tingbjerg,parallelsamfund\n2021,Tingbjerg,parallelsamfund\n",
        encoding="utf-8",
    )
    out = tmp_path / "lists.csv"
    args = ["--data", str(city), "--year", "2023", "--out", str(out), "--history", str(history)]
    result = _lists(*args, "--references", str(refs))
    assert result.exit_code == 0, result.output
    assert _omdannelse(out) == {"Tingbjerg": True, "Indkomstparken": False}


def test_every_region_with_an_area_needs_an_income(city, tmp_path, monkeypatch):
    monkeypatch.setenv("UDSAT_LANG", "en")
    refs = tmp_path / "references.csv"
    rows = [f"{y},{nat},Sjælland,{inc}" for y, (nat, inc) in REFERENCES.items()]
    refs.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    result = _lists(
        "--data",
        str(city),
        "--year",
        "2023",
        "--references",
        str(refs),
        "--out",
        str(tmp_path / "x.csv"),
    )
    assert result.exit_code == 2
    assert "no region_mean_income for list year 2023 and the region(s) Hovedstaden" in (
        result.output
    )


def test_references_only_with_data(tmp_path, monkeypatch):
    monkeypatch.setenv("UDSAT_LANG", "da")
    aggregate = Path(__file__).parent / "fixtures" / "statelists" / "aggregate_example.csv"
    refs = _references_csv(tmp_path / "references.csv")
    args = ["--aggregate", str(aggregate), "--year", "2023", "--out", str(tmp_path / "x.csv")]
    result = _lists(*args, "--references", str(refs))
    assert result.exit_code == 2 and "--references bruges kun med --data" in result.output


def test_the_issues_tingbjerg_numbers_at_the_threshold() -> None:
    """2.261 % convicted (unrounded 2.2615 %) meets 3 x 0.7538 % = 2.2614 % and misses
    3 x 0.7548 % = 2.2644 %: the 2021 list depends on which year's national average is used."""
    from statelists_helpers import area, figures

    row = {"outside_pct": 45.0, "convicted_pct": 2.2615, "nonwestern_pct": 60.0}
    rs = resolve_ruleset(2021)
    own = classify_year(figures(area(2021, **row, national_convicted_pct=0.7538)), rs)
    later = classify_year(figures(area(2021, **row, national_convicted_pct=0.7548)), rs)
    assert bool(own["parallelsamfund"].iloc[0]) and not bool(later["parallelsamfund"].iloc[0])


# --------------------------------------------------------------------------- data as reference


def test_references_computed_from_data_are_per_year(tmp_path) -> None:
    """Without references, each year's national share and regional incomes come from that
    year's own rows (checked by hand in pandas), never from the list year's."""
    persons, addresses, areas = make_tables(n_areas=6, others=1500, years=(2021, 2022, 2023))
    region_of = addresses.set_index("address_id")["municipality_code"].map(MUNICIPALITIES)
    data = _write_dataset(tmp_path / "ds", persons, addresses, areas)
    fig = microdata_figures(data, 2023, {}, None, YearReferences(), RunLog())
    assert sorted(fig["list_year"].unique()) == [2022, 2023]

    p = persons.assign(region=persons["address_id"].map(region_of))

    def national(year: int) -> float:  # mean of the two yearly shares, persons 18+
        shares = []
        for y in (year - 1, year):
            adults = p[(p["year"] == y) & (p["age"] >= 18)]
            convicted = adults[[f"convictions_{law}" for law in CONVICTION_LAWS]].sum(axis=1) > 0
            shares.append(100 * convicted.sum() / len(adults))
        return sum(shares) / 2

    def region_income(year: int) -> pd.Series:
        q = p[(p["year"] == year) & p["age"].between(15, 64) & p["taxpayer"] & ~p["in_education"]]
        return q.groupby("region")["gross_income"].mean()

    for year in (2022, 2023):
        rows = fig[fig["list_year"] == year]
        assert rows["national_convicted_pct"].unique() == pytest.approx([national(year)], rel=1e-12)
        expected = rows["region"].map(region_income(year))
        np.testing.assert_allclose(rows["region_income_dkk"], expected, rtol=1e-12)
    nat = fig.groupby("list_year")["national_convicted_pct"].first()
    assert nat[2022] != nat[2023]  # the years differ, so the test can see a mix-up


# --------------------------------------------------------------------------- bug 2: rule sets


@pytest.fixture(scope="module")
def education_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One area, rows 2016-2021 (list years 2017-2021 computable).

    Each year 1,000 residents aged 40: 300 grundskole, 100 unknown education, 200 gymnasial
    without Danish approval, 400 erhvervsfaglig approved.
    2013 rules (list 2017): grundskole or unknown = 400 / 1,000 = 40 %.
    2018 rules and later (lists 2018-2021): also not approved = 600 / 1,000 = 60 %.
    """
    n = 1000
    level = np.array(
        ["grundskole"] * 300 + ["unknown"] * 100 + ["gymnasial"] * 200 + ["erhvervsfaglig"] * 400
    )
    approved = np.array([True] * 300 + [None] * 100 + [False] * 200 + [True] * 400, dtype=object)
    frames = [
        _people("E", year, n, education_level=level, education_danish_approved=approved)
        for year in range(2016, 2022)
    ]
    persons = pd.concat(frames, ignore_index=True)
    areas = _areas(("E", "Uddannelsesparken"))
    return _write_dataset(
        tmp_path_factory.mktemp("edu") / "city", persons, _addresses(areas), areas
    )


def _education_references(path: Path) -> Path:
    years = {2017: (0.9, 400_000), 2018: (0.8, 420_000), 2019: (0.8, 440_000)}
    return _references_csv(path, {**years, 2020: (0.76, 460_000), 2021: (0.75, 500_000)})


@pytest.mark.parametrize(
    ("options", "label_2017", "label_2021"),
    [
        ({}, "rules_2013.v2", "rules_2021.v2"),
        (
            {"averaging": "pooled", "forebyggelse_includes_udsat": True},
            "rules_2013.v2+averaging=pooled",
            "rules_2021.v2+averaging=pooled+forebyggelse_excludes_udsat=False",
        ),
    ],
)
def test_a_2017_lookback_year_uses_the_2013_education_rule(
    education_city, tmp_path, options, label_2017, label_2021
) -> None:
    refs = _education_references(tmp_path / "references.csv")
    summary = lists_command(
        data=education_city, year=2021, references=refs, out=tmp_path / "x.csv", **options
    )
    earlier = summary.earlier.set_index("list_year")
    assert list(earlier.index) == [2017, 2018, 2019, 2020]
    assert earlier.at[2017, "c3_education_value"] == 40.0
    assert earlier.at[2017, "rule_set"] == label_2017
    assert earlier.at[2018, "c3_education_value"] == 60.0  # the approval rule from 2018
    assert earlier.at[2018, "rule_set"] == label_2017.replace("2013", "2018")
    now = summary.table.iloc[0]
    assert now["c3_education_value"] == 60.0
    assert now["rule_set"] == label_2021


# --------------------------------------------------------------------------- the file's rules


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_reads_per_year_and_region(tmp_path) -> None:
    path = _write(
        tmp_path / "refs.csv",
        f'{HEADER}\n2022,"0,7541",Hovedstaden,391204\n2022,0.7541,Sjælland, 350000 \n'
        "2023,0.7548,Hovedstaden,402117.5\n",
    )
    refs = read_references(path)
    assert refs.source == "refs.csv" and refs.years == [2022, 2023]
    assert refs.get(2022) == References(0.7541, {"Hovedstaden": 391204.0, "Sjælland": 350000.0})
    assert refs.get(2023) == References(0.7548, {"Hovedstaden": 402117.5})
    assert refs.get(2021) is None and refs.missing([2021, 2022]) == [2021]


def _problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(DataContractError) as err:
        read_references(_write(tmp_path / "refs.csv", text))
    return str(err.value)


def test_file_errors_name_file_column_rule_and_row(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    message = _problems(tmp_path, "list_year,national_convicted_pct,region\n2023,0.75,H\n")
    assert "refs.csv, column 'region_mean_income': column missing" in message
    assert "required_column" in message
    message = _problems(tmp_path, f"{HEADER},note\n2023,0.75,H,500000,x\n")
    assert "refs.csv, column 'note': unknown column" in message and "known_columns" in message
    message = _problems(
        tmp_path,
        f"{HEADER}\n2023,0.75,H,500000\n2023,x0.75,S,500000\n2023.5,0.75,N,500000\n"
        "2024,0.75,H,400.000\n2025,,H,500000\n",
    )
    assert "column 'national_convicted_pct': not a number" in message
    assert "row 3: national_convicted_pct='x0.75'" in message
    assert "column 'list_year': not a whole number" in message and "row 4" in message
    assert "column 'region_mean_income': outside [1000" in message and "row 5" in message
    assert "column 'national_convicted_pct': empty" in message and "row 6" in message


def test_duplicates_and_two_national_values_are_errors(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    message = _problems(
        tmp_path, f"{HEADER}\n2023,0.75,Hovedstaden,500000\n2023,0.75, Hovedstaden,510000\n"
    )
    assert "column 'region': more than one row per list_year and region" in message
    assert "unique_key" in message and "row 2" in message and "row 3" in message
    message = _problems(
        tmp_path, f"{HEADER}\n2023,0.75,Hovedstaden,500000\n2023,0.76,Sjælland,1e5\n"
    )
    assert "column 'national_convicted_pct': different values within one list_year" in message
    message = _problems(tmp_path, f"{HEADER}\n2023,0.75,,500000\n")
    assert "column 'region': empty" in message
    assert "the file has no rows" in _problems(tmp_path, f"{HEADER}\n")


def test_file_errors_are_danish_by_default(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "da")
    message = _problems(tmp_path, f"{HEADER}\n2023,0.75,H,500000\n2023,0.75,H,500000\n")
    assert "mere end én række pr. list_year og region" in message


def test_run_references_rule() -> None:
    """The options fill the list year when the file lacks it, and conflict when it has it."""
    file = YearReferences({2022: References(0.75, {"H": 1.0})}, "refs.csv")
    merged = run_references(file, 2023, 0.76, {"H": 2.0})
    assert merged.get(2023) == References(0.76, {"H": 2.0}) and merged.get(2022) == file.get(2022)
    assert merged.source == "refs.csv"
    assert run_references(file, 2023) == file
    assert run_references(None, 2023, 0.76).get(2023) == References(0.76, {})
    with pytest.raises(UdsatError, match="2022"):
        run_references(file, 2022, None, {"H": 3.0})
