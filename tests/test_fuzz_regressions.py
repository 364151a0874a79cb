"""Regressions: crashes the fuzzer found in the loaders, each now udsat's own clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from udsat.errors import UdsatError
from udsat.statelists.rules import LAW_PATH, load_law


def _shipped() -> dict:
    return yaml.safe_load(LAW_PATH.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "my_rules.yaml"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "filens øverste niveau"),
        (b"- 1\n- 2\n", "filens øverste niveau"),
        (b"id: [unclosed", "kan ikke læses som UTF-8-YAML"),
        ("id: Hjørring\n".encode("latin-1"), "kan ikke læses som UTF-8-YAML"),
        (b"[" * 5000, "kan ikke læses som UTF-8-YAML"),
        (b" 2020-13-45", "month must be in 1..12"),  # found by atheris (PyYAML's date)
    ],
)
def test_unreadable_rule_set_names_the_file(tmp_path: Path, data: bytes, says: str) -> None:
    with pytest.raises(UdsatError, match=r"my_rules\.yaml") as info:
        load_law(_write(tmp_path, data))
    assert says in str(info.value)


def _broken(edit: str) -> dict:
    raw = _shipped()
    if edit == "threshold_text":
        crit = next(iter(raw["criteria"].values()))
        next(iter(next(iter(crit["thresholds"].values())).values()))["value"] = "høj"
    elif edit == "criteria_list":
        raw["criteria"] = ["a", "b"]
    elif edit == "no_lists":
        del raw["lists"]
    elif edit == "tier_list":
        next(iter(next(iter(raw["lists"].values())).values()))["tier"] = ["udsat"]
    return raw


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        ("threshold_text", "criteria.c1_outside.thresholds.udsat.2013-12-01.value"),
        ("criteria_list", "'criteria'"),
        ("no_lists", "'lists' mangler"),
        ("tier_list", "lists.udsat.2018-12-01.tier"),
    ],
)
def test_malformed_rule_set_is_a_structure_error(tmp_path: Path, edit: str, path: str) -> None:
    text = yaml.safe_dump(_broken(edit), allow_unicode=True).encode("utf-8")
    with pytest.raises(UdsatError) as info:
        load_law(_write(tmp_path, text))
    assert "my_rules.yaml: " in str(info.value) and path in str(info.value)


def test_shipped_rule_set_still_loads(tmp_path: Path) -> None:
    copy = load_law(_write(tmp_path, LAW_PATH.read_bytes()))
    assert [rs.id for rs in copy.eras] == [rs.id for rs in load_law().eras]
    assert copy.eras[0].label == "rules_2013.v2+law=my_rules.yaml"  # never mixed with the law


def test_damaged_parquet_page_is_a_contract_error_not_a_duckdb_error(tmp_path: Path) -> None:
    """Found by atheris: one flipped bit in a data page of a column no rule reads passed
    validation and then failed inside DuckDB when the views were built (Snappy size mismatch)."""
    import sys

    import duckdb
    import pyarrow.parquet as pq

    sys.path.insert(0, str(Path(__file__).parent))
    from fixtures.contract.builders import write_dataset
    from udsat.contract.dataset import open_dataset
    from udsat.errors import DataContractError

    root = write_dataset(tmp_path / "data")
    path = root / "persons.parquet"
    data = bytearray(path.read_bytes())
    meta = pq.read_metadata(path).row_group(0)
    column = next(
        meta.column(i)
        for i in range(meta.num_columns)
        if meta.column(i).path_in_schema == "fte_dagpenge"
    )
    data[column.data_page_offset + 49] ^= 0b100  # the bit the fuzzer flipped
    path.write_bytes(bytes(data))
    with pytest.raises(duckdb.Error, match="Snappy"):  # the damage is real
        duckdb.sql(f"SELECT * FROM read_parquet('{path}')").fetchall()
    with pytest.raises(DataContractError) as info:
        open_dataset(root).validate()
    problem = info.value.problems[0]
    assert (problem.file, problem.rule) == ("persons.parquet", "unreadable")
    assert "filen kunne ikke læses" in problem.render("da")
