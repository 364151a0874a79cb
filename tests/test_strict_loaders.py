"""The three method files on udsat.strict: screening config, indicator catalogue, goals.

Each broken file is a copy of the shipped one with one edit, so the test reads what a user who
edits the real file would see: the file's name, the key's path and the nearest valid key. The
expected values are the method's own numbers, written here, not read from the files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from udsat.errors import UdsatError
from udsat.indicators.catalogue import DEFAULT_PATH as CATALOGUE
from udsat.indicators.catalogue import load_catalogue
from udsat.monitoring.goals import DEFAULT_GOALS, load_goals
from udsat.screening.config import DEFAULT_CONFIG, load_config

RODER = Path(__file__).parents[1] / "src" / "udsat" / "data" / "kk" / "socio_roder_2008_2014.csv"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")


def edited(tmp_path: Path, shipped: Path, old: str, new: str, name: str) -> Path:
    """A copy of `shipped` with the first `old` (which must be there) replaced by `new`."""
    text = shipped.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def error_of(load: Callable[[Path], object], path: Path) -> str:
    with pytest.raises(UdsatError) as info:
        load(path)
    return str(info.value)


# --- screening config ---------------------------------------------------------------------------


def test_shipped_screening_config_loads() -> None:
    config = load_config()
    assert config.version == "2026.1"
    assert config.criteria == ("income", "education", "labour", "youth", "health", "safety")
    assert (config.flag_on, config.margin, config.z_margin) == ("ratio", 0.25, 1.0)
    assert (config.min_criteria, config.scale_min_criteria, config.composite) == (3, True, "mean_z")
    assert (config.units, config.k, config.shrink) == ("neighbourhoods", 1000, True)
    assert (config.min_area_residents, config.adjacency) == (1000, "rook")
    assert config.state_lists == ("parallelsamfund", "forebyggelse")
    assert (config.min_unit_residents, config.max_student_share) == (100, 0.35)
    assert config.ks == (500, 1000, 2000) and config.stability_overlap == 0.5
    assert (config.match_share, config.same_share) == (0.5, 0.8)
    columns = [
        (a.criterion, a.indicator_id, a.column, a.direction) for a in config.aggregate_indicators
    ]
    assert columns == [
        ("income", "low_income", "pct_lav_indkomst", "higher_is_worse"),
        ("education", "only_grundskole", "pct_ingen_udd", "higher_is_worse"),
        ("labour", "attached_to_labour_market", "working_population_pct", "higher_is_better"),
    ]  # fmt: skip
    assert config.aggregate_rename["area_id"] == "unit_id"


def test_screening_config_typo_names_file_key_and_nearest(tmp_path: Path) -> None:
    path = edited(tmp_path, DEFAULT_CONFIG, "  margin: 0.25", "  marign: 0.25", "mine.yaml")
    text = error_of(load_config, path)
    assert text.startswith("mine.yaml: 1 error(s)")
    assert "unknown key 'designation.marign' (did you mean 'margin'?)" in text


def test_screening_config_typo_is_danish_by_default(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("UDSAT_LANG")
    path = edited(tmp_path, DEFAULT_CONFIG, "stability:", "stabilty:", "mine.yaml")
    text = error_of(load_config, path)
    assert "mine.yaml: 1 fejl" in text
    assert "ukendt nøgle 'stabilty' (mente du 'stability'?)" in text


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            "flag_on: ratio",
            "flag_on: median",
            ["'designation.flag_on'", "'ratio' or 'z'", "median"],
        ),
        ("adjacency: rook", "adjacency: hex", ["'areas.adjacency'", "'hex'"]),
        ("composite: mean_z", "composite: max_z", ["'designation.composite'", "'max_z'"]),
        ("[parallelsamfund, forebyggelse]", "[parallelsamfund, ghetto]", ["'areas.state_lists.1'"]),
        ("criteria: [income,", "criteria: [wealth,", ["'criteria.0'", "'wealth'"]),
        ("margins: {}", "margins: {saftey: 0.5}", ["'designation.margins.saftey", "saftey"]),
        (
            "direction: higher_is_better}",
            "direction: up}",
            ["'aggregate.indicators.labour", "'up'"],
        ),
    ],
)
def test_screening_config_value_outside_closed_set(tmp_path, old, new, words) -> None:
    text = error_of(load_config, edited(tmp_path, DEFAULT_CONFIG, old, new, "c.yaml"))
    assert text.startswith("c.yaml:")
    for word in words:
        assert word in text


@pytest.mark.parametrize(
    ("value", "ok"), [(0, False), (1, True), (6, True), (7, False)]
)  # fmt: skip
def test_min_criteria_lies_in_one_to_the_six_criteria(tmp_path, value, ok) -> None:
    path = edited(tmp_path, DEFAULT_CONFIG, "min_criteria: 3", f"min_criteria: {value}", "c.yaml")
    if ok:
        assert load_config(path).min_criteria == value
    else:
        assert "'designation.min_criteria'" in error_of(load_config, path)


def test_min_criteria_at_most_the_criteria_screened(tmp_path) -> None:
    """With two criteria, 2 may be required (exactly the count) but not 3."""
    two = "criteria: [income, education]\n"
    path = tmp_path / "c.yaml"
    path.write_text(f"version: x\n{two}designation: {{min_criteria: 2}}\n", encoding="utf-8")
    assert load_config(path).min_criteria == 2
    path.write_text(f"version: x\n{two}designation: {{min_criteria: 3}}\n", encoding="utf-8")
    assert error_of(load_config, path) == "c.yaml: designation.min_criteria = 3 lies outside [1, 2]"


def test_screening_config_shares_lie_in_zero_to_one(tmp_path) -> None:
    for old, new in [("overlap: 0.5", "overlap: 1.5"), ("  margin: 0.25", "  margin: -0.1")]:
        text = error_of(load_config, edited(tmp_path, DEFAULT_CONFIG, old, new, "c.yaml"))
        assert "1 error(s)" in text
    path = edited(tmp_path, DEFAULT_CONFIG, "same_share: 0.8", "same_share: 1", "c.yaml")
    assert load_config(path).same_share == 1.0


def test_screening_config_without_version_fails(tmp_path) -> None:
    path = edited(tmp_path, DEFAULT_CONFIG, 'version: "2026.1"', "", "c.yaml")
    assert "'version' is missing" in error_of(load_config, path)


def test_partial_user_config_takes_the_method_defaults(tmp_path) -> None:
    """A user's file is read alone (not merged with the packaged one); the keys it leaves out
    take the models' defaults, which are the packaged method's values except the area-level
    CSV's columns (none)."""
    path = tmp_path / "mine.yaml"
    path.write_text("version: mine\ndesignation: {margin: 0.3}\n", encoding="utf-8")
    mine, shipped = load_config(path), load_config()
    assert mine.margin == 0.3 and mine.version == "mine"
    differ = {k for k, v in dataclasses.asdict(mine).items() if v != dataclasses.asdict(shipped)[k]}
    assert differ == {"version", "margin", "source", "aggregate_indicators",
                      "student_share_column", "age_band_columns", "aggregate_rename"}  # fmt: skip
    assert mine.aggregate_indicators == () and mine.student_share_column is None
    path.write_text("version: mine\ndesignation: {marign: 0.3}\n", encoding="utf-8")
    assert "did you mean 'margin'?" in error_of(load_config, path)


