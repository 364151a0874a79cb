"""Where the relational work runs: embedded DuckDB (the default) or Apache Spark.

Every relational computation in udsat is written once, as SQL in DuckDB's dialect over the
contract's views (persons, persons_located, addresses, housing_areas, ...). DuckDB runs that text
as it is; the Spark engine runs the same text translated by sqlglot (the SQL compiler ibis itself
uses) over the same data registered as Spark views. Nothing is written twice: a query that
sqlglot cannot translate fails loudly rather than being re-implemented.

Spark sees the located person-year cache (contract/located.py: Parquet files, read by Spark
directly, in parallel) as both `persons_located` and `persons`; the small tables (addresses,
housing areas, unit layers) are handed over from DuckDB through Arrow.
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import duckdb
import pandas as pd

from udsat.contract.located import LOCATED_COLUMNS, VIEW, has_located
from udsat.errors import UdsatError
from udsat.i18n import render

if TYPE_CHECKING:
    from udsat.contract.dataset import Dataset

ENGINES = ("duckdb", "spark")

MESSAGES = {
    "unknown": {
        "da": "Ukendt motor {name!r}: vælg duckdb eller spark.",
        "en": "Unknown engine {name!r}: choose duckdb or spark.",
    },
    "no_spark": {
        "da": "Spark-motoren kræver pyspark: installér med pip install 'udsat[spark]'.",
        "en": "The Spark engine needs pyspark: install it with pip install 'udsat[spark]'.",
    },
    "no_located": {
        "da": (
            "Spark-motoren læser den lokaliserede personcache (.udsat_cache/located); den findes "
            "ikke for {path}: {reason}"
        ),
        "en": (
            "The Spark engine reads the located person cache (.udsat_cache/located); there is "
            "none for {path}: {reason}"
        ),
    },
    "spark_failed": {
        "da": "Spark-forespørgslen fejlede: {error}",
        "en": "The Spark query failed: {error}",
    },
    "translate": {
        "da": "SQL kunne ikke oversættes til Spark ({error}): {sql}",
        "en": "SQL could not be translated to Spark ({error}): {sql}",
    },
}


# Exact sums: a DOUBLE sum depends on the order rows arrive in (DuckDB's threads, Spark's tasks),
# so the same data could give other last bits, other ranks and other bytes under other load or
# thread counts. Each value is rounded to 6 decimals and added exactly as a DECIMAL.
EXACT_SUM_TYPE = "DECIMAL(38, 6)"


def exact_sum(expr: str, where: str | None = None) -> str:
    """SQL for the sum of `expr` (over the rows where `where` holds) that is the same whatever
    the order of the rows: DECIMAL addition, returned as DOUBLE (NULL when no row counts)."""
    filtered = f" FILTER (WHERE {where})" if where else ""
    return f"CAST(sum(CAST(({expr}) AS {EXACT_SUM_TYPE})){filtered} AS DOUBLE)"


def say(key: str, **values: object) -> str:
    return render(MESSAGES, key, **values)


class Engine(Protocol):
    """Runs one SQL text (DuckDB dialect) over the dataset's views; the result as pandas."""

    name: str
    # The dataset's DuckDB connection: small lookups (unit layers, geometry, checks) stay on it.
    con: duckdb.DuckDBPyConnection

    def frame(self, sql: str) -> pd.DataFrame: ...

    def has_view(self, name: str) -> bool: ...

    def register(self, name: str, frame: pd.DataFrame) -> None: ...

    def unregister(self, name: str) -> None: ...


@dataclass
class DuckDBEngine:
    """The embedded default: the dataset's own DuckDB connection."""

    con: duckdb.DuckDBPyConnection
    name: str = "duckdb"

    def frame(self, sql: str) -> pd.DataFrame:
        return self.con.sql(sql).df()

    def register(self, name: str, frame: pd.DataFrame) -> None:
        self.con.register(name, frame)

    def unregister(self, name: str) -> None:
        self.con.unregister(name)

    def has_view(self, name: str) -> bool:
        if name == VIEW:
            return has_located(self.con)
        found = self.con.execute(
            "SELECT count(*) FROM duckdb_views() WHERE view_name = ? AND NOT internal", [name]
        ).fetchall()
        return bool(found[0][0])


def as_engine(con: duckdb.DuckDBPyConnection | Engine) -> Engine:
    """A DuckDB connection becomes the DuckDB engine; an engine stays itself."""
    if isinstance(con, duckdb.DuckDBPyConnection):
        return DuckDBEngine(con)
    return con


