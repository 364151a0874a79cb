"""Messages of the neighbourhood engine and command, Danish by default (UDSAT_LANG=en)."""

from __future__ import annotations

from udsat.i18n import render

MESSAGES = {
    "done": {
        "da": "{cells} beboede celler, k = {ks}: skrevet til {path} ({seconds} s)",
        "en": "{cells} inhabited cells, k = {ks}: written to {path} ({seconds} s)",
    },
    "areas": {
        "da": "{areas} områder med mindst 1.000 beboere blandt de {share} % værste celler på {col}",
        "en": "{areas} areas of at least 1,000 residents among the worst {share} % of cells "
        "on {col}",
    },
    "suffix": {
        "da": "--out skal ende på .parquet eller .gpkg, ikke {name}",
        "en": "--out must end in .parquet or .gpkg, not {name}",
    },
    "var": {
        "da": "--var skal have formen NAVN=UDTRYK, fx 'low_income=gross_income < 200000': {text}",
        "en": "--var must be NAME=EXPRESSION, e.g. 'low_income=gross_income < 200000': {text}",
    },
    "flag": {
        "da": "--flag {col} er ikke en kolonne i resultatet; brug fx {example}",
        "en": "--flag {col} is not a column of the result; use e.g. {example}",
    },
    "no_persons": {
        "da": "persons har ingen rækker: ingen naboskaber at beregne",
        "en": "persons has no rows: no neighbourhoods to compute",
    },
    "bad_variable": {
        "da": "en naboskabsvariabel er ikke et gyldigt udtryk: {error}",
        "en": "a neighbourhood variable is not a valid expression: {error}",
    },
    "no_persons_year": {
        "da": "ingen personer i {year}: ingen naboskaber at beregne",
        "en": "no persons in year {year}: no neighbourhoods to compute",
    },
    "cells_order": {
        "da": "cellerne skal være unikke og sorteret efter (række, kolonne)",
        "en": "cells must be unique and sorted by (row, col)",
    },
    "bad_k": {
        "da": "k skal være positive hele antal personer, fik {ks}",
        "en": "k must be positive whole numbers of people, got {ks}",
    },
    "bad_people": {
        "da": "personer pr. celle skal være hele tal over 0",
        "en": "people per cell must be whole numbers above 0",
    },
    "points_shape": {
        "da": "adressernes x, y, personer og variable (og origos x og y) skal være lige lange",
        "en": "the addresses' x, y, people and variables (and the origins' x and y) must have "
        "equal lengths",
    },
    "bad_people_points": {
        "da": "personer pr. adresse skal være hele tal, 0 eller derover",
        "en": "people per address must be whole numbers, 0 or more",
    },
    "no_people_points": {
        "da": "ingen adresser med personer: ingen naboskaber at beregne",
        "en": "no addresses with people: no neighbourhoods to compute",
    },
    "done_addresses": {
        "da": "{count} beboede adresser, k = {ks}: skrevet til {path} ({seconds} s)",
        "en": "{count} inhabited addresses, k = {ks}: written to {path} ({seconds} s)",
    },
    "flag_addresses": {
        "da": "--flag samler tilstødende celler til områder og kræver --origins cells",
        "en": "--flag joins adjacent cells into areas and needs --origins cells",
    },
    "origins": {
        "da": "--origins skal være cells eller addresses, ikke {value}",
        "en": "--origins must be cells or addresses, not {value}",
    },
    "origins_engine": {
        "da": "--origins addresses findes kun på duckdb-motoren, ikke {engine}",
        "en": "--origins addresses runs on the duckdb engine only, not {engine}",
    },
}


def say(key: str, **values: object) -> str:
    """A message of this command in the user's language."""
    return render(MESSAGES, key, **values)