def test_screen_cli_refuses_a_typo_config_and_writes_nothing(tmp_path: Path) -> None:
    from udsat.cli import app

    path = edited(tmp_path, DEFAULT_CONFIG, "  margin: 0.25", "  marign: 0.25", "typo.yaml")
    out = tmp_path / "out"
    args = ["screen", "--aggregate", str(RODER), "--year", "2013", "--config", str(path)]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 2
    output = " ".join(result.output.split())  # rich wraps long lines
    assert "typo.yaml" in output and "'designation.marign'" in output
    assert "did you mean 'margin'?" in output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["typo.yaml"]


# --- indicator catalogue ------------------------------------------------------------------------


def test_shipped_catalogue_loads() -> None:
    cat = load_catalogue(CATALOGUE)
    assert (cat.id, cat.version) == ("catalogue", 2)
    assert [i.id for i in cat.indicators] == [
        "low_income", "only_grundskole", "outside_labour", "public_support",
        "no_youth_education_25", "child_poverty", "chronic_disease_std",
        "poor_self_rated_health", "unsafe_day", "unsafe_night",
    ]  # fmt: skip
    assert not cat.get("public_support").screening and cat.get("low_income").screening
    std = cat.get("chronic_disease_std").standardise
    assert std is not None and std.age_groups == (0, 15, 30, 45, 60, 75) and std.by_sex
    assert cat.get("low_income").denominator == "1"
    assert set(cat.references) == {"median_income_18_64", "median_equivalised_income"}
    assert cat.criteria["safety"] == {"label_da": "Tryghed", "label_en": "Safety"}


def test_catalogue_typo_in_indicator_field(tmp_path: Path) -> None:
    old, new = '    numerator: "gross_income <', '    numerater: "gross_income <'
    text = error_of(load_catalogue, edited(tmp_path, CATALOGUE, old, new, "cat.yaml"))
    assert text.startswith("cat.yaml: 2 error(s)")
    assert "unknown key 'indicators.0[low_income].numerater' (did you mean 'numerator'?)" in text
    assert "'indicators.0[low_income].numerator' is missing" in text


