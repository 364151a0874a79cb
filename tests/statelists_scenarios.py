"""Scenario files for the state's lists (tests/scenarios/statelists/*.yaml): models and runner.

A scenario file is written by a methodologist: the law's numbers it encodes (documentation only),
a 'safe' area, and cases (one area in one list year, optional published history, the expected
lists, reason codes and phrases of the Danish reason). `counted` cases say who the microdata mode
counts (a criterion's population, who has only grundskole). The README in that folder describes
the format. Files are read by udsat.strict.load_model: an unknown key is an error, not a no-op.

`run_cases` classifies many cases at once (one compute_lists call per list year, history and set
of people-base columns, so that no case can see another) and returns the failures per case; the
mutation test (tests/test_law_mutations.py) runs every case under every mutated law.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd
from pydantic import Field, field_validator, model_validator

from udsat.contract.schemas import EDUCATION_LEVELS
from udsat.statelists import compute_lists
from udsat.statelists.codes import Reason
from udsat.statelists.microdata import basic_edu_sql, population_sql
from udsat.statelists.rules import Law, ruleset_for_year
from udsat.strict import Strict, load_model

SCENARIO_DIR = Path(__file__).parent / "scenarios" / "statelists"
LIST_KEYS = ("udsat", "parallelsamfund", "omdannelse", "forebyggelse", "kombineret")
# Figures that may be given as a count of people ({count: 33, of: 1476}): value and people base.
SHARES = ("outside_pct", "outside_latest_pct", "convicted_pct", "basic_edu_pct", "nonwestern_pct")

Tri = bool | Literal["undecided"]
ListState = bool | Literal["undecided", "not_in_force"]
# The `law:` blocks: the law's numbers as plain text, e.g. {c1_outside: {udsat: "> 40 %"}}.
LawText = dict[str, str | dict[str, str]]
HistoryList = Literal[
    "ghetto_2013rules", "ghetto", "parallelsamfund", "udsat", "omdannelse", "forebyggelse"
]


class Count(Strict):
    """A share written as people: `count` of `of` (the value is 100 * count / of %, the people
    base `<figure>_base` is `of`)."""

    count: int
    of: int


Share = float | Count | None


class Safe(Strict):
    """The file's 'safe' area: every figure a case row does not write (all required)."""

    residents: int
    outside_pct: float
    outside_latest_pct: float
    convicted_pct: float
    national_convicted_pct: float
    basic_edu_pct: float
    income_pct_of_region: float
    nonwestern_pct: float


class Area(Strict):
    """One area row: the figures that matter. A figure not written comes from `safe`; a figure
    written as null (~) is unknown (missing in the data)."""

    name: str = "Testparken"
    municipality: str = "Testkommune"
    residents: int | None = None
    outside_pct: Share = None
    outside_latest_pct: Share = None
    convicted_pct: Share = None
    national_convicted_pct: float | None = None
    basic_edu_pct: Share = None
    income_pct_of_region: float | None = None
    nonwestern_pct: Share = None


class HistoryRow(Strict):
    """A published list of an earlier year (area_name defaults to the case's area)."""

    year: int
    list: HistoryList
    area_name: str | None = None


class Lists(Strict):
    """The expected state of every list (all five must be written)."""

    udsat: ListState
    parallelsamfund: ListState
    omdannelse: ListState
    forebyggelse: ListState
    kombineret: ListState


class Expect(Strict):
    lists: Lists
    codes: tuple[Reason, ...]  # the exact set of reason codes, less the file's ignore_codes
    # <criterion>[_fb|_ku] -> met (the output column <key>_met)
    met: dict[str, Tri] = Field(default_factory=dict)
    reasons_contain: tuple[str, ...] = ()  # phrases the Danish reason sentence must contain


class Case(Strict):
    name: str
    list_year: int
    law: LawText | str | None = None  # documentation only
    source: str | None = None  # documentation only: where a published fact comes from
    note: str | None = None  # documentation only
    area: Area = Area()
    history: tuple[HistoryRow, ...] = ()
    expect: Expect


class Person(Strict):
    age: int
    taxpayer: bool = True
    in_education: bool = False
    education_level: str | None = None
    education_danish_approved: bool | None = None
    counted: bool

    @field_validator("education_level")
    @classmethod
    def _level(cls, value: str | None) -> str | None:
        if value is not None and value not in EDUCATION_LEVELS:
            raise ValueError(f"education_level must be one of {list(EDUCATION_LEVELS)}")
        return value


