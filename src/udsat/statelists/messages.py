"""User-facing messages of the statelists commands, Danish by default (UDSAT_LANG=en)."""

from __future__ import annotations

from udsat.i18n import render

MESSAGES: dict[str, dict[str, str]] = {
    "one_source": {
        "da": "Angiv præcis én af --data og --aggregate.",
        "en": "Give exactly one of --data and --aggregate.",
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
    "changes_amended": {
        "da": "Med de ændrede regler (--rules) ville {n} områders status ændre sig: {names}.",
        "en": "Under the amended rules (--rules) {n} areas would change status: {names}.",
    },
    "warning": {"da": "Advarsel: {text}", "en": "Warning: {text}"},
    "no_housing_areas": {
        "da": "Datasættet har ingen housing_areas-tabel: statens lister bedømmer de almene "
        "boligområder. Tilføj housing_areas (fx udsat import dst --housing-areas FIL).",
        "en": "The dataset has no housing_areas table: the state's lists judge the social "
        "housing areas. Add housing_areas (e.g. udsat import dst --housing-areas FILE).",
    },
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
    "references_conflict": {
        "da": "Referencerne for listeåret {year} er angivet to gange: i {path} og med "
        "--national-convicted-pct/--region-income. Angiv dem ét sted.",
        "en": "The references of list year {year} are given twice: in {path} and with "
        "--national-convicted-pct/--region-income. Give them in one place.",
    },
    "references_aggregate": {
        "da": "--references bruges kun med --data: i --aggregate-filen er landsgennemsnittet og "
        "indkomsten i pct. af regionens allerede med.",
        "en": "--references is used with --data only: an --aggregate file already holds the "
        "national average and the income as % of the region's.",
    },
    "references_missing": {
        "da": "{path} har ingen referencer for listeåret/årene {years}, som skal beregnes for "
        "listen {list_year} (et tidligere år bedømmes med sit eget års landsgennemsnit og "
        "regionsindkomst). Tilføj rækker for disse år, eller giv de offentliggjorte lister for "
        "de tidligere år med --history.",
        "en": "{path} has no references for the list year(s) {years}, which the list of "
        "{list_year} must compute (an earlier year is judged with its own year's national "
        "average and regional income). Add rows for these years, or give the published lists "
        "of the earlier years with --history.",
    },
    "references_region_missing": {
        "da": "{path} har ingen region_mean_income for listeåret {year} og regionen/regionerne "
        "{regions}, hvor data har boligområder. Tilføj en række pr. region.",
        "en": "{path} has no region_mean_income for list year {year} and the region(s) "
        "{regions}, where the data have housing areas. Add one row per region.",
    },
    "lookback_references": {
        "da": "Omdannelseslisten {list_year} ser tilbage på listeårene {years}, og hvert år skal "
        "bedømmes med sit eget års landsgennemsnit for dømte og regionsindkomst. Data rummer "
        "kun én kommune, så de kan ikke beregnes af data: angiv dem med --references FIL "
        "(--national-convicted-pct og --region-income gælder kun listeåret {list_year}), eller "
        "giv de offentliggjorte lister for disse år med --history.",
        "en": "The omdannelse list of {list_year} looks back on the list years {years}, and each "
        "year must be judged with its own year's national conviction average and regional "
        "income. The data hold one municipality, so these cannot come from the data: give them "
        "with --references FILE (--national-convicted-pct and --region-income apply to list "
        "year {list_year} only), or give the published lists of these years with --history.",
    },
    "p_unknown_column": {
        "da": "ukendt kolonne (filen skal have præcis kolonnerne {expected})",
        "en": "unknown column (the file must have exactly the columns {expected})",
    },
    "p_duplicate_region": {
        "da": "mere end én række pr. list_year og region",
        "en": "more than one row per list_year and region",
    },
    "p_national_differs": {
        "da": "forskellige værdier inden for samme list_year (landsgennemsnittet er ét tal pr. år)",
        "en": "different values within one list_year (the national average is one number a year)",
    },
    "p_no_rows": {"da": "filen har ingen rækker", "en": "the file has no rows"},
    "p_not_number": {"da": "ikke et tal", "en": "not a number"},
    "p_outside": {"da": "uden for [{low}, {high}]", "en": "outside [{low}, {high}]"},
    "p_empty": {"da": "tom", "en": "empty"},
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
