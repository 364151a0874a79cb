"""docs/data-contract.md documents every table and column of schemas.py."""

from __future__ import annotations

from pathlib import Path

from udsat.contract.doc import BLOCK, column_table, render
from udsat.contract.schemas import MANIFEST_FIELDS, TABLES

DOC = Path(__file__).parent.parent / "docs" / "data-contract.md"


def test_every_column_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [
        f"{table.name}.{col.name}"
        for table in TABLES.values()
        for col in table.columns
        if f"| `{col.name}` |" not in text
    ]
    assert missing == []
    assert all(f"`{field}`" in text for field in MANIFEST_FIELDS)


def test_generated_column_tables_match_schemas() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert {m.group(2) for m in BLOCK.finditer(text)} == set(TABLES)
    assert render(text) == text, "run: python -m udsat.contract.doc docs/data-contract.md"


def test_column_table_shows_type_range_and_categories() -> None:
    table = column_table(TABLES["persons"])
    assert "| `age` | int | no | 0 to 120 | Age in whole years on 1 January. |" in table
    assert "| `sex` | string | no | `m`, `f` |" in table
    assert table.endswith("Key (unique): person_id, year.\n")
