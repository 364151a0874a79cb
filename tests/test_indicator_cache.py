"""The passes' cache: kept per connection and key, bounded by entries and by bytes."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from udsat.indicators import cache


def frame(n_bytes: int) -> pd.DataFrame:
    return pd.DataFrame({"x": np.zeros(n_bytes // 8)})


@pytest.fixture
def con():
    con = duckdb.connect()
    yield con
    cache.clear(con)
    con.close()


def test_kept_per_key(con) -> None:
    calls = []
    first = cache.cached(con, ("a",), lambda: calls.append(1) or frame(800))
    again = cache.cached(con, ("a",), lambda: calls.append(1) or frame(800))
    assert again is first and calls == [1]
    cache.cached(con, None, lambda: calls.append(1) or frame(800))
    cache.cached(con, None, lambda: calls.append(1) or frame(800))
    assert calls == [1, 1, 1]


def test_bounded_by_bytes(con, monkeypatch) -> None:
    monkeypatch.setattr(cache, "MAX_BYTES", 10_000)
    for key in "abc":  # 4,000 bytes of frames each (+ the index): two fit, the oldest goes
        cache.cached(con, (key,), lambda: (frame(2_000), frame(2_000)))
    assert [k[0] for k in cache._CACHE[con]] == ["b", "c"]
    big = cache.cached(con, ("big",), lambda: frame(20_000))  # larger than the bound: not kept
    assert len(big) == 2_500 and [k[0] for k in cache._CACHE[con]] == ["b", "c"]


def test_nbytes_reads_attributes() -> None:
    class Holder:
        def __init__(self) -> None:
            self.mapping = frame(800)
            self.name = "x"

    assert cache.nbytes((Holder(), frame(800), None)) == 2 * cache.nbytes(frame(800))
