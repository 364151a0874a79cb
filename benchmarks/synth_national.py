"""Benchmark `udsat synth`: the default Copenhagen and the national scale (run by hand).

    .venv/bin/python benchmarks/synth_national.py                 # 650k Copenhagen + 5.9M national
    .venv/bin/python benchmarks/synth_national.py --runs 3 --persons 650000

Each run is a fresh subprocess so peak memory (resource.getrusage ru_maxrss) is per run. Prints a
table: persons, scope, years, rows, median seconds of N runs, peak memory, rows per second, and
the dataset's size on disk.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, resource, sys
from pathlib import Path
from udsat.synth import synthesize
persons, first, last, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
s = synthesize(out, persons=persons, years=(first, last))
size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"rows": s.person_years, "seconds": s.seconds, "scope": s.scope,
                  "peak": peak, "size": size}))
"""


def run_once(persons: int, years: tuple[int, int], workdir: Path) -> dict:
    out = workdir / f"synth_{persons}"
    args = [sys.executable, "-c", CHILD, str(persons), str(years[0]), str(years[1]), str(out)]
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, nargs="+", default=[650_000, 5_900_000])
    parser.add_argument("--years", default="2015-2025", help="FIRST-LAST")
    parser.add_argument("--runs", type=int, default=1, help="runs per size (median reported)")
    ns = parser.parse_args()
    first, last = (int(y) for y in ns.years.split("-"))
    header = f"{'persons':>10} {'scope':>10} {'years':>9} {'rows':>11} {'median s':>9} "
    header += f"{'peak GB':>8} {'rows/s':>10} {'disk GB':>8}"
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for persons in ns.persons:
            results = [run_once(persons, (first, last), Path(tmp)) for _ in range(ns.runs)]
            seconds = statistics.median(r["seconds"] for r in results)
            r = results[-1]
            print(
                f"{persons:>10,} {r['scope']:>10} {first}-{last} {r['rows']:>11,} {seconds:>9.1f} "
                f"{max(x['peak'] for x in results) / 1e9:>8.2f} {r['rows'] / seconds:>10,.0f} "
                f"{r['size'] / 1e9:>8.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
