"""Early warning: the probability that each housing area meets each criterion of the state's
lists and lands on each list on the next 1 December, from the data up to the year before.

Model (docs/early-warning.md). For list year Y the data hold persons rows up to Y-1:
- each yearly figure of an area (a share of counted people, the income in % of the region, the
  log of the residents) has a history; it moves to Y by the area's drift (OLS slope over the
  last `window` years, shrunk towards zero by empirical Bayes across the areas) plus a change
  whose variance, innovation + dispersion x the measure's sampling shape, is fitted on every
  area's earlier one-year changes (a panel's share moves less than binomial, dispersion < 1);
- the change's shape is that of the honest one-year-ahead errors the same method made of the
  earlier years (fit_measure), so the 50 % and 90 % intervals cover what they say;
- rows the list year reads that are already observed (Y-1 in the 2-year averages of criteria 1 and
  2) enter as observed, only the unknown year is drawn; the averaging is the rule set's own
  (`two_year` of the lists engine);
- the forecast year's references are forecast, never read (trend_draws);
- every draw goes through the rules in force on the forecast's day (forecast_rules): the rule
  set's own Threshold and ListRule objects; rules announced for Y are shown beside.

Nothing here reads rows of year Y or later, so backtests cannot leak.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
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
from udsat.statelists.references import YearReferences
from udsat.statelists.rules import (
    Law,
    RuleSet,
    compare,
    first_list_year,
    law,
    list_date,
    rules_in_force,
)
from udsat.statelists.run import lists_for_data
from udsat.warning.messages import msg

WINDOW = 6  # years of history for an area's drift: long enough for a slope, short enough to move
# Earlier years whose honest one-year-ahead errors give the change's shape: all the data allow
# (up to 10). With only the last 4, a shock years back (a renovated estate) was forgotten: on the
# shocked city of seed 7 three criteria's 90 % intervals covered 83-84 % (with 10: 84-88 %).
CALIBRATION = 10
MIN_CALIBRATION = 30  # fewer such errors: the fitted years' own standardised changes
QUANTILES = (0.05, 0.25, 0.75, 0.95)  # the 90 % and 50 % predictive intervals (q05_ ... q95_)


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
    # references per list year (`--references FILE`): each row year's income in % of its region
    # uses that year's; a forecast year's are forecast from the earlier ones, never read
    year_references: YearReferences | None = None

    def references_for(self, year: int) -> References:
        """The references of list year `year`: the file's for that year, else the run's. A
        one-municipality dataset is its own reference only when no file is given: a file that
        leaves out a year the warning reads would mix the two in one area's series (an error)."""
        if self.year_references is None:
            return self.references
        given = self.year_references.get(year)
        if given is not None:
            return given
        if self.references.data_is_reference:
            span = f"{min(self.years)}-{max(self.years)}"
            raise UdsatError(
                msg("references_year", path=self.year_references.source, year=year, span=span)
            )
        return self.references

    def counts_for(self, rs: RuleSet) -> pd.DataFrame:
        assert self.counts is not None, "prepare() reads the counts"
        return self.counts.read(rs, self.years)

    def series_for(self, rs: RuleSet) -> pd.DataFrame:
        if rs.label not in self.series:
            self.series[rs.label] = yearly_series(
                self.counts_for(rs), self.areas, self.regions, rs, self.references_for
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
            # each year's lists judged by that year's references (a references file's)
            new = lists_for_data(self.engine, self.references_for, years=todo, counts=self.counts)
            self.lists = new if self.lists is None else pd.concat([self.lists, new])
            self.lists_done.update(todo)
        if self.lists is None:
            return pd.DataFrame(columns=["list_year", "area_name", "parallelsamfund"])
        return self.lists[self.lists["list_year"].isin(years)].reset_index(drop=True)


def prepare(
    con: duckdb.DuckDBPyConnection | Engine,
    references: References | None = None,
    lists: pd.DataFrame | None = None,
    year_references: YearReferences | None = None,
) -> Prepared:
    """The warning's inputs from a dataset's engine (a DuckDB connection is the DuckDB engine).

    `lists`: the state's lists already computed upstream (udsat.statelists.run.lists_for_data,
    with the same references); their list years are used as they are, not computed again.
    `year_references`: the published references per list year (`--references FILE`).
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
        year_references=year_references,
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
    references: Callable[[int], References],
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
        int(y): reference_values(with_region, rs, int(y), references(int(y)))[1]
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
    """Per-area state of one measure at Y-1 and the measure's fitted variance of a yearly change.

    The change of a figure from one year to the next, beyond the area's drift, has variance
    `innovation_var + dispersion * base`, where `base` is the measure's sampling-variance shape
    (`_base_var`: p(100 - p)(1/n_t + 1/n_t-1) for a share, 1/n_t + 1/n_t-1 for the income ratio
    and the log of the residents). `dispersion` is fitted, not assumed: a share of a panel (the
    same people counted again) changes far less than two independent binomial samples would
    (dispersion < 1), a share of movers and events can change more (> 1). The shape of the
    change is the empirical distribution of the standardised past changes (`z`), so heavy tails
    (a renovated estate) widen the outer intervals without widening the inner ones.
    """

    last: pd.DataFrame  # index area_id: value, den of year Y-1
    drift: pd.Series  # shrunk drift per year
    drift_var: pd.Series  # posterior variance of the drift
    innovation_var: float  # the change's variance common to every area (value units^2)
    dispersion: float  # multiplier of the measure's sampling-variance shape
    z: np.ndarray  # past changes beyond the drift, each divided by its fitted sd


def _base_var(
    measure: str, value: np.ndarray, n_now: np.ndarray, n_before: np.ndarray
) -> np.ndarray:
    """The sampling-variance shape of a yearly change (module docstring of Fit)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = 1.0 / n_now + 1.0 / n_before
        if measure in SHARES:
            return value * (100.0 - value) * inverse
    return inverse


def fit_measure(series: pd.DataFrame, measure: str, year: int, window: int = WINDOW) -> Fit:
    """Drift, shrinkage and the variance of the yearly change of one measure from rows before
    `year` only, with the shape of the change from honest one-year-ahead errors.

    The variance fitted to the changes of the same years the drift is fitted on is too small
    for a forecast (the drift is estimated, and fits its own years). So the shape `z` is taken
    from the forecasts this same method would have made of each of the CALIBRATION years before
    `year` from the years before those: each real change divided by the sd that forecast
    stated. If those errors were larger than stated, z is wider than 1 and every interval
    widens accordingly; if fewer than MIN_CALIBRATION such errors exist, the fit's own z stays.
    """
    rows = series[(series["measure"] == measure) & (series["year"] < year)]
    fit = _fit(rows, measure, year, window)
    errors = []
    for earlier in range(year - CALIBRATION, year):
        try:
            past = _fit(rows[rows["year"] < earlier], measure, earlier, window)
        except UdsatError:  # no row year before `earlier`
            continue
        actual = rows[rows["year"] == earlier].set_index("area_id")["value"]
        errors.append(_standardised(past, measure, actual))
    z = np.concatenate(errors) if errors else np.zeros(0)
    z = z[np.isfinite(z)]
    return replace(fit, z=np.sort(z)) if len(z) >= MIN_CALIBRATION else fit


def _standardised(fit: Fit, measure: str, actual: pd.Series) -> np.ndarray:
    """(actual - forecast) / the forecast's stated sd, per area (on the log scale for the
    residents)."""
    areas = fit.last.index
    value, den = fit.last["value"].to_numpy(float), fit.last["den"].to_numpy(float)
    with np.errstate(invalid="ignore"):  # an area without people: no figure, no error
        variance = fit.innovation_var + fit.dispersion * _base_var(measure, value, den, den)
    variance = variance + fit.drift_var.to_numpy()
    observed = actual.reindex(areas).to_numpy(float)  # the residents' series is their log
    with np.errstate(divide="ignore", invalid="ignore"):
        return (observed - value - fit.drift.to_numpy()) / np.sqrt(variance)


def _fit(rows: pd.DataFrame, measure: str, year: int, window: int) -> Fit:
    """fit_measure's drift and variance from `rows` (one measure, years before `year`)."""
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
    innovation, dispersion, z = _change_variance(measure, v, n, drift)
    last = pd.DataFrame(
        {"value": wide[year - 1], "den": den.reindex(wide.index)[year - 1]}, index=wide.index
    )
    return Fit(
        last=last,
        drift=pd.Series(drift, index=wide.index),
        drift_var=pd.Series(drift_var, index=wide.index),
        innovation_var=innovation,
        dispersion=dispersion,
        z=z,
    )


def _change_variance(
    measure: str, v: np.ndarray, n: np.ndarray, drift: np.ndarray
) -> tuple[float, float, np.ndarray]:
    """The variance of a yearly change beyond the drift, E[r^2] = innovation + dispersion *
    base (non-negative least squares over every area's one-year changes), and the changes
    standardised by it."""
    change = v[:, 1:] - v[:, :-1] - drift[:, None]
    base = _base_var(measure, (v[:, 1:] + v[:, :-1]) / 2, n[:, 1:], n[:, :-1])
    ok = np.isfinite(change) & np.isfinite(base)
    if ok.sum() < 3:
        return 0.0, 0.0, np.zeros(1)
    r, x = change[ok], base[ok]
    coef, _ = nnls(np.column_stack([np.ones(len(x)), x]), r**2)
    innovation, dispersion = float(coef[0]), float(coef[1])
    sd = np.sqrt(innovation + dispersion * x)
    usable = sd > 0
    z = r[usable] / sd[usable] if usable.any() else np.zeros(1)
    return innovation, dispersion, np.sort(z)


def draw_next(
    fit: Fit, measure: str, areas: pd.Index, draws: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draws (areas x draws) of the figure of year Y and its people base: the figure of Y-1
    plus the drift plus a change of the fitted variance (the base of a change between two years
    of Y-1's size, plus the drift's own uncertainty) in the empirical shape `z`."""
    last = fit.last.reindex(areas)
    value, den = (last[c].to_numpy(float) for c in ("value", "den"))
    drift = fit.drift.reindex(areas).fillna(0).to_numpy()
    base = _base_var(measure, value, den, den)
    with np.errstate(invalid="ignore"):  # an area without people: no figure (NaN below)
        variance = fit.innovation_var + fit.dispersion * base
    variance = variance + fit.drift_var.reindex(areas).fillna(0).to_numpy()
    sd = np.sqrt(np.where(np.isfinite(variance), variance, 0.0))
    shape = (len(areas), draws)
    out = value[:, None] + drift[:, None] + rng.choice(fit.z, size=shape) * sd[:, None]
    people = np.broadcast_to(den[:, None], shape)
    if measure in SHARES:
        good = (np.isfinite(value) & (den > 0))[:, None]
        return np.where(good, np.clip(out, 0.0, 100.0), np.nan), people
    if measure == "income":
        return out, people
    return np.round(np.exp(out)), people  # residents: a log-level random walk with drift


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


def trend_draws(series: pd.Series, year: int, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Draws of a reference's value in `year` from its values of earlier years (index: year),
    as a random walk with drift over the last WINDOW years: the last value plus the mean yearly
    change times the years ahead, plus the spread of the yearly changes (Student t, its
    degrees of freedom from the number of changes; the mean change's own error included). Two
    values: their one change is both the drift and the spread; one value: that value."""
    known = series[series.index < year].dropna().sort_index().tail(WINDOW)
    if known.empty:
        return np.full(draws, np.nan)
    last_year, last = int(known.index[-1]), float(known.iloc[-1])
    ahead = year - last_year
    changes = np.diff(known.to_numpy(float)) / np.diff(known.index.to_numpy(float))
    if len(changes) == 0:
        return np.full(draws, last)
    drift = float(changes.mean())
    if len(changes) == 1:
        return last + drift * ahead + abs(drift) * np.sqrt(ahead) * rng.standard_normal(draws)
    sd = float(changes.std(ddof=1)) * np.sqrt(ahead + ahead**2 / len(changes))
    return last + drift * ahead + sd * rng.standard_t(len(changes) - 1, draws)


def _national_draws(
    prep: Prepared, rs: RuleSet, year: int, draws: int, rng: np.random.Generator, n_a: int
) -> np.ndarray:
    """The national conviction share of list year `year` (criterion 2's reference), never the
    value of `year` itself (it is published with the list):
    - a references file (`--references`): forecast from the file's values of earlier list
      years (trend_draws);
    - one value given (`--national-convicted-pct`): that value, as the user states it;
    - otherwise from the data: the observed row years plus the unknown row year forecast from
      the data's own yearly shares (trend_draws), averaged as the rule set averages."""
    file = prep.year_references
    if file is not None and file.years:
        past = pd.Series(
            {y: r.national_convicted_pct for y, r in file.by_year.items() if y < year},
            dtype=float,
        )
        if past.notna().any():
            return np.tile(trend_draws(past, year, draws, rng), n_a)
    if prep.references.national_convicted_pct is not None:
        return np.full(n_a * draws, float(prep.references.national_convicted_pct))
    crit = next(c for c in rs.criteria.values() if c.measure == "convicted")
    per_year = prep.counts_for(rs).groupby("year")[["convicted_num", "convicted_den"]].sum()
    past_rows = per_year[per_year.index < year]
    share = 100.0 * past_rows["convicted_num"] / past_rows["convicted_den"]
    nums, dens = [], []
    for y in (year + o for o in crit.row_years):
        if y < year:
            nums.append(np.full(draws, float(past_rows["convicted_num"].loc[y])))
            dens.append(np.full(draws, float(past_rows["convicted_den"].loc[y])))
        else:
            den = float(past_rows["convicted_den"].iloc[-1])
            nums.append(trend_draws(share, y, draws, rng) * den / 100.0)
            dens.append(np.full(draws, den))
    value, _ = two_year(
        pd.DataFrame(np.column_stack(nums)),
        pd.DataFrame(np.column_stack(dens)),
        rs.setting("averaging"),
    )
    return np.tile(value.to_numpy(), n_a)


def region_income_draws(
    prep: Prepared, rs: RuleSet, year: int, draws: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Per region, draws of criterion 4's regional reference (mean income, DKK) of list year
    `year`, forecast from earlier list years (trend_draws on the log scale): the references
    file's values, else the data's own. Shown beside the forecast: the model forecasts the
    area's income in % of its region from that ratio's own history, so it does not read this
    forecast."""
    by_year: dict[int, pd.Series] = {}
    file = prep.year_references
    if file is not None and file.years:
        for y, refs in file.by_year.items():
            if y < year and refs.region_income:
                by_year[y] = pd.Series(refs.region_income, dtype=float)
    elif prep.counts is not None:  # None: figures given without an engine (hand-built series)
        counts = prep.counts_for(rs)
        with_region = counts.assign(region=counts["municipality_code"].map(prep.regions))
        for y in (y for y in prep.years if y < year):
            try:
                by_year[y] = reference_values(with_region, rs, y, prep.references)[1]
            except UdsatError:  # e.g. the national share cannot be computed for this year
                continue
    if not by_year:
        return {}
    table = pd.DataFrame(by_year)  # region x year
    return {
        str(region): np.exp(trend_draws(np.log(row), year, draws, rng))
        for region, row in table.iterrows()
    }


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


def _quantiles(values: pd.Series, draws: int) -> list[np.ndarray]:
    """Per area, the QUANTILES of its draws of a figure (NaN where no draw is defined)."""
    arr = values.to_numpy(float).reshape(-1, draws)
    defined = np.isfinite(arr).any(axis=1)
    out = np.full((len(QUANTILES), arr.shape[0]), np.nan)
    if defined.any():
        out[:, defined] = np.nanquantile(arr[defined], QUANTILES, axis=1)
    return list(out)


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


def lookback_holds(prep: Prepared, rs: RuleSet, year: int, areas: pd.DataFrame) -> pd.Series:
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


def forecast_rules(year: int, as_of: dt.date | None = None, law_: Law | None = None) -> RuleSet:
    """The rules a forecast of list year `year` made on `as_of` judges by: those in force that
    day (default: the day list `year` - 1 was published), never later than `year`'s own. A rule
    adopted for `year` but not yet in force is an announcement, not foresight (predict shows it
    beside)."""
    the_law = law_ or law()
    day = min(as_of or list_date(year - 1, the_law.file), list_date(year, the_law.file))
    return rules_in_force(day, the_law) or the_law.ruleset_for_year(year)


def predict(
    prep: Prepared,
    year: int,
    draws: int = 2000,
    seed: int = 0,
    law_: Law | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """Probabilities, expected figures with their predictive intervals, and margins for list
    year `year` from rows before it, by the rules in force on `as_of` (forecast_rules).

    When the law (or `law_`) has other rules for `year` than those in force on `as_of` (rules
    announced for the list), the same draws judged by them are shown beside:
    p_<list>_announced and p_any_list_announced, with the rule set in `rule_set_announced`.
    `law_`: an edited law (an amendment) instead of the shipped one; the earlier lists its
    look-back reads stay those decided under the law of their own years."""
    rs = forecast_rules(year, as_of, law_)
    out = _predict(prep, year, draws, seed, rs)
    _region_columns(out, prep, rs, year, draws, seed)
    announced = (law_ or law()).ruleset_for_year(year)
    if announced.label != rs.label:
        other = _predict(prep, year, draws, seed, announced)
        for key in [*announced.lists, "any_list"]:
            out[f"p_{key}_announced"] = other[f"p_{key}"].to_numpy()
        out["rule_set_announced"] = announced.label
    return out


def _predict(prep: Prepared, year: int, draws: int, seed: int, rs: RuleSet) -> pd.DataFrame:
    """predict's table for list year `year` judged by the rule set `rs`."""
    if draws < 1:
        raise UdsatError(msg("draws", draws=draws))
    if year - 1 not in prep.years:
        raise UdsatError(msg("need_last_year", year=year, last=year - 1))
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
        * lookback_holds(prep, rs, year, out.rename(columns={"name": "area_name"})).to_numpy()
    )
    classified = classify_year(expected, rs)
    for key, crit in rs.criteria.items():
        prefix = rs.prefix(key, next(iter(crit.thresholds)))  # its first tier (udsat, kombineret)
        value = classified[f"{key}_value"].to_numpy(float)
        out[f"expected_{key}"] = value
        for q, column in zip(QUANTILES, _quantiles(frame[crit.column], draws), strict=True):
            out[f"q{round(100 * q):02d}_{key}"] = column
        out[f"threshold_{key}"] = classified[f"{prefix}_threshold"].to_numpy(float)
        margin = classified[f"{prefix}_margin_people"].to_numpy(float)
        met_now = classified[f"{prefix}_met"].fillna(False).to_numpy(bool)
        # Signed: > 0 people more in the numerator meet the criterion; < 0 it is met and that
        # many fewer would unmeet it.
        out[f"people_to_{key}"] = np.where(met_now, -margin, margin)
    # The references of the forecast year are forecast too, with their uncertainty.
    national = frame["national_convicted_pct"]
    out["expected_national_convicted_pct"] = _mean_by_area(national, draws)
    for q, column in zip(QUANTILES, _quantiles(national, draws), strict=True):
        out[f"q{round(100 * q):02d}_national_convicted_pct"] = column
    return out


def _region_columns(
    out: pd.DataFrame, prep: Prepared, rs: RuleSet, year: int, draws: int, seed: int
) -> None:
    """The forecast regional reference of each area's region (expected and QUANTILES), shown
    beside the forecast; once per forecast, whatever rules judge it."""
    regions = region_income_draws(prep, rs, year, draws, np.random.default_rng([seed, 4]))
    region = prep.areas["region"].reset_index(drop=True)
    names = ["expected", *(f"q{round(100 * q):02d}" for q in QUANTILES)]
    stats = {r: [float(np.mean(d)), *np.quantile(d, QUANTILES)] for r, d in regions.items()}
    for i, name in enumerate(names):
        values = {r: float(v[i]) for r, v in stats.items()}
        out[f"{name}_region_income_dkk"] = region.map(values).astype(float).to_numpy()


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
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """The ranked risk table of list year `year` (one row per housing area) from the data up
    to `year` - 1: probabilities per criterion and list, distances in people and the reasons,
    by the rules in force on `as_of` (default: the day the last list was published), with
    rules announced for `year` beside (predict).

    `con`: the dataset's DuckDB connection or any engine (udsat.engines); every query runs on
    it. `lists`: the state's lists computed upstream (see `prepare`). `amendment`: an edited law
    whose list probabilities, as if it decided list `year`, are shown beside the law's
    (p_<list>_amended, same draws).
    """
    from udsat.warning.reasons import rank_and_explain

    prep = prepared or prepare(con, references, lists)
    table = rank_and_explain(
        predict(prep, year, draws, seed, as_of=as_of), forecast_rules(year, as_of)
    )
    if amendment is None:
        return table
    decides = list_date(year, amendment.file)
    other = predict(prep, year, draws, seed, law_=amendment, as_of=decides)
    other = other.set_index("housing_area_id")
    columns = [f"p_{k}" for k in amendment.list_keys() if f"p_{k}" in other] + ["p_any_list"]
    side = other[columns].add_suffix("_amended")
    return table.join(side, on="housing_area_id")
