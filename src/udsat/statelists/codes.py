"""Reason codes: every output row carries the codes that decided its lists (ONS style)."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why an area is or is not on a list. Codes are stable; the Danish sentence explains them."""

    TOO_FEW_RESIDENTS = "TOO_FEW_RESIDENTS"
    """Fewer residents on 1 January of the list year than the rule set's minimum: on no list."""
    RESIDENTS_UNKNOWN = "RESIDENTS_UNKNOWN"
    """The number of residents is missing: the 1,000-resident rule cannot be applied."""
    VALUE_MISSING = "VALUE_MISSING"
    """At least one criterion value is missing; a list is decided only if the rest settle it."""
    UDSAT = "UDSAT"
    """At least the required number of criteria 1-4 met at the udsat thresholds."""
    PARALLELSAMFUND = "PARALLELSAMFUND"
    """Udsat and the non-Western share above the parallelsamfund threshold (ghetto 2013-2020)."""
    UDSAT_NOT_PARALLELSAMFUND = "UDSAT_NOT_PARALLELSAMFUND"
    """Udsat, but the non-Western share is not above the parallelsamfund threshold."""
    OMDANNELSE = "OMDANNELSE"
    """Parallelsamfund in each of the look-back years, the current list included."""
    LOOKBACK_BROKEN = "LOOKBACK_BROKEN"
    """Parallelsamfund now, but not on an earlier list within the look-back: not omdannelse."""
    LOOKBACK_INCOMPLETE = "LOOKBACK_INCOMPLETE"
    """Parallelsamfund in every known look-back year, but the history lacks some years."""
    FOREBYGGELSE = "FOREBYGGELSE"
    """Non-Western share and at least the required criteria at the forebyggelse thresholds."""
    FOREBYGGELSE_SUPERSEDED = "FOREBYGGELSE_SUPERSEDED"
    """Meets the forebyggelse rule but is on the udsat list, which takes precedence."""
    KOMBINERET = "KOMBINERET"
    """At least the share outside the labour market that § 51 b requires (kombineret udlejning)."""
    NOT_LISTED = "NOT_LISTED"
    """Enough residents, but on none of the lists."""
    LIST_NOT_IN_FORCE = "LIST_NOT_IN_FORCE"
    """Some lists did not exist in the list year (e.g. forebyggelse before 2021)."""
    LIST_NOT_COMPUTED = "LIST_NOT_COMPUTED"
    """The input lacks a figure some list needs (e.g. outside_latest_pct for kombineret)."""
    PEOPLE_MARGIN_ON_RESIDENTS = "PEOPLE_MARGIN_ON_RESIDENTS"
    """Margins in people use all residents as base because the criterion's base was not given."""
