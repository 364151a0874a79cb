"""The rules of a list year, resolved from the law's dated parameters (law/almenboligloven.yaml).

The law file holds every threshold, operator, population, benefit set and list as values keyed by
the date they took effect (udsat.statelists.law declares and checks it). The list of 1 December Y
uses, for every parameter, the latest value dated on or before that day: `ruleset_for_year(Y)`.
The dates on which any value changed cut the list years into eras; each era is one `RuleSet`
(`rules_<first list year>`), so years under the same rules share one computation.

Variants (pooled averaging, forebyggelse not excluding udsat, the cash-only benefit set, no
ethnicity criterion) are derived rule sets (`with_settings`, `without_ethnicity`), never code
branches. An amendment is an edited copy of the law file (`load_law(path)`, `--rules PATH`).

Comparisons are exact on a grid of 1e-9 (in the value's unit, e.g. percentage points): both
sides are rounded to whole multiples of 1e-9 before the law's operator is applied, so "at least
3 x 0.1 %" holds at exactly 0.3 % although 3 * 0.1 is 0.30000000000000004 in floating point. One
person in the largest area moves a share by about 1e-4 percentage points, so no real distinction
is lost.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Protocol, overload

import numpy as np

from udsat.errors import UdsatError
from udsat.i18n import render
from udsat.statelists.law import LawFile, Reference, Settings
from udsat.strict import load_model, validate

LAW_PATH = Path(__file__).parent / "law" / "almenboligloven.yaml"
GRID = 1e9  # comparisons are exact on multiples of 1e-9 of the value's unit


class Compare(Protocol):
    """A comparison of the law (operator.gt, ...): on two numbers, or element-wise on arrays."""

    @overload
    def __call__(self, a: float, b: float, /) -> bool: ...
    @overload
    def __call__(self, a: np.ndarray, b: np.ndarray | float, /) -> np.ndarray: ...
    @overload
    def __call__(self, a: float | np.ndarray, b: float | np.ndarray, /) -> bool | np.ndarray: ...


OPERATORS: dict[str, Compare] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


@overload
def on_grid(x: float) -> float: ...
@overload
def on_grid(x: np.ndarray) -> np.ndarray: ...
def on_grid(x: float | np.ndarray) -> float | np.ndarray:
    """`x` as a whole number of 1e-9 units (NaN stays NaN): the exact form every comparison uses."""
    if isinstance(x, np.ndarray):
        return np.rint(x.astype(float) * GRID)
    value = float(x) * GRID
    return value if value != value else float(round(value))  # NaN stays; half to even as rint


@overload
def compare(op: str, value: float, threshold: float) -> bool: ...
@overload
def compare(op: str, value: np.ndarray, threshold: np.ndarray | float) -> np.ndarray: ...
@overload
def compare(
    op: str, value: float | np.ndarray, threshold: float | np.ndarray
) -> bool | np.ndarray: ...
def compare(op: str, value: float | np.ndarray, threshold: float | np.ndarray) -> bool | np.ndarray:
    """`value OP threshold` in exact arithmetic on the 1e-9 grid."""
    result = OPERATORS[op](on_grid(value), on_grid(threshold))
    return bool(result) if np.ndim(result) == 0 else result


@dataclass(frozen=True)
class Threshold:
    """One threshold of the law: `value OPERATOR threshold` decides the criterion."""

    value: float
    unit: str
    operator: str
    reference: Reference
    citation: str
    effective: dt.date
    from_residents: tuple[tuple[int, float], ...] = ()

    @overload
    def met(self, value: float, threshold: float) -> bool: ...
    @overload
    def met(self, value: np.ndarray, threshold: np.ndarray) -> np.ndarray: ...
    def met(self, value: float | np.ndarray, threshold: float | np.ndarray) -> bool | np.ndarray:
        return compare(self.operator, value, threshold)

    @property
    def higher_is_worse(self) -> bool:
        return self.operator in (">", ">=")


@dataclass(frozen=True)
class LegalStatus:
    date: dt.date
    status: str
    text_da: str
    text_en: str
    source: str


@dataclass(frozen=True)
class Criterion:
    key: str
    number: str
    label_da: str
    label_en: str
    short_da: str
    noun_da: str | None
    measure: str
    short_en: str
    column: str
    population: dict[str, Any]
    row_years: tuple[int, ...]
    thresholds: dict[str, Threshold]
    ethnicity: bool = False
    legal_status: tuple[LegalStatus, ...] = ()

    @property
    def base_column(self) -> str:
        """The column of the people the value is a share of (one person = 100 / base pp)."""
        return self.column.removesuffix("_pct") + "_base"

    @property
    def counts_people(self) -> bool:
        """A share of people, so a distance in people exists (not criterion 4's mean of DKK)."""
        return self.noun_da is not None


@dataclass(frozen=True)
class ListRule:
    """A list: `count` (at least min_met of criteria at a tier) or `lookback` (source list in
    each of the last `years` lists, the current one included)."""

    key: str
    name_da: str
    name_en: str
    kind: str
    reference: Reference
    citation: str
    criteria: tuple[str, ...] = ()
    min_met: int = 0
    tier: str = "udsat"
    ethnicity: str | None = None
    excludes: tuple[str, ...] = ()
    excludes_setting: str | None = None
    source: str | None = None
    years: int = 0
    counts_as: tuple[str, ...] = ()


@dataclass(frozen=True)
class Setting:
    value: Any
    description: str
    reference: Reference
    citation: str
    unit: str | None = None
    operator: str | None = None
    allowed: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class RuleSet:
    """The values of the law in force for a span of list years (one era)."""

    id: str
    version: int
    law: str
    title_da: str
    title_en: str
    list_years: tuple[int, int | None]
    era: dt.date
    sources: dict[str, str]
    settings: dict[str, Setting]
    criteria: dict[str, Criterion]
    lists: dict[str, ListRule]
    tier_suffix: dict[str, str]
    benefit_sets: dict[str, tuple[str, ...]]
    all_criteria: tuple[str, ...] = ()  # every criterion of the law, in force or not, in order
    all_lists: tuple[str, ...] = ()  # every list of the law, in force or not, in order
    variant: tuple[str, ...] = field(default=())

    def setting(self, name: str) -> Any:
        return self.settings[name].value

    def applies_to(self, year: int) -> bool:
        first, last = self.list_years
        return year >= first and (last is None or year <= last)

    @property
    def label(self) -> str:
        return "+".join((f"{self.id}.v{self.version}", *self.variant))

    @property
    def benefits(self) -> tuple[str, ...]:
        """The benefits counted as outside the labour market (the setting's named set)."""
        return self.benefit_sets[self.setting("outside_benefits")]

    @property
    def core(self) -> tuple[str, ...]:
        """The criteria counted in 'criteria met': those the udsat-tier count lists count (1-4
        from 2018; E and 1-4 under the 2013 rules' 3 of 5), in the law's order."""
        counted = {
            c
            for rule in self.lists.values()
            if rule.kind == "count" and rule.tier == "udsat"
            for c in rule.criteria
        }
        return tuple(k for k in self.criteria if k in counted)

    def prefix(self, key: str, tier: str) -> str:
        """The column prefix of a criterion at a tier: c1_outside, c1_outside_fb, ..."""
        return key + self.tier_suffix[tier]


@dataclass(frozen=True)
class Law:
    """A law file, read and checked, with its eras resolved."""

    path: Path
    file: LawFile
    eras: tuple[RuleSet, ...]

    @property
    def shipped(self) -> bool:
        return self.path == LAW_PATH

    def criteria_keys(self) -> tuple[str, ...]:
        """Every criterion of the file, in the file's order."""
        return tuple(self.file.criteria)

    def list_keys(self) -> tuple[str, ...]:
        """Every list of the file, in the file's order."""
        return tuple(self.file.lists)

    def tier_suffixes(self) -> dict[str, str]:
        return {k: t.suffix for k, t in self.file.tiers.items()}

    def list_name(self, key: str, lang: str = "da", year: int | None = None) -> str:
        """A list's name as the law called it in `year` (default: its latest name)."""
        dated = {d: e for d, e in self.file.lists[key].items() if e is not None}
        if year is not None:
            day = list_date(year, self.file)
            dated = {d: e for d, e in dated.items() if d <= day} or dated
        entry = dated[max(dated)]
        return entry.name_da if lang == "da" else entry.name_en

    def criterion_short(self, key: str, lang: str = "da") -> str:
        crit = self.file.criteria[key]
        return crit.short_da if lang == "da" else crit.short_en

    def legal_status(self) -> list[tuple[str, LegalStatus]]:
        """Every criterion's legal status notes (e.g. the EU Court's C-417/23 on criterion E)."""
        return [
            (key, LegalStatus(**s.model_dump()))
            for key, crit in self.file.criteria.items()
            for s in crit.legal_status
        ]

    def ruleset_for_year(self, year: int) -> RuleSet:
        for rs in self.eras:
            if rs.applies_to(year):
                return rs
        first = self.eras[0].list_years[0]
        raise UdsatError(render(MESSAGES, "no_rules", year=year, first=first))


MESSAGES: dict[str, dict[str, str]] = {
    "no_rules": {
        "da": "Ingen regler for listeåret {year}; lovens parametre dækker listerne fra {first}.",
        "en": "No rules for list year {year}; the law's parameters cover the lists from {first}.",
    },
    "era": {
        "da": "{file}: reglerne pr. {day} hænger ikke sammen: {error}",
        "en": "{file}: the rules as of {day} are inconsistent: {error}",
    },
    "no_setting": {
        "da": "Regelsættet {rs} har ingen indstilling '{name}'",
        "en": "Rule set {rs} has no setting '{name}'",
    },
    "not_allowed": {
        "da": "Indstillingen '{name}' skal være en af {allowed}, ikke {value!r}",
        "en": "Setting '{name}' must be one of {allowed}, got {value!r}",
    },
}


def list_date(year: int, file: LawFile) -> dt.date:
    """The day the lists of `year` are published (§ 61 a, stk. 5: 1 December)."""
    month, day = (int(p) for p in file.list_day.split("-"))
    return dt.date(year, month, day)


def first_year_of(day: dt.date, file: LawFile) -> int:
    """The first list year whose list date falls on or after `day`."""
    return day.year if day <= list_date(day.year, file) else day.year + 1


def _in_force(values: dict[dt.date, Any], day: dt.date) -> tuple[dt.date, Any] | None:
    """The latest value dated on or before `day` (None when none is, or it is `null`)."""
    dated = [d for d in values if d <= day]
    if not dated:
        return None
    latest = max(dated)
    return None if values[latest] is None else (latest, values[latest])


def resolve(file: LawFile, day: dt.date, rs_id: str, span: tuple[int, int | None]) -> RuleSet:
    """The RuleSet of the values in force on `day`."""

    def citation(ref: Reference) -> str:
        return ref.text(file.law, file.sources)

    settings: dict[str, Setting] = {}
    for name, sdef in file.settings.items():
        found = _in_force(sdef.values, day)
        if found is not None:
            entry = found[1]
            value = list(entry.value) if isinstance(entry.value, list) else entry.value
            allowed = tuple(file.benefit_sets) if name == "outside_benefits" else sdef.allowed
            settings[name] = Setting(
                value, sdef.description, entry.reference, citation(entry.reference),
                allowed=allowed,
            )  # fmt: skip
    residents = _in_force(file.min_residents.values, day)
    if residents is not None:
        entry = residents[1]
        settings["min_residents"] = Setting(
            entry.value, "Residents on 1 January of the list year.", entry.reference,
            citation(entry.reference), unit="persons", operator=entry.operator,
        )  # fmt: skip
    criteria: dict[str, Criterion] = {}
    for key, cdef in file.criteria.items():
        thresholds: dict[str, Threshold] = {}
        for tier, dated in cdef.thresholds.items():
            found = _in_force(dated, day)
            if found is None:
                continue
            effective, t = found
            thresholds[tier] = Threshold(
                value=t.value, unit=t.unit, operator=t.operator, reference=t.reference,
                citation=citation(t.reference), effective=effective,
                from_residents=tuple(sorted(t.from_residents.items())),
            )  # fmt: skip
        population = _in_force(cdef.population, day)
        if not thresholds or population is None:
            continue
        criteria[key] = Criterion(
            key=key, number=cdef.number, label_da=cdef.label_da, label_en=cdef.label_en,
            short_da=cdef.short_da, noun_da=cdef.noun_da, measure=cdef.measure,
            column=cdef.column, population=population[1].value.model_dump(exclude_defaults=True),
            row_years=cdef.row_years, thresholds=thresholds, ethnicity=cdef.ethnicity,
            legal_status=tuple(LegalStatus(**s.model_dump()) for s in cdef.legal_status),
            short_en=cdef.short_en,
        )  # fmt: skip
    lists: dict[str, ListRule] = {}
    for key, dated_list in file.lists.items():
        found = _in_force(dated_list, day)
        if found is None:
            continue
        e = found[1]
        lists[key] = ListRule(
            key=key, name_da=e.name_da, name_en=e.name_en, kind=e.kind, reference=e.reference,
            citation=citation(e.reference), criteria=e.criteria, min_met=e.min_met or 0,
            tier=e.tier or "udsat", ethnicity=e.ethnicity, excludes=e.excludes,
            excludes_setting=e.excludes_setting, source=e.source, years=e.years or 0,
            counts_as=e.counts_as,
        )  # fmt: skip
    rs = RuleSet(
        id=rs_id,
        version=file.version,
        law=file.law,
        title_da=f"{file.title_da}: regler for listerne fra 1. december {span[0]}",
        title_en=f"{file.title_en}: rules for the lists from 1 December {span[0]}",
        list_years=span,
        era=day,
        sources=dict(file.sources),
        settings=settings,
        criteria=criteria,
        lists=lists,
        tier_suffix={k: t.suffix for k, t in file.tiers.items()},
        benefit_sets={k: tuple(b.benefits) for k, b in file.benefit_sets.items()},
        all_criteria=tuple(file.criteria),
        all_lists=tuple(file.lists),
    )
    _check(rs)
    return rs


def _check(rs: RuleSet) -> None:
    """What the schema cannot see: references between values in force on the same day."""
    # Every setting the law file declares (Settings) except the optional list exclusion.
    required = [
        n for n in (*Settings.model_fields, "min_residents") if n != "forebyggelse_excludes_udsat"
    ]
    missing = [s for s in required if s not in rs.settings]
    if missing:
        raise ValueError(f"no value in force for {missing}")
    for rule in rs.lists.values():
        for key in (*rule.criteria, *([rule.ethnicity] if rule.ethnicity else [])):
            if key not in rs.criteria or rule.tier not in rs.criteria[key].thresholds:
                raise ValueError(f"list '{rule.key}' needs {key} with a {rule.tier} threshold")
        if rule.kind == "lookback" and rule.source not in rs.lists:
            raise ValueError(f"look-back list '{rule.key}' needs its source list {rule.source}")
        for other in rule.excludes:
            if other not in rs.lists:
                raise ValueError(f"list '{rule.key}' excludes '{other}', not in force")
        if rule.excludes_setting and rule.excludes_setting not in rs.settings:
            raise ValueError(f"list '{rule.key}' needs the setting {rule.excludes_setting}")
    populations: dict[str, dict[str, Any]] = {}
    for crit in rs.criteria.values():
        # One count per measure and row year (microdata.counts_sql): one population per measure.
        if populations.setdefault(crit.measure, crit.population) != crit.population:
            raise ValueError(f"criteria measuring '{crit.measure}' need one population")


def load_law(path: Path = LAW_PATH) -> Law:
    """Read and check a law file (the shipped one, or an edited copy: an amendment)."""
    path = Path(path)
    if path == LAW_PATH:
        return _shipped()
    return _load(path)


@cache
def _shipped() -> Law:
    return _load(LAW_PATH)


def _load(path: Path) -> Law:
    return _build(load_model(path, LawFile), path)


def law_from_mapping(raw: object, where: str = "law.yaml") -> Law:
    """A law from content already read (e.g. the shipped file edited in memory, as the
    mutation tests do), checked by the same schema as a file."""
    return _build(validate(raw, LawFile, where), Path(where))


def _build(file: LawFile, path: Path) -> Law:
    days = file.dates()
    firsts = [first_year_of(d, file) for d in days]
    eras: list[RuleSet] = []
    for i, (day, first) in enumerate(zip(days, firsts, strict=True)):
        last = firsts[i + 1] - 1 if i + 1 < len(firsts) else None
        try:
            eras.append(resolve(file, day, f"rules_{first}", (first, last)))
        except ValueError as exc:
            text = render(MESSAGES, "era", file=path.name, day=day.isoformat(), error=exc)
            raise UdsatError(text) from exc
    if path != LAW_PATH:  # an amendment: its own label, so no cache mixes it with the law
        eras = [replace(rs, variant=(f"law={path.name}",)) for rs in eras]
    return Law(path=path, file=file, eras=tuple(eras))


def law() -> Law:
    """The law shipped with udsat."""
    return _shipped()


def rulesets(law_: Law | None = None) -> tuple[RuleSet, ...]:
    """Every era of the law (shipped by default), oldest first."""
    return (law_ or _shipped()).eras


def first_list_year(law_: Law | None = None) -> int:
    """The first list year the law's parameters cover."""
    return rulesets(law_)[0].list_years[0]


def ruleset_for_year(year: int, law_: Law | None = None) -> RuleSet:
    """The rules that decide the lists published on 1 December of `year`."""
    return (law_ or _shipped()).ruleset_for_year(year)


def ruleset_named(label: str, law_: Law | None = None) -> RuleSet | None:
    """The law's rule set whose label is `label` (e.g. a table's `rule_set` column), or None."""
    return next((rs for rs in rulesets(law_) if rs.label == label), None)


def rules_in_force(day: dt.date, law_: Law | None = None) -> RuleSet | None:
    """The rules in force on `day`: those of the last list published on or before it (a
    parameter takes effect with the first list it decides, 1 December). None before the first
    list the law covers."""
    the_law = law_ or _shipped()
    year = day.year if day >= list_date(day.year, the_law.file) else day.year - 1
    if year < first_list_year(the_law):
        return None
    return the_law.ruleset_for_year(year)


def with_settings(rs: RuleSet, **values: Any) -> RuleSet:
    """A variant with other setting values (e.g. averaging='pooled'); checked against `allowed`."""
    settings = dict(rs.settings)
    for name, value in values.items():
        if name not in settings:
            raise UdsatError(render(MESSAGES, "no_setting", rs=rs.id, name=name))
        allowed = settings[name].allowed
        if allowed is not None and value not in allowed:
            text = render(MESSAGES, "not_allowed", name=name, allowed=list(allowed), value=value)
            raise UdsatError(text)
        settings[name] = replace(settings[name], value=value)
    tags = tuple(f"{k}={v}" for k, v in values.items())
    return replace(rs, settings=settings, variant=(*rs.variant, *tags))


def without_ethnicity(rs: RuleSet) -> RuleSet:
    """The scenario without criterion E (EU Court C-417/23, 18 Dec 2025): E is neither a
    condition of any list nor counted among the criteria."""
    lists = {
        key: replace(
            rule,
            ethnicity=None,
            criteria=tuple(c for c in rule.criteria if not rs.criteria[c].ethnicity),
        )
        for key, rule in rs.lists.items()
    }
    return replace(rs, lists=lists, variant=(*rs.variant, "without_ethnicity"))