class Counted(Strict):
    """Who the microdata mode counts: `population` of a criterion, or who has `basic_education`
    (only grundskole, criterion 3's numerator)."""

    name: str
    list_year: int
    who: Literal["population", "basic_education"]
    criterion: str | None = None
    law: LawText | str | None = None  # documentation only
    people: tuple[Person, ...]

    @model_validator(mode="after")
    def _criterion(self) -> Counted:
        if (self.who == "population") != (self.criterion is not None):
            raise ValueError("criterion is needed for (and only for) who: population")
        return self


class ScenarioFile(Strict):
    title: str
    description: str | None = None
    source: str | None = None
    law: LawText = Field(default_factory=dict)  # documentation only: never read by the runner
    safe: Safe | None = None
    ignore_codes: tuple[Reason, ...] = ()
    cases: tuple[Case, ...] = ()
    counted: tuple[Counted, ...] = ()

    @model_validator(mode="after")
    def _content(self) -> ScenarioFile:
        if not self.cases and not self.counted:
            raise ValueError("a scenario file needs cases or counted")
        if self.cases and self.safe is None:
            raise ValueError("cases need the file's safe area")
        return self


@dataclass(frozen=True)
class Loaded:
    """One case of one file, with its place (`file#index`) and the file's context."""

    where: str
    case: Case
    safe: Safe
    ignore_codes: frozenset[str]

    @property
    def tag(self) -> str:
        return f"{self.where} {self.case.name}"


@dataclass(frozen=True)
class LoadedCounted:
    where: str
    counted: Counted

    @property
    def tag(self) -> str:
        return f"{self.where} {self.counted.name}"


def scenario_paths() -> list[Path]:
    return sorted(SCENARIO_DIR.glob("*.yaml"))


@cache
def load_file(path: Path) -> ScenarioFile:
    return load_model(path, ScenarioFile)


def loaded_cases(paths: Iterable[Path]) -> list[Loaded]:
    out: list[Loaded] = []
    for path in paths:
        f = load_file(path)
        assert f.safe is not None or not f.cases
        for i, case in enumerate(f.cases):
            ignore = frozenset(str(c) for c in f.ignore_codes)
            out.append(Loaded(f"{path.stem}#{i + 1}", case, f.safe, ignore))  # type: ignore[arg-type]
    return out


def loaded_counted(paths: Iterable[Path]) -> list[LoadedCounted]:
    return [
        LoadedCounted(f"{path.stem}#counted{i + 1}", c)
        for path in paths
        for i, c in enumerate(load_file(path).counted)
    ]


def _figures(case: Loaded) -> dict[str, float | int | str]:
    """The case's figure row: safe values, overridden by what the case writes."""
    area = case.case.area
    row: dict[str, float | int | str] = {
        "list_year": case.case.list_year,
        "area_id": case.where,
        "area_name": _name(area.name, case.where),
        "municipality": area.municipality,
    }
    for column in Safe.model_fields:
        given = column in area.model_fields_set
        value = getattr(area, column) if given else getattr(case.safe, column)
        if isinstance(value, Count):
            row[column] = 100.0 * value.count / value.of
            row[column.removesuffix("_pct") + "_base"] = value.of
        else:
            row[column] = math.nan if value is None else value
    return row


def _name(name: str, where: str) -> str:
    """Area names are made unique per case, so cases run together cannot share a history."""
    return f"{name} [{where}]"


def _history(case: Loaded) -> list[dict[str, int | str]]:
    return [
        {
            "year": h.year,
            "area_name": _name(h.area_name or case.case.area.name, case.where),
            "list": h.list,
        }
        for h in case.case.history
    ]


def batches(cases: list[Loaded]) -> dict[tuple, list[tuple[Loaded, dict]]]:
    """Cases that can be classified in one call: same list year, same history years (the look-back
    treats a year present in the history as known for every area) and the same people-base
    columns (their presence changes the margins and codes of every row)."""
    out: dict[tuple, list[tuple[Loaded, dict]]] = {}
    for case in cases:
        row = _figures(case)
        bases = tuple(sorted(c for c in row if c.endswith("_base")))
        years = tuple(sorted({h.year for h in case.case.history}))
        out.setdefault((case.case.list_year, years, bases), []).append((case, row))
    return out


def _state(value: object, reference: object) -> str:
    if value is pd.NA or value is None or (isinstance(value, float) and math.isnan(value)):
        return "not_in_force" if reference == "" else "undecided"
    return "true" if bool(value) else "false"


def _tri(value: object) -> str:
    if value is pd.NA or value is None or (isinstance(value, float) and math.isnan(value)):
        return "undecided"
    return "true" if bool(value) else "false"


def _text(expected: bool | str) -> str:
    return str(expected).lower() if isinstance(expected, bool) else expected


