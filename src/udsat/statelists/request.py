"""`udsat lists`: the state's lists of a year from microdata or published figures (the command
in udsat.commands publishes them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from udsat.contract.tabular import Stated
from udsat.errors import UdsatError
from udsat.runlog import RunLog
from udsat.statelists.aggregate import read_aggregate
from udsat.statelists.classify import resolve_ruleset
from udsat.statelists.engine import compute_lists, scenario_without_ethnicity, side_by_side
from udsat.statelists.lookback import read_history
from udsat.statelists.messages import msg
from udsat.statelists.microdata import needed_years
from udsat.statelists.references import YearReferences, read_references, run_references
from udsat.statelists.rules import Law, first_list_year, load_law


@dataclass
class ListsSummary:
    """table: the list year's rows (what is written); earlier: the rows of the earlier look-back
    years computed in the same run (microdata mode; empty otherwise)."""

    table: pd.DataFrame
    messages: list[str]
    log: RunLog
    earlier: pd.DataFrame = field(default_factory=pd.DataFrame)


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


def figure_years(
    year: int,
    settings: Mapping[str, object],
    have: set[int],
    covered: set[int],
    law_: Law | None = None,
) -> list[int]:
    """The list years whose figures the list of `year` needs: `year` itself, then each earlier
    year of its look-backs that the data cover (rows of every year its rule set reads), that has
    a rule set and that the published history does not cover."""
    rules = resolve_ruleset(year, settings=dict(settings), law_=law_).lists.values()
    back = max((r.years for r in rules if r.kind == "lookback"), default=1)
    first = first_list_year(law_)
    return [year] + [
        y
        for y in range(year - back + 1, year)
        if y >= first
        and y not in covered
        and set(needed_years(resolve_ruleset(y, settings=dict(settings), law_=law_), y)) <= have
    ]


def _years_text(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


def _check_regions(references: YearReferences, figures: pd.DataFrame, year: int) -> None:
    """With a references file, every region holding an area needs that year's income."""
    given = references.get(year)
    if references.source is None or given is None:
        return
    regions = set(figures["region"].dropna().astype(str))
    lacking = sorted(regions - set(given.region_income))
    if lacking:
        raise UdsatError(
            msg(
                "references_region_missing",
                path=references.source,
                year=year,
                regions=", ".join(lacking),
            )
        )


def microdata_figures(
    data: Path,
    year: int,
    settings: Mapping[str, object],
    history: pd.DataFrame | None,
    references: YearReferences,
    log: RunLog,
    engine: str = "duckdb",
    law_: Law | None = None,
) -> pd.DataFrame:
    """The list year's figures and, for the look-back, those of earlier years that the data
    cover and the published history does not.

    Each year is computed with its own rule set plus only the run's `settings` (the options the
    user chose) and with its own year's references: from `references`, or computed from that
    year's rows of the data when `references` has no file and no values for the year.
    """
    from udsat.contract.dataset import open_dataset
    from udsat.engines import open_engine
    from udsat.statelists.microdata import ReferencesNeeded, YearCounts, available_years

    con = open_engine(engine, open_dataset(data))
    covered = set(history["year"]) if history is not None else set()
    years = figure_years(year, settings, set(available_years(con)), covered, law_)
    missing = references.missing(years) if references.source else []
    if missing:
        text = _years_text(sorted(missing))
        raise UdsatError(
            msg("references_missing", path=references.source, years=text, list_year=year)
        )
    plan = [(y, resolve_ruleset(y, settings=dict(settings), law_=law_)) for y in years]
    counts = YearCounts(con, plan)
    frames = []
    for y, rules in plan:
        try:
            figures = counts.figures(rules, y, references.get(y), log)
        except ReferencesNeeded as exc:
            if y == year:
                raise
            need = _years_text(sorted(references.missing(years[1:])))
            raise UdsatError(msg("lookback_references", list_year=year, years=need)) from exc
        _check_regions(references, figures, y)
        frames.append(figures)
    return pd.concat(frames, ignore_index=True)


def _settings(
    averaging: str | None, forebyggelse_includes_udsat: bool, benefits: str | None = None
) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if averaging:
        settings["averaging"] = averaging
    if benefits:
        settings["outside_benefits"] = benefits
    if forebyggelse_includes_udsat:
        settings["forebyggelse_excludes_udsat"] = False
    return settings


