"""What every column of the site's downloads holds: its Danish and English header, its unit and
its Excel number format (the data dictionary), in one place.

The downloads themselves are written by the publication layer (udsat.publish.writers): CSV for
Danish Excel (UTF-8 with BOM, ';', decimal comma; read back with `read_danish_csv`), one workbook
with a sheet per table, the areas as GeoPackage; all byte-identical for the same tables. The CSV
files keep the columns' ids (stable, for scripts); the workbook shows the Danish headers, and
both come with the dictionary (`kolonner.csv`, the workbook's first sheet).

Units are per table: the state's lists hold percentages (0-100, as the law states its
thresholds), the screening and the goals shares (0-1); the dictionary says which, and Excel
shows both as percent.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

import pandas as pd

# Units: what a number means, its words and its Excel number format.
UNITS: dict[str, tuple[str, str, str]] = {
    # unit: (Danish, English, Excel number format)
    "pct": ("procent (0-100)", "percent (0-100)", '0.0" %"'),
    "share": ("andel (0-1), vist som procent", "share (0-1), shown as percent", "0.0%"),
    "prob": ("sandsynlighed (0-1), vist som procent", "probability (0-1), as percent", "0.0%"),
    "pp": ("procentpoint", "percentage points", '0.0" pp"'),
    "count": ("antal personer", "number of people", "#,##0"),
    "number": ("tal", "number", "#,##0"),
    "people": ("personer (+ over, - under grænsen)", "people (+ above, - below)", "#,##0"),
    "year": ("år", "year", "0"),
    "ratio": ("forhold til byen (1 = byens niveau)", "ratio to the city (1 = city level)", "0.00"),
    "score": ("standardiseret værdi", "standardised score", "0.00"),
    "value": ("enheden står i målets række", "unit given in the goal's row", "0.0##"),
    "flag": ("ja/nej", "yes/no", "General"),
    "text": ("tekst", "text", "@"),
    "rank": ("rang (1 = størst risiko)", "rank (1 = highest risk)", "0"),
    "dkk": ("kroner", "kroner (DKK)", '#,##0" kr."'),
}

# Markers of the site's tables and what an empty cell in a download means.
MARKERS: dict[str, tuple[str, str]] = {
    "..": (
        "Udeladt: tallet bygger på færre end {limit} personer (diskretionering).",
        "Suppressed: the figure rests on fewer than {limit} people (disclosure control).",
    ),
    ".": (
        "Ikke relevant: kriteriet eller listen gælder ikke det år eller det område.",
        "Not applicable: the criterion or list does not apply that year or to that area.",
    ),
    "i.o.": (
        "Ikke oplyst: data mangler (ingen kilde for året).",
        "No data: no source for the year.",
    ),
}


@dataclass(frozen=True)
class Column:
    da: str
    en: str
    unit: str


def _c(da: str, en: str, unit: str = "text") -> Column:
    return Column(da, en, unit)


# Columns every table may hold.
COMMON: dict[str, Column] = {
    "area_id": _c("områdeid", "area id"),
    "area_name": _c("område", "area"),
    "name": _c("navn", "name"),
    "kind": _c("type", "kind"),
    "residents": _c("beboere", "residents", "count"),
    "year": _c("år", "year", "year"),
    "list_year": _c("listeår (1. december)", "list year (1 December)", "year"),
    "rule_set": _c("regelsæt", "rule set"),
    "municipality": _c("kommune", "municipality"),
    "housing_area_id": _c("boligområdeid", "housing area id"),
    "status": _c("status", "status"),
    "suppressed": _c(
        "udeladte kolonner (tal for færre end 5 personer)",
        "suppressed columns (figures for fewer than 5 people)",
    ),
    "reason_da": _c("begrundelse", "reason (Danish)"),
    "reason_en": _c("begrundelse (engelsk)", "reason"),
    "note": _c("note", "note"),
}

# Per table (the file name without suffix): exact ids and fnmatch patterns.
TABLES: dict[str, dict[str, Column]] = {
    "udsatte_byomraader": {
        "criteria_flagged": _c("kriterier over grænsen", "criteria above the limit", "number"),
        "criteria": _c("kriterier", "criteria"),
        "composite": _c("samlet mål", "composite score", "score"),
        "explanation_da": _c("begrundelse", "explanation (Danish)"),
        "explanation_en": _c("begrundelse (engelsk)", "explanation"),
        "stability": _c("stabilitet", "stability"),
    },
    "boligomraader": {},
    "beboere_pr_omraade": {},
    "statens_lister": {
        "residents_ok": _c("mindst 1.000 beboere", "at least 1,000 residents", "flag"),
        "residents_reference": _c("hjemmel (1.000 beboere)", "legal basis (1,000 residents)"),
        "criteria_met": _c(
            "kriterier opfyldt (udsat/parallelsamfund)",
            "criteria met (udsat/parallelsamfund)",
            "number",
        ),
        "criteria_met_fb": _c(
            "kriterier opfyldt (forebyggelse)", "criteria met (forebyggelse)", "number"
        ),
        "omdannelse_years_on_list": _c(
            "år på listen (omdannelse)", "years on the list (omdannelse)", "number"
        ),
        "omdannelse_history_missing": _c(
            "første år uden listehistorik", "first year without list history", "year"
        ),
        "reason_codes": _c("begrundelseskoder", "reason codes"),
        "reasons": _c("begrundelse", "reasons (Danish)"),
        "reasons_en": _c("begrundelse (engelsk)", "reasons"),
    },
    "screening_enheder": {
        "unit_id": _c("enhed", "unit"),
        "neighbourhood_residents": _c(
            "beboere i nabolaget", "residents of the neighbourhood", "count"
        ),
        "*_value": _c("{criterion}: værdi", "{criterion}: value", "share"),
        "*_city": _c("{criterion}: byens værdi", "{criterion}: the city's value", "share"),
        "*_ratio": _c("{criterion}: forhold til byen", "{criterion}: ratio to the city", "ratio"),
        "*_z": _c("{criterion}: standardiseret", "{criterion}: standardised", "score"),
        "*_flag": _c("{criterion}: over grænsen", "{criterion}: above the limit", "flag"),
        "criteria_available": _c("kriterier med data", "criteria with data", "number"),
        "criteria_flagged": _c("kriterier over grænsen", "criteria above the limit", "number"),
        "criteria": _c("kriterier", "criteria"),
        "criteria_required": _c("krævede kriterier", "criteria required", "number"),
        "composite": _c("samlet mål", "composite score", "score"),
        "meets_rule": _c("opfylder reglen", "meets the rule", "flag"),
        "vulnerable": _c("udsat", "vulnerable", "flag"),
        "rank": _c("rang", "rank", "rank"),
    },
    "maal_serier": {
        "indicator_id": _c("indikator", "indicator"),
        "subgoal": _c("delmål", "subgoal"),
        "group": _c("gruppe (område)", "group (area)"),
        "value": _c("værdi", "value", "value"),
        "ci_low": _c("nedre grænse (95 %)", "lower bound (95 %)", "value"),
        "ci_high": _c("øvre grænse (95 %)", "upper bound (95 %)", "value"),
        "numerator": _c("tæller", "numerator", "count"),
        "denominator": _c("nævner", "denominator", "count"),
    },
    "maal_status": {
        "indicator_id": _c("indikator", "indicator"),
        "subgoal": _c("delmål", "subgoal"),
        "label_da": _c("navn", "name (Danish)"),
        "label_en": _c("navn (engelsk)", "name"),
        "direction": _c("retning (bedre)", "direction (better)"),
        "unit": _c("enhed", "unit"),
        "baseline_year": _c("basisår", "baseline year", "year"),
        "latest_year": _c("seneste år", "latest year", "year"),
        "*_gap*": _c("{what}", "{what}", "value"),
        "trend_per_year": _c("udvikling pr. år", "trend per year", "value"),
        "projected_low": _c("fremskrivning nedre", "projection low", "value"),
        "projected_high": _c("fremskrivning øvre", "projection high", "value"),
    },
    "tidligt_varsel": {
        "risk_rank": _c("risikorang", "risk rank", "rank"),
        "residents_expected": _c("forventede beboere", "expected residents", "count"),
        "p_*": _c("sandsynlighed: {what}", "probability: {what}", "prob"),
        "expected_*": _c("forventet værdi: {what}", "expected value: {what}", "pct"),
        "threshold_*": _c("grænse: {what}", "threshold: {what}", "pct"),
        "q??_*": _c("{q}-fraktil: {what}", "{q} quantile: {what}", "pct"),
        "people_to_*": _c(
            "personer til grænsen: {what}", "people to the threshold: {what}", "people"
        ),
        "rule_set_announced": _c(
            "regelsæt vedtaget for listeåret", "rule set announced for the list year"
        ),
    },
    "indsatser": {
        "initiative_id": _c("indsats", "initiative"),
        "administration": _c("forvaltning", "administration"),
        "areas": _c("områder", "areas"),
        "goals": _c("mål", "goals"),
        "start_year": _c("startår", "start year", "year"),
        "end_year": _c("slutår", "end year", "year"),
        "description": _c("beskrivelse", "description"),
    },
}

_MEASURES = {
    "_value": ("værdi", "value", "pct"),
    "_threshold": ("grænse", "threshold", "pct"),
    "_met": ("opfyldt", "met", "flag"),
    "_margin_pp": ("afstand til grænsen", "distance to the threshold", "pp"),
    "_margin_people": ("afstand i personer", "distance in people", "people"),
    "_reference": ("hjemmel", "legal basis", "text"),
}
_GAPS = {
    "baseline_gap": ("afstand i basisåret", "gap in the baseline year"),
    "latest_gap": ("afstand seneste år", "gap in the latest year"),
    "target_gap_2035": ("mål for afstanden 2035", "target gap 2035"),
    "projected_gap_2035": ("fremskrevet afstand 2035", "projected gap 2035"),
}


def _criterion(key: str) -> tuple[str, str]:
    """A criterion of the law in words: "kriterium 1 (...)" for the numbered ones."""
    from udsat.statelists.rules import law

    da, en = law().criterion_short(key, "da"), law().criterion_short(key, "en")
    if da[:1].isdigit():
        return f"kriterium {da}", f"criterion {en}"
    return da, en


def _split_tier(stem: str) -> tuple[str, str, str]:
    """A criterion id with a tier's suffix (c1_outside_fb): the id and the tier's name in
    Danish and English, as " (forebyggelse)" ("" for the udsat tier)."""
    from udsat.statelists.rules import law

    the_law = law()
    for tier, tail in the_law.tier_suffixes().items():
        if tail and stem.endswith(tail):
            label = the_law.file.tiers[tier]
            return stem.removesuffix(tail), f" ({label.label_da})", f" ({label.label_en})"
    return stem, "", ""


def _law_column(column: str) -> Column | None:
    """The state's lists' law-derived columns: <criterion>[<tier>]<measure>, <list>,
    <list>_reference."""
    from udsat.statelists.rules import law

    the_law = law()
    for key in the_law.list_keys():
        if column == key:
            return _c(the_law.list_name(key, "da"), the_law.list_name(key, "en"), "flag")
        if column == f"{key}_reference":
            return _c(f"hjemmel: {the_law.list_name(key, 'da')}",
                      f"legal basis: {the_law.list_name(key, 'en')}")  # fmt: skip
    for suffix, (da, en, unit) in _MEASURES.items():
        if not column.endswith(suffix):
            continue
        stem, tier_da, tier_en = _split_tier(column.removesuffix(suffix))
        if stem in the_law.criteria_keys():
            name_da, name_en = _criterion(stem)
            return _c(f"{name_da}{tier_da}: {da}", f"{name_en}{tier_en}: {en}", unit)
    return None


# The early warning's columns under other rules than those in force (udsat.warning.model).
_SCENARIOS = {
    "_announced": ("vedtagne regler, ikke i kraft endnu", "announced rules, not yet in force"),
    "_amended": ("ændringsforslaget", "the amendment"),
}
# The references of the forecast year, forecast with the areas' figures (udsat.warning.model).
_REFERENCES = {
    "national_convicted_pct": (
        "landsandel dømte (kriterium 2's grænse er et multiplum af den)",
        "national share convicted (criterion 2's threshold is a multiple of it)",
        "pct",
    ),
    "region_income_dkk": (
        "regionens gennemsnitsindkomst (kriterium 4's reference)",
        "the region's mean income (criterion 4's reference)",
        "dkk",
    ),
}


def _reference_columns() -> dict[str, Column]:
    out = {}
    for column, (da, en, unit) in _REFERENCES.items():
        out[f"expected_{column}"] = _c(f"forventet {da}", f"expected {en}", unit)
        for q in (5, 25, 75, 95):
            out[f"q{q:02d}_{column}"] = _c(f"{q} %-fraktil: {da}", f"{q} % quantile: {en}", unit)
    return out


def _what(rest: str) -> tuple[str, str]:
    """A criterion or list id inside a warning or screening column, in words."""
    from udsat.report.messages import MESSAGES
    from udsat.statelists.rules import law

    the_law = law()
    for suffix, (da, en) in _SCENARIOS.items():
        if rest.endswith(suffix):
            name_da, name_en = _what(rest.removesuffix(suffix))
            return f"{name_da} ({da})", f"{name_en} ({en})"
    if rest in the_law.list_keys():
        return the_law.list_name(rest, "da"), the_law.list_name(rest, "en")
    if rest == "any_list":
        return "en af listerne", "any list"
    stem, tier_da, tier_en = _split_tier(rest)
    if stem in the_law.criteria_keys():
        name_da, name_en = _criterion(stem)
        return name_da + tier_da, name_en + tier_en
    crit = MESSAGES.get(f"crit_{rest}")
    if crit:
        return crit["da"], crit["en"]
    return rest, rest


TABLES["tidligt_varsel"].update(_reference_columns())


def describe(table: str, column: str) -> Column:
    """The dictionary's entry for `column` of download `table` (the id itself when unknown)."""
    own = TABLES.get(table, {})
    if column in own:
        return own[column]
    if column in COMMON:
        return COMMON[column]
    if table == "statens_lister":
        found = _law_column(column)
        if found is not None:
            return found
    for pattern, entry in own.items():
        if "*" not in pattern and "?" not in pattern:
            continue
        if not fnmatch.fnmatchcase(column, pattern):
            continue
        head, tail = pattern.split("*")[0], pattern.split("*")[-1]
        rest = column[len(head) : len(column) - len(tail) if tail else None]
        if pattern == "q??_*":
            what_da, what_en = _what(column[4:])
            q = int(column[1:3])
            return _c(f"{q} %-fraktil: {what_da}", f"{q} % quantile: {what_en}", entry.unit)
        if pattern == "*_gap*":
            da, en = _GAPS.get(column, (column, column))
            return _c(da, en, entry.unit)
        what_da, what_en = _what(rest)
        return _c(
            entry.da.format(criterion=what_da, what=what_da),
            entry.en.format(criterion=what_en, what=what_en),
            entry.unit,
        )
    return _c(column, column, "text")


