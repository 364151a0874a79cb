"""The located person-year cache (contract/located.py): same rows as persons, rebuilt on change."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from fixtures.contract.builders import tables, write_dataset
from udsat.contract.dataset import open_dataset
from udsat.contract.located import VIEW, has_located

AREA_SQL = f'SELECT person_id, year, housing_area_id, municipality_code FROM "{VIEW}" ORDER BY 1, 2'


def _persons_folder(root: Path, frames: dict[str, pd.DataFrame]) -> Path:
    write_dataset(root, {k: v for k, v in frames.items() if k != "persons"})
    (root / "persons").mkdir()
    for year, part in frames["persons"].groupby("year"):
        part.to_parquet(root / "persons" / f"persons_{year}.parquet", index=False)
    return root


def test_located_view_has_the_persons_rows_and_their_areas(tmp_path: Path) -> None:
    frames = tables()
    ds = open_dataset(_persons_folder(tmp_path, frames))
    con = ds.connect()
    n_files = frames["persons"]["year"].nunique()
    assert ds.located is not None and ds.located.skipped is None
    assert len(ds.located.files) == n_files and ds.located.built == n_files  # one per file
    assert all(f.parent == tmp_path / ".udsat_cache" / "located" for f in ds.located.files)
    assert has_located(con)
    persons = con.sql("SELECT * FROM persons ORDER BY person_id, year").df()
    located = con.sql(f'SELECT * FROM "{VIEW}" ORDER BY person_id, year').df()
    pd.testing.assert_frame_equal(located[list(persons.columns)], persons)
    expected = located["address_id"].map({"a0": "ha1", "a1": "ha1", "a2": None})
    assert located["housing_area_id"].tolist() == expected.tolist()
    assert (located["municipality_code"] == 101).all()


def test_cache_reused_then_rebuilt_when_addresses_change(tmp_path: Path) -> None:
    frames = tables()
    root = write_dataset(tmp_path, frames)
    first = open_dataset(root)
    first.connect()
    assert first.located is not None and first.located.built == 1
    again = open_dataset(root)
    again.connect()
    assert again.located is not None and again.located.built == 0
    assert again.located.files == first.located.files

    addresses = frames["addresses"].assign(housing_area_id=["ha2", "ha1", None])
    addresses.to_csv(root / "addresses.csv", index=False)
    os.utime(root / "addresses.csv", ns=(1, 1))  # a different mtime even within one tick
    changed = open_dataset(root)
    con = changed.connect()
    assert changed.located is not None and changed.located.built == 1
    assert changed.located.files != first.located.files
    rows = con.sql(AREA_SQL).df()
    assert set(rows.loc[rows["person_id"] == "p3", "housing_area_id"]) == {"ha2"}  # at a0


def test_located_respects_excluded_rows(tmp_path: Path) -> None:
    frames = tables()
    frames["persons"].loc[0, "age"] = -4  # excluded by validation
    ds = open_dataset(_persons_folder(tmp_path, frames))
    report = ds.validate(on_invalid_rows="exclude")
    assert report.excluded_rows("persons") == 1
    con = ds.connect()
    count = con.sql("SELECT count(*) FROM persons").fetchall()
    assert count == [(len(frames["persons"]) - 1,)]
    assert con.sql(f'SELECT count(*) FROM "{VIEW}"').fetchall() == count


def test_no_located_view_without_it(tmp_path: Path) -> None:
    ds = open_dataset(write_dataset(tmp_path))
    assert not has_located(ds.connect(located=False))
    assert ds.located is None


def test_read_only_dataset_uses_a_stable_temp_cache(tmp_path: Path, monkeypatch) -> None:
    """The fallback folder must not depend on the process (hash() is salted per process)."""
    import hashlib
    import tempfile

    from udsat.contract import load

    monkeypatch.setattr(load.os, "access", lambda *_: False)  # as if the dataset were read-only
    dataset = tmp_path / "ro"
    dataset.mkdir()
    digest = hashlib.sha256(str(dataset.resolve()).encode("utf-8")).hexdigest()[:16]
    expected = Path(tempfile.gettempdir()) / "udsat_cache" / digest
    assert load.cache_dir(dataset) == expected
