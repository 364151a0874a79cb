"""`udsat warn` on a small synthetic city through the real CLI: the forecast year's references
forecast from a references file (never read for the forecast year itself), the rules in force
on the forecast's day with announced rules beside, and the errors of a file that leaves out a
year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from udsat.cli import app
from udsat.synth import synthesize

runner = CliRunner()


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warn_city") / "city"
    synthesize(path, persons=3000, years=(2015, 2025), seed=8, scope="copenhagen")
    return path


def _references(path: Path, years: range, extra: str = "") -> Path:
    """National share 0.80 % in 2015 falling by exactly 0.01 a year; the region's mean income
    300,000 DKK in 2015 growing by exactly 2 % a year."""
    rows = ["list_year,national_convicted_pct,region,region_mean_income"]
    for y in years:
        national = 0.80 - 0.01 * (y - 2015)
        income = 300_000 * 1.02 ** (y - 2015)
        rows.append(f"{y},{national:.4f},Hovedstaden,{income:.4f}")
    path.write_text("\n".join(rows) + "\n" + extra, encoding="utf-8")
    return path


def _warn(city: Path, out: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        ["warn", "--data", str(city), "--out", str(out), "--draws", "200", *args],
        terminal_width=200,
    )
    return result.exit_code, " ".join(result.output.split())


def test_the_forecast_years_references_are_forecast_from_the_file(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every yearly change in the file is the same (-0.01 pp; +2 %), so the forecast of 2026 is
    the 2025 value moved once more, with no spread: 0.70 - 0.01 = 0.69 % and 300,000 x 1.02^11
    = 373,012.3 DKK. The file's own 2026 row (a wild 5 % and 1,000,000 DKK) is published with
    the list of 2026 and must not be read."""
    monkeypatch.setenv("UDSAT_LANG", "en")
    wild = "2026,5.0,Hovedstaden,1000000\n"
    refs = _references(tmp_path / "refs.csv", range(2015, 2026), extra=wild)
    code, output = _warn(city, tmp_path / "warn.csv", "--year", "2026", "--references", str(refs))
    assert code == 0, output
    assert "one municipality" not in output  # the file, not the data, is the reference
    import hashlib
    import json

    manifest = json.loads((tmp_path / "warn.csv.manifest.json").read_text(encoding="utf-8"))
    assert manifest["configuration"]["references"] == "refs.csv"
    digest = hashlib.sha256(refs.read_bytes()).hexdigest()
    assert manifest["inputs"]["references"]["sha256"] == digest  # the exact file read
    assert "persons/persons_2025.parquet" in manifest["inputs"]  # and the dataset's files
    table = pd.read_csv(tmp_path / "warn.csv")
    table = table[table["residents"] >= 5]  # the rest are suppressed (fewer than 5 people)
    assert len(table) >= 20
    for q in ("expected", "q05", "q25", "q75", "q95"):
        assert table[f"{q}_national_convicted_pct"].to_numpy() == pytest.approx(0.69)
        assert table[f"{q}_region_income_dkk"].to_numpy() == pytest.approx(373_012.3, abs=0.1)
    q = table.filter(like="_c3_education").dropna()  # an area with fewer than 5 in its base
    assert len(q) >= 15
    assert (q["q05_c3_education"] <= q["q25_c3_education"]).all()
    assert (q["q25_c3_education"] <= q["q75_c3_education"]).all()
    assert (q["q75_c3_education"] <= q["q95_c3_education"]).all()
    small = pd.read_csv(tmp_path / "warn.csv").query("residents < 5")
    assert small.filter(regex="^(q..|expected)_").isna().all().all()  # suppressed, intervals too


