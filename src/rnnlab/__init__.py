"""rnnlab: recurrent neural networks from their equations, fast and honest.

The names most code needs, here at the top level: :class:`Forecaster` (one series),
:class:`GlobalForecaster` (a panel of many), :class:`CharLM` (a character language
model), :func:`load_corpus`, :func:`build_model`, the errors to catch (every failure
rnnlab raises on purpose is a :class:`RnnlabError`) and the warnings to filter
(``warnings.filterwarnings("ignore", category=rnnlab.HolidaysReleaseWarning)``: each class
rnnlab warns with, also in the package that raises it). The layers and cells are in
:mod:`rnnlab.nn`, the training loop in :mod:`rnnlab.train`; ``rnnlab --help`` is the
command line.
"""

from typing import TYPE_CHECKING

__version__ = "0.1.0"

from .fork_threads import register as _register_fork_threads

_register_fork_threads()  # a forked worker's torch on one thread (its pool hung after fork)

# names the documentation and the issues use at the top level (``rnnlab.CharLM``), loaded
# on first use (rnnlab.lazy): ``import rnnlab`` stays torch-free
_LAZY = {"CharLM": ".lm", "load_corpus": ".data.text", "Forecaster": ".forecast",
         "GlobalForecaster": ".panel", "build_model": ".nn.registry",
         # the errors to catch: every failure rnnlab raises is a RnnlabError
         "RnnlabError": ".io.errors", "DataError": ".io.errors",
         "NotFittedError": ".io.errors", "ShapeError": ".nn.errors",
         "MismatchError": ".nn.errors", "ConfigError": ".io.errors",
         "ConfigTypeError": ".io.errors", "UnsupportedError": ".io.errors",
         # the warnings to filter: warnings.filterwarnings("ignore", category=...)
         "BacktestResumeWarning": ".panel.backtest_versions",
         "BudgetStopWarning": ".train.budget_stop",
         "CalendarWarning": ".forecast.history", "CoarseHolidayWarning": ".panel.coarse_holidays",
         "FarCovariateWarning": ".panel.far_covariates", "GRUFormWarning": ".nn.gru_form",
        "FilledTestWarning":
         ".forecast.evaluation", "FitInputNote": ".lm.inputs", "HolidaysReleaseWarning":
         ".panel.holidays_release", "IdleSettingWarning": ".idle_settings",
         "MapeSkipWarning": ".forecast.metrics", "MaseScaleWarning": ".forecast.metrics",
         "OffGridWarning": ".data.off_grid", "OlderHistoryWarning": ".forecast.history", "OneProcessNote": ".train.launch_checks",
         "OutlierWarning": ".data.outliers", "PeriodSizesNote": ".forecast.period_defaults",
         "ResumeDataWarning": ".forecast.resume_data", "TargetCovariateWarning":
         ".panel.target_mirror", "TimeBudgetNote": ".train.budget_note",
         "UnreadCountryWarning": ".panel.covariate_checks",
         "UtcClockWarning": ".panel.calendar"}

if TYPE_CHECKING:  # what a type checker sees of _LAZY (mypy, pyright: rnnlab ships py.typed)
    from .data.text import load_corpus
    from .forecast import Forecaster
    from .io.errors import (ConfigError, ConfigTypeError, DataError, NotFittedError,
                            RnnlabError, UnsupportedError)
    from .lm import CharLM
    from .nn.errors import MismatchError, ShapeError
    from .nn.registry import build_model
    from .panel import GlobalForecaster
    from .data.off_grid import OffGridWarning
    from .data.outliers import OutlierWarning
    from .forecast.evaluation import FilledTestWarning
    from .forecast.history import CalendarWarning, OlderHistoryWarning
    from .forecast.metrics import MapeSkipWarning, MaseScaleWarning
    from .forecast.period_defaults import PeriodSizesNote
    from .forecast.resume_data import ResumeDataWarning
    from .idle_settings import IdleSettingWarning
    from .lm.inputs import FitInputNote
    from .nn.gru_form import GRUFormWarning
    from .panel.backtest_versions import BacktestResumeWarning
    from .panel.calendar import UtcClockWarning
    from .panel.coarse_holidays import CoarseHolidayWarning
    from .panel.covariate_checks import UnreadCountryWarning
    from .panel.far_covariates import FarCovariateWarning
    from .panel.holidays_release import HolidaysReleaseWarning
    from .panel.target_mirror import TargetCovariateWarning
    from .train.budget_note import TimeBudgetNote
    from .train.budget_stop import BudgetStopWarning
    from .train.launch_checks import OneProcessNote
else:  # hidden from checkers, so that a misspelt name is an error there, not an Any
    def __getattr__(name):
        from .lazy import lazy_attr

        return lazy_attr(__name__, name)


def __dir__():  # dir() (tab completion, help()) lists the lazy names, none imported
    from .lazy import lazy_dir

    return lazy_dir(__name__)


__all__ = ["CharLM", "load_corpus", "Forecaster", "GlobalForecaster",
           "build_model", "RnnlabError", "DataError", "NotFittedError", "ShapeError",
           "MismatchError", "ConfigError", "ConfigTypeError", "UnsupportedError",
           "BacktestResumeWarning", "BudgetStopWarning", "CalendarWarning",
           "CoarseHolidayWarning", "FarCovariateWarning",
           "FilledTestWarning", "FitInputNote", "GRUFormWarning", "HolidaysReleaseWarning",
           "IdleSettingWarning",
           "MapeSkipWarning", "MaseScaleWarning", "OffGridWarning", "OlderHistoryWarning", "OneProcessNote",
           "OutlierWarning", "PeriodSizesNote", "ResumeDataWarning", "TargetCovariateWarning",
           "TimeBudgetNote", "UnreadCountryWarning", "UtcClockWarning"]
