"""compute_indicators: every catalogue indicator for any units and year, in one pass per source.

    con = open_dataset(Path("data/kbh")).connect()
    frame = compute_indicators(con, year=2024, units="kvarterer")

One row per unit and indicator: unit_id, indicator_id, criterion, year, numerator, denominator,
value, value_raw, ci_low, ci_high, effective_n, shrunk, residents, respondents, note.
docs/indicators.md states every formula.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import cast

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from udsat.engines import Engine, as_engine
from udsat.errors import UdsatError
from udsat.indicators.cache import cached
from udsat.indicators.catalogue import Catalogue, Indicator, load_catalogue
from udsat.indicators.messages import say
from udsat.indicators.sql import MAP, register_sql, strata_keys, survey_sql
from udsat.indicators.stats import direct_standardise, kish, shrink, wilson
from udsat.indicators.units import CITY, Units, majority, resolve_units
from udsat.neighbourhoods.grid import CellTable
from udsat.neighbourhoods.spark import knn_counts_on
from udsat.runlog import RunLog

COLUMNS = (
    "unit_id",
    "indicator_id",
    "criterion",
    "year",
    "numerator",
    "denominator",
    "value",
    "value_raw",
    "ci_low",
    "ci_high",
    "effective_n",
    "shrunk",
    "residents",
    "respondents",
    "note",
)
# note codes (a reason on every row that is not an ordinary estimate)
NO_POPULATION = "no_population"
NO_RESPONDENTS = "no_respondents"
DISTRICT_VALUE = "no_respondents_district_value"
STRATA_FILLED = "strata_filled_with_city_rate"


def compute_indicators(
    con: duckdb.DuckDBPyConnection | Engine,
    *,
    year: int,
    units: str | gpd.GeoDataFrame = "kvarterer",
    catalogue: Catalogue | None = None,
    indicators: Sequence[str] | None = None,
    k: int = 1000,
    shrink: bool = True,
    outside: str | None = None,
    confidence: float = 0.95,
    log: RunLog | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """The catalogue's indicators for every unit of `units` in `year` (see the module doc).

    `units`: "city", "cells", "neighbourhoods" (the k nearest residents around every inhabited
    100 m cell; unit_id = the cell id), "housing_areas", a polygon layer of the dataset
    ("kvarterer", "units/bydele", ...) or a GeoDataFrame with unit_id (EPSG:25832).
    `outside="rest"` adds the unit "rest" for everyone outside the polygons. `shrink` applies
    empirical-Bayes shrinkage of survey indicators towards the unit's district. People outside
    every unit and unplaceable survey responses are counted in `log`.
    `groups` adds units made of whole units of a polygon layer or the housing areas, e.g.
    {"udsat": [every area's id]}: their sums are their members' sums (one pass serves both).
    """
    if not 0 < confidence < 1:
        raise UdsatError(say("bad_confidence", value=confidence))
    engine = as_engine(con)  # the passes run on it; units and checks on its DuckDB connection
    con = engine.con
    catalogue = catalogue or load_catalogue()
    chosen = catalogue.select(indicators)
    _check_year(engine, year)
    log = log or RunLog()
    register = [i for i in chosen if i.source == "register"]
    survey = [i for i in chosen if i.source == "survey"]
    if survey and not engine.has_view("survey"):
        log.note(say("no_survey", names=", ".join(i.id for i in survey)))
        survey = []
    key = None
    if isinstance(units, str):
        # the definitions themselves, so an edited catalogue (or goals' extra indicators with
        # the catalogue's path and version) is a new key
        used = tuple(
            (i.id, i.population, i.numerator, i.denominator, i.standardise)
            for i in (*register, *survey)
        )
        context = tuple(catalogue.derived.items()) + tuple(catalogue.households.items())
        context += tuple((r.name, r.sql) for r in catalogue.references.values())
        key = (engine.name, int(year), units, outside, used, context)
    resolved, reg, sur = cached(
        con, key, lambda: _passes(engine, year, units, outside, catalogue, register, survey)
    )
    frames = _frames(reg, sur, register, resolved, k, log, engine)
    if groups:
        _add_groups(frames, reg, resolved, groups)
    parts = [_register_rows(ind, frames, confidence) for ind in register]
    parts += [_survey_rows(ind, frames, confidence, shrink) for ind in survey]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(COLUMNS))
    out["year"] = int(year)
    return out[list(COLUMNS)].sort_values(["indicator_id", "unit_id"], ignore_index=True)


def _passes(engine: Engine, year, units, outside, catalogue, register, survey):
    """Units, then the register pass and the survey pass (None without survey indicators)."""
    resolved = kept_units(engine.con, units, outside)
    cells = resolved.kind in ("cells", "neighbourhoods")
    engine.register(MAP, resolved.mapping)
    try:
        reg = _query(engine, register_sql(catalogue, register, cells), year, "persons")
        sur = _query(engine, survey_sql(survey, cells), year, "survey") if survey else None
    finally:
        engine.unregister(MAP)
    return resolved, reg, sur


def kept_units(
    con: duckdb.DuckDBPyConnection, units: str | gpd.GeoDataFrame, outside: str | None
) -> Units:
    """resolve_units, kept per connection: addresses map to units the same way every year, so
    the monitoring's yearly calls and its life table share one mapping."""
    key = ("units", units_key(units), outside)
    return cached(con, key, lambda: resolve_units(con, units, outside))


def units_key(units: str | gpd.GeoDataFrame) -> str:
    """A layer's name, or a digest of a GeoDataFrame's CRS, unit ids and geometries."""
    if isinstance(units, str):
        return units
    digest = hashlib.sha256(str(units.crs).encode())
    if "unit_id" in units.columns:  # without it resolve_units says what is wrong
        digest.update("\x1f".join(map(str, units["unit_id"])).encode())
    for wkb in shapely.to_wkb(units.geometry.to_numpy()):
        digest.update(wkb)
    return "geodataframe:" + digest.hexdigest()


def _check_year(engine: Engine, year: int) -> None:
    found = engine.frame(
        "SELECT min(year) AS lo, max(year) AS hi, "
        f"count(*) FILTER (WHERE year = {int(year)}) AS n FROM persons"
    )
    lo, hi, n = (found[c].iloc[0] for c in ("lo", "hi", "n"))
    if not n:
        raise UdsatError(say("no_persons_year", year=year, span=f"{lo}-{hi}"))


def _query(engine: Engine, sql: str, year: int, what: str) -> pd.DataFrame:
    try:
        # $1 is the year (sql.py): written in, so every engine runs the same text
        found = engine.frame(sql.replace("$1", str(int(year))))
    except duckdb.Error as exc:
        raise UdsatError(say("sql_failed", what=what, error=str(exc).splitlines()[0])) from exc
    # Rows arrive in the order of the engine's threads or tasks: sorted, every later float sum
    # adds them in one order, so the same data give the same bits under any load.
    return found.sort_values(list(found.columns), kind="stable", ignore_index=True)


class Frames:
    """Per-unit sums (`units`, indexed by unit_id), the whole data's sums (`total`), each unit's
    district and the district sums of the survey."""

    def __init__(
        self, kind: str, units: pd.DataFrame, total: pd.Series, district: pd.Series
    ) -> None:
        self.kind = kind
        self.units = units
        self.total = total
        self.district = district  # unit_id -> district_id
        self.survey_district: pd.DataFrame | None = None
        self.survey_total: pd.Series | None = None


def _frames(
    reg, sur, register: Sequence[Indicator], units: Units, k: int, log: RunLog, engine: Engine
) -> Frames:
    """Add the (unit, cell, district) groups of the passes up to units, districts and the whole
    data; neighbourhoods: sums over the k nearest residents of each cell."""
    cells = units.kind in ("cells", "neighbourhoods")
    keys = ["unit_id", "row", "col"] if cells else ["unit_id"]
    outside = reg["unit_id"].isna()
    log.exclude(
        "persons",
        say("excl_outside_units", units=units.name),
        int(reg.loc[outside, "residents"].sum()),
    )
    strata = strata_keys(register)
    groups = ["unit_id", "row", "col", "district_id", *strata.values()]
    sums = [c for c in reg.columns if c not in groups]
    total = reg[sums].sum()
    placed = reg[~outside]
    district = majority(placed, "unit_id", "district_id", "residents")
    per_unit = placed.groupby(keys, sort=True)[sums].sum()
    for ind in register:
        if ind.standardise:
            unit_strata, total_strata = _strata(ind, strata[ind.standardise], reg, placed, keys)
            per_unit = per_unit.join(unit_strata)
            total = pd.concat([total, total_strata])
    per_unit = per_unit.reset_index(level=keys[1:])
    survey_units = _survey_units(sur, keys, log) if sur is not None else None
    if units.kind == "neighbourhoods":
        per_unit = _neighbourhoods(per_unit, survey_units, k, log, engine)
    else:
        if survey_units is not None:
            # outer: respondents at an address where nobody is registered still count
            survey_units = survey_units.drop(columns=["row", "col"], errors="ignore")
            per_unit = per_unit.join(survey_units, how="outer")
        if units.ids is not None:  # polygon layers: every unit, also those without residents
            per_unit = per_unit.reindex(units.ids)
        per_unit["residents"] = per_unit["residents"].fillna(0)
    frames = Frames(units.kind, per_unit, total, district.reindex(per_unit.index).fillna(CITY))
    if sur is not None:
        columns = [c for c in sur.columns if c not in ("unit_id", "row", "col", "district_id")]
        frames.survey_district = sur.groupby("district_id")[columns].sum()
        frames.survey_total = sur[columns].sum()
    return frames


def _add_groups(frames: Frames, reg, units: Units, groups: Mapping[str, Sequence[str]]) -> None:
    """Rows for `groups` in `frames.units`: every sum over the members; the district holding
    most of the members' residents."""
    if units.kind in ("cells", "neighbourhoods", CITY):
        raise UdsatError(say("groups_kind", kind=units.kind))
    per_unit = frames.units
    known = set(per_unit.index.astype(str))
    listed = {group: [str(m) for m in members] for group, members in groups.items()}
    for group, members in listed.items():
        if group in known:
            raise UdsatError(say("groups_clash", group=group))
        unknown = sorted(set(members) - known)
        if unknown:
            raise UdsatError(say("groups_unknown", group=group, example=unknown[0]))
    member_of = {m: group for group, members in listed.items() for m in members}
    sums = pd.DataFrame({g: per_unit.loc[m].sum(min_count=1) for g, m in listed.items()}).T
    frames.units = pd.concat([per_unit, sums[per_unit.columns]])
    frames.units["residents"] = frames.units["residents"].fillna(0)
    placed = reg[reg["unit_id"].astype(str).isin(member_of)]
    grouped = placed.assign(unit_id=placed["unit_id"].astype(str).map(member_of))
    district = majority(grouped, "unit_id", "district_id", "residents")
    frames.district = pd.concat([frames.district, district.reindex(list(groups)).fillna(CITY)])


def _strata(
    ind: Indicator, key: str, reg: pd.DataFrame, placed: pd.DataFrame, keys: list[str]
) -> tuple[pd.DataFrame, pd.Series]:
    """Per unit and in the whole data: the indicator's numerator and denominator per stratum, as
    columns `{id}__{stratum}__num` / `__den` (missing strata 0)."""
    names = [n for n, _ in ind.standardise.strata()] if ind.standardise else []
    parts = [f"{ind.id}__num", f"{ind.id}__den"]
    # `keys` is never empty: a MultiIndex, so unstack gives a DataFrame (the stubs say "or Series")
    wide = cast(
        pd.DataFrame, placed.dropna(subset=[key]).groupby([*keys, key])[parts].sum().unstack(key)
    )
    columns = pd.MultiIndex.from_product([parts, range(len(names))])
    wide = wide.reindex(columns=columns)
    wide.columns = [f"{ind.id}__{names[int(j)]}__{p.rsplit('__', 1)[1]}" for p, j in columns]
    whole = reg.dropna(subset=[key]).groupby(key)[parts].sum().reindex(range(len(names)))
    total = pd.Series(
        {
            f"{ind.id}__{names[j]}__{p.rsplit('__', 1)[1]}": whole[p].iloc[j]
            for p in parts
            for j in range(len(names))
        }
    )
    return wide.fillna(0), total.fillna(0)


def _survey_units(sur: pd.DataFrame, keys: list[str], log: RunLog) -> pd.DataFrame:
    unplaced = sur["unit_id"].isna()
    log.exclude("survey", say("excl_survey_unlocated"), int(sur.loc[unplaced, "respondents"].sum()))
    columns = [c for c in sur.columns if c not in ("unit_id", "row", "col", "district_id")]
    return sur[~unplaced].groupby(keys, sort=True)[columns].sum().reset_index(level=keys[1:])


def _neighbourhoods(
    cells: pd.DataFrame, survey: pd.DataFrame | None, k: int, log: RunLog, engine: Engine
) -> pd.DataFrame:
    """Every sum over the k nearest residents of each inhabited cell (knn_counts)."""
    if survey is not None:
        lost = ~survey.index.isin(cells.index)
        log.exclude(
            "survey", say("excl_survey_no_cell"), int(survey.loc[lost, "respondents"].sum())
        )
        cells = cells.join(survey.drop(columns=["row", "col"]))
    cells = cells.sort_values(["row", "col"])
    names = tuple(c for c in cells.columns if "__" in c or c == "respondents")
    table = CellTable(
        rows=cells["row"].to_numpy(np.int64),
        cols=cells["col"].to_numpy(np.int64),
        people=cells["residents"].to_numpy(float),
        values=cells[list(names)].fillna(0).to_numpy(float).reshape(len(cells), len(names)),
        names=names,
    )
    nb = knn_counts_on(engine, table, [k])
    out = pd.DataFrame({n: nb[f"{n}_k{k}"].to_numpy() for n in names}, index=cells.index)
    out["residents"] = cells["residents"]  # the origin cell's residents (they sum to the city)
    return out


def _register_rows(ind: Indicator, frames: Frames, confidence: float) -> pd.DataFrame:
    u = frames.units
    num = u[f"{ind.id}__num"].fillna(0).to_numpy(float)
    den = u[f"{ind.id}__den"].fillna(0).to_numpy(float)
    note = np.where(den > 0, "", NO_POPULATION).astype(object)
    if ind.standardise:
        names = [n for n, _ in ind.standardise.strata()]
        cases = np.column_stack([u[f"{ind.id}__{n}__num"].fillna(0) for n in names])
        people = np.column_stack([u[f"{ind.id}__{n}__den"].fillna(0) for n in names])
        standard = np.array([frames.total[f"{ind.id}__{n}__den"] for n in names], float)
        std_cases = np.array([frames.total[f"{ind.id}__{n}__num"] for n in names], float)
        res = direct_standardise(cases, people, standard, confidence, std_cases)
        value, low, high = res.value, res.low, res.high
        note = np.where((note == "") & (res.filled > 0), STRATA_FILLED, note)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(den > 0, num / den, np.nan)
        low, high = wilson(value, den, confidence)
    return _rows(ind, u, num, den, value, value, low, high, den, False, note)


def _survey_rows(ind: Indicator, frames: Frames, confidence: float, on: bool) -> pd.DataFrame:
    u = frames.units
    num = _col(u, f"{ind.id}__num")
    den = _col(u, f"{ind.id}__den")
    n_eff = kish(den, _col(u, f"{ind.id}__w2"))
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(den > 0, num / den, np.nan)
    low, high = wilson(raw, n_eff, confidence)
    note = np.where(n_eff > 0, "", NO_RESPONDENTS).astype(object)
    value, shrunk = raw, np.zeros(len(u), bool)
    assert frames.survey_total is not None
    # a survey without a single respondent that year has no district values to shrink towards
    if on and frames.kind != CITY and frames.survey_total[f"{ind.id}__den"] > 0:
        target, target_n = _targets(ind, frames)
        res = shrink(raw, n_eff, target, target_n, confidence)
        value, low, high, shrunk = res.value, res.low, res.high, np.ones(len(u), bool)
        note = np.where(n_eff > 0, "", DISTRICT_VALUE).astype(object)
    rows = _rows(ind, u, num, den, value, raw, low, high, n_eff, shrunk, note)
    rows["respondents"] = _col(u, f"{ind.id}__n")
    return rows


def _targets(ind: Indicator, frames: Frames) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's district share and its effective n (the city's when the district has none)."""
    assert frames.survey_total is not None and frames.survey_district is not None
    t = frames.survey_total
    city_share = t[f"{ind.id}__num"] / t[f"{ind.id}__den"]
    city_n = float(kish(t[f"{ind.id}__den"], t[f"{ind.id}__w2"]))
    d = frames.survey_district.reindex(frames.district.to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (d[f"{ind.id}__num"] / d[f"{ind.id}__den"]).to_numpy(float)
    n = kish(d[f"{ind.id}__den"].fillna(0), d[f"{ind.id}__w2"].fillna(0))
    city = (frames.district == CITY).to_numpy() | ~(n > 0)
    return np.where(city, city_share, share), np.where(city, city_n, n)


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.zeros(len(frame))
    return frame[name].fillna(0).to_numpy(float)


def _rows(ind, u, num, den, value, raw, low, high, n_eff, shrunk, note) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": u.index.astype(str),
            "indicator_id": ind.id,
            "criterion": ind.criterion,
            "numerator": num,
            "denominator": den,
            "value": value,
            "value_raw": raw,
            "ci_low": low,
            "ci_high": high,
            "effective_n": n_eff,
            "shrunk": shrunk,
            "residents": u["residents"].fillna(0).to_numpy(np.int64) if "residents" in u else 0,
            "respondents": np.nan,
            "note": note,
        }
    )
