"""``Forecaster.backtest``: the rolling-origin backtest of :mod:`rnnlab.panel.backtest` on
one series, with the same baselines over the same origins.

The series becomes a one-series panel, and :class:`SeriesModel` puts a
:class:`~rnnlab.forecast.Forecaster` behind the panel protocol: ``fit(panel)`` trains a
fresh Forecaster of the configuration on the series up to the origin (``test_size=0``:
the backtest has already cut off what is held out), ``predict(horizon, history=...)``
forecasts from a later origin with the weights fitted earlier (``refit="never"``). So a
single series and a panel are judged by one and the same code.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from ..data.frequency import seasonal_period
from ..data.outliers import warn_spikes
from ..callers_line import callers_level
from ..data.series import Series
from ..io.errors import DataError, NotFittedError
from ..panel.baseline_names import DEFAULT_BASELINES
from ..train.budget_note import TimeBudgetNote, budget_model
from .config import ForecastConfig
from .history import CalendarWarning, warn_calendar

if TYPE_CHECKING:
    from .forecaster import Forecaster

ID = "unique_id"


class SeriesModel:
    """A Forecaster of ``config`` behind the panel protocol, for a one-series panel whose
    rows are the first values of ``series`` (its dates, when regular, are kept)."""

    def __init__(self, config: ForecastConfig, series: Series,
                 quantiles: Optional[Sequence[float]] = ()):
        self.config = config.replace(test_size=0)
        self.series = series
        self.quantiles = tuple(() if quantiles is None else quantiles)  # predict()'s q columns
        self.forecaster: Optional[Forecaster] = None  # (fit's, on the series up to the origin)
        self._panel = None

    def _one(self, panel):
        ids = list(pd.unique(panel.df[ID]))
        if len(ids) != 1:
            raise DataError(f"SeriesModel forecasts one series; the panel holds {len(ids)} "
                            f"({ids[:5]}); use rnnlab.panel.GlobalForecaster for a panel")
        return ids[0], panel.df["ds"].to_numpy(), panel.df["y"].to_numpy(np.float64)

    def fit(self, panel, static=None) -> "SeriesModel":
        from .forecaster import Forecaster

        part = self._part(panel)
        try:
            # (budget_model(None): the one network of a one-series backtest, named "model"
            # in its results, goes unnamed in its time budget's note: "model 'model': ...")
            with warnings.catch_warnings(), budget_model(None):  # said once, by backtest_series
                warnings.simplefilter("ignore", CalendarWarning)
                warnings.simplefilter("ignore", TimeBudgetNote)  # (a backtest's fits:
                # gathered before this filter by its budget_said_once, said at its end)
                self.forecaster = Forecaster(config=self.config).fit(part)
        except DataError as e:
            raise self._origin_error(part, e) from None
        self._panel = panel
        return self

    def check_fit(self, panel) -> None:
        """The DataError :meth:`fit` would raise on ``panel`` before it trains (too short
        for the look-back, constant: :func:`.series_checks.check_series_fits`), without
        training: a CLI backtest says it before its run directory is made."""
        from .series_checks import check_series_fits

        part = self._part(panel)
        try:
            check_series_fits(part, self.config)
        except DataError as e:
            raise self._origin_error(part, e) from None

    def _part(self, panel) -> Series:
        """The series up to the origin, the rows of the one-series ``panel``."""
        _, _, y = self._one(panel)
        s = self.series
        filled, fill = _filled_positions(panel)  # (its own fit's validation origins refill
        # a gap filled across them: a Series without the record was taken as observed)
        return Series(values=y, index=None if s.index is None else s.index[:len(y)],
                      name=s.name, freq=s.freq, filled=filled, fill=fill,
                      calendar=s.calendar)  # (a Mon-Sat week: its period 6, not none)

    def _origin_error(self, part: Series, e: DataError) -> DataError:
        """``e`` of a fit at an origin that leaves too little: which, and what to do."""
        n, y = len(self.series), len(part.values)
        return DataError(f"backtest: the origin {n - y} steps before the end leaves {y} of "
                         f"the {n} values to train on: {e}; or pass a smaller first_origin")

    def predict(self, horizon: int, future=None, history=None) -> pd.DataFrame:
        from ..panel.baseline_frames import forecast_frame, future_dates

        if self.forecaster is None or self._panel is None:  # (fit sets both)
            raise NotFittedError("SeriesModel.predict() before fit(); call fit(panel)")
        panel = history if history is not None else self._panel
        uid, ds, y = self._one(panel)
        mean = self.forecaster.forecast_from(y, int(horizon), self.series)  # (its dates)
        quant = None
        levels: Tuple[float, ...] = ()  # (the quantiles forecast: none without)
        if self.quantiles:
            from .intervals import NoIntervalsError, quantile_forecast

            try:
                quant = quantile_forecast(self.forecaster, y, mean, self.quantiles)
                levels = self.quantiles
            except NoIntervalsError as e:  # e.g. difference="none": none from any origin,
                warnings.warn(f"backtest: the model's forecasts have no quantiles ({e})",
                              stacklevel=callers_level(2))  # the model is scored on points
                self.quantiles = ()
            except DataError as e:  # this origin's history (too short, flat): the others
                # keep theirs (a refit="never" backtest turned them all off after one)
                warnings.warn(f"backtest: the model's forecast from the origin "
                              f"{len(self.series) - len(y)} steps before the end has no "
                              f"quantiles ({e}); its interval scores (pinball, CRPS, "
                              f"coverage) are over the other origins",
                              stacklevel=callers_level(2))  # (backtest's caller)
        return forecast_frame(uid, future_dates(ds[-1], int(horizon), panel.freq), mean,
                              quant, levels)


def _filled_positions(panel):
    """(positions, fill) of the target values of the one-series ``panel`` that its fill
    filled (:mod:`rnnlab.panel.refill`), or (None, None)."""
    filled = getattr(panel, "filled", None)
    if filled is None or "y" not in filled.mask.columns \
            or not filled.keys.equals(panel.df[[ID, "ds"]]):
        return None, None
    pos = np.flatnonzero(filled.mask["y"].to_numpy())
    return (pos, filled.fill) if len(pos) else (None, None)


def series_panel(series: Series, period: Optional[int], fill: Optional[str] = None):
    """A one-series PanelFrame of ``series``: its own dates when they are a regular grid,
    else a stand-in daily calendar (the dates only label the rows; ``period`` is kept).
    ``fill``: how ``series.filled`` was filled, so that each origin fills those values
    again from its own history when the fill reads ahead, and the backtest says how many
    of the values it scores were filled in (:mod:`rnnlab.panel.refill`)."""
    from ..panel.frame import PanelFrame
    from ..panel.refill import Filled

    n = len(series)
    idx, freq = series.index, series.freq
    if idx is None or freq is None or n == 0 or \
            not pd.date_range(idx[0], periods=n, freq=freq).equals(pd.DatetimeIndex(idx)):
        idx, freq = pd.date_range("2000-01-01", periods=n, freq="D"), "D"
    df = pd.DataFrame({ID: str(series.name), "ds": pd.DatetimeIndex(idx),
                       "y": np.asarray(series.values, np.float64)})
    filled, fill = None, series.fill or fill  # (a Series filled by load_series says how)
    if fill is not None and series.filled is not None and len(series.filled):
        mask = np.zeros(n, dtype=bool)
        mask[np.asarray(series.filled, dtype=np.int64)] = True
        filled = Filled(fill, pd.DataFrame({"y": mask}), df[[ID, "ds"]].copy())
    return PanelFrame(df, freq, period, (str(series.name),), filled=filled)


def backtest_series(config: ForecastConfig, data, *, horizon: Optional[int] = None,
                    first_origin: Optional[int] = None, stride: Optional[int] = None,
                    refit="never", baselines: Sequence = DEFAULT_BASELINES,
                    quantiles: Optional[Sequence[float]] = (0.1, 0.5, 0.9), column=None,
                    date_column=None, encoding: Optional[str] = None, off_grid: str = "refuse"):
    """The backtest of a Forecaster of ``config`` on ``data`` (what ``Forecaster.fit``
    takes, read as fit reads it: ``column``, ``date_column``, ``encoding``, ``off_grid``)
    beside ``baselines``; see :meth:`rnnlab.forecast.Forecaster.backtest`."""
    from ..data.datasets import resolve_data
    from ..panel.backtest import backtest
    from ..data.outliers import quiet_spikes
    from ..data.reading_options import check_reading

    quantiles = _levels(quantiles)  # before the data is read or anything trained
    check_reading("Forecaster.backtest", encoding, off_grid)
    from ..io.encoded_path import named_call

    with named_call("Forecaster.backtest"):
        series = resolve_data(data, column=column, date_column=date_column, fill=config.fill,
                              weekmask=config.weekmask, encoding=encoding, off_grid=off_grid)
    warn_calendar(series, stacklevel=4)
    h = config.horizon if horizon is None else _count(horizon, "horizon", 1)
    stride = h if stride is None else _count(stride, "stride", 1)
    if first_origin is not None:
        first_origin = _count(first_origin, "first_origin", h)
        if first_origin > len(series) - 2:
            raise DataError(f"backtest: first_origin={first_origin} steps before the end of "
                            f"series {series.name!r}, which has {len(series)} values, leaves "
                            f"fewer than 2 to train on; pass a smaller first_origin")
    if isinstance(baselines, str):  # "naive" or "naive,ets", as rnnlab backtest takes them
        baselines = tuple(b.strip() for b in baselines.split(",") if b.strip())
    period = seasonal_period(config.period, series.freq, series.calendar)
    panel = series_panel(series, period, config.fill)
    # its extreme values named at its own labels (the panel's may be a stand-in calendar:
    # an array's position 50 was named "2000-02-20"), once, as the fit names them
    warn_spikes(series.name, series.values, series.labels(), stacklevel=4)
    with quiet_spikes():  # (a time budget's stops: said once for all origins' networks,
        # "2 of 6 networks", by the panel backtest's budget_said_once)
        res = backtest(lambda: SeriesModel(config, series, quantiles), panel, horizon=h,
                       first_origin=first_origin, stride=stride, refit=refit,
                       baselines=baselines, quantiles=quantiles, name="model")
    return _dated(res, series, panel)


def _levels(quantiles) -> tuple:
    """backtest()'s levels: None or () (no intervals: the model and the baselines scored
    on points; None gave the baselines (0.1, 0.5, 0.9) and the model none), a level, or
    increasing levels in (0, 1) (a numpy array was refused by its truth value)."""
    from ..panel.call_args import one_level
    from .intervals import quantile_levels

    if quantiles is None or (not one_level(quantiles) and len(quantiles) == 0):
        return ()
    return quantile_levels(quantiles, "backtest(quantiles=...)")


def _count(value, name: str, least: int) -> int:
    """A whole number >= ``least`` (a stride of 0 was taken as the default), read as every
    count of steps is (:func:`~rnnlab.panel.call_args.step_count`: 4.0 and np.array(4)
    are 4, as ``predict`` and the panel's backtest read them; 2.0 was refused here)."""
    from ..panel.call_args import step_count

    try:
        n = step_count(value, name)
    except DataError:
        n = None
    if n is None or n < least:
        raise DataError(f"backtest: {name} must be a whole number >= {least}"
                        f"{' (the horizon: one whole forecast of truth)' if least > 1 else ''}"
                        f", got {value!r}")
    return n


def _dated(res, series: Series, panel):
    """``res`` with its origins and forecast dates put back on the series' own dates when
    the panel ran on a stand-in calendar (dates with gaps, such as trading days with
    holidays, or irregular ones): row k of the stand-in is the series' k-th date; a
    series without dates gets its labels (0, 1, ...: Series.labels) instead."""
    if series.index is not None and pd.DatetimeIndex(panel.df["ds"]).equals(
            pd.DatetimeIndex(series.index)):
        from ..panel.date_kind import restore_dates

        # a PeriodIndex given: its periods back, as a panel given periods gets them
        res.forecasts = restore_dates(res.forecasts, series.period_freq)
        return res
    start = panel.df["ds"].iloc[0]
    # no dates: the series' numbers, as predict() continues them (not days of 2000)
    dates = series.labels()
    fc = res.forecasts.copy()
    for col in ("origin", "ds"):
        pos = ((pd.DatetimeIndex(fc[col]) - start) // pd.Timedelta(days=1)).to_numpy()
        fc[col] = dates[pos]
    res.forecasts = fc
    if series.index is not None:  # and the origins its repr and summary.json name, dated
        # (trading days with holidays, a Mon-Sat week: they read 2000-02-12, ...)
        res.origin_dates = [d if d is None else dates[(pd.Timestamp(d) - start).days]
                            for d in res.origin_dates]
    return res
