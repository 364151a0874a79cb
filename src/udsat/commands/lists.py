"""`udsat lists`: the state's lists of a year, published as one file with its manifest."""

from __future__ import annotations

from pathlib import Path

from udsat.pipeline import manifest
from udsat.publish import publish_file
from udsat.publish import tables as specs
from udsat.publish.writers import check_table_suffix
from udsat.statelists.request import ListsRequest, ListsSummary, lists_table, summary_lines


def lists_command(request: ListsRequest, out: Path) -> ListsSummary:
    """The lists of the request's year, published as `out` (.csv, .parquet or .xlsx) with
    `<out>.manifest.json`; returns the table and the messages."""
    check_table_suffix(out)
    summary = lists_table(request)
    publish_file(
        out,
        lambda stage: stage.table(out.name, summary.table, specs.STATE_LISTS),
        manifest(
            config={
                "year": request.year,
                "settings": request.settings,
                "without_ethnicity": request.without_ethnicity,
                "national_convicted_pct": request.national_convicted_pct,
                "region_income": list(request.region_income or []),
                **({"rules": request.rules.name} if request.rules is not None else {}),
            },
            inputs=request.inputs(),
            engine=request.engine if request.data is not None else "none",
            seed=None,
            parts=("statelists",),
            extra={"run_log": summary.log.to_dict(examples=False)},
        ),
    )
    summary.messages += summary_lines(summary, request, out)
    return summary
