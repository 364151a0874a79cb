"""Coercion of stored values to contract types (DuckDB SQL from coerce.py)."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from udsat.contract.coerce import present_sql, typed_sql
from udsat.contract.schemas import Kind

CON = duckdb.connect()


def coerce(value: object, raw_type: str, kind: Kind) -> tuple[object, bool]:
    """(typed value, value present) of one raw value."""
    expr = typed_sql("v", raw_type, kind)
    present = present_sql("v", raw_type, kind)
    row = CON.execute(f"SELECT {expr}, {present} FROM (SELECT CAST(? AS {raw_type}) AS v)", [value])
    typed, present_flag = row.fetchall()[0]
    return typed, present_flag


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_whole_numbers_as_text_or_double_become_ints(n: int) -> None:
    assert coerce(str(n), "VARCHAR", Kind.INT) == (n, True)
    assert coerce(float(n), "DOUBLE", Kind.INT) == (n, True)


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6).filter(lambda x: x != int(x)))
def test_fractions_are_never_rounded_into_ints(x: float) -> None:
    assert coerce(x, "DOUBLE", Kind.INT) == (None, True)  # present but not an int: wrong type
    assert coerce(repr(x), "VARCHAR", Kind.INT) == (None, True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ja", True), ("NEJ", False), ("1", True), ("0", False), (" true ", True), ("F", False)],
)
def test_boolean_words(text: str, expected: bool) -> None:
    assert coerce(text, "VARCHAR", Kind.BOOL) == (expected, True)


@pytest.mark.parametrize("text", ["", "NA", "nan", "NULL", "."])
def test_missing_tokens_in_csv_are_missing_not_wrong(text: str) -> None:
    assert coerce(text, "VARCHAR", Kind.FLOAT) == (None, False)


def test_sas_numbers_and_dates() -> None:
    assert coerce(1.0, "DOUBLE", Kind.BOOL) == (True, True)
    assert coerce(2.0, "DOUBLE", Kind.BOOL) == (None, True)  # 2 is no boolean
    assert coerce(1234.0, "DOUBLE", Kind.STRING) == ("1234", True)
    assert coerce("2020-01-01", "DATE", Kind.INT) == (2020, True)
    assert coerce(float("nan"), "DOUBLE", Kind.FLOAT) == (None, False)
    assert coerce("", "VARCHAR", Kind.STRING) == (None, False)
