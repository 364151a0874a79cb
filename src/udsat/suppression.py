"""Small-cell suppression: no published count or share rests on fewer than `limit` people."""

from __future__ import annotations

import pandas as pd

DEFAULT_LIMIT = 5


def suppress_counts(
    frame: pd.DataFrame, count_columns: list[str], limit: int = DEFAULT_LIMIT
) -> pd.DataFrame:
    """Blank counts of 1 to `limit` - 1 (primary suppression) and flag the row.

    A zero reveals nothing about a person and is kept.

    Returns a copy with nullable integer columns and a `suppressed` column naming the blanked
    columns. Secondary suppression (against differencing) belongs to the publishing step.
    """
    result = frame.copy()
    flags = pd.Series("", index=result.index, dtype=object)
    for column in count_columns:
        small = result[column].notna() & (result[column] > 0) & (result[column] < limit)
        result[column] = result[column].astype("Int64").mask(small)
        flags = flags.where(~small, flags + column + ";")
    result["suppressed"] = flags.str.rstrip(";")
    return result
