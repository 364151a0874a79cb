"""axe-core (vendored, tests/browser/vendor/axe-core) run in a page: the WCAG 2.1 A/AA rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def axe_violations(page: Any, impacts: tuple[str, ...] = BLOCKING) -> list[dict[str, Any]]:
    """The page's violations of the WCAG 2.1 A/AA rules at the given impacts, each with its
    rule id, impact, help text and the first targets (CSS selectors) it hit."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        # only the violations are needed: axe skips collecting passes and incomplete results
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"][:5]],
            "nodes": len(v["nodes"]),
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['impact']}: {v['id']} ({v['nodes']} nodes) {v['help']}: {v['targets']}"
        for v in violations
    )
