"""User-facing messages in Danish (default) and English. Code, docs and tests stay in English."""

from __future__ import annotations

import os

MESSAGES: dict[str, dict[str, str]] = {
    "synthetic_notice": {
        "da": "SYNTETISKE DATA: ingen tal her beskriver virkelige personer.",
        "en": "SYNTHETIC DATA: no figure here describes real people.",
    },
    "synth_done": {
        "da": "Syntetisk datasæt skrevet til {path}: {persons:,} personer, "
        "{rows:,} person-år, {seconds:.1f} s",
        "en": "Synthetic dataset written to {path}: {persons:,} persons, "
        "{rows:,} person-years, {seconds:.1f} s",
    },
    "synth_cached": {
        "da": "Bruger det gemte syntetiske datasæt i {path}",
        "en": "Using the cached synthetic dataset in {path}",
    },
    "validate_ok": {
        "da": "Datasættet i {path} overholder datakontrakten ({tables} tabeller).",
        "en": "The dataset in {path} meets the data contract ({tables} tables).",
    },
    "validate_failed": {
        "da": "Datasættet overholder ikke datakontrakten:",
        "en": "The dataset breaks the data contract:",
    },
    "excluded_rows": {
        "da": "{rows:,} rækker udeladt fra {table}: {reason}",
        "en": "{rows:,} rows excluded from {table}: {reason}",
    },
    "demo_done": {
        "da": "Demo færdig: resultater i {path} ({seconds:.1f} s)",
        "en": "Demo finished: outputs in {path} ({seconds:.1f} s)",
    },
    "step": {"da": "Trin: {name}", "en": "Step: {name}"},
    "error": {"da": "Fejl", "en": "Error"},
}


def language() -> str:
    """The user's language: UDSAT_LANG=en gives English; Danish otherwise."""
    lang = os.environ.get("UDSAT_LANG", "da").lower()
    return "en" if lang.startswith("en") else "da"


def t(key: str, lang: str | None = None, **values: object) -> str:
    """Translate a message key and fill in its values."""
    return MESSAGES[key][lang or language()].format(**values)
