"""The Spark engine (PySpark, local mode) gives DuckDB's results on the small synthetic city.

The same SQL texts run on both engines (udsat.engines); the neighbourhood engine runs in Spark
tasks tile by tile. Floating point may differ in the last bits (summation order): 1e-9.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from udsat.contract.dataset import Dataset, open_dataset
from udsat.engines import DuckDBEngine, SparkEngine, open_engine, spark_session, to_spark_sql
from udsat.errors import UdsatError
from udsat.neighbourhoods.grid import cells_from_dataset
from udsat.neighbourhoods.knn import knn_counts
from udsat.neighbourhoods.spark import knn_counts_spark
from udsat.neighbourhoods.step import DEFAULT_VARIABLES, neighbourhood_step
from udsat.statelists.microdata import References
from udsat.statelists.rules import rulesets
from udsat.statelists.run import lists_for_data
from udsat.synth import synthesize

TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}
OWN = References(data_is_reference=True)  # the small city is one municipality


@contextmanager
def small_areas_listable(minimum: int = 100) -> Iterator[None]:
    """The small city's housing areas hold a tenth of the real residents (the largest 563):
    for comparing the engines the lists' 1,000-resident minimum is lowered to `minimum`, the
    same for both, so areas land on the lists (every rule set; restored afterwards)."""
    with pytest.MonkeyPatch.context() as patch:
        for rs in rulesets():
            setting = rs.settings["min_residents"]
            patch.setitem(rs.settings, "min_residents", replace(setting, value=minimum))
        yield


@dataclass
class RecordingSpark(SparkEngine):
    """The Spark engine, keeping the SQL texts it ran."""

    queries: list[str] = field(default_factory=list)

    def frame(self, sql: str) -> pd.DataFrame:
        self.queries.append(sql)
        return super().frame(sql)


@pytest.fixture(scope="module")
def small_city(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    path = tmp_path_factory.mktemp("spark") / "city"
    synthesize(path, persons=60_000, years=(2021, 2024))
    dataset = open_dataset(path)
    dataset.validate()
    return dataset


@pytest.fixture(scope="module")
def spark(small_city: Dataset) -> SparkEngine:
    return SparkEngine.for_dataset(small_city, spark_session("local[2]"))


def test_state_lists_equal_on_both_engines(small_city: Dataset, spark: SparkEngine) -> None:
    references = References(data_is_reference=True)
    on_duckdb = lists_for_data(small_city.connect(), references)
    on_spark = lists_for_data(spark, references)
    assert sorted(on_duckdb["list_year"].unique()) == [2022, 2023, 2024]
    assert on_duckdb["residents"].sum() > 0
    pd.testing.assert_frame_equal(on_duckdb, on_spark, check_dtype=False, **TOLERANCE)


def test_neighbourhood_step_equal_on_both_engines(small_city: Dataset, spark: SparkEngine) -> None:
    on_duckdb = neighbourhood_step(small_city.connect(), ks=(100, 1000), year=2024)
    on_spark = neighbourhood_step(spark, ks=(100, 1000), year=2024)
    assert len(on_duckdb) > 1000
    pd.testing.assert_frame_equal(on_duckdb, on_spark, check_dtype=False, **TOLERANCE)


def test_small_tiles_use_every_level_and_the_driver(
    small_city: Dataset, spark: SparkEngine
) -> None:
    """Tiny halos leave most origins for wider levels and some for the driver's exact pass."""
    cells = cells_from_dataset(small_city.connect(), DEFAULT_VARIABLES, 2024)
    rings = knn_counts(cells, (1000,), with_ring=True)["ring_s_k1000"]
    # some origins settle in each level, and some only on the driver (rings beyond 6 cells)
    assert (rings <= 3 * 3).any() and ((rings > 9) & (rings <= 36)).any() and (rings > 36).any()
    levels = ((3, 64), (6, 64))  # 64-cell tiles: a few dozen Spark groups, not hundreds
    found = knn_counts_spark(spark.session, cells, (1000,), levels=levels)
    pd.testing.assert_frame_equal(knn_counts(cells, (1000,)), found, **TOLERANCE)


