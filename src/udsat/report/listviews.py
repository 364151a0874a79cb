"""The state's lists page: this year's lists, each criterion's value, threshold and distance, and
the early warning, in sortable tables with one figure per column."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from udsat.report.bundle import ReportBundle
from udsat.report.messages import msg
from udsat.report.pages import (
    NOT_APPLICABLE,
    count,
    housing_page,
    mark_for,
    missing,
    plain,
    share,
    state_lists,
)
from udsat.report.publish import Published
from udsat.report.writer import PageWriter
from udsat.statelists.rules import RuleSet, law, ruleset_for_year

# An area gets a risk rank only when its probability of being on a list next year is at least
# this: below it the ranks would order areas by noise (the demo ranks 31 areas at ~0 %).
RANK_MIN = 0.01


@dataclass(frozen=True)
class Tier:
    """A tier of the law's thresholds with the lists that count criteria at it."""

    key: str
    lists: tuple[str, ...]  # the count lists judged at this tier, in the law's order
    counted: tuple[str, ...]  # the criteria those lists count, in the law's order
    min_met: int
    shown: tuple[str, ...]  # every criterion with a threshold at this tier (E, K included)


@dataclass
class ListTable:
    """One table of the lists page, laid out by the `table` macro (sortable)."""

    caption: str
    columns: list[tuple[str, str]]
    numeric: tuple[str, ...]
    rows: list[dict[str, Any]]
    groups: list[tuple[str, int]] = field(default_factory=list)
    starts: tuple[str, ...] = ()  # the columns that start a group
    notes_before: list[str] = field(default_factory=list)
    notes_after: list[str] = field(default_factory=list)


def tiers(rs: RuleSet) -> list[Tier]:
    """The tiers the rule set's count lists judge criteria at, in the law's order of tiers."""
    out = []
    for tier in rs.tier_suffix:
        rules = [r for r in rs.lists.values() if r.kind == "count" and r.tier == tier]
        if not rules:
            continue
        counted = {c for r in rules for c in r.criteria}
        out.append(
            Tier(
                key=tier,
                lists=tuple(r.key for r in rules),
                counted=tuple(k for k in rs.criteria if k in counted),
                min_met=min(r.min_met for r in rules),
                shown=tuple(k for k, c in rs.criteria.items() if tier in c.thresholds),
            )
        )
    return out


def distance(margin: object, higher_is_worse: bool) -> float | None:
    """The distance to a threshold with one sign for every criterion: positive = beyond the
    threshold (on the side where the criterion is met), negative = short of it. The published
    margin is value - threshold, so a criterion met below its threshold (income) flips it."""
    if missing(margin):
        return None
    value = float(margin)  # type: ignore[arg-type]
    return value if higher_is_worse else -value


def signed(value: float | None, lang: str, mark: str) -> str:
    """A distance with its sign written out (+1,5 / \u22121,5; 0,0 without a sign); `mark`
    when there is none."""
    if value is None:
        return mark
    text = plain(abs(value), lang, 1)
    if text == plain(0.0, lang, 1):
        return text
    return ("+" if value > 0 else "\u2212") + text


def _cell(text: str, sort: object = None, css: str = "") -> dict[str, Any]:
    """A cell with the value it sorts by ("" when it has none: it sorts last)."""
    return {"text": text, "sort": "" if missing(sort) else sort, "css": css}


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], table.to_dict("records"))


def _names(keys: tuple[str, ...], lang: str, year: int) -> str:
    return " / ".join(law().list_name(k, lang, year) for k in keys)


def _met_count(r: dict[str, Any], rs: RuleSet, tier: Tier) -> dict[str, Any]:
    columns = [f"{rs.prefix(k, tier.key)}_met" for k in tier.counted]
    flags = [r.get(c) for c in columns]
    if any(missing(f) for f in flags):
        blanked = [mark_for(r, c) for c, f in zip(columns, flags, strict=True) if missing(f)]
        return _cell(min(blanked, key=len))  # ".." (withheld) before "i.o." (no data)
    n = sum(bool(f) for f in flags)
    return _cell(str(n), n, "met" if n >= tier.min_met else "")


