"""The designation as pure functions over tables (docs/screening-method.md).

Input: the indicator engine's long table (one row per unit and indicator: unit_id, indicator_id,
criterion, numerator, denominator, value, residents) and each indicator's direction. Output: one
row per unit with every criterion's value, ratio, standardised difference and flag, the composite
score and the vulnerable verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from udsat.errors import DataContractError, Problem
from udsat.screening.config import CRITERIA, ScreeningConfig
from udsat.screening.messages import say

if TYPE_CHECKING:
    from pandas.core.frame import PandasNamedTuple  # the rows of itertuples (pandas-stubs only)

LONG_COLUMNS = ("unit_id", "indicator_id", "criterion", "numerator", "denominator", "value")
# Floating-point ratios such as 0.25 / 0.2 land a hair off 1.25: a value within EPS of the
# margin counts as exactly at it (and is flagged, see docs/screening-method.md).
EPS = 1e-9
NOTE_CODES = ("few_residents", "students", "age_band")


def city_reference(long: pd.DataFrame) -> pd.Series:
    """The city average of every indicator: sum of numerators / sum of denominators.

    Right for units that partition the city (polygons, aggregate units); for overlapping
    neighbourhoods pass the engine's units="city" values to `score_indicators` instead.
    """
    known = long[long["value"].notna() & long["numerator"].notna()]
    sums = known.groupby("indicator_id", observed=True)[["numerator", "denominator"]].sum()
    return (sums["numerator"] / sums["denominator"].where(sums["denominator"] > 0)).rename("city")


def score_indicators(
    long: pd.DataFrame,
    directions: Mapping[str, str],
    reference: Mapping[str, float] | pd.Series | None = None,
    source: str = "indicators",
) -> pd.DataFrame:
    """Each unit-indicator row with its city value, directed ratio and directed z.

    Directed ratio: value / city when higher is worse; (1 - value) / (1 - city) when higher is
    better (the complement share: e.g. not attached to the labour market). Directed z:
    sign * (value - city) / sd, sd the denominator-weighted spread of the unit values around
    the city value, sign +1 when higher is worse and -1 when higher is better.
    """
    frame = _categorical(long)
    _check_long(frame, directions, source)
    city = city_reference(long) if reference is None else pd.Series(reference, dtype=float)
    frame["city"] = frame["indicator_id"].map(city).astype(float)
    better = frame["indicator_id"].map(directions).astype(object).eq("higher_is_better").to_numpy()
    value = frame["value"].astype(float).to_numpy()
    ref = frame["city"].to_numpy()
    worse_value = np.where(better, 1.0 - value, value)
    worse_city = np.where(better, 1.0 - ref, ref)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["worse_value"] = worse_value
        frame["worse_city"] = worse_city
        frame["ratio"] = np.where(worse_city > 0, worse_value / worse_city, np.nan)
    weight = frame["denominator"].astype(float).clip(lower=0).where(frame["value"].notna(), 0)
    dev2 = (frame["value"] - frame["city"]) ** 2 * weight
    by = frame["indicator_id"]
    sd = np.sqrt(dev2.groupby(by, observed=True).sum() / weight.groupby(by, observed=True).sum())
    spread = by.map(sd).astype(float).to_numpy()
    sign = np.where(better, -1.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["z"] = np.where(spread > 0, sign * (value - ref) / spread, np.nan)
    return frame


def designate(
    long: pd.DataFrame,
    directions: Mapping[str, str],
    config: ScreeningConfig,
    *,
    reference: Mapping[str, float] | pd.Series | None = None,
    unit_info: pd.DataFrame | None = None,
    source: str = "indicators",
) -> pd.DataFrame:
    """One row per unit: criteria values, ratios, z, flags, composite, vulnerable and notes.

    `unit_info` (optional, by unit_id): `residents`, `student_share`, `age_band_share` (shares in
    [0, 1]) for the notes; without it `residents` comes from the long table.
    """
    scored = score_indicators(long, directions, reference, source)
    wide = criterion_table(scored, config)
    return flag_units(wide, config, unit_info)


def criterion_table(scored: pd.DataFrame, config: ScreeningConfig) -> pd.DataFrame:
    """Per unit and criterion: the mean over its indicators of value, city, ratio and z."""
    per = scored.groupby(["unit_id", "criterion"], sort=True, observed=True)[
        ["worse_value", "worse_city", "ratio", "z"]
    ].mean()
    wide = per.unstack("criterion")
    units = pd.DataFrame(index=wide.index)
    if "residents" in scored:
        units["residents"] = scored.groupby("unit_id", observed=True)["residents"].max()
    for crit in config.criteria:
        for part, name in (("worse_value", "value"), ("worse_city", "city"), ("ratio", "ratio")):
            units[f"{crit}_{name}"] = wide[part].get(crit, np.nan)
        units[f"{crit}_z"] = wide["z"].get(crit, np.nan)
    units.index = units.index.astype(str)
    units.index.name = "unit_id"
    return units.reset_index()


def flag_units(
    wide: pd.DataFrame, config: ScreeningConfig, unit_info: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Criterion flags, the count rule, the composite score and the notes on a criterion table."""
    units = wide.copy()
    measure = "z" if config.flag_on == "z" else "ratio"
    flagged_names = pd.Series("", index=units.index, dtype=object)
    for crit in config.criteria:
        score = units[f"{crit}_{measure}"]
        threshold = config.margin_for(crit) + (1.0 if measure == "ratio" else 0.0)
        flag = score.ge(threshold - EPS)
        # pandas-stubs: where() does not list pd.NA as `other` (pandas takes it)
        units[f"{crit}_flag"] = flag.where(score.notna(), pd.NA).astype("boolean")  # type: ignore[call-overload]
        flagged_names = flagged_names.where(~flag, flagged_names + crit + ";")
    flags = units[[f"{c}_flag" for c in config.criteria]]
    units["criteria_available"] = flags.notna().sum(axis=1).astype(int)
    units["criteria_flagged"] = flags.fillna(False).sum(axis=1).astype(int)
    units["criteria"] = flagged_names.str.rstrip(";")
    units["criteria_required"] = [
        config.required_criteria(int(a)) for a in units["criteria_available"]
    ]
    units["composite"] = units[[f"{c}_z" for c in config.criteria]].mean(axis=1, skipna=True)
    meets = units["criteria_available"].gt(0) & units["criteria_flagged"].ge(
        units["criteria_required"]
    )
    units["meets_rule"] = meets
    units["note"] = unit_notes(units, config, unit_info)
    units["vulnerable"] = meets & units["note"].eq("")
    # Rounded: equal composites tie on every engine whatever the order of its sums (last bits).
    ranked = units["composite"].round(12)
    units["rank"] = ranked.rank(ascending=False, method="min").astype("Int64")
    return units


