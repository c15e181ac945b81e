"""A country's public holidays as a second input of the one-series Forecaster.

``Forecaster(calendar=('holiday',), country='US')`` (Prophet's ``add_country_holidays``,
Darts' ``add_holidays``): the flag of each date (1 on a public holiday of ``country``, from
the `holidays` package as :mod:`rnnlab.panel.calendar` reads it, else 0) is known ahead, so
the network reads, beside each value of its window, the flag of the date that follows it,
and the flags of the dates it forecasts. The flags are data of the dates, never saved:
a loaded model reads them again from its series' dates.

Layout: a window starting at position s reads the values ``s .. s+T-1`` and the flags of
``s+1 .. s+T+K-1`` (:func:`flag_width`: ``K`` the outputs of the direct and recursive
strategies, ``T + K - 1`` flags; seq2seq's ``T`` outputs are the next dates, ``T`` flags),
packed after the values as one row of ``T + flag_width`` numbers. The baselines read no
flags."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from ..io.errors import DataError

HOLIDAY = "holiday"


def check_calendar(cfg, need) -> None:
    """ForecastConfig's ``calendar`` and ``country``: only 'holiday', which needs a country
    and the `holidays` package (the ``panel`` extra), refused before any data is read."""
    from ..calendar_options import names_problem, read_names

    bad = names_problem(cfg.calendar, "calendar", "feature names ('holiday', or ('holiday',))")
    need(bad is None, bad)  # (was: TypeError "not iterable")
    object.__setattr__(cfg, "calendar", read_names(cfg.calendar))
    other = [c for c in cfg.calendar if c != HOLIDAY]
    need(not other, f"calendar features {other}: the one-series Forecaster reads 'holiday' "
         f"only (calendar=('holiday',), country='US'); the cyclic ones (month, quarter, "
         f"dayofweek, hour, dayofyear) and the holiday counts (quarter_holidays, "
         f"month_holidays) are rnnlab.panel.GlobalForecaster's, which takes one series too")
    need(cfg.country is None or (isinstance(cfg.country, str) and cfg.country),
         f"country must be a `holidays` country code such as 'US' or 'AU-VIC', got "
         f"{cfg.country!r}")
    _check_zone(cfg, need)
    if HOLIDAY not in cfg.calendar:
        return
    need(bool(cfg.country), "calendar feature 'holiday' needs country= (--country: a "
         "`holidays` country code, e.g. 'US', or 'AU-VIC' for a state's holidays)")
    from ..extras import require

    require("holidays", "calendar feature 'holiday'", "leave 'holiday' out of calendar")
    from ..panel.calendar import holiday_dates

    holiday_dates(pd.DatetimeIndex([]), cfg.country)  # (an unknown code: before any run folder)


def _check_zone(cfg, need) -> None:
    """``time_zone``: a zone's name, read by calendar 'holiday' alone (one series: the
    dates' clock for their holidays; the outputs keep the dates as read)."""
    zone = getattr(cfg, "time_zone", None)
    if zone is None:
        return
    from ..panel.zone_names import zone_problem

    need(zone_problem(zone) is None, zone_problem(zone))
    need(HOLIDAY in cfg.calendar, f"time_zone={zone!r} reads the dates' holidays on that "
         f"clock, and calendar has no 'holiday', so it would change nothing; add "
         f"calendar=('holiday',), country=... (--calendar holiday --country US), or drop "
         f"time_zone (--time-zone)")


def uses_holidays(cfg) -> bool:
    return HOLIDAY in getattr(cfg, "calendar", ())


def outputs(cfg) -> int:
    """The network's outputs per window: H (direct), 1 (recursive), T (seq2seq)."""
    return {"direct": cfg.horizon, "recursive": 1, "seq2seq": cfg.lookback}[cfg.strategy]


def flag_width(cfg) -> int:
    """Flags packed after a window's T values (0 without holidays)."""
    if not uses_holidays(cfg):
        return 0
    return cfg.lookback if cfg.strategy == "seq2seq" else cfg.lookback + outputs(cfg) - 1


def check_dates(series, cfg) -> None:
    """A fit with holidays needs regular dates: the flags of the future are read from the
    dates that follow. ``country`` without 'holiday' reads nothing: said, as the panel's."""
    if not uses_holidays(cfg):
        from ..panel.covariate_checks import warn_unread_country

        warn_unread_country(cfg.country, cfg.calendar, stacklevel=6)
        return
    if series.index is None or series.future_index(1) is None:
        what = "no dates" if series.index is None else "dates of no regular frequency"
        raise DataError(f"calendar=('holiday',) reads each date's holidays, and series "
                        f"{series.name!r} has {what}: give it a date column (date_column=, "
                        f"--date-column) on a regular calendar, or drop calendar (--calendar)")
    from ..panel.coarse_holidays import warn_coarse_holidays

    warn_coarse_holidays(cfg.calendar, series.index, cfg.country, stacklevel=6)
    if cfg.time_zone is None:  # (a zone named, UTC too, is the clock meant)
        warn_utc_holidays(series, cfg.country, stacklevel=6)


