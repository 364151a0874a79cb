"""Publishing a step's result on its own in tests, through the real publication layer."""

from __future__ import annotations

from pathlib import Path

from udsat.publish import publish
from udsat.screening import ScreeningResult, write_screening

SCREENING_FILES = {
    "areas_gpkg": "udsatte_byomraader.gpkg",
    "areas_geojson": "udsatte_byomraader.geojson",
    "units_csv": "units.csv",
    "units_parquet": "units.parquet",
    "comparison": "comparison.csv",
    "summary": "summary.md",
    "summary_en": "summary_en.md",
    "run_log": "run_log.json",
}


def published_screening(result: ScreeningResult, out: Path) -> dict[str, Path]:
    """Publish a screening's outputs at `out`; its files by name (those that exist)."""
    publish(out, lambda stage: write_screening(stage, result), {})
    return {k: out / v for k, v in SCREENING_FILES.items() if (out / v).exists()}
