"""The passes of a connection, kept for repeated calls (the screening's method variations).

The register and survey passes cost most of compute_indicators; a screening asks for the same
year and units again with another k or with shrinkage off, which only changes the steps after the
passes. Results are kept per connection (weakly: they go with it), at most MAX_ENTRIES, keyed by
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

MAX_ENTRIES = 8
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
    entries = _CACHE.setdefault(con, OrderedDict())
    if key in entries:
        entries.move_to_end(key)
        return entries[key]
    value = compute()
    entries[key] = value
    while len(entries) > MAX_ENTRIES:
        entries.popitem(last=False)
    return value


def clear(con: duckdb.DuckDBPyConnection | None = None) -> None:
    """Forget the kept passes of `con` (of every connection when None)."""
    if con is None:
        _CACHE.clear()
    else:
        _CACHE.pop(con, None)
