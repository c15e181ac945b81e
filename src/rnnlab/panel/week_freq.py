"""A panel on a week of open days (``read_panel(weekmask=...)``, ``PanelConfig.weekmask``,
``--weekmask``: shops closed on Sundays, their rows left out): its ``freq`` is pandas'
``CustomBusinessDay(weekmask=...)`` itself, so every date drawn from it (the grid a series
is checked on, the forecast dates, the backtest's origins) is an open day, its seasonal
period is its week's open days (6 for Mon-Sat) and the day-of-week feature reads the real
weekday. Such a panel was refused with a ``fill='zero'`` hint (its Sundays "missing"), as
panel dates were frequency strings. Saved as text (``'C'``) beside the week (JSON)."""

from __future__ import annotations

from typing import Optional, Union

import numpy as np
import pandas as pd

from ..data.custom_days import calendar_offset, index_calendar, week_period
from ..io.errors import DataError
from .int_steps import STEPS


def is_week(freq) -> bool:
    """Whether a panel's ``freq`` is a week of open days (a CustomBusinessDay of one day;
    two, ``2C``, is read by its name as before)."""
    return isinstance(freq, pd.offsets.CustomBusinessDay) and freq.n == 1


def week_of(freq) -> Optional[dict]:
    """The week (``{"weekmask": "Mon ... Sat", "holidays": [...]}``) of a panel's ``freq``;
    None for a frequency string."""
    if not is_week(freq):
        return None
    return index_calendar(pd.DatetimeIndex([], freq=freq)) or {
        "weekmask": "Mon Tue Wed Thu Fri", "holidays": []}


def _known_week(freq) -> dict:
    """:func:`week_of` a ``freq`` known to be a week (one :func:`is_week` said is, or
    :func:`week_freq`'s)."""
    week = week_of(freq)
    assert week is not None  # (the callers' freq is a week: never a frequency string)
    return week


def week_freq(weekmask, source: str = "panel", dates=None):
    """The CustomBusinessDay of ``weekmask`` (checked as the one-series ``weekmask=`` is:
    :func:`~rnnlab.data.open_days.week_mask`), closed on the public holidays its clause
    names ('... holidays=US': :mod:`~rnnlab.data.closed_holidays`) in the years of
    ``dates`` and the two after."""
    from ..data.closed_holidays import closed_holidays, split_week
    from ..data.open_days import week_mask

    try:
        mask = week_mask(weekmask)
    except ValueError as e:
        raise DataError(f"{source}: {e}") from None
    country, holidays = split_week(weekmask)[1], []
    if country and dates is not None and len(dates):
        years = pd.DatetimeIndex(dates).year
        holidays = closed_holidays(country, int(years.min()), int(years.max()))
    return calendar_offset({"weekmask": mask, "holidays": holidays})


def freq_name(freq) -> str:
    """A panel's ``freq`` as its messages name it: ``'MS'``, or ``'C' (open Mon Tue Wed
    Thu Fri Sat)`` (the offset's repr said ``<CustomBusinessDay>``)."""
    week = week_of(freq)
    if week is None:
        return repr(freq)
    n = len(week["holidays"])
    return f"'C' (open {week['weekmask']}" + (f", {n} holidays closed)" if n else ")")


def period_of(freq) -> Optional[int]:
    """The seasonal period of a panel's ``freq``: its week's open days (Mon-Sat: 6), else
    the frequency's usual one."""
    from ..data.frequency import infer_period

    return week_period(week_of(freq)) if is_week(freq) else infer_period(freq)


def freq_to_json(freq) -> dict:
    """``{"freq": ...}`` of a saved model: the text, and ``"week"`` for a week of open days
    (a file saved before weeks has no ``"week"``: read as its text)."""
    return {"freq": freq.freqstr, "week": week_of(freq)} if is_week(freq) else {"freq": freq}


def freq_from_json(d: dict, source) -> Union[str, pd.offsets.BaseOffset]:
    """The ``freq`` :func:`freq_to_json` saved in ``d``."""
    from ..data.custom_days import checked_calendar
    from ..data.freq_names import this_pandas_freq

    week = checked_calendar(d.get("week"), source)
    if week is not None:
        return calendar_offset(week)
    return this_pandas_freq(str(d["freq"]))  # (saved under another pandas: M/ME)