def check_row(case: Loaded, row: pd.Series) -> list[str]:
    """Every difference between the case's expectations and its output row."""
    exp = case.case.expect
    problems: list[str] = []
    for key in LIST_KEYS:
        want = _text(getattr(exp.lists, key))
        got = _state(row[key], row[f"{key}_reference"])
        if want != got:
            problems.append(f"{key}: expected {want}, got {got}")
    got_codes = set(str(row["reason_codes"]).split(";")) - {""} - case.ignore_codes
    want_codes = {str(c) for c in exp.codes} - case.ignore_codes
    if got_codes != want_codes:
        problems.append(f"codes: expected {sorted(want_codes)}, got {sorted(got_codes)}")
    for key, want_met in exp.met.items():
        column = f"{key}_met"
        if column not in row:
            problems.append(f"met: no column {column}")
        elif _tri(row[column]) != _text(want_met):
            problems.append(f"{column}: expected {_text(want_met)}, got {_tri(row[column])}")
    for phrase in exp.reasons_contain:
        if phrase not in str(row["reasons"]):
            problems.append(f"reasons lack {phrase!r}: {row['reasons']}")
    return problems


def run_cases(
    cases: list[Loaded], law_: Law | None = None, stop_at_first: bool = False
) -> dict[str, list[str]]:
    """Failures per case tag (an empty dict: every case holds)."""
    failures: dict[str, list[str]] = {}
    for (_, years, _), members in batches(cases).items():
        figures = pd.DataFrame([row for _, row in members])
        history_rows = [h for case, _ in members for h in _history(case)]
        history = pd.DataFrame(history_rows) if years else None
        out = compute_lists(figures, history, law_=law_)
        rows = {str(row["area_id"]): row for _, row in out.iterrows()}
        for case, _ in members:
            problems = check_row(case, rows[case.where])
            if problems:
                failures[case.tag] = problems
                if stop_at_first:
                    return failures
    return failures


def _people_frame(people: tuple[Person, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "age": pd.array([p.age for p in people], dtype="Int64"),
            "taxpayer": pd.array([p.taxpayer for p in people], dtype="boolean"),
            "in_education": pd.array([p.in_education for p in people], dtype="boolean"),
            "education_level": pd.array([p.education_level for p in people], dtype="string"),
            "education_danish_approved": pd.array(
                [p.education_danish_approved for p in people], dtype="boolean"
            ),
        }
    )


def counted_by_law(
    item: Counted, law_: Law | None = None, con: duckdb.DuckDBPyConnection | None = None
) -> list[bool]:
    """Whether the microdata mode counts each person of `item` under the law."""
    rs = ruleset_for_year(item.list_year, law_)
    if item.who == "population":
        assert item.criterion is not None
        crit = rs.criteria.get(item.criterion)
        if crit is None:
            raise KeyError(f"no criterion {item.criterion} in list year {item.list_year}")
        condition = population_sql(crit)
    else:
        condition = basic_edu_sql(rs)
    own = con is None
    db = duckdb.connect() if con is None else con
    try:
        db.register("people", _people_frame(item.people))
        rows = db.execute(f"SELECT coalesce({condition}, FALSE) FROM people").fetchall()
        db.unregister("people")
    finally:
        if own:
            db.close()
    return [bool(r[0]) for r in rows]


def run_counted(
    items: list[LoadedCounted], law_: Law | None = None, stop_at_first: bool = False
) -> dict[str, list[str]]:
    """Failures per counted case (an empty dict: every person is counted as expected)."""
    failures: dict[str, list[str]] = {}
    con = duckdb.connect()
    try:
        for item in items:
            problems = _check_counted(item, law_, con)
            if problems:
                failures[item.tag] = problems
                if stop_at_first:
                    break
    finally:
        con.close()
    return failures


def _check_counted(
    item: LoadedCounted, law_: Law | None, con: duckdb.DuckDBPyConnection
) -> list[str]:
    try:
        got = counted_by_law(item.counted, law_, con)
    except KeyError as exc:
        return [str(exc)]
    return [
        f"person {i + 1} ({_person(p)}): expected counted={p.counted}, got {g}"
        for i, (p, g) in enumerate(zip(item.counted.people, got, strict=True))
        if p.counted != g
    ]


def _person(p: Person) -> str:
    fields = p.model_dump(exclude={"counted"}, exclude_defaults=True)
    return ", ".join(f"{k}={v}" for k, v in {"age": p.age, **fields}.items())


def iter_failures(failures: dict[str, list[str]]) -> Iterator[str]:
    for tag, problems in failures.items():
        for problem in problems:
            yield f"{tag}: {problem}"
