"""docs/indicators.md documents every indicator of the catalogue, generated from it."""

from __future__ import annotations

from pathlib import Path

from udsat.indicators import load_catalogue
from udsat.indicators.doc import BLOCK, catalogue_block, render

DOC = Path(__file__).parent.parent / "docs" / "indicators.md"


def test_generated_block_matches_the_catalogue() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert len(BLOCK.findall(text)) == 1
    assert render(text) == text, "run: python -m udsat.indicators.doc docs/indicators.md"


def test_every_indicator_and_its_sql_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    catalogue = load_catalogue()
    for ind in catalogue.indicators:
        assert f"#### `{ind.id}`: {ind.label_en}" in text
        assert f"| population | `{' '.join(ind.population.split())}` |" in text
    assert f"version {catalogue.version}" in catalogue_block(catalogue)
