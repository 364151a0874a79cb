"""Shared fixtures: one default-size synthetic Copenhagen per test run, the demo published from
it, and a small demo publication (3,000 persons) for the tests of the publication itself.

The city is generated fresh in pytest's temporary directory (about 20 s), never reused from an
earlier run, so the suite always exercises the generator as it is. Each demo runs once per test
run; tests that need their own copy of a publication copy it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rich.console import Console

from demo_run import SEED, SMALL_PERSONS, DemoRun
from udsat.contract.dataset import Dataset, open_dataset
from udsat.pipeline import demo_dataset_path, run_demo
from udsat.synth import synthesize

YEARS = (2015, 2025)


@pytest.fixture(scope="session")
def default_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's synthetic Copenhagen: 650,000 persons, 2015-2025, the default seed."""
    path = tmp_path_factory.mktemp("synth") / "copenhagen"
    synthesize(path, persons=650_000, years=YEARS, seed=SEED, scope="copenhagen")
    return path


@pytest.fixture(scope="session")
def default_dataset(default_city: Path) -> Dataset:
    """The default city opened and validated once: each test's `connect()` skips validation."""
    dataset = open_dataset(default_city)
    dataset.validate()
    return dataset


def _run(out: Path, persons: int, cache: Path) -> DemoRun:
    started = time.perf_counter()
    quiet = Console(quiet=True)
    analyses = run_demo(out=out, persons=persons, cache=cache, seed=SEED, console=quiet)
    return DemoRun(out, cache, analyses, time.perf_counter() - started)


@pytest.fixture(scope="session")
def default_demo(default_city: Path, tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """`udsat demo` at the default size (the session's city stands in for the demo's cache)."""
    root = tmp_path_factory.mktemp("demo")
    cache = root / "cache"
    cache.mkdir()
    demo_dataset_path(cache, 650_000, SEED).symlink_to(default_city, target_is_directory=True)
    return _run(root / "output", 650_000, cache)


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """`udsat demo --persons 3000` in Danish. Read only: a test that changes it copies it."""
    root = tmp_path_factory.mktemp("small_demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UDSAT_LANG", "da")
        return _run(root / "output", SMALL_PERSONS, root / "cache")


# --- running on two workers (pytest-xdist, `--dist loadgroup`) --------------------------------
# Each session fixture above is built once per worker that asks for it: the tests of the default
# demo run on one worker, those of the default city alone together (the city is built on both
# workers: about 20 s, for two heavy groups in parallel), the small demo's together, and every
# other module's tests stay together (their module fixtures are built once).
DEMO_FIXTURES = {"default_demo", "report_bundle", "site", "hostile_site"}
CITY_FIXTURES = {"default_city", "default_dataset"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & DEMO_FIXTURES:
            group = "default_demo"
        elif names & CITY_FIXTURES:
            group = "default_city"
        elif "small_demo" in names:
            group = "small_demo"
        else:
            group = item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Fail loudly if pytest-xdist stops honouring the groups (it did with pytest 9.2): every
    session fixture would then be built on both workers and the suite run far slower."""
    config, items = session.config, session.items
    worker = hasattr(config, "workerinput") and config.getvalue("loadgroup")
    if worker and items and "@" not in items[0].nodeid:
        raise pytest.UsageError("pytest-xdist did not group the tests (--dist loadgroup)")
