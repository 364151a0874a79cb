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
    "references_year": {
        "da": "{path} har ingen referencer for {year}: data dækker én kommune ({span}), så "
        "varslingen læser hvert års reference fra filen; tilføj årene {span}.",
        "en": "{path} has no references for {year}: the data cover one municipality ({span}), "
        "so the warning reads each year's reference from the file; add the years {span}.",
    },
    "backtest_done": {
        "da": "Backtest af varslingen for listeårene {years} skrevet til {path}. Listerne "
        "(parallelsamfund og forebyggelse), model minus den bedste rimelige basislinje (sidste "
        "tal + overgangsrater): {difference} [{low}, {high}] (under 0: modellen er bedre).",
        "en": "Backtest of the warning for list years {years} written to {path}. The lists "
        "(parallelsamfund and forebyggelse), model minus the best fair baseline (last figures "
        "+ transition rates): {difference} [{low}, {high}] (below 0: the model is better).",
    },
    "backtest_options": {
        "da": "--backtest forudsiger hvert tidligere listeår efter de regler, der gjaldt; "
        "--year, --rules og --as-of bruges uden --backtest.",
        "en": "--backtest forecasts every past list year by the rules then in force; --year, "
        "--rules and --as-of are used without --backtest.",
    },
    "year_needed": {
        "da": "Angiv listeåret med --year (eller --backtest for at teste varslingen på "
        "tidligere år).",
        "en": "Give the list year with --year (or --backtest to test the warning on past years).",
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
    # --- The backtest (issue 18, deliverable 2: udsat.warning.backtest) ---
    "backtest_year": {
        "da": "Listeåret {year} kan ikke backtestes: det kræver personrækker for de to år før "
        "og for selve året, og regler for året før; data dækker {span}.",
        "en": "List year {year} cannot be backtested: it needs persons rows of the two years "
        "before and of the year itself, and rules for the year before; the data hold {span}.",
    },
    "backtest_leak": {
        "da": "Basislinjen 'sidste tal' for listeåret {year} ville læse rækkeårene {rows}: "
        "ikke kun år før {year}.",
        "en": "The last-figures baseline of list year {year} would read the row years {rows}: "
        "not only years before {year}.",
    },
    "bt_intro": {
        "da": "Listeår {years} (regelskift: {changes}); modellen: {draws:N} træk, frø {seed}; "
        "intervaller: 95 %-percentiler af {resamples:N} gentrækninger af de {areas} "
        "boligområder med tilbagelægning (alle deres år sammen). Brier-score: den gennemsnitlige "
        "kvadrerede fejl på sandsynligheden (lavere er bedre); en forskel under 0 betyder, at "
        "modellen er bedre end basislinjen.",
        "en": "List years {years} (rule change: {changes}); the model: {draws:N} draws, seed "
        "{seed}; intervals: 95 % percentiles of {resamples:N} resamples of the {areas} housing "
        "areas with replacement (all their years together). Brier score: the mean squared error "
        "of the probability (lower is better); a difference below 0 means the model beats the "
        "baseline.",
    },
    "bt_none": {"da": "ingen", "en": "none"},
    "bt_period_stable": {"da": "år uden regelskift ({years})", "en": "stable years ({years})"},
    "bt_period_rule_change": {
        "da": "år med regelskift ({years}), prognose med de regler, der gjaldt på prognosedagen",
        "en": "years with a rule change ({years}), forecast with the rules in force on the "
        "forecast date",
    },
    "bt_period_all": {"da": "alle år ({years})", "en": "all years ({years})"},
    "bt_scores_head": {"da": "Brier-score, {period}", "en": "Brier scores, {period}"},
    "bt_diff_head": {
        "da": "Model minus basislinje, {period}: forskel i Brier-score [95 %-interval]; "
        "fed: intervallet udelukker 0",
        "en": "Model minus baseline, {period}: Brier difference [95 % interval]; bold: the "
        "interval excludes 0",
    },
    "bt_rel_head": {
        "da": "Kalibrering af modellens sandsynligheder, {period}",
        "en": "Reliability of the model's probabilities, {period}",
    },
    "bt_cov_head": {
        "da": "Dækning af modellens intervaller for hvert kriteriums tal ({years}); endepunkter "
        "tæller som inde; mål: {b50} (50 %) og {b90} (90 %)",
        "en": "Coverage of the model's intervals of each criterion's figure ({years}); the ends "
        "count as inside; target {b50} (50 %) and {b90} (90 %)",
    },
    "bt_cov_year_head": {
        "da": "Dækning pr. listeår (50 % / 90 %)",
        "en": "Coverage per list year (50 % / 90 %)",
    },
    "bt_left_head": {"da": "Udeladt", "en": "Left out"},
    "bt_left_cell": {
        "da": "{truth} uden sandt tal, {interval} uden interval",
        "en": "{truth} without a true figure, {interval} without an interval",
    },
    "bt_reason_outcome_undetermined": {
        "da": "udfaldet er uafgjort (fx et tilbageblik, data ikke dækker)",
        "en": "the outcome is undetermined (e.g. a look-back the data do not cover)",
    },
    "bt_reason_no_model": {
        "da": "ingen sandsynlighed fra modellen",
        "en": "no probability from the model",
    },
    "bt_reason_no_last_figures": {
        "da": "ingen afgørelse fra sidste års tal",
        "en": "no call from last year's figures",
    },
    "bt_pool_lists": {
        "da": "lister (parallelsamfund + forebyggelse)",
        "en": "lists (parallelsamfund + forebyggelse)",
    },
    "bt_pool_criteria": {"da": "kriterier (§ 61 a)", "en": "criteria (§ 61 a)"},
    "bt_not_pooled": {"da": "{target} (ikke i puljen)", "en": "{target} (not pooled)"},
    "bt_announced": {
        "da": "{target}, de annoncerede regler",
        "en": "{target}, the announced rules",
    },
    "bt_split_all": {"da": "alle", "en": "all"},
    "bt_split_entries": {"da": "ind (ikke på i året før)", "en": "entries (not on in Y-1)"},
    "bt_split_exits": {"da": "bliver/ud (på i året før)", "en": "stays/exits (on in Y-1)"},
    "bt_base_persistence": {"da": "sidste års status (0/1)", "en": "last status (0/1)"},
    "bt_base_rates": {
        "da": "overgangsrater fra tidligere år",
        "en": "transition rates from earlier years",
    },
    "bt_base_last_figures": {
        "da": "sidste års tal, årets regler",
        "en": "last figures, this year's rules",
    },
    "bt_base_last_figures_rates": {
        "da": "sidste års tal + rater",
        "en": "last figures + rates",
    },
    "bt_col_target": {"da": "mål", "en": "target"},
    "bt_col_split": {"da": "delmængde", "en": "split"},
    "bt_col_n": {"da": "n", "en": "n"},
    "bt_col_events": {"da": "hændelser", "en": "events"},
    "bt_col_model": {"da": "model", "en": "model"},
    "bt_col_announced": {"da": "model, annoncerede regler", "en": "model, announced rules"},
    "bt_col_pool": {"da": "pulje", "en": "pool"},
    "bt_col_bin": {"da": "interval", "en": "bin"},
    "bt_col_mean_p": {"da": "gns. sandsynlighed", "en": "mean predicted"},
    "bt_col_observed": {"da": "observeret", "en": "observed"},
    "bt_col_criterion": {"da": "kriterium", "en": "criterion"},
    "bt_col_cover_50": {"da": "50 %-interval dækker", "en": "50 % interval covers"},
    "bt_col_end_50": {"da": "på et endepunkt", "en": "at an end"},
    "bt_col_cover_90": {"da": "90 %-interval dækker", "en": "90 % interval covers"},
    "bt_col_end_90": {"da": "på et endepunkt", "en": "at an end"},
    "bt_col_left": {"da": "udeladt", "en": "left out"},
    "bt_col_year": {"da": "listeår", "en": "list year"},
    "bt_col_reason": {"da": "årsag", "en": "reason"},
    "bt_yes": {"da": "inden for målet", "en": "in target"},
    "bt_no": {"da": "uden for målet", "en": "off target"},
    # --- end of the backtest's messages ---
}


def msg(key: str, lang: str | None = None, /, **values: object) -> str:
    return render(MESSAGES, key, lang, **values)
