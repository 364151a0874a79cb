"""udsat's own errors: every message names the file, column, rule and example rows.

The frame of a problem ("column", "rule", "row(s)", "e.g.") is rendered in the user's language
(udsat.i18n.language()) when the problem is printed; `rule` is a language-independent code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from udsat.i18n import render

# The frame of a problem (the contract's own texts are in udsat.contract.messages).
MESSAGES: dict[str, dict[str, str]] = {
    "problems_header": {
        "da": "{count:N} problem(er) i inputdata:",
        "en": "{count:N} problem(s) in the input data:",
    },
    "blocker": {"da": "blokerende", "en": "blocker"},
    "warning": {"da": "advarsel", "en": "warning"},
    "where_column": {"da": "{file}, kolonne '{column}'", "en": "{file}, column '{column}'"},
    "rule_count": {
        "da": "(regel: {rule}, {count:N} række(r))",
        "en": "(rule: {rule}, {count:N} row(s))",
    },
    "rule_only": {"da": "(regel: {rule})", "en": "(rule: {rule})"},
    "for_example": {"da": "fx", "en": "e.g."},
}


def msg(key: str, lang: str | None = None, /, **values: object) -> str:
    return render(MESSAGES, key, lang, **values)


class UdsatError(Exception):
    """Every error udsat raises on purpose; the CLI shows it without a traceback."""


@dataclass
class Problem:
    """One violated rule of the data contract."""

    file: str
    rule: str
    message: str
    column: str | None = None
    count: int = 0
    examples: list[str] = field(default_factory=list)
    severity: str = "blocker"  # blocker: nothing is computed; warning: reported, run continues

    def render(self, lang: str | None = None) -> str:
        """The problem as users read it, in `lang` (default: the user's language)."""
        where = self.file
        if self.column:
            where = msg("where_column", lang, file=self.file, column=self.column)
        tag = msg(self.severity, lang) if self.severity in ("blocker", "warning") else self.severity
        if self.count:
            tail = msg("rule_count", lang, rule=self.rule, count=self.count)
        else:
            tail = msg("rule_only", lang, rule=self.rule)
        text = f"[{tag}] {where}: {self.message} {tail}"
        if self.examples:
            prefix = f"\n    {msg('for_example', lang)} "
            text += prefix + prefix.join(self.examples[:5])
        return text

    def __str__(self) -> str:
        return self.render()


class DataContractError(UdsatError):
    """Input data break the data contract; `problems` lists every violated rule."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(self.render())

    def render(self, lang: str | None = None) -> str:
        blockers = [p for p in self.problems if p.severity == "blocker"]
        header = msg("problems_header", lang, count=len(blockers))
        return "\n".join([header] + [p.render(lang) for p in blockers])

    def __str__(self) -> str:
        return self.render()
