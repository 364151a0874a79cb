"""The result of a demo run made by a session fixture (tests/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from udsat.pipeline import DemoResults as Analyses

SEED = 20250101  # the demo's default seed
SMALL_PERSONS = 3000


@dataclass(frozen=True)
class DemoRun:
    """A real `run_demo`: where it published, its cache, what it computed and how long it took."""

    out: Path
    cache: Path
    analyses: Analyses
    seconds: float
