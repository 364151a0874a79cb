"""Shared builders for the statelists tests: one readable area row with every criterion 'safe'."""

from __future__ import annotations

import pandas as pd

SAFE = {
    "outside_pct": 10.0,
    "outside_latest_pct": 10.0,
    "convicted_pct": 0.5,
    "national_convicted_pct": 1.0,
    "basic_edu_pct": 20.0,
    "income_pct_of_region": 90.0,
    "nonwestern_pct": 10.0,
}


def area(year: int = 2023, area_id: str = "a1", name: str = "Testparken", **values) -> dict:
    row = {
        "list_year": year,
        "area_id": area_id,
        "area_name": name,
        "municipality": "København",
        "residents": 2000,
        **SAFE,
    }
    row.update(values)
    return row


def figures(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))
