"""Benchmark: the state's lists for one list year on a national-size population.

    # on the synthetic Denmark (5.9 million persons):
    udsat synth --out /tmp/dk --persons 5900000 --years 2022-2024
    .venv/bin/python benchmarks/statelists_national.py --data /tmp/dk --year 2024
    # without it: generate a contract-shaped population of N persons x 2 years in a temp dir
    .venv/bin/python benchmarks/statelists_national.py --generate 5900000 --year 2024

Measures the whole list computation of one list year (figures from the persons/addresses/
housing_areas views + classification) with the DuckDB engine, then a straightforward pandas
implementation of the same counting in the same process on the same rows (loading into pandas
is not timed), checks that both give the same results, and prints the table for the issue:
input rows, median of 5 runs, ratio, peak memory (peak RSS of the process after the DuckDB
runs, before pandas loads anything). Targets: <= 2 s, >= 8x, <= 2 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from udsat.contract.schemas import BENEFIT_COLUMNS, CONVICTION_LAWS
from udsat.statelists import compute_lists
from udsat.statelists.microdata import (
    area_figures,
    figures_from_counts,
)
from udsat.statelists.rules import RuleSet, ruleset_for_year

REGIONS = Path(__file__).parents[1] / "src" / "udsat" / "statelists" / "regions.csv"


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


def timed(fn: Callable[[], pd.DataFrame], runs: int) -> tuple[float, pd.DataFrame]:
    times, result = [], pd.DataFrame()
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


# --- the straightforward pandas implementation of the same rules -----------------------------


def _between(age: pd.Series, pop: dict) -> pd.Series:
    mask = pd.Series(True, index=age.index)
    if "min_age" in pop:
        mask &= age >= pop["min_age"]
    if "max_age" in pop:
        mask &= age <= pop["max_age"]
    return mask


def _population(p: pd.DataFrame, pop: dict) -> pd.Series:
    mask = _between(p["age"], pop)
    if pop.get("taxpayers_only"):
        mask &= p["taxpayer"].astype(bool)
    if pop.get("exclude_in_education"):
        mask &= ~p["in_education"].astype(bool)
    return mask


def pandas_counts(persons: pd.DataFrame, addresses: pd.DataFrame, rs: RuleSet, year: int):
    """The per (row year, area, municipality) counts, as counts_sql makes them, in pandas."""
    c = rs.criteria
    years = sorted({year + o for k in c.values() for o in k.row_years})
    p = persons[persons["year"].isin(years)].merge(
        addresses[["address_id", "housing_area_id", "municipality_code"]], on="address_id"
    )
    benefits = [f"fte_{b}" for b in rs.setting("outside_benefits")]
    laws = [f"convictions_{law}" for law in rs.setting("conviction_laws")]
    outside = p[benefits].sum(axis=1).clip(upper=1.0)
    convicted = p[laws].sum(axis=1) > 0
    pop1, pop2 = (
        _population(p, c["c1_outside"].population),
        _population(p, c["c2_convicted"].population),
    )
    pop3, pop4 = (
        _population(p, c["c3_education"].population),
        _population(p, c["c4_income"].population),
    )
    basic = p["education_level"].isin(rs.setting("basic_education_levels"))
    if rs.setting("education_unknown_counts_as_basic"):
        basic |= p["education_level"] == "unknown"
    if rs.setting("education_requires_danish_approval"):
        basic |= p["education_danish_approved"].eq(False).fillna(False).astype(bool)
    frame = pd.DataFrame(
        {
            "year": p["year"],
            "area_id": p["housing_area_id"],
            "municipality_code": p["municipality_code"],
            "residents": 1,
            "nonwestern_n": p["origin"].isin(rs.setting("nonwestern_origins")).astype(int),
            "outside_den": pop1.astype(int),
            "outside_num": outside.where(pop1, 0.0),
            "convicted_den": pop2.astype(int),
            "convicted_num": (pop2 & convicted).astype(int),
            "basic_edu_den": pop3.astype(int),
            "basic_edu_num": (pop3 & basic).astype(int),
            "income_den": pop4.astype(int),
            "income_num": p["gross_income"].where(pop4, 0.0),
        }
    )
    keys = ["year", "area_id", "municipality_code"]
    return frame.groupby(keys, dropna=False, sort=False).sum().reset_index()


def pandas_run(data: dict[str, pd.DataFrame], rs: RuleSet, year: int) -> pd.DataFrame:
    counts = pandas_counts(data["persons"], data["addresses"], rs, year)
    regions = pd.read_csv(REGIONS).set_index("municipality_code")["region"]
    areas_regions = data["areas"].drop_duplicates("municipality_code")
    regions = pd.concat([areas_regions.set_index("municipality_code")["region"], regions])
    regions = regions.groupby(level=0).first()
    areas = data["areas"].rename(columns={"housing_area_id": "area_id", "name": "area_name"})
    areas = areas[["area_id", "area_name", "municipality", "region"]].sort_values("area_id")
    figures = figures_from_counts(counts, areas.reset_index(drop=True), regions, rs, year)
    return compute_lists(figures)


def duckdb_run(con: duckdb.DuckDBPyConnection, rs: RuleSet, year: int) -> pd.DataFrame:
    return compute_lists(area_figures(con, rs, year))


# --- data: a dataset directory, or a generated contract-shaped population -------------------


def generate(out: Path, persons: int, years: tuple[int, int], seed: int = 1) -> Path:
    """Write persons (both years), addresses and housing_areas as Parquet: 198 areas over the
    98 municipalities; about 7 % of persons live in an area, at higher risk levels."""
    rng = np.random.default_rng(seed)
    munis = pd.read_csv(REGIONS)
    n_addr = max(persons // 2, 1000)
    area_of_addr = np.where(rng.random(n_addr) < 0.07, rng.integers(0, 198, n_addr), -1)
    addresses = pd.DataFrame(
        {
            "address_id": np.char.add("A", np.arange(n_addr).astype(str)),
            "x": 700_000.0,
            "y": 6_170_000.0,
            "housing_area_id": pd.Series(np.char.add("HA", area_of_addr.astype(str))).where(
                area_of_addr >= 0
            ),
            "municipality_code": munis["municipality_code"].to_numpy()[
                np.where(area_of_addr >= 0, area_of_addr % 98, rng.integers(0, 98, n_addr))
            ],
        }
    )
    areas = pd.DataFrame({"housing_area_id": [f"HA{i}" for i in range(198)]})
    areas["name"] = "Område " + areas["housing_area_id"]
    code = munis.iloc[np.arange(198) % 98]
    areas["municipality_code"] = code["municipality_code"].to_numpy()
    areas["municipality"] = code["municipality"].to_numpy()
    areas["region"] = code["region"].to_numpy()
    out.mkdir(parents=True, exist_ok=True)
    addresses.to_parquet(out / "addresses.parquet")
    areas.to_parquet(out / "housing_areas.parquet")
    risk = np.where(area_of_addr >= 0, (area_of_addr % 10) / 10, 0.05)
    home = rng.integers(0, n_addr, persons)
    for year in range(years[0], years[1] + 1):
        moved = rng.random(persons) < 0.1
        home = np.where(moved, rng.integers(0, n_addr, persons), home)
        _persons_year(rng, home, risk[home], year, addresses).to_parquet(
            out / f"persons_{year}.parquet"
        )
    return out


def _persons_year(rng, home, level, year, addresses) -> pd.DataFrame:
    n = len(home)
    p = pd.DataFrame({"person_id": np.char.add("P", np.arange(n).astype(str)), "year": year})
    p["address_id"] = addresses["address_id"].to_numpy()[home]
    p["age"] = rng.integers(0, 95, n)
    p["origin"] = np.where(rng.random(n) < 0.1 + 0.6 * level, "immigrant_nonwestern", "danish")
    p["education_level"] = np.where(rng.random(n) < 0.2 + 0.5 * level, "grundskole", "bachelor")
    p["education_danish_approved"] = rng.random(n) > 0.03
    p["in_education"] = rng.random(n) < 0.1
    for column in BENEFIT_COLUMNS:
        p[column] = 0.0
    p["fte_kontanthjaelp"] = np.where(rng.random(n) < 0.05 + 0.4 * level, 0.5, 0.0)
    p["fte_uddannelseshjaelp"] = np.where(rng.random(n) < 0.03, 1.0, 0.0)
    p["gross_income"] = rng.gamma(4.0, 90_000 * (1.2 - level))
    p["taxpayer"] = rng.random(n) < 0.95
    for law in CONVICTION_LAWS:
        p[f"convictions_{law}"] = (rng.random(n) < 0.002 + 0.015 * level).astype("int32")
    return p


def open_generated(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"CREATE VIEW persons AS SELECT * FROM read_parquet('{path}/persons_*.parquet')")
    for name in ("addresses", "housing_areas"):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}/{name}.parquet')")
    return con


def open_data(path: Path) -> duckdb.DuckDBPyConnection:
    from udsat.contract.dataset import open_dataset

    return open_dataset(path).connect()


def load_pandas(con: duckdb.DuckDBPyConnection, years: list[int]) -> dict[str, pd.DataFrame]:
    wanted = ", ".join(str(y) for y in years)
    return {
        "persons": con.sql(f"SELECT * FROM persons WHERE year IN ({wanted})").df(),
        "addresses": con.sql("SELECT * FROM addresses").df(),
        "areas": con.sql("SELECT * EXCLUDE (geometry) FROM housing_areas").df()
        if "geometry" in con.sql("SELECT * FROM housing_areas LIMIT 0").columns
        else con.sql("SELECT * FROM housing_areas").df(),
    }


def compare(fast: pd.DataFrame, slow: pd.DataFrame) -> str:
    """Same lists, codes and reasons; numbers equal within 1e-9 (summation order differs)."""
    exact = [
        "area_id",
        "udsat",
        "parallelsamfund",
        "omdannelse",
        "forebyggelse",
        "criteria_met",
        "reason_codes",
    ]
    pd.testing.assert_frame_equal(fast[exact], slow[exact])
    numbers = [c for c in fast if fast[c].dtype.kind == "f"]
    pd.testing.assert_frame_equal(fast[numbers], slow[numbers], rtol=1e-9, atol=1e-9)
    return f"identical lists, codes and criteria_met; {len(numbers)} numeric columns within 1e-9"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="dataset directory (udsat synth ...)")
    parser.add_argument("--generate", type=int, help="generate N persons x 2 years instead")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    rs = ruleset_for_year(args.year)
    started = time.perf_counter()
    if args.data:
        con = open_data(args.data)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="statelists-bench-"))
        con = open_generated(generate(tmp, args.generate or 5_900_000, (args.year - 1, args.year)))
    con.execute("SET threads = 2")
    prepare = time.perf_counter() - started
    years = [args.year - 1, args.year]
    rows = con.sql(
        f"SELECT count(*) FROM persons WHERE year IN ({years[0]}, {years[1]})"
    ).fetchall()[0][0]
    fast_s, fast = timed(lambda: duckdb_run(con, rs, args.year), args.runs)
    fast_peak = peak_rss_gb()
    data = load_pandas(con, years)
    slow_s, slow = timed(lambda: pandas_run(data, rs, args.year), args.runs)
    result = {
        "input_rows": int(rows),
        "areas": len(fast),
        "prepare_s": round(prepare, 2),
        "duckdb_median_s": round(fast_s, 3),
        "pandas_median_s": round(slow_s, 3),
        "ratio": round(slow_s / fast_s, 1),
        "peak_rss_gb_duckdb_phase": round(fast_peak, 2),
        "peak_rss_gb_total": round(peak_rss_gb(), 2),
        "check": compare(fast, slow),
    }
    print("| input rows | areas | DuckDB median of 5 | pandas median | ratio | peak RSS (DuckDB) |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {rows:,} | {len(fast)} | {fast_s:.2f} s | {slow_s:.2f} s | "
        f"{slow_s / fast_s:.1f}x | {fast_peak:.2f} GB |"
    )
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