def _summary_lines(
    table: pd.DataFrame, year: int, out: Path, scenarios: list[tuple[str, str]]
) -> list[str]:
    counts = ", ".join(
        f"{k} {int(table[k].fillna(False).astype(bool).sum())}"
        for k in load_law().list_keys()
        if k in table and table[k].notna().any()
    )
    rules = table["rule_set"].iloc[0] if len(table) else "-"
    lines = [msg("done", year=year, rules=rules, path=out, areas=len(table), counts=counts)]
    for tag, key in scenarios:
        changed = table[table[f"status_changed_{tag}"]]
        names = "; ".join(
            f"{n} ({c})"
            for n, c in zip(changed["area_name"], changed[f"status_changes_{tag}"], strict=True)
        )
        lines.append(msg(key, n=len(changed), names=names or "-"))
    return lines


@dataclass
class ListsRequest:
    """What `udsat lists` was asked for (udsat.commands.lists_command publishes the result)."""

    year: int
    data: Path | None = None
    aggregate: Path | None = None
    history: Path | None = None
    without_ethnicity: bool = False
    averaging: str | None = None
    forebyggelse_includes_udsat: bool = False
    national_convicted_pct: float | None = None
    region_income: list[str] | None = None
    engine: str = "duckdb"
    references: Path | None = None
    rules: Path | None = None  # an edited copy of the law file: shown beside the law in force
    benefits: str | None = None  # a named benefit set of the law (broad, cash_only)
    # How the tabular inputs are written when detection cannot tell (--separator, --decimal),
    # and the Excel sheet to read (--sheet); None: detected (udsat.contract.tabular).
    stated: Stated = field(default_factory=Stated)

    @property
    def settings(self) -> dict[str, Any]:
        return _settings(self.averaging, self.forebyggelse_includes_udsat, self.benefits)

    def inputs(self) -> dict[str, Path]:
        """The input files by role, for the run manifest."""
        named = {
            "data": self.data,
            "aggregate": self.aggregate,
            "history": self.history,
            "references": self.references,
            "rules": self.rules,
        }
        return {k: Path(v) for k, v in named.items() if v is not None}


def lists_table(request: ListsRequest) -> ListsSummary:
    """The lists of the request's year (and the earlier look-back years computed with them).

    references: a CSV of the references per list year (statelists/references.py);
    national_convicted_pct and region_income apply to the list year only.
    """
    year, data, aggregate = request.year, request.data, request.aggregate
    if (data is None) == (aggregate is None):
        raise UdsatError(msg("one_source"))
    if request.references is not None and aggregate is not None:
        raise UdsatError(msg("references_aggregate"))
    log, messages = RunLog(), []
    settings = request.settings
    amended = load_law(request.rules) if request.rules is not None else None
    past = read_history(request.history, request.stated, log) if request.history else None
    if aggregate is not None:
        figures, warnings = read_aggregate(aggregate, request.stated, log)
        messages += [msg("warning", text=str(w)) for w in warnings]
        figures = figures[figures["list_year"] <= year]
        amended_figures = figures
    else:
        assert data is not None
        given = (
            read_references(request.references, request.stated, log)
            if request.references is not None
            else None
        )
        refs = run_references(
            given,
            year,
            request.national_convicted_pct,
            parse_region_income(request.region_income),
        )
        figures = microdata_figures(data, year, settings, past, refs, log, request.engine)
        if amended is not None:  # the amendment may count other people: its own figures
            amended_figures = microdata_figures(
                data, year, settings, past, refs, RunLog(), request.engine, amended
            )
    if not (figures["list_year"] == year).any():
        raise UdsatError(msg("no_rows", path=aggregate or data, year=year))
    if request.without_ethnicity:
        table = scenario_without_ethnicity(figures, past, settings=settings)
    else:
        table = compute_lists(figures, past, settings=settings)
    if amended is not None:
        other = compute_lists(amended_figures, past, settings=settings, law_=amended)
        table = side_by_side(table, other, "amended")
    earlier = table[table["list_year"] < year].reset_index(drop=True)
    table = table[table["list_year"] == year].reset_index(drop=True)
    messages += [msg("warning", text=f"{e.rows:,} {e.table}: {e.reason}") for e in log.exclusions]
    messages += log.process_notes  # how each tabular input was read, in the user's language
    return ListsSummary(table, messages, log, earlier)


def summary_lines(summary: ListsSummary, request: ListsRequest, out: Path) -> list[str]:
    """The closing lines of `udsat lists` (what was written where, the scenario's changes)."""
    scenarios = [("without_e", "changes")] if request.without_ethnicity else []
    if request.rules is not None:
        scenarios.append(("amended", "changes_amended"))
    return _summary_lines(summary.table, request.year, out, scenarios)
