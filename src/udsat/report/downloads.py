"""The Danish headers of the site's download workbook (a column not named keeps its id).

The downloads themselves are written by the publication layer (udsat.publish.writers): CSV for
Danish Excel (UTF-8 with BOM, ';', decimal comma; read back with `read_danish_csv`), one workbook
with a sheet per table, the areas as GeoPackage; all byte-identical for the same tables.
"""

from __future__ import annotations

# Danish headers for the workbook; a column not named here keeps its id.
HEADERS_DA = {
    "area_id": "områdeid",
    "area_name": "område",
    "name": "navn",
    "kind": "type",
    "residents": "beboere",
    "year": "år",
    "list_year": "listeår",
    "rule_set": "regelsæt",
    "criteria_flagged": "kriterier over grænsen",
    "criteria": "kriterier",
    "criteria_met": "kriterier opfyldt",
    "explanation_da": "begrundelse",
    "explanation_en": "begrundelse (engelsk)",
    "stability": "stabilitet",
    "housing_area_id": "boligområdeid",
    "status": "status",
    "municipality": "kommune",
    "reasons": "begrundelse",
    "reason_codes": "begrundelseskoder",
    "indicator_id": "indikator",
    "subgoal": "delmål",
    "group": "gruppe",
    "value": "værdi",
    "ci_low": "nedre grænse",
    "ci_high": "øvre grænse",
    "numerator": "tæller",
    "denominator": "nævner",
    "label_da": "navn",
    "label_en": "navn (engelsk)",
    "direction": "retning",
    "baseline_year": "basisår",
    "baseline_gap": "afstand basisår",
    "latest_year": "seneste år",
    "latest_gap": "afstand seneste år",
    "target_gap_2035": "mål for afstanden 2035",
    "trend_per_year": "udvikling pr. år",
    "projected_gap_2035": "fremskrevet afstand 2035",
    "projected_low": "fremskrivning nedre",
    "projected_high": "fremskrivning øvre",
    "reason_da": "begrundelse",
    "reason_en": "begrundelse (engelsk)",
    "risk_rank": "risikorang",
    "unit_id": "enhed",
    "composite": "samlet mål",
    "vulnerable": "udsat",
    "note": "note",
    "initiative_id": "indsats",
    "administration": "forvaltning",
    "areas": "områder",
    "goals": "mål",
    "start_year": "startår",
    "end_year": "slutår",
    "description": "beskrivelse",
    "figure": "nøgletal",
    "rest": "resten af byen",
    "city": "hele byen",
    "suppressed": "udeladt (tal for 1-4 personer)",
}


def headers_da() -> dict[str, str]:
    """HEADERS_DA with the state's lists named as the law names them (law file)."""
    from udsat.statelists.rules import law

    the_law = law()
    return {**HEADERS_DA, **{k: the_law.list_name(k, "da") for k in the_law.list_keys()}}
