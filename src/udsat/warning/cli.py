"""`udsat warn`: the early-warning table for the next 1 December, written by suffix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from udsat.errors import UdsatError
from udsat.statelists.cli import SUFFIXES, write_table
from udsat.statelists.messages import msg as lists_msg
from udsat.statelists.microdata import References
from udsat.warning.messages import msg


@dataclass
class WarnSummary:
    table: pd.DataFrame
    messages: list[str]


def single_municipality(con) -> bool:
    """True when the data's addresses lie in one municipality (the synthetic demo city)."""
    found = con.sql("SELECT count(DISTINCT municipality_code) FROM addresses").fetchall()
    return int(found[0][0]) <= 1


def warn_command(data: Path, year: int, out: Path, draws: int, seed: int) -> WarnSummary:
    """Warn for list year `year` from the dataset in `data` (rows up to `year` - 1) and write the
    ranked table to `out` (.csv, .parquet or .xlsx). One-municipality data are their own national
    and regional reference (said in the messages), as in the demo's lists."""
    from udsat.contract.dataset import open_dataset
    from udsat.warning.model import warn

    if out.suffix.lower() not in SUFFIXES:
        raise UdsatError(lists_msg("suffix", suffix=out.suffix))
    con = open_dataset(data).connect()
    messages = []
    references = None
    if single_municipality(con):
        references = References(data_is_reference=True)
        messages.append(msg("own_reference"))
    table = warn(con, year=year, draws=draws, seed=seed, references=references)
    write_table(table, out)
    top = table.iloc[0] if len(table) else None
    shown = f"{top['name']} ({round(100 * top['p_any_list'])} %)" if top is not None else "-"
    messages.append(
        msg(
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
