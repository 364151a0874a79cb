"""User-facing messages of outputs, publication, privacy scan and verify (Danish; UDSAT_LANG=en)."""

from __future__ import annotations

from udsat.i18n import render

MESSAGES: dict[str, dict[str, str]] = {
    "table_suffix": {
        "da": "Ukendt filtype {suffix!r}; brug .csv, .parquet eller .xlsx.",
        "en": "Unknown file type {suffix!r}; use .csv, .parquet or .xlsx.",
    },
}


def msg(key: str, lang: str | None = None, /, **values: object) -> str:
    """Message `key` in `lang` (default: the user's language)."""
    return render(MESSAGES, key, lang, **values)
