"""Early warning: the probability that each housing area meets each criterion of the state's
lists and lands on each list on the next 1 December, from the data up to the year before.

Model (docs/early-warning.md). For list year Y the data hold persons rows up to Y-1:
- each yearly figure of an area (a share of counted people, the income in % of the region, the
  number of residents) has a history; its latent level in Y-1 is the posterior given Y-1's counts
  (Jeffreys beta posterior for shares, normal for the income ratio);
- the level moves to Y by the area's drift (OLS slope over the last `window` years, shrunk towards
  zero by empirical Bayes across the areas) plus an innovation whose variance is estimated from
  every area's one-year changes after removing the sampling variance;
- the figure of Y is drawn from the level (binomial for shares), so small areas are uncertain;
- rows the list year reads that are already observed (Y-1 in the 2-year averages of criteria 1 and
  2) enter as observed, only the unknown year is drawn; the averaging is the rule set's own
  (`two_year` of the lists engine);
- every draw goes through the rule set's own Threshold and ListRule objects.

Nothing here reads rows of year Y or later, so backtests cannot leak.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace

import duckdb
import numpy as np
import pandas as pd
from scipy.optimize import nnls

from udsat.engines import Engine, as_engine
from udsat.errors import UdsatError
from udsat.statelists import lookback as lb
from udsat.statelists.classify import (
    classify_year,
    count_list,
    threshold_value,
)
from udsat.statelists.microdata import (
    SHARES,
    References,
    YearCounts,
    available_years,
    reference_values,  # the engine's own reference values
    two_year,
)
from udsat.statelists.rules import Law, RuleSet, compare, first_list_year, ruleset_for_year
from udsat.statelists.run import lists_for_data
from udsat.warning.messages import msg

WINDOW = 6  # years of history for an area's drift: long enough for a slope, short enough to move
PRIOR = 0.5  # Jeffreys prior for the beta posterior of a share


@dataclass
class Prepared:
    """Counts of every data year under each rule set used, read once per engine.

    Every query runs on `engine` (udsat.engines): DuckDB, or Spark with the same SQL.
    """

    engine: Engine
    references: References
    years: list[int]
    areas: pd.DataFrame
    regions: pd.Series
    # counts_sql's counts per rule set over every data year, shared with the lists it computes
    counts: YearCounts | None = None
    series: dict[str, pd.DataFrame] = field(default_factory=dict)
    lists: pd.DataFrame | None = None
    lists_done: set[int] = field(default_factory=set)

    def counts_for(self, rs: RuleSet) -> pd.DataFrame:
        assert self.counts is not None, "prepare() reads the counts"
        return self.counts.read(rs, self.years)

    def series_for(self, rs: RuleSet) -> pd.DataFrame:
        if rs.label not in self.series:
            self.series[rs.label] = yearly_series(
                self.counts_for(rs), self.areas, self.regions, rs, self.references
            )
        return self.series[rs.label]

    def lists_for(self, years: list[int]) -> pd.DataFrame:
        """The state's lists of the given list years: those given to `prepare`, the others
        computed once by the lists' own step (udsat.statelists.run.lists_for_data) on the
        engine and kept; years the data do not cover are left out."""
        have = set(self.years)
        todo = [
            y
            for y in years
            if y not in self.lists_done and y - 1 in have and y in have and y >= first_list_year()
        ]
        if todo:
            new = lists_for_data(self.engine, self.references, years=todo, counts=self.counts)
            self.lists = new if self.lists is None else pd.concat([self.lists, new])
            self.lists_done.update(todo)
        if self.lists is None:
            return pd.DataFrame(columns=["list_year", "area_name", "parallelsamfund"])
        return self.lists[self.lists["list_year"].isin(years)].reset_index(drop=True)


def prepare(
    con: duckdb.DuckDBPyConnection | Engine,
    references: References | None = None,
    lists: pd.DataFrame | None = None,
) -> Prepared:
    """The warning's inputs from a dataset's engine (a DuckDB connection is the DuckDB engine).

    `lists`: the state's lists already computed upstream (udsat.statelists.run.lists_for_data,
    with the same references); their list years are used as they are, not computed again.
    """
    engine = as_engine(con)
    years = available_years(engine)
    if not years:
        raise UdsatError(msg("no_years"))
    counts = YearCounts(engine)
    prep = Prepared(
        engine=engine,
        references=references or References(),
        years=years,
        areas=counts.areas,
        regions=counts.regions,
        counts=counts,
    )
    if lists is not None and len(lists):
        prep.lists = lists.reset_index(drop=True)
        prep.lists_done.update(int(y) for y in lists["list_year"].unique())
    return prep


def yearly_series(
    counts: pd.DataFrame,
    areas: pd.DataFrame,
    regions: pd.Series,
    rs: RuleSet,
    references: References,
) -> pd.DataFrame:
    """One row per area, measure and data year: value (%, or residents), num and den.

    Shares come straight from the counts; the income ratio from the lists engine's own figures of
    that single row year (its regional reference), one call per year.
    """
    in_area = counts[counts["area_id"].notna()]
    sums = in_area.groupby(["area_id", "year"]).sum(numeric_only=True)
    parts = []
    for measure, (num, den) in SHARES.items():
        part = pd.DataFrame({"num": sums[num], "den": sums[den]}).reset_index()
        part["measure"] = measure
        parts.append(part)
    residents = sums[["residents"]].reset_index()
    parts.append(
        residents.assign(
            measure="residents", num=residents["residents"], den=residents["residents"]
        )
    )
    income = sums[["income_num", "income_den"]].reset_index()
    region = income["area_id"].map(areas.set_index("area_id")["region"])
    with_region = counts.assign(region=counts["municipality_code"].map(regions))
    # The engine's own references: given, or from the data (an error for one municipality).
    by_year = {
        int(y): reference_values(with_region, rs, int(y), references)[1]
        for y in income["year"].unique()
    }
    reference = pd.Series(
        [by_year[int(y)].get(r, np.nan) for y, r in zip(income["year"], region, strict=True)],
        index=income.index,
        dtype=float,
    )
    mean = income["income_num"] / income["income_den"].where(income["income_den"] > 0)
    parts.append(
        pd.DataFrame(
            {
                "area_id": income["area_id"],
                "year": income["year"],
                "measure": "income",
                "num": 100.0 * mean / reference,
                "den": income["income_den"],
            }
        )
    )
    out = pd.concat(parts, ignore_index=True)[["area_id", "measure", "year", "num", "den"]]
    out["year"] = out["year"].astype(int)
    share = out["measure"].isin(list(SHARES))
    out["value"] = np.where(share, 100.0 * out["num"] / out["den"].where(out["den"] > 0), np.nan)
    out.loc[out["measure"] == "income", "value"] = out["num"]
    out.loc[out["measure"] == "residents", "value"] = np.log(out["num"].where(out["num"] > 0))
    return out


@dataclass(frozen=True)
class Fit:
    """Per-area state of one measure at Y-1 and the measure's pooled variances."""

    last: pd.DataFrame  # index area_id: value, num, den
    drift: pd.Series  # shrunk drift per year
    drift_var: pd.Series  # posterior variance of the drift
    innovation_var: float  # variance of the level's yearly change beyond the drift
    unit_var: float  # income: per-person variance (value units^2) of the yearly mean


