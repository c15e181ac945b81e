"""The checks of :meth:`Forecaster.fit <rnnlab.forecast.Forecaster.fit>` that read only the
series and the config (its dates, its length against the look-back, the horizon and the
validation tail, a constant series), defined once: ``Forecaster._fit`` plans its split
with :func:`plan_series_fit`, and ``rnnlab forecast`` runs the same function
(:func:`check_series_fits`) before it makes the run directory: ``--lookback 100000`` on a
series of 144 points made the folder, marked a run started (``rnnlab runs`` listed it, not
finished), and only then said the series was too short. One definition, so the two
routes cannot drift apart (they were two copies of the same lines)."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, NamedTuple, Optional

from ..data.series import Series
from .config import ForecastConfig

if TYPE_CHECKING:
    from .split import Split


class SeriesPlan(NamedTuple):
    """What the checks of a one-series fit leave: the series (a gap before the test part
    refilled from the training part alone), ``k`` test points, the seasonal ``period``
    (None: none) and the ``split`` (:class:`~rnnlab.forecast.split.Split`)."""

    series: Series
    k: int
    period: Optional[int]
    split: Split


def plan_series_fit(series: Series, cfg: ForecastConfig) -> SeriesPlan:
    """Check ``series`` against ``cfg`` as a one-series fit does, in its order, and plan
    its split: its dates (holidays), its test part, its gaps, a constant series or
    training part, its seasonal period (the note on sizes ``rnnlab forecast`` would round)
    and the validation tail. Raises the :class:`~rnnlab.io.errors.DataError` (or
    ConfigError) the fit raises; its warnings name the caller of ``Forecaster.fit``
    (their stack levels count this function's frame)."""
    from ..data.filling import series_filled_apart
    from ..data.frequency import seasonal_period
    from ..data.series import check_not_constant, check_part_varies
    from .holidays import check_dates
    from .period_defaults import note_api_sizes
    from .split import plan_with_season, test_points
    from .transform import check_period

    n = len(series.values)
    check_dates(series, cfg)  # (holidays: regular dates)
    k = test_points(n, series.name, cfg)
    series = series_filled_apart(series, cfg.fill, n - k)  # (a gap before the test part)
    values = series.values
    check_not_constant(values, f"series {series.name!r}")
    check_part_varies(values, n - k, f"series {series.name!r}", "the training part",
                      "Pass a longer history, or hold out fewer values (test_size)")
    period = seasonal_period(cfg.period, series.freq, series.calendar)  # (period=1: None)
    note_api_sizes(cfg, period, n, series.name)  # (rnnlab forecast rounds them)
    check_period(period, n - k, series.name, given=bool(cfg.period), held_out=k)
    period, split = plan_with_season(n, k, series.name, cfg, period)
    return SeriesPlan(series, k, period, split)


def check_series_fits(series: Series, cfg: ForecastConfig) -> None:
    """Raise the :class:`~rnnlab.io.errors.DataError` (or ConfigError) that fitting ``cfg``
    on ``series`` would raise before training (:func:`plan_series_fit`, the fit's own
    checks): too short for its look-back, horizon, differencing lag, validation tail and
    test part; constant; its dates or its period refused. Warnings are held back: fit
    says them, once, when it runs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plan_series_fit(series, cfg)
