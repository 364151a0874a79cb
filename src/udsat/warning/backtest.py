"""Backtest of the early warning: forecasts of list year Y from the rows before Y, scored against
the lists computed from the full data beside four fair baselines (issue 18).

What is scored (`BacktestResult.predictions`: one row per list year, housing area and target):
- the lists parallelsamfund and forebyggelse as events (pooled as "lists"); udsat and omdannelse
  in rows of their own, never pooled (in these data udsat equals parallelsamfund from 2018 and
  omdannelse equals it from 2020: pooling them would count one miss several times);
- the criteria of § 61 a (the tier of the parallelsamfund list) as met / not met events (pooled
  as "criteria").
A target not in force in Y, or undetermined in Y (a look-back the data do not cover), has no
outcome and is not scored; an area-year with an outcome but a missing forecast is left out and
counted with its reason (`left_out`).

The forecasts of list year Y:
- model: `predict` with the rules in force on the forecast date (its `rule_set` column); a target
  those rules do not have (a list adopted later) gets probability 0. Where the announced rules of
  Y are given (`p_<list>_announced`), they are scored beside it;
- persistence: the status of Y-1 as 0/1 (a list not in force in Y-1, or undetermined, counts 0);
- rates: P(status Y = 1 | status Y-1) pooled over the areas, from the transitions of earlier list
  years only (both years in force and decided); no such transition with that prior status:
  persistence;
- last_figures: the figures of list year Y-1 (persons rows Y-2 and Y-1) through the rules of Y
  (`classify_year`), omdannelse by the look-back over the earlier lists (the model's own); 0/1;
- last_figures_rates: P(outcome = 1 | the last-figures call) from the (call, outcome) pairs of
  earlier list years only; no pair with that call: the call itself.
Nothing for year Y reads rows of Y or later: the model by construction, the baselines from the
lists of earlier years and the figures of list year Y-1 (`last_figures_calls` checks the row
years it reads against the rule set's `needed_years`).

Scores: the Brier score (mean squared error of the probability) of every forecast, per target and
pool, for all area-years and split by the status of Y-1 (entries: not listed / not met in Y-1;
exits: listed / met), per period: the list years with a rule change (their rules differ from
those of Y-1, read from the law) apart from the stable ones. Every difference model - baseline
gets a 95 % percentile interval from resampling the housing areas with replacement (all their
years and targets together, seeded). Also the reliability of the model's probabilities and the
coverage of its 50 % and 90 % intervals of each criterion's figure. `render_markdown` writes the
tables for docs/early-warning.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import duckdb
import numpy as np
import pandas as pd

from udsat.engines import Engine
from udsat.errors import UdsatError
from udsat.i18n import number
from udsat.statelists.classify import classify_year
from udsat.statelists.microdata import References, needed_years
from udsat.statelists.rules import (
    Law,
    RuleSet,
    compare,
    first_list_year,
    on_grid,
    ruleset_for_year,
    ruleset_named,
)
from udsat.warning.messages import msg
from udsat.warning.model import Prepared, lookback_holds, predict, prepare

# Issue 18: each list is scored once. parallelsamfund and forebyggelse are the list events (the
# pool "lists"); udsat and omdannelse (equal to parallelsamfund from 2018 and 2020 in these data)
# get rows of their own and are never pooled.
SCORED_LISTS = ("parallelsamfund", "forebyggelse")
NOT_POOLED = ("udsat", "omdannelse")
POOLS = {"list": "lists", "criterion": "criteria"}
HEADLINE_FROM = 2019  # issue 18's done-when: list years 2019-2025 (earlier ones on request)
RESAMPLES = 1000  # area resamples for the intervals of the differences
LEVEL = 0.95
BINS = (0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0)
BASELINES = ("persistence", "rates", "last_figures", "last_figures_rates")
PERIODS = ("stable", "rule change", "all")
SPLITS = ("all", "entries", "exits")
# The model's predictive intervals of a criterion's figure: name -> (lower, upper) column prefix,
# and the coverage issue 18's done-when asks for.
INTERVALS = {"50": ("q25", "q75"), "90": ("q05", "q95")}
BANDS = {"50": (0.40, 0.60), "90": (0.82, 0.97)}


@dataclass(frozen=True)
class Target:
    """A scored event: a list, or a criterion met at the tier of § 61 a."""

    key: str
    kind: str  # "list" or "criterion"
    role: str  # "event": counted in its kind's pool; "not pooled": its own rows only

    def stem(self, rs: RuleSet) -> str | None:
        """The target's column stem under `rs` (the list key, or the criterion's prefix at the
        tier of § 61 a); None when `rs` does not have it (not in force)."""
        if self.kind == "list":
            return self.key if self.key in rs.lists else None
        tier = criteria_tier(rs)
        crit = rs.criteria.get(self.key)
        return rs.prefix(self.key, tier) if crit is not None and tier in crit.thresholds else None

    def outcome_column(self, rs: RuleSet) -> str | None:
        """The column of the lists table holding the target's status under `rs`."""
        stem = self.stem(rs)
        return stem if stem is None or self.kind == "list" else f"{stem}_met"


