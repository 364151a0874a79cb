"""Stability: the share of a documented grid of reasonable method variations under which a unit
or an area stays designated (docs/screening-method.md, config.yaml `stability`).

The grid is the full factorial of margin deltas x min_criteria deltas (cheap: one scoring, many
flaggings) and, for microdata, k x shrinkage (one indicator computation each).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd

from udsat.screening.config import ScreeningConfig
from udsat.screening.designate import EPS, criterion_table, score_indicators, unit_notes
from udsat.screening.join import NOT_IN_AREA


@dataclass(frozen=True)
class Variant:
    """One variation of the method."""

    margin_delta: float
    min_criteria_delta: int
    k: int | None = None
    shrink: bool | None = None


def rule_variants(config: ScreeningConfig) -> list[ScreeningConfig]:
    """The margin x min_criteria variations of `config` (min_criteria kept within 1..criteria)."""
    out = []
    for dm, dn in product(config.margin_deltas, config.min_criteria_deltas):
        n = min(max(config.min_criteria + dn, 1), len(config.criteria))
        margins = {c: max(v + dm, 0.0) for c, v in config.margins.items()}
        if config.flag_on == "z":
            out.append(
                config.varied(z_margin=config.z_margin + dm, margins=margins, min_criteria=n)
            )
        else:
            out.append(
                config.varied(margin=max(config.margin + dm, 0.0), margins=margins, min_criteria=n)
            )
    return out


def vulnerable_under_rules(
    wide: pd.DataFrame, config: ScreeningConfig, unit_info: pd.DataFrame | None = None
) -> list[np.ndarray]:
    """The vulnerable mask of a criterion table under each rule variation.

    The same rule as `flag_units`, in numpy: the notes and the scores do not change between
    variations, so they are computed once (tests check equality with flag_units).
    """
    measure = "z" if config.flag_on == "z" else "ratio"
    scores = wide[[f"{c}_{measure}" for c in config.criteria]].to_numpy(float)
    known = ~np.isnan(scores)
    available = known.sum(axis=1)
    noted = unit_notes(wide, config, unit_info).ne("").to_numpy()
    masks = []
    for variant in rule_variants(config):
        offset = 1.0 if measure == "ratio" else 0.0
        limits = np.array([variant.margin_for(c) + offset for c in config.criteria])
        flagged = (known & (scores >= limits - EPS)).sum(axis=1)
        table = np.array([variant.required_criteria(a) for a in range(len(config.criteria) + 1)])
        masks.append((available > 0) & (flagged >= table[available]) & ~noted)
    return masks


def unit_stability(
    long: pd.DataFrame,
    directions: Mapping[str, str],
    config: ScreeningConfig,
    unit_info: pd.DataFrame | None,
    unit_ids: pd.Series,
) -> np.ndarray:
    """Per unit (in `unit_ids` order): the share of rule variations under which it is vulnerable.

    Units missing from `long` get NaN.
    """
    wide = criterion_table(score_indicators(long, directions), config)
    masks = np.column_stack(vulnerable_under_rules(wide, config, unit_info))
    share = pd.Series(masks.mean(axis=1), index=wide["unit_id"])
    return unit_ids.map(share).to_numpy(float)


def area_stability(
    base_labels: np.ndarray, residents: np.ndarray, designated: list[np.ndarray], overlap: float
) -> np.ndarray:
    """Per base area (label 0, 1, ...): the share of variations under which at least `overlap`
    of its residents live in units designated (in an area) under the variation."""
    count = int(base_labels.max()) + 1 if len(base_labels) else 0
    if count == 0 or not designated:
        return np.zeros(count)
    inside = base_labels != NOT_IN_AREA
    lab = base_labels[inside]
    res = np.nan_to_num(residents[inside].astype(float))
    total = np.bincount(lab, weights=res, minlength=count)
    stable = np.zeros(count)
    for mask in designated:
        kept = np.bincount(lab, weights=res * mask[inside], minlength=count)
        with np.errstate(invalid="ignore", divide="ignore"):
            stable += np.where(total > 0, kept / total, 0) >= overlap - 1e-12
    return stable / len(designated)
