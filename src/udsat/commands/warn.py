"""`udsat warn`: the early warning for the next 1 December, published as one file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from udsat.pipeline import dataset_manifest_extra, identifiers, manifest, open_run
from udsat.publish import publish_file
from udsat.publish import tables as specs
from udsat.publish.writers import check_table_suffix
from udsat.warning.messages import msg as warning_msg


@dataclass
class WarnSummary:
    table: pd.DataFrame
    messages: list[str]


def warn_command(
    data: Path,
    year: int,
    out: Path,
    draws: int,
    seed: int,
    engine: str = "duckdb",
    rules: Path | None = None,
) -> WarnSummary:
    """Warn for list year `year` from the dataset in `data` (rows up to `year` - 1) and publish
    the ranked table as `out` (.csv, .parquet or .xlsx) with its manifest."""
    from udsat.warning.model import warn

    check_table_suffix(out)
    ctx = open_run(Path(data), engine=engine, rules=rules)
    messages = []
    if ctx.references.data_is_reference:
        messages.append(warning_msg("own_reference"))
    table = warn(
        ctx.engine,
        year=year,
        draws=draws,
        seed=seed,
        references=ctx.references,
        amendment=ctx.amendment,
    )
    publish_file(
        out,
        lambda stage: stage.table(out.name, table, specs.EARLY_WARNING),
        manifest(
            config={
                "year": year,
                "draws": draws,
                **({"rules": rules.name} if rules is not None else {}),
            },
            inputs=Path(data),
            engine=engine,
            seed=seed,
            parts=("statelists",),
            extra={**dataset_manifest_extra(ctx), "run_log": ctx.log.to_dict(examples=False)},
        ),
        identifiers=identifiers(ctx),
        policy=ctx.policy,
    )
    top = table.iloc[0] if len(table) else None
    shown = f"{top['name']} ({round(100 * top['p_any_list'])} %)" if top is not None else "-"
    messages.append(
        warning_msg(
            "warn_done",
            year=year,
            last=year - 1,
            draws=draws,
            seed=seed,
            path=out,
            areas=len(table),
            top=shown,
        )
    )
    return WarnSummary(table, messages)