def to_spark_sql(sql: str) -> str:
    """DuckDB SQL -> Spark SQL (sqlglot); an untranslatable text is an error, never a guess."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
        for cte in tree.find_all(exp.CTE):
            cte.set("materialized", None)  # a DuckDB planning hint; Spark plans CTEs itself
        return tree.sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
    except sqlglot.errors.SqlglotError as exc:
        raise UdsatError(say("translate", error=exc, sql=" ".join(sql.split())[:300])) from exc


def spark_session(master: str | None = None, app: str = "udsat") -> Any:
    """A SparkSession: UDSAT_SPARK_MASTER or `master` (default local[2]); an existing active
    session (spark-submit, a remote session) is used as it is."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise UdsatError(say("no_spark")) from exc
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    master = master or os.environ.get("UDSAT_SPARK_MASTER", "local[2]")
    # Python workers must import udsat: on a local master they run this interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # PySpark 4 warns about pandas 3 at every conversion; udsat's tests check the results.
    warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", os.environ.get("UDSAT_SPARK_PARTITIONS", "8"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        # local mode: the driver is the executor; Spark's 1 GB default is too small for exact
        # medians (the catalogue's income references) over national data
        .config("spark.driver.memory", os.environ.get("UDSAT_SPARK_DRIVER_MEMORY", "4g"))
    )
    if events := os.environ.get("UDSAT_SPARK_EVENT_LOG"):  # Spark's own task metrics, to a dir
        builder = builder.config("spark.eventLog.enabled", "true").config(
            "spark.eventLog.dir", Path(events).as_uri()
        )
    return builder.getOrCreate()


# Tables handed to Spark through Arrow (small next to persons); absent ones are skipped.
SMALL_VIEWS = ("addresses", "housing_areas", "survey", "initiatives")


@dataclass
class SparkEngine:
    """The same SQL on Spark: register the dataset's views once, then run translated queries."""

    session: Any
    con: duckdb.DuckDBPyConnection
    views: set[str] = field(default_factory=set)
    name: str = "spark"

    @classmethod
    def for_dataset(cls, dataset: Dataset, session: Any | None = None) -> SparkEngine:
        """Register the dataset (validated and connected) as Spark views."""
        con = dataset.connect()
        located = dataset.located
        if located is None or located.skipped or not located.files:
            reason = located.skipped if located else "-"
            raise UdsatError(say("no_located", path=dataset.path, reason=reason))
        engine = cls(session or spark_session(), con)
        rows = engine.session.read.parquet(*[f.as_posix() for f in located.files])
        engine._register(VIEW, rows)
        # persons is persons_located without the located columns: the same rows (contract view)
        engine._register("persons", rows.drop(*LOCATED_COLUMNS))
        present = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
        for name in (*SMALL_VIEWS, *sorted(v for v in present if v.startswith("units_"))):
            if name in present:
                engine.register_arrow(name, con.sql(f'SELECT * FROM "{name}"').to_arrow_table())
        return engine

    def _register(self, name: str, frame: Any) -> None:
        frame.createOrReplaceTempView(name)
        self.views.add(name)

    def register_arrow(self, name: str, table: Any) -> None:
        """A small table (Arrow) as a Spark view; geometry (WKB) columns stay binary."""
        self._register(name, self.session.createDataFrame(table.to_pandas()))

    def register(self, name: str, frame: pd.DataFrame) -> None:
        """A pandas table (e.g. an address -> unit mapping) as a Spark view."""
        self._register(name, self.session.createDataFrame(frame))

    def unregister(self, name: str) -> None:
        self.session.catalog.dropTempView(name)
        self.views.discard(name)

    def frame(self, sql: str) -> pd.DataFrame:
        from pyspark.errors import PySparkException

        try:
            # collected through Arrow: typed, and an empty result keeps its columns
            return self.session.sql(to_spark_sql(sql)).toArrow().to_pandas()
        except PySparkException as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise UdsatError(say("spark_failed", error=first)) from exc

    def has_view(self, name: str) -> bool:
        return name in self.views


def open_engine(name: str, dataset: Dataset) -> Engine:
    """The named engine over a dataset (validated and connected)."""
    if name == "duckdb":
        return DuckDBEngine(dataset.connect())
    if name == "spark":
        return SparkEngine.for_dataset(dataset)
    raise UdsatError(say("unknown", name=name))
