"""Measure a written synthetic dataset against its calibration targets (DuckDB over Parquet).

Used by the calibration tests, docs/synthetic-data.md and the benchmark. Everything reads the
dataset directory as a user would: the 2017 policy areas come from units/udsatte_byomraader_2017,
joined to the address points, not from any generator-internal flag.

Definitions (all persons aged on 1 January of the row year; flows are the previous year):
- no attachment: 16-64, not in education, employed_share + fte_barselsdagpenge < 0.5.
- only grundskole: 25-64 with education_level 'grundskole', of those with known education.
- temporary public support: 16-64 whose FTE on kontanthjælp, uddannelseshjælp, selvforsørgelse,
  dagpenge, sygedagpenge, ressourceforløb, jobafklaring, ledighedsydelse and revalidering sums to
  more than 0.5.
- activity-ready: 16-64 with aktivitetsparat true.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd

TEMPORARY = [
    "kontanthjaelp",
    "uddannelseshjaelp",
    "selvforsoergelse",
    "dagpenge",
    "sygedagpenge",
    "ressourceforloeb",
    "jobafklaring",
    "ledighedsydelse",
    "revalidering",
]
AGE_GROUPS = [0, 1, *range(5, 90, 5)]  # abridged life table: 0, 1-4, 5-9, ..., 85+


def address_flags(root: Path) -> pd.DataFrame:
    """address_id, inside (2017 policy area), bydel (unit id) from the dataset's own layers."""
    a = pd.read_parquet(root / "addresses.parquet", columns=["address_id", "x", "y"])
    pts = gpd.GeoDataFrame(a, geometry=gpd.points_from_xy(a.x, a.y), crs="EPSG:25832")
    out = a[["address_id"]].copy()
    for layer, col in (("udsatte_byomraader_2017", "policy_unit"), ("bydele", "bydel")):
        poly = gpd.read_file(root / "units" / f"{layer}.gpkg")[["unit_id", "geometry"]]
        hit = gpd.sjoin(pts, poly.to_crs("EPSG:25832"), predicate="within", how="left")
        out[col] = hit[~hit.index.duplicated()]["unit_id"].astype("string").to_numpy()
    out["inside"] = out["policy_unit"].notna()
    return out