def headers(table: str, frame: pd.DataFrame, lang: str = "da") -> dict[str, str]:
    """Column id -> header in `lang` for a download table."""
    return {str(c): getattr(describe(table, str(c)), lang) for c in frame.columns}


def number_formats(table: str, frame: pd.DataFrame) -> dict[str, str]:
    """Column id -> Excel number format of a download table (numeric columns only)."""
    out = {}
    for c in frame.columns:
        unit = describe(table, str(c)).unit
        if unit not in ("text", "flag") and pd.api.types.is_numeric_dtype(frame[c]):
            out[str(c)] = UNITS[unit][2]
    return out


def dictionary(tables: dict[str, pd.DataFrame], lang: str = "da") -> pd.DataFrame:
    """One row per column of every download: file, column id, header, unit (the data dictionary
    the workbook's first sheet and kolonner.csv hold)."""
    rows = []
    for name, frame in tables.items():
        for c in frame.columns:
            entry = describe(name, str(c))
            rows.append(
                {
                    "fil": f"{name}.csv",
                    "kolonne": str(c),
                    "overskrift": entry.da,
                    "heading_en": entry.en,
                    "enhed": UNITS[entry.unit][0],
                    "unit_en": UNITS[entry.unit][1],
                }
            )
    return pd.DataFrame(rows)


