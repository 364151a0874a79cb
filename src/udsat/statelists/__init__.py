"""The state's lists of almene boligområder (almenboligloven § 61 a, § 61 b and § 51 b),
computed exactly.

from udsat.statelists import compute_lists, read_aggregate, compute_figures
"""

from udsat.statelists.engine import compute_lists, scenario_without_ethnicity
from udsat.statelists.rules import ruleset_for_year, rulesets, with_settings, without_ethnicity

__all__ = [
    "compute_lists",
    "ruleset_for_year",
    "rulesets",
    "scenario_without_ethnicity",
    "with_settings",
    "without_ethnicity",
]
