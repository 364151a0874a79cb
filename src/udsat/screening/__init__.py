"""The city screening: designate the udsatte byområder on six criteria, explain each area, score
its stability, compare with an earlier designation (docs/screening-method.md).

API: `run_screening` (microdata), `screen_aggregate` (area-level CSV), `write_screening` (its
outputs, through udsat.publish), `designate` (the pure engine), `load_config`.
"""

from udsat.screening.aggregate import screen_aggregate
from udsat.screening.config import ScreeningConfig, load_config
from udsat.screening.designate import designate
from udsat.screening.publish import write_screening
from udsat.screening.result import ScreeningResult
from udsat.screening.run import run_screening

__all__ = [
    "ScreeningConfig",
    "ScreeningResult",
    "designate",
    "load_config",
    "run_screening",
    "screen_aggregate",
    "write_screening",
]
