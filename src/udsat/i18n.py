"""User-facing messages in Danish (default) and English. Code, docs and tests stay in English."""

from __future__ import annotations

import numbers
import os
import string
from collections.abc import Mapping
from typing import cast

MESSAGES: dict[str, dict[str, str]] = {
    "synthetic_notice": {
        "da": "SYNTETISKE DATA: ingen tal her beskriver virkelige personer.",
        "en": "SYNTHETIC DATA: no figure here describes real people.",
    },
    "synth_done": {
        "da": "Syntetisk datasæt skrevet til {path}: {persons} personer, "
        "{rows} person-år, {seconds} s",
        "en": "Synthetic dataset written to {path}: {persons} persons, "
        "{rows} person-years, {seconds} s",
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
        "da": "{rows} rækker udeladt fra {table}: {reason}",
        "en": "{rows} rows excluded from {table}: {reason}",
    },
    "report_done": {
        "da": "Rapporten er skrevet til {path}: {pages} sider ({seconds} s); åbn index.html",
        "en": "The report is written to {path}: {pages} pages ({seconds} s); open index.html",
    },
    "demo_done": {
        "da": "Demo færdig: resultater i {path} ({seconds} s)",
        "en": "Demo finished: outputs in {path} ({seconds} s)",
    },
    "step_validate": {
        "da": "Trin 1: kontrollerer data mod datakontrakten",
        "en": "Step 1: checking the data against the data contract",
    },
    "step_overview": {
        "da": "Trin 2: beboere pr. år, bydel og kvarter",
        "en": "Step 2: residents per year, bydel and kvarter",
    },
    "step_neighbourhoods": {
        "da": "Trin 4: naboskaber: de 1.000 nærmeste beboere omkring hver beboet 100 m-celle",
        "en": "Step 4: neighbourhoods: the 1,000 nearest residents around every inhabited cell",
    },
    "step_screening": {
        "da": "Screening af byen på de seks kriterier …",
        "en": "Screening the city on the six criteria …",
    },
    "step_monitoring": {
        "da": "Opfølgning på målene for 2035 …",
        "en": "Following the 2035 goals …",
    },
    "step_warning": {
        "da": "Tidlig varsling for statens lister {year} …",
        "en": "Early warning for the state's lists {year} …",
    },
    "step_report": {
        "da": "Rapporten (statisk websted) …",
        "en": "The report (static site) …",
    },
    "data_or_bundle": {
        "da": "Angiv præcis én af --data og --bundle.",
        "en": "Give exactly one of --data and --bundle.",
    },
    "export_done": {
        "da": "Eksportpakken er skrevet til {path}: {files} filer, kun aggregerede tal; se "
        "INDHOLD.md. Rapporten bygges af den alene med udsat report --bundle.",
        "en": "The export bundle is written to {path}: {files} files, aggregates only; see "
        "INDHOLD.md. The report is built from it alone with udsat report --bundle.",
    },
    "step_lists": {
        "da": "Trin 3: statens lister (almenboligloven § 61 a, § 61 b og § 51 b) for hvert listeår",
        "en": "Step 3: the state's lists (almenboligloven § 61 a, § 61 b and § 51 b) "
        "for every list year",
    },
    "own_reference_note": {
        "da": "statens lister: data rummer én kommune, så landsgennemsnittet for dømte og "
        "regionens indkomst er beregnet af de samme data, ikke af hele landet og regionen",
        "en": "state lists: the data hold one municipality, so the national conviction average "
        "and the regional income reference are the dataset's own, not the national and "
        "regional figures",
    },
    "error": {"da": "Fejl", "en": "Error"},
}


def language() -> str:
    """The user's language: UDSAT_LANG=en gives English; Danish otherwise."""
    lang = os.environ.get("UDSAT_LANG", "da").lower()
    return "en" if lang.startswith("en") else "da"


def number(value: float, lang: str | None = None, decimals: int = 1) -> str:
    """A number as the user's language writes it: 650.000 and 7,1 in Danish."""
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.{decimals}f}"
    if (lang or language()) == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def grouped_number(value: float, lang: str | None = None) -> str:
    """A count or figure in a message: 12.345 / 0,5 in Danish, 12,345 / 0.5 in English.

    Thousands are grouped from 10,000 up, so years and small counts read as usual (2020, 1234).
    """
    lang = lang or language()
    if float(value).is_integer():
        text = f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    else:
        text = f"{value:g}"
    if lang == "da":
        text = text.translate(str.maketrans(",.", ".,"))
    return text


class _Formatter(string.Formatter):
    """str.format with one extra spec: `{name:N}` writes a number with grouped_number."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        # numbers.Real: numpy integers (counts from pandas) too.
        if format_spec == "N" and isinstance(value, numbers.Real) and not isinstance(value, bool):
            # (typeshed's numbers.Real lacks float's methods; numpy scalars format as floats)
            return grouped_number(cast(float, value), self.lang)
        return super().format_field(value, format_spec)


def render(
    catalogue: Mapping[str, Mapping[str, str]],
    key: str,
    lang: str | None = None,
    /,
    **values: object,
) -> str:
    """Message `key` of a package's catalogue in `lang` (default: the user's language)."""
    lang = lang or language()
    return _Formatter(lang).format(catalogue[key][lang], **values)


def t(key: str, lang: str | None = None, **values: object) -> str:
    """Translate a message key and fill in its values (numbers in the language's format)."""
    lang = lang or language()
    shown = {
        k: number(v, lang) if isinstance(v, int | float) and not isinstance(v, bool) else v
        for k, v in values.items()
    }
    return render(MESSAGES, key, lang, **shown)
