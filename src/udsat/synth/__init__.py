"""Synthetic Copenhagen (or Denmark): a person-year panel in real geography, in the data contract.

SYNTHETIC DATA: no figure written here describes real people. ``synthesize`` writes a complete
dataset directory (see docs/synthetic-data.md for the model and its calibration).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from udsat.errors import UdsatError

if TYPE_CHECKING:  # (imported inside synthesize at run time)
    from udsat.synth.places import Places
    from udsat.synth.scenario import Scenario
    from udsat.synth.shocks import Plan


def generator_fingerprint(scenario: Scenario | str | None = None) -> str:
    """8 hex digits of the generator's own source (this package and the data contract's
    schemas): a cached synthetic city is reused only while the code that made it is unchanged.

    `scenario` (a preset name or a Scenario, see scenario.py): any but the default adds its
    canonical configuration, so a scenario's city never shares a cache entry with the default."""
    import hashlib

    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in [*sorted(root.glob("*.py")), root.parent / "contract" / "schemas.py"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    if scenario is not None:
        from udsat.synth.scenario import scenario_from

        chosen = scenario_from(scenario)
        if not chosen.is_default:
            digest.update(b"scenario")
            digest.update(chosen.canonical().encode())
    return digest.hexdigest()[:8]


NATIONAL_FROM = 1_500_000
MIN_PERSONS = 1000
YEAR_RANGE = (1990, 2100)


@dataclass
class SynthSummary:
    path: Path
    persons: int
    person_years: int
    years: tuple[int, int]
    seconds: float
    scope: str
    seed: int


def _check(persons: int, years: tuple[int, int], scope: str) -> str:
    """Validate the arguments and resolve scope 'auto'."""
    if persons < MIN_PERSONS:
        raise UdsatError(f"persons must be at least {MIN_PERSONS:,}, got {persons:,}")
    first, last = years
    if first > last:
        raise UdsatError(f"years are reversed: {first}-{last}; give FIRST-LAST")
    if first < YEAR_RANGE[0] or last > YEAR_RANGE[1]:
        raise UdsatError(
            f"years must lie within {YEAR_RANGE[0]}-{YEAR_RANGE[1]}, got {first}-{last}"
        )
    if scope == "auto":
        return "national" if persons >= NATIONAL_FROM else "copenhagen"
    if scope not in ("copenhagen", "national"):
        raise UdsatError(f"scope must be copenhagen, national or auto, got {scope!r}")
    return scope


def synthesize(
    out: Path,
    *,
    persons: int = 650_000,
    years: tuple[int, int] = (2015, 2025),
    seed: int = 20250101,
    scope: str = "auto",
    progress: Callable[[str, float], None] | None = None,
    scenario: Scenario | str | None = None,
) -> SynthSummary:
    """Write a synthetic dataset directory to ``out`` (replaced atomically when complete).

    `scenario`: None or "default" for the calibrated city; a preset name ("shocked") or a
    Scenario for a harder test city (scenario.py, docs/synthetic-data.md), recorded in
    manifest.json under "scenario"."""
    from udsat.synth.national import build_geography
    from udsat.synth.places import Places
    from udsat.synth.scenario import scenario_from

    started = time.perf_counter()
    scope = _check(persons, years, scope)
    chosen = scenario_from(scenario)
    out = Path(out)
    report = progress or (lambda _msg, _frac: None)
    from udsat.synth.writer import staged_directory, write_manifest, write_static

    with staged_directory(out) as tmp:  # moved into place only when complete
        report("geography", 0.0)
        geography = build_geography(persons, seed, scope)
        plan = None
        if not chosen.is_default:
            from udsat.synth.scenario import preset_name
            from udsat.synth.shocks import resolve

            plan = resolve(
                chosen, preset_name(chosen), geography, years, seed
            )  # (a new estate: geography)
        places = Places.from_geography(geography)
        rows = _write_panel(tmp, places, persons, years, seed, report, plan)
        write_static(tmp, geography)
        extra = None
        if plan is not None:
            extra = plan.record() | {"fingerprint": generator_fingerprint(chosen)}
        write_manifest(tmp, geography, years, seed, scenario=extra)
    report("done", 1.0)
    seconds = time.perf_counter() - started
    return SynthSummary(out, persons, rows, years, seconds, scope, seed)


def _write_panel(
    root: Path,
    places: Places,
    persons: int,
    years: tuple[int, int],
    seed: int,
    report: Callable[[str, float], None],
    plan: Plan | None = None,
) -> int:
    """Simulate and write persons/persons_YYYY.parquet and survey.parquet; return person-years.

    Each year's Parquet file is written on a second thread while the next year is computed
    (pyarrow releases the GIL), with at most one year waiting, so memory stays bounded.
    """
    from udsat.synth import panel
    from udsat.synth.survey import SAFE_TREND, survey_year
    from udsat.synth.writer import write_parquet

    pending: list[Future[None]] = []
    total = [0]
    n_years = years[1] - years[0] + 1

    def on_year(year: int, table: pa.Table) -> None:
        for job in pending:
            job.result()
        pending.clear()
        total[0] += table.num_rows
        path = root / "persons" / f"persons_{year}.parquet"
        pending.append(pool.submit(write_parquet, table, path))
        report(f"persons {year}", (year - years[0] + 1) / (n_years + 1))

    surveys = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        safe_trend = SAFE_TREND if plan is None else plan.safe_trend
        for state in panel.run(places, persons, years, seed, on_year, plan):
            rng = np.random.default_rng([seed, state.year, 7])
            table = survey_year(rng, state.people, state.addr, places, state.year, safe_trend)
            if table is not None:
                surveys.append(table)
        for job in pending:
            job.result()
    if surveys:
        write_parquet(pa.concat_tables(surveys), root / "survey.parquet")
    return total[0]


__all__ = ["SynthSummary", "generator_fingerprint", "synthesize"]
