"""Report bundles for the tests, built from the real synthetic city.

What udsat computes today (the state's lists, housing areas, residents per designated area and
city, initiatives, bydele) comes from `bundle_from_dataset`. Screening, monitoring and early
warning are still being built by other helpers, so this module computes fixtures in exactly their
interface's shape from the same persons (real SQL over the city, not invented numbers).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd

from udsat.contract.dataset import Dataset, open_dataset
from udsat.geo import assign_points
from udsat.report import ReportBundle, bundle_from_dataset

HOSTILE_AREA = "<script>alert(1)</script>"
HOSTILE_HOUSING = '"><img src=x onerror=alert(1)>'
HOSTILE_INITIATIVE = "<img src=y onerror=alert(3)>Indsats"
HOSTILE_ID = 'x"><svg onload=alert(2)>'

# Per person: (criterion, population filter, "bad" condition); shares of the filtered persons.
CRITERIA_SQL = {
    "income": ("age >= 18", "gross_income < 150000"),
    "education": ("age BETWEEN 30 AND 59", "education_level = 'grundskole'"),
    "labour": ("age BETWEEN 18 AND 64", "employed_share < 0.5"),
    "youth": ("age BETWEEN 25 AND 29", "NOT youth_education_completed"),
    "health": ("age >= 16", "chronic_disease"),
    "safety": ("age >= 15", "convictions_straffeloven > 0"),
}
GOALS = {  # indicator -> (label da, label en, criterion of CRITERIA_SQL)
    "employment": ("Andel uden for beskæftigelse", "Share outside employment", "labour"),
    "youth_education": ("Andel unge uden ungdomsuddannelse", "Young without education", "youth"),
    "health": ("Andel med kronisk sygdom", "Share with chronic disease", "health"),
}


@dataclass
class ScreeningFixture:
    year: int
    config: str
    units: pd.DataFrame
    unit_geometry: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    comparison: pd.DataFrame | None
    summary_da: str


@dataclass
class MonitoringFixture:
    series: pd.DataFrame
    status: pd.DataFrame
    initiatives: pd.DataFrame


def _unit_shares(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, layer: str, year: int | None = None
) -> pd.DataFrame:
    """numerator, denominator per unit of `layer`, year and criterion (one scan of persons)."""
    units = dataset.read_geo(f"units/{layer}")
    addresses = con.sql("SELECT address_id, x, y FROM addresses ORDER BY address_id").df()
    addresses["unit_id"] = assign_points(
        addresses["x"].to_numpy(), addresses["y"].to_numpy(), units, "unit_id"
    ).to_numpy()
    con.register("fixture_units", addresses[["address_id", "unit_id"]])
    columns = ", ".join(
        f"count(*) FILTER (WHERE ({pop}) AND ({bad})) AS num_{crit}, "
        f"count(*) FILTER (WHERE {pop}) AS den_{crit}"
        for crit, (pop, bad) in CRITERIA_SQL.items()
    )
    where = f"WHERE p.year = {year}" if year is not None else ""
    wide = con.sql(
        f"""SELECT coalesce(u.unit_id, 'rest') AS unit_id, p.year, {columns}
        FROM persons p JOIN fixture_units u USING (address_id) {where} GROUP BY ALL"""
    ).df()
    con.unregister("fixture_units")
    frames = [
        wide[["unit_id", "year"]].assign(
            criterion=crit, numerator=wide[f"num_{crit}"], denominator=wide[f"den_{crit}"]
        )
        for crit in CRITERIA_SQL
    ]
    frame = pd.concat(frames, ignore_index=True)
    frame["unit_id"] = frame["unit_id"].astype(str)
    return frame


def screening_fixture(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, base: ReportBundle
) -> ScreeningFixture:
    """Kvarterer as units with the six criteria; the 2017 areas as designated areas."""
    year = base.year
    shares = _unit_shares(con, dataset, "kvarterer", year)
    now = shares[(shares["year"] == year) & (shares["unit_id"] != "rest")]
    wide = now.pivot_table(
        index="unit_id", columns="criterion", values=["numerator", "denominator"]
    )
    units = pd.DataFrame({"unit_id": wide.index.astype(str)})
    city = now.groupby("criterion")[["numerator", "denominator"]].sum()
    flags = []
    for crit in CRITERIA_SQL:
        value = (wide["numerator"][crit] / wide["denominator"][crit]).to_numpy()
        ratio = value / (city.loc[crit, "numerator"] / city.loc[crit, "denominator"])
        units[f"{crit}_value"], units[f"{crit}_ratio"] = value, ratio
        units[f"{crit}_flag"] = ratio >= 1.5
        flags.append(units[f"{crit}_flag"])
    units["residents"] = (wide["denominator"]["income"].to_numpy()).astype(int)
    units["criteria_flagged"] = np.sum(flags, axis=0)
    units["composite"] = units[[f"{c}_ratio" for c in CRITERIA_SQL]].mean(axis=1)
    units["vulnerable"] = units["criteria_flagged"] >= 2
    units["note"] = "fixture"
    geometry = dataset.read_geo("units/kvarterer")[["unit_id", "name", "geometry"]]
    geometry["unit_id"] = geometry["unit_id"].astype(str)
    areas = base.screening.areas.copy()
    areas["criteria_flagged"] = 2
    areas["criteria"] = "labour;youth"
    areas["explanation_da"] = "Beskæftigelse og unges uddannelse over grænsen."
    areas["explanation_en"] = "Employment and youth education beyond the threshold."
    areas["stability"] = 0.8
    return ScreeningFixture(year, "fixture", units, geometry, areas, None, "fixture")


def monitoring_fixture(con: duckdb.DuckDBPyConnection, dataset: Dataset) -> MonitoringFixture:
    """Goal series for the 2017 areas ("udsat"), the rest and each area; status per goal."""
    shares = _unit_shares(con, dataset, "udsatte_byomraader_2017")
    rows = []
    for ind, (_, _, crit) in GOALS.items():
        part = shares[shares["criterion"] == crit]
        inside = part[part["unit_id"] != "rest"]
        grouped = {
            "udsat": inside.groupby("year")[["numerator", "denominator"]].sum(),
            "rest": part[part["unit_id"] == "rest"].set_index("year")[["numerator", "denominator"]],
        }
        for area, frame in inside.groupby("unit_id"):
            grouped[str(area)] = frame.set_index("year")[["numerator", "denominator"]]
        for group, frame in grouped.items():
            p = frame["numerator"] / frame["denominator"]
            se = np.sqrt(p * (1 - p) / frame["denominator"])
            rows.append(
                pd.DataFrame(
                    {
                        "indicator_id": ind,
                        "subgoal": "1",
                        "year": frame.index.astype(int),
                        "group": group,
                        "value": p.to_numpy(),
                        "ci_low": (p - 1.96 * se).to_numpy(),
                        "ci_high": (p + 1.96 * se).to_numpy(),
                        "numerator": frame["numerator"].to_numpy(),
                        "denominator": frame["denominator"].to_numpy(),
                    }
                )
            )
    series = pd.concat(rows, ignore_index=True)
    return MonitoringFixture(series, goal_status(series), pd.DataFrame())


def goal_status(series: pd.DataFrame) -> pd.DataFrame:
    """Gap (udsat - rest) per goal: baseline, latest, linear trend projected to 2035."""
    out = []
    for ind, (da, en, _) in GOALS.items():
        s = series[series["indicator_id"] == ind]
        gap = (
            s[s["group"] == "udsat"].set_index("year")["value"]
            - s[s["group"] == "rest"].set_index("year")["value"]
        ).sort_index()
        slope, intercept = np.polyfit(gap.index, gap.to_numpy(), 1)
        resid = gap.to_numpy() - (slope * gap.index + intercept)
        spread = 1.96 * float(np.std(resid)) * 2
        projected = float(slope * 2035 + intercept)
        target = float(gap.iloc[0]) / 2
        status = (
            "on_track"
            if projected <= target
            else ("at_risk" if projected - spread <= target else "off_track")
        )
        out.append(
            {
                "indicator_id": ind,
                "subgoal": "1",
                "label_da": da,
                "label_en": en,
                "direction": "higher_is_worse",
                "baseline_year": int(gap.index[0]),
                "baseline_gap": float(gap.iloc[0]),
                "latest_year": int(gap.index[-1]),
                "latest_gap": float(gap.iloc[-1]),
                "target_gap_2035": target,
                "trend_per_year": float(slope),
                "projected_gap_2035": projected,
                "projected_low": projected - spread,
                "projected_high": projected + spread,
                "status": status,
                "reason_da": f"Afstanden ændres {slope:+.4f} pr. år.",
                "reason_en": f"The gap changes {slope:+.4f} a year.",
            }
        )
    return pd.DataFrame(out)


def warnings_fixture(bundle: ReportBundle) -> pd.DataFrame:
    """Early-warning rows per housing area from the lists' own margins (logistic in pp)."""
    lists = bundle.lists_of_year
    out = pd.DataFrame(
        {
            "housing_area_id": lists["area_id"].astype(str),
            "name": lists["area_name"].astype(str),
            "residents": lists["residents"],
        }
    )
    for crit in ("c1_outside", "c2_convicted", "c3_education", "c4_income"):
        out[f"p_{crit}"] = 1 / (1 + np.exp(-lists[f"{crit}_margin_pp"].fillna(-50) / 3))
        out[f"people_to_{crit}"] = lists[f"{crit}_margin_people"]
    probs = out[[c for c in out if c.startswith("p_c")]]
    out["p_udsat"] = probs.mean(axis=1)
    out["p_parallelsamfund"] = out["p_udsat"] * 0.8
    out["p_forebyggelse"] = probs.max(axis=1)
    out["risk_rank"] = out["p_forebyggelse"].rank(ascending=False, method="first").astype(int)
    out["reason_da"] = "Tættest på grænsen for " + probs.idxmax(axis=1).str.removeprefix("p_")
    out["reason_en"] = "Closest to the threshold of " + probs.idxmax(axis=1).str.removeprefix("p_")
    return out


