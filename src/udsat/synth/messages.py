"""User-facing messages of the synthetic city's scenarios, Danish by default (UDSAT_LANG=en)."""

from __future__ import annotations

from udsat.i18n import render

MESSAGES: dict[str, dict[str, str]] = {
    "unknown_scenario": {
        "da": "Ukendt scenarie {got!r}: angiv {names} eller en YAML-fil (.yaml) med scenariets "
        "felter (se docs/synthetic-data.md).",
        "en": "Unknown scenario {got!r}: give {names} or a YAML file (.yaml) with the "
        "scenario's fields (see docs/synthetic-data.md).",
    },
    "bad_option": {
        "da": "{option} skal være en af {allowed}, ikke {got!r}",
        "en": "{option} must be one of {allowed}, not {got!r}",
    },
    "scenario_file_missing": {
        "da": "Scenariefilen findes ikke: {path}",
        "en": "The scenario file does not exist: {path}",
    },
    "shocks_lists": {
        "da": "shocks: {shocks} tager ingen renovations eller new_estates; angiv dem med "
        "shocks: given",
        "en": "shocks: {shocks} takes no renovations or new_estates; give them with shocks: given",
    },
    "shocks_given_empty": {
        "da": "shocks: given kræver mindst én renovation eller et new_estate",
        "en": "shocks: given needs at least one renovation or new_estate",
    },
    "shock_years": {
        "da": "Tilfældigt valgte stød kræver mindst {need} år (fx 2015-2021), ikke {first}-{last}",
        "en": "Shocks drawn by the seed need at least {need} years (e.g. 2015-2021), not "
        "{first}-{last}",
    },
    "shock_year_range": {
        "da": "{what}: året {year} skal ligge i {first}-{last} (efter det første år)",
        "en": "{what}: the year {year} must lie within {first}-{last} (after the first year)",
    },
    "reopens_before": {
        "da": "renovation {area}: reopens ({reopens}) skal være efter year ({year})",
        "en": "renovation {area}: reopens ({reopens}) must be after year ({year})",
    },
    "unknown_area": {
        "da": "{what}: ukendt boligområde {area!r}; datasættets områder: {known}",
        "en": "{what}: unknown housing area {area!r}; the dataset's areas: {known}",
    },
    "rehoused_self": {
        "da": "renovation {area}: beboerne kan ikke genhuses i det område, der tømmes",
        "en": "renovation {area}: residents cannot be rehoused in the estate being emptied",
    },
    "two_renovations": {
        "da": "boligområdet {area} renoveres to gange; angiv det én gang",
        "en": "the housing area {area} is renovated twice; give it once",
    },
    "scenario_dst": {
        "da": "--format dst skriver kun standardbyen; scenarier (--scenario, --trend, "
        "--conviction-share, --shocks) kræver --format contract",
        "en": "--format dst writes the default city only; scenarios (--scenario, --trend, "
        "--conviction-share, --shocks) need --format contract",
    },
}


def msg(key: str, **values: object) -> str:
    return render(MESSAGES, key, **values)
