"""User-facing messages of the monitoring, Danish by default (UDSAT_LANG=en)."""

from __future__ import annotations

from udsat.i18n import render

MESSAGES: dict[str, dict[str, str]] = {
    "status_on_track": {
        "da": "På vej mod målet: gabet fremskrives til {projected} i {year} (interval {low} til "
        "{high}; {slope} pr. år over {n} år), målet er {target}.",
        "en": "On track: the gap is projected at {projected} in {year} (band {low} to {high}; "
        "{slope} a year over {n} years), the target is {target}.",
    },
    "status_at_risk": {
        "da": "I risiko: gabet fremskrives til {projected} i {year} og når ikke målet {target}, "
        "men intervallet {low} til {high} rummer det ({slope} pr. år over {n} år).",
        "en": "At risk: the gap is projected at {projected} in {year} and misses the target "
        "{target}, but the band {low} to {high} contains it ({slope} a year over {n} years).",
    },
    "status_off_track": {
        "da": "Ikke på vej: gabet fremskrives til {projected} i {year}, og hele intervallet "
        "{low} til {high} ligger på den forkerte side af målet {target} ({slope} pr. år over "
        "{n} år).",
        "en": "Off track: the gap is projected at {projected} in {year}, and the whole band "
        "{low} to {high} misses the target {target} ({slope} a year over {n} years).",
    },
    "status_missing": {
        "da": "Mangler: færre end {min_years} år med data; ingen fremskrivning til {year}.",
        "en": "Missing: fewer than {min_years} years of data; no projection to {year}.",
    },
    "no_data_indicator": {
        "da": "Ingen data i dette datasæt ({source}).",
        "en": "No data in this dataset ({source}).",
    },
    "areas_no_id": {
        "da": "Områderne mangler kolonnen unit_id (kolonner: {columns}).",
        "en": "The areas lack the column unit_id (columns: {columns}).",
    },
    "no_areas": {
        "da": "Ingen områder at følge i {areas}.",
        "en": "No areas to monitor in {areas}.",
    },
    "unknown_years": {
        "da": "Årene {years} findes ikke i data; data dækker {span}.",
        "en": "The years {years} are not in the data; the data hold {span}.",
    },
    "city_pooled": {
        "da": "hele byen (udviklingen vises for de udsatte byområder samlet)",
        "en": "the whole city (development shown for the vulnerable areas pooled)",
    },
    "development": {
        "da": "Startet {start}. Fra {y0} til {y1}: {v0} til {v1} ({change}); resten af byen "
        "{rest} i samme år. Beskriver udviklingen, ikke indsatsens effekt.",
        "en": "Started {start}. From {y0} to {y1}: {v0} to {v1} ({change}); the rest of the city "
        "{rest} over the same years. Describes development, not the initiative's effect.",
    },
    "goals_years": {
        "da": "{file}: baseline_year ({baseline}) skal ligge før target_year ({target}).",
        "en": "{file}: baseline_year ({baseline}) must come before target_year ({target}).",
    },
    "goals_unknown_indicator": {
        "da": "{file}: delmål {subgoal}, indikator {indicator!r}: {error}",
        "en": "{file}: sub-goal {subgoal}, indicator {indicator!r}: {error}",
    },
    "goals_wrong_kind": {
        "da": "{file}: delmål {subgoal}, indikator {indicator!r}: kind: {kind} passer ikke med, "
        "hvor den er defineret; skriv kind: {right} (catalogue: i indikatorkataloget, extra: "
        "under extra_indicators).",
        "en": "{file}: sub-goal {subgoal}, indicator {indicator!r}: kind: {kind} does not match "
        "where it is defined; write kind: {right} (catalogue: in the indicator catalogue, extra: "
        "under extra_indicators).",
    },
    "goals_clash": {
        "da": "{file}: extra_indicators: id'erne {ids} findes allerede i indikatorkataloget.",
        "en": "{file}: extra_indicators: the ids {ids} are already in the indicator catalogue.",
    },
    "goals_duplicate_subgoal": {
        "da": "{file}: delmålene {ids} forekommer mere end én gang.",
        "en": "{file}: the sub-goals {ids} occur more than once.",
    },
    "goals_duplicate_indicator": {
        "da": "{file}: indikatorerne {ids} forekommer mere end én gang (hver indikator hører til "
        "ét delmål).",
        "en": "{file}: the indicators {ids} occur more than once (each indicator belongs to one "
        "sub-goal).",
    },
    "development_missing": {
        "da": "Startet {start}: ingen data for området fra startåret.",
        "en": "Started {start}: no data for the area from the start year on.",
    },
    "areas_unreadable": {
        "da": "Kan ikke læse områdefilen {path}: {error}",
        "en": "Cannot read the areas file {path}: {error}",
    },
    "monitor_done": {
        "da": "Opfølgning {years} skrevet til {path}: {indicators} indikatorer; {on_track} på vej, "
        "{at_risk} i risiko, {off_track} ikke på vej, {missing} mangler data; "
        "{initiatives} indsatser i handleplanen.",
        "en": "Monitoring {years} written to {path}: {indicators} indicators; {on_track} on track, "
        "{at_risk} at risk, {off_track} off track, {missing} missing; "
        "{initiatives} initiatives in the action plan.",
    },
    "monitor_line": {"da": "- {label}: {status}. {reason}", "en": "- {label}: {status}. {reason}"},
    "word_on_track": {"da": "på vej", "en": "on track"},
    "word_at_risk": {"da": "i risiko", "en": "at risk"},
    "word_off_track": {"da": "ikke på vej", "en": "off track"},
    "word_missing": {"da": "mangler", "en": "missing"},
}


def msg(key: str, lang: str | None = None, /, **values: object) -> str:
    return render(MESSAGES, key, lang, **values)
