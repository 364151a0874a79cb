"""The screening on area-level input: a CSV of units with residents and indicator shares.

Documented format (docs/screening-method.md): one row per unit and year with `unit_id`, `name`,
`year`, `residents` and one column per configured indicator, a share in percent (0-100) of the
unit's residents. The configuration maps columns to criteria and directions; the KK roder file's
own names are renamed by `aggregate.rename`. Without geometry units are ranked and flagged only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from udsat.contract.tabular import Stated, read_text, to_number
from udsat.errors import DataContractError, Problem, UdsatError
from udsat.runlog import RunLog
from udsat.screening.config import ScreeningConfig, load_config
from udsat.screening.designate import designate
from udsat.screening.messages import say
from udsat.screening.result import ScreeningResult, empty_areas
from udsat.screening.robustness import unit_stability
from udsat.screening.summary import summary_text

BASE_COLUMNS = ("unit_id", "name", "year", "residents")


def read_aggregate(
    file: Path,
    config: ScreeningConfig,
    stated: Stated | None = None,
    log: RunLog | None = None,
) -> pd.DataFrame:
    """The table (CSV as saved from Danish Excel too, or .xlsx) renamed to the documented
    format and checked; every problem reported at once. How it was read goes to `log`."""
    file = Path(file)
    frame, fmt = read_text(file, stated, log)
    frame = frame.rename(columns=config.aggregate_rename)
    frame["unit_id"] = frame["unit_id"].astype(str) if "unit_id" in frame else None
    needed = [*BASE_COLUMNS, *(i.column for i in config.aggregate_indicators)]
    problems = [
        Problem(str(file), "missing_column", say("missing_column"), column=c)
        for c in needed
        if c not in frame
    ]
    if problems:
        raise DataContractError(problems)
    shares = [i.column for i in config.aggregate_indicators]
    extra = [
        c
        for c in (config.student_share_column, *config.age_band_columns)
        if c is not None and c in frame
    ]
    for column in ["residents", "year", *shares, *extra]:
        numeric = to_number(frame[column], fmt)
        bad = numeric.isna() & (frame[column].str.strip() != "")
        problems += _problem(file, column, "not_number", bad, frame)
        frame[column] = numeric
    problems += _problem(file, "residents", "negative_residents", frame["residents"] < 0, frame)
    for column in [*shares, *extra]:
        out = (frame[column] < 0) | (frame[column] > 100)
        problems += _problem(file, column, "share_range", out, frame)
    dup = frame.duplicated(["unit_id", "year"], keep=False)
    problems += _problem(file, "unit_id", "duplicate_unit_year", dup, frame)
    if problems:
        raise DataContractError(problems)
    frame["year"] = frame["year"].astype(int)
    return frame


def _problem(file: Path, column: str, rule: str, mask: pd.Series, frame: pd.DataFrame) -> list:
    if not mask.any():
        return []
    rows = frame[mask].head(5)
    examples = [
        f"row {i + 2}: unit_id={r.unit_id}, year={r.year}, {column}={frame.at[i, column]!r}"
        for i, r in zip(rows.index, rows.itertuples(), strict=True)
    ]
    return [
        Problem(str(file), rule, say(rule), column=column, count=int(mask.sum()), examples=examples)
    ]


def long_table(frame: pd.DataFrame, config: ScreeningConfig, log: RunLog) -> pd.DataFrame:
    """The engine's long format from area-level shares: numerator = share x residents."""
    parts = []
    for ind in config.aggregate_indicators:
        share = frame[ind.column] / 100.0
        usable = share.notna() & frame["residents"].gt(0)
        log.exclude(
            f"aggregate {ind.column}",
            "unit without residents or without a value: criterion not available for the unit",
            int((~usable).sum()),
            [
                f"unit_id={u}, year={y}"
                for u, y in frame.loc[~usable, ["unit_id", "year"]].head(5).itertuples(index=False)
            ],
        )
        parts.append(
            pd.DataFrame(
                {
                    "unit_id": frame["unit_id"],
                    "indicator_id": ind.indicator_id,
                    "criterion": ind.criterion,
                    "year": frame["year"],
                    "numerator": share * frame["residents"],
                    "denominator": frame["residents"].astype(float),
                    "value": share,
                    "residents": frame["residents"],
                }
            )[usable.to_numpy()]
        )
    return pd.concat(parts, ignore_index=True)


