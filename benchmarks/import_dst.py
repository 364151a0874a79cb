"""Benchmark: `udsat import dst` on the default synthetic city's DST register extracts.

    .venv/bin/python benchmarks/import_dst.py [--registers DIR] [--persons 650000] [--runs 3]

Without --registers the extracts are written first (`udsat synth --format dst`: 650,000
persons, 2015-2025, SAS transport files), outside the timing. Each run imports them in a fresh
process (`udsat import dst`, with the housing areas and units, then the contract validation as
the command does), so the peak memory of one import is measured on its own (that child's own
maximum resident set size, os.wait4). Reported: the median wall time of --runs runs, persons
and person-years per second, peak memory, the size of the extracts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq


def _measured(command: list[str], stderr: Path) -> tuple[float, float]:
    """Wall time and peak resident memory (GB) of one child process alone (os.wait4: not the
    maximum over every child so far, which would count the extracts' writer)."""
    start = time.perf_counter()
    with stderr.open("wb") as err:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"{command[1:3]} failed:\n{stderr.read_text(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024**2  # KiB -> GB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registers", type=Path, default=None)
    parser.add_argument("--persons", type=int, default=650_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    udsat = str(Path(sys.executable).with_name("udsat"))
    work = Path(tempfile.mkdtemp(prefix="udsat_import_bench_"))
    try:
        registers = args.registers
        if registers is None:
            registers = work / "registers"
            start = time.perf_counter()
            subprocess.run(
                [udsat, "synth", "--out", str(registers), "--persons", str(args.persons),
                 "--format", "dst"],
                check=True, capture_output=True,
            )  # fmt: skip
            print(f"extracts written in {time.perf_counter() - start:.1f} s (not timed)")
        size = sum(p.stat().st_size for p in registers.glob("*.*") if p.is_file())
        geo = registers / "geo"
        times, peaks = [], []
        for run in range(args.runs):
            out = work / f"imported{run}"
            seconds, peak_gb = _measured(
                [udsat, "import", "dst", "--registers", str(registers), "--out", str(out),
                 "--housing-areas", str(geo / "housing_areas.gpkg"), "--units", str(geo / "units")],
                work / "stderr.txt",
            )  # fmt: skip
            times.append(seconds)
            peaks.append(peak_gb)
        peak = max(peaks)
        rows = sum(pq.read_metadata(p).num_rows for p in (out / "persons").glob("*.parquet"))
        ids = pq.read_table(out / "persons", columns=["person_id"]).column(0)
        persons = len(set(ids.to_pylist()))
        median = statistics.median(times)
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"extracts: {size / 1e6:.0f} MB in {len(list(registers.glob('*.xpt')))} files")
        print(f"import (median of {args.runs}): {median:.1f} s  runs: "
              + ", ".join(f"{t:.1f}" for t in times))  # fmt: skip
        print(f"persons: {persons:,} ({persons / median:,.0f} per s), person-years: {rows:,} "
              f"({rows / median:,.0f} per s)")  # fmt: skip
        print(f"peak memory of one import: {peak:.2f} GB  load average: {load}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
