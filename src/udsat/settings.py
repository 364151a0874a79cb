"""Installation settings read from the environment (never part of a method or a result).

UDSAT_ENGINE (udsat.cli) chooses the engine; UDSAT_THREADS caps the threads DuckDB and the
neighbourhood engine use (default: every core). Outputs are the same bytes for any value: sums
are exact (udsat.engines.exact_sum) and the neighbourhood tiles are merged in order.
"""

from __future__ import annotations

import os

from udsat.errors import UdsatError


def threads() -> int | None:
    """UDSAT_THREADS as a whole number >= 1, or None when unset."""
    text = os.environ.get("UDSAT_THREADS", "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise UdsatError(f"UDSAT_THREADS must be a whole number of at least 1, not {text!r}")
    return int(text)
