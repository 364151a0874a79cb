"""Benchmark: the state's lists for one list year on a national-size population.

    # on the synthetic Denmark (5.9 million persons):
    udsat synth --out /tmp/dk --persons 5900000 --years 2022-2024
    .venv/bin/python benchmarks/statelists_national.py --data /tmp/dk --year 2024
    # without it: generate a contract-shaped population of N persons x 2 years in a temp dir
    .venv/bin/python benchmarks/statelists_national.py --generate 5900000 --year 2024

What is timed (median of --runs runs each, same process, same files):
- DuckDB (udsat): the whole list computation of one list year, `compute_lists(area_figures(
  con, rs, year))`, from the dataset on disk: the views read Parquet files (the located cache,
  below) inside the timed part. Not timed: opening and validating the dataset (reported as
  validate_s), which also loads housing_areas (a GeoPackage) into memory, and `connect()`,
  which builds the located person-year cache (each persons row's address resolved once to
  housing_area_id and municipality_code, one Parquet file per persons file under
  <dataset>/.udsat_cache/located/; see src/udsat/contract/located.py) or reuses it when it is up
  to date. Its cost is part of loading and reported separately as located_build_s (0 files
  built: reused from an earlier run; --cold deletes it first so the build is measured). With the
  cache, the counting query reads persons_located and needs no join to addresses.
- pandas, from disk (the comparison the targets use): a straightforward pandas implementation
  of the same rules starting from the same files: `pd.read_parquet` of the persons columns the
  rules need (year filter pushed down) and of addresses, the contract's float type for the FTE
  shares, merge on address_id, the group-by, then the same figures/classification code.
  housing_areas is given to it already in memory, as DuckDB has it.
- pandas, in memory (reported too, not a target): the same pandas code with persons and
  addresses already loaded as DataFrames, i.e. pandas' loading left out while DuckDB still
  reads Parquet. That is not a like-for-like comparison; it is shown so nobody has to guess.

The pandas baseline does not use the cache: it reads the original dataset files.
Both results are checked to be the same (lists, codes and criteria_met exactly, the numbers
within 1e-9). Peak memory is the peak RSS of the process after the DuckDB runs, before pandas
loads anything (it includes opening and validating the dataset and building the cache). The
1-minute load average is printed before and after the DuckDB runs: this is a 2-core machine that
others share. --generate has no dataset and so no cache (the join is timed).
Targets (issue 3): DuckDB <= 2 s, >= 8x the pandas implementation, <= 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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
    benefits = [f"fte_{b}" for b in rs.benefits]
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


def person_columns(rs: RuleSet) -> list[str]:
    """The persons columns the rules read (what a pandas user would pass as columns=)."""
    benefits = [f"fte_{b}" for b in rs.benefits]
    laws = [f"convictions_{law}" for law in rs.setting("conviction_laws")]
    base = ["year", "address_id", "age", "origin", "education_level"]
    flags = ["education_danish_approved", "in_education", "taxpayer", "gross_income"]
    return base + flags + benefits + laws


def pandas_load(files: dict[str, Path], rs: RuleSet, year: int) -> dict[str, pd.DataFrame]:
    """persons (the rules' columns, the list's row years) and addresses from the Parquet files."""
    years = sorted({year + o for k in rs.criteria.values() for o in k.row_years})
    persons = pd.read_parquet(
        files["persons"], columns=person_columns(rs), filters=[("year", "in", years)]
    )
    floats = [c for c in persons if c.startswith("fte_")] + ["gross_income"]
    persons[floats] = persons[floats].astype("float64")  # the contract's type (DOUBLE)
    columns = ["address_id", "housing_area_id", "municipality_code"]
    return {"persons": persons, "addresses": pd.read_parquet(files["addresses"], columns=columns)}


def pandas_from_disk(
    files: dict[str, Path], areas: pd.DataFrame, rs: RuleSet, year: int
) -> pd.DataFrame:
    return pandas_run({**pandas_load(files, rs, year), "areas": areas}, rs, year)


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
    (out / "persons").mkdir(exist_ok=True)
    for year in range(years[0], years[1] + 1):
        moved = rng.random(persons) < 0.1
        home = np.where(moved, rng.integers(0, n_addr, persons), home)
        _persons_year(rng, home, risk[home], year, addresses).to_parquet(
            out / "persons" / f"persons_{year}.parquet"
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
    con.execute(f"CREATE VIEW persons AS SELECT * FROM read_parquet('{path}/persons/*.parquet')")
    for name in ("addresses", "housing_areas"):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}/{name}.parquet')")
    return con


def open_data(path: Path, cold: bool) -> tuple[duckdb.DuckDBPyConnection, dict[str, float]]:
    """Validate, then connect (building the located cache); the seconds of each and its size."""
    from udsat.contract.dataset import open_dataset
    from udsat.contract.located import SUBDIR

    ds = open_dataset(path)
    if cold:
        shutil.rmtree(ds.cache / SUBDIR, ignore_errors=True)
    started = time.perf_counter()
    ds.validate()
    validated = time.perf_counter()
    con = ds.connect()
    located = ds.located
    assert located is not None
    info = {
        "validate_s": round(validated - started, 2),
        "connect_s": round(time.perf_counter() - validated, 2),
        "located_build_s": round(located.seconds, 2),
        "located_files_built": located.built,
        "located_gb": round(located.bytes / 1e9, 3),
    }
    return con, info


def data_files(path: Path, generated: bool) -> dict[str, Path]:
    """The persons and addresses files pandas reads: the same files the views read."""
    if generated:
        return {"persons": path / "persons", "addresses": path / "addresses.parquet"}
    from udsat.contract.dataset import open_dataset

    files = open_dataset(path).files
    for name in ("persons", "addresses"):
        if files[name].fmt not in {"parquet", "parquet_dir"}:
            raise SystemExit(f"the pandas baseline reads Parquet; {name} is {files[name].fmt}")
    return {name: files[name].path for name in ("persons", "addresses")}


def load_areas(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    columns = con.sql("SELECT * FROM housing_areas LIMIT 0").columns
    geometry = " EXCLUDE (geometry)" if "geometry" in columns else ""
    return con.sql(f"SELECT *{geometry} FROM housing_areas").df()


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
    parser.add_argument(
        "--cold", action="store_true", help="delete the located cache first (measure its build)"
    )
    args = parser.parse_args()
    rs = ruleset_for_year(args.year)
    started = time.perf_counter()
    loading: dict[str, float] = {}
    if args.data:
        path, (con, loading) = args.data, open_data(args.data, args.cold)
    else:
        path = Path(tempfile.mkdtemp(prefix="statelists-bench-"))
        generate(path, args.generate or 5_900_000, (args.year - 1, args.year))
        con = open_generated(path)
    con.execute("SET threads = 2")
    prepare = time.perf_counter() - started
    years = [args.year - 1, args.year]
    rows = con.sql(
        f"SELECT count(*) FROM persons WHERE year IN ({years[0]}, {years[1]})"
    ).fetchall()[0][0]
    load_before = os.getloadavg()[0]
    fast_s, fast = timed(lambda: duckdb_run(con, rs, args.year), args.runs)
    load_after = os.getloadavg()[0]
    fast_peak = peak_rss_gb()
    files, areas = data_files(path, not args.data), load_areas(con)
    disk_s, slow = timed(lambda: pandas_from_disk(files, areas, rs, args.year), args.runs)
    check = compare(fast, slow)
    data = {**pandas_load(files, rs, args.year), "areas": areas}
    memory_s, in_memory = timed(lambda: pandas_run(data, rs, args.year), args.runs)
    compare(fast, in_memory)
    result = {
        "input_rows": int(rows),
        "areas": len(fast),
        "prepare_s": round(prepare, 2),
        **loading,
        "duckdb_median_s": round(fast_s, 3),
        "pandas_from_disk_median_s": round(disk_s, 3),
        "ratio_from_disk": round(disk_s / fast_s, 1),
        "pandas_in_memory_median_s": round(memory_s, 3),
        "ratio_pandas_in_memory": round(memory_s / fast_s, 1),
        "peak_rss_gb_duckdb_phase": round(fast_peak, 2),
        "peak_rss_gb_total": round(peak_rss_gb(), 2),
        "load_average_1min": [round(load_before, 2), round(load_after, 2)],
        "check": check,
    }
    print(
        f"| input rows | DuckDB median of {args.runs} | pandas from disk | ratio | "
        "pandas in memory (not like-for-like) | ratio | peak RSS (DuckDB) | load avg |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {rows:,} | {fast_s:.2f} s | {disk_s:.2f} s | {disk_s / fast_s:.1f}x | "
        f"{memory_s:.2f} s | {memory_s / fast_s:.1f}x | {fast_peak:.2f} GB | "
        f"{load_before:.2f} / {load_after:.2f} |"
    )
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
