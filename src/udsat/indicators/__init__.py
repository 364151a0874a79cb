"""The indicator catalogue and its engine: any catalogue indicator for any units and year.

API: `load_catalogue(path=None)` (the versioned, cited catalogue.yaml), `compute_indicators(con,
year=..., units=...)` (numerator, denominator, value, interval, shrinkage). See docs/indicators.md.
"""

from udsat.indicators.catalogue import Catalogue, Indicator, load_catalogue
from udsat.indicators.engine import compute_indicators

__all__ = ["Catalogue", "Indicator", "compute_indicators", "load_catalogue"]
