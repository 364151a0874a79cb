"""The indicator catalogue as typed data, validated on load.

catalogue = load_catalogue()              # the packaged catalogue.yaml
catalogue.get("low_income").numerator     # SQL over the persons columns

The file's schema is `CatalogueFile` and `Indicator` (udsat.strict models): unknown keys, missing
fields, a criterion, source, direction or unit outside its closed set, bad names and age groups
are errors naming the file and the key. Then the rules between keys (check_indicators: unique ids,
known reference values, standardisation of register data only) and the SQL, which must bind to
the contract's columns (an unknown column, a type error), checked by DuckDB against empty tables
of the contract's schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Literal, get_args

import duckdb
from pydantic import AfterValidator, ConfigDict, Field, StrictInt, StringConstraints

from udsat.contract.schemas import PERSONS, SURVEY, Kind, TableSchema
from udsat.errors import UdsatError
from udsat.indicators.messages import say
from udsat.strict import Strict, load_model

DEFAULT_PATH = Path(__file__).parent / "catalogue.yaml"
Criterion = Literal["income", "education", "labour", "youth", "health", "safety"]
Source = Literal["register", "survey"]
Direction = Literal["higher_is_worse", "higher_is_better"]
Unit = Literal["share"]
CRITERIA: tuple[Criterion, ...] = get_args(Criterion)
SOURCES: tuple[str, ...] = get_args(Source)
DIRECTIONS: tuple[str, ...] = get_args(Direction)
UNITS: tuple[str, ...] = get_args(Unit)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
SQL_TYPES = {Kind.STRING: "VARCHAR", Kind.INT: "BIGINT", Kind.FLOAT: "DOUBLE", Kind.BOOL: "BOOLEAN"}


def _one_expression(sql: str) -> str:
    if ";" in sql:
        raise ValueError("an SQL expression must not contain ';'")
    return sql


def _from_zero_increasing(groups: tuple[int, ...]) -> tuple[int, ...]:
    if not groups or groups[0] != 0 or any(b <= a for a, b in pairwise(groups)):
        raise ValueError("must be increasing whole numbers from 0")
    return groups


# Names become SQL identifiers: lower-case letters, digits and _ (e.g. low_income).
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
# SQL text: one expression (no statement separator), never empty.
Sql = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_one_expression)
]


class Standardise(Strict):
    """Direct standardisation strata: age groups [a_i, a_{i+1}) (last open) x sex."""

    age_groups: Annotated[tuple[StrictInt, ...], AfterValidator(_from_zero_increasing)]
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


class Indicator(Strict):
    """One indicator as the catalogue (or goals.yaml's extra_indicators) defines it. Every text
    is stripped and must not be empty; a number given for a text (e.g. denominator: 1) is read
    as text."""

    model_config = ConfigDict(
        coerce_numbers_to_str=True, str_strip_whitespace=True, str_min_length=1
    )

    id: Name
    criterion: Criterion
    label_da: str
    label_en: str
    definition_da: str
    definition_en: str
    population: Sql
    numerator: Sql
    denominator: Sql
    source: Source
    direction: Direction
    unit: Unit
    reference: str
    screening: bool = True
    standardise: Standardise | None = None

    def label(self, lang: str) -> str:
        return self.label_da if lang == "da" else self.label_en


class CriterionLabels(Strict):
    label_da: str
    label_en: str


class ReferenceSpec(Strict):
    sql: Sql
    description: str = ""


class CatalogueFile(Strict):
    """The whole catalogue.yaml. The title and the sources describe the file; no code reads
    them."""

    id: str
    version: int
    title_da: str | None = None
    title_en: str | None = None
    sources: tuple[str, ...] = ()
    criteria: dict[Criterion, CriterionLabels] = Field(default_factory=dict)
    derived: dict[Name, Sql] = Field(default_factory=dict)
    households: dict[Name, Sql] = Field(default_factory=dict)
    references: dict[Name, ReferenceSpec] = Field(default_factory=dict)
    indicators: tuple[Indicator, ...]


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


LAW_BENEFITS = "{law.outside_benefits}"


def with_law(sql: str) -> str:
    """`sql` with {law.outside_benefits} replaced by the sum of the full-time-equivalent
    columns of the benefits the state's criterion 1 counts under the law in force (the law file
    is the one place that list lives; amending it amends the screening's labour indicator)."""
    if LAW_BENEFITS not in sql:
        return sql
    from udsat.statelists.rules import law

    benefits = law().eras[-1].benefits
    return sql.replace(LAW_BENEFITS, " + ".join(f"fte_{b}" for b in benefits))


@cache
def _default() -> Catalogue:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> Catalogue:
    spec = load_model(path, CatalogueFile)
    catalogue = Catalogue(
        id=spec.id,
        version=spec.version,
        path=path,
        criteria={name: labels.model_dump() for name, labels in spec.criteria.items()},
        derived={name: with_law(sql) for name, sql in spec.derived.items()},
        households=dict(spec.households),
        references={n: Reference(n, r.sql, r.description) for n, r in spec.references.items()},
        indicators=spec.indicators,
    )
    check_indicators(path, catalogue.indicators, catalogue.references)
    check_sql(catalogue)
    return catalogue


def check_indicators(
    path: Path, indicators: Iterable[Indicator], references: dict[str, Reference]
) -> None:
    """The rules between keys: unique ids, `{reference}` placeholders that name a reference
    value (register indicators only), standardisation of register indicators only."""
    seen: set[str] = set()
    for ind in indicators:
        if ind.id in seen:
            raise UdsatError(say("cat_duplicate", path=path, indicator=ind.id))
        seen.add(ind.id)
        for sql in (ind.population, ind.numerator, ind.denominator):
            for ref in PLACEHOLDER.findall(sql):
                if ref not in references or ind.source != "register":
                    known = ", ".join(references) if ind.source == "register" else "-"
                    raise UdsatError(
                        say(
                            "cat_unknown_reference",
                            path=path,
                            indicator=ind.id,
                            name=ref,
                            known=known,
                        )
                    )
        if ind.standardise is not None and ind.source != "register":
            raise UdsatError(say("cat_survey_standardise", path=path, indicator=ind.id))


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