def criteria_tier(rs: RuleSet) -> str:
    """The tier of § 61 a's criteria: the tier of the parallelsamfund list."""
    return rs.lists[SCORED_LISTS[0]].tier


def targets(years: Sequence[int], law_: Law | None = None) -> list[Target]:
    """The scored lists, then every criterion of § 61 a in force in any of `years`, in the law's
    order."""
    sets = [ruleset_for_year(y, law_) for y in years]
    order = sets[0].all_criteria if sets else ()
    crit = [k for k in order if any(Target(k, "criterion", "event").stem(rs) for rs in sets)]
    return [
        *(Target(k, "list", "event") for k in SCORED_LISTS),
        *(Target(k, "list", "not pooled") for k in NOT_POOLED),
        *(Target(k, "criterion", "event") for k in crit),
    ]


def rule_change(year: int, law_: Law | None = None) -> bool:
    """Whether list year `year` is decided by other rules than `year` - 1 (another era of the
    law): the rules of `year` were not in force when the list of `year` - 1 was published."""
    if year - 1 < first_list_year(law_):
        return True
    return ruleset_for_year(year, law_).id != ruleset_for_year(year - 1, law_).id


def backtest_years(prep: Prepared, law_: Law | None = None) -> list[int]:
    """List years Y with rows Y-2..Y in the data and rules for Y-1: the list of Y-1 (persistence),
    the figures of Y-1 (last figures) and the truth of Y are computable, and the model has Y-1
    and an earlier year."""
    have = set(prep.years)
    first = first_list_year(law_)
    return [y for y in prep.years if {y - 2, y - 1, y} <= have and y - 1 >= first]


def _floats(values: pd.Series) -> np.ndarray:
    """1.0 / 0.0 / NaN from a boolean (with <NA>) or numeric column."""
    return pd.Series(values).astype("Float64").to_numpy(dtype=float, na_value=np.nan)


# --- Outcomes and the baselines (pure: frames in, frames out) ---------------------------------