def _sampling_var(measure: str, value: np.ndarray, den: np.ndarray, unit_var: float) -> np.ndarray:
    """Sampling variance of a yearly figure: binomial for shares, unit_var / n for income."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure in SHARES:
            return value * (100.0 - value) / den
        if measure == "income":
            return unit_var / den
    return np.zeros_like(value)


def fit_measure(series: pd.DataFrame, measure: str, year: int, window: int = WINDOW) -> Fit:
    """Drift, shrinkage and innovation variance of one measure from rows before `year`."""
    rows = series[(series["measure"] == measure) & (series["year"] < year)]
    table = rows.set_index(["area_id", "year"])
    wide, den = table["value"].unstack(), table["den"].unstack()
    years = [y for y in range(year - window, year) if y in wide.columns]
    if not years or year - 1 not in wide.columns:
        raise UdsatError(msg("need_last_year", year=year, last=year - 1))
    v = wide[years].to_numpy(float)
    n = den.reindex(index=wide.index, columns=years).to_numpy(float)
    t = np.array(years, float)
    ok = np.isfinite(v)
    k = ok.sum(axis=1)
    tc = np.where(
        ok, t - np.nansum(np.where(ok, t, 0), axis=1, keepdims=True) / np.maximum(k, 1)[:, None], 0
    )
    vm = np.nansum(np.where(ok, v, 0), axis=1) / np.maximum(k, 1)
    sxx = (tc**2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (tc * np.where(ok, v - vm[:, None], 0)).sum(axis=1) / sxx
        resid = np.where(ok, v - vm[:, None] - slope[:, None] * tc, 0)
        se2 = (resid**2).sum(axis=1) / (k - 2) / sxx
    enough = k >= 3
    slope, se2 = np.where(enough, slope, 0.0), np.where(enough, se2, np.inf)
    # Empirical Bayes: the spread of true drifts across areas = observed spread - noise.
    fin = enough & np.isfinite(se2)
    tau2 = max(0.0, float(np.var(slope[fin]) - np.mean(se2[fin]))) if fin.sum() >= 3 else 0.0
    se2 = np.where(fin, se2, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shrink = np.where(fin & (tau2 + se2 > 0), tau2 / (tau2 + se2), 0.0)
    drift = shrink * slope
    drift_var = shrink * se2
    innovation, unit = _innovation(measure, v, n, drift)
    last = pd.DataFrame(
        {"value": wide[year - 1], "den": den.reindex(wide.index)[year - 1]}, index=wide.index
    )
    last["num"] = table["num"].unstack().reindex(wide.index)[year - 1]
    return Fit(
        last=last,
        drift=pd.Series(drift, index=wide.index),
        drift_var=pd.Series(drift_var, index=wide.index),
        innovation_var=innovation,
        unit_var=unit,
    )


def _innovation(
    measure: str, v: np.ndarray, n: np.ndarray, drift: np.ndarray
) -> tuple[float, float]:
    """Innovation variance (and income's per-person variance) from all one-year changes:
    E[(v_t - v_t-1 - drift)^2] = sampling var of both years + innovation var."""
    change = v[:, 1:] - v[:, :-1] - drift[:, None]
    ok = np.isfinite(change)
    if ok.sum() < 3:
        return 0.0, 0.0
    r2 = change[ok] ** 2
    if measure == "income":
        # The per-person variance is unknown: fit r2 = unit * (1/n_t + 1/n_t-1) + innovation.
        with np.errstate(divide="ignore"):
            x = (1.0 / n[:, 1:] + 1.0 / n[:, :-1])[ok]
        good = np.isfinite(x)
        coef, _ = nnls(np.column_stack([x[good], np.ones(good.sum())]), r2[good])
        return float(coef[1]), float(coef[0])
    if measure in SHARES:
        mean = (v[:, 1:] + v[:, :-1]) / 2
        with np.errstate(divide="ignore", invalid="ignore"):
            samp = mean * (100 - mean) * (1.0 / n[:, 1:] + 1.0 / n[:, :-1])
        return max(0.0, float(np.mean(r2 - samp[ok]))), 0.0
    return float(np.mean(r2)), 0.0


def draw_next(
    fit: Fit, measure: str, areas: pd.Index, draws: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draws (areas x draws) of the figure of year Y and its people base."""
    last = fit.last.reindex(areas)
    value, den, num = (last[c].to_numpy(float)[:, None] for c in ("value", "den", "num"))
    drift = fit.drift.reindex(areas).fillna(0).to_numpy()[:, None]
    step_sd = np.sqrt(fit.innovation_var + fit.drift_var.reindex(areas).fillna(0).to_numpy())
    shape = (len(areas), draws)
    noise = rng.standard_normal(shape) * step_sd[:, None]
    if measure in SHARES:
        good = np.isfinite(value) & (den > 0)
        a = np.where(good, num + PRIOR, 1.0)
        b = np.where(good, den - num + PRIOR, 1.0)
        level = 100.0 * rng.beta(np.broadcast_to(a, shape), np.broadcast_to(b, shape))
        level = np.clip(level + drift + noise, 0.0, 100.0)
        n = np.where(good, den, 0).astype(np.int64)
        count = rng.binomial(np.broadcast_to(n, shape), level / 100.0)
        out = np.where(good, 100.0 * count / np.maximum(n, 1), np.nan)
        return out, np.broadcast_to(np.where(good, den, np.nan), shape)
    if measure == "income":
        samp = np.sqrt(_sampling_var(measure, value, den, fit.unit_var))
        level = value + rng.standard_normal(shape) * samp + drift + noise
        return level + rng.standard_normal(shape) * samp, np.broadcast_to(den, shape)
    residents = np.exp(value + drift + noise)  # residents: a log-level random walk with drift
    return np.round(residents), np.broadcast_to(den, shape)


def _observed(series: pd.DataFrame, measure: str, year: int, areas: pd.Index) -> tuple:
    rows = series[(series["measure"] == measure) & (series["year"] == year)].set_index("area_id")
    rows = rows.reindex(areas)
    return rows["num"].to_numpy(float), rows["den"].to_numpy(float)


def simulate(
    prep: Prepared, rs: RuleSet, year: int, draws: int, seed: int
) -> tuple[pd.DataFrame, pd.Index]:
    """Figures of list year `year` for every area and draw (rows area-major), in the columns
    classify.py reads."""
    series = prep.series_for(rs)
    areas = pd.Index(prep.areas["area_id"])
    rng = np.random.default_rng(seed)
    n_a = len(areas)
    flat: dict[str, np.ndarray] = {}
    fits = {m: fit_measure(series, m, year) for m in (*SHARES, "income", "residents")}
    drawn = {m: draw_next(fits[m], m, areas, draws, rng) for m in fits}
    flat["residents"] = drawn["residents"][0].ravel()
    for crit in rs.criteria.values():
        column = crit.column
        crit_years = [year + o for o in crit.row_years]
        if crit.measure == "income":
            if crit_years != [year]:
                raise UdsatError(msg("income_years", years=crit_years))
            flat[column] = drawn["income"][0].ravel()
            continue
        nums, dens = [], []
        for y in crit_years:
            if y < year:  # observed: the same for every draw
                num, den = _observed(series, crit.measure, y, areas)
                nums.append(np.repeat(num, draws))
                dens.append(np.repeat(den, draws))
            else:
                value, den = drawn[crit.measure]
                nums.append((value * den / 100.0).ravel())
                dens.append(np.asarray(den, float).ravel())
        num_df = pd.DataFrame(np.column_stack(nums))
        den_df = pd.DataFrame(np.column_stack(dens))
        averaging = rs.setting("averaging") if len(crit_years) > 1 else "pooled"
        average, base = two_year(num_df, den_df, averaging)
        flat[column], flat[crit.base_column] = average.to_numpy(), base.to_numpy()
    flat["national_convicted_pct"] = _national_draws(prep, rs, year, draws, rng, n_a)
    frame = pd.DataFrame(flat)
    frame.insert(0, "area_id", np.repeat(areas.to_numpy(), draws))
    return frame, areas


def _national_draws(
    prep: Prepared, rs: RuleSet, year: int, draws: int, rng: np.random.Generator, n_a: int
) -> np.ndarray:
    """The national conviction share of list year `year`: given, or its observed row years plus
    the unknown year drawn from the whole data's own trend (a large population: no sampling)."""
    if prep.references.national_convicted_pct is not None:
        return np.full(n_a * draws, float(prep.references.national_convicted_pct))
    crit = next(c for c in rs.criteria.values() if c.measure == "convicted")
    per_year = prep.counts_for(rs).groupby("year")[["convicted_num", "convicted_den"]].sum()
    past = per_year[per_year.index < year]
    share = 100.0 * past["convicted_num"] / past["convicted_den"]
    recent = share.tail(WINDOW)
    slope, sd = 0.0, 0.0
    if len(recent) >= 3:
        coef = np.polyfit(recent.index.to_numpy(float), recent.to_numpy(), 1)
        resid = recent.to_numpy() - np.polyval(coef, recent.index.to_numpy(float))
        slope, sd = float(coef[0]), float(np.sqrt(np.sum(resid**2) / (len(recent) - 2)))
    nums, dens = [], []
    for y in (year + o for o in crit.row_years):
        if y < year:
            nums.append(np.full(draws, float(past["convicted_num"].loc[y])))
            dens.append(np.full(draws, float(past["convicted_den"].loc[y])))
        else:
            den = float(past["convicted_den"].iloc[-1])
            value = share.iloc[-1] + slope * (y - share.index[-1]) + rng.normal(0, sd, draws)
            nums.append(value * den / 100.0)
            dens.append(np.full(draws, den))
    value, _ = two_year(
        pd.DataFrame(np.column_stack(nums)),
        pd.DataFrame(np.column_stack(dens)),
        rs.setting("averaging"),
    )
    return np.tile(value.to_numpy(), n_a)


def met_tables(frame: pd.DataFrame, rs: RuleSet) -> dict[str, pd.DataFrame]:
    """Per tier, the boolean (with <NA>) met table of every criterion, via the rule set's own
    Threshold objects (operator and unit) on every draw."""
    met: dict[str, pd.DataFrame] = {}
    for key, crit in rs.criteria.items():
        value = frame[crit.column].to_numpy(float)
        for tier, th in crit.thresholds.items():
            limit = threshold_value(th, frame).to_numpy(float)
            known = np.isfinite(value) & np.isfinite(limit)
            result = pd.array(np.where(known, th.met(value, limit), False), dtype="boolean")
            result[~known] = pd.NA
            met.setdefault(tier, pd.DataFrame(index=frame.index))[key] = result
    return met


def list_draws(frame: pd.DataFrame, rs: RuleSet, met: dict) -> dict[str, pd.Series]:
    """The count lists on every draw with the rule set's ListRule objects (as classify_year)."""
    setting = rs.settings["min_residents"]
    ok = pd.Series(
        compare(setting.operator or ">=", frame["residents"].to_numpy(float), setting.value),
        index=frame.index,
        dtype="boolean",
    )
    lists: dict[str, pd.Series] = {}
    for key, rule in rs.lists.items():
        if rule.kind != "count":
            continue
        if rule.excludes_setting and not rs.setting(rule.excludes_setting):
            rule = replace(rule, excludes=())
        lists[key] = count_list(rule, met, lists) & ok
    return lists


def _mean_by_area(values: pd.Series, draws: int) -> np.ndarray:
    """P(True) per area over its draws; NaN when any draw is undecided (<NA>)."""
    arr = values.to_numpy(dtype=float, na_value=np.nan).reshape(-1, draws)
    return arr.mean(axis=1)


def _expected_figures(frame: pd.DataFrame, prep: Prepared, year: int, draws: int) -> pd.DataFrame:
    """One row per area: the mean of the draws of each figure, for the engine's margins."""
    numeric = frame.drop(columns="area_id")
    means = numeric.to_numpy(float).reshape(-1, draws, numeric.shape[1])
    # A figure undefined in every draw (no population) stays NaN: not a warning for the user.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
        expected = pd.DataFrame(np.nanmean(means, axis=1), columns=numeric.columns)
    areas = prep.areas.reset_index(drop=True)
    expected.insert(0, "list_year", year)
    for column in ("area_id", "area_name", "municipality"):
        expected[column] = areas[column]
    expected["residents"] = expected["residents"].round().fillna(0).astype("int64")
    return expected


def _omdannelse(prep: Prepared, rs: RuleSet, year: int, areas: pd.DataFrame) -> pd.Series:
    """1 if the look-back holds for the earlier years (then p = p_parallelsamfund), 0 if broken,
    NaN when the earlier lists are not all known."""
    rule = rs.lists.get("omdannelse")
    if rule is None:
        return pd.Series(np.nan, index=areas.index)
    earlier = prep.lists_for(list(range(year - rule.years + 1, year)))
    if earlier.empty:
        return pd.Series(np.nan, index=areas.index)
    rows, known, uncertain = lb.history_from_results(earlier)
    history = lb.combine_history(None, rows)
    current = pd.DataFrame({"area_name": areas["area_name"], "member": True}, index=areas.index)
    res = lb.lookback(current, year, rule, history, known, uncertain)
    return res.member.astype("float").fillna(np.nan)


def predict(
    prep: Prepared, year: int, draws: int = 2000, seed: int = 0, law_: Law | None = None
) -> pd.DataFrame:
    """Probabilities, expected figures and margins for list year `year` from rows before it.

    `law_`: an edited law (an amendment) instead of the one in force; the earlier lists its
    look-back reads stay those decided under the law of their own years."""
    if draws < 1:
        raise UdsatError(msg("draws", draws=draws))
    if year - 1 not in prep.years:
        raise UdsatError(msg("need_last_year", year=year, last=year - 1))
    rs = ruleset_for_year(year, law_)
    frame, areas = simulate(prep, rs, year, draws, seed)
    met = met_tables(frame, rs)
    lists = list_draws(frame, rs, met)
    out = prep.areas.rename(columns={"area_id": "housing_area_id", "area_name": "name"})
    out = out[["housing_area_id", "name", "municipality"]].reset_index(drop=True)
    out.insert(0, "list_year", year)
    out["rule_set"] = rs.label
    last = prep.series_for(rs)
    res = last[(last["measure"] == "residents") & (last["year"] == year - 1)]
    out["residents"] = res.set_index("area_id")["num"].reindex(areas).fillna(0).astype(int).values
    expected = _expected_figures(frame, prep, year, draws)
    out["residents_expected"] = expected["residents"].to_numpy()
    for key in rs.criteria:
        for tier in rs.criteria[key].thresholds:
            out[f"p_{rs.prefix(key, tier)}"] = _mean_by_area(met[tier][key], draws)
    for key in rs.all_lists:
        if key in lists or key not in rs.lists:
            out[f"p_{key}"] = _mean_by_area(lists[key], draws) if key in lists else np.nan
    any_list = None
    for series in lists.values():
        any_list = series if any_list is None else (any_list | series)
    out["p_any_list"] = _mean_by_area(any_list, draws) if any_list is not None else np.nan
    out["p_omdannelse"] = (
        out["p_parallelsamfund"]
        * _omdannelse(prep, rs, year, out.rename(columns={"name": "area_name"})).to_numpy()
    )
    classified = classify_year(expected, rs)
    for key, crit in rs.criteria.items():
        prefix = rs.prefix(key, next(iter(crit.thresholds)))  # its first tier (udsat, kombineret)
        value = classified[f"{key}_value"].to_numpy(float)
        out[f"expected_{key}"] = value
        out[f"threshold_{key}"] = classified[f"{prefix}_threshold"].to_numpy(float)
        margin = classified[f"{prefix}_margin_people"].to_numpy(float)
        met_now = classified[f"{prefix}_met"].fillna(False).to_numpy(bool)
        # Signed: > 0 people more in the numerator meet the criterion; < 0 it is met and that
        # many fewer would unmeet it.
        out[f"people_to_{key}"] = np.where(met_now, -margin, margin)
    return out


def warn(
    con: duckdb.DuckDBPyConnection | Engine,
    *,
    year: int,
    draws: int = 2000,
    seed: int = 0,
    references: References | None = None,
    prepared: Prepared | None = None,
    lists: pd.DataFrame | None = None,
    amendment: Law | None = None,
) -> pd.DataFrame:
    """The ranked risk table of list year `year` (one row per housing area) from the data up
    to `year` - 1: probabilities per criterion and list, distances in people and the reasons.

    `con`: the dataset's DuckDB connection or any engine (udsat.engines); every query runs on
    it. `lists`: the state's lists computed upstream (see `prepare`). `amendment`: an edited law
    whose list probabilities are shown beside the law's (p_<list>_amended, same draws).
    """
    from udsat.warning.reasons import rank_and_explain

    prep = prepared or prepare(con, references, lists)
    table = rank_and_explain(predict(prep, year, draws, seed), ruleset_for_year(year))
    if amendment is None:
        return table
    other = predict(prep, year, draws, seed, law_=amendment).set_index("housing_area_id")
    columns = [f"p_{k}" for k in amendment.list_keys() if f"p_{k}" in other] + ["p_any_list"]
    side = other[columns].add_suffix("_amended")
    return table.join(side, on="housing_area_id")
