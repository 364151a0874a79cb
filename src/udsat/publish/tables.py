"""What each table udsat publishes holds: one declaration per table, used by every output that
carries it (the command's CSV/Excel, the demo's tables, the report site's downloads and pages).

A table published in two places is protected by the same spec in both, so the copies agree.
"""

from __future__ import annotations

from udsat.publish.policy import NO_PEOPLE, TableSpec, counts_table, units_table

# Residents and movements of the whole dataset or of a layer's units, per year.
OVERVIEW = counts_table(
    "residents",
    "households",
    "inhabited_addresses",
    "aged_0",
    "deaths_during_year",
    "moved_since_last_year",
)
RESIDENTS = counts_table("residents")

# The state's lists (udsat.statelists): a row per housing area and list year. Where an area has
# 1-4 residents, every figure about its people is blanked; thresholds (national references) and
# the lists themselves (no area under 1,000 residents is listed) stay.
STATE_LISTS = units_table(
    "residents",
    about=(
        "*_value",
        "*_met",
        "*_margin_pp",
        "*_margin_people",
        "criteria_met",
        "criteria_met_fb",
        "reason_codes",
        "reasons",
        "reasons_en",
    ),
)


def neighbourhoods(columns: list[str]) -> TableSpec:
    """Bespoke neighbourhoods (udsat.neighbourhoods): per origin and k, `<variable>_k<k>` counts
    people of the ~k nearest, `<variable>_share_k<k>` is that count's share. A count of 1-4 is
    blanked with its share; `people_k<k>` (about k) and `radius_k<k>` are not small cells."""
    counts, rates = [], []
    for column in columns:
        stem, sep, k = column.rpartition("_k")
        if not sep or not k.isdigit() or stem in ("people", "radius"):
            continue
        if stem.endswith("_share"):
            rates.append((column, f"{stem.removesuffix('_share')}_k{k}", ""))
        elif not stem.endswith(("_mean", "_median")):
            counts.append(column)
    not_counts = {
        c: "the ~k nearest residents of a neighbourhood (k >= 100), never a small cell"
        for c in columns
        if c.startswith("people_k") or c == "people"
    }
    return TableSpec("rates", counts=tuple(counts), rates=tuple(rates), not_counts=not_counts)


# Areas of adjacent flagged cells (udsat.neighbourhoods.cluster): each of at least 1,000 residents.
NEIGHBOURHOOD_AREAS = units_table("residents")

# The screening's units: where a unit's own people make its figures (a layer of polygons),
# those figures go with a unit of 1-4 residents; cell units carry their neighbourhood's figures.
_UNIT_FIGURES = ("*_value", "*_ratio", "*_z", "*_flag", "composite")
_NEIGHBOURHOOD = {
    "neighbourhood_residents": "about k people around the unit (fractional at the k-th ring)",
}


def screening_units(own_values: bool) -> TableSpec:
    """The screening's unit table; `own_values`: the figures are the unit's own people's."""
    about = tuple(c for c in _UNIT_FIGURES if own_values)
    return units_table("residents", about=about, not_counts=_NEIGHBOURHOOD)


SCREENING_AREAS = units_table(
    "residents", about=("criteria*", "composite", "explanation_*", "stability")
)
SCREENING_COMPARISON = counts_table("residents", "overlap_residents")

# Goal monitoring: rates with their numerator and denominator.
MONITORING_SERIES = TableSpec(
    "rates",
    counts=("numerator", "denominator"),
    rates=(
        ("value", "numerator", "denominator"),
        ("ci_low", "numerator", "denominator"),
        ("ci_high", "numerator", "denominator"),
    ),
)
# The area profiles' criteria: the screening's indicators per designated area and for the city
# per year (udsat.pipeline.area_indicator_series), rates with their numerator and denominator.
AREA_INDICATORS = MONITORING_SERIES
# One area profile's figures (the report's data/profiler/*.csv): those rates with the city's value
# beside them and the ratio to it, which goes with the area's value.
AREA_PROFILE = TableSpec(
    "rates",
    counts=("numerator", "denominator"),
    rates=(
        ("value", "numerator", "denominator"),
        ("ci_low", "numerator", "denominator"),
        ("ci_high", "numerator", "denominator"),
        ("ratio", "numerator", "denominator"),
    ),
)
MONITORING_STATUS = NO_PEOPLE  # gaps between group rates of thousands of residents
MONITORING_GAPS = NO_PEOPLE
INITIATIVES = NO_PEOPLE

# The early warning: a row per housing area; probabilities and distances rest on its residents.
# The early warning's backtest: Brier scores, coverage and counts of area-years (housing areas x
# list years), never of people; its forecasts per area are not published.
BACKTEST = NO_PEOPLE
EARLY_WARNING = units_table(
    "residents", about=("p_*", "people_to_*", "expected_*", "q??_*", "*_value", "*_margin*")
)

# The report's map layers and per-area resident counts (secondary suppression done upstream).
DESIGNATED_AREAS = SCREENING_AREAS
HOUSING_AREAS = units_table("residents", about=())
AREA_RESIDENTS = RESIDENTS