def test_catalogue_typo_in_top_level_and_reference(tmp_path: Path) -> None:
    path = edited(tmp_path, CATALOGUE, "households:", "housholds:", "cat.yaml")
    assert "unknown key 'housholds' (did you mean 'households'?)" in error_of(load_catalogue, path)
    path = edited(tmp_path, CATALOGUE, "    description:", "    descripton:", "cat.yaml")
    text = error_of(load_catalogue, path)
    assert "unknown key 'references.median_income_18_64.descripton'" in text
    assert "(did you mean 'description'?)" in text


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            "criterion: income",
            "criterion: wealth",
            ["'indicators.0[low_income].criterion'", "'wealth'"],
        ),
        (
            "    source: register",
            "    source: census",
            ["'indicators.0[low_income].source'", "'census'"],
        ),
        ("    unit: share", "    unit: percent", ["'indicators.0[low_income].unit'", "'percent'"]),
        (
            "direction: higher_is_worse",
            "direction: up",
            ["'indicators.0[low_income].direction'", "'up'"],
        ),
        ("  income: {label_da", "  wealth: {label_da", ["'criteria.wealth"]),
    ],
)
def test_catalogue_value_outside_closed_set(tmp_path, old, new, words) -> None:
    text = error_of(load_catalogue, edited(tmp_path, CATALOGUE, old, new, "cat.yaml"))
    assert text.startswith("cat.yaml: 1 error(s)")
    for word in words:
        assert word in text


def test_catalogue_missing_required_fields(tmp_path: Path) -> None:
    path = edited(tmp_path, CATALOGUE, "id: catalogue\n", "", "cat.yaml")
    assert "'id' is missing" in error_of(load_catalogue, path)
    old = '    label_en: "Low income"\n'
    text = error_of(load_catalogue, edited(tmp_path, CATALOGUE, old, "", "cat.yaml"))
    assert "'indicators.0[low_income].label_en' is missing" in text
    old, new = '    denominator: "1"', '    denominator: "  "'
    text = error_of(load_catalogue, edited(tmp_path, CATALOGUE, old, new, "cat.yaml"))
    assert "'indicators.0[low_income].denominator'" in text  # blank is missing too


# --- goals --------------------------------------------------------------------------------------


def test_shipped_goals_load() -> None:
    goals = load_goals(DEFAULT_GOALS)
    assert (goals.version, goals.baseline_year, goals.target_year) == (1, 2025, 2035)
    assert [s.id for s in goals.subgoals] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    assert [s.goal for s in goals.subgoals] == ["1", "1", "1", "2", "2", "2"]
    assert goals.life_table.ages == (0, 1, *range(5, 90, 5))
    assert (goals.life_table.period_years, goals.life_table.confidence) == (3, 0.95)
    kinds = {i.id: i.kind for i in goals.indicators}
    assert kinds["work_or_education"] == "extra" and kinds["life_expectancy"] == "life_table"
    noise = next(i for i in goals.indicators if i.id == "homes_affected_by_noise")
    assert (noise.direction, noise.unit, noise.subgoal) == ("higher_is_worse", "share", "2.1")
    assert all(i.target == {"gap_factor": 0.5} for i in goals.indicators)
    assert goals.indicators[0].target_gap(0.1) == pytest.approx(0.05)


def test_goals_typo_in_indicator_field(tmp_path: Path) -> None:
    old, new = '            label_da: "6.-klasse', '            lable_da: "6.-klasse'
    text = error_of(load_goals, edited(tmp_path, DEFAULT_GOALS, old, new, "g.yaml"))
    assert text.startswith("g.yaml: 1 error(s)")
    assert (
        "unknown key 'goals.0[1].subgoals.2[1.3].indicators.2[sixth_graders_in_clubs]"
        ".lable_da' (did you mean 'label_da'?)" in text
    )


