"""Rule sets of the state's lists as typed data: one YAML file per rule set in rulesets/.

A list year picks its rule set (`ruleset_for_year`); every threshold carries its value, unit, the
law's operator, a description, a legal reference and the list years it applies to. Variants
(pooled averaging, forebyggelse not excluding udsat, no ethnicity criterion) are derived rule
sets (`with_settings`, `without_ethnicity`), never code branches.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Protocol, overload

import numpy as np
import yaml

from udsat.errors import UdsatError
from udsat.i18n import render

RULESET_DIR = Path(__file__).parent / "rulesets"


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
UNITS = ("percent", "multiple_of_national", "percent_of_region", "persons")
LIST_KEYS = ("udsat", "parallelsamfund", "omdannelse", "forebyggelse")
TIERS = ("udsat", "forebyggelse")


def parse_years(text: str) -> tuple[int, int | None]:
    """'2021-' -> (2021, None); '2018-2020' -> (2018, 2020); '2019' -> (2019, 2019)."""
    first, dash, last = str(text).partition("-")
    if not dash:
        return int(first), int(first)
    return int(first), (int(last) if last.strip() else None)


@dataclass(frozen=True)
class Threshold:
    """One threshold of the law: `value OPERATOR threshold` decides the criterion."""

    value: float
    unit: str
    operator: str
    description: str
    reference: str
    list_years: tuple[int, int | None]

    @overload
    def met(self, value: float, threshold: float) -> bool: ...
    @overload
    def met(self, value: np.ndarray, threshold: np.ndarray) -> np.ndarray: ...
    def met(self, value: float | np.ndarray, threshold: float | np.ndarray) -> bool | np.ndarray:
        return OPERATORS[self.operator](value, threshold)

    @property
    def higher_is_worse(self) -> bool:
        return self.operator in (">", ">=")


@dataclass(frozen=True)
class Criterion:
    key: str
    label_da: str
    label_en: str
    measure: str
    population: dict[str, Any]
    row_years: tuple[int, ...]
    thresholds: dict[str, Threshold]
    ethnicity: bool = False


@dataclass(frozen=True)
class ListRule:
    """A list: `count` (at least min_met of criteria at a tier) or `lookback` (source list in
    each of the last `years` lists, the current one included)."""

    key: str
    name_da: str
    kind: str
    reference: str
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
    reference: str
    unit: str | None = None
    operator: str | None = None
    allowed: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class RuleSet:
    id: str
    version: int
    title_da: str
    title_en: str
    list_years: tuple[int, int | None]
    sources: tuple[str, ...]
    settings: dict[str, Setting]
    criteria: dict[str, Criterion]
    lists: dict[str, ListRule]
    variant: tuple[str, ...] = field(default=())

    def setting(self, name: str) -> Any:
        return self.settings[name].value

    def applies_to(self, year: int) -> bool:
        first, last = self.list_years
        return year >= first and (last is None or year <= last)

    @property
    def label(self) -> str:
        return "+".join((f"{self.id}.v{self.version}", *self.variant))


def _threshold(key: str, raw: dict[str, Any], where: str) -> Threshold:
    try:
        th = Threshold(
            value=float(raw["value"]),
            unit=str(raw["unit"]),
            operator=str(raw["operator"]),
            description=str(raw["description"]),
            reference=str(raw["reference"]),
            list_years=parse_years(raw["list_years"]),
        )
    except KeyError as exc:
        raise UdsatError(f"{where}: threshold '{key}' lacks {exc}") from exc
    if th.operator not in OPERATORS or th.unit not in UNITS:
        raise UdsatError(f"{where}: threshold '{key}' has operator/unit {th.operator}/{th.unit}")
    return th


def _criterion(key: str, raw: dict[str, Any], where: str) -> Criterion:
    thresholds = {t: _threshold(f"{key}.{t}", v, where) for t, v in raw["thresholds"].items()}
    if not set(thresholds) <= set(TIERS):
        raise UdsatError(f"{where}: criterion '{key}' has unknown tiers {sorted(thresholds)}")
    return Criterion(
        key=key,
        label_da=raw["label_da"],
        label_en=raw["label_en"],
        measure=raw["measure"],
        population=dict(raw.get("population") or {}),
        row_years=tuple(int(y) for y in raw["row_years"]),
        thresholds=thresholds,
        ethnicity=bool(raw.get("ethnicity", False)),
    )


def _list_rule(key: str, raw: dict[str, Any]) -> ListRule:
    return ListRule(
        key=key,
        name_da=raw["name_da"],
        kind=raw["kind"],
        reference=raw["reference"],
        criteria=tuple(raw.get("criteria", ())),
        min_met=int(raw.get("min_met", 0)),
        tier=raw.get("tier", "udsat"),
        ethnicity=raw.get("ethnicity"),
        excludes=tuple(raw.get("excludes", ())),
        excludes_setting=raw.get("excludes_setting"),
        source=raw.get("source"),
        years=int(raw.get("years", 0)),
        counts_as=tuple(raw.get("counts_as", ())),
    )


_MESSAGES: dict[str, dict[str, str]] = {
    "unreadable": {
        "da": "{where}: regelsættet kan ikke læses som UTF-8-YAML: {error}",
        "en": "{where}: the rule set cannot be read as UTF-8 YAML: {error}",
    },
    "structure": {
        "da": "{where}: regelsættets opbygning er forkert ({error}); se de medfølgende "
        "filer i udsat/statelists/rulesets/ for formen",
        "en": "{where}: the rule set's structure is wrong ({error}); see the shipped files "
        "in udsat/statelists/rulesets/ for the form",
    },
}


def load_ruleset(path: Path) -> RuleSet:
    """Read and check one rule-set file; any malformed file gives a UdsatError naming it."""
    where = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    # ValueError: also PyYAML's own for impossible dates such as 2020-13-45.
    except (OSError, ValueError, OverflowError, yaml.YAMLError, RecursionError) as exc:
        raise UdsatError(render(_MESSAGES, "unreadable", where=where, error=exc)) from exc
    try:
        rs = _ruleset(raw, where)
        _check(rs, where)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        # Wrong types or missing keys anywhere in the nested mapping (a hand-edited file).
        error = f"{type(exc).__name__}: {exc}"
        raise UdsatError(render(_MESSAGES, "structure", where=where, error=error)) from exc
    return rs


def _ruleset(raw: Any, where: str) -> RuleSet:
    if not isinstance(raw, dict):
        raise TypeError(f"top level is {type(raw).__name__}, not a mapping")
    settings = {
        k: Setting(
            value=v["value"],
            description=v["description"],
            reference=v["reference"],
            unit=v.get("unit"),
            operator=v.get("operator"),
            allowed=tuple(v["allowed"]) if "allowed" in v else None,
        )
        for k, v in raw["settings"].items()
    }
    rs = RuleSet(
        id=raw["id"],
        version=int(raw["version"]),
        title_da=raw["title_da"],
        title_en=raw["title_en"],
        list_years=parse_years(raw["list_years"]),
        sources=tuple(raw["sources"]),
        settings=settings,
        criteria={k: _criterion(k, v, where) for k, v in raw["criteria"].items()},
        lists={k: _list_rule(k, v) for k, v in raw["lists"].items()},
    )
    return rs


def _check(rs: RuleSet, where: str) -> None:
    """Cross-references must resolve: a typo in a rule file is an error, not a silent no-op."""
    for rule in rs.lists.values():
        if rule.key not in LIST_KEYS:
            raise UdsatError(f"{where}: unknown list '{rule.key}' (known: {LIST_KEYS})")
        for key in (*rule.criteria, *([rule.ethnicity] if rule.ethnicity else [])):
            if key not in rs.criteria or rule.tier not in rs.criteria[key].thresholds:
                raise UdsatError(f"{where}: list '{rule.key}' needs {key} at tier {rule.tier}")
        if rule.kind == "lookback" and (rule.source not in rs.lists or rule.years < 1):
            raise UdsatError(f"{where}: look-back list '{rule.key}' needs a source and years")
    for crit in rs.criteria.values():
        for th in crit.thresholds.values():
            if th.list_years != rs.list_years:
                raise UdsatError(f"{where}: {crit.key} list_years differ from the rule set's")


@cache
def rulesets() -> tuple[RuleSet, ...]:
    """Every rule set shipped with udsat, oldest first."""
    found = [load_ruleset(p) for p in sorted(RULESET_DIR.glob("*.yaml"))]
    return tuple(sorted(found, key=lambda r: r.list_years[0]))


def first_list_year() -> int:
    """The first list year any shipped rule set covers."""
    return rulesets()[0].list_years[0]


def ruleset_for_year(year: int) -> RuleSet:
    """The rules that decide the lists published on 1 December of `year`."""
    for rs in rulesets():
        if rs.applies_to(year):
            return rs
    raise UdsatError(
        f"No rule set for list year {year}; rule sets cover {first_list_year()} onward."
    )


def with_settings(rs: RuleSet, **values: Any) -> RuleSet:
    """A variant with other setting values (e.g. averaging='pooled'); checked against `allowed`."""
    settings = dict(rs.settings)
    for name, value in values.items():
        if name not in settings:
            raise UdsatError(f"Rule set {rs.id} has no setting '{name}'")
        allowed = settings[name].allowed
        if allowed is not None and value not in allowed:
            raise UdsatError(f"Setting '{name}' must be one of {allowed}, got {value!r}")
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
