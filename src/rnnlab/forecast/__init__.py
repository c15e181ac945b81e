"""Forecasting: a series in, an evaluated, plotted, saved forecast out."""

import sys
from typing import TYPE_CHECKING

from ..lazy import LazyPackage
from .config import ForecastConfig

# on first use (rnnlab.lazy): Forecaster imports torch, the baselines and metrics numpy
_LAZY = {"Forecaster": ".forecaster", "LinearAR": ".baselines", "naive": ".baselines",
         "seasonal_naive": ".baselines", "error_by_step": ".metrics", "metrics": ".metrics",
         "score_forecast": ".scoring"}
sys.modules[__name__].__class__ = LazyPackage  # rnnlab.forecast.metrics stays the function


if TYPE_CHECKING:  # what a type checker sees of _LAZY (rnnlab ships py.typed)
    from .baselines import LinearAR, naive, seasonal_naive
    from .forecaster import Forecaster
    from .metrics import error_by_step, metrics
    from .scoring import score_forecast
else:  # hidden from checkers: a misspelt name is an error there, not an Any
    from ..lazy import lazy_hooks

    __getattr__, __dir__ = lazy_hooks(__name__)  # (dir(): the lazy names too)


__all__ = ["Forecaster", "ForecastConfig", "metrics", "error_by_step", "naive",
           "seasonal_naive", "LinearAR", "score_forecast"]
