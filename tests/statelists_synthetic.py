"""A small synthetic Denmark in the data contract's columns, built directly as pandas tables.

Areas get different levels of each criterion so that some are listed and some are not; persons
outside the areas live in several municipalities of two regions, so the national and regional
references are computed from the data.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from udsat.contract.schemas import BENEFIT_COLUMNS, CONVICTION_LAWS

MUNICIPALITIES = {101: "Hovedstaden", 147: "Hovedstaden", 461: "Syddanmark", 751: "Midtjylland"}


def _persons(rng, ids, addresses, year, level) -> pd.DataFrame:
    n = len(ids)
    age = rng.integers(0, 90, n)
    p = pd.DataFrame({"person_id": ids, "year": year, "address_id": addresses, "age": age})
    p["household_id"] = p["person_id"]
    p["sex"] = rng.choice(["m", "f"], n)
    nonwestern = rng.random(n) < 0.2 + 0.6 * level
    p["origin"] = np.where(nonwestern, "immigrant_nonwestern", "danish")
    basic = rng.random(n) < 0.2 + 0.5 * level
    p["education_level"] = np.where(basic, "grundskole", "erhvervsfaglig")
    p.loc[rng.random(n) < 0.03, "education_level"] = "unknown"
    p["education_danish_approved"] = np.where(
        p["education_level"] == "unknown", None, rng.random(n) > 0.05
    )
    p["in_education"] = rng.random(n) < 0.1
    for column in BENEFIT_COLUMNS:
        p[column] = 0.0
    on_benefit = rng.random(n) < 0.1 + 0.45 * level
    p["fte_kontanthjaelp"] = np.where(on_benefit, rng.choice([0.25, 0.5, 1.0], n), 0.0)
    p["fte_dagpenge"] = np.where(rng.random(n) < 0.1, 0.5, 0.0)
    p["aktivitetsparat"] = on_benefit
    p["employed_share"] = 1.0 - p["fte_kontanthjaelp"]
    p["gross_income"] = rng.gamma(4.0, 90_000 * (1.2 - level), n)
    p["taxpayer"] = rng.random(n) < 0.95
    for law in CONVICTION_LAWS:
        p[f"convictions_{law}"] = (rng.random(n) < (0.002 + 0.02 * level)).astype(int)
    p["youth_education_completed"] = ~basic
    p["child_in_poor_household"] = np.where(age < 18, False, None)
    p["chronic_disease"] = False
    p["died"] = False
    return p


def make_tables(seed: int = 7, n_areas: int = 12, others: int = 6000, years=(2022, 2023)):
    """persons, addresses, housing_areas for `years`; area i has level i / n_areas."""
    rng = np.random.default_rng(seed)
    codes = list(MUNICIPALITIES)
    areas = pd.DataFrame(
        {
            "housing_area_id": [f"HA{i:02d}" for i in range(n_areas)],
            "name": [f"Område {i}" for i in range(n_areas)],
            "municipality_code": [codes[i % len(codes)] for i in range(n_areas)],
        }
    )
    areas["municipality"] = areas["municipality_code"].astype(str)
    areas["region"] = areas["municipality_code"].map(MUNICIPALITIES)
    sizes = rng.integers(900, 1400, n_areas)
    address_rows, persons = [], []
    for i, (area_id, code, size) in enumerate(
        zip(areas["housing_area_id"], areas["municipality_code"], sizes, strict=True)
    ):
        address_rows.append((f"A{area_id}", area_id, code))
        ids = [f"{area_id}-{k}" for k in range(size)]
        for y, year in enumerate(years):
            keep = ids[: size - 20 * y]  # a few move out each year
            persons.append(_persons(rng, keep, f"A{area_id}", year, i / n_areas))
    for code in codes:
        address_rows.append((f"O{code}", None, code))
    other_ids = [f"X{k}" for k in range(others)]
    other_addr = [f"O{codes[k % len(codes)]}" for k in range(others)]
    for year in years:
        persons.append(_persons(rng, other_ids, other_addr, year, 0.05))
    addresses = pd.DataFrame(address_rows, columns=["address_id", "housing_area_id", "code"])
    addresses = addresses.rename(columns={"code": "municipality_code"})
    addresses["x"], addresses["y"] = 700_000.0, 6_170_000.0
    return pd.concat(persons, ignore_index=True), addresses, areas


def connect(tables) -> duckdb.DuckDBPyConnection:
    persons, addresses, areas = tables
    con = duckdb.connect()
    for name, df in (("persons", persons), ("addresses", addresses), ("housing_areas", areas)):
        con.register(name, df)
    return con
