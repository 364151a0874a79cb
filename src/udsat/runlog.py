"""The run log: every excluded row is counted with its reason; nothing is dropped silently."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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
    # How this run went rather than what it found (e.g. a remembered validation was reused):
    # the same inputs may give other process notes, so published logs leave them out.
    process_notes: list[str] = field(default_factory=list)

    def exclude(
        self, table: str, reason: str, rows: int, examples: list[str] | None = None
    ) -> None:
        if rows > 0:
            self.exclusions.append(Exclusion(table, reason, int(rows), list(examples or [])[:5]))

    def note(self, text: str, process: bool = False) -> None:
        (self.process_notes if process else self.notes).append(text)

    def excluded_rows(self, table: str | None = None) -> int:
        return sum(e.rows for e in self.exclusions if table is None or e.table == table)

    def to_dict(self, examples: bool = True) -> dict[str, object]:
        """As JSON-ready data; `examples=False` for published logs: example rows name ids of
        the input (address_id=..., person_id=...), which never leave the analyst's machine, and
        process notes are left out (same inputs, same bytes)."""
        rows = [asdict(e) for e in self.exclusions]
        if not examples:
            rows = [{k: v for k, v in row.items() if k != "examples"} for row in rows]
            return {"exclusions": rows, "notes": self.notes}
        return {"exclusions": rows, "notes": self.notes, "process_notes": self.process_notes}
