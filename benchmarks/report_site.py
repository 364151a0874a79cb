"""Benchmark: the whole report site for the synthetic Copenhagen (target: under 20 s, overview
page under 5 MB with everything it loads).

    .venv/bin/python benchmarks/report_site.py --data DIR [--runs 3] [--out DIR] [--lang da]

DIR is a synthetic Copenhagen (`udsat synth --out DIR`, 650,000 persons, 2015-2025). The bundle
is assembled once (validation, the state's lists, residents per area, and with --inputs real the
real screening without its stability grid, monitoring and early warning; with --inputs fixtures
the interface-shaped inputs of tests/browser/bundles.py), then `build_site` runs `--runs` times.
Prints the input size, the bundle time, the median and every run's site time, the number of
pages and files, the weight of the main pages with everything they load, and the load average
(the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--lang", default="da")
    parser.add_argument(
        "--inputs",
        choices=["real", "fixtures"],
        default="real",
        help="real: run_screening, monitor and warn; fixtures: tests/browser/bundles.py",
    )
    args = parser.parse_args()

    from udsat import pipeline
    from udsat.report import publish_site

    started = time.perf_counter()
    if args.inputs == "real":
        ctx = pipeline.open_run(args.data)
        lists = pipeline.lists_step(ctx)
        year = pipeline.last_list_year(lists)
        bundle = pipeline.report_step(
            ctx,
            lists=lists,
            year=year,
            screening=pipeline.screening_step(ctx, lists, year, stability=False),
            monitoring=pipeline.monitoring_step(ctx),
            warnings=pipeline.warning_step(ctx, lists, year + 1),
            lang=args.lang,
        )
    else:
        from bundles import full_bundle

        bundle = full_bundle(args.data, lang=args.lang)
    bundle_seconds = time.perf_counter() - started
    out = args.out or Path(tempfile.mkdtemp()) / "site"
    times = []
    for _ in range(args.runs):
        summary = publish_site(bundle, out)
        times.append(summary.seconds)
    persons = sum(int(v) for v in bundle.city_residents["residents"])
    files = [p for p in out.rglob("*") if p.is_file()]
    print(
        f"input: {args.data} ({persons:,} person-years, {len(bundle.state_lists)} list rows, "
        f"{len(bundle.screening.areas)} designated areas, {len(bundle.housing_areas)} housing "
        f"areas, {len(bundle.screening.units)} screening units, "
        f"{len(bundle.monitoring.status)} goals)"
    )
    print(f"bundle (validate, lists, residents, fixtures): {bundle_seconds:.1f} s")
    print(
        f"site: median {statistics.median(times):.2f} s over {args.runs} runs "
        f"({', '.join(f'{t:.2f}' for t in times)}); target < 20 s"
    )
    print(
        f"output: {out} - {len(summary.pages)} pages, {len(files)} files, "
        f"{sum(p.stat().st_size for p in files) / 1e6:.1f} MB"
    )
    for page in ("index.html", "criteria.html", "goals.html", "lists.html", summary.pages[-1]):
        print(f"  {page:<40} {summary.page_weight(page) / 1e6:6.2f} MB with what it loads")
    weight = summary.page_weight("index.html")
    print(f"overview page: {weight / 1e6:.2f} MB ({'under' if weight < 5e6 else 'OVER'} 5 MB)")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
