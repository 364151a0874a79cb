"""User-facing messages of the screening, Danish by default (UDSAT_LANG=en gives English)."""

from __future__ import annotations

from udsat.i18n import render

CRITERION_LABELS: dict[str, dict[str, str]] = {
    "income": {"da": "indkomstniveau", "en": "income level"},
    "education": {"da": "uddannelsesniveau", "en": "education level"},
    "labour": {"da": "arbejdsmarkedstilknytning", "en": "labour-market attachment"},
    "youth": {
        "da": "ungdomsuddannelse og børnefattigdom",
        "en": "youth education and child poverty",
    },
    "health": {"da": "sundhedstilstand", "en": "health"},
    "safety": {"da": "tryghed", "en": "safety"},
}

NOTE_LABELS: dict[str, dict[str, str]] = {
    "few_residents": {"da": "meget få beboere", "en": "very few residents"},
    "students": {"da": "domineret af studerende", "en": "dominated by students"},
    "age_band": {
        "da": "domineret af én aldersgruppe (institution?)",
        "en": "dominated by one age band (an institution?)",
    },
    "small_area": {
        "da": "sammenhængende område under mindstegrænsen for beboere",
        "en": "joined area below the residents floor",
    },
}

MESSAGES: dict[str, dict[str, str]] = {
    "config_choice": {
        "da": "{key} = {value!r} er ikke tilladt (tilladt: {allowed})",
        "en": "{key} = {value!r} is not allowed (allowed: {allowed})",
    },
    "config_range": {
        "da": "{key} = {value} ligger uden for [{low}, {high}]",
        "en": "{key} = {value} lies outside [{low}, {high}]",
    },
    "missing_column": {"da": "kolonnen mangler", "en": "column missing"},
    "no_direction": {
        "da": "indikatoren har ingen retning (higher_is_worse/higher_is_better) i kataloget",
        "en": "the indicator has no direction (higher_is_worse/higher_is_better) in the catalogue",
    },
    "unknown_criterion": {
        "da": "ukendt kriterium (tilladt: income, education, labour, youth, health, safety)",
        "en": "unknown criterion (allowed: income, education, labour, youth, health, safety)",
    },
    "duplicate_unit_indicator": {
        "da": "mere end én række pr. enhed og indikator",
        "en": "more than one row per unit and indicator",
    },
    "not_number": {"da": "ikke et tal", "en": "not a number"},
    "share_range": {
        "da": "andelen skal ligge mellem 0 og 100 (procent)",
        "en": "the share must lie between 0 and 100 (percent)",
    },
    "negative_residents": {"da": "negativt antal beboere", "en": "negative number of residents"},
    "duplicate_unit_year": {
        "da": "mere end én række pr. unit_id og år",
        "en": "more than one row per unit_id and year",
    },
    "no_year": {
        "da": "{path} har ingen rækker for år {year} (år i filen: {years})",
        "en": "{path} has no rows for year {year} (years in the file: {years})",
    },
    "no_criteria": {
        "da": "ingen af screeningens kriterier kan beregnes af {path}",
        "en": "none of the screening's criteria can be computed from {path}",
    },
    "one_source": {
        "da": "Angiv præcis én af --data og --aggregate.",
        "en": "Give exactly one of --data and --aggregate.",
    },
    "compare_aggregate": {
        "da": "--compare kræver geometri; områdedata (--aggregate) har ingen.",
        "en": "--compare needs geometry; area-level data (--aggregate) have none.",
    },
    "no_layer": {
        "da": "kan ikke læse den tidligere udpegning {path}: {error}",
        "en": "cannot read the earlier designation {path}: {error}",
    },
    "no_indicators": {
        "da": "indikatormotoren (udsat.indicators) er ikke installeret: {error}",
        "en": "the indicator engine (udsat.indicators) is not available: {error}",
    },
    # Explanations of designated areas.
    "why_screening": {
        "da": "Udpeget ved screeningen: {n} af {m} kriterier over grænsen for mindst halvdelen "
        "af de {residents:N} beboere: {parts}. Sammensat score {composite} (0 = byens "
        "gennemsnit).",
        "en": "Designated by the screening: {n} of {m} criteria beyond the margin for at least "
        "half of the {residents:N} residents: {parts}. Composite score {composite} (0 = the "
        "city average).",
    },
    "why_mixed": {
        "da": "Udpeget ved screeningen: beboerne er markeret på forskellige kriterier, intet "
        "for over halvdelen; tættest på: {parts}. Sammensat score {composite}.",
        "en": "Designated by the screening: residents are flagged on different criteria, none "
        "for more than half; closest: {parts}. Composite score {composite}.",
    },
    "criterion_part": {
        "da": "{label} {ratio} gange byens gennemsnit ({value} % mod {city} %)",
        "en": "{label} {ratio} times the city average ({value} % vs {city} %)",
    },
    "why_state": {
        "da": "På statens {list}-liste {year} (almenboligloven § 61 a/§ 61 b); medtaget uden "
        "screening.{state_reason}",
        "en": "On the state's {list} list {year} (almenboligloven § 61 a/§ 61 b); included "
        "without screening.{state_reason}",
    },
    "list_parallelsamfund": {"da": "parallelsamfunds", "en": "parallelsamfund"},
    "list_forebyggelse": {"da": "forebyggelses", "en": "forebyggelse"},
    "list_udsat": {"da": "udsat", "en": "udsat"},
    "list_omdannelse": {"da": "omdannelses", "en": "omdannelse"},
    # Comparison reasons.
    "reason_enter": {
        "da": "Nyt område: {criteria}",
        "en": "New area: {criteria}",
    },
    "reason_changed": {
        "da": "Ændret afgrænsning ({share} % af beboerne lå i et tidligere område): {criteria}",
        "en": "Changed outline ({share} % of residents were in an earlier area): {criteria}",
    },
    "reason_same": {
        "da": "Som før ({share} % af beboerne lå i det tidligere område): {criteria}",
        "en": "As before ({share} % of residents were in the earlier area): {criteria}",
    },
    "reason_leave": {
        "da": "Ikke længere udpeget: kun {share} % af beboerne bor i udpegede enheder; "
        "beboerne er i gennemsnit markeret på {flags} kriterier",
        "en": "No longer designated: only {share} % of residents live in designated units; "
        "residents are flagged on {flags} criteria on average",
    },
    "no_criteria_flagged": {"da": "ingen kriterier markeret", "en": "no criteria flagged"},
    # The summary.
    "summary_title": {
        "da": "# Screening af udsatte byområder {year}",
        "en": "# Screening of vulnerable urban areas {year}",
    },
    "summary_method": {
        "da": "Metode {version}: {units}; et kriterium markeres ved mindst {margin} % dårligere "
        "end byens gennemsnit; udsat ved mindst {n} af {m} kriterier; områder af mindst "
        "{min_residents:N} beboere.",
        "en": "Method {version}: {units}; a criterion is flagged at least {margin} % worse than "
        "the city average; vulnerable on at least {n} of {m} criteria; areas of at least "
        "{min_residents:N} residents.",
    },
    "summary_areas": {
        "da": "{areas} udpegede områder med {residents:N} beboere ({share} % af byen): "
        "{screening} fra screeningen, {state} fra statens lister.",
        "en": "{areas} designated areas with {residents:N} residents ({share} % of the city): "
        "{screening} from the screening, {state} from the state's lists.",
    },
    "summary_units": {
        "da": "{units:N} enheder screenet; {vulnerable:N} udsatte; {noted:N} med en bemærkning "
        "(ikke udpeget automatisk).",
        "en": "{units:N} units screened; {vulnerable:N} vulnerable; {noted:N} with a note (not "
        "designated automatically).",
    },
    "summary_missing": {
        "da": "Kriterier uden data: {names}; reglen er skaleret til {n} af {m} tilgængelige.",
        "en": "Criteria without data: {names}; the rule is scaled to {n} of {m} available.",
    },
    "summary_no_geometry": {
        "da": "Data har ingen geometri: enhederne rangeres og markeres, men naboenheder kan "
        "ikke lægges sammen til områder.",
        "en": "The data have no geometry: units are ranked and flagged, but neighbouring units "
        "cannot be joined into areas.",
    },
    "summary_compare": {
        "da": "Sammenlignet med {layer}: {enter} nye, {changed} ændrede, {same} uændrede, "
        "{leave} udgåede områder.",
        "en": "Compared with {layer}: {enter} new, {changed} changed, {same} unchanged, "
        "{leave} leaving areas.",
    },
    "summary_stability": {
        "da": "Stabilitet: andelen af {variants} metodevarianter, hvor området forbliver udpeget "
        "(median {median}).",
        "en": "Stability: the share of {variants} method variants under which the area stays "
        "designated (median {median}).",
    },
    "summary_synthetic": {
        "da": "SYNTETISKE DATA: ingen tal her beskriver virkelige personer.",
        "en": "SYNTHETIC DATA: no figure here describes real people.",
    },
    "summary_top": {
        "da": "De {n} højest rangerede udsatte enheder i {year} (sammensat score):",
        "en": "The {n} highest-ranked vulnerable units in {year} (composite score):",
    },
    "units_neighbourhoods": {
        "da": "naboskaber af de {k:N} nærmeste beboere omkring hver beboet 100 m-celle",
        "en": "neighbourhoods of the {k:N} nearest residents around every inhabited 100 m cell",
    },
    "units_layer": {"da": "enhederne i {layer}", "en": "the units of {layer}"},
    "done": {
        "da": "Screeningen for {year} skrevet til {path}: {areas} områder.",
        "en": "The screening for {year} written to {path}: {areas} areas.",
    },
}


def say(key: str, lang: str | None = None, /, **values: object) -> str:
    """Message `key` in `lang` (default: the user's language)."""
    return render(MESSAGES, key, lang, **values)


def label(criterion: str, lang: str) -> str:
    """The criterion's name in `lang`."""
    return CRITERION_LABELS[criterion][lang]
