"""The publication layer: the only code that writes an output.

- `writers`: deterministic writers (CSV, Danish CSV, Parquet, Excel, GeoPackage, GeoJSON, JSON);
- `disclosure`: the suppression rules (primary, rates, secondary with totals);
- `policy`: what each published table holds (`TableSpec`) and the one `DisclosurePolicy`;
- `stage`: the staging area every command writes through (`Stage`);
- `privacy`: the scan of every output for CPR-like numbers and the dataset's ids;
- `atomic`: the manifest, the lock, the atomic swap (`publish`, `publish_file`) and `verify`.
"""

from udsat.publish.atomic import Publication, publish, publish_file, run_manifest, verify
from udsat.publish.policy import (
    NO_PEOPLE,
    DisclosurePolicy,
    TableSpec,
    counts_table,
    units_table,
)
from udsat.publish.stage import Stage

__all__ = [
    "NO_PEOPLE",
    "DisclosurePolicy",
    "Publication",
    "Stage",
    "TableSpec",
    "counts_table",
    "publish",
    "publish_file",
    "run_manifest",
    "units_table",
    "verify",
]
