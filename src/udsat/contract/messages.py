"""User-facing texts of the data contract, Danish by default and English with UDSAT_LANG=en.

    msg("empty_table")                      # in the user's language (udsat.i18n.language())
    msg("range", "en", lo=0, hi=120)        # "values outside the allowed range 0 to 120"

Placeholders `{name:N}` format a number the local way: Danish 12.345 and 0,5, English 12,345
and 0.5 (numbers below 10,000 without separator, so years stay 2020). Rule codes (`rule` of a
Problem) are never translated: tests and the run log key on them.
"""

from __future__ import annotations

from udsat.i18n import render

MESSAGES: dict[str, dict[str, str]] = {
    "validation_reused": {
        "da": "validering genbrugt: filerne er uændrede, siden datasættet blev valideret "
        "{when} (fingeraftryk {key})",
        "en": "validation reused: the files are unchanged since the dataset was validated "
        "{when} (fingerprint {key})",
    },
    # --- errors.py: the frame of every problem -------------------------------------------------
    # --- load.py: finding files, manifest, SAS ---------------------------------------------------
    "or": {"da": "eller", "en": "or"},
    "nothing": {"da": "intet", "en": "nothing"},
    "none": {"da": "ingen", "en": "none"},
    "dir_not_found": {
        "da": "datasætmappen findes ikke: {path} (forventede en mappe med {names})",
        "en": "dataset directory not found: {path} (expected a folder holding {names})",
    },
    "ambiguous_tables": {
        "da": "mere end én fil for samme tabel i {path}: {text}. "
        "Behold præcis én fil (eller mappe) pr. tabel.",
        "en": "more than one file for the same table in {path}: {text}. "
        "Keep exactly one file (or folder) per table.",
    },
    "tables_missing": {
        "da": "påkrævet tabel(ler) {tables} mangler i {path}. Fundet: {seen}. "
        "Tilladte navne: {names}",
        "en": "required table(s) {tables} missing in {path}. Found: {seen}. "
        "Accepted names: {names}",
    },
    "manifest_missing": {
        "da": "{path} mangler: hver datasætmappe skal have en manifest.json med felterne "
        "{fields} (se docs/data-contract.md)",
        "en": "{path} missing: every dataset directory needs a manifest.json with the fields "
        "{fields} (see docs/data-contract.md)",
    },
    "manifest_json": {
        "da": "{path} er ikke gyldig JSON: {error}",
        "en": "{path} is not valid JSON: {error}",
    },
    "manifest_object": {
        "da": "{path} skal indeholde et JSON-objekt, fik {type}",
        "en": "{path} must hold a JSON object, got {type}",
    },
    "manifest_fields": {
        "da": "{path} mangler felt(er): {missing}. Påkrævet: {required}",
        "en": "{path} lacks field(s): {missing}. Required: {required}",
    },
    "manifest_crs": {
        "da": "{path}: 'crs' skal være {crs!r} (alle koordinater i ETRS89 / UTM 32N), "
        "fik {got!r}; omprojicér data til {crs}, fx med ogr2ogr -t_srs {crs}",
        "en": "{path}: 'crs' must be {crs!r} (all coordinates in ETRS89 / UTM 32N), "
        "got {got!r}; reproject the data, e.g. ogr2ogr -t_srs {crs}",
    },
    "manifest_years": {
        "da": "{path}: 'years' skal være [første, sidste] registerår, fik {years!r}",
        "en": "{path}: 'years' must be [first, last] register years, got {years!r}",
    },
    "sas_unreadable": {
        "da": "{file}: SAS-datasættet kunne ikke læses: {error}",
        "en": "{file}: could not read the SAS dataset: {error}",
    },
    "sas_empty": {
        "da": "{file}: SAS-datasættet har ingen rækker",
        "en": "{file}: the SAS dataset holds no rows",
    },
    # --- geo.py ----------------------------------------------------------------------------------
    "geo_unreadable": {
        "da": "{file}: geometrifilen kunne ikke læses: {error}",
        "en": "{file}: could not read the geometry file: {error}",
    },
    "reproject_hint": {
        "da": "omprojicér til {crs} (ETRS89 / UTM 32N), fx med ogr2ogr -t_srs {crs} "
        "ud.gpkg ind.gpkg",
        "en": "reproject the file to {crs} (ETRS89 / UTM 32N), e.g. ogr2ogr -t_srs {crs} "
        "out.gpkg in.gpkg",
    },
    "crs_none": {
        "da": "filen angiver intet koordinatsystem (CRS); {hint}",
        "en": "the file declares no CRS; {hint}",
    },
    "crs_wrong": {
        "da": "filen er i {got}, ikke {crs}; {hint}",
        "en": "the file is in {got}, not {crs}; {hint}",
    },
    "geo_lonlat": {
        "da": "filen angiver {crs}, men koordinaterne ligner længde-/breddegrader "
        "(udstrækning {bounds}); koordinatsystemet er blevet sat i stedet for at data er "
        "omprojiceret; {hint}",
        "en": "the file says {crs} but its coordinates look like longitude/latitude "
        "(bounds {bounds}); the CRS was set instead of the data being reprojected; {hint}",
    },
    "not_polygon": {"da": "ikke en polygon ({type})", "en": "not a polygon ({type})"},
    # --- plan.py / rules.py: the rules -----------------------------------------------------------
    "missing_column": {
        "da": "påkrævet kolonne '{column}' mangler (der skelnes ikke mellem store og små "
        "bogstaver i navne); fundne kolonner: {found}",
        "en": "required column '{column}' is missing (names match case-insensitively); "
        "columns found: {found}",
    },
    "wrong_type": {
        "da": "værdier der ikke er {kind} (gemt som {raw_type}){hint}",
        "en": "values that are not {kind} (stored as {raw_type}){hint}",
    },
    "kind_int": {"da": "hele tal", "en": "whole numbers"},
    "kind_float": {"da": "tal", "en": "numbers"},
    "kind_string": {"da": "tekst", "en": "text"},
    "kind_bool": {
        "da": "sandhedsværdier (true/false, 1/0, ja/nej)",
        "en": "booleans (true/false, 1/0, ja/nej)",
    },
    "decimal_hint": {
        "da": " (brug decimalpunktum, ikke komma)",
        "en": " (use a decimal point, not a comma)",
    },
    "not_null": {
        "da": "manglende værdi i en kolonne, der altid skal have en værdi",
        "en": "missing value in a column that must always have one",
    },
    "range": {
        "da": "værdier uden for det tilladte interval {lo:N} til {hi:N}",
        "en": "values outside the allowed range {lo:N} to {hi:N}",
    },
    "range_min": {
        "da": "værdier under den tilladte mindsteværdi {lo:N}",
        "en": "values below the allowed minimum {lo:N}",
    },
    "range_max": {
        "da": "værdier over den tilladte største værdi {hi:N}",
        "en": "values above the allowed maximum {hi:N}",
    },
    "not_allowed_category": {
        "da": "værdier der ikke er en af: {values}",
        "en": "values that are not one of: {values}",
    },
    "cpr_number": {
        "da": "kolonnen ligner CPR-numre: pseudonymisér data først, før udsat bruges "
        "(erstat CPR-numre, ddmmåå-xxxx, med et person-id for projektet)",
        "en": "the column looks like CPR numbers (ddmmyy-xxxx); pseudonymise the data before "
        "using udsat (replace CPR by a project person id)",
    },
    "cpr_sample": {
        "da": " ({count:N} af {sampled:N} rækker i stikprøven)",
        "en": " ({count:N} of {sampled:N} sampled rows)",
    },
    "cpr_masked": {
        "da": "{column}=******-**** (værdierne er skjult)",
        "en": "{column}=******-**** (values masked)",
    },
    "invalid_geometry": {
        "da": "ugyldig geometri (ret den, fx med ST_MakeValid eller QGIS 'Fix geometries')",
        "en": "invalid geometry (repair it, e.g. with ST_MakeValid or QGIS 'Fix geometries')",
    },
    "empty_geometry": {
        "da": "tom eller manglende geometri",
        "en": "empty or missing geometry",
    },
    "unknown_address_id": {
        "da": "ukendt adresse-id: findes ikke i {where}",
        "en": "unknown address id: not found in {where}",
    },
    "unknown_housing_area_id": {
        "da": "ukendt boligområde-id: findes ikke i {where}",
        "en": "unknown housing area id: not found in {where}",
    },
    "unknown_area_id": {
        "da": "ukendt område-id: findes ikke i {where}",
        "en": "unknown area id: not found in {where}",
    },
    "skipped_housing_area_id": {
        "da": "addresses.housing_area_id er ikke kontrolleret: der er ingen housing_areas-tabel",
        "en": "addresses.housing_area_id not checked: no housing_areas table",
    },
    "skipped_area_id": {
        "da": "survey.area_id er ikke kontrolleret: der er hverken en housing_areas-tabel "
        "eller units-lag",
        "en": "survey.area_id not checked: no housing_areas or units tables",
    },
    "lonlat": {
        "da": "x/y ligner længde-/breddegrader; omprojicér adresserne til {crs} "
        "(ETRS89 / UTM 32N, meter), fx med ogr2ogr -t_srs {crs} eller pyproj",
        "en": "x/y look like longitude/latitude; reproject the addresses to {crs} "
        "(ETRS89 / UTM 32N metres), e.g. ogr2ogr -t_srs {crs} or pyproj",
    },
    "no_address_or_area": {
        "da": "rækker med hverken address_id eller area_id",
        "en": "rows with neither address_id nor area_id",
    },
    "end_before_start": {
        "da": "end_year ligger før start_year",
        "en": "end_year before start_year",
    },
    "year_outside_manifest": {
        "da": "år uden for manifestets år [{first}, {last}]",
        "en": "years outside the manifest's years [{first}, {last}]",
    },
    # --- validate.py -----------------------------------------------------------------------------
    "duplicate_key": {
        "da": "nøglen ({key}) forekommer mere end én gang; alle kopier tæller med",
        "en": "the key ({key}) occurs more than once; all copies count",
    },
    "n_rows": {"da": "{count:N} rækker", "en": "{count:N} rows"},
    "row": {"da": "række", "en": "row"},
    "missing_year": {
        "da": "ingen rækker for år {years}; manifestets år er [{first}, {last}], og alle år "
        "skal være med",
        "en": "no rows for year(s) {years}; the manifest's years are [{first}, {last}] and "
        "every year must be present",
    },
    "rows_excluded": {"da": " (rækkerne er udeladt)", "en": " (rows excluded)"},
    "empty_table": {"da": "tabellen har ingen rækker", "en": "the table has no rows"},
    # --- dataset.py ------------------------------------------------------------------------------
    "bad_mode": {
        "da": "on_invalid_rows skal være en af {modes}, fik {got!r}",
        "en": "on_invalid_rows must be one of {modes}, got {got!r}",
    },
    "unreadable": {
        "da": "filen kunne ikke læses: {error}",
        "en": "could not read the file: {error}",
    },
    "encoding": {
        "da": "filen er ikke gyldig UTF-8 og er læst som {encoding}. Gem den som UTF-8 for at "
        "være sikker på, at æ, ø og å læses rigtigt",
        "en": "the file is not valid UTF-8; read as {encoding}. Save it as UTF-8 to be sure "
        "that æ, ø and å are read right",
    },
    "unrecognised": {
        "da": "ikke en del af datakontrakten, ignoreret: {names}",
        "en": "not part of the data contract, ignored: {names}",
    },
    "not_geo_table": {
        "da": "{name!r} er ikke en geometritabel i {path}; fundne geometritabeller: {found}",
        "en": "{name!r} is not a geometry table of {path}; geometry tables found: {found}",
    },
}

# Danish descriptions of the manifest fields (the English ones are schemas.MANIFEST_FIELDS).
MANIFEST_FIELDS_DA = {
    "name": "datasættets navn",
    "municipality": "kommune (eller 'Danmark' for landsdækkende data)",
    "municipality_codes": "de kommunekoder, data dækker",
    "region": "den eller de regioner, data dækker",
    "years": "[første, sidste] registerår",
    "crs": "altid EPSG:25832",
    "source": "hvor data kommer fra",
    "licence": "licens for data",
    "synthetic": "true for syntetiske data; vises overalt, hvor en person ser data",
}


def msg(key: str, lang: str | None = None, /, **values: object) -> str:
    """The message `key` in `lang` (default: the user's language), filled in with `values`."""
    return render(MESSAGES, key, lang, **values)


def join_or(items: list[str], lang: str | None = None) -> str:
    """'a, b or c' / 'a, b eller c'."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {msg('or', lang)} {items[-1]}"
