"""The run log: every excluded row is counted with its reason; nothing is dropped silently."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Exclusion:
    table: str
    reason: str
    rows: int
    examples: list[str] = field(default_factory=list)


@dataclass
class RunLog:
    """Collects exclusions and notes of one run; written as run_log.json beside the outputs."""

    exclusions: list[Exclusion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def exclude(
        self, table: str, reason: str, rows: int, examples: list[str] | None = None
    ) -> None:
        if rows > 0:
            self.exclusions.append(Exclusion(table, reason, int(rows), list(examples or [])[:5]))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def excluded_rows(self, table: str | None = None) -> int:
        return sum(e.rows for e in self.exclusions if table is None or e.table == table)

    def to_dict(self) -> dict[str, object]:
        return {"exclusions": [asdict(e) for e in self.exclusions], "notes": self.notes}

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