def connect(root: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with views persons, addresses (+ flags) and survey."""
    con = duckdb.connect()
    flags = address_flags(root)
    con.register("flags_df", flags)
    con.execute(f"CREATE VIEW persons AS SELECT * FROM read_parquet('{root}/persons/*.parquet')")
    con.execute(
        f"CREATE VIEW addresses AS SELECT a.*, f.inside, f.bydel, f.policy_unit "
        f"FROM read_parquet('{root}/addresses.parquet') a JOIN flags_df f USING (address_id)"
    )
    if (root / "survey.parquet").exists():
        con.execute(f"CREATE VIEW survey AS SELECT * FROM read_parquet('{root}/survey.parquet')")
    return con


def policy_indicators(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The four register targets by year, inside and outside the 2017 areas (shares 0-1)."""
    temp = " + ".join(f"fte_{b}" for b in TEMPORARY)
    return con.execute(
        f"""
        SELECT year, inside,
          avg(CASE WHEN age BETWEEN 16 AND 64 THEN (NOT in_education AND
              employed_share + fte_barselsdagpenge < 0.5)::INT END) AS no_attachment,
          avg(CASE WHEN age BETWEEN 25 AND 64 AND education_level <> 'unknown'
              THEN (education_level = 'grundskole')::INT END) AS only_grundskole,
          avg(CASE WHEN age BETWEEN 16 AND 64 THEN ({temp} > 0.5)::INT END) AS temporary,
          avg(CASE WHEN age BETWEEN 16 AND 64 THEN aktivitetsparat::INT END) AS aktivitetsparat
        FROM persons JOIN addresses USING (address_id)
        GROUP BY ALL ORDER BY year, inside
        """
    ).df()


def life_table_e0(deaths: np.ndarray, exposure: np.ndarray) -> float:
    """Period life expectancy at birth from an abridged life table (Chiang's a = n/2, a0 = 0.1)."""
    widths = np.diff([*AGE_GROUPS, 110]).astype(np.float64)
    m = deaths / np.maximum(exposure, 1e-9)
    a = widths / 2
    a[0] = 0.1
    q = np.minimum(widths * m / (1 + (widths - a) * m), 1.0)
    q[-1] = 1.0
    survivors = np.concatenate([[1.0], np.cumprod(1 - q)[:-1]])
    lived = np.where(m > 0, survivors * q / np.maximum(m, 1e-12), survivors * widths)
    return float(lived.sum())


def life_expectancy(con: duckdb.DuckDBPyConnection, years: tuple[int, int]) -> pd.DataFrame:
    """e0 inside, outside and city-wide, pooling person-years and deaths over the given years."""
    last = len(AGE_GROUPS) - 1
    df = con.execute(
        f"""
        SELECT inside,
          CASE WHEN age = 0 THEN 0 WHEN age < 5 THEN 1 ELSE least(age // 5 + 1, {last}) END AS grp,
          sum(died::INT) AS deaths, sum(1 - 0.5 * died::INT) AS exposure
        FROM persons JOIN addresses USING (address_id)
        WHERE year BETWEEN {years[0]} AND {years[1]} GROUP BY ALL
        """
    ).df()
    rows = []
    for name, part in (("inside", df[df.inside]), ("outside", df[~df.inside]), ("city", df)):
        g = part.groupby("grp")[["deaths", "exposure"]].sum().reindex(range(len(AGE_GROUPS)))
        g = g.fillna(0.0)
        rows.append(
            {"group": name, "e0": life_table_e0(g.deaths.to_numpy(), g.exposure.to_numpy())}
        )
    return pd.DataFrame(rows)


def survey_safety(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Weighted share feeling safe by day and at night: city, by bydel, by 2017 policy unit."""
    return con.execute(
        """
        SELECT year, 'bydel' AS level, a.bydel AS unit,
          sum(weight * feels_safe_day::INT) / sum(CASE WHEN feels_safe_day IS NOT NULL
            THEN weight END) AS day,
          sum(weight * feels_safe_night::INT) / sum(CASE WHEN feels_safe_night IS NOT NULL
            THEN weight END) AS night, count(*) AS n
        FROM survey s JOIN addresses a USING (address_id) GROUP BY ALL
        UNION ALL
        SELECT year, 'policy_unit', a.policy_unit,
          sum(weight * feels_safe_day::INT) / sum(CASE WHEN feels_safe_day IS NOT NULL
            THEN weight END),
          sum(weight * feels_safe_night::INT) / sum(CASE WHEN feels_safe_night IS NOT NULL
            THEN weight END), count(*)
        FROM survey s JOIN addresses a USING (address_id) WHERE a.inside GROUP BY ALL
        UNION ALL
        SELECT year, 'city', 'city',
          sum(weight * feels_safe_day::INT) / sum(CASE WHEN feels_safe_day IS NOT NULL
            THEN weight END),
          sum(weight * feels_safe_night::INT) / sum(CASE WHEN feels_safe_night IS NOT NULL
            THEN weight END), count(*)
        FROM survey GROUP BY ALL
        """
    ).df()


def small_units(x: np.ndarray, y: np.ndarray, weight: np.ndarray, depth: int = 9) -> np.ndarray:
    """Split points into 2**depth units of equal weight by recursive median cuts (a k-d tree).

    Each round sorts by (unit, coordinate) and cuts every unit at its weighted median along its
    wider axis: vectorised, deterministic, and close to the real 'roder' (~1,300 residents each).
    """
    unit = np.zeros(len(x), dtype=np.int64)
    for _ in range(depth):
        n_units = int(unit.max()) + 1
        xmin = np.full(n_units, np.inf)
        xmax = np.full(n_units, -np.inf)
        ymin, ymax = xmin.copy(), xmax.copy()
        np.minimum.at(xmin, unit, x)
        np.maximum.at(xmax, unit, x)
        np.minimum.at(ymin, unit, y)
        np.maximum.at(ymax, unit, y)
        coord = np.where((xmax - xmin >= ymax - ymin)[unit], x, y)
        order = np.lexsort((coord, unit))
        w = weight[order].astype(np.float64)
        total = np.bincount(unit, weight, n_units)
        start = np.concatenate([[0.0], np.cumsum(total)[:-1]])
        within = np.cumsum(w) - start[unit[order]]
        upper = within > total[unit[order]] / 2
        new = np.empty_like(unit)
        new[order] = unit[order] * 2 + upper
        unit = new
    return unit


def small_area_shares(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """The real 'roder' indicators over ~512 synthetic units of ~1,300 residents (one year).

    pct_ingen_udd: 16-64 with grundskole or unknown education and not in education;
    pct_lav_indkomst: 18+ with gross income at least 25 % below the city median of 18+;
    pct_ikke_vestlig: non-Western immigrants and descendants of all residents;
    working_population_pct: 16-64 not without attachment (employed, on leave or in education).
    """
    per_address = con.execute(
        f"""
        WITH p AS (SELECT * FROM persons WHERE year = {year}),
        med AS (SELECT median(gross_income) AS m FROM p WHERE age >= 18)
        SELECT address_id, any_value(a.x) AS x, any_value(a.y) AS y, count(*) AS residents,
          sum((age BETWEEN 16 AND 64)::INT) AS n1664,
          sum((age BETWEEN 16 AND 64 AND NOT in_education
               AND education_level IN ('grundskole', 'unknown'))::INT) AS ingen,
          sum((age >= 18)::INT) AS n18, sum((age >= 18 AND gross_income <= 0.75 * m)::INT) AS lav,
          sum((origin LIKE '%nonwestern')::INT) AS ikke_vestlig,
          sum((age BETWEEN 16 AND 64 AND (in_education OR
               employed_share + fte_barselsdagpenge >= 0.5))::INT) AS working
        FROM p JOIN addresses a USING (address_id), med GROUP BY address_id
        """
    ).df()
    unit = small_units(
        per_address.x.to_numpy(), per_address.y.to_numpy(), per_address.residents.to_numpy()
    )
    g = per_address.groupby(unit).sum(numeric_only=True)
    return pd.DataFrame(
        {
            "residents": g.residents,
            "pct_ingen_udd": 100 * g.ingen / g.n1664,
            "pct_lav_indkomst": 100 * g.lav / g.n18,
            "pct_ikke_vestlig": 100 * g.ikke_vestlig / g.residents,
            "working_population_pct": 100 * g.working / g.n1664,
        }
    )


SPREAD_COLUMNS = ("pct_ingen_udd", "pct_lav_indkomst", "pct_ikke_vestlig", "working_population_pct")


def spread_comparison(synthetic: pd.DataFrame, real: pd.DataFrame) -> pd.DataFrame:
    """10th/50th/90th percentiles across units, real vs synthetic, per indicator."""
    rows = []
    for col in SPREAD_COLUMNS:
        for q in (0.1, 0.5, 0.9):
            r, s = real[col].dropna().quantile(q), synthetic[col].dropna().quantile(q)
            rows.append({"indicator": col, "percentile": int(q * 100), "real": r, "synthetic": s})
    out = pd.DataFrame(rows)
    out["difference"] = out.synthetic - out.real
    return out


def real_roder(path: Path, year: int = 2013, min_residents: int = 300) -> pd.DataFrame:
    """The real 396 units (KK open data) for one year, units of at least min_residents."""
    d = pd.read_csv(path)
    return d[(d.year == year) & (d.number_residents >= min_residents)]
