"""The scenario files (tests/scenarios/statelists/*.yaml): every case holds under the shipped law.

The format is described in tests/scenarios/statelists/README.md; the models and the runner are in
tests/statelists_scenarios.py. tests/test_law_mutations.py runs the same cases under every
mutated law and requires each mutation to make at least one case fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from statelists_scenarios import (
    SCENARIO_DIR,
    iter_failures,
    load_file,
    loaded_cases,
    loaded_counted,
    run_cases,
    run_counted,
    scenario_paths,
)
from udsat.errors import UdsatError
from udsat.strict import load_model

PATHS = scenario_paths()


def test_the_scenario_folder_has_its_files() -> None:
    names = {p.name for p in PATHS}
    expected = {"rules_2013.yaml", "rules_2018.yaml", "rules_2021.yaml", "kombineret.yaml"}
    assert expected | {"published_facts.yaml", "populations.yaml"} <= names
    assert (SCENARIO_DIR / "README.md").is_file()


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_every_case_holds_under_the_shipped_law(path: Path) -> None:
    failures = run_cases(loaded_cases([path])) | run_counted(loaded_counted([path]))
    assert not failures, "\n".join(iter_failures(failures))


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_case_names_are_unique_in_a_file(path: Path) -> None:
    f = load_file(path)
    names = [c.name for c in f.cases] + [c.name for c in f.counted]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_every_era_has_cases() -> None:
    """2013 rules (2013-2017), 2018 rules (2018-2020), 2021 rules (2021-): each list year once."""
    years = {c.case.list_year for c in loaded_cases(PATHS)}
    assert set(range(2013, 2025)) <= years


SMALL = """\
title: t
safe: {residents: 2000, outside_pct: 10, outside_latest_pct: 10, convicted_pct: 0.05,
       national_convicted_pct: 0.1, basic_edu_pct: 20, income_pct_of_region: 90, nonwestern_pct: 10}
cases:
  - name: c
    list_year: 2024
    area: {outside_latest_pct: 40.0}
    expect:
      lists: {udsat: false, parallelsamfund: false, omdannelse: false, forebyggelse: false,
              kombineret: true}
      codes: [KOMBINERET, PEOPLE_MARGIN_ON_RESIDENTS]
"""


@pytest.mark.parametrize(
    ("typo", "named"),
    [
        (("    area:", "    aera:"), "cases.0.aera"),
        (("{outside_latest_pct:", "{outside_latest:"), "cases.0.area.outside_latest"),
        (("{udsat: false", "{udsta: false"), "cases.0.expect.lists.udsta"),
        (("[KOMBINERET,", "[KOMBINRET,"), "cases.0.expect.codes.0"),
        (("kombineret: true", "kombineret: yes please"), "cases.0.expect.lists.kombineret"),
        (("title: t", "title: t\nlaws: {}"), "laws"),
        (("    expect:", "    expected:"), "cases.0.expected"),
    ],
)
def test_a_typo_in_a_scenario_file_is_an_error(tmp_path: Path, typo, named: str) -> None:
    from statelists_scenarios import ScenarioFile

    good = tmp_path / "good.yaml"
    good.write_text(SMALL, encoding="utf-8")
    assert not run_cases(loaded_cases([good]))
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace(*typo), encoding="utf-8")
    with pytest.raises(UdsatError) as err:
        load_model(bad, ScenarioFile)
    assert named in str(err.value)


def test_the_runner_reports_a_wrong_expectation(tmp_path: Path) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(SMALL.replace("kombineret: true", "kombineret: false"), encoding="utf-8")
    failures = run_cases(loaded_cases([path]))
    messages = list(iter_failures(failures))
    assert any("kombineret: expected false, got true" in m for m in messages), messages
    path.write_text(SMALL.replace("40.0}", "40.0}\n    history: []"), encoding="utf-8")
    assert load_file(path).cases[0].history == ()