def unit_notes(
    units: pd.DataFrame, config: ScreeningConfig, unit_info: pd.DataFrame | None
) -> pd.Series:
    """Codes (";"-joined) of units not designated blindly: few residents, students, one age band."""
    info = units[["unit_id"]].copy()
    if unit_info is not None:
        info = info.merge(unit_info, on="unit_id", how="left", validate="one_to_one")
    if "residents" not in info and "residents" in units:
        info["residents"] = units["residents"].to_numpy()
    notes = pd.Series("", index=units.index, dtype=object)
    tests = {
        "few_residents": info.get("residents", pd.Series(np.nan, index=info.index)).lt(
            config.min_unit_residents
        ),
        "students": info.get("student_share", pd.Series(np.nan, index=info.index)).gt(
            config.max_student_share
        ),
        "age_band": info.get("age_band_share", pd.Series(np.nan, index=info.index)).gt(
            config.max_age_band_share
        ),
    }
    for code, hit in tests.items():
        mask = hit.fillna(False).to_numpy(bool)
        notes = notes.where(~mask, notes + code + ";")
    return notes.str.rstrip(";")


def _check_long(long: pd.DataFrame, directions: Mapping[str, str], source: str) -> None:
    """The long table has the engine's columns and a direction for every indicator."""
    problems = [
        Problem(source, "missing_column", say("missing_column"), column=c)
        for c in LONG_COLUMNS
        if c not in long
    ]
    if problems:
        raise DataContractError(problems)
    unknown = sorted(set(long["indicator_id"].cat.categories) - set(directions))
    if unknown:
        problems.append(
            Problem(
                source,
                "no_direction",
                say("no_direction"),
                column="indicator_id",
                count=int(long["indicator_id"].isin(unknown).sum()),
                examples=unknown[:5],
            )
        )
    bad = long[~long["criterion"].isin(list(CRITERIA))]
    if len(bad):
        problems.append(
            Problem(
                source,
                "unknown_criterion",
                say("unknown_criterion"),
                column="criterion",
                count=len(bad),
                examples=[_row(r) for r in bad.head(5).itertuples()],
            )
        )
    key = long["unit_id"].cat.codes.to_numpy(np.int64) * (
        len(long["indicator_id"].cat.categories) + 1
    ) + long["indicator_id"].cat.codes.to_numpy(np.int64)
    dup = pd.Series(key).duplicated(keep=False).to_numpy()
    if dup.any():
        problems.append(
            Problem(
                source,
                "duplicate",
                say("duplicate_unit_indicator"),
                column="unit_id",
                count=int(dup.sum()),
                examples=[_row(r) for r in long[dup].head(5).itertuples()],
            )
        )
    if problems:
        raise DataContractError(problems)


def _categorical(long: pd.DataFrame) -> pd.DataFrame:
    """A copy with the id columns as categories: grouping and mapping work on small codes."""
    frame = long.copy()
    for column in ("unit_id", "indicator_id", "criterion"):
        if column in frame:
            frame[column] = frame[column].astype(str).astype("category")
    return frame


def _row(row: PandasNamedTuple) -> str:
    return f"unit_id={row.unit_id}, indicator_id={row.indicator_id}, criterion={row.criterion}"
