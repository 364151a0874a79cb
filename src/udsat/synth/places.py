"""Address-level arrays taken from the Geography (the real places the synthetic people live in)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

# How much an almene boligområde's own latent offset adds to the place score (the estates are
# more deprived than their surroundings; the offset is 0.5-3 inside them, 0 elsewhere).
SEVERITY_WEIGHT = 0.6


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and sorted labels of a column (missing values get code -1)."""
    codes, labels = pd.factorize(values, sort=True)
    return codes.astype(np.int32), np.asarray(labels, dtype=object)


def whole_capacity(capacity: np.ndarray) -> np.ndarray:
    """Whole residents per address with the same (rounded) total: largest remainder."""
    floor = np.floor(capacity).astype(np.int64)
    short = round(float(capacity.sum())) - int(floor.sum())
    if short > 0:
        order = np.argsort(-(capacity - floor), kind="stable")
        floor[order[:short]] += 1
    return floor


@dataclass
class Places:
    """One entry per address, in the Geography's address order."""

    address_id: np.ndarray  # object (str)
    address_dictionary: pa.Array  # the same as an Arrow string array (built once)
    capacity: np.ndarray  # int64 expected residents
    score: np.ndarray  # float32 place deprivation (+ estate severity); higher is worse
    deprivation: np.ndarray  # float32 latent place score (mean 0, sd 1)
    severity: np.ndarray  # float32 the estate's own offset (0 outside housing areas)
    in_policy: np.ndarray  # bool: inside the 2017 policy areas
    copenhagen: np.ndarray  # bool: municipality 101 (the survey is Copenhagen's)
    region: np.ndarray  # int32 code into region_labels
    region_labels: np.ndarray
    bydel: np.ndarray  # int32 code into bydel_labels (-1 outside Copenhagen)
    bydel_labels: np.ndarray
    housing_area: np.ndarray  # int32 code into housing_labels (-1 when none)
    housing_labels: np.ndarray

    @classmethod
    def from_geography(cls, geography: Any) -> Places:
        a = geography.addresses
        ids = a["address_id"].astype(str).to_numpy(dtype=object)
        region, region_labels = _codes(a["region"])
        bydel, bydel_labels = _codes(a["bydel_id"])
        housing, housing_labels = _codes(a["housing_area_id"])
        severity = a["housing_severity"].fillna(0.0).to_numpy(dtype=np.float64)
        score = a["deprivation"].to_numpy(dtype=np.float64) + SEVERITY_WEIGHT * severity
        return cls(
            address_id=ids,
            address_dictionary=pa.array(ids.tolist(), pa.string()),
            capacity=whole_capacity(a["capacity"].to_numpy(dtype=np.float64)),
            score=score.astype(np.float32),
            deprivation=a["deprivation"].to_numpy(dtype=np.float32),
            severity=severity.astype(np.float32),
            in_policy=a["in_policy_area_2017"].fillna(False).to_numpy(dtype=bool),
            copenhagen=a["municipality_code"].to_numpy() == 101,
            region=region,
            region_labels=region_labels,
            bydel=bydel,
            bydel_labels=bydel_labels,
            housing_area=housing,
            housing_labels=housing_labels,
        )

    def __len__(self) -> int:
        return len(self.capacity)