def warn_utc_holidays(series, country: str, stacklevel: int = 2) -> None:
    """Warn (the panel's :class:`~rnnlab.panel.calendar.UtcClockWarning`) when hourly or
    finer dates are held in UTC: dates written with an offset that changes with daylight
    saving time (+11:00, then +10:00) are read as UTC instants, and each one's holiday was
    taken from its UTC date without a word (a Melbourne Good Friday flagged from 10:00 or
    11:00 that day; the panel model said so, the one-series one did not)."""
    from ..panel.calendar import UtcClockWarning, intraday

    tz = getattr(series.index, "tz", None)
    zone = getattr(tz, "key", None) or str(tz)
    if zone not in ("UTC", "Etc/UTC") or not intraday(series.freq):
        return
    import warnings

    warnings.warn(f"calendar 'holiday' reads the holidays of {country!r} from the dates' UTC "
                  f"clock (dates written with a UTC offset that changes with daylight saving "
                  f"time are read in UTC), so each holiday is flagged hours off the local "
                  f"day. Give the series its time zone: a pandas Series whose index is "
                  f"s.index.tz_convert('Australia/Melbourne'), or time_zone="
                  f"'Australia/Melbourne' (--time-zone), or a file of dates on the local "
                  f"clock without an offset; where UTC is their clock, say so "
                  f"(time_zone='UTC', --time-zone UTC)",
                  UtcClockWarning, stacklevel=stacklevel + 1)


def flags_of(dated, first: int, count: int, country: str,
             zone: Optional[str] = None) -> np.ndarray:
    """(count,) flags of positions ``first .. first+count-1`` of ``dated``'s dates, those
    after its end continued on its calendar (:meth:`~rnnlab.data.series.Series.future_index`);
    dates with a UTC offset read on the clock of ``zone`` when given (``time_zone``)."""
    from ..panel.calendar import calendar_features

    n = len(dated.index)
    dates = pd.DatetimeIndex(_stamps(dated.index[max(first, 0):first + count]))
    if first + count > n:
        later = dated.future_index(first + count - n)  # (positions n ..)
        dates = dates.append(pd.DatetimeIndex(_stamps(later))[max(first - n, 0):])
    if zone is not None and dates.tz is not None:  # (naive dates: its clock already)
        dates = dates.tz_convert(zone)
    return calendar_features(dates, (HOLIDAY,), country)[:, 0].astype(np.float64)


def _stamps(index) -> pd.Index:
    return index.to_timestamp() if isinstance(index, pd.PeriodIndex) else index


def window_flags(flags: np.ndarray, starts, width: int) -> np.ndarray:
    """(len(starts), width) flags after the first value of the windows starting at
    ``starts`` (positions of ``flags``, model space), zeros past its end."""
    starts = np.asarray(starts, dtype=np.int64)
    need = int(starts.max()) + 1 + width if len(starts) else 0
    padded = np.concatenate([flags, np.zeros(max(0, need - len(flags)))])
    return np.array(np.lib.stride_tricks.sliding_window_view(padded, width)[starts + 1])


def with_flags(x: np.ndarray, flags: Optional[np.ndarray], cfg) -> np.ndarray:
    """Training windows (N, T) starting at 0, 1, ... with the model-space ``flags`` of
    their dates after them: (N, T + W); as they are without flags."""
    if flags is None:
        return x
    seen = window_flags(flags, np.arange(len(x)), flag_width(cfg))  # (N, W)
    if not seen.any():  # (the flag's weights would stay as drawn: any holiday ahead, noise)
        raise DataError(f"calendar=('holiday',): no date the network trains on is a public "
                        f"holiday of {cfg.country!r}, so it cannot learn what one does (and "
                        f"a holiday ahead would move its forecast by untrained weights); give "
                        f"a longer history, check country, or drop calendar")
    return np.concatenate([np.asarray(x), seen], axis=1)


def series_flags(series, cfg, lag: int) -> Optional[np.ndarray]:
    """The flags of the series' model-space values (its positions ``lag ..``), or None
    without holidays."""
    if not uses_holidays(cfg):
        return None
    return flags_of(series, lag, len(series.values) - lag, cfg.country, cfg.time_zone)


def history_flags(f, dated, length: int, steps: int) -> Optional[np.ndarray]:
    """(1, T + steps + K) flags after the look-back of a history of ``length`` values whose
    dates are ``dated``'s first (default: the fitted series'), for :func:`~.net.rollout`;
    None without holidays."""
    cfg = f.config
    if not uses_holidays(cfg):
        return None
    dated = f.series if dated is None else dated
    if dated.index is None or dated.future_index(1) is None:  # (len(None): a TypeError)
        what = "no dates" if dated.index is None else "dates of no regular frequency"
        raise DataError(f"calendar=('holiday',) reads the holidays of the dates forecast, "
                        f"and the history has {what}: pass it with its dates (a pandas "
                        f"Series on a DatetimeIndex, or a table and its date_column) on the "
                        f"{f.series.freq!r} calendar the model was fitted on")
    if length > len(dated.index):
        raise DataError(f"a history of {length} values and dates for {len(dated.index)}: "
                        f"calendar=('holiday',) reads the dates of each value; forecast past "
                        f"newer data with predict(horizon, history=...) (a dated series)")
    first = length - cfg.lookback + 1
    return flags_of(dated, first, cfg.lookback + steps + outputs(cfg), cfg.country,
                    cfg.time_zone)[None]