def overview_table(
    bundle: ReportBundle, pub: Published, table: pd.DataFrame, rs: RuleSet
) -> ListTable:
    """Per area: residents, its lists, the criteria met per tier and next year's risk."""
    lang, year = bundle.lang, bundle.year
    lists = state_lists(table)
    names = {k: law().list_name(k, lang, year) for k in lists}  # once, not per row
    amended = "status_changes_amended" in table
    warnings = pub.warnings.set_index("housing_area_id") if pub.warnings is not None else None
    risk_year = (
        int(pub.warnings["list_year"].iloc[0])
        if pub.warnings is not None and len(pub.warnings)
        else year + 1
    )
    levels = tiers(rs)
    columns = [("area", msg("area", lang)), ("residents", msg("residents", lang))]
    columns.append(("lists", msg("lists_on", lang, year=year)))
    groups: list[tuple[str, int]] = [("", 1), ("", 1)]
    if amended:
        columns.append(("amended", msg("lists_amended", lang)))
        groups.append(("", 1))
    starts = []
    for tier in levels:
        # per tier: the criteria met now and the early warning's probability of its lists
        risky = [k for k in tier.lists if warnings is not None and f"p_{k}" in warnings]
        block = [(f"met_{tier.key}", msg("criteria_met_of", lang, n=len(tier.counted)))]
        block += [
            (
                f"p_{k}",
                msg("risk_in", lang, year=risk_year)
                if len(risky) == 1
                else msg("risk_of", lang, list=law().list_name(k, lang, risk_year), year=risk_year),
            )
            for k in risky
        ]
        columns += block
        groups.append((_names(tier.lists, lang, year), len(block)))
        starts.append(block[0][0])
    if warnings is not None:
        columns += [
            ("p_any_list", msg("risk_any", lang, year=risk_year)),
            ("risk_rank", msg("risk_rank", lang)),
        ]
        groups.append((msg("early_warning", lang), 2))
        starts.append("p_any_list")
    none = msg("prof_no_list", lang)
    rows = []
    for r in _records(table):
        row: dict[str, Any] = {
            "area": {"href": housing_page(r["area_id"]), "text": str(r["area_name"])},
            "residents": _cell(
                count(r["residents"], lang, mark_for(r, "residents")), r["residents"]
            ),
            "lists": ", ".join(names[k] for k in lists if r.get(k) is True) or none,
        }
        if amended:
            row["amended"] = (
                ", ".join(names[k] for k in lists if r.get(f"{k}_amended") is True) or none
            )
        for tier in levels:
            row[f"met_{tier.key}"] = _met_count(r, rs, tier)
        if warnings is not None:
            w = warnings.loc[r["area_id"]].to_dict() if r["area_id"] in warnings.index else {}
            for key, _ in columns:
                if key.startswith("p_"):
                    p = w.get(key)
                    row[key] = _cell(share(p, lang, mark=mark_for(w, key)), p)
            p_any = w.get("p_any_list")
            ranked = not missing(p_any) and float(p_any) >= RANK_MIN  # type: ignore[arg-type]
            rank = w.get("risk_rank") if ranked else None
            text = plain(rank, lang, 0, mark_for(w, "risk_rank")) if ranked else NOT_APPLICABLE
            row["risk_rank"] = _cell(text, rank)
        rows.append(row)
    notes_after = []
    if warnings is not None:
        notes_after.append(
            msg(
                "rank_rule",
                lang,
                limit=share(RANK_MIN, lang),
                year=risk_year,
                mark=NOT_APPLICABLE,
            )
        )
        notes_after.append(msg("warning_basis", lang, year=risk_year, last=risk_year - 1))
    return ListTable(
        caption=msg("lists_overview", lang, year=year),
        columns=columns,
        numeric=tuple(k for k, _ in columns if k not in ("area", "lists", "amended")),
        rows=rows,
        groups=groups,
        starts=tuple(starts),
        notes_after=notes_after,
    )


def tier_table(bundle: ReportBundle, table: pd.DataFrame, rs: RuleSet, tier: Tier) -> ListTable:
    """Each criterion at one tier: the area's value, the threshold and the signed distance."""
    lang, year = bundle.lang, bundle.year
    shown = [k for k in tier.shown if f"{rs.prefix(k, tier.key)}_threshold" in table]
    columns = [("area", msg("area", lang))]
    groups = []
    starts: list[str] = []
    for k in shown:
        columns += [
            (f"{k}_value", msg("value_pct", lang)),
            (f"{k}_threshold", msg("threshold_pct", lang)),
            (f"{k}_distance", msg("distance_pp", lang)),
        ]
        groups.append((law().criterion_short(k, lang), 3))
        starts.append(f"{k}_value")
    rows = []
    for r in _records(table):
        row: dict[str, Any] = {
            "area": {"href": housing_page(r["area_id"]), "text": str(r["area_name"])}
        }
        for k in shown:
            prefix = rs.prefix(k, tier.key)
            value, threshold = r.get(f"{k}_value"), r.get(f"{prefix}_threshold")
            d = distance(
                r.get(f"{prefix}_margin_pp"), rs.criteria[k].thresholds[tier.key].higher_is_worse
            )
            met = r.get(f"{prefix}_met")
            margin = f"{prefix}_margin_pp"
            row[f"{k}_value"] = _cell(plain(value, lang, 1, mark_for(r, f"{k}_value")), value)
            row[f"{k}_threshold"] = _cell(
                plain(threshold, lang, 1, mark_for(r, f"{prefix}_threshold")), threshold
            )
            row[f"{k}_distance"] = _cell(
                signed(d, lang, mark_for(r, margin)), d, "met" if met is True else ""
            )
        rows.append(row)
    return ListTable(
        caption=msg("lists_tier", lang, lists=_names(tier.lists, lang, year), year=year),
        columns=columns,
        numeric=tuple(k for k, _ in columns[1:]),
        rows=rows,
        groups=groups,
        starts=tuple(starts),
    )


def lists_tables(bundle: ReportBundle, pub: Published) -> list[ListTable]:
    """This year's state lists: an overview with the early-warning risk, then a table per tier
    of the criteria with their values, thresholds and distances."""
    lang = bundle.lang
    rs = ruleset_for_year(bundle.year)
    table = pub.lists[pub.lists["list_year"] == bundle.year]
    if table.empty:
        return []
    out = [overview_table(bundle, pub, table, rs)]
    levels = tiers(rs)
    below = [
        law().criterion_short(k, lang)
        for k, c in rs.criteria.items()
        if any(not t.higher_is_worse for t in c.thresholds.values())
    ]
    for i, tier in enumerate(levels):
        t = tier_table(bundle, table, rs, tier)
        if i == 0:
            t.notes_before.append(msg("distance_rule", lang, below=", ".join(below) or "-"))
        out.append(t)
    return out


def write_lists(writer: PageWriter, bundle: ReportBundle, pub: Published) -> None:
    lang = bundle.lang
    rules = ", ".join(sorted(bundle.lists_of_year["rule_set"].astype(str).unique()))
    writer.page(
        "lists.html",
        "lists.html",
        msg("nav_lists", lang),
        tables=lists_tables(bundle, pub),
        wide=True,
        intro=msg("lists_intro", lang, year=bundle.year, rules=rules),
        warnings_missing=""
        if pub.warnings is not None
        else msg("missing_input", lang, what=msg("what_warnings", lang)),
    )
