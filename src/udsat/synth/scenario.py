"""What kind of synthetic city to write: the calibrated default, or a harder test city.

One small strict configuration (docs/synthetic-data.md, "Scenarios: a harder test city"):

    trend: linear | none               # none: no built-in straight-line trend
    conviction_share: constant | moving  # moving: the national conviction share moves yearly
    shocks: none | auto | given        # auto: drawn by the seed; given: the lists below
    renovations:                       # (shocks: given) estates emptied for renovation
      - {housing_area_id: HA10106, year: 2019, reopens: 2022, rehoused_to: [HA10112]}
    new_estates:                       # (shocks: given) estates built on empty land
      - {year: 2021, site: Lærkesletten, mix: deprived, residents: 1500}

Presets by name (`PRESETS`): "default" (every field at its default: the calibrated city, byte for
byte) and "shocked" (shocks drawn by the seed, no built-in trend, a moving conviction share). A
YAML file with these fields is read by the strict loader (unknown keys and values are errors).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, model_validator

from udsat.errors import UdsatError
from udsat.strict import Strict, load_model, validate
from udsat.synth.messages import msg

# Empty land in Copenhagen where a new estate can be built (lon, lat): commons and park edges
# kept free of addresses by the geography (geography._PARKS). Approximate, synthetic sites.
SITES: dict[str, tuple[float, float]] = {
    "Lærkesletten": (12.5800, 55.6580),  # the north edge of Amager Fælled
    "Kalvebod Fælled": (12.5600, 55.6180),
    "Valbyparken": (12.5060, 55.6430),
}
SiteName = Literal["Lærkesletten", "Kalvebod Fælled", "Valbyparken"]


class Renovation(Strict):
    """An estate emptied for renovation: most households leave during the year before `year`
    (the rest, but a few, the year after), the estate is let again from `reopens`, when some of
    them return; `rehoused_to`: estates that take part of the leaving households."""

    housing_area_id: str
    year: int  # the first 1 January with most residents gone
    reopens: int | None = None  # the first 1 January it is let again (default: year + 3)
    rehoused_to: tuple[str, ...] = ()


class NewEstate(Strict):
    """An almene estate built on empty land, filled during the year before `year` (60 %) and
    the year after (the rest) by households that fit its mix."""

    year: int  # the first 1 January with residents
    site: SiteName | None = None  # None: chosen by the seed
    mix: Literal["deprived", "mixed"] = "deprived"
    residents: int = Field(default=1500, ge=100, le=10_000)  # at the default 650,000 persons


class Scenario(Strict):
    """The configuration of a synthetic city; every default gives the calibrated city."""

    trend: Literal["linear", "none"] = "linear"
    conviction_share: Literal["constant", "moving"] = "constant"
    shocks: Literal["none", "auto", "given"] = "none"
    renovations: tuple[Renovation, ...] = ()
    new_estates: tuple[NewEstate, ...] = ()

    @model_validator(mode="after")
    def _lists_match_shocks(self) -> Scenario:
        listed = bool(self.renovations or self.new_estates)
        if self.shocks != "given" and listed:
            raise ValueError(msg("shocks_lists", shocks=self.shocks))
        if self.shocks == "given" and not listed:
            raise ValueError(msg("shocks_given_empty"))
        return self

    @property
    def is_default(self) -> bool:
        return self == Scenario()

    def canonical(self) -> str:
        """The configuration as canonical JSON (the cache key's part and the manifest's)."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


PRESETS: dict[str, Scenario] = {
    "default": Scenario(),
    "shocked": Scenario(trend="none", conviction_share="moving", shocks="auto"),
}


def preset_name(scenario: Scenario) -> str:
    """The preset's name when the configuration is one, else "custom"."""
    return next((name for name, s in PRESETS.items() if s == scenario), "custom")


def scenario_from(
    value: str | Path | Scenario | None = None,
    *,
    trend: str | None = None,
    conviction_share: str | None = None,
    shocks: str | None = None,
) -> Scenario:
    """A preset name, a YAML file or a Scenario, with single fields overridden (None: keep).

    Unknown names and values raise UdsatError (Danish by default, English with UDSAT_LANG=en).
    """
    if value is None:
        base = Scenario()
    elif isinstance(value, Scenario):
        base = value
    elif str(value) in PRESETS:
        base = PRESETS[str(value)]
    elif str(value).endswith((".yaml", ".yml")):
        path = Path(value)
        if not path.is_file():
            raise UdsatError(msg("scenario_file_missing", path=path))
        base = load_model(path, Scenario)
    else:
        names = ", ".join(PRESETS)
        raise UdsatError(msg("unknown_scenario", got=str(value), names=names))
    overrides = {"trend": trend, "conviction_share": conviction_share, "shocks": shocks}
    given = {key: v for key, v in overrides.items() if v is not None}
    for key, value in given.items():
        allowed = get_args(Scenario.model_fields[key].annotation)
        choices = [a for a in allowed if a != "given"]  # (given: the lists of a YAML file)
        if value not in choices:
            option = "--" + key.replace("_", "-")
            raise UdsatError(
                msg("bad_option", option=option, got=value, allowed=", ".join(choices))
            )
    if not given:
        return base
    return validate({**base.model_dump(mode="json"), **given}, Scenario, "--scenario")
