"""One series' split, sized and checked before anything trains.

    values = [ training windows | validation tail | test part ]
              0 .. n_fit         n_fit .. n_train   n_train .. n

The test part is ``test_size`` points (default: the horizon); the validation tail leaves
room for ``origins`` rolling forecasts (:func:`~rnnlab.forecast.selection.validation_span`),
or one horizon when the series is too short for them, or ``val_size``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data.split import split_sizes
from ..io.errors import DataError
from . import selection as S
from .config import ForecastConfig
from .transform import difference_lag


@dataclass(frozen=True)
class Split:
    n_fit: int    # the training windows come from values[:n_fit]
    n_train: int  # values[:n_train]: the training part, validation tail included
    val: int      # n_train - n_fit
    test: int     # n - n_train


def test_points(n: int, name: str, cfg: ForecastConfig) -> int:
    """The size of the held-out end of a series of ``n`` points."""
    if n < 3:
        raise DataError(f"series {name!r} has {n} point{'s' if n != 1 else ''}; a "
                        f"forecaster needs a history to learn from (at least lookback + "
                        f"horizon points, and a test part)")
    if cfg.test_size is None and cfg.horizon >= n:
        raise DataError(f"series {name!r} has {n} points, and the test part is the "
                        f"last horizon={cfg.horizon} of them unless told otherwise: use a "
                        f"shorter horizon (--horizon) or a smaller test_size (--test-size)")
    return split_sizes(n, cfg.test_size if cfg.test_size is not None else cfg.horizon)


def plan_with_season(n: int, k: int, name: str, cfg: ForecastConfig, period):
    """(period, split) of a series of ``n`` points with a test part of ``k``: the period
    left out when :func:`season_or_none` says so, and checked for ``select``."""
    split = plan_split(n, k, name, cfg, period)
    kept = season_or_none(period, split.n_fit, cfg, name)
    if kept != period:  # less than a season before the validation tail
        period, split = kept, plan_split(n, k, name, cfg, kept)
    if cfg.select == "seasonal_naive" and not period:
        raise DataError("select='seasonal_naive' needs a period: pass period=N (--period N) "
                        "or a series with regular dates (and a season of values before the "
                        "validation tail), or choose another select")
    return period, split


def season_or_none(period, n_fit: int, cfg: ForecastConfig, name: str):
    """The period inferred from the dates, or None (with a warning) when the ``n_fit``
    values before the validation tail hold less than one season of it (a monthly series
    of 18 values): the seasonal naive, scored from the validation origins, reads a season
    back (the fit failed: "seasonal_naive needs one period (12) of past values, got 11").
    A period given is kept (:func:`~rnnlab.forecast.transform.check_period` judges it)."""
    if cfg.period or not period or n_fit >= period or cfg.difference == "seasonal":
        return period
    import warnings

    warnings.warn(f"series {name!r}: its dates carry a seasonal period of {period}, and the "
                  f"{n_fit} values before the validation tail hold less than one season of "
                  f"it: the period is left out (the naive baseline stands for the seasonal "
                  f"one; MASE scales by the lag-1 naive error)", UserWarning, stacklevel=6)
    return None


def plan_split(n: int, k: int, name: str, cfg: ForecastConfig, period) -> Split:
    """The split of a series of ``n`` points with a test part of ``k``, or a DataError
    saying what it needs."""
    n_train = n - k
    ahead = cfg.horizon if cfg.strategy == "direct" else 1

    def sizes(val):
        lag = difference_lag(cfg.difference, period, n_train - val)
        return val, lag, k + val + lag + cfg.lookback + ahead + 1

    def fits(val, lag, need):
        return n >= need and n_train - val - lag >= cfg.lookback + ahead + 1

    if cfg.val_size == 0:
        val = 0
    elif cfg.val_size is None:
        val = S.validation_span(cfg.horizon, cfg.origins)
    elif cfg.val_size >= 1:
        val = int(round(cfg.val_size))
    else:
        val = max(1, int(round(n_train * cfg.val_size)))
    val, lag, need = sizes(val)
    if cfg.val_size is None and not fits(val, lag, need):
        val, lag, need = sizes(cfg.horizon)  # too short for rolling origins: one
    if not fits(val, lag, need):  # each way out offered where it lowers the need
        drop_lag = "difference='none' (--difference none)" if lag else "a longer series"
        raise DataError(
            f"series {name!r} has {n} points, too short for look-back {cfg.lookback} + "
            f"{ahead} target step(s) + differencing lag {lag} + validation {val} + test "
            f"{k} (+1 so there are 2 windows): it needs at least {need} points. Use a shorter "
            f"--lookback/--horizon/--test-size{', val_size=0 (--val-size 0),' if val else ''} "
            f"or {drop_lag}")
    return Split(n_fit=n_train - val, n_train=n_train, val=val, test=k)
