"""`udsat import dst`: DST register extracts -> a dataset directory in the data contract, and
`udsat synth --format dst`: the synthetic city as such extracts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from udsat.contract.dataset import open_dataset
from udsat.importer.engine import ImportSummary, import_dst
from udsat.importer.mapping import load_mapping
from udsat.importer.messages import msg
from udsat.runlog import RunLog


@dataclass
class ImportResult:
    summary: ImportSummary
    messages: list[str]


def import_dst_command(
    registers: Path,
    out: Path,
    mapping: Path | None = None,
    housing_areas: Path | None = None,
    units: Path | None = None,
) -> ImportResult:
    """Import, then validate the written dataset against the contract (an error stops)."""
    chosen = load_mapping(mapping)
    log = RunLog()
    summary = import_dst(
        Path(registers), Path(out), chosen, housing_areas=housing_areas, units=units, log=log
    )
    open_dataset(Path(out)).validate()
    lines = [*log.notes]
    for e in log.exclusions:
        lines.append(f"{e.table}: {e.rows} - {e.reason}")
    lines.append(
        msg(
            "import_done",
            persons=summary.persons,
            rows=summary.person_years,
            first=summary.years[0],
            last=summary.years[1],
            addresses=summary.addresses,
            path=out,
            seconds=summary.seconds,
            dropped=summary.dropped,
        )
    )
    return ImportResult(summary, lines)


def synth_dst_command(
    out: Path, persons: int, years: tuple[int, int], seed: int, scope: str
) -> str:
    """The synthetic city written as DST register extracts (.xpt) in `out`."""
    from udsat.importer.synthetic import export_dst
    from udsat.synth import synthesize
    from udsat.synth.writer import scratch_directory, staged_directory

    out = Path(out)
    with scratch_directory(out) as work, staged_directory(out) as registers:
        synthesize(work / "dataset", persons=persons, years=years, seed=seed, scope=scope)
        files = export_dst(work / "dataset", registers)
    return msg("export_done", path=out, files=files)
