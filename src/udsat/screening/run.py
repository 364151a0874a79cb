"""The screening on microdata: indicators -> designation -> areas -> explanation, stability,
state-listed areas and comparison. I/O stays at the edges (reading the dataset's views)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from udsat.contract.dataset import Dataset, open_dataset
from udsat.contract.schemas import CRS
from udsat.engines import Engine, as_engine
from udsat.errors import UdsatError
from udsat.runlog import RunLog
from udsat.screening.areas import screening_areas, state_areas
from udsat.screening.compare import compare as compare_areas
from udsat.screening.compare import normalise, read_designation
from udsat.screening.config import ScreeningConfig, load_config
from udsat.screening.designate import criterion_table, flag_units, score_indicators
from udsat.screening.join import NOT_IN_AREA, area_labels
from udsat.screening.messages import say
from udsat.screening.result import ScreeningResult
from udsat.screening.robustness import area_stability, vulnerable_under_rules
from udsat.screening.summary import summary_text
from udsat.screening.units import UnitBase, cell_base, polygon_base
from udsat.statelists.microdata import References
from udsat.statelists.run import lists_for_data

Progress = Callable[[str, float], None]
DEFAULT_EARLIER = (
    Path(__file__).parents[1] / "data" / "kk" / "udsatte_byomraader_2017_policy.geojson"
)


def run_screening(
    dataset_or_con: Dataset | Path | str | duckdb.DuckDBPyConnection,
    *,
    year: int,
    config: ScreeningConfig | None = None,
    compare: Path | None = None,
    progress: Progress | None = None,
    stability: bool = True,
    indicators: Callable[..., pd.DataFrame] | None = None,
    engine: Engine | None = None,
    lists: pd.DataFrame | None = None,
    references: References | None = None,
) -> ScreeningResult:
    """Screen the dataset's city for `year` with `config` (default: the packaged config.yaml).

    `compare`: an earlier designation (GeoJSON/GeoPackage); default: the 2017 policy's areas.
    `stability=False` skips the variation grid. `indicators`: the indicator engine (default
    `udsat.indicators.compute_indicators`; tests may pass another with the same signature).
    `engine`: where the indicator passes and the neighbourhoods run (udsat.engines; default the
    dataset's DuckDB connection); the designation itself is small and runs here.
    `lists`: the state's lists computed upstream (udsat.statelists.run.lists_for_data; the
    rows of `year` are used). None: the lists of `year` are computed here, on the engine, with
    `references` (None: the national and regional references computed from the data).
    """
    config = config or load_config()
    tick = progress or (lambda text, share: None)
    log, timings = RunLog(), {}
    dataset, con = _connect(dataset_or_con, engine)
    runner = engine if engine is not None else as_engine(con)
    compute = indicators or _engine()
    catalogue = _catalogue()
    ids, directions = screening_indicators(catalogue)
    started = time.perf_counter()

    def indicators_for(k: int, shrink: bool, units: Any = None) -> pd.DataFrame:
        return compute(
            runner,
            year=year,
            units=units or config.units,
            catalogue=catalogue,
            indicators=ids,
            k=k,
            shrink=shrink,
            log=log,
        )

    tick("indicators", 0.0)
    long = indicators_for(config.k, config.shrink)
    city = indicators_for(config.k, config.shrink, "city").set_index("indicator_id")["value"]
    timings["indicators"] = time.perf_counter() - started
    tick("designation", 0.5)
    base = _unit_base(runner, dataset, year, config, log)
    units = unit_table(
        long, base, directions, config, city, config.k if _cells(base) else None, log
    )
    labels = area_labels(
        units["vulnerable"].to_numpy(bool), base.residents, base.pairs, config.min_area_residents
    )
    units["area_id"] = _area_ids(labels)
    areas = screening_areas(units, labels, base, config, _kvarterer(dataset, con))
    timings["designation"] = time.perf_counter() - started - timings["indicators"]
    tick("state lists", 0.6)
    table = year_lists(runner, year, lists, references, log)
    listed = state_areas(table, con, year, config, units, base, _geo(dataset, con, "housing_areas"))
    areas = pd.concat([areas, listed], ignore_index=True) if len(listed) else areas
    areas = gpd.GeoDataFrame(areas, geometry="geometry", crs=CRS)
    timings["screening"] = time.perf_counter() - started
    variants = 0
    if stability:
        tick("stability", 0.7)
        t0 = time.perf_counter()
        areas, variants = _with_stability(
            areas, labels, base, units, long, directions, config, city, indicators_for
        )
        timings["stability"] = time.perf_counter() - t0
    tick("comparison", 0.9)
    points = _address_residents(runner, year)
    comparison = compare_areas(
        areas,
        _earlier(compare, config, dataset, con),
        points,
        _unit_points(units, base),
        config,
        str(compare or config.compare_layer),
    )
    result = ScreeningResult(
        year=int(year),
        config=config,
        units=units,
        unit_geometry=base.geodataframe(),
        areas=areas,
        comparison=comparison,
        summary_da="",
        log=log,
        timings=timings,
        synthetic=bool((dataset.manifest if dataset else {}).get("synthetic")),
        unit_label=config.units if isinstance(config.units, str) else "polygons",
        # Neighbourhood values describe the k nearest residents, not the cell's own few people.
        own_values=base.kind != "neighbourhoods",
        variants=variants,
        city_residents=float(base.residents.sum()),
        residents_covered=_covered(areas, points),
        comparison_layer=str(compare or config.compare_layer),
    )
    result.summary_da, result.summary_en = summary_text(result, "da"), summary_text(result, "en")
    tick("done", 1.0)
    return result


def year_lists(
    engine: Engine,
    year: int,
    lists: pd.DataFrame | None,
    references: References | None,
    log: RunLog,
) -> pd.DataFrame | None:
    """The state's lists of `year`: the given table's rows of that year, or (no table) that
    one year computed by the lists' own step on the engine. None (logged) when not available."""
    if lists is not None:
        rows = lists[lists["list_year"].astype(int) == int(year)].reset_index(drop=True)
        if rows.empty:
            log.note(f"state lists for {year} not available: not among the lists given")
            return None
        return rows
    try:
        return lists_for_data(engine, references, log, years=[year])
    except (UdsatError, KeyError, ValueError) as exc:
        log.note(f"state lists for {year} not available: {exc}")
        return None


