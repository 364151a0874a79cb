"""Mutation test of the law file: every statutory value, changed, must make a scenario case fail.

The shipped law (src/udsat/statelists/law/almenboligloven.yaml) is read as plain YAML and walked;
for every statutory value found (thresholds at every date: value, operator and the from_residents
rule; the residents' minimum; every list's min_met and look-back years; the populations' ages and
flags; the boolean settings) a mutated copy is built with rules.law_from_mapping and every
scenario case (tests/scenarios/statelists/*.yaml) is run under it. A mutant is killed when a case
fails or when the law's own schema rejects the copy. Survivors are named in the failure message.

The walk is generic: a value added to the law file later is mutated by the same rules, and a
number, flag or operator that no rule covers (neither mutated nor explicitly ignored below, with
the reason) fails test_every_value_of_the_law_is_mutated_or_explained.
"""

from __future__ import annotations

import copy
import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import pytest

from statelists_scenarios import (
    Loaded,
    LoadedCounted,
    loaded_cases,
    loaded_counted,
    run_cases,
    run_counted,
    scenario_paths,
)
from udsat.errors import UdsatError
from udsat.statelists.rules import LAW_PATH, Law, law_from_mapping
from udsat.strict import read_yaml

Key = str | int | dt.date
Path = tuple[Key, ...]
YAMLValue = object

FLIP = {">": ">=", ">=": ">", "<": "<=", "<=": "<"}
# Numbers whose name says what they are: changed by +1 and -1 (ages by one year).
INTEGERS = ("min_met", "years", "min_age", "max_age")
# Population flags: flipped.
FLAGS = ("taxpayers_only", "exclude_in_education")

# Leaves that are numbers, flags or operators but not statutory values a mutation should change,
# each with the reason. Matched on any key of the leaf's path.
IGNORED: dict[str, str] = {
    "version": "the law file's version number (a bookkeeping value, not a value of the law)",
    "reference": "citations (paragraph, stk., nr.): text of the reasons, not a decision",
    "allowed": "the set of values a setting may take, not the value in force",
    "ethnicity": "marks which criterion is E (the file's structure, not a value of the law)",
    "row_years": (
        "which calendar years' microdata rows a 2-year criterion reads (data timing): only the "
        "microdata mode reads it, from person rows; the figures-level scenarios cannot see it "
        "(tests/test_statelists_microdata.py checks the timing against known truth)"
    ),
}

# Mutants that survive every scenario because no list decision can depend on them, with the
# reason. Each must really survive (a stale entry fails the test). Empty: every mutant is killed.
SURVIVES: dict[str, str] = {}


@dataclass(frozen=True)
class Mutant:
    path: Path  # where the change is made
    old: YAMLValue
    new: YAMLValue
    kind: str  # the rule that made it

    @property
    def label(self) -> str:
        where = ".".join(k.isoformat() if isinstance(k, dt.date) else str(k) for k in self.path)
        return f"{where}: {self.old!r} -> {self.new!r}"

    def apply(self, raw: dict) -> dict:
        out = copy.deepcopy(raw)
        node = out
        for key in self.path[:-1]:
            node = node[key]
        node[self.path[-1]] = self.new
        return out


def _leaves(node: YAMLValue, path: Path = ()) -> Iterator[tuple[Path, YAMLValue]]:
    """Every (path, value) of the YAML tree: mappings and sequences are walked, the rest yielded."""
    if isinstance(node, dict):
        if path and path[-1] == "from_residents":
            yield path, node  # a rule of its own (residents -> threshold), handled whole
            return
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))
    else:
        yield path, node


def _number(value: YAMLValue) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _plus_minus(value: int | float) -> list[int | float]:
    return [value + 1, value - 1]


Rule = Callable[[Path, YAMLValue], list[YAMLValue] | None]


def _threshold_value(path: Path, value: YAMLValue) -> list[YAMLValue] | None:
    in_threshold = "thresholds" in path or path[:1] == ("min_residents",)
    if path[-1] == "value" and in_threshold and _number(value):
        return list(_plus_minus(value))  # type: ignore[arg-type]
    return None


def _operator(path: Path, value: YAMLValue) -> list[YAMLValue] | None:
    return [FLIP[value]] if path[-1] == "operator" and value in FLIP else None


def _integer(path: Path, value: YAMLValue) -> list[YAMLValue] | None:
    if path[-1] in INTEGERS and _number(value):
        return list(_plus_minus(value))  # type: ignore[arg-type]
    return None


def _flag(path: Path, value: YAMLValue) -> list[YAMLValue] | None:
    return [not value] if path[-1] in FLAGS and isinstance(value, bool) else None


def _setting_flag(path: Path, value: YAMLValue) -> list[YAMLValue] | None:
    """A boolean setting's value at a date (settings.<name>.values.<date>.value)."""
    is_setting = path[:1] == ("settings",) and path[-1] == "value" and "values" in path
    return [not value] if is_setting and isinstance(value, bool) else None


