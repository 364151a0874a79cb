"""atheris harness for udsat's loaders: a result or UdsatError, never another exception or a hang.

Run by hand, one target per process (names: `python fuzz/fuzz_loaders.py --list`):

    .venv/bin/python fuzz/fuzz_loaders.py statelists_rules -atheris_runs=20000 -timeout=20 \
        -dict=fuzz/loaders.dict fuzz/corpus/statelists_rules

The corpus directory is created and seeded with the target's valid example files on first use.
libFuzzer's -timeout makes a case that runs longer than that many seconds a failure (a hang).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Instrument every loader module (imported here, not lazily later) so coverage guides the fuzzer.
LOADER_MODULES = (
    "udsat.contract.dataset",
    "udsat.contract.load",
    "udsat.contract.coerce",
    "udsat.contract.geo",
    "udsat.contract.validate",
    "udsat.contract.rules",
    "udsat.publish.atomic",
    "udsat.statelists.aggregate",
    "udsat.statelists.lookback",
    "udsat.statelists.rules",
    "udsat.indicators.catalogue",
    "udsat.screening.config",
    "udsat.monitoring.goals",
)
with atheris.instrument_imports(include=["udsat"]):
    for module in LOADER_MODULES:
        try:
            importlib.import_module(module)
        except ImportError:  # a package not present in this checkout
            continue

import targets  # noqa: E402


def _seed_corpus(name: str, corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    if not any(corpus.iterdir()):
        for i, seed in enumerate(targets.targets()[name].seeds()):
            (corpus / f"seed-{i}").write_bytes(seed)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] == "--list":
        print("\n".join(targets.targets()))
        return
    name = sys.argv.pop(1)
    target = targets.targets()[name]
    for arg in sys.argv[1:]:
        if not arg.startswith("-"):
            _seed_corpus(name, Path(arg))

    def test_one_input(data: bytes) -> None:
        targets.run_target(target, data)

    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
