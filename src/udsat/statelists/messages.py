"""User-facing messages of the statelists commands, Danish by default (UDSAT_LANG=en)."""

from __future__ import annotations

from udsat.i18n import render

MESSAGES: dict[str, dict[str, str]] = {
    "one_source": {
        "da": "Angiv præcis én af --data og --aggregate.",
        "en": "Give exactly one of --data and --aggregate.",
    },
    "suffix": {
        "da": "Ukendt filtype for --out: {suffix!r}; brug .csv, .parquet eller .xlsx.",
        "en": "Unknown file type for --out: {suffix!r}; use .csv, .parquet or .xlsx.",
    },
    "no_rows": {
        "da": "{path} har ingen rækker for listeåret {year}.",
        "en": "{path} has no rows for list year {year}.",
    },
    "region_income": {
        "da": "--region-income skal have formen REGION=KRONER, fik {text!r}.",
        "en": "--region-income must look like REGION=DKK, got {text!r}.",
    },
    "done": {
        "da": "Listerne for {year} ({rules}) skrevet til {path}: {areas} områder; {counts}.",
        "en": "The lists of {year} ({rules}) written to {path}: {areas} areas; {counts}.",
    },
    "changes": {
        "da": "Uden etnicitetskriteriet ville {n} områders status ændre sig: {names}.",
        "en": "Without the ethnicity criterion {n} areas would change status: {names}.",
    },
    "warning": {"da": "Advarsel: {text}", "en": "Warning: {text}"},
    "need_national": {
        "da": "Data rummer kun én kommune: angiv landsgennemsnittet for dømte "
        "(--national-convicted-pct) i stedet for at beregne det af disse data.",
        "en": "The data hold one municipality only: give the national conviction average "
        "(--national-convicted-pct) instead of computing it from these data.",
    },
    "need_region": {
        "da": "Data rummer kun én kommune: angiv regionens gennemsnitsindkomst "
        "(--region-income REGION=KRONER) i stedet for at beregne den af disse data.",
        "en": "The data hold one municipality only: give the region's mean income "
        "(--region-income REGION=DKK) instead of computing it from these data.",
    },
    "need_years": {
        "da": "Listeåret {year} kræver personrækker for årene {needed}; data dækker {span}.",
        "en": "List year {year} needs persons rows of the years {needed}; the data hold {span}.",
    },
    "p_not_number": {"da": "ikke et tal", "en": "not a number"},
    "p_outside": {"da": "uden for [{low}, {high}]", "en": "outside [{low}, {high}]"},
    "p_empty": {"da": "tom", "en": "empty"},
    "p_row_too_long": {
        "da": "linje {line} har {fields} felter, overskriften {header}: værdierne ud over "
        "overskriften ville gå tabt (et skilletegn for meget, eller et felt uden anførselstegn?)",
        "en": "line {line} has {fields} fields, the header {header}: the values beyond the "
        "header would be lost (a separator too many, or a field without quotes?)",
    },
    "p_duplicate": {
        "da": "mere end én række pr. list_year og area_id",
        "en": "more than one row per list_year and area_id",
    },
    "p_not_whole": {"da": "ikke et helt tal", "en": "not a whole number"},
    "p_column_missing": {"da": "kolonnen mangler", "en": "column missing"},
    "p_unknown_criterion": {
        "da": "tom: kriteriet er ukendt for disse rækker",
        "en": "empty: the criterion is unknown for these rows",
    },
    "p_year_and_name": {
        "da": "year skal være et helt tal og area_name udfyldt",
        "en": "year must be an integer and area_name set",
    },
    "p_row": {"da": "række {row}", "en": "row {row}"},
}


def msg(key: str, **values: object) -> str:
    return render(MESSAGES, key, **values)
