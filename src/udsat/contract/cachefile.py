"""Files of the dataset's derived cache (`.udsat_cache`): written whole or not at all.

The caches (SAS converted to Parquet, CSV re-encoded as UTF-8, the located person rows, the
remembered validation) are inputs' derivatives, not outputs: they stay beside the data and are
never published (udsat.publish writes outputs). Several processes may build the same file at
once, so each writes to a name of its own and renames it over the target.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, unique to this process; renamed over `target` when the
    block ends, removed when it fails."""
    partial = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.partial")
    try:
        yield partial
        os.replace(partial, target)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