@pytest.mark.parametrize(
    ("old", "new", "path", "near"),
    [
        ("\ntarget: {gap_factor", "\ntarget: {gap_facter", "target.gap_facter", "gap_factor"),
        ("  period_years: 3", "  period_year: 3", "life_table.period_year", "period_years"),
        ('source: "Politik for udsatte byområder 2025-2035, Mål 1, first',
         'sorce: "Politik for udsatte byområder 2025-2035, Mål 1, first',
         "goals.0[1].subgoals.0[1.1].sorce", "source"),
        ("{id: outside_labour, kind: catalogue}", "{id: outside_labour, knd: catalogue}",
         "goals.0[1].subgoals.0[1.1].indicators.1[outside_labour].knd", "kind"),
        ("    numerator: \"aktivitetsparat\"", "    numerater: \"aktivitetsparat\"",
         "extra_indicators.1[aktivitetsparat].numerater", "numerator"),
    ],
)  # fmt: skip
def test_goals_typo_names_path_and_nearest(tmp_path, old, new, path, near) -> None:
    text = error_of(load_goals, edited(tmp_path, DEFAULT_GOALS, old, new, "g.yaml"))
    assert text.startswith("g.yaml:")
    assert f"unknown key '{path}' (did you mean '{near}'?)" in text


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("{id: public_support, kind: catalogue}", "{id: public_support, kind: guess}",
         ["'goals.0[1].subgoals.0[1.1].indicators.2[public_support].kind'", "'guess'"]),
        ("direction: higher_is_better\n            source: \"the policy: 67",
         "direction: sideways\n            source: \"the policy: 67",
         [
             "'goals.0[1].subgoals.2[1.3].indicators.2[sixth_graders_in_clubs].direction'",
             "'sideways'",
         ]),
        ("\ntarget: {gap_factor: 0.5}", "\ntarget: {gap_factor: 0.5, gap: 0.01}",
         ["'target'", "{gap_factor: F} or {gap: G}"]),
        ("\ntarget: {gap_factor: 0.5}", "\ntarget: {gap_factor: yes}", ["'target.gap_factor'"]),
        ("  confidence: 0.95", "  confidence: 95", ["'life_table.confidence'", "95"]),
        ("  ages: [0, 1, 5,", "  ages: [1, 5,", ["'life_table.ages'", "from 0"]),
    ],
)  # fmt: skip
def test_goals_value_outside_closed_set(tmp_path, old, new, words) -> None:
    text = error_of(load_goals, edited(tmp_path, DEFAULT_GOALS, old, new, "g.yaml"))
    assert text.startswith("g.yaml: 1 error(s)")
    for word in words:
        assert word in text


def test_goals_missing_required_fields(tmp_path: Path) -> None:
    path = edited(tmp_path, DEFAULT_GOALS, "baseline_year: 2025", "", "g.yaml")
    assert "'baseline_year' is missing" in error_of(load_goals, path)
    old = '        label_en: "More people in work and education"\n'
    text = error_of(load_goals, edited(tmp_path, DEFAULT_GOALS, old, "", "g.yaml"))
    assert "'goals.0[1].subgoals.0[1.1].label_en' is missing" in text
    old = '            source: "green-area geodata; not in the data contract"\n'
    text = error_of(load_goals, edited(tmp_path, DEFAULT_GOALS, old, "", "g.yaml"))
    assert "'goals.1[2].subgoals.1[2.2].indicators.0[access_to_green_areas]'" in text
    assert "missing: source" in text


def test_goals_labels_only_for_no_data(tmp_path: Path) -> None:
    old, new = (
        "{id: outside_labour, kind: catalogue}",
        "{id: outside_labour, kind: catalogue, label_da: x}",
    )
    text = error_of(load_goals, edited(tmp_path, DEFAULT_GOALS, old, new, "g.yaml"))
    assert (
        "'goals.0[1].subgoals.0[1.1].indicators.1[outside_labour]'" in text
        and "no_data only" in text
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("{id: outside_labour, kind: catalogue}", "{id: nope, kind: catalogue}",
         "g.yaml: sub-goal 1.1, indicator 'nope': Unknown indicator 'nope'"),
        ("{id: work_or_education, kind: extra}", "{id: work_or_education, kind: catalogue}",
         "g.yaml: sub-goal 1.1, indicator 'work_or_education': kind: catalogue does not match "
         "where it is defined; write kind: extra"),
        ("{id: outside_labour, kind: catalogue}", "{id: unsafe_day, kind: catalogue}",
         "g.yaml: the indicators unsafe_day occur more than once"),
        ('- id: "1.2"', '- id: "1.1"', "g.yaml: the sub-goals 1.1 occur more than once"),
        ("target_year: 2035", "target_year: 2025",
         "g.yaml: baseline_year (2025) must come before target_year (2025)."),
        ("  - id: aktivitetsparat", "  - id: low_income",
         "g.yaml: extra_indicators: the ids low_income are already in the indicator catalogue."),
    ],
)  # fmt: skip
def test_goals_cross_references(tmp_path, old, new, expected) -> None:
    assert error_of(load_goals, edited(tmp_path, DEFAULT_GOALS, old, new, "g.yaml")).startswith(
        expected
    )