def on_week(freq, weekmask, source: str, ds_kind=None, dates=None):
    """A panel's ``freq`` when ``weekmask`` is given (None: ``freq`` as it is): the week,
    refused with a frequency of other steps (``freq='MS'``); a CustomBusinessDay given as
    ``freq`` (``freq=pd.offsets.CustomBusinessDay(weekmask=...)``, whose name 'C' read as
    Monday to Friday) is itself the week (its holidays and the clause's together). The
    clause's holidays are those of the years of ``dates``. Integer steps and periods
    (``ds_kind``, :mod:`.date_kind`) have no weekdays: refused."""
    if ds_kind is not None:
        raise DataError(f"{source}: weekmask={weekmask!r} (or a CustomBusinessDay freq=) "
                        f"dates the series on a week of open days, and these are "
                        f"{'integer steps' if ds_kind == STEPS else 'periods'}; give "
                        f"dates, or drop weekmask")
    if weekmask is None:
        return calendar_offset(_known_week(freq)) if is_week(freq) else freq
    week = week_freq(weekmask, source, dates)
    _refuse_not_daily(dates, week, weekmask, source)
    if freq is not None and not (is_week(freq) or str(freq) in ("D", "1D", "C", "B")):
        raise DataError(f"{source}: weekmask={weekmask!r} reads daily dates on a week of "
                        f"open days, and freq={freq!r} steps by another length; drop freq= "
                        f"(the week is the step) or weekmask=")
    if is_week(freq) and _known_week(freq)["weekmask"] != _known_week(week)["weekmask"]:
        raise DataError(f"{source}: freq= is {freq_name(freq)} and weekmask={weekmask!r}; "
                        f"give one of them")
    if is_week(freq):  # (its holidays kept; '1111110': day names)
        return calendar_offset(dict(_known_week(freq), holidays=sorted(
            set(_known_week(freq)["holidays"]) | set(_known_week(week)["holidays"]))))
    return week


def _refuse_not_daily(dates, week, weekmask, source: str) -> None:
    """DataError for a panel's dates no two of which are consecutive open days of ``week``
    (weekly, monthly data), as the one-series ``weekmask=`` refuses them: a monthly panel
    was refused for "853 missing dates", pointed to fill='ffill' and a holidays= clause;
    (intraday dates: :func:`refuse_intraday`)."""
    if dates is None or not len(dates):
        return
    days = pd.DatetimeIndex(pd.Series(dates).dt.normalize().unique()).sort_values()
    grid = pd.date_range(days[0], days[-1], freq=week, tz=days.tz)
    steps = np.diff(grid.searchsorted(days))  # (open days from one date to the next)
    if len(steps) < 2 or steps.min() <= 1:
        return
    from ..data.frequency import infer_freq_with_gaps

    found = infer_freq_with_gaps(days)[0] if len(days) >= 3 else None
    raise DataError(f"{source}: weekmask={weekmask!r} reads daily dates on a week of open "
                    f"days, and these are {f'{found!r} dates' if found else 'not daily'} "
                    f"(no two of the {len(days)} dates are open days in a row; "
                    f"{max(0, len(grid) - len(days))} open days between them without one); "
                    f"drop weekmask (--weekmask)")


def refuse_intraday(long: pd.DataFrame, weekmask, source: str) -> None:
    """DataError for a panel (``long``: unique_id, ds) read on ``weekmask``'s week whose
    series have several dates a day (hourly data: refused as "dates off its calendar ...
    drop those rows"); series of one time a day each, not the same, are daily."""
    from .long_table import DS, ID

    days = long[[ID]].assign(day=pd.to_datetime(long[DS]).dt.normalize())
    n_days = len(days.drop_duplicates())
    if len(long) > n_days:
        raise DataError(f"{source}: weekmask={weekmask!r} reads daily dates on a week of open "
                        f"days, and these are intraday ({len(long)} times on {n_days} days "
                        f"of the series); drop weekmask (--weekmask)")


def refuse_other_week(panel, weekmask) -> None:
    """A DataError when a PanelFrame read without ``weekmask``'s week (``read_panel(...,
    fill='zero')``: 'D', its Sundays 0) is given to a model of that week, or without the
    holidays its clause closes ('... holidays=US': read on Mon-Fri alone, the clause was
    dropped without a word and the forecasts fell on Christmas)."""
    if weekmask is None:
        return
    from ..data.closed_holidays import split_week

    week = week_of(getattr(panel, "freq", None))
    mask = _known_week(week_freq(weekmask))["weekmask"]  # (the days: the holidays not asked)
    said = ""
    if week is not None and week["weekmask"] == mask and split_week(weekmask)[1]:
        closed = _known_week(week_freq(weekmask, dates=panel.df["ds"]))["holidays"]
        days = calendar_offset({"weekmask": mask, "holidays": []})
        open_ = [d for d in closed if d not in set(week["holidays"])
                 and days.is_on_offset(pd.Timestamp(d))]  # (a weekday it opens on)
        said = (f", open on {len(open_)} holidays its clause closes ({', '.join(open_[:3])}"
                f"{' ...' if len(open_) > 3 else ''})") if open_ else ""  # (on Christmas)
    if week is None or week["weekmask"] != mask or said:
        raise DataError(f"weekmask={weekmask!r}, and the panel given was read on "
                        f"{freq_name(panel.freq)}{said}; read it on that week "
                        f"(read_panel(..., weekmask={weekmask!r})) or give the data itself "
                        f"(a DataFrame, a CSV path)")