def screening_indicators(catalogue: Any) -> tuple[list[str], dict[str, str]]:
    """The catalogue's screening indicators and every indicator's direction."""
    chosen = [i.id for i in catalogue.indicators if getattr(i, "screening", True)]
    return chosen, {i.id: i.direction for i in catalogue.indicators}


def unit_table(
    long: pd.DataFrame,
    base: UnitBase,
    directions: dict[str, str],
    config: ScreeningConfig,
    city: pd.Series,
    k: int | None,
    log: RunLog,
) -> pd.DataFrame:
    """The designation aligned to the base's units (own residents; notes at `k`)."""
    wide = criterion_table(score_indicators(long, directions, city), config)
    info = base.info.get(k, base.info[None])
    flagged = flag_units(wide.drop(columns="residents", errors="ignore"), config, info)
    frame = pd.DataFrame({"unit_id": base.unit_ids.to_numpy(), "residents": base.residents})
    if k is not None:
        frame["neighbourhood_residents"] = info["residents"].to_numpy()
    units = frame.merge(flagged, on="unit_id", how="left", validate="one_to_one")
    missing = units["criteria_available"].isna()
    log.exclude(
        "screening units",
        "unit without indicator values: not screened",
        int(missing.sum()),
        [f"unit_id={u}" for u in units.loc[missing, "unit_id"].head(5)],
    )
    units["vulnerable"] = units["vulnerable"].astype("boolean").fillna(False).astype(bool)
    units["note"] = units["note"].fillna("")
    for column in ("criteria_available", "criteria_flagged"):
        units[column] = units[column].fillna(0).astype(int)
    return units


def _with_stability(areas, labels, base, units, long, directions, config, city, indicators_for):
    """Each screening area's stability over the variation grid; state-listed areas: 1."""
    cells = _cells(base)
    designated = []
    for k in config.ks if cells else (config.k,):
        for shrink in config.shrink_options:
            same = k == config.k and shrink == config.shrink
            variant_long = long if same else indicators_for(k, shrink)
            wide = criterion_table(score_indicators(variant_long, directions, city), config)
            wide = wide.drop(columns="residents", errors="ignore")
            info = base.info.get(k if cells else None, base.info[None])
            order = pd.Index(wide["unit_id"]).get_indexer(base.unit_ids)
            for vul in vulnerable_under_rules(wide, config, info):
                mask = np.where(order >= 0, vul[order], False)
                lab = area_labels(mask, base.residents, base.pairs, config.min_area_residents)
                designated.append(lab != NOT_IN_AREA)
    score = area_stability(labels, base.residents, designated, config.stability_overlap)
    areas = areas.copy()
    screening = areas["kind"] == "screening"
    areas.loc[screening, "stability"] = score[: int(screening.sum())]
    areas.loc[~screening, "stability"] = 1.0
    return areas, len(designated)


