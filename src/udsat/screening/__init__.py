"""The city screening: designate the udsatte byområder on six criteria, explain each area, score
its stability, compare with an earlier designation (docs/screening-method.md).

API: `screen_aggregate` (area-level CSV), `designate` (the pure engine), `load_config`.
"""

from udsat.screening.aggregate import screen_aggregate
from udsat.screening.config import ScreeningConfig, load_config
from udsat.screening.designate import designate
from udsat.screening.result import ScreeningResult

__all__ = ["ScreeningConfig", "ScreeningResult", "designate", "load_config", "screen_aggregate"]
