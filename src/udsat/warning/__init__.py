"""Early warning for the state's lists: probabilities for the next 1 December, and a backtest."""

from udsat.warning.model import warn

__all__ = ["warn"]