def test_a_file_that_leaves_out_a_year_of_a_one_municipality_city_is_an_error(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    refs = _references(tmp_path / "refs.csv", range(2019, 2026))
    code, output = _warn(city, tmp_path / "warn.csv", "--year", "2026", "--references", str(refs))
    assert code != 0
    assert "refs.csv has no references for 2015" in output
    assert not (tmp_path / "warn.csv").exists()


def test_the_rules_in_force_on_the_forecasts_day_with_the_announced_beside(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forebyggelse list took effect with the list of 1 December 2021 (L 23 2021-22). A
    forecast of 2021 made on 1 December 2020 judges by the rules of the 2018-2020 lists, which
    have no forebyggelse list, and shows the 2021 rules beside; made on 1 December 2021, the
    2021 rules are in force."""
    monkeypatch.setenv("UDSAT_LANG", "en")
    code, output = _warn(city, tmp_path / "before.csv", "--year", "2021")
    assert code == 0, output
    before = pd.read_csv(tmp_path / "before.csv")
    before = before[before["residents"] >= 5]
    assert before["rule_set"].str.startswith("rules_2018").all()
    assert before["p_forebyggelse"].isna().all()
    assert before["rule_set_announced"].str.startswith("rules_2021").all()
    assert before["p_forebyggelse_announced"].between(0, 1).all()
    code, output = _warn(city, tmp_path / "on.csv", "--year", "2021", "--as-of", "2021-12-01")
    assert code == 0, output
    on = pd.read_csv(tmp_path / "on.csv")
    on = on[on["residents"] >= 5]
    assert on["rule_set"].str.startswith("rules_2021").all()
    assert "rule_set_announced" not in on and on["p_forebyggelse"].notna().all()


def test_the_backtest_publishes_its_tables_and_the_docs_block_is_made_from_them(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`udsat warn --backtest` publishes the score tables and the report in both languages;
    `python -m udsat.warning.doc` puts the English report between the markers of a document."""
    from udsat.commands.warn import BACKTEST_TABLES
    from udsat.warning.doc import main as doc_main

    monkeypatch.setenv("UDSAT_LANG", "en")
    out = tmp_path / "backtest"
    result = runner.invoke(
        app,
        ["warn", "--data", str(city), "--backtest", "--out", str(out), "--draws", "100"],
        terminal_width=200,
    )
    output = " ".join(result.output.split())
    assert result.exit_code == 0, output
    assert "Backtest of the warning for list years 2019-2025" in output
    assert {f"{name}.csv" for name in BACKTEST_TABLES} <= {p.name for p in out.iterdir()}
    coverage = pd.read_csv(out / "coverage.csv").set_index("criterion")
    assert (coverage["n"] > 0).all()
    # the 50 % interval lies inside the 90 % one, and each share is its count over n
    assert (coverage["inside_50"] <= coverage["inside_90"]).all()
    for level in ("50", "90"):
        shares = coverage[f"inside_{level}"] / coverage["n"]
        assert coverage[f"share_{level}"].to_numpy() == pytest.approx(shares.to_numpy())
    assert "#### Brier scores" in (out / "backtest_en.md").read_text(encoding="utf-8")
    assert "Brier" in (out / "backtest_da.md").read_text(encoding="utf-8")
    assert "area_id" not in pd.read_csv(out / "scores.csv")  # no forecasts per area
    doc = tmp_path / "doc.md"
    doc.write_text("# x\n<!-- backtest:small -->\nold\n<!-- /backtest:small -->\nend\n", "utf-8")
    doc_main([str(doc), f"small={out}"])
    text = doc.read_text(encoding="utf-8")
    assert "\nold\n" not in text and text.endswith("<!-- /backtest:small -->\nend\n")
    assert "`udsat warn --backtest --draws 100 --seed 0`" in text and "#### Brier" in text
    code, output = _warn(city, tmp_path / "x.csv", "--backtest", "--year", "2025")
    assert code != 0 and "--year, --rules and --as-of are used without --backtest" in output
    code, output = _warn(city, tmp_path / "x.csv")
    assert code != 0 and "Give the list year with --year" in output


def test_the_docs_hold_the_generated_backtest_of_both_cities() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "early-warning.md").read_text(encoding="utf-8")
    for name in ("default", "shocked"):
        block = doc.split(f"<!-- backtest:{name} -->")[1].split(f"<!-- /backtest:{name} -->")[0]
        assert "`udsat warn --backtest" in block and "#### Coverage" in block
        # Issue 18's bar, as the generated doc states it: every criterion's 50 % and 90 %
        # intervals cover 40-60 % and 82-97 % of the outcomes of 2019-2025.
        coverage = block.split("#### Coverage of")[1].split("####")[0]
        rows = [r for r in coverage.splitlines() if r.startswith("| `")]
        assert len(rows) == 6, name  # c1, c2, c3, c4, E and K
        assert all(r.count("(in target)") == 2 for r in rows), (name, rows)


def test_a_forecast_reads_nothing_of_its_own_year_or_later(city: Path, tmp_path: Path) -> None:
    """Forecasts of 2021 and 2023 from the whole city equal, bit for bit, those from a copy that
    holds only the persons rows before each year: the model, its calibration, the forecast
    references and the earlier lists it reads never touch year Y or later."""
    import json
    import shutil

    from udsat.contract.dataset import open_dataset
    from udsat.statelists.microdata import References
    from udsat.warning.model import predict, prepare

    def forecast(path: Path, year: int) -> pd.DataFrame:
        dataset = open_dataset(path)
        dataset.validate()
        prep = prepare(dataset.connect(), References(data_is_reference=True))
        return predict(prep, year, draws=300, seed=1)

    for year in (2021, 2023):
        copy = tmp_path / f"before_{year}"
        shutil.copytree(city, copy)
        for later in range(year, 2026):
            (copy / "persons" / f"persons_{later}.parquet").unlink()
        manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
        manifest["years"] = [2015, year - 1]
        (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        pd.testing.assert_frame_equal(forecast(city, year), forecast(copy, year))