def unit_info(frame: pd.DataFrame, config: ScreeningConfig) -> pd.DataFrame:
    """Residents, the student share and the largest age-band share of every unit (for notes)."""
    info = frame[["unit_id", "residents"]].copy()
    if config.student_share_column and config.student_share_column in frame:
        info["student_share"] = frame[config.student_share_column] / 100.0
    bands = [c for c in config.age_band_columns if c in frame]
    if bands:
        info["age_band_share"] = frame[bands].max(axis=1) / 100.0
    return info


def screen_aggregate(
    file: Path,
    *,
    year: int | None,
    config: ScreeningConfig | None = None,
    stated: Stated | None = None,
) -> ScreeningResult:
    """Screen an area-level CSV: every year (year=None) or one year; ranked, flagged, explained.

    Each year has its own city average (the residents-weighted mean of the units). The units
    table holds one row per unit and year with `year`, `name`, every criterion's value, ratio,
    z and flag, `criteria_flagged`, `composite`, `rank` (1 = worst, per year), `vulnerable`,
    `note` and `stability` (the share of the margin and N variations under which it is
    vulnerable).
    """
    config = config or load_config()
    log = RunLog()
    frame = read_aggregate(Path(file), config, stated, log)
    years = sorted(frame["year"].unique())
    if year is not None:
        if year not in years:
            text = say("no_year", path=file, year=year, years=", ".join(map(str, years)))
            raise UdsatError(text)
        years = [year]
    directions = {i.indicator_id: i.direction for i in config.aggregate_indicators}
    tables = []
    for y in years:
        rows = frame[frame["year"] == y].reset_index(drop=True)
        long = long_table(rows, config, log)
        if long.empty:
            raise UdsatError(say("no_criteria", path=file))
        info = unit_info(rows, config)
        units = designate(long, directions, config, unit_info=info, source=str(file))
        units = rows[["unit_id", "name", "residents"]].merge(
            units.drop(columns="residents"), on="unit_id", how="left", validate="one_to_one"
        )
        units = _fill_missing_units(units, config, info)
        units["stability"] = unit_stability(long, directions, config, info, units["unit_id"])
        units.insert(1, "year", int(y))
        tables.append(units)
    units = pd.concat(tables, ignore_index=True).sort_values(["year", "rank"], ignore_index=True)
    missing = [c for c in config.criteria if units[f"{c}_flag"].isna().all()]
    if missing:
        log.note(f"criteria not available in {file}: {', '.join(missing)}")
    log.note("area-level data without geometry: units are ranked and flagged, not joined")
    result = ScreeningResult(
        year=int(years[-1]),
        config=config,
        units=units,
        unit_geometry=None,
        areas=empty_areas(),
        comparison=None,
        summary_da="",
        log=log,
        unit_label=Path(file).name,
    )
    result.summary_da = summary_text(result, "da")
    result.summary_en = summary_text(result, "en")
    return result


def _fill_missing_units(
    units: pd.DataFrame, config: ScreeningConfig, info: pd.DataFrame
) -> pd.DataFrame:
    """Units without any usable indicator (no residents): kept, never designated, noted."""
    gone = units["criteria_available"].isna()
    if not gone.any():
        return units
    units.loc[gone, "criteria_available"] = 0
    units.loc[gone, "criteria_flagged"] = 0
    units.loc[gone, "criteria"] = ""
    units.loc[gone, "meets_rule"] = False
    units.loc[gone, "criteria_required"] = config.min_criteria
    units.loc[gone, "vulnerable"] = False
    few = info.set_index("unit_id")["residents"].lt(config.min_unit_residents)
    units.loc[gone, "note"] = np.where(units.loc[gone, "unit_id"].map(few), "few_residents", "")
    for column in ("criteria_available", "criteria_flagged"):
        units[column] = units[column].astype(int)
    units["vulnerable"] = units["vulnerable"].astype(bool)
    units["meets_rule"] = units["meets_rule"].astype(bool)
    return units