def _connect(source, engine: Engine | None) -> tuple[Dataset | None, duckdb.DuckDBPyConnection]:
    """The dataset (None for a bare connection) and its connection: the engine's when given,
    so the indicator passes kept on it serve every later step too."""
    if isinstance(source, duckdb.DuckDBPyConnection):
        return None, source
    dataset = source if isinstance(source, Dataset) else open_dataset(Path(source))
    return dataset, engine.con if engine is not None else dataset.connect()


def _engine() -> Callable[..., pd.DataFrame]:
    try:
        from udsat.indicators.engine import compute_indicators
    except ImportError as exc:  # the indicators issue ships the engine
        raise UdsatError(say("no_indicators", error=exc)) from exc
    return compute_indicators


def _catalogue() -> Any:
    from udsat.indicators.catalogue import load_catalogue

    return load_catalogue()


def _cells(base: UnitBase) -> bool:
    return base.kind == "neighbourhoods"


def _unit_base(
    engine: Engine, dataset, year: int, config: ScreeningConfig, log: RunLog
) -> UnitBase:
    con = engine.con
    if config.units in ("neighbourhoods", "cells"):
        ks = sorted({config.k, *config.ks})
        return cell_base(engine, year, ks, config.adjacency, config.units)
    if config.units == "city":
        raise UdsatError(
            say(
                "config_choice",
                key="units.default",
                value="city",
                allowed="neighbourhoods, cells, housing_areas, <layer>",
            )
        )
    layer = config.units.removeprefix("units/")
    name = "housing_areas" if layer == "housing_areas" else f"units_{layer}"
    polygons = _geo(dataset, con, name)
    if polygons is None:
        raise UdsatError(say("no_layer", path=name, error="not in the dataset"))
    if "unit_id" not in polygons:
        polygons = polygons.rename(columns={"housing_area_id": "unit_id"})
    base, outside = polygon_base(engine, year, polygons)
    log.exclude(f"persons -> {name}", "resident outside every unit of the layer", outside)
    return base


def _geo(dataset, con, name: str) -> gpd.GeoDataFrame | None:
    """A geometry view of the dataset (None when the dataset has none by that name).

    Read from the open connection's view (WKB): Dataset.read_geo would install every view on
    a new connection for each layer.
    """
    if dataset is not None and name not in dataset.files:
        return None
    try:
        table = con.sql(f'SELECT * FROM "{name}"').df()
    except duckdb.Error:
        return None
    geometry = shapely.from_wkb(table.pop("geometry").map(bytes).to_numpy())
    return gpd.GeoDataFrame(table, geometry=geometry, crs=CRS)


def _kvarterer(dataset, con) -> gpd.GeoDataFrame | None:
    return _geo(dataset, con, "units_kvarterer")


def _earlier(path: Path | None, config, dataset, con) -> gpd.GeoDataFrame:
    if path is not None:
        return read_designation(Path(path))
    layer = _geo(dataset, con, f"units_{config.compare_layer}")
    return normalise(layer) if layer is not None else read_designation(DEFAULT_EARLIER)


def _area_ids(labels: np.ndarray) -> pd.Series:
    return pd.Series(
        [f"byomraade_{label + 1:03d}" if label != NOT_IN_AREA else None for label in labels],
        dtype=object,
    )


def _address_residents(engine: Engine, year: int) -> pd.DataFrame:
    """Residents per address point of `year` (person rows: on the engine)."""
    return engine.frame(
        f"""SELECT a.x, a.y, count(*) AS residents FROM persons p JOIN addresses a
            ON p.address_id = a.address_id WHERE p.year = {int(year)}
            GROUP BY a.x, a.y ORDER BY a.x, a.y"""
    )


def _unit_points(units: pd.DataFrame, base: UnitBase) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": base.points[0],
            "y": base.points[1],
            "residents": base.residents,
            "criteria_flagged": units["criteria_flagged"].to_numpy(),
            "designated": units["area_id"].notna().to_numpy(),
        }
    )


def _covered(areas: gpd.GeoDataFrame, points: pd.DataFrame) -> float:
    """Residents in at least one designated area (areas may overlap: each resident once)."""
    if not len(areas):
        return 0.0
    union = shapely.union_all(areas.geometry.to_numpy())
    inside = shapely.intersects_xy(union, points["x"].to_numpy(), points["y"].to_numpy())
    return float(points.loc[inside, "residents"].sum())