def read_on_week(data, weekmask, encoding=None, **read):
    """``data`` as a panel (:func:`~.frame.readable_panel`), on ``weekmask``'s week when
    given (a PanelFrame read on another calendar: refused); ``accuracy`` and ``backtest``
    read their data so. ``encoding``: a CSV file's text encoding (None: UTF-8); ``read``:
    more of ``read_panel``'s keywords for a table (``id_column``, ``off_grid``, ...)."""
    from .frame import READABLE, read_panel, readable_panel

    if encoding is not None:
        read["encoding"] = encoding
    if read and isinstance(data, READABLE):
        return read_panel(data, weekmask=weekmask, **read)
    if weekmask is None:
        return readable_panel(data)
    if isinstance(data, READABLE):
        return read_panel(data, weekmask=weekmask)
    refuse_other_week(data, weekmask)
    return data


def model_week(model) -> Optional[str]:
    """The ``weekmask`` a model instance was configured with (``GlobalForecaster(...,
    weekmask=...).config``); None for a factory, a class or a model without one."""
    return getattr(getattr(model, "config", None), "weekmask", None)


def fitted_freq(model):
    """The ``freq`` a fitted GlobalForecaster's features hold (its first local model's
    with ``local=True``); None before a fit."""
    f = getattr(model, "features", None) or next(
        (m.features for m in (getattr(model, "local", None) or {}).values()), None)
    return getattr(f, "freq", None)


def week_reading(weekmask, fitted) -> dict:
    """``read_panel``'s arguments for newer data of a model: its ``weekmask`` (the
    config's), else the week it was fitted on (a panel read on a week): ``{}`` for none."""
    if weekmask is not None:
        return {"weekmask": weekmask}
    return {"freq": fitted} if is_week(fitted) else {}


def given_week(data):
    """The week the dates given with ``data`` carry (a wide DataFrame's or a Series' index,
    each Series' of a dict, whose freq is one CustomBusinessDay with a week other than
    Mon-Fri or holidays: :func:`~rnnlab.data.custom_days.index_calendar`), as the
    one-series Forecaster reads such an index; None otherwise. The same Series that
    forecast on their Mon-Sat week one by one were refused together ("18 missing dates")."""
    idxs = [getattr(v, "index", None) for v in data.values()] if isinstance(data, dict) \
        else [getattr(data, "index", None)]
    weeks = [index_calendar(i) if isinstance(i, pd.DatetimeIndex) else None for i in idxs]
    if not weeks or any(w is None or w != weeks[0] for w in weeks):
        return None
    return calendar_offset(weeks[0])


def far_features(f, weekmask, df, horizon: int):
    """A model's features ``f`` whose week of open days also closes the holidays its
    clause names in the years a forecast of ``horizon`` steps after the latest date of
    ``df`` reaches (:func:`~rnnlab.data.closed_holidays.far_week`); ``f`` itself when
    nothing changes."""
    import dataclasses

    freq = far_freq(f.freq, weekmask, df, horizon)
    return f if freq is f.freq else dataclasses.replace(f, freq=freq)


def far_panel(panel, weekmask, horizon: int):
    """``panel`` on :func:`far_features`' week (a baseline forecasting past its data reads
    its dates from the panel's ``freq``)."""
    import dataclasses

    freq = far_freq(panel.freq, weekmask, panel.df, horizon)
    return panel if freq is panel.freq else dataclasses.replace(panel, freq=freq)


def far_freq(freq, weekmask, df, horizon: int):
    """``freq`` (a panel's) also closing ``weekmask``'s clause's holidays of the years a
    forecast of ``horizon`` steps after the latest date of ``df`` reaches; ``freq`` itself
    when nothing changes (the freq alone: a panel of any shape, dataclass or not)."""
    from ..data.closed_holidays import far_week

    if weekmask is None or not len(df):
        return freq
    return far_week(freq, weekmask, df["ds"].max(), horizon)
