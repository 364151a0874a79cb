"""The state's lists page: this year's lists, criteria with margins and the early warning."""

from __future__ import annotations

from udsat.report.bundle import ReportBundle
from udsat.report.messages import msg
from udsat.report.pages import (
    count,
    housing_page,
    list_criteria,
    plain,
    share,
    state_lists,
)
from udsat.report.publish import Published
from udsat.report.writer import PageWriter
from udsat.statelists.rules import law, ruleset_for_year


def lists_rows(bundle: ReportBundle, pub: Published) -> tuple[list[dict], list, tuple]:
    """This year's state lists: criteria with margins, lists and the early-warning risk; with
    an amendment (`--rules`), the lists under it beside them."""
    lang = bundle.lang
    rs = ruleset_for_year(bundle.year)
    criteria = list_criteria(rs)
    table = pub.lists[pub.lists["list_year"] == bundle.year]
    lists = state_lists(table)
    names = {k: law().list_name(k, lang, bundle.year) for k in lists}  # once, not per row
    amended = "status_changes_amended" in table
    warnings = pub.warnings.set_index("housing_area_id") if pub.warnings is not None else None
    rows = []
    for r in table.to_dict("records"):
        row = {
            "area": {"href": housing_page(r["area_id"]), "text": str(r["area_name"])},
            "residents": count(r["residents"], lang),
            "criteria_met": plain(r.get("criteria_met"), lang, 0),
        }
        for c, prefix in criteria:
            row[c] = (
                f"{share(r.get(f'{c}_value'), lang, 1)} / "
                f"{share(r.get(f'{prefix}_threshold'), lang, 1)} "
                f"({plain(r.get(f'{prefix}_margin_pp'), lang, 1)})"
            )
        row["lists"] = ", ".join(names[k] for k in lists if r.get(k) is True) or "-"
        if amended:
            row["amended"] = (
                ", ".join(names[k] for k in lists if r.get(f"{k}_amended") is True) or "-"
            )
        if warnings is not None and r["area_id"] in warnings.index:
            w = warnings.loc[r["area_id"]]
            row["risk"] = (
                f"{share(w.get('p_parallelsamfund'), lang)} / "
                f"{share(w.get('p_forebyggelse'), lang)}"
            )
            row["risk_rank"] = plain(w.get("risk_rank"), lang, 0)
        else:
            row["risk"] = row["risk_rank"] = msg("not_available", lang)
        rows.append(row)
    columns = [
        ("area", msg("area", lang)),
        ("residents", msg("residents", lang)),
        ("criteria_met", msg("criteria_met", lang)),
    ]
    columns += [
        (
            c,
            f"{law().criterion_short(c, lang)}: {msg('value', lang)} / {msg('threshold', lang)} "
            f"({msg('margin_pp', lang)})",
        )
        for c, _ in criteria
    ]
    columns += [("lists", msg("lists", lang))]
    if amended:
        columns += [("amended", msg("lists_amended", lang))]
    columns += [("risk", msg("risk", lang)), ("risk_rank", msg("risk_rank", lang))]
    return rows, columns, ("residents", "criteria_met", *(c for c, _ in criteria), "risk_rank")


def write_lists(writer: PageWriter, bundle: ReportBundle, pub: Published) -> None:
    lang = bundle.lang
    rows, columns, numeric = lists_rows(bundle, pub)
    rules = ", ".join(sorted(bundle.lists_of_year["rule_set"].astype(str).unique()))
    writer.page(
        "lists.html",
        "lists.html",
        msg("nav_lists", lang),
        rows=rows,
        columns=columns,
        numeric=numeric,
        intro=msg("lists_intro", lang, year=bundle.year, rules=rules),
        warnings_missing=""
        if pub.warnings is not None
        else msg("missing_input", lang, what=msg("what_warnings", lang)),
    )
