"""The one disclosure policy: every published table declares what it holds, and the policy for
that kind is applied (and then checked) by the publication layer, never by the table's maker.

A table's `TableSpec` says which of its columns count people, which unit's residents the other
figures rest on, and which rates have which numerator and denominator. The policy
(`DisclosurePolicy`, limit 5 by DST's rule: no result that refers to fewer than 5 units):

- **counts**: a count of 1 to limit - 1 people is blanked (a zero reveals nobody);
- **units** (a row per unit: an area, a cell, a housing area): where the unit's residents are
  1 to limit - 1, the residents and every figure about the unit's people (`about`) are blanked;
- **rates**: a rate is blanked when its numerator, its denominator or its complement rests on
  fewer than limit people (`udsat.publish.disclosure.suppress_rates`);
- **none**: a table about no people (thresholds, definitions, the action plan).

Publishing refuses a table that still holds a count of 1 to limit - 1 in a declared count or base
column, and a table with a column that counts people (by its name) that the spec does not
declare: a new column cannot slip past the policy.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from udsat.errors import UdsatError
from udsat.publish.disclosure import DEFAULT_LIMIT, primary_mask, suppress_rates
from udsat.publish.messages import msg

Kind = Literal["counts", "units", "rates", "none"]
KINDS: tuple[str, ...] = ("counts", "units", "rates", "none")

# Column names that count people wherever they appear: a table holding one must declare it.
PEOPLE_COUNTS = (
    "residents",
    "numerator",
    "denominator",
    "households",
    "persons",
    "count",
    "people",
    "inhabited_addresses",
    "aged_0",
    "deaths_during_year",
    "moved_since_last_year",
    "overlap_residents",
    "*_residents",
    "*_count",
)


@dataclass(frozen=True)
class TableSpec:
    """What a published table holds (see the module docstring).

    counts: columns that count people. base: the column of the unit's residents (kind "units").
    about: columns (fnmatch patterns) of figures about the unit's people, blanked with the base.
    rates: (rate column, numerator column, denominator column) triples; an empty denominator
    means the table lacks it, and the rate follows its numerator.
    not_counts: columns whose names look like counts but are not small-cell counts, each with
    the reason (e.g. a bespoke neighbourhood's ~1,000 people).
    """

    kind: Kind
    counts: tuple[str, ...] = ()
    base: str | None = None
    about: tuple[str, ...] = ()
    rates: tuple[tuple[str, str, str], ...] = ()
    not_counts: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown table kind {self.kind!r}: one of {', '.join(KINDS)}")
        if self.kind == "units" and self.base is None:
            raise ValueError("a units table names its base (the unit's residents column)")


NO_PEOPLE = TableSpec("none")


def counts_table(*columns: str) -> TableSpec:
    return TableSpec("counts", counts=tuple(columns))


def units_table(
    base: str = "residents",
    about: tuple[str, ...] = (),
    counts: tuple[str, ...] = (),
    not_counts: dict[str, str] | None = None,
) -> TableSpec:
    return TableSpec("units", counts=counts, base=base, about=about, not_counts=not_counts or {})


@dataclass(frozen=True)
class DisclosurePolicy:
    """The run's one disclosure rule: nothing about 1 to limit - 1 people is published."""

    limit: int = DEFAULT_LIMIT

    def protect(self, frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
        """The table as it may be published under `spec` (a copy; idempotent)."""
        out = frame.copy()
        for rate, num, den in spec.rates:
            if rate not in out:
                continue
            if den:
                out[rate] = suppress_rates(out[rate], out[num], out[den], self.limit)
            else:  # a share whose denominator is not in the table: its numerator decides
                out[rate] = out[rate].mask(self._small(out[num]))
        if spec.base is not None and spec.base in out:
            small = self._small(out[spec.base])
            for column in self._matching(out, spec.about):
                out[column] = _blank(out[column], small)
            out[spec.base] = _blank(out[spec.base], small)
        for column in spec.counts:
            if column in out:
                out[column] = _blank(out[column], self._small(out[column]))
        if spec.kind != "none":
            out[SUPPRESSED] = _marks(frame, out)
        return out

    def check(self, frame: pd.DataFrame, spec: TableSpec, where: str) -> None:
        """Refuse a table that would publish a count of 1 to limit - 1 or an undeclared count."""
        declared = {*spec.counts, *([spec.base] if spec.base else []), *spec.not_counts}
        declared |= {c for _, n, d in spec.rates for c in (n, d) if c}
        for column in map(str, frame.columns):
            looks = any(fnmatch.fnmatch(column, p) for p in PEOPLE_COUNTS)
            if looks and column not in declared:
                raise UdsatError(msg("undeclared_count", where=where, column=column))
        for column in [c for c in declared if c in frame and c not in spec.not_counts]:
            small = self._small(frame[column])
            if small.any():
                value = frame.loc[small, column].iloc[0]
                raise UdsatError(
                    msg(
                        "small_count",
                        where=where,
                        column=column,
                        rows=int(small.sum()),
                        value=value,
                        limit_1=self.limit - 1,
                    )
                )

    def _small(self, column: pd.Series) -> pd.Series:
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return pd.Series(primary_mask(values, self.limit), index=column.index)

    @staticmethod
    def _matching(frame: pd.DataFrame, patterns: tuple[str, ...]) -> list[str]:
        return [str(c) for c in frame.columns if any(fnmatch.fnmatch(str(c), p) for p in patterns)]


SUPPRESSED = "suppressed"  # names the columns the policy blanked in each row


def _marks(before: pd.DataFrame, after: pd.DataFrame) -> pd.Series:
    """Per row, the columns blanked (';'-separated), kept from an earlier pass."""
    marks = pd.Series("", index=after.index, dtype=object)
    if SUPPRESSED in before:  # a second pass finds nothing new: its marks are the first's
        marks = before[SUPPRESSED].fillna("").astype(str) + ";"
    for column in [c for c in after.columns if c != SUPPRESSED and c in before]:
        hit = before[column].notna().to_numpy() & after[column].isna().to_numpy()
        marks = marks.where(~hit, marks + f"{column};")
    return marks.str.rstrip(";").str.lstrip(";").astype(object)


def _blank(column: pd.Series, small: pd.Series) -> pd.Series:
    """Blank the `small` cells of a column, keeping its type: whole numbers as nullable Int64,
    flags as nullable booleans, text as text."""
    if not small.any():
        return column
    if pd.api.types.is_bool_dtype(column):
        return column.astype("boolean").mask(small)
    if not pd.api.types.is_numeric_dtype(column):
        return column.mask(small)
    values = column.astype("Float64")
    whole = values.dropna()
    if len(whole) and bool((whole == whole.round()).all()):
        return values.round().astype("Int64").mask(small)
    return values.mask(small)
