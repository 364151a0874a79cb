"""User-facing messages of outputs, publication, privacy scan and verify (Danish; UDSAT_LANG=en)."""

from __future__ import annotations

from udsat.i18n import render

MESSAGES: dict[str, dict[str, str]] = {
    "small_count": {
        "da": "{where}: kolonnen {column!r} har {rows} rækker med tal for 1-{limit_1} personer "
        "(fx {value}); det offentliggøres aldrig. Intet er udgivet.",
        "en": "{where}: column {column!r} holds {rows} rows with figures about 1-{limit_1} "
        "people (e.g. {value}); that is never published. Nothing was published.",
    },
    "undeclared_count": {
        "da": "{where}: kolonnen {column!r} ligner en optælling af personer, men tabellens "
        "beskrivelse (TableSpec) nævner den ikke; intet er udgivet.",
        "en": "{where}: column {column!r} looks like a count of people but the table's "
        "description (TableSpec) does not declare it; nothing was published.",
    },
    "outside_stage": {
        "da": "{path} ligger uden for udgivelsen; alle filer skrives i udgivelsens mappe.",
        "en": "{path} lies outside the publication; every file is written inside it.",
    },
    "out_suffix": {
        "da": "Ukendt filtype for --out: {suffix!r}; brug .csv, .parquet eller .xlsx.",
        "en": "Unknown file type for --out: {suffix!r}; use .csv, .parquet or .xlsx.",
    },
    "table_suffix": {
        "da": "Ukendt filtype {suffix!r}; brug .csv, .parquet eller .xlsx.",
        "en": "Unknown file type {suffix!r}; use .csv, .parquet or .xlsx.",
    },
    "locked": {
        "da": "En anden kørsel er ved at udgive til {path}; vent til den er færdig.",
        "en": "Another run is publishing to {path}; wait until it has finished.",
    },
    "disk_full": {
        "da": "Disken er fuld ({where}): intet er udgivet, og den tidligere udgivelse i {path} "
        "er uændret. Frigør plads og kør igen.",
        "en": "The disk is full ({where}): nothing was published and the previous publication "
        "in {path} is unchanged. Free some space and run again.",
    },
    "read_only": {
        "da": "Der kan ikke skrives i {where} ({reason}): intet er udgivet, og den tidligere "
        "udgivelse i {path} er uændret. Vælg en anden mappe med --out eller ret rettighederne.",
        "en": "Cannot write to {where} ({reason}): nothing was published and the previous "
        "publication in {path} is unchanged. Choose another directory with --out or fix the "
        "permissions.",
    },
    "os_error": {
        "da": "Udgivelsen til {path} mislykkedes ({where}: {reason}); den tidligere udgivelse "
        "er uændret.",
        "en": "Publishing to {path} failed ({where}: {reason}); the previous publication is "
        "unchanged.",
    },
    "privacy_failed": {
        "da": "Personoplysninger i resultaterne ({count:N} fund): intet er udgivet, og den "
        "tidligere udgivelse er uændret. Resultater må kun indeholde aggregerede tal.",
        "en": "Personal data in the outputs ({count:N} findings): nothing was published and the "
        "previous publication is unchanged. Outputs may hold aggregates only.",
    },
    "and_more": {"da": "  ... og {count} fund mere", "en": "  ... and {count} more findings"},
    "finding": {"da": "{file}, {where}: {what}", "en": "{file}, {where}: {what}"},
    "finding_cpr": {
        "da": "et CPR-lignende nummer (ddmmåå-xxxx)",
        "en": "a CPR-like number (ddmmyy-xxxx)",
    },
    "finding_id": {
        "da": "et id fra inddata ({column})",
        "en": "an id from the input ({column})",
    },
    "line": {"da": "linje {n}", "en": "line {n}"},
    "column": {"da": "kolonne {column}", "en": "column {column}"},
    "sheet": {"da": "ark {sheet}", "en": "sheet {sheet}"},
    "layer": {"da": "lag {layer}", "en": "layer {layer}"},
    "no_manifest": {
        "da": "{path} har ingen run_manifest.json: det er ikke en udsat-udgivelse.",
        "en": "{path} has no run_manifest.json: it is not a udsat publication.",
    },
    "bad_manifest": {
        "da": "{path} kan ikke læses som et kørselsmanifest: {reason}",
        "en": "{path} cannot be read as a run manifest: {reason}",
    },
    "verify_ok": {
        "da": "{path} stemmer med sit manifest: alle {count:N} filer er uændrede.",
        "en": "{path} matches its manifest: all {count:N} files are unchanged.",
    },
    "verify_failed": {
        "da": "{path} stemmer ikke med sit manifest:",
        "en": "{path} does not match its manifest:",
    },
    "verify_missing": {"da": "mangler", "en": "missing"},
    "verify_extra": {"da": "ekstra (ikke i manifestet)", "en": "extra (not in the manifest)"},
    "verify_changed": {"da": "ændret", "en": "changed"},
}


def msg(key: str, lang: str | None = None, /, **values: object) -> str:
    """Message `key` in `lang` (default: the user's language)."""
    return render(MESSAGES, key, lang, **values)
