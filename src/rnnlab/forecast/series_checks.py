"""The checks of :meth:`Forecaster.fit <rnnlab.forecast.Forecaster.fit>` that read only the
series and the config (its dates, its length against the look-back, the horizon and the
validation tail, a constant series), run by ``rnnlab forecast`` before it makes the run
directory: ``--lookback 100000`` on a series of 144 points made the folder, marked a run
started (``rnnlab runs`` listed it, not finished), and only then said the series was too
short. The same functions, in the order fit calls them: each raises what fit would."""

from __future__ import annotations

import warnings

from ..data.series import Series
from .config import ForecastConfig


def check_series_fits(series: Series, cfg: ForecastConfig) -> None:
    """Raise the :class:`~rnnlab.io.errors.DataError` (or ConfigError) that fitting ``cfg``
    on ``series`` would raise before training: too short for its look-back, horizon,
    differencing lag, validation tail and test part; constant; its dates or its period
    refused. Warnings are held back: fit says them, once, when it runs."""
    from ..data.filling import series_filled_apart
    from ..data.frequency import seasonal_period
    from ..data.series import check_not_constant, check_part_varies
    from .holidays import check_dates
    from .split import plan_with_season, test_points
    from .transform import check_period

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        n = len(series.values)
        check_dates(series, cfg)
        k = test_points(n, series.name, cfg)
        series = series_filled_apart(series, cfg.fill, n - k)
        values = series.values
        check_not_constant(values, f"series {series.name!r}")
        check_part_varies(values, n - k, f"series {series.name!r}", "the training part",
                          "Pass a longer history, or hold out fewer values (test_size)")
        period = seasonal_period(cfg.period, series.freq, series.calendar)
        check_period(period, n - k, series.name, given=bool(cfg.period), held_out=k)
        plan_with_season(n, k, series.name, cfg, period)
