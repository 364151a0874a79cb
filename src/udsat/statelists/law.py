"""The law's parameter file as a strict, dated schema (law/almenboligloven.yaml).

Every parameter is a mapping from the date a value took effect to the value and its legal
reference (OpenFisca's model). `LawFile.at(date)` is not here: resolving the values in force on a
list's date into a `RuleSet` is rules.resolve; this module only declares and checks the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

from pydantic import Field, model_validator

from udsat.contract.schemas import BENEFITS, CONVICTION_LAWS, EDUCATION_LEVELS, ORIGINS
from udsat.strict import Strict

Operator = Literal[">", ">=", "<", "<="]
Unit = Literal["percent", "multiple_of_national", "percent_of_region"]
Measure = Literal["outside", "convicted", "basic_edu", "income", "nonwestern"]
Benefit = Literal[BENEFITS]  # type: ignore[valid-type]
SettingValue = bool | str | list[str]
# Settings whose values are codes of the data contract: each code must be one the contract knows.
CODES: dict[str, tuple[str, ...]] = {
    "conviction_laws": CONVICTION_LAWS,
    "nonwestern_origins": ORIGINS,
    "basic_education_levels": EDUCATION_LEVELS,
}


class Reference(Strict):
    """Where a value comes from: the paragraph of the law, the amending act, the source of a
    measurement convention (act and source are keys of the file's `sources`)."""

    paragraph: str | None = None
    stk: int | str | None = None
    nr: int | str | None = None
    act: str | None = None
    source: str | None = None
    note: str | None = None

    def short(self) -> str:
        """'§ 61 a, stk. 1, nr. 1' (empty without a paragraph)."""
        if not self.paragraph:
            return ""
        parts = [f"§ {self.paragraph}"]
        if self.stk is not None:
            parts.append(f"stk. {self.stk}")
        if self.nr is not None:
            parts.append(f"nr. {self.nr}")
        return ", ".join(parts)

    def text(self, law: str, sources: dict[str, str]) -> str:
        """The full citation: 'almenboligloven § 61 a, stk. 1, nr. 1 (lov nr. 1322 af ...)'."""
        head = f"{law} {self.short()}" if self.paragraph else ""
        tail = [sources[k] for k in (self.act, self.source) if k]
        if self.note:
            tail.append(self.note)
        return f"{head} ({'; '.join(tail)})".strip() if tail else head


class Dated(Strict):
    reference: Reference


class SettingEntry(Dated):
    value: SettingValue


class SettingDef(Strict):
    description: str
    allowed: tuple[bool | str, ...] | None = None
    values: dict[dt.date, SettingEntry | None]

    @model_validator(mode="after")
    def _allowed(self) -> SettingDef:
        for entry in self.values.values():
            if entry is not None and self.allowed is not None and entry.value not in self.allowed:
                raise ValueError(f"value {entry.value!r} is not one of {list(self.allowed)}")
        return self


class Settings(Strict):
    """The named settings of the law's measurement; a setting the file does not know is an
    error, as is a missing one."""

    averaging: SettingDef
    outside_benefits: SettingDef
    conviction_laws: SettingDef
    nonwestern_origins: SettingDef
    basic_education_levels: SettingDef
    education_unknown_counts_as_basic: SettingDef
    education_requires_danish_approval: SettingDef
    forebyggelse_excludes_udsat: SettingDef

    def items(self) -> Iterator[tuple[str, SettingDef]]:
        for name in type(self).model_fields:
            yield name, getattr(self, name)


class ResidentsEntry(Dated):
    value: int
    operator: Operator


class Residents(Strict):
    unit: Literal["persons"]
    values: dict[dt.date, ResidentsEntry | None]


class Population(Strict):
    min_age: int | None = None
    max_age: int | None = None
    taxpayers_only: bool = False
    exclude_in_education: bool = False


class PopulationEntry(Dated):
    value: Population


class ThresholdEntry(Dated):
    value: float
    unit: Unit
    operator: Operator
    # Residents from which another threshold applies ({5000: 30.0}: 30 from 5,000 residents).
    from_residents: dict[int, float] = Field(default_factory=dict)


class LegalStatus(Strict):
    date: dt.date
    status: Literal["in_force", "contested", "struck_down"]
    text_da: str
    text_en: str
    source: str


class CriterionDef(Strict):
    number: str
    label_da: str
    label_en: str
    short_da: str
    short_en: str
    noun_da: str | None = None  # the people a margin counts; none for income (DKK, not people)
    measure: Measure
    column: str
    row_years: tuple[int, ...]
    ethnicity: bool = False
    legal_status: tuple[LegalStatus, ...] = ()
    population: dict[dt.date, PopulationEntry | None]
    thresholds: dict[str, dict[dt.date, ThresholdEntry | None]]


class ListEntry(Dated):
    name_da: str
    name_en: str
    kind: Literal["count", "lookback"]
    criteria: tuple[str, ...] = ()
    min_met: int | None = None
    tier: str | None = None
    ethnicity: str | None = None
    excludes: tuple[str, ...] = ()
    excludes_setting: str | None = None
    source: str | None = None
    years: int | None = None
    counts_as: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _kind(self) -> ListEntry:
        if self.kind == "count":
            if not self.criteria or self.min_met is None or self.tier is None:
                raise ValueError("a count list needs criteria, min_met and tier")
            if not 1 <= self.min_met <= len(self.criteria):
                raise ValueError(
                    f"min_met {self.min_met} is not between 1 and {len(self.criteria)}"
                )
        elif self.source is None or not self.years or not self.counts_as:
            raise ValueError("a lookback list needs source, years and counts_as")
        return self


class Tier(Strict):
    suffix: str
    label_da: str
    label_en: str


class BenefitSet(Strict):
    benefits: tuple[Benefit, ...]
    description: str


class LawFile(Strict):
    id: str
    version: int
    law: str
    list_day: str
    title_da: str
    title_en: str
    sources: dict[str, str]
    tiers: dict[str, Tier]
    benefit_sets: dict[str, BenefitSet]
    settings: Settings
    min_residents: Residents
    criteria: dict[str, CriterionDef]
    lists: dict[str, dict[dt.date, ListEntry | None]]

    @model_validator(mode="after")
    def _cross_references(self) -> LawFile:
        """Every key one part names must exist in another: a typo is an error, not a no-op."""
        for where, ref in self.references():
            for key in (ref.act, ref.source):
                if key is not None and key not in self.sources:
                    raise ValueError(f"{where}: source '{key}' is not in sources")
        for name, setting in self.settings.items():
            self._check_setting(name, setting)
        for key, crit in self.criteria.items():
            unknown = set(crit.thresholds) - set(self.tiers)
            if unknown:
                raise ValueError(f"criteria.{key}.thresholds: unknown tier(s) {sorted(unknown)}")
            for status in crit.legal_status:
                if status.source not in self.sources:
                    raise ValueError(f"criteria.{key}.legal_status: unknown source {status.source}")
        for key, dated in self.lists.items():
            for day, entry in dated.items():
                if entry is not None:
                    self._check_list(f"lists.{key}.{day}", entry)
        return self

    def _check_setting(self, name: str, setting: SettingDef) -> None:
        for day, entry in setting.values.items():
            if entry is None:
                continue
            where, value = f"settings.{name}.{day}", entry.value
            if name == "outside_benefits" and value not in self.benefit_sets:
                raise ValueError(f"{where}: '{value}' is not one of {sorted(self.benefit_sets)}")
            codes = CODES.get(name)
            if codes is not None:
                values = value if isinstance(value, list) else [value]
                bad = [v for v in values if v not in codes]
                if bad:
                    raise ValueError(f"{where}: {bad} not in the data contract's {list(codes)}")

    def _check_list(self, where: str, entry: ListEntry) -> None:
        named = [*entry.criteria, *([entry.ethnicity] if entry.ethnicity else [])]
        for crit in named:
            if crit not in self.criteria:
                raise ValueError(f"{where}: unknown criterion '{crit}'")
        if entry.tier is not None and entry.tier not in self.tiers:
            raise ValueError(f"{where}: unknown tier '{entry.tier}'")
        for other in (*entry.excludes, *([entry.source] if entry.source else [])):
            if other not in self.lists:
                raise ValueError(f"{where}: unknown list '{other}'")
        if entry.excludes_setting and entry.excludes_setting not in dict(self.settings.items()):
            raise ValueError(f"{where}: unknown setting '{entry.excludes_setting}'")

    def references(self) -> Iterator[tuple[str, Reference]]:
        """Every dated value's reference with its place in the file."""
        for name, setting in self.settings.items():
            for day, s in setting.values.items():
                if s is not None:
                    yield f"settings.{name}.{day}", s.reference
        for day, r in self.min_residents.values.items():
            if r is not None:
                yield f"min_residents.{day}", r.reference
        for key, crit in self.criteria.items():
            for day, p in crit.population.items():
                if p is not None:
                    yield f"criteria.{key}.population.{day}", p.reference
            for tier, dated in crit.thresholds.items():
                for day, t in dated.items():
                    if t is not None:
                        yield f"criteria.{key}.thresholds.{tier}.{day}", t.reference
        for key, dated_list in self.lists.items():
            for day, entry in dated_list.items():
                if entry is not None:
                    yield f"lists.{key}.{day}", entry.reference

    def dates(self) -> list[dt.date]:
        """Every date on which some value of the law took effect, oldest first."""
        found: set[dt.date] = set()
        for _, setting in self.settings.items():
            found |= set(setting.values)
        found |= set(self.min_residents.values)
        for crit in self.criteria.values():
            found |= set(crit.population)
            for dated in crit.thresholds.values():
                found |= set(dated)
        for dated_list in self.lists.values():
            found |= set(dated_list)
        return sorted(found)
