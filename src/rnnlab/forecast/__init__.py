"""Forecasting: a series in, an evaluated, plotted, saved forecast out."""

import sys

from ..lazy import LazyPackage, lazy_attr
from .config import ForecastConfig

# on first use (rnnlab.lazy): Forecaster imports torch, the baselines and metrics numpy
_LAZY = {"Forecaster": ".forecaster", "LinearAR": ".baselines", "naive": ".baselines",
         "seasonal_naive": ".baselines", "error_by_step": ".metrics", "metrics": ".metrics"}
sys.modules[__name__].__class__ = LazyPackage  # rnnlab.forecast.metrics stays the function


def __getattr__(name):
    return lazy_attr(__name__, name)


__all__ = ["Forecaster", "ForecastConfig", "metrics", "error_by_step", "naive",
           "seasonal_naive", "LinearAR"]