def full_bundle(data: Path, lang: str = "da") -> ReportBundle:
    """The real bundle of the city with screening, monitoring and warning fixtures."""
    dataset = open_dataset(data)
    dataset.validate()
    con = dataset.connect()
    base = bundle_from_dataset(dataset, con=con, lang=lang)
    return replace(
        base,
        screening=screening_fixture(con, dataset, base),
        monitoring=monitoring_fixture(con, dataset),
        warnings=warnings_fixture(base),
    )


def hostile_bundle(bundle: ReportBundle) -> ReportBundle:
    """The same bundle with script and markup in area, housing and initiative names and ids."""
    hostile = copy.deepcopy(bundle)
    areas = hostile.screening.areas
    first = str(areas.loc[0, "area_id"])
    areas.loc[0, "name"] = HOSTILE_AREA
    areas.loc[0, "area_id"] = HOSTILE_ID
    residents = hostile.residents_by_area
    residents.loc[residents["area_id"] == first, "area_id"] = HOSTILE_ID
    hostile.housing_areas.loc[0, "name"] = HOSTILE_HOUSING
    hostile.initiatives.loc[0, "name"] = HOSTILE_INITIATIVE
    hostile.state_lists.loc[
        hostile.state_lists["area_id"] == hostile.housing_areas.loc[0, "housing_area_id"],
        "area_name",
    ] = HOSTILE_HOUSING
    return hostile
