"""Benchmark: udsat's k-NN engine against EquiPop's run_knn_counts on identical input.

    .venv/bin/python benchmarks/neighbourhoods_national.py --data /tmp/dk3 [--cph DIR] [--runs 5]

Reads one year of a (national-size synthetic) dataset, builds the 100 m cells with 4 count
variables, and times, each run in a fresh process (so peak memory is per run): EquiPop's
run_knn_counts (fast path, default settings) for k = 1,000; udsat for k = 1,000; udsat for
k = 500, 1,000, 2,000, 5,000 together. With --cph it also times the whole neighbourhood step
(cells from DuckDB + engine) on a Copenhagen dataset. Prints a table: cells, k, median of the
runs, ratio against EquiPop's k = 1,000, peak memory, and the load average.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import pickle
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

VARIABLES = {
    "adults": "age BETWEEN 18 AND 64",
    "not_working": "employed_share < 0.5",
    "grundskole": "education_level = 'grundskole'",
    "nonwestern": "origin LIKE '%nonwestern'",
}


def persons_frame(data: Path, year: int | None):
    """One row per person: x, y and the 0/1 variables (validation included, not timed)."""
    from udsat.contract.dataset import open_dataset

    con = open_dataset(data).connect()
    year = year or con.execute("SELECT max(year) FROM persons").fetchall()[0][0]
    cols = ", ".join(f"CAST(({e}) AS INT) AS {n}" for n, e in VARIABLES.items())
    sql = f"SELECT a.x, a.y, {cols} FROM persons p JOIN addresses a USING (address_id)"
    return con.execute(sql + " WHERE p.year = ?", [year]).df(), year


def prepare(data: Path, year: int | None, folder: Path) -> tuple[int, int]:
    """Write both engines' inputs (built once, outside the timing) to `folder`."""
    import equipop

    from udsat.neighbourhoods.grid import cells_from_points

    persons, year = persons_frame(data, year)
    names = list(VARIABLES)
    cells = cells_from_points(persons["x"], persons["y"], {v: persons[v] for v in names})
    (folder / "udsat.pkl").write_bytes(pickle.dumps(cells))
    built = equipop.build_cells(persons, e_col="x", n_col="y", binary_vars=names, unit_size=100)
    (folder / "equipop.pkl").write_bytes(pickle.dumps(built))
    return len(cells), year


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    parent across fork + exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(engine: str, path: str, ks: list[int], queue) -> None:
    """One timed run in this (fresh) process; reports seconds and peak RSS in MB."""
    data = pickle.loads(Path(path).read_bytes())
    start = time.perf_counter()
    if engine == "equipop":
        import equipop

        equipop.run_knn_counts(data, k_values=ks, report=False)
    else:
        from udsat.neighbourhoods.knn import knn_counts

        knn_counts(data, ks)
    seconds = time.perf_counter() - start
    queue.put((seconds, peak_mb()))


def _step(path: str, queue) -> None:
    from udsat.contract.dataset import open_dataset
    from udsat.neighbourhoods import neighbourhood_step

    con = open_dataset(Path(path)).connect()
    start = time.perf_counter()
    neighbourhood_step(con, [1000])
    seconds = time.perf_counter() - start
    queue.put((seconds, peak_mb()))


def measure(target, args: tuple, runs: int) -> tuple[float, float]:
    """Median seconds and largest peak RSS over `runs` fresh processes."""
    context = mp.get_context("spawn")
    results = []
    for _ in range(runs):
        queue = context.Queue()
        process = context.Process(target=target, args=(*args, queue))
        process.start()
        results.append(queue.get())
        process.join()
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/dk3"))
    parser.add_argument("--year", type=int)
    parser.add_argument("--cph", type=Path, help="a Copenhagen dataset for the whole-step timing")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cells, year = prepare(args.data, args.year, folder)
        loads = [os.getloadavg()[0]]
        rows = []
        cases = [("equipop", [1000]), ("udsat", [1000]), ("udsat", [500, 1000, 2000, 5000])]
        for engine, ks in cases:
            seconds, peak = measure(_run, (engine, str(folder / f"{engine}.pkl"), ks), args.runs)
            rows.append((f"{engine} {args.data.name} {year}", cells, ks, seconds, peak))
            loads.append(os.getloadavg()[0])
    if args.cph:
        seconds, peak = measure(_step, (str(args.cph),), args.runs)
        rows.append((f"udsat whole step {args.cph.name}", np.nan, [1000], seconds, peak))
        loads.append(os.getloadavg()[0])
    report(rows, loads, args.runs)


def report(rows: list, loads: list[float], runs: int) -> None:
    reference = rows[0][3]
    print(f"\n| run | cells | k | median of {runs} (s) | EquiPop k=1,000 / this | peak RSS (MB) |")
    print("|---|---|---|---|---|---|")
    for name, cells, ks, seconds, peak in rows:
        national = cells == cells  # the Copenhagen step row has no cell count (NaN)
        shown = f"{cells:,}" if national else "-"
        ratio = f"{reference / seconds:.1f}x" if national else "-"
        k_text = ", ".join(f"{k:,}" for k in ks)
        print(f"| {name} | {shown} | {k_text} | {seconds:.2f} | {ratio} | {peak:,.0f} |")
    print(f"\nload average (1 min) during the runs: {', '.join(f'{x:.2f}' for x in loads)}")


if __name__ == "__main__":
    main()
