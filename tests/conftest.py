"""Shared fixtures: one default-size synthetic Copenhagen per test run.

The city is generated fresh in pytest's temporary directory (about 20 s), never reused from an
earlier run, so the suite always exercises the generator as it is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from udsat.synth import synthesize

SEED = 20250101
YEARS = (2015, 2025)


@pytest.fixture(scope="session")
def default_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's synthetic Copenhagen: 650,000 persons, 2015-2025, the default seed."""
    path = tmp_path_factory.mktemp("synth") / "copenhagen"
    synthesize(path, persons=650_000, years=YEARS, seed=SEED, scope="copenhagen")
    return path
