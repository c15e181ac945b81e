"""Forecasting: a series in, an evaluated, plotted, saved forecast out."""

import sys
from typing import TYPE_CHECKING

from ..lazy import LazyPackage
from .config import ForecastConfig

# on first use (rnnlab.lazy): Forecaster imports torch, the baselines and metrics numpy
_LAZY = {"Forecaster": ".forecaster", "LinearAR": ".baselines", "naive": ".baselines",
         "seasonal_naive": ".baselines", "error_by_step": ".metrics", "metrics": ".metrics",
         "score_forecast": ".scoring",
         # the warnings it raises, to filter (warnings.filterwarnings("ignore", category=...))
         "CalendarWarning": ".history", "FilledTestWarning": ".evaluation",
         "MapeSkipWarning": ".metrics", "MaseScaleWarning": ".metrics",
         "OlderHistoryWarning": ".history", "PeriodSizesNote": ".period_defaults",
         "ResumeDataWarning": ".resume_data", "CoarseHolidayWarning": ".raised_warnings",
         "HolidaysReleaseWarning": ".raised_warnings", "OffGridWarning": ".raised_warnings",
         "OutlierWarning": ".raised_warnings",
         "UnreadCountryWarning": ".raised_warnings", "UtcClockWarning": ".raised_warnings"}
sys.modules[__name__].__class__ = LazyPackage  # rnnlab.forecast.metrics stays the function


if TYPE_CHECKING:  # what a type checker sees of _LAZY (rnnlab ships py.typed)
    from .baselines import LinearAR, naive, seasonal_naive
    from .evaluation import FilledTestWarning
    from .forecaster import Forecaster
    from .history import CalendarWarning, OlderHistoryWarning
    from .metrics import MapeSkipWarning, MaseScaleWarning, error_by_step, metrics
    from .period_defaults import PeriodSizesNote
    from .raised_warnings import (CoarseHolidayWarning, HolidaysReleaseWarning,
                                  OffGridWarning, OutlierWarning, UnreadCountryWarning,
                                  UtcClockWarning)
    from .resume_data import ResumeDataWarning
    from .scoring import score_forecast
else:  # hidden from checkers: a misspelt name is an error there, not an Any
    from ..lazy import lazy_hooks

    __getattr__, __dir__ = lazy_hooks(__name__)  # (dir(): the lazy names too)


__all__ = ["Forecaster", "ForecastConfig", "metrics", "error_by_step", "naive",
           "seasonal_naive", "LinearAR", "score_forecast", "CalendarWarning",
           "FilledTestWarning", "MapeSkipWarning", "MaseScaleWarning", "OlderHistoryWarning",
           "PeriodSizesNote", "ResumeDataWarning", "CoarseHolidayWarning",
           "HolidaysReleaseWarning", "OffGridWarning", "OutlierWarning",
           "UnreadCountryWarning", "UtcClockWarning"]
