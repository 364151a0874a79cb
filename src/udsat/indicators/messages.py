"""User-facing messages of the indicators package, Danish by default (UDSAT_LANG=en)."""

from __future__ import annotations

from udsat.i18n import render

MESSAGES: dict[str, dict[str, str]] = {
    "cat_duplicate": {
        "da": "{path}: indikator-id {indicator!r} forekommer mere end én gang.",
        "en": "{path}: indicator id {indicator!r} occurs more than once.",
    },
    "cat_bad_sql": {
        "da": "{path}: indikatoren {indicator!r}, feltet {field!r} ({sql!r}) kan ikke bruges på "
        "{table}-tabellens kolonner: {error}",
        "en": "{path}: indicator {indicator!r}, field {field!r} ({sql!r}) does not work on the "
        "columns of the {table} table: {error}",
    },
    "cat_unknown_reference": {
        "da": "{path}: indikatoren {indicator!r} bruger den ukendte referenceværdi {{{name}}}; "
        "kendte: {known}.",
        "en": "{path}: indicator {indicator!r} uses the unknown reference value {{{name}}}; "
        "known: {known}.",
    },
    "cat_survey_standardise": {
        "da": "{path}: indikatoren {indicator!r}: standardisering findes kun for registerdata.",
        "en": "{path}: indicator {indicator!r}: standardisation exists for register data only.",
    },
    "unknown_indicator": {
        "da": "Ukendt indikator {name!r}; kendte: {known}.",
        "en": "Unknown indicator {name!r}; known: {known}.",
    },
    "unknown_units": {
        "da": "Ukendte enheder {units!r}: brug city, cells, neighbourhoods, housing_areas eller "
        "et polygonlag i datasættet ({layers}).",
        "en": "Unknown units {units!r}: use city, cells, neighbourhoods, housing_areas or a "
        "polygon layer of the dataset ({layers}).",
    },
    "units_no_id": {
        "da": "Enhedslaget mangler kolonnen unit_id (kolonner: {columns}).",
        "en": "The units layer lacks the column unit_id (columns: {columns}).",
    },
    "units_duplicate_id": {
        "da": "Enhedslaget har gentagne unit_id, fx {example!r}.",
        "en": "The units layer repeats unit_id, e.g. {example!r}.",
    },
    "units_rest_id": {
        "da": "Enhedslaget har allerede en enhed med id 'rest'; vælg et andet id.",
        "en": "The units layer already has a unit with id 'rest'; choose another id.",
    },
    "groups_kind": {
        "da": "Grupper af enheder findes kun for polygonlag og boligområder, ikke for {kind}.",
        "en": "Groups of units exist for polygon layers and housing areas only, not for {kind}.",
    },
    "groups_clash": {
        "da": "Gruppen {group!r} har samme navn som en enhed; vælg et andet navn.",
        "en": "The group {group!r} has the name of a unit; choose another name.",
    },
    "groups_unknown": {
        "da": "Gruppen {group!r} nævner en enhed, der ikke findes, fx {example!r}.",
        "en": "The group {group!r} names a unit that does not exist, e.g. {example!r}.",
    },
    "bad_outside": {
        "da": "outside skal være None eller 'rest', fik {value!r}.",
        "en": "outside must be None or 'rest', got {value!r}.",
    },
    "bad_confidence": {
        "da": "confidence skal ligge strengt mellem 0 og 1, fik {value!r}.",
        "en": "confidence must lie strictly between 0 and 1, got {value!r}.",
    },
    "no_persons_year": {
        "da": "Ingen personrækker for året {year} (data dækker {span}).",
        "en": "No persons rows for the year {year} (the data hold {span}).",
    },
    "no_survey": {
        "da": "Datasættet har ingen survey-tabel; surveyindikatorerne ({names}) udelades.",
        "en": "The dataset has no survey table; the survey indicators ({names}) are left out.",
    },
    "sql_failed": {
        "da": "Indikatorberegningen fejlede for {what}: {error}",
        "en": "Computing the indicators failed for {what}: {error}",
    },
    "excl_outside_units": {
        "da": "bor uden for enhederne ({units})",
        "en": "lives outside the units ({units})",
    },
    "excl_survey_unlocated": {
        "da": "besvarelse uden adresse eller med adresse uden for enhederne",
        "en": "response without an address or with an address outside the units",
    },
    "excl_survey_no_cell": {
        "da": "besvarelse i en 100 m-celle uden beboere det år",
        "en": "response in a 100 m cell without residents that year",
    },
}


def say(key: str, lang: str | None = None, /, **values: object) -> str:
    return render(MESSAGES, key, lang, **values)
