"""Panels: many series with covariates, one global probabilistic forecaster.

    from rnnlab.panel import GlobalForecaster, load_panel, read_panel
    panel = read_panel("sales.csv")              # unique_id / ds / y detected
    f = GlobalForecaster("lstm", lookback=24, horizon=12).fit(panel.cut(12))
    f.predict(12)                                # unique_id, ds, step, mean, q0.1, q0.5, q0.9
    backtest_models([f, GlobalForecaster("gru", lookback=24, horizon=12)], panel)  # one row each
    SeasonalNaive().fit(panel).predict(12)      # the baselines: Naive, ETS, Croston, SBA, TSB
"""

import sys
from typing import TYPE_CHECKING

from ..lazy import LazyPackage
from .config import PanelConfig

# on first use (rnnlab.lazy): GlobalForecaster imports torch, the panels' readers pandas
_LAZY = {"GlobalForecaster": ".model", "PANEL_DATASETS": ".datasets", "load_panel": ".datasets",
         "us_employment_titles": ".datasets", "PanelFrame": ".frame", "read_panel": ".frame",
         "join_keys": ".key_columns", "accuracy": ".accuracy",
         "nixtla_frame": ".nixtla_frame",  # (ours in statsforecast's columns: AutoETS-lo-80)
         "backtest_models": ".models_backtest",
         # the baselines (statsforecast's `from statsforecast.models import SeasonalNaive`
         # was an ImportError here: they were in rnnlab.panel.baselines only)
         "SeasonalNaive": ".baselines", "Naive": ".baselines", "RWDrift": ".baselines",
         "ETS": ".ets", "Mean": ".mean_baseline", "TSLM": ".tslm", "ARIMA": ".arima",
         "Croston": ".croston", "SBA": ".croston", "TSB": ".croston",
         # the warnings it raises, to filter (warnings.filterwarnings("ignore", category=...))
         "BacktestResumeWarning": ".backtest_versions", "BudgetStopWarning": ".budget_resume",
         "TimeBudgetNote": ".local_models",
         "CoarseHolidayWarning": ".coarse_holidays", "FarCovariateWarning": ".far_covariates",
         "HolidaysReleaseWarning": ".holidays_release", "OffGridWarning": ".off_grid_rows",
         "OutlierWarning": ".outlier_check",
         "TargetCovariateWarning": ".target_mirror",
         "UnreadCountryWarning": ".covariate_checks", "UtcClockWarning": ".calendar"}
sys.modules[__name__].__class__ = LazyPackage  # rnnlab.panel.accuracy stays the function


if TYPE_CHECKING:  # what a type checker sees of _LAZY (rnnlab ships py.typed)
    from .accuracy import accuracy
    from .arima import ARIMA
    from .backtest_versions import BacktestResumeWarning
    from .baselines import Naive, RWDrift, SeasonalNaive
    from .local_models import TimeBudgetNote
    from .mean_baseline import Mean
    from .budget_resume import BudgetStopWarning
    from .calendar import UtcClockWarning
    from .coarse_holidays import CoarseHolidayWarning
    from .covariate_checks import UnreadCountryWarning
    from .croston import SBA, TSB, Croston
    from .ets import ETS
    from .datasets import PANEL_DATASETS, load_panel, us_employment_titles
    from .far_covariates import FarCovariateWarning
    from .frame import PanelFrame, read_panel
    from .holidays_release import HolidaysReleaseWarning
    from .key_columns import join_keys
    from .model import GlobalForecaster
    from .models_backtest import backtest_models
    from .nixtla_frame import nixtla_frame
    from .off_grid_rows import OffGridWarning
    from .outlier_check import OutlierWarning
    from .target_mirror import TargetCovariateWarning
    from .tslm import TSLM
else:  # hidden from checkers: a misspelt name is an error there, not an Any
    from ..lazy import lazy_hooks

    __getattr__, __dir__ = lazy_hooks(__name__)  # (dir(): the lazy names too)


__all__ = ["PanelFrame", "read_panel", "GlobalForecaster", "PanelConfig", "load_panel",
           "PANEL_DATASETS", "us_employment_titles", "join_keys",
           "accuracy", "backtest_models", "nixtla_frame", "SeasonalNaive", "Naive", "RWDrift",
           "ETS", "Mean", "TSLM", "ARIMA", "Croston", "SBA",
           "TSB", "BacktestResumeWarning", "BudgetStopWarning", "CoarseHolidayWarning",
           "FarCovariateWarning",
           "HolidaysReleaseWarning", "OffGridWarning", "OutlierWarning",
           "TargetCovariateWarning", "TimeBudgetNote",
           "UnreadCountryWarning", "UtcClockWarning"]
