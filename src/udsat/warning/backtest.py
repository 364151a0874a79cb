"""Backtest of the early warning: predict list year Y from the rows before Y, for every list year
the data allow, and score the probabilities against the lists computed from the full data.

The naive predictor is "same as last year": the list or criterion status of Y-1 as a 0/1
probability (a list not in force in Y-1 counts as not listed). Scores: the Brier score per list
and criterion (and pooled), and a reliability table (predicted vs observed frequency per bin).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from udsat.engines import Engine
from udsat.errors import UdsatError
from udsat.statelists.microdata import References
from udsat.statelists.rules import ruleset_for_year
from udsat.warning.messages import msg
from udsat.warning.model import Prepared, predict, prepare

LIST_TARGETS = ("udsat", "parallelsamfund", "forebyggelse", "omdannelse")
BINS = (0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0)


@dataclass
class BacktestResult:
    years: list[int]
    predictions: pd.DataFrame  # list_year, area_id, target, kind, p_model, p_naive, outcome
    scores: pd.DataFrame  # target, kind, n, events, brier_model, brier_naive, skill
    reliability: pd.DataFrame  # kind, bin, n, mean_p, observed
    left_out: int  # area-years with a known outcome but no model probability (data missing)


def backtest_years(prep: Prepared) -> list[int]:
    """List years Y with rows Y-2..Y in the data: the list of Y-1 (the naive predictor) and the
    truth of Y are both computable, and the model has Y-1 and an earlier year."""
    have = set(prep.years)
    return [y for y in prep.years if {y - 2, y - 1, y} <= have]


def _status(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(np.nan, index=frame.index)
    return frame[column].astype("Float64").astype(float)


def _year_rows(prep: Prepared, year: int, draws: int, seed: int) -> pd.DataFrame:
    pred = predict(prep, year, draws, seed).set_index("housing_area_id")
    truth = prep.lists_for([year]).set_index("area_id").reindex(pred.index)
    last = prep.lists_for([year - 1]).set_index("area_id").reindex(pred.index)
    rs = ruleset_for_year(year)
    rows = []
    for target in LIST_TARGETS:
        rows.append(
            pd.DataFrame(
                {
                    "target": target,
                    "kind": "list",
                    "p_model": pred[f"p_{target}"],
                    "p_naive": _status(last, target).fillna(0.0),
                    "outcome": _status(truth, target),
                }
            )
        )
    for key, crit in rs.criteria.items():
        if "udsat" in crit.thresholds:  # the criteria of § 61 a (kombineret is not scored here)
            rows.append(
                pd.DataFrame(
                    {
                        "target": key,
                        "kind": "criterion",
                        "p_model": pred[f"p_{key}"],
                        "p_naive": _status(last, f"{key}_met"),
                        "outcome": _status(truth, f"{key}_met"),
                    }
                )
            )
    out = pd.concat(rows).rename_axis("area_id").reset_index()
    out.insert(0, "list_year", year)
    return out


def brier(p: pd.Series, outcome: pd.Series) -> float:
    return float(np.mean((p.to_numpy(float) - outcome.to_numpy(float)) ** 2))


def _scores(rows: pd.DataFrame) -> pd.DataFrame:
    groups = [(t, k, g) for (t, k), g in rows.groupby(["target", "kind"], sort=False)]
    pooled = {"list": "all_lists", "criterion": "all_criteria"}
    groups += [(pooled[str(k)], k, g) for k, g in rows.groupby("kind", sort=False)]
    records = []
    for target, kind, g in groups:
        model, naive = brier(g["p_model"], g["outcome"]), brier(g["p_naive"], g["outcome"])
        records.append(
            {
                "target": target,
                "kind": kind,
                "n": len(g),
                "events": int(g["outcome"].sum()),
                "brier_model": model,
                "brier_naive": naive,
                "skill": 1.0 - model / naive if naive > 0 else np.nan,
            }
        )
    return pd.DataFrame(records)


def reliability(rows: pd.DataFrame) -> pd.DataFrame:
    """Per kind and probability bin: rows, mean predicted probability, observed frequency."""
    binned = rows.assign(bin=pd.cut(rows["p_model"], list(BINS), include_lowest=True).astype(str))
    table = (
        binned.groupby(["kind", "bin"], sort=False)
        .agg(n=("outcome", "size"), mean_p=("p_model", "mean"), observed=("outcome", "mean"))
        .reset_index()
    )
    order = {
        str(c): i for i, c in enumerate(pd.cut([0.0], list(BINS), include_lowest=True).categories)
    }
    return table.sort_values(["kind", "bin"], key=lambda s: s.map(order) if s.name == "bin" else s)


def backtest(
    con: duckdb.DuckDBPyConnection | Engine,
    *,
    years: list[int] | None = None,
    draws: int = 1000,
    seed: int = 0,
    references: References | None = None,
    prepared: Prepared | None = None,
    lists: pd.DataFrame | None = None,
) -> BacktestResult:
    """Predict every backtest year from the rows before it and score against the full data.

    `con`: the dataset's DuckDB connection or any engine (udsat.engines); `lists`: the state's
    lists computed upstream, every year (see udsat.warning.model.prepare).
    """
    prep = prepared or prepare(con, references, lists)
    chosen = years or backtest_years(prep)
    if not chosen:
        span = f"{min(prep.years)}-{max(prep.years)}"
        raise UdsatError(msg("no_backtest_years", span=span))
    # One engine run over all list years, so each year's omdannelse look-back sees the earlier ones.
    prep.lists_for(sorted({*chosen, *(y - 1 for y in chosen)} | set(prep.years)))
    rows = pd.concat([_year_rows(prep, y, draws, seed + y) for y in chosen], ignore_index=True)
    known = rows["outcome"].notna() & rows["p_naive"].notna()
    scored = rows[known & rows["p_model"].notna()].reset_index(drop=True)
    return BacktestResult(
        years=list(chosen),
        predictions=rows,
        scores=_scores(scored),
        reliability=reliability(scored),
        left_out=int((known & rows["p_model"].isna()).sum()),
    )
