"""User-facing messages of the early warning, Danish by default (UDSAT_LANG=en)."""

from __future__ import annotations

from udsat.i18n import render

MESSAGES: dict[str, dict[str, str]] = {
    "no_years": {
        "da": "Datasættet har ingen personrækker; der er intet at varsle ud fra.",
        "en": "The dataset has no persons rows; there is nothing to warn from.",
    },
    "need_last_year": {
        "da": "Varsling for listeåret {year} kræver personrækker for {last} (året før).",
        "en": "A warning for list year {year} needs persons rows of {last} (the year before).",
    },
    "income_years": {
        "da": "Kriterium 4 (indkomst) læser rækkeårene {years}; varslingen kan kun ét år.",
        "en": "Criterion 4 (income) reads the row years {years}; the warning takes one only.",
    },
    "draws": {
        "da": "Antal træk skal være mindst 1, fik {draws}.",
        "en": "The number of draws must be at least 1, got {draws}.",
    },
    "no_backtest_years": {
        "da": "Backtesten kræver mindst tre års personrækker; data dækker {span}.",
        "en": "The backtest needs at least three years of persons rows; the data hold {span}.",
    },
    "reason_head": {
        "da": "Sandsynlighed for listen '{list}' 1. december {year}: {p} %.",
        "en": "Probability of the list '{list}' on 1 December {year}: {p} %.",
    },
    "reason_none": {
        "da": "Under 1 % for alle lister 1. december {year}.",
        "en": "Below 1 % for every list on 1 December {year}.",
    },
    "reason_small": {
        "da": "Forventet {residents:N} beboere: under grænsen på {limit:N}.",
        "en": "Expected {residents:N} residents: below the limit of {limit:N}.",
    },
    "reason_criterion": {
        "da": "{label}: forventet {value} mod grænsen {threshold} ({p} % for at opfylde)",
        "en": "{label}: expected {value} against the limit {threshold} ({p} % to meet it)",
    },
    "reason_people_more": {
        "da": "{k:N} personer flere i tælleren ville opfylde kriteriet om {label}",
        "en": "{k:N} more people in the numerator would meet the criterion on {label}",
    },
    "reason_people_fewer": {
        "da": "{k:N} personer færre i tælleren ville bringe området under grænsen for {label}",
        "en": "{k:N} fewer people in the numerator would take the area below the limit on {label}",
    },
    "reason_missing": {
        "da": "Data mangler for et eller flere kriterier; sandsynlighederne er ukendte.",
        "en": "Data are missing for one or more criteria; the probabilities are unknown.",
    },
    "warn_done": {
        "da": "Varsling for 1. december {year} (data til og med {last}, {draws:N} træk, "
        "frø {seed}) skrevet til {path}: {areas} områder; højest risiko: {top}.",
        "en": "Warning for 1 December {year} (data up to {last}, {draws:N} draws, seed {seed}) "
        "written to {path}: {areas} areas; highest risk: {top}.",
    },
    "own_reference": {
        "da": "Data rummer én kommune: landsgennemsnittet for dømte og regionens indkomst er "
        "beregnet af de samme data, ikke af hele landet og regionen.",
        "en": "The data hold one municipality: the national conviction average and the region's "
        "income are computed from the same data, not from the whole country and region.",
    },
}


def msg(key: str, lang: str | None = None, /, **values: object) -> str:
    return render(MESSAGES, key, lang, **values)