def test_cells_equal_on_both_engines(small_city: Dataset, spark: SparkEngine) -> None:
    on_duckdb = cells_from_dataset(small_city.connect(), DEFAULT_VARIABLES, 2023)
    on_spark = cells_from_dataset(spark, DEFAULT_VARIABLES, 2023)
    assert (on_duckdb.rows == on_spark.rows).all() and (on_duckdb.cols == on_spark.cols).all()
    assert (on_duckdb.people == on_spark.people).all()
    assert (on_duckdb.values == on_spark.values).all()


def test_sql_is_translated_not_rewritten() -> None:
    spark_sql = to_spark_sql("SELECT coalesce(sum((age > 1)::INT), 0)::BIGINT AS n FROM persons")
    assert spark_sql == (
        "SELECT CAST(COALESCE(SUM(CAST((age > 1) AS INT)), 0) AS BIGINT) AS n FROM persons"
    )


def test_engine_names(small_city: Dataset, tmp_path: Path) -> None:
    assert isinstance(open_engine("duckdb", small_city), DuckDBEngine)
    with pytest.raises(UdsatError, match="duckdb eller spark"):
        open_engine("polars", small_city)


def test_screen_and_monitor_take_the_engine_option_and_environment(
    small_city: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from udsat.cli import app

    data = ["--data", str(small_city.path), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(app, ["screen", *data, "--year", "2024", "--engine", "polars"])
    assert result.exit_code == 2 and "duckdb eller spark" in result.output
    monkeypatch.setenv("UDSAT_ENGINE", "polars")
    result = CliRunner().invoke(app, ["monitor", *data])
    assert result.exit_code == 2 and "duckdb eller spark" in result.output
    assert not (tmp_path / "out").exists()


def test_cli_engine_option_gives_the_same_files(small_city: Dataset, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from udsat.cli import app

    references = tmp_path / "references.csv"  # each look-back year is judged with its own
    references.write_text(
        "list_year,national_convicted_pct,region,region_mean_income\n"
        + "".join(f"{y},1.5,Hovedstaden,300000\n" for y in (2022, 2023, 2024)),
        encoding="utf-8",
    )
    common = ["--data", str(small_city.path), "--year", "2024", "--references", str(references)]
    written = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"lists_{engine}.csv"
        result = CliRunner().invoke(app, ["lists", *common, "--out", str(out), "--engine", engine])
        assert result.exit_code == 0, result.output
        written[engine] = pd.read_csv(out)
    assert len(written["duckdb"]) > 0
    pd.testing.assert_frame_equal(written["duckdb"], written["spark"], **TOLERANCE)
    cells = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"cells_{engine}.parquet"
        args = ["neighbourhoods", "--data", str(small_city.path), "--out", str(out)]
        result = CliRunner().invoke(app, [*args, "--k", "500", "--engine", engine])
        assert result.exit_code == 0, result.output
        cells[engine] = pd.read_parquet(out)
    pd.testing.assert_frame_equal(cells["duckdb"], cells["spark"], **TOLERANCE)


@pytest.mark.parametrize("units", ["kvarterer", "housing_areas", "neighbourhoods"])
def test_indicators_equal_on_both_engines(
    small_city: Dataset, spark: SparkEngine, units: str
) -> None:
    from udsat.indicators import compute_indicators

    on_duckdb = compute_indicators(small_city.connect(), year=2024, units=units)
    on_spark = compute_indicators(spark, year=2024, units=units)
    assert on_duckdb["indicator_id"].nunique() >= 7 and on_duckdb["value"].notna().any()
    pd.testing.assert_frame_equal(on_duckdb, on_spark, check_dtype=False, **TOLERANCE)


@pytest.fixture(scope="module")
def screenings(small_city: Dataset, spark: SparkEngine) -> dict[str, object]:
    """The screening of 2024 on each engine; the state's lists computed by the screening itself
    (none given) with the same references, so on Spark they are counted by Spark. Areas of 100
    residents or more can be listed (small_areas_listable)."""
    from udsat.screening import run_screening

    recording = RecordingSpark(spark.session, spark.con, spark.views)
    engines = (("duckdb", open_engine("duckdb", small_city)), ("spark", recording))
    with small_areas_listable():
        runs: dict[str, object] = {
            name: run_screening(
                small_city, year=2024, stability=False, engine=engine, references=OWN
            )
            for name, engine in engines
        }
    runs["spark_queries"] = recording.queries
    return runs


def test_screening_equal_on_both_engines(screenings: dict) -> None:
    duck, on_spark = screenings["duckdb"], screenings["spark"]
    assert duck.units["vulnerable"].any() and len(duck.units) > 500
    pd.testing.assert_frame_equal(duck.units, on_spark.units, check_dtype=False, **TOLERANCE)
    columns = ["area_id", "kind", "residents", "criteria_flagged"]
    pd.testing.assert_frame_equal(
        pd.DataFrame(duck.areas[columns]), pd.DataFrame(on_spark.areas[columns]), **TOLERANCE
    )


def test_state_areas_equal_on_both_engines(screenings: dict) -> None:
    """The state-listed areas (every column, outline included) are the same, and on Spark the
    lists' counts and the residents per address ran on Spark."""
    state = {}
    for name in ("duckdb", "spark"):
        areas = screenings[name].areas
        rows = areas[areas["kind"].isin(["parallelsamfund", "forebyggelse"])]
        state[name] = pd.DataFrame(rows).reset_index(drop=True)
    assert len(state["duckdb"]) > 0 and (state["duckdb"]["kind"] == "parallelsamfund").any()
    assert state["duckdb"]["area_id"].str.startswith("state_").all()
    geometry = {k: v.pop("geometry") for k, v in state.items()}
    pd.testing.assert_frame_equal(state["duckdb"], state["spark"], check_dtype=False, **TOLERANCE)
    assert all(a.equals(b) for a, b in zip(geometry["duckdb"], geometry["spark"], strict=True))
    queries = screenings["spark_queries"]
    assert any("convicted_den" in q for q in queries)  # the lists' counts (counts_sql)
    assert any("count(*) AS residents FROM persons" in q for q in queries)


def test_warning_equal_on_both_engines(small_city: Dataset, spark: SparkEngine) -> None:
    """Same seed and draws, the same table; the Spark engine's DuckDB connection is empty, so
    a query that leaked to DuckDB would fail."""
    from udsat.warning import warn

    alone = SparkEngine(spark.session, duckdb.connect(), views=spark.views)
    with small_areas_listable():
        on_duckdb = warn(small_city.connect(), year=2025, draws=200, seed=7, references=OWN)
        on_spark = warn(alone, year=2025, draws=200, seed=7, references=OWN)
    # The draws decide: probabilities strictly between 0 and 1, of criteria and of lists.
    drawn = on_duckdb[["p_c2_convicted", "p_c3_education", "p_e_nonwestern", "p_any_list"]]
    assert len(on_duckdb) > 10 and ((drawn > 0) & (drawn < 1)).sum().sum() > 30
    assert (on_duckdb["p_parallelsamfund"] > 0.5).any() and (on_duckdb["p_forebyggelse"] > 0).any()
    # The earlier lists (2022-2024) ran too: the look-back is decided for most areas (those
    # listed in them need 2021's list as well, which the rows from 2021 cannot give).
    assert on_duckdb["p_omdannelse"].notna().sum() > len(on_duckdb) / 2
    pd.testing.assert_frame_equal(on_duckdb, on_spark, check_dtype=False, **TOLERANCE)


def test_monitoring_equal_on_both_engines(small_city: Dataset, spark: SparkEngine) -> None:
    from udsat.monitoring.monitor import monitor

    con = small_city.connect()
    on_duckdb = monitor(con, years=[2024])
    on_spark = monitor(con, years=[2024], engine=spark)
    series = on_duckdb.series
    assert {"udsat", "rest"} <= set(series["group"])
    assert (series["indicator_id"] == "life_expectancy").any() and series["value"].notna().any()
    pd.testing.assert_frame_equal(series, on_spark.series, check_dtype=False, **TOLERANCE)
    pd.testing.assert_frame_equal(
        on_duckdb.initiatives, on_spark.initiatives, check_dtype=False, **TOLERANCE
    )
