"""Property tests of every loader: hostile bytes give a result or UdsatError, never a traceback.

The same targets run longer under atheris (fuzz/fuzz_loaders.py). Each case has a hard time
limit: a hang dumps the stack and ends the test session (faulthandler), so it cannot pass.
"""

from __future__ import annotations

import csv
import faulthandler
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))

import targets as fuzz_targets

from udsat.contract.schemas import TABLES
from udsat.errors import UdsatError

CASE_SECONDS = 60  # far above any case (the slowest, a whole dataset, takes about 1 s)
TARGETS = fuzz_targets.targets()
FAST = [n for n in TARGETS if n not in fuzz_targets.DATASET_FILES]

# Inputs that once crashed a loader (found by the fuzzer): each must now give a valid result or
# udsat's own error, like every other input.
FIXED_CRASHES: list[tuple[str, bytes]] = [
    ("indicators_catalogue", b" 2020-13-45"),  # ValueError from PyYAML (impossible date)
    ("statelists_aggregate", b""),  # pandas EmptyDataError
    ("statelists_history", b""),
    ("statelists_history", "year,area_name,list\n2020,Hjørring,udsat\n".encode("latin-1")),
    ("statelists_history", b"year,area_name,list\n1e400,x,udsat\n"),  # infinite year
    ("screening_config", b" 2020-13-45"),
    ("screening_config", "a: æ\n".encode("latin-1")),  # UnicodeDecodeError
    ("screening_config", b"[" * 5000),  # RecursionError in PyYAML
    ("monitoring_goals", b" 2020-13-45"),
    ("monitoring_goals", "version: æ\n".encode("latin-1")),
    ("monitoring_goals", b"[" * 5000),
    ("monitoring_goals", b"version: x\nbaseline_year: 1\ntarget_year: 2\ngoals: 5\n"),
    ("monitoring_goals", b"version: 1\nbaseline_year: 1\ntarget_year: 2\ngoals: [5]\n"),
]


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    faulthandler.dump_traceback_later(seconds, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def check(target: str, data: bytes) -> None:
    with time_limit(CASE_SECONDS):
        fuzz_targets.run_target(TARGETS[target], data)


HOSTILE = [
    "NaN", "nan", "inf", "-inf", "Infinity", "1e308", "1e309", "-1e309", "9" * 40, "-0", "",
    "æøå", "ÆØÅ", "true", "FALSE", "null", "NA", "2020-13-45", "0x1F", '"', "a,b", "x\ny",
    "p1", "a1", "ha1", "2021", "101", "EPSG:4326",
]  # fmt: skip
cells = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=8),
)
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]


@st.composite
def csv_bytes(draw: st.DrawFn, columns: tuple[str, ...]) -> bytes:
    """A CSV with (some of) the table's columns, hostile cells, in a right or wrong encoding."""
    header = list(draw(st.permutations(columns)))
    header = header[: draw(st.integers(len(header) - 2, len(header)))]
    header += draw(st.lists(st.sampled_from(["extra", "æøå", ""]), max_size=1))
    rows = draw(st.lists(st.lists(cells, min_size=len(header), max_size=len(header)), max_size=8))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """A valid file cut short, with bytes flipped or hostile text spliced in."""
    data = bytearray(seed[: draw(st.integers(0, len(seed)))] if draw(st.booleans()) else seed)
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if draw(st.booleans()):
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = draw(st.sampled_from(HOSTILE)).encode(draw(st.sampled_from(ENCODINGS)))
    return bytes(data)


def inputs(target: str) -> st.SearchStrategy[bytes]:
    seeds = TARGETS[target].seeds()
    options = [st.binary(max_size=512), st.sampled_from(seeds).flatmap(mutated)]
    table = target.removesuffix("_csv")
    if target.endswith("_csv") and table in TABLES:
        options.append(csv_bytes(TABLES[table].names))
    return st.one_of(options)


@pytest.mark.parametrize("target", FAST)
def test_fast_loader_survives_hostile_bytes(target: str) -> None:
    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=inputs(target))
    def run(data: bytes) -> None:
        check(target, data)

    run()


@pytest.mark.parametrize(("target", "data"), FIXED_CRASHES)
def test_fixed_crash_stays_fixed(target: str, data: bytes) -> None:
    check(target, data)


DATASET_TARGETS = sorted(fuzz_targets.DATASET_FILES)


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(st.sampled_from(DATASET_TARGETS).flatmap(lambda t: st.tuples(st.just(t), inputs(t))))
def test_dataset_loaders_survive_hostile_files(case: tuple[str, bytes]) -> None:
    """A whole dataset with one file replaced: CSV in any encoding, Parquet, SAS, GeoJSON,
    GeoPackage, manifest.json (about 1 s a case, hence fewer cases than the fast loaders)."""
    check(*case)


@pytest.mark.parametrize("target", DATASET_TARGETS)
def test_every_dataset_seed_loads(target: str) -> None:
    """The seeds are valid files: the harness starts from inputs that get far into the loader."""
    for seed in TARGETS[target].seeds():
        with time_limit(CASE_SECONDS):
            TARGETS[target].run(seed)


@pytest.mark.parametrize("target", sorted(set(FAST) - {"run_manifest"}))
def test_every_config_seed_loads(target: str) -> None:
    for seed in TARGETS[target].seeds():
        TARGETS[target].run(seed)


def test_a_broken_file_is_udsat_error_not_a_library_error() -> None:
    """The property above would also pass if every input raised UdsatError: check one is valid
    and one specific broken case names the file."""
    with pytest.raises(UdsatError, match=r"rules_fuzz\.yaml"):
        TARGETS["statelists_rules"].run(b"id: [unclosed")
