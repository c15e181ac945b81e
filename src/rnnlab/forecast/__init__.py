"""Forecasting: a series in, an evaluated, plotted, saved forecast out."""

from .baselines import LinearAR, naive, seasonal_naive
from .config import ForecastConfig
from .forecaster import Forecaster
from .metrics import error_by_step, metrics

__all__ = ["Forecaster", "ForecastConfig", "metrics", "error_by_step", "naive",
           "seasonal_naive", "LinearAR"]
