"""The command line: complete help texts, Danish by default, clear errors without tracebacks."""

import pytest
import typer
from typer.testing import CliRunner

from udsat.cli import app

runner = CliRunner()
COMMANDS = ["synth", "validate", "demo", "lists", "neighbourhoods"]


def test_top_level_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_for_every_option(command: str, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # rich cuts long option names at 80 columns
    result = runner.invoke(app, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    command_obj = typer.main.get_command(app).commands[command]
    assert command_obj.help
    # Read the options from the command itself: the drawn help box is too fragile to parse.
    options = [p for p in command_obj.params if p.param_type_name == "option"]
    assert options
    for option in options:
        assert option.help, f"{command} {option.opts[0]} has no help text"
        assert option.opts[0] in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("udsat ")


def test_bad_years_is_a_usage_error() -> None:
    result = runner.invoke(app, ["synth", "--out", "x", "--years", "2025-2015"])
    assert result.exit_code == 2
    assert "first year after last year" in result.output


def test_validate_missing_directory_gives_danish_error(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "da")
    result = runner.invoke(app, ["validate", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "Fejl" in result.output
    assert "datasætmappen findes ikke" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_validate_shows_the_severity_tag_of_each_problem(tmp_path) -> None:
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "persons.csv").write_text("person_id\n", encoding="utf-8")
    (tmp_path / "addresses.csv").write_text("address_id\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "manifest.json" in result.output.replace("\n", "")  # rich wraps long paths
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "da",
            "Fejl: 1 problem(er) i inputdata: [blokerende] persons.parquet, kolonne 'age': "
            "værdier uden for det tilladte interval 0 til 120 (regel: impossible_value, "
            "1 række(r)) fx person_id='p1', year=2020: age=-4",
        ),
        (
            "en",
            "Error: 1 problem(s) in the input data: [blocker] persons.parquet, column 'age': "
            "values outside the allowed range 0 to 120 (rule: impossible_value, 1 row(s)) "
            "e.g. person_id='p1', year=2020: age=-4",
        ),
    ],
)
def test_validate_prints_problems_in_the_users_language(tmp_path, monkeypatch, lang, expected):
    from fixtures.contract.builders import tables, write_dataset

    monkeypatch.setenv("UDSAT_LANG", lang)
    frames = tables()
    frames["persons"].loc[0, "age"] = -4
    result = runner.invoke(app, ["validate", "--data", str(write_dataset(tmp_path, frames))])
    assert result.exit_code == 2
    assert expected in " ".join(result.output.split())  # rich wraps long lines


def test_synth_writes_a_dataset_and_says_it_is_synthetic(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "da")
    out = tmp_path / "cph"
    result = runner.invoke(
        app, ["synth", "--out", str(out), "--persons", "2000", "--years", "2024-2024"]
    )
    assert result.exit_code == 0, result.output
    assert "SYNTETISKE DATA" in result.output
    assert "2.000 personer, 2.000 person-år" in " ".join(result.output.split())
    assert (out / "manifest.json").exists()
    assert sorted(p.name for p in (out / "persons").iterdir()) == ["persons_2024.parquet"]
