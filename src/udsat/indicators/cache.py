"""The passes of a connection, kept for repeated calls (the screening's method variations).

The register and survey passes cost most of compute_indicators; a screening asks for the same
year and units again with another k or with shrinkage off, which only changes the steps after the
passes. Results are kept per connection (weakly: they go with it), at most MAX_ENTRIES and
MAX_BYTES of frames (national 100 m cells take about 0.5 GB a year; a ten-year run would otherwise
hold several GB it never reads again), keyed by
everything the passes read: year, units (a name; GeoDataFrames are never cached), outside, the
definitions of the indicators and of the catalogue's derived columns, household aggregates and
reference values, and the SQL of the dataset's views (a redefined view is a new key).
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd

MAX_ENTRIES = 8
MAX_BYTES = 1 << 30
_CACHE: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, OrderedDict] = (
    weakref.WeakKeyDictionary()
)


def views_sql(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    rows = con.execute(
        "SELECT schema_name, view_name, sql FROM duckdb_views() "
        "WHERE view_name IN ('persons', 'addresses', 'survey') OR view_name LIKE 'units\\_%' "
        "ESCAPE '\\' ORDER BY 1, 2"
    ).fetchall()
    return tuple(f"{s}.{v}:{sql}" for s, v, sql in rows)


def cached(con: duckdb.DuckDBPyConnection, key: tuple | None, compute: Callable[[], Any]) -> Any:
    """compute() once per connection and key (None: never cached)."""
    if key is None:
        return compute()
    key = (*key, views_sql(con))
    entries = _CACHE.setdefault(con, OrderedDict())  # key -> (value, its bytes)
    if key in entries:
        entries.move_to_end(key)
        return entries[key][0]
    value = compute()
    size = nbytes(value)
    if size > MAX_BYTES:
        return value
    entries[key] = (value, size)
    while len(entries) > MAX_ENTRIES or sum(b for _, b in entries.values()) > MAX_BYTES:
        entries.popitem(last=False)
    return value


def nbytes(value: Any) -> int:
    """Bytes of the DataFrames in `value`, in its items and their attributes."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True).sum())
    if isinstance(value, tuple | list):
        return sum(nbytes(v) for v in value)
    return sum(nbytes(v) for v in getattr(value, "__dict__", {}).values())


def clear(con: duckdb.DuckDBPyConnection | None = None) -> None:
    """Forget the kept passes of `con` (of every connection when None)."""
    if con is None:
        _CACHE.clear()
    else:
        _CACHE.pop(con, None)