def _from_residents(path: Path, value: YAMLValue) -> list[YAMLValue] | None:
    """{5000: 30.0}: each residents' limit and each threshold, +1 and -1."""
    if path[-1] != "from_residents" or not isinstance(value, dict):
        return None
    out: list[YAMLValue] = []
    for limit, threshold in value.items():
        for new_limit in _plus_minus(limit):
            out.append({**{k: v for k, v in value.items() if k != limit}, new_limit: threshold})
        for new_threshold in _plus_minus(threshold):
            out.append({**value, limit: new_threshold})
    return out


RULES: dict[str, Rule] = {
    "threshold value": _threshold_value,
    "operator": _operator,
    "from_residents": _from_residents,
    "integer": _integer,
    "population flag": _flag,
    "setting flag": _setting_flag,
}


def _needs_a_rule(path: Path, value: YAMLValue) -> bool:
    """Numbers, flags and operators are the values that decide lists; strings (names, units,
    labels, codes) are checked by the law's schema."""
    return _number(value) or isinstance(value, bool | dict) or value in FLIP


def mutants(raw: dict) -> tuple[list[Mutant], list[str]]:
    """Every mutant of the law, and the leaves no rule covers (should be none)."""
    found: list[Mutant] = []
    uncovered: list[str] = []
    for path, value in _leaves(raw):
        if any(str(k) in IGNORED for k in path):
            continue
        made = False
        for kind, rule in RULES.items():
            for new in rule(path, value) or []:
                found.append(Mutant(path, value, new, kind))
                made = True
        if not made and _needs_a_rule(path, value):
            uncovered.append(Mutant(path, value, value, "").label)
    return found, uncovered


def _read_law() -> dict:
    raw = read_yaml(LAW_PATH)
    assert isinstance(raw, dict)
    return raw


RAW = _read_law()
MUTANTS, UNCOVERED = mutants(RAW)
PATHS = scenario_paths()


def _bare(law_: Law, year: int) -> object:
    return replace(law_.ruleset_for_year(year), variant=())


def changed_years(mutated: Law, shipped: Law, years: set[int]) -> set[int]:
    """The list years whose rules the mutation changed: only their cases can tell. (Skipping the
    other years can only let a mutant survive, never kill one.)"""
    return {y for y in years if _bare(mutated, y) != _bare(shipped, y)}


@dataclass
class Outcome:
    killed_by_case: dict[str, str]
    rejected: dict[str, str]
    survived: list[str]


def run_mutants(found: list[Mutant], cases: list[Loaded], counted: list[LoadedCounted]) -> Outcome:
    shipped = law_from_mapping(copy.deepcopy(RAW), "mutated.yaml")
    years = {c.case.list_year for c in cases} | {c.counted.list_year for c in counted}
    outcome = Outcome({}, {}, [])
    for mutant in found:
        try:
            mutated = law_from_mapping(mutant.apply(RAW), "mutated.yaml")
        except UdsatError as exc:
            outcome.rejected[mutant.label] = str(exc).splitlines()[-1].strip()
            continue
        seen = changed_years(mutated, shipped, years)
        mine = [c for c in counted if c.counted.list_year in seen]
        failures = run_counted(mine, mutated, stop_at_first=True)
        if not failures:
            by_year = [c for c in cases if c.case.list_year in seen]
            failures = run_cases(by_year, mutated, stop_at_first=True)
        if failures:
            tag, problems = next(iter(failures.items()))
            outcome.killed_by_case[mutant.label] = f"{tag}: {problems[0]}"
        else:
            outcome.survived.append(mutant.label)
    return outcome


def test_every_value_of_the_law_is_mutated_or_explained() -> None:
    assert not UNCOVERED, (
        "values of the law file no mutation rule covers (add a rule, or an IGNORED entry with "
        "the reason):\n  " + "\n  ".join(UNCOVERED)
    )
    kinds = {m.kind for m in MUTANTS}
    assert kinds == set(RULES), f"rules that found nothing to mutate: {set(RULES) - kinds}"


def test_the_unmutated_copy_passes_every_case() -> None:
    """Otherwise every mutant would be 'killed' for nothing."""
    law_ = law_from_mapping(copy.deepcopy(RAW), "mutated.yaml")
    assert not run_cases(loaded_cases(PATHS), law_)
    assert not run_counted(loaded_counted(PATHS), law_)


@pytest.mark.slow
def test_every_mutant_of_the_law_is_killed_by_a_scenario() -> None:
    start = time.perf_counter()
    outcome = run_mutants(MUTANTS, loaded_cases(PATHS), loaded_counted(PATHS))
    seconds = time.perf_counter() - start
    print(
        f"\n{len(MUTANTS)} mutants: {len(outcome.killed_by_case)} killed by a scenario case, "
        f"{len(outcome.rejected)} rejected by the law's schema, {len(outcome.survived)} survived "
        f"({seconds:.1f} s)"
    )
    for label, why in outcome.rejected.items():
        print(f"  rejected {label}: {why}")
    stale = sorted(set(SURVIVES) - set(outcome.survived))
    assert not stale, f"SURVIVES entries that no longer survive (remove them): {stale}"
    unexplained = [s for s in outcome.survived if s not in SURVIVES]
    assert not unexplained, (
        f"{len(unexplained)} mutant(s) of the law survived every scenario (add the case that "
        "tells, or list the mutant in SURVIVES with the reason):\n  " + "\n  ".join(unexplained)
    )
