"""Forecasting: a series in, an evaluated, plotted, saved forecast out."""

from ..lazy import lazy_attr
from .baselines import LinearAR, naive, seasonal_naive
from .config import ForecastConfig
from .metrics import error_by_step, metrics

_LAZY = {"Forecaster": ".forecaster"}  # imports torch: on first use (rnnlab.lazy)


def __getattr__(name):
    return lazy_attr(__name__, name)


__all__ = ["Forecaster", "ForecastConfig", "metrics", "error_by_step", "naive",
           "seasonal_naive", "LinearAR"]
