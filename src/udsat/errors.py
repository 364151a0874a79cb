"""udsat's own errors: every message names the file, column, rule and example rows."""

from __future__ import annotations

from dataclasses import dataclass, field


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

    def __str__(self) -> str:
        where = f"{self.file}" + (f", column '{self.column}'" if self.column else "")
        text = f"[{self.severity}] {where}: {self.message} (rule: {self.rule}"
        text += f", {self.count} row(s))" if self.count else ")"
        if self.examples:
            text += "\n    e.g. " + "\n    e.g. ".join(self.examples[:5])
        return text


class DataContractError(UdsatError):
    """Input data break the data contract; `problems` lists every violated rule."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        blockers = [p for p in problems if p.severity == "blocker"]
        lines = [f"{len(blockers)} problem(s) in the input data:"] + [str(p) for p in blockers]
        super().__init__("\n".join(lines))
