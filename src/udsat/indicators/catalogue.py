"""The indicator catalogue as typed data, validated on load.

catalogue = load_catalogue()              # the packaged catalogue.yaml
catalogue.get("low_income").numerator     # SQL over the persons columns

Validation names the file, the indicator and the field: unknown criterion, source, direction or
unit, duplicate ids, missing fields, bad age groups, and SQL that does not bind to the contract's
columns (an unknown column, a type error), checked by DuckDB against empty tables of the
contract's schema.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
import yaml

from udsat.contract.schemas import PERSONS, SURVEY, Kind, TableSchema
from udsat.errors import UdsatError
from udsat.indicators.messages import say

DEFAULT_PATH = Path(__file__).parent / "catalogue.yaml"
CRITERIA = ("income", "education", "labour", "youth", "health", "safety")
SOURCES = ("register", "survey")
DIRECTIONS = ("higher_is_worse", "higher_is_better")
UNITS = ("share",)
FIELDS = (
    "id",
    "criterion",
    "label_da",
    "label_en",
    "definition_da",
    "definition_en",
    "population",
    "numerator",
    "denominator",
    "source",
    "direction",
    "unit",
    "reference",
)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
NAME = re.compile(r"[a-z][a-z0-9_]*")
SQL_TYPES = {Kind.STRING: "VARCHAR", Kind.INT: "BIGINT", Kind.FLOAT: "DOUBLE", Kind.BOOL: "BOOLEAN"}


@dataclass(frozen=True)
class Standardise:
    """Direct standardisation strata: age groups [a_i, a_{i+1}) (last open) x sex."""

    age_groups: tuple[int, ...]
    by_sex: bool = True

    def strata(self) -> list[tuple[str, str]]:
        """(name, SQL predicate over a persons row) of every stratum, in a fixed order."""
        edges = self.age_groups
        ages = []
        for i, low in enumerate(edges):
            if i + 1 < len(edges):
                ages.append(
                    (f"a{low}_{edges[i + 1] - 1}", f"age >= {low} AND age < {edges[i + 1]}")
                )
            else:
                ages.append((f"a{low}plus", f"age >= {low}"))
        if not self.by_sex:
            return ages
        return [(f"{n}_{s}", f"{p} AND sex = '{s}'") for n, p in ages for s in ("m", "f")]


@dataclass(frozen=True)
class Indicator:
    id: str
    criterion: str
    label_da: str
    label_en: str
    definition_da: str
    definition_en: str
    population: str
    numerator: str
    denominator: str
    source: str
    direction: str
    unit: str
    reference: str
    screening: bool = True
    standardise: Standardise | None = None

    def label(self, lang: str) -> str:
        return self.label_da if lang == "da" else self.label_en


@dataclass(frozen=True)
class Reference:
    """A number per year computed over every person of the data (e.g. a median income)."""

    name: str
    sql: str
    description: str


@dataclass(frozen=True)
class Catalogue:
    id: str
    version: int
    path: Path
    criteria: dict[str, dict[str, str]]
    derived: dict[str, str]
    households: dict[str, str]
    references: dict[str, Reference]
    indicators: tuple[Indicator, ...]

    def get(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        known = ", ".join(i.id for i in self.indicators)
        raise UdsatError(say("unknown_indicator", name=indicator_id, known=known))

    def select(self, ids: Sequence[str] | None) -> tuple[Indicator, ...]:
        """The indicators named (in the catalogue's order), or all when `ids` is None."""
        if ids is None:
            return self.indicators
        wanted = [self.get(i).id for i in ids]
        return tuple(i for i in self.indicators if i.id in wanted)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and validate a catalogue (default: the packaged catalogue.yaml)."""
    path = Path(path) if path else DEFAULT_PATH
    if path == DEFAULT_PATH:
        return _default()
    return _load(path)


@cache
def _default() -> Catalogue:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> Catalogue:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError, RecursionError) as exc:  # ValueError: dates
        raise UdsatError(say("cat_unreadable", path=path, error=exc)) from exc
    if not isinstance(data, dict):
        raise UdsatError(say("cat_unreadable", path=path, error="not a mapping"))
    try:
        catalogue = _parse(path, data)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        # wrong shapes (a list where a mapping belongs, a text version, ...)
        error = f"{type(exc).__name__}: {exc}"
        raise UdsatError(say("cat_unreadable", path=path, error=error)) from exc
    _check_ids(catalogue)
    check_sql(catalogue)
    return catalogue


def _parse(path: Path, data: dict[str, Any]) -> Catalogue:
    for key in ("id", "version", "indicators"):
        if key not in data:
            raise UdsatError(say("cat_top_field", path=path, field=key))
    references = {
        name: Reference(name, str(spec["sql"]), str(spec.get("description", "")))
        for name, spec in (data.get("references") or {}).items()
    }
    catalogue = Catalogue(
        id=str(data["id"]),
        version=int(data["version"]),
        path=path,
        criteria=dict(data.get("criteria") or {c: {} for c in CRITERIA}),
        derived={str(k): str(v) for k, v in (data.get("derived") or {}).items()},
        households={str(k): str(v) for k, v in (data.get("households") or {}).items()},
        references=references,
        indicators=tuple(parse_indicator(path, raw, references) for raw in data["indicators"]),
    )
    _check_sql_text(catalogue)
    return catalogue


def parse_indicator(path: Path, raw: dict[str, Any], references: dict[str, Reference]) -> Indicator:
    name = raw.get("id", "?") if isinstance(raw, dict) else "?"
    for key in FIELDS:
        if not isinstance(raw, dict) or raw.get(key) in (None, ""):
            raise UdsatError(say("cat_missing_field", path=path, indicator=name, field=key))
    allowed = {"criterion": CRITERIA, "source": SOURCES, "direction": DIRECTIONS, "unit": UNITS}
    for key, values in allowed.items():
        if raw[key] not in values:
            raise UdsatError(
                say(
                    "cat_bad_value",
                    path=path,
                    indicator=name,
                    field=key,
                    value=raw[key],
                    allowed=", ".join(values),
                )
            )
    for key in ("population", "numerator", "denominator"):
        for ref in PLACEHOLDER.findall(str(raw[key])):
            if ref not in references or raw["source"] != "register":
                known = ", ".join(references) if raw["source"] == "register" else "-"
                raise UdsatError(
                    say("cat_unknown_reference", path=path, indicator=name, name=ref, known=known)
                )
    std = _standardise(path, name, raw)
    fields = {key: str(raw[key]).strip() for key in FIELDS}
    return Indicator(**fields, screening=bool(raw.get("screening", True)), standardise=std)


def _standardise(path: Path, name: str, raw: dict[str, Any]) -> Standardise | None:
    spec = raw.get("standardise")
    if spec is None:
        return None
    if raw["source"] != "register":
        raise UdsatError(say("cat_survey_standardise", path=path, indicator=name))
    groups = spec.get("age_groups") if isinstance(spec, dict) else None
    if not (
        isinstance(groups, list)
        and groups
        and all(isinstance(g, int) and not isinstance(g, bool) for g in groups)
        and groups[0] == 0
        and all(b > a for a, b in pairwise(groups))
    ):
        raise UdsatError(say("cat_bad_groups", path=path, indicator=name, value=groups))
    return Standardise(tuple(groups), bool(spec.get("by_sex", True)))


def _check_sql_text(catalogue: Catalogue) -> None:
    """Names become SQL identifiers and snippets parts of one statement: no quotes in names,
    no statement separators in snippets."""
    names = [*catalogue.derived, *catalogue.households, *catalogue.references]
    names += [i.id for i in catalogue.indicators]
    for name in names:
        if not NAME.fullmatch(name):
            raise UdsatError(say("cat_bad_name", path=catalogue.path, name=name))
    snippets = [("derived", sql) for sql in catalogue.derived.values()]
    snippets += [("households", sql) for sql in catalogue.households.values()]
    snippets += [("references", r.sql) for r in catalogue.references.values()]
    snippets += [
        (i.id, sql)
        for i in catalogue.indicators
        for sql in (i.population, i.numerator, i.denominator)
    ]
    for where, sql in snippets:
        if ";" in sql:
            raise UdsatError(say("cat_semicolon", path=catalogue.path, indicator=where, sql=sql))


def _check_ids(catalogue: Catalogue) -> None:
    seen: set[str] = set()
    for ind in catalogue.indicators:
        if ind.id in seen:
            raise UdsatError(say("cat_duplicate", path=catalogue.path, indicator=ind.id))
        seen.add(ind.id)


def fill_references(sql: str, prefix: str = "ref.") -> str:
    """`{name}` placeholders as column references of the per-year reference row."""
    return PLACEHOLDER.sub(lambda m: f'{prefix}"{m.group(1)}"', sql)


def _empty_table(con: duckdb.DuckDBPyConnection, name: str, schema: TableSchema) -> None:
    columns = ", ".join(f'"{c.name}" {SQL_TYPES[c.kind]}' for c in schema.columns)
    con.execute(f'CREATE TABLE "{name}" ({columns})')


def check_sql(catalogue: Catalogue) -> None:
    """Bind every SQL snippet of the catalogue against empty persons / survey tables."""
    con = duckdb.connect()
    try:
        _empty_table(con, "persons", PERSONS)
        _empty_table(con, "survey", SURVEY)
        households = "".join(f', ({sql}) AS "{n}"' for n, sql in catalogue.households.items())
        create_h = f"CREATE VIEW h AS SELECT household_id{households} FROM persons GROUP BY 1"
        _bind(con, catalogue, "households", "persons", create_h)
        derived = "".join(f', ({sql}) AS "{n}"' for n, sql in catalogue.derived.items())
        _bind(
            con,
            catalogue,
            "derived",
            "persons",
            f"CREATE VIEW d AS SELECT *{derived} FROM persons LEFT JOIN h USING (household_id)",
        )
        refs = ", ".join(f'({r.sql}) AS "{r.name}"' for r in catalogue.references.values())
        create_ref = f"CREATE VIEW ref AS SELECT {refs or '1 AS _none'} FROM d"
        _bind(con, catalogue, "references", "persons", create_ref)
        for ind in catalogue.indicators:
            table = "d, ref" if ind.source == "register" else "survey"
            for key in ("population", "numerator", "denominator"):
                sql = fill_references(getattr(ind, key))
                test = f"SELECT CAST(({sql}) AS DOUBLE) FROM {table}"
                if key == "population":
                    test = f"SELECT count(*) FILTER (WHERE {sql}) FROM {table}"
                _bind(con, catalogue, ind.id, ind.source, test, key, getattr(ind, key))
    finally:
        con.close()


def _bind(
    con: duckdb.DuckDBPyConnection,
    catalogue: Catalogue,
    indicator: str,
    table: str,
    sql: str,
    field: str = "sql",
    shown: str | None = None,
) -> None:
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        table = "persons" if table == "register" else table
        raise UdsatError(
            say(
                "cat_bad_sql",
                path=catalogue.path,
                indicator=indicator,
                field=field,
                sql=shown or sql,
                table=table,
                error=str(exc).splitlines()[0],
            )
        ) from exc