def statuses(
    lists: pd.DataFrame, targets_: Sequence[Target], law_: Law | None = None
) -> pd.DataFrame:
    """One row per list year, area and target of a lists table: `status` (1.0 / 0.0; NaN when
    undetermined or not in force) and `in_force` (the target is in the rules of that year)."""
    parts = []
    for year in sorted({int(y) for y in lists["list_year"]}):
        group = lists[lists["list_year"] == year]
        rs = ruleset_for_year(year, law_)
        for t in targets_:
            column = t.outcome_column(rs)
            status = _floats(group[column]) if column in group else np.full(len(group), np.nan)
            parts.append(
                pd.DataFrame(
                    {
                        "list_year": year,
                        "area_id": group["area_id"].to_numpy(),
                        "target": t.key,
                        "kind": t.kind,
                        "role": t.role,
                        "status": status,
                        "in_force": column is not None,
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


def add_prior(status: pd.DataFrame) -> pd.DataFrame:
    """`status` with `prior`, the status of Y-1 as 0/1 (not in force or undetermined in Y-1
    counts 0: the persistence forecast), and `transition`: both years in force and decided, a
    pair the rates learn from."""
    keys = ["list_year", "area_id", "target"]
    before = status[[*keys, "status", "in_force"]].rename(
        columns={"status": "prior_status", "in_force": "prior_in_force"}
    )
    before["list_year"] = before["list_year"] + 1
    out = status.merge(before, on=keys, how="left")
    known = out["prior_in_force"].eq(True).to_numpy() & out["prior_status"].notna().to_numpy()
    out["prior"] = np.where(known, out["prior_status"].to_numpy(float), 0.0)
    out["transition"] = known & out["in_force"].to_numpy(bool) & out["status"].notna().to_numpy()
    return out.drop(columns=["prior_status", "prior_in_force"])


def earlier_rate(
    frame: pd.DataFrame, condition: str, usable: str, outcome: str = "status"
) -> np.ndarray:
    """For every row: the share of `outcome` = 1 among the `usable` rows (with a known outcome)
    of EARLIER list years with the same target and the same `condition` (0/1), pooled over the
    areas; the condition itself where there is no such row; NaN where the condition is NaN.

    Only rows of years before the row's own are read: a later year's outcome never changes an
    earlier year's rate."""
    years = frame["list_year"].to_numpy(int)
    target = frame["target"].to_numpy(object)
    cond = frame[condition].to_numpy(float)
    y = frame[outcome].to_numpy(float)
    learn = frame[usable].to_numpy(bool) & np.isfinite(y)
    out = cond.copy()
    for t in pd.unique(target):
        for c in (0.0, 1.0):
            same = (target == t) & (cond == c)
            for year in np.unique(years[same]):
                earlier = learn & same & (years < year)
                if earlier.any():
                    out[same & (years == year)] = y[earlier].mean()
    return out


def baselines(status: pd.DataFrame, calls: pd.DataFrame) -> pd.DataFrame:
    """Every baseline of every list year in `status` (see the module's docstring).

    `status`: statuses(); `calls`: list_year, area_id, target, call (last_figures_calls of each
    year, 0/1 or NaN). Adds prior, transition, outcome (= status) and the p_<baseline> columns.
    """
    frame = add_prior(status)
    frame = frame.merge(calls, on=["list_year", "area_id", "target"], how="left")
    frame["outcome"] = frame["status"]
    frame["p_persistence"] = frame["prior"]
    frame["p_rates"] = earlier_rate(frame, "prior", "transition")
    frame["p_last_figures"] = frame["call"].astype(float)
    frame["pair"] = frame["call"].notna() & frame["status"].notna()
    frame["p_last_figures_rates"] = earlier_rate(frame, "call", "pair")
    return frame.drop(columns=["pair"])


# --- Reading the forecasts and the figures (the dataset's engine) ------------------------------


def last_figures_calls(
    prep: Prepared, year: int, targets_: Sequence[Target], law_: Law | None = None
) -> pd.DataFrame:
    """The last-figures call of every area and target for list year `year`: the figures of list
    year `year` - 1 through the rules of `year`, the omdannelse look-back over the lists before
    `year` (model.lookback_holds); 1.0 / 0.0 / NaN (undecided)."""
    rs = ruleset_for_year(year, law_)
    read = needed_years(rs, year - 1)
    if max(read) >= year:  # the rules of `year` would read rows of `year` for list year Y-1
        raise UdsatError(msg("backtest_leak", year=year, rows=read))
    assert prep.counts is not None, "prepare() reads the counts"
    figures = prep.counts.figures(rs, year - 1, prep.references_for(year - 1))
    classified = classify_year(figures, rs).set_index("area_id")
    areas = prep.areas.reset_index(drop=True)
    parts = []
    for t in targets_:
        column = t.outcome_column(rs)
        call = np.full(len(areas), np.nan)
        if column is not None and t.kind == "list" and rs.lists[column].kind == "lookback":
            rule = rs.lists[column]
            source = _floats(classified[str(rule.source)].reindex(areas["area_id"]))
            held = lookback_holds(prep, rs, year, areas).to_numpy(float)  # 1 / 0 / NaN
            call = np.where(source == 0, 0.0, source * held)
        elif column is not None:
            call = _floats(classified[column].reindex(areas["area_id"]))
        parts.append(
            pd.DataFrame(
                {"list_year": year, "area_id": areas["area_id"], "target": t.key, "call": call}
            )
        )
    return pd.concat(parts, ignore_index=True)


def _ruleset_named(label: str, year: int, law_: Law | None = None) -> RuleSet:
    """The rule set a forecast used (its rule_set column); the rules in force at the default
    forecast date (the list of `year` - 1) when the label is not one of the law's eras."""
    return ruleset_named(label, law_) or ruleset_for_year(year - 1, law_)


def model_rows(
    pred: pd.DataFrame, targets_: Sequence[Target], law_: Law | None = None
) -> pd.DataFrame:
    """One row per area and target of a `predict` table: p_model (0 for a target the rules of
    the forecast date do not have: it cannot be forecast) and p_announced (the announced rules'
    probability, p_<stem>_announced, where given; else NaN)."""
    year = int(pred["list_year"].iloc[0])
    used = _ruleset_named(str(pred["rule_set"].iloc[0]), year, law_)
    announced = ruleset_for_year(year, law_)
    parts = []
    for t in targets_:
        stem = t.stem(used)
        p = np.zeros(len(pred)) if stem is None else pred[f"p_{stem}"].to_numpy(float)
        later = t.stem(announced)
        column = f"p_{later}_announced"
        a = pred[column].to_numpy(float) if column in pred else np.full(len(pred), np.nan)
        parts.append(
            pd.DataFrame(
                {
                    "list_year": year,
                    "area_id": pred["housing_area_id"].to_numpy(),
                    "target": t.key,
                    "rule_set": used.label,
                    "p_model": p,
                    "p_announced": a,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def interval_rows(pred: pd.DataFrame, truth: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """One row per area and criterion of `keys` with the model's quantile columns (q05_<key>
    ...): the true figure (`truth`: area_id and <key>_value) beside q05, q25, q75 and q95."""
    year = int(pred["list_year"].iloc[0])
    keys = [k for k in keys if f"q05_{k}" in pred]
    known = truth.set_index("area_id")
    parts = []
    for key in keys:
        column = f"{key}_value"
        values = known[column].reindex(pred["housing_area_id"]) if column in known else None
        frame = pd.DataFrame(
            {
                "list_year": year,
                "area_id": pred["housing_area_id"].to_numpy(),
                "criterion": key,
                "truth": np.nan if values is None else values.to_numpy(float),
            }
        )
        for q in ("q05", "q25", "q75", "q95"):
            column = f"{q}_{key}"
            frame[q] = pred[column].to_numpy(float) if column in pred else np.nan
        parts.append(frame)
    if not parts:
        columns = ["list_year", "area_id", "criterion", "truth", "q05", "q25", "q75", "q95"]
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)


# --- Scores (pure) ------------------------------------------------------------------------------


def brier(p: pd.Series | np.ndarray, outcome: pd.Series | np.ndarray) -> float:
    """Mean squared difference between the probabilities and the 0/1 outcomes."""
    diff = np.asarray(p, dtype=float) - np.asarray(outcome, dtype=float)
    return float(np.mean(diff**2)) if diff.size else float("nan")


def area_weights(areas: int, resamples: int, seed: int) -> np.ndarray:
    """resamples x areas: how often each area is drawn when `areas` areas are drawn with
    replacement, once per resample (seeded)."""
    rng = np.random.default_rng(seed)
    if areas == 0 or resamples == 0:
        return np.zeros((resamples, areas))
    return rng.multinomial(areas, np.full(areas, 1.0 / areas), size=resamples).astype(float)


def resampled_difference(
    codes: np.ndarray, loss_a: np.ndarray, loss_b: np.ndarray, weights: np.ndarray
) -> tuple[float, float]:
    """The central LEVEL interval (percentiles) of mean(loss_a - loss_b) over area resamples.

    `codes`: each row's area (column of `weights`); a resample whose areas hold no row is left
    out. A difference that is 0 in every area gives [0, 0]."""
    if weights.size == 0 or codes.size == 0:
        return float("nan"), float("nan")
    a = weights.shape[1]
    diff = np.bincount(codes, weights=loss_a - loss_b, minlength=a)
    rows = np.bincount(codes, minlength=a).astype(float)
    total, count = weights @ diff, weights @ rows
    ok = count > 0
    if not ok.any():
        return float("nan"), float("nan")
    values = total[ok] / count[ok]
    tail = 100.0 * (1.0 - LEVEL) / 2.0
    lo, hi = np.percentile(values, [tail, 100.0 - tail])
    return float(lo), float(hi)


def _span(years: Sequence[int]) -> str:
    """2019-2020, 2022-2025."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


@dataclass(frozen=True)
class Group:
    period: str
    target: str
    kind: str
    role: str  # "pool", "event" or "not pooled"
    split: str
    rows: pd.DataFrame


def _ordered(rows: pd.DataFrame) -> list[str]:
    """The targets of `rows`: the scored lists, then those not pooled, then the others (the
    criteria) in the order they first appear."""
    order = {k: i for i, k in enumerate((*SCORED_LISTS, *NOT_POOLED))}
    seen = [str(t) for t in pd.unique(rows["target"])]
    return sorted(seen, key=lambda t: (order.get(t, len(order)), seen.index(t)))


def groups(rows: pd.DataFrame) -> Iterator[Group]:
    """Every scored group: per period, the pools, every target (in `rows`' order) and the
    splits by the status of Y-1 (entries: prior 0; exits: prior 1)."""
    for period in PERIODS:
        if period == "all":
            chosen = rows
        else:
            chosen = rows[rows["rule_change"].to_numpy(bool) == (period == "rule change")]
        if chosen.empty:
            continue
        units: list[tuple[str, str, str, pd.DataFrame]] = []
        for kind, pool in POOLS.items():
            mine = chosen[chosen["kind"] == kind]
            units.append((pool, kind, "pool", mine[mine["role"] == "event"]))
            for target in _ordered(mine):
                one = mine[mine["target"] == target]
                units.append((str(target), kind, str(one["role"].iloc[0]), one))
        for target, kind, role, unit in units:
            for split in SPLITS:
                if split == "all":
                    part = unit
                else:
                    part = unit[unit["prior"].to_numpy(float) == (split == "exits")]
                if not part.empty:
                    yield Group(period, target, kind, role, split, part)


def score(
    rows: pd.DataFrame, resamples: int = RESAMPLES, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Brier scores of every group (`BacktestResult.scores`) and every difference forecast -
    baseline with its area-resampled interval (`BacktestResult.differences`)."""
    areas = pd.Index(pd.unique(rows["area_id"]))
    weights = area_weights(len(areas), resamples, seed)
    score_rows, diff_rows = [], []
    for g in groups(rows):
        y = g.rows["outcome"].to_numpy(float)
        codes = areas.get_indexer(pd.Index(g.rows["area_id"]))
        losses = {
            name: (g.rows[f"p_{name}"].to_numpy(float) - y) ** 2
            for name in ("model", "announced", *BASELINES)
        }
        # The announced rules are scored where given for every row and not the same forecast.
        given = g.rows["p_announced"].to_numpy(float)
        announced = bool(np.isfinite(given).all()) and not np.array_equal(
            given, g.rows["p_model"].to_numpy(float)
        )
        head = {
            "period": g.period,
            "years": _span(g.rows["list_year"].astype(int).tolist()),
            "target": g.target,
            "kind": g.kind,
            "role": g.role,
            "split": g.split,
            "n": len(y),
        }
        briers = {f"brier_{k}": float(v.mean()) for k, v in losses.items()}
        if not announced:
            briers["brier_announced"] = np.nan
        score_rows.append(
            {
                **head,
                "areas": int(g.rows["area_id"].nunique()),
                "events": int(y.sum()),
                **briers,
            }
        )
        forecasts = ["model", *(["announced"] if announced else [])]
        for forecast in forecasts:
            for base in BASELINES:
                lo, hi = resampled_difference(codes, losses[forecast], losses[base], weights)
                difference = briers[f"brier_{forecast}"] - briers[f"brier_{base}"]
                diff_rows.append(
                    {
                        **head,
                        "forecast": forecast,
                        "baseline": base,
                        "brier_forecast": briers[f"brier_{forecast}"],
                        "brier_baseline": briers[f"brier_{base}"],
                        "difference": difference,
                        "lo": lo,
                        "hi": hi,
                        "excludes_zero": bool(lo > 0 or hi < 0),
                    }
                )
    return pd.DataFrame(score_rows), pd.DataFrame(diff_rows)


def bin_labels() -> list[str]:
    return [f"{lo:g}-{hi:g}" for lo, hi in pairwise(BINS)]


def reliability(rows: pd.DataFrame) -> pd.DataFrame:
    """Per period and pool (lists, criteria): the model's probabilities in bins (the lowest
    includes 0) against the observed frequency; bins without rows are left out."""
    records = []
    for g in groups(rows):
        if g.role != "pool" or g.split != "all":
            continue
        p = g.rows["p_model"].to_numpy(float)
        binned = pd.cut(p, list(BINS), labels=bin_labels(), include_lowest=True)
        frame = pd.DataFrame({"bin": binned, "p": p, "y": g.rows["outcome"].to_numpy(float)})
        for label, part in frame.groupby("bin", observed=True, sort=True):
            records.append(
                {
                    "period": g.period,
                    "pool": g.target,
                    "bin": str(label),
                    "n": len(part),
                    "mean_p": float(part["p"].mean()),
                    "observed": float(part["y"].mean()),
                }
            )
    return pd.DataFrame(records, columns=["period", "pool", "bin", "n", "mean_p", "observed"])


def coverage(values: pd.DataFrame, by: Sequence[str] = ("criterion",)) -> pd.DataFrame:
    """The share of area-years whose true figure lies in the model's 50 % interval [q25, q75]
    and in its 90 % interval [q05, q95], per group of `by`.

    Both ends count as inside, compared exactly on the law's 1e-9 grid (rules.compare): a
    figure is a count of people over a base, so it can equal an end; `at_end_<level>` says how
    many did. Area-years whose truth is unknown (NaN) are left out (`no_truth`), as are those
    without an interval (`no_interval`)."""
    truth = values["truth"].to_numpy(float)
    q = {c: values[c].to_numpy(float) for c in ("q05", "q25", "q75", "q95")}
    has_truth = np.isfinite(truth)
    has_interval = np.logical_and.reduce([np.isfinite(v) for v in q.values()])
    frame = values[list(by)].copy()
    frame["n"] = has_truth & has_interval
    frame["no_truth"] = ~has_truth
    frame["no_interval"] = has_truth & ~has_interval
    for level, (low, high) in INTERVALS.items():
        scored = has_truth & has_interval
        lo, hi = np.where(scored, q[low], 0.0), np.where(scored, q[high], 0.0)
        t = np.where(scored, truth, 0.0)
        inside = compare(">=", t, lo) & compare("<=", t, hi)
        end = (on_grid(t) == on_grid(lo)) | (on_grid(t) == on_grid(hi))
        frame[f"inside_{level}"] = scored & inside
        frame[f"at_end_{level}"] = scored & end
    sums = frame.groupby(list(by), sort=False).sum(numeric_only=True).astype(int).reset_index()
    for level in INTERVALS:
        n = sums["n"].where(sums["n"] > 0)
        sums[f"share_{level}"] = sums[f"inside_{level}"] / n
    columns = [
        *by,
        "n",
        *(f"{p}_{level}" for level in INTERVALS for p in ("inside", "share", "at_end")),
        "no_truth",
        "no_interval",
    ]
    return sums[columns]


# --- The backtest -------------------------------------------------------------------------------


@dataclass
class BacktestResult:
    """The backtest's tables (one DataFrame each); `render_markdown` writes them as Markdown.

    predictions: one row per list year, housing area and target that has an outcome:
        list_year, area_id, target (list or criterion key), kind (list / criterion), role
        (event: counted in its pool; not pooled), rule_change (bool), rule_set (the rules the
        model used), prior (the status of Y-1 as 0/1), outcome (1/0), p_model, p_announced
        (NaN unless the announced rules are given), p_persistence, p_rates, p_last_figures,
        p_last_figures_rates; scored (bool: every forecast known; only these rows are scored).
    scores: one row per period (stable / rule change / all), target or pool (lists, criteria),
        and split (all; entries: prior 0; exits: prior 1): years, target, kind, role (pool,
        event, not pooled), split, n (area-years), areas, events (outcome 1), brier_model,
        brier_announced (NaN unless given for every row and differing from the model somewhere:
        the rules of Y announced at the forecast date), brier_<baseline> for each baseline.
    differences: one row per score row, forecast (model, announced) and baseline: the keys of
        scores, forecast, baseline, brier_forecast, brier_baseline, difference (forecast -
        baseline: < 0 = the forecast is better), lo, hi (the 95 % interval from resampling the
        areas), excludes_zero.
    reliability: period, pool (lists / criteria), bin (of p_model; the lowest includes 0), n,
        mean_p, observed.
    coverage: per criterion over all backtest years: n, inside_50, share_50, at_end_50,
        inside_90, share_90, at_end_90 (ends count as inside), no_truth, no_interval (left out).
    coverage_by_year: the same per criterion and list_year.
    left_out: list_year, target, reason (outcome_undetermined: in force but undecided, e.g. a
        look-back the data do not cover; no_model: no model probability; no_last_figures: no
        call from the last figures), n.
    intervals: the rows coverage counts (interval_rows of every year): list_year, area_id,
        criterion, truth, q05, q25, q75, q95.
    """

    years: list[int]
    rule_change_years: list[int]
    draws: int
    seed: int
    resamples: int
    predictions: pd.DataFrame
    scores: pd.DataFrame
    differences: pd.DataFrame
    reliability: pd.DataFrame
    coverage: pd.DataFrame
    coverage_by_year: pd.DataFrame
    left_out: pd.DataFrame
    intervals: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)


def _left_out(frame: pd.DataFrame) -> pd.DataFrame:
    """Area-years not scored and why (one reason each, the first that applies)."""
    undetermined = frame["in_force"].to_numpy(bool) & frame["outcome"].isna().to_numpy()
    known = frame["outcome"].notna().to_numpy()
    no_model = known & frame["p_model"].isna().to_numpy()
    no_last = known & ~no_model & frame["p_last_figures"].isna().to_numpy()
    reasons = np.select(
        [undetermined, no_model, no_last],
        ["outcome_undetermined", "no_model", "no_last_figures"],
        default="",
    )
    out = frame.assign(reason=reasons)
    out = out[out["reason"] != ""]
    table = out.groupby(["list_year", "target", "reason"], sort=True).size()
    return table.rename("n").reset_index()


def backtest(
    con: duckdb.DuckDBPyConnection | Engine,
    *,
    years: Sequence[int] | None = None,
    draws: int = 1000,
    seed: int = 0,
    references: References | None = None,
    prepared: Prepared | None = None,
    lists: pd.DataFrame | None = None,
    resamples: int = RESAMPLES,
) -> BacktestResult:
    """Forecast every list year of `years` (default: the backtest years from HEADLINE_FROM on)
    from the rows before it and score model and baselines against the full data.

    `con`: the dataset's DuckDB connection or any engine (udsat.engines); `lists`: the state's
    lists computed upstream, every year (see udsat.warning.model.prepare). `seed`: the model's
    draws of list year Y use seed + Y, the area resamples use `seed`.
    """
    prep = prepared or prepare(con, references, lists)
    possible = backtest_years(prep)
    span = f"{min(prep.years)}-{max(prep.years)}"
    if not possible:
        raise UdsatError(msg("no_backtest_years", span=span))
    if years is None:
        chosen = [y for y in possible if y >= HEADLINE_FROM] or possible
    else:
        chosen = sorted({int(y) for y in years})
        for year in chosen:
            if year not in possible:
                raise UdsatError(msg("backtest_year", year=year, span=span))
    have = set(prep.years)
    first = first_list_year()
    covered = [y for y in prep.years if y - 1 in have and y >= first]
    last_years = [y for y in covered if y - 2 in have and y <= max(chosen)]
    if prep.counts is not None:
        # Every data year of the model's rule sets first (its series read them all), then what
        # the lists and the last figures read: one pass per rule set.
        in_force = {rs.label: rs for rs in (ruleset_for_year(y - 1) for y in chosen)}
        for rs in in_force.values():
            prep.counts_for(rs)
        plan = [(y, ruleset_for_year(y)) for y in covered]
        plan += [(y - 1, ruleset_for_year(y)) for y in last_years]
        prep.counts.plan(plan)
    # One lists run over every list year, so each omdannelse look-back sees the earlier ones.
    truth = prep.lists_for(covered)
    scored_targets = targets(covered)
    calls = pd.concat(
        [last_figures_calls(prep, y, scored_targets) for y in last_years], ignore_index=True
    )
    frame = baselines(statuses(truth, scored_targets), calls)
    frame = frame[frame["list_year"].isin(chosen)].copy()
    frame.insert(3, "rule_change", frame["list_year"].map(rule_change).astype(bool))
    model, intervals = [], []
    for year in chosen:
        pred = predict(prep, year, draws, seed + year)
        model.append(model_rows(pred, scored_targets))
        used = _ruleset_named(str(pred["rule_set"].iloc[0]), year)
        truth_y = _interval_truth(prep, used, year, truth)
        intervals.append(interval_rows(pred, truth_y, list(used.criteria)))
    frame = frame.merge(pd.concat(model), on=["list_year", "area_id", "target"], how="left")
    values = pd.concat(intervals, ignore_index=True)
    return summarise(frame, values, draws=draws, seed=seed, resamples=resamples)


COLUMNS = [
    "list_year", "area_id", "target", "kind", "role", "rule_change", "rule_set", "prior",
    "outcome", "p_model", "p_announced", *(f"p_{b}" for b in BASELINES), "scored",
]  # fmt: skip


def summarise(
    frame: pd.DataFrame,
    intervals: pd.DataFrame,
    *,
    draws: int,
    seed: int,
    resamples: int = RESAMPLES,
) -> BacktestResult:
    """The result's tables from the forecasts (pure).

    `frame`: one row per list year, area and target with in_force, rule_change, rule_set,
    prior, outcome, p_model, p_announced and p_<baseline> (as `backtest` builds it; rows without
    an outcome are counted in left_out when the target is in force, then dropped); `intervals`:
    interval_rows of every year."""
    left_out = _left_out(frame)
    needed = ["outcome", "p_model", *(f"p_{b}" for b in BASELINES)]
    frame = frame.assign(scored=frame[needed].notna().all(axis=1))
    frame = frame[frame["outcome"].notna()].reset_index(drop=True)
    rows = frame[frame["scored"]].reset_index(drop=True)
    scores, differences = score(rows, resamples, seed)
    years = sorted({int(y) for y in frame["list_year"]})
    changes = sorted({int(y) for y in frame.loc[frame["rule_change"].astype(bool), "list_year"]})
    return BacktestResult(
        years=years,
        rule_change_years=changes,
        draws=draws,
        seed=seed,
        resamples=resamples,
        predictions=frame[COLUMNS],
        scores=scores,
        differences=differences,
        reliability=reliability(rows),
        coverage=coverage(intervals),
        coverage_by_year=coverage(intervals, ("criterion", "list_year")),
        left_out=left_out,
        intervals=intervals,
    )


def for_years(result: BacktestResult, years: Sequence[int]) -> BacktestResult:
    """The result restricted to some of its list years (e.g. the headline years of a run over
    more), scored again from its own forecasts; the baselines' rates stay those learnt from
    every earlier year, as in a run over `years` alone."""
    keep = sorted({int(y) for y in years} & set(result.years))
    frame = result.predictions[result.predictions["list_year"].isin(keep)]
    frame = frame.drop(columns="scored").assign(in_force=True)
    intervals = result.intervals[result.intervals["list_year"].isin(keep)]
    out = summarise(
        frame, intervals, draws=result.draws, seed=result.seed, resamples=result.resamples
    )
    out.left_out = result.left_out[result.left_out["list_year"].isin(keep)].reset_index(drop=True)
    return out


def _interval_truth(prep: Prepared, used: RuleSet, year: int, truth: pd.DataFrame) -> pd.DataFrame:
    """The true figures the intervals forecast: the lists' <key>_value of list year Y when the
    forecast used the rules of Y; in a rule-change year the figures of Y under the rules the
    forecast used (a criterion's figure can change its definition with the rules)."""
    if used.label == ruleset_for_year(year).label or prep.counts is None:
        return truth[truth["list_year"] == year]
    figures = prep.counts.figures(used, year, prep.references_for(year))
    return classify_year(figures, used)


# --- Markdown -----------------------------------------------------------------------------------


def _fmt(value: float, decimals: int, lang: str, signed: bool = False) -> str:
    if value is None or not np.isfinite(value):
        return "–"
    text = f"{value:+.{decimals}f}" if signed else f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang == "da" else text


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _target_label(row: pd.Series, lang: str, announced: bool = False) -> str:
    if row["role"] == "pool":
        pool = str(row["target"])
        label = f"**{msg(f'bt_pool_{pool}', lang)}**"
    elif row["role"] == "not pooled":
        label = msg("bt_not_pooled", lang, target=f"`{row['target']}`")
    else:
        label = f"`{row['target']}`"
    return msg("bt_announced", lang, target=label) if announced else label


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    """The rows the Markdown shows: every split of the pools and lists, criteria as a whole."""
    keep = (table["split"] == "all") | (table["kind"] == "list") | (table["role"] == "pool")
    return table[keep]


def _period_title(period: str, years: str, lang: str) -> str:
    return msg(f"bt_period_{period.replace(' ', '_')}", lang, years=years)


def render_markdown(result: BacktestResult, lang: str = "en", by_year: bool = True) -> str:
    """The backtest's tables as Markdown (for docs/early-warning.md): Brier scores and the
    differences model - baseline with their intervals per period, the reliability, the coverage
    of the criteria's intervals (and per list year with `by_year`) and what was left out.
    Brier scores with 4 decimals, coverage shares with 2. Pure: returns the text."""
    out: list[str] = []
    changes = result.rule_change_years
    areas = int(result.predictions["area_id"].nunique()) if len(result.predictions) else 0
    out.append(
        msg(
            "bt_intro",
            lang,
            years=_span(result.years),
            changes=_span(changes) if changes else msg("bt_none", lang),
            draws=result.draws,
            seed=result.seed,
            resamples=result.resamples,
            areas=areas,
        )
    )
    base_names = [msg(f"bt_base_{b}", lang) for b in BASELINES]
    for period in PERIODS:
        scores = result.scores[result.scores["period"] == period]
        if scores.empty or (period == "all" and not changes):
            continue
        years = str(scores["years"].iloc[0])
        title = _period_title(period, years, lang)
        scores = _shown(scores)
        with_announced = bool(scores["brier_announced"].notna().any())
        header = [msg(f"bt_col_{c}", lang) for c in ("target", "split", "n", "events", "model")]
        header += [msg("bt_col_announced", lang)] if with_announced else []
        header += base_names
        rows = []
        for _, r in scores.iterrows():
            cells = [
                _target_label(r, lang),
                msg(f"bt_split_{r['split']}", lang),
                number(int(r["n"]), lang),
                number(int(r["events"]), lang),
                _fmt(r["brier_model"], 4, lang),
            ]
            cells += [_fmt(r["brier_announced"], 4, lang)] if with_announced else []
            cells += [_fmt(r[f"brier_{b}"], 4, lang) for b in BASELINES]
            rows.append(cells)
        out.append(f"#### {msg('bt_scores_head', lang, period=title)}\n\n{_table(header, rows)}")
        diffs = _shown(result.differences[result.differences["period"] == period])
        header = [msg(f"bt_col_{c}", lang) for c in ("target", "split", "n")] + base_names
        rows = []
        keys = ["target", "split", "forecast"]
        for _, part in diffs.groupby(keys, sort=False):
            first = part.iloc[0]
            cells = [
                _target_label(first, lang, announced=first["forecast"] == "announced"),
                msg(f"bt_split_{first['split']}", lang),
                number(int(first["n"]), lang),
            ]
            by_base = {str(r["baseline"]): r for r in part.to_dict("records")}
            for b in BASELINES:
                d = by_base[b]
                text = (
                    f"{_fmt(d['difference'], 4, lang, True)} "
                    f"[{_fmt(d['lo'], 4, lang, True)}, {_fmt(d['hi'], 4, lang, True)}]"
                )
                cells.append(f"**{text}**" if d["excludes_zero"] else text)
            rows.append(cells)
        out.append(f"#### {msg('bt_diff_head', lang, period=title)}\n\n{_table(header, rows)}")
    for period in PERIODS:
        rel = result.reliability[result.reliability["period"] == period]
        if rel.empty or (period == "all" and not changes):
            continue
        years = str(result.scores.loc[result.scores["period"] == period, "years"].iloc[0])
        header = [msg(f"bt_col_{c}", lang) for c in ("pool", "bin", "n", "mean_p", "observed")]
        rows = [
            [
                msg(f"bt_pool_{r['pool']}", lang),
                str(r["bin"]) if lang == "en" else str(r["bin"]).replace(".", ","),
                number(int(r["n"]), lang),
                _fmt(r["mean_p"], 3, lang),
                _fmt(r["observed"], 3, lang),
            ]
            for _, r in rel.iterrows()
        ]
        title = _period_title(period, years, lang)
        out.append(f"#### {msg('bt_rel_head', lang, period=title)}\n\n{_table(header, rows)}")
    if len(result.coverage):
        out.append(_coverage_md(result, lang))
    if by_year and len(result.coverage_by_year):
        out.append(_coverage_by_year_md(result, lang))
    if len(result.left_out):
        header = [msg(f"bt_col_{c}", lang) for c in ("year", "target", "reason", "n")]
        rows = [
            [
                str(r["list_year"]),
                f"`{r['target']}`",
                msg(f"bt_reason_{r['reason']}", lang),
                number(int(r["n"]), lang),
            ]
            for _, r in result.left_out.iterrows()
        ]
        out.append(f"#### {msg('bt_left_head', lang)}\n\n{_table(header, rows)}")
    return "\n\n".join(out) + "\n"


def _in_band(share: float, level: str, lang: str) -> str:
    low, high = BANDS[level]
    if not np.isfinite(share):
        return "–"
    mark = msg("bt_yes", lang) if low <= share <= high else msg("bt_no", lang)
    return f"{_fmt(share, 2, lang)} ({mark})"


def _coverage_md(result: BacktestResult, lang: str) -> str:
    header = [
        msg(f"bt_col_{c}", lang)
        for c in ("criterion", "n", "cover_50", "end_50", "cover_90", "end_90", "left")
    ]
    rows = []
    for _, r in result.coverage.iterrows():
        left = int(r["no_truth"]) + int(r["no_interval"])
        rows.append(
            [
                f"`{r['criterion']}`",
                number(int(r["n"]), lang),
                _in_band(r["share_50"], "50", lang),
                number(int(r["at_end_50"]), lang),
                _in_band(r["share_90"], "90", lang),
                number(int(r["at_end_90"]), lang),
                msg("bt_left_cell", lang, truth=int(r["no_truth"]), interval=int(r["no_interval"]))
                if left
                else "0",
            ]
        )
    bands = {f"b{k}": f"{_fmt(lo, 2, lang)}-{_fmt(hi, 2, lang)}" for k, (lo, hi) in BANDS.items()}
    head = msg("bt_cov_head", lang, years=_span(result.years), **bands)
    return f"#### {head}\n\n{_table(header, rows)}"


def _coverage_by_year_md(result: BacktestResult, lang: str) -> str:
    table = result.coverage_by_year
    years = sorted(int(y) for y in table["list_year"].unique())
    header = [msg("bt_col_criterion", lang), *(str(y) for y in years)]
    rows = []
    for criterion, part in table.groupby("criterion", sort=False):
        by = {int(r["list_year"]): r for r in part.to_dict("records")}
        cells = [f"`{criterion}`"]
        for y in years:
            r = by.get(y)
            if r is not None and r["n"] > 0:
                cells.append(f"{_fmt(r['share_50'], 2, lang)} / {_fmt(r['share_90'], 2, lang)}")
            else:
                cells.append("–")
        rows.append(cells)
    return f"#### {msg('bt_cov_year_head', lang)}\n\n{_table(header, rows)}"
