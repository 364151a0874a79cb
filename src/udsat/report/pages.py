"""View models of the pages: plain dicts and lists of already formatted, published figures.

The templates only lay them out (autoescaped); nothing here writes markup.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from udsat.i18n import number
from udsat.report.messages import msg
from udsat.statelists.rules import RuleSet, law

CRITERIA = ("income", "education", "labour", "youth", "health", "safety")
# Markers of an empty cell, as Danmarks Statistik writes them (their legend: msg "markers").
SUPPRESSED = ".."  # blanked by the disclosure policy: rests on fewer than the limit
NOT_APPLICABLE = "."  # the criterion, list or figure does not apply (e.g. not in force)
NO_DATA = "i.o."  # ikke oplyst: no source for it
MARK = SUPPRESSED


def mark_for(row: Mapping[Any, Any], column: str, *, applicable: bool = True) -> str:
    """The marker of `row`'s empty `column`: suppressed when the disclosure policy blanked it
    (the row's `suppressed` column names it), not applicable when the caller says so, else no
    data."""
    blanked = str(row.get("suppressed") or "").split(";")
    if column in blanked:
        return SUPPRESSED
    return NO_DATA if applicable else NOT_APPLICABLE


def list_criteria(rs: RuleSet) -> list[tuple[str, str]]:
    """The state's criteria the pages show, in the law's order, with the column prefix of the
    tier each is judged at first (c1_outside; k_outside_ku for kombineret udlejning)."""
    return [(k, rs.prefix(k, next(iter(c.thresholds)))) for k, c in rs.criteria.items()]


def state_lists(table: pd.DataFrame) -> list[str]:
    """The law's lists that `table` holds, in the law's order."""
    return [k for k in law().list_keys() if k in table]


def slug(value: object) -> str:
    """A file name for any id: safe characters plus a hash, so hostile ids cannot collide."""
    text = str(value)
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", text)[:40]
    return f"{safe}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"


def area_page(area_id: object) -> str:
    return f"areas/{slug(area_id)}.html"


def housing_page(housing_id: object) -> str:
    return f"housing/{slug(housing_id)}.html"


def missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


# The formatters take a table cell of any type; a cell that is not missing is a number.
def count(value: object, lang: str, mark: str = MARK) -> str:
    return mark if missing(value) else number(int(cast(float, value)), lang)


def share(value: object, lang: str, scale: float = 100.0, mark: str = MARK) -> str:
    """A share as a percentage (values in [0, 1] unless scale=1 says they are percent)."""
    return mark if missing(value) else f"{number(float(cast(float, value)) * scale, lang, 1)} %"


def plain(value: object, lang: str, decimals: int = 2, mark: str = MARK) -> str:
    return mark if missing(value) else number(float(cast(float, value)), lang, decimals)


def yes_no(value: object, lang: str, mark: str = MARK) -> str:
    return mark if missing(value) else msg("yes" if bool(value) else "no", lang)


def is_share(values: pd.Series) -> bool:
    finite = pd.to_numeric(values, errors="coerce").dropna()
    return bool(len(finite)) and bool(finite.between(0, 1).all())


def shown(values: pd.Series, lang: str) -> list[str]:
    """Shares as percentages, other figures (rates) as plain numbers."""
    if is_share(values):
        return [share(v, lang) for v in values]
    return [plain(v, lang) for v in values]


# ---------------------------------------------------------------- maps


# ---------------------------------------------------------------- tables