def markers(limit: int) -> pd.DataFrame:
    """The site's markers and what an empty download cell means."""
    return pd.DataFrame(
        [
            {"tegn": mark, "betydning": da.format(limit=limit), "meaning": en.format(limit=limit)}
            for mark, (da, en) in MARKERS.items()
        ]
    )


def marks(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The marker of each empty number cell of a download (see MARKERS; "" elsewhere), for the
    workbook: ".." where the disclosure policy blanked it (the row's `suppressed` column names
    it), "." where it does not apply (a criterion or list not in force that year: its threshold
    is empty; a column empty in every row), "i.o." where a figure has no data. The CSV keeps
    empty cells (for scripts) beside the same `suppressed` column."""
    out = pd.DataFrame("", index=frame.index, columns=frame.columns, dtype=object)
    blanked = (
        frame["suppressed"].fillna("").astype(str).str.split(";")
        if "suppressed" in frame
        else pd.Series([[]] * len(frame), index=frame.index)
    )
    for column in frame.columns:
        values = frame[column]
        empty = values.isna()
        numeric = pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)
        numeric = numeric or bool(values[~empty].map(lambda v: isinstance(v, bool)).all())
        if not numeric and not empty.all():
            continue
        if not empty.any():
            continue
        mark = pd.Series("i.o.", index=frame.index, dtype=object)
        threshold = _threshold_of(table, str(column))
        if empty.all() or _empty_means_not_in_force(table, str(column)):
            mark[:] = "."
        elif threshold is not None and threshold in frame:
            mark = mark.mask(frame[threshold].isna(), ".")
        mark = mark.mask(blanked.map(lambda cols, c=str(column): c in cols), "..")
        out[column] = mark.where(empty, "")
    return out


def _empty_means_not_in_force(table: str, column: str) -> bool:
    """A list's flag or a tier's count of criteria met: empty only where the list or tier was
    not in force that year."""
    from udsat.statelists.rules import law

    listed = column in law().list_keys() or column.startswith("criteria_met")
    return table == "statens_lister" and listed


def _threshold_of(table: str, column: str) -> str | None:
    """The threshold column whose emptiness means `column` does not apply that year."""
    if table == "statens_lister":
        for suffix in _MEASURES:
            if column.endswith(suffix) and suffix != "_value":
                return column.removesuffix(suffix) + "_threshold"
    if table == "tidligt_varsel":
        for head in ("expected_", "people_to_", "threshold_"):
            if column.startswith(head):
                return "threshold_" + column.removeprefix(head)
    return None


# What each download describes, in the words of the area sets (messages set_*): the same words
# as the pages' tables and charts.
DESCRIBES: dict[str, str] = {
    "udsatte_byomraader": "set_screening",
    "beboere_pr_omraade": "set_screening",
    "screening_enheder": "set_units",
    "boligomraader": "set_lists",
    "statens_lister": "set_lists_all",
    "tidligt_varsel": "set_risk",
    "maal_serier": "set_policy",
    "maal_status": "set_policy",
    "indsatser": "set_plan",
    "kolonner": "set_dictionary",
    "tegn": "set_markers",
}


def describes(table: str, lang: str, *, year: int, policy_areas: int) -> str:
    """The area set (or content) download `table` describes, in `lang` ("" when unknown)."""
    from udsat.report.messages import msg

    key = DESCRIBES.get(table)
    if key is None:
        return ""
    return msg(key, lang, year=year + 1 if key == "set_risk" else year, n=policy_areas)
