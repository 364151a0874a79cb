"""`udsat lists`: the state's lists from microdata or published figures, written by suffix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from udsat.errors import UdsatError
from udsat.outputs import write_table  # re-exported: other modules import it from here
from udsat.runlog import RunLog
from udsat.statelists.aggregate import read_aggregate
from udsat.statelists.classify import resolve_ruleset
from udsat.statelists.engine import compute_lists, scenario_without_ethnicity
from udsat.statelists.lookback import read_history
from udsat.statelists.messages import msg
from udsat.statelists.rules import (
    LIST_KEYS,
    RuleSet,
    first_list_year,
    ruleset_for_year,
    with_settings,
)

SUFFIXES = (".csv", ".parquet", ".xlsx")


@dataclass
class ListsSummary:
    table: pd.DataFrame
    messages: list[str]
    log: RunLog


def parse_region_income(items: list[str] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for text in items or []:
        region, eq, amount = text.partition("=")
        try:
            out[region.strip()] = float(amount)
        except ValueError as exc:
            raise UdsatError(msg("region_income", text=text)) from exc
        if not eq:
            raise UdsatError(msg("region_income", text=text))
    return out


def _lookback_years(rs: RuleSet, year: int) -> list[int]:
    rule = rs.lists.get("omdannelse")
    return list(range(year - rule.years + 1, year)) if rule else []


def microdata_figures(
    data: Path,
    year: int,
    rs: RuleSet,
    history: pd.DataFrame | None,
    refs: Any,
    log: RunLog,
    engine: str = "duckdb",
) -> pd.DataFrame:
    """The list year's figures and, for the look-back, those of earlier years that the data
    cover and the published history does not."""
    from udsat.contract.dataset import open_dataset
    from udsat.engines import open_engine
    from udsat.statelists.microdata import area_figures, available_years

    con = open_engine(engine, open_dataset(data))
    have = set(available_years(con))
    covered = set(history["year"]) if history is not None else set()
    first, frames = first_list_year(), []
    for y in [*_lookback_years(rs, year), year]:
        if y != year and (y in covered or not {y - 1, y} <= have or y < first):
            continue
        rules = rs if y == year else _same_settings(rs, y)
        frames.append(area_figures(con, rules, y, refs, log))
    return pd.concat(frames, ignore_index=True)


def _same_settings(rs: RuleSet, year: int) -> RuleSet:
    other = ruleset_for_year(year)
    shared = {
        k: rs.setting(k)
        for k in rs.settings
        if k in other.settings and rs.setting(k) != other.setting(k)
    }
    return with_settings(other, **shared) if shared else other


def _settings(averaging: str | None, forebyggelse_includes_udsat: bool) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if averaging:
        settings["averaging"] = averaging
    if forebyggelse_includes_udsat:
        settings["forebyggelse_excludes_udsat"] = False
    return settings


def _summary_lines(table: pd.DataFrame, year: int, out: Path, scenario: bool) -> list[str]:
    counts = ", ".join(
        f"{k} {int(table[k].fillna(False).astype(bool).sum())}"
        for k in LIST_KEYS
        if table[k].notna().any()
    )
    rules = table["rule_set"].iloc[0] if len(table) else "-"
    lines = [msg("done", year=year, rules=rules, path=out, areas=len(table), counts=counts)]
    if scenario:
        changed = table[table["status_changed_without_e"]]
        names = "; ".join(
            f"{n} ({c})"
            for n, c in zip(changed["area_name"], changed["status_changes_without_e"], strict=True)
        )
        lines.append(msg("changes", n=len(changed), names=names or "-"))
    return lines


def lists_command(
    *,
    year: int,
    out: Path,
    data: Path | None = None,
    aggregate: Path | None = None,
    history: Path | None = None,
    without_ethnicity: bool = False,
    averaging: str | None = None,
    forebyggelse_includes_udsat: bool = False,
    national_convicted_pct: float | None = None,
    region_income: list[str] | None = None,
    engine: str = "duckdb",
) -> ListsSummary:
    """Compute the lists of `year` and write them to `out`; returns the table and messages."""
    from udsat.statelists.microdata import References

    if (data is None) == (aggregate is None):
        raise UdsatError(msg("one_source"))
    if out.suffix.lower() not in SUFFIXES:
        raise UdsatError(msg("suffix", suffix=out.suffix))
    log, messages = RunLog(), []
    settings = _settings(averaging, forebyggelse_includes_udsat)
    past = read_history(history) if history else None
    if aggregate is not None:
        figures, warnings = read_aggregate(aggregate)
        messages += [msg("warning", text=str(w)) for w in warnings]
        figures = figures[figures["list_year"] <= year]
    else:
        refs = References(national_convicted_pct, parse_region_income(region_income))
        rs = resolve_ruleset(year, settings=settings)
        figures = microdata_figures(data, year, rs, past, refs, log, engine)  # type: ignore[arg-type]
    if not (figures["list_year"] == year).any():
        raise UdsatError(msg("no_rows", path=aggregate or data, year=year))
    if without_ethnicity:
        table = scenario_without_ethnicity(figures, past, settings=settings)
    else:
        table = compute_lists(figures, past, settings=settings)
    table = table[table["list_year"] == year].reset_index(drop=True)
    write_table(table, out)
    messages += [msg("warning", text=f"{e.rows:,} {e.table}: {e.reason}") for e in log.exclusions]
    messages += _summary_lines(table, year, out, without_ethnicity)
    return ListsSummary(table, messages, log)
