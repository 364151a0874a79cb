"""The indicator tables of docs/indicators.md, generated from catalogue.yaml.

    python -m udsat.indicators.doc docs/indicators.md    # rewrite the generated block

The block sits between `<!-- indicators -->` and `<!-- /indicators -->`; the test suite checks
that the document matches the catalogue.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from udsat.indicators.catalogue import CRITERIA, Catalogue, Indicator, load_catalogue

BLOCK = re.compile(r"(<!-- indicators -->\n)(.*?)(<!-- /indicators -->)", re.S)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "/")


def _code(sql: str) -> str:
    return f"`{_cell(sql)}`"


def _entry(ind: Indicator) -> list[str]:
    std = ""
    if ind.standardise:
        groups = ", ".join(str(a) for a in ind.standardise.age_groups)
        sex = " x sex" if ind.standardise.by_sex else ""
        std = f"; directly standardised by age groups from {groups}{sex}"
    screening = "yes" if ind.screening else "no (reported only)"
    return [
        f"#### `{ind.id}`: {ind.label_en} ({ind.label_da})",
        "",
        f"{_cell(ind.definition_en)}",
        "",
        "| field | value |",
        "|---|---|",
        f"| criterion | {ind.criterion} |",
        f"| source | {ind.source}{std} |",
        f"| population | {_code(ind.population)} |",
        f"| numerator | {_code(ind.numerator)} |",
        f"| denominator | {_code(ind.denominator)} |",
        f"| direction, unit | {ind.direction}, {ind.unit} |",
        f"| in the default screening | {screening} |",
        f"| reference | {_cell(ind.reference)} |",
        f"| Danish definition | {_cell(ind.definition_da)} |",
        "",
    ]


def catalogue_block(catalogue: Catalogue) -> str:
    """Markdown for every criterion, derived column, reference value and indicator."""
    lines = [
        f"Catalogue `{catalogue.id}` version {catalogue.version} "
        f"(src/udsat/indicators/catalogue.yaml).",
        "",
        "| criterion | label (da) | indicators |",
        "|---|---|---|",
    ]
    for crit in CRITERIA:
        ids = ", ".join(f"`{i.id}`" for i in catalogue.indicators if i.criterion == crit)
        label = catalogue.criteria.get(crit, {}).get("label_da", "")
        lines.append(f"| {crit} | {label} | {ids} |")
    lines += ["", "Derived columns (computed per person before any indicator):", ""]
    lines += ["| name | SQL |", "|---|---|"]
    lines += [f"| `{n}` | {_code(sql)} |" for n, sql in catalogue.derived.items()]
    lines += ["", "Household aggregates (over the members of each household_id that year):", ""]
    lines += ["| name | SQL |", "|---|---|"]
    lines += [f"| `{n}` | {_code(sql)} |" for n, sql in catalogue.households.items()]
    lines += ["", "Reference values (one number per year over every person of the data):", ""]
    lines += ["| name | SQL | meaning |", "|---|---|---|"]
    lines += [
        f"| `{{{r.name}}}` | {_code(r.sql)} | {_cell(r.description)} |"
        for r in catalogue.references.values()
    ]
    lines.append("")
    for crit in CRITERIA:
        inds = [i for i in catalogue.indicators if i.criterion == crit]
        if inds:
            lines += [f"### {crit}", ""]
            for ind in inds:
                lines += _entry(ind)
    return "\n".join(lines)


def render(text: str, catalogue: Catalogue | None = None) -> str:
    """The document with the generated block rewritten from the catalogue."""
    block = catalogue_block(catalogue or load_catalogue())
    return BLOCK.sub(lambda m: m.group(1) + block + m.group(3), text)


def main(path: str) -> None:
    """Rewrite the generated blocks of a document of this repository in place. A developer's
    tool for the sources (the test suite checks the document matches), not an output of a run:
    it does not go through udsat.publish."""
    doc = Path(path)
    doc.write_text(render(doc.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/indicators.md")
