"""Benchmark: every catalogue indicator for every 100 m cell and every housing area, all years,
on national-size data, on DuckDB (one process) and on Spark local[2] (the same definitions).

    .venv/bin/udsat synth --out /work/bench/dk10 --persons 5900000 --years 2015-2024
    .venv/bin/python benchmarks/scale_national.py --data /work/bench/dk10 [--runs 3]
        [--engines duckdb,spark] [--years 2015-2024]

Each run is a fresh process (validation and the located cache are built before the timing, as
loading); the timed part computes the indicators for the 100 m cells and the housing areas of
every year. Memory is the peak resident memory of the whole process tree (for Spark the Python
driver, the JVM and its Python workers), sampled every 0.2 s. For Spark, the event log gives
Spark's own metrics: stages, tasks, input read and shuffle written/read.
Prints: person-year rows, engine, median seconds, ratio against DuckDB, peak memory, Spark
metrics.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

UNITS = ("cells", "housing_areas")


def tree_rss_mb(pid: int) -> float:
    """Resident memory (MB) of `pid` and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        todo += [int(c) for c in children]
    return total / 1024


class PeakSampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, tree_rss_mb(os.getpid()))
            time.sleep(0.2)


def _event_lines(path: Path) -> list[str]:
    """An event-log file's lines; Spark 4 compresses them with zstd (read through pyarrow)."""
    if path.suffix == ".zstd":
        import pyarrow as pa

        chunks = []
        with pa.CompressedInputStream(pa.OSFile(str(path)), "zstd") as stream:
            try:
                while chunk := stream.read(1 << 20):
                    chunks.append(chunk)
            except OSError:  # a log still being written ends mid-frame: keep whole lines
                pass
        lines = b"".join(chunks).decode("utf-8", errors="replace").splitlines()
        return [line for line in lines if line.endswith("}")]
    return path.read_text(encoding="utf-8").splitlines()


def spark_metrics(log_dir: Path) -> dict[str, float]:
    """Stages, tasks, input and shuffle bytes from Spark's event log (its own task metrics)."""
    out = {"stages": 0, "tasks": 0, "input_mb": 0.0, "shuffle_write_mb": 0.0, "shuffle_read_mb": 0}
    # Spark 4 writes a rolling log: a folder eventlog_v2_<app>/ of events_<n>_<app> files.
    for path in sorted(p for p in log_dir.rglob("*") if p.is_file() and "events" in p.name):
        for line in _event_lines(path):
            event = json.loads(line)
            kind = event.get("Event")
            if kind == "SparkListenerStageCompleted":
                out["stages"] += 1
            elif kind == "SparkListenerTaskEnd":
                out["tasks"] += 1
                m = event.get("Task Metrics") or {}
                out["input_mb"] += m.get("Input Metrics", {}).get("Bytes Read", 0) / 2**20
                write = m.get("Shuffle Write Metrics", {}).get("Shuffle Bytes Written", 0)
                read = m.get("Shuffle Read Metrics", {})
                out["shuffle_write_mb"] += write / 2**20
                out["shuffle_read_mb"] += (
                    read.get("Remote Bytes Read", 0) + read.get("Local Bytes Read", 0)
                ) / 2**20
    return out


def _run(engine_name: str, data: str, years: list[int], queue) -> None:
    """One timed run in this fresh process."""
    from udsat.contract.dataset import open_dataset
    from udsat.engines import SparkEngine, as_engine, spark_session
    from udsat.indicators import compute_indicators

    dataset = open_dataset(Path(data))
    dataset.validate()
    con = dataset.connect()  # builds the located cache when missing (loading, not timed)
    log_dir = None
    if engine_name == "spark":
        log_dir = Path(tempfile.mkdtemp(prefix="udsat-spark-events-"))
        os.environ["UDSAT_SPARK_EVENT_LOG"] = str(log_dir)
        session = spark_session("local[2]")
        engine = SparkEngine.for_dataset(dataset, session)
    else:
        engine = as_engine(con)
    sampler = PeakSampler()
    sampler.start()
    started = time.perf_counter()
    rows = 0
    for year in years:
        for units in UNITS:
            rows += len(compute_indicators(engine, year=year, units=units))
    seconds = time.perf_counter() - started
    sampler.running = False
    sampler.join()
    if log_dir is not None:
        engine.session.stop()  # flushes the event log; the parent reads it
    events = str(log_dir) if log_dir else None
    queue.put({"seconds": seconds, "peak_mb": sampler.peak, "rows": rows, "log_dir": events})


def timed(engine: str, data: Path, years: list[int]) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_run, args=(engine, str(data), years, queue))
    proc.start()
    result = queue.get()
    proc.join()
    log_dir = result.pop("log_dir")
    if log_dir is not None:  # Spark's own metrics, read here: a reading error keeps the timing
        result.update(spark_metrics(Path(log_dir)))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--years", default=None, help="FIRST-LAST (default: every year)")
    args = parser.parse_args()

    from udsat.contract.dataset import open_dataset

    dataset = open_dataset(args.data)
    dataset.validate()
    con = dataset.connect()
    have = [int(r[0]) for r in con.sql("SELECT DISTINCT year FROM persons ORDER BY 1").fetchall()]
    if args.years:
        first, last = (int(v) for v in args.years.split("-"))
        have = [y for y in have if first <= y <= last]
    person_years = con.sql(
        f"SELECT count(*) FROM persons WHERE year BETWEEN {have[0]} AND {have[-1]}"
    ).fetchall()[0][0]
    print(f"data: {args.data}  years {have[0]}-{have[-1]}  person-year rows {person_years:,}")
    results: dict[str, list[dict]] = {}
    for engine in args.engines.split(","):
        results[engine] = [timed(engine, args.data, have) for _ in range(args.runs)]
        for r in results[engine]:
            print(f"  {engine}: {r['seconds']:.1f} s, peak {r['peak_mb']:,.0f} MB", flush=True)
    base = statistics.median(r["seconds"] for r in results.get("duckdb", [])) or None
    print()
    print("| engine | person-year rows | output rows | median s | vs DuckDB | peak MB (tree) |")
    print("|---|---|---|---|---|---|")
    for engine, runs in results.items():
        med = statistics.median(r["seconds"] for r in runs)
        ratio = f"{med / base:.2f}x" if base else "-"
        peak = max(r["peak_mb"] for r in runs)
        cells = [engine, f"{person_years:,}", f"{runs[0]['rows']:,}", f"{med:.1f}", ratio]
        print("| " + " | ".join([*cells, f"{peak:,.0f}"]) + " |")
    if "spark" in results:
        m = results["spark"][0]
        print()
        print(
            f"Spark metrics (one run): {m['stages']} stages, {m['tasks']} tasks, "
            f"input {m['input_mb']:,.0f} MB, shuffle written {m['shuffle_write_mb']:,.1f} MB, "
            f"shuffle read {m['shuffle_read_mb']:,.1f} MB"
        )


if __name__ == "__main__":
    main()
