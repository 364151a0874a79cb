"""Column tables of docs/data-contract.md, generated from schemas.py.

    python -m udsat.contract.doc docs/data-contract.md    # rewrite the generated blocks

Each table sits between `<!-- columns:NAME -->` and `<!-- /columns -->`; the test suite checks
that the document matches the schemas.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from udsat.contract.schemas import TABLES, Column, TableSchema

BLOCK = re.compile(r"(<!-- columns:(\w+) -->\n)(.*?)(<!-- /columns -->)", re.S)


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _rule(col: Column) -> str:
    parts = []
    if col.min is not None or col.max is not None:
        lo, hi = _num(col.min), _num(col.max)
        parts.append(f"{lo} to {hi}" if lo and hi else f"≥ {lo}" if lo else f"≤ {hi}")
    if col.allowed:
        parts.append(", ".join(f"`{v}`" for v in col.allowed))
    return "; ".join(parts)


def column_table(schema: TableSchema) -> str:
    """A Markdown table of the schema's columns."""
    lines = [
        "| column | type | nullable | allowed values | description |",
        "|---|---|---|---|---|",
    ]
    for col in schema.columns:
        optional = "" if col.required else " (optional column)"
        nullable = "yes" if col.nullable else "no"
        lines.append(
            f"| `{col.name}` | {col.kind.value} | {nullable} | {_rule(col)} | "
            f"{col.description.replace('|', '/')}{optional} |"
        )
    key = ", ".join(schema.key)
    return "\n".join(lines) + f"\n\nKey (unique): {key}.\n"


def render(text: str) -> str:
    """The document with every generated block rewritten from the schemas."""
    return BLOCK.sub(lambda m: m.group(1) + column_table(TABLES[m.group(2)]) + m.group(4), text)


def main(path: str) -> None:
    """Rewrite the generated blocks of a document of this repository in place. A developer's
    tool for the sources (the test suite checks the document matches), not an output of a run:
    it does not go through udsat.publish."""
    doc = Path(path)
    doc.write_text(render(doc.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/data-contract.md")
