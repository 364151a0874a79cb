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

TEMPORARY = ["kontanthjaelp", "uddannelseshjaelp", "selvforsoergelse", "dagpenge", "sygedagpenge", "ressourceforloeb", "jobafklaring", "ledighedsydelse", "revalidering"]
LIST_BENEFITS = ("kontanthjaelp", "uddannelseshjaelp", "selvforsoergelse")
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
        rows.append({"group": name, "e0": life_table_e0(g.deaths.values, g.exposure.values)})
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
