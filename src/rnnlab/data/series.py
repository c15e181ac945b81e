"""Numeric series from CSV files, pandas objects and arrays, checked before use.

:func:`load_series` returns a :class:`Series`: float64 values, an optional
``DatetimeIndex`` (parsed from a date column when there is one) and its frequency.
Every problem (missing file, unknown column, non-numeric cells, NaNs, a constant
series) raises :class:`~rnnlab.io.errors.DataError` naming what was found and what to do.

CSV files are checked before pandas reads them (:mod:`.csv_file`), in one streaming pass
of 1 MiB chunks (so a hostile file costs little memory): at most ``MAX_CSV_BYTES``
(256 MiB), no line longer than ``MAX_LINE_BYTES`` (1 MiB), at most ``MAX_COLUMNS``
(10,000) header fields, UTF-8 (a BOM is allowed; latin-1 or other bytes are refused
with their line and byte offset) and no NUL bytes (binary files). Empty files and
directories are refused too. Dates and their calendar: :mod:`.dates`; which column holds
the values: :mod:`.value_column`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

import numpy as np
import pandas as pd

from ..io.errors import DataError, shown_name
from .csv_file import (MAX_COLUMNS, MAX_CSV_BYTES, MAX_LINE_BYTES,  # noqa: F401
                       read_csv_checked)
from .closed_days import closed_days_hint
from .custom_days import calendar_offset, read_on_calendar
from .date_forms import typed_periods
from .date_typo import refuse_typed_date
from .dates import describe_rows, find_date_column, index_dates, parse_dates  # noqa: F401
from .frequency import infer_freq_with_gaps, infer_period  # noqa: F401
from .filling import business_days, fill_dates, filled_values, trailing_note
from .labels import RowLabels, lost_labels, number_labels
from .off_grid import checked_off_grid, kept_positions, mended_dates
from ..callers_line import callers_level
from .numbers import numbers_of, quiet_nans, real_values, refuse_boolean, warn_rounded_integers
from .open_days import blank_closed_hint, on_week
from .option_names import FILLS
from .split import chronological_split, split_sizes  # noqa: F401  (their old home)
from .value_checks import (MAX_ABS, check_not_constant, check_part_varies,  # noqa: F401
                           check_values)
from .series_forms import from_array, from_frame, from_series, levels_as_columns

@dataclass
class Series:
    """A univariate series: ``values`` (N,) float64, ``index`` dates or None."""

    values: np.ndarray
    index: Optional[pd.DatetimeIndex] = None
    name: str = "value"
    freq: Optional[str] = None  # pandas frequency string when the dates are regular
    gaps: int = 0  # dates of the freq grid missing between the first and the last
    filled: Optional[np.ndarray] = None  # positions whose NaN was filled in (fill=...)
    first: int = 0  # no dates: the first value's label (a pandas index 100, 101, ...)
    step: int = 1  # and the step between labels (1950, 1955, ...: 5)
    period_freq: Optional[str] = None  # dates given as a PeriodIndex of this freq ('M'):
    # held as timestamps, given back as periods (labels, future_index)
    fill: Optional[str] = None  # the fill that filled ``filled`` (ffill | bfill | interpolate):
    # a model fits on the training part refilled from itself alone (data.filling.filled_apart)
    date_format: Optional[str] = None  # the strftime form the dates were written in as text
    # ('%m/%d/%Y'; None: ISO or not text): files written with the dates write them so
    calendar: Optional[dict] = None  # business days of a CustomBusinessDay index (weekmask,
    # holidays: .custom_days): future dates skip its holidays

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:  # (the dataclass' printed every value)
        from ..model_repr import series_repr

        return series_repr(self)

    def labels(self) -> pd.Index:
        """The dates, else the numbers labelling the values (0, 1, ... for an array)."""
        if self.index is not None:
            return self.as_given(self.index)
        return pd.RangeIndex(self.first, self.first + self.step * len(self), self.step)

    def to_pandas(self) -> pd.Series:
        return pd.Series(self.values, index=self.labels(), name=self.name)

    def gap_note(self) -> Optional[str]:
        """A line saying how many dates of the calendar are missing, or that the dates
        follow no single frequency (None when the calendar is whole)."""
        if self.index is not None and self.freq is None and len(self.index) >= 3:
            from .month_days import month_day_hint

            hint = month_day_hint(self.index) or closed_days_hint(self.index)
            return ("its dates follow no single frequency (irregular, or mixed such as "
                    "monthly then daily); the values are read as evenly spaced steps, no "
                    "seasonal period is known from the dates (pass --period) and forecasts "
                    "are numbered by step, not dated" + (f"; {hint}" if hint else ""))
        if not self.gaps:
            return None
        closed = closed_days_hint(self.index) if self.freq == "D" else None
        if closed:  # (a shop's Mon-Sat rows: every Sunday "missing", period 7 on 6 steps)
            return (f"{self.gaps} dates of its 'D' calendar are missing, read as consecutive "
                    f"steps on that calendar (its period 7, forecasts dated on every day): {closed}")
        from .clock_hours import skipped_hour_hint
        from .closed_holidays import CLAUSE_HINT

        clock = skipped_hour_hint(self.index, self.freq)
        return (f"{self.gaps} dates of its {self.freq!r} calendar are missing "
                f"({clock or 'holidays or gaps'}); the values are read as consecutive "
                f"steps, and forecasts are dated on that calendar" + (
                    "" if clock else CLAUSE_HINT if business_days(self.freq) else
                    "; fill='interpolate' (--fill interpolate) fills them"))

    def future_index(self, n: int) -> Optional[pd.Index]:
        """The ``n`` dates after the last one; without dates, the labels that follow
        (None for dates of no regular frequency)."""
        if self.index is None:
            end = self.first + self.step * len(self)
            return pd.RangeIndex(end, end + self.step * n, self.step)
        if self.freq is None or len(self.index) == 0:
            return None
        freq = self.freq if self.calendar is None else calendar_offset(self.calendar)
        return self.as_given(pd.date_range(self.index[-1], periods=n + 1, freq=freq,
                                           name=self.index.name)[1:])  # (the index' name kept)

    def written(self, labels: pd.Index) -> pd.Index:
        """``labels`` (dates from :meth:`labels` or :meth:`future_index`) as a file writes
        them: text in the form the series' dates were written in (02/10/2020), so a
        forecast joins back to the file on its dates; other labels as they are."""
        if self.date_format is None or not isinstance(labels, pd.DatetimeIndex):
            return labels
        from .half_years import dates_text  # (a form may hold a half-year: 2015-H1)

        return dates_text(labels, self.date_format).rename(labels.name)

    def as_given(self, dates: pd.DatetimeIndex) -> pd.Index:
        """``dates`` in the kind the series' dates came in: periods for a PeriodIndex."""
        return dates if self.period_freq is None else dates.to_period(self.period_freq)


def load_series(data, column: Union[str, int, None] = None, date_column=None,
                fill: Optional[str] = None, name: Optional[str] = None,
                weekmask: Optional[str] = None, encoding: Optional[str] = None,
                off_grid: str = "refuse") -> Series:
    """Turn a CSV path, a pandas Series/DataFrame or an array into a checked :class:`Series`
    (a built-in dataset's name, ``airline``, or ``stooq:SYMBOL``: that series).

    ``column``: name or position of the numeric column (default: the only numeric one,
    or ``Close``). ``date_column``: the dates' column (default: one named date/month/...;
    ``False``: none). ``fill``: what to do with NaNs (ffill | bfill | interpolate | drop);
    by default NaNs are an error naming their rows. ``weekmask``: the days of the week a
    daily series is open ('Mon Tue Wed Thu Fri Sat'): its dates on that calendar
    (:mod:`.open_days`; the closed days are no gaps, and no fill fills them).
    ``encoding``: a CSV file's text encoding, e.g. ``'cp1252'`` (default UTF-8; as
    ``--encoding``, :mod:`rnnlab.io.encoded_path`). ``off_grid``: the one or two dates that
    break the grid the others follow: 'refuse' (named), 'drop' (their rows) or 'snap'
    (each dated as the grid expects; :mod:`.off_grid`).
    """
    if fill is not None and fill not in FILLS:
        raise DataError(f"fill must be one of {FILLS}, got {fill!r}")
    checked_off_grid(off_grid, "load_series")
    from ..io.encoded_path import checked_encoding, utf8_file

    checked_encoding(encoding, "load_series")
    source = "series"
    if isinstance(data, (str, Path)):
        path = Path(data).expanduser()  # ~/sales.csv, as pandas reads it
        source = str(path)
        if not path.exists() and isinstance(data, str):  # a built-in's name, stooq:SYMBOL
            from .datasets import DATASETS, resolve_data  # (which reads files here)

            if data.lower() in DATASETS or data.lower().startswith("stooq:") or not (
                    "/" in data or "." in data):  # (a name: which names there are, said there)
                import dataclasses

                s = resolve_data(data, column=column, date_column=date_column, fill=fill,
                                 weekmask=weekmask, off_grid=off_grid)
                return s if name is None else dataclasses.replace(s, name=name)
        if not path.exists():
            from ..io.unreadable import absent

            raise DataError(absent(path, "pass a CSV path, a built-in dataset name "
                                         "(`rnnlab datasets` lists them) or stooq:SYMBOL"))
        if path.is_dir():
            raise DataError(f"{path}: is a directory; pass a CSV file")
        with utf8_file(path, encoding, "load_series") as utf8:
            data = read_csv_checked(utf8)
    try:
        return _load(data, source, column, date_column, fill, name, weekmask, off_grid)
    except DataError:
        raise
    except (ValueError, TypeError, OverflowError, KeyError, IndexError, AttributeError,
            RecursionError) as e:  # pandas' many ways of refusing odd data
        raise DataError(f"{source}: cannot be used as a series ({shown_name(e)}: "
                        f"{str(e).splitlines()[0][:300] if str(e) else ''})") from None


def _load(data, source, column, date_column, fill, name, weekmask=None,
          off_grid="refuse") -> Series:
    if isinstance(data, (pd.Series, pd.DataFrame)):  # (Periods in an object column)
        data = typed_periods(data)
    if isinstance(getattr(data, "index", None), pd.MultiIndex):
        data = levels_as_columns(data)
    if isinstance(data, pd.DataFrame):
        raw, name, dates = from_frame(data, source, column, date_column, name)
    elif isinstance(data, pd.Series):
        raw, name, dates = from_series(data, source, column, date_column, name)
    else:
        raw, name, dates = from_array(data, source, column, name)
    index = dates.index
    values, labels = _numeric(raw, source, name, index)
    numbers = raw.index  # the values' labels when there are no dates
    values, index, numbers, filled = _filled_nans(values, index, numbers, fill, source, name,
                                                  labels, weekmask)
    check_values(values, _whose(source, name), labels)
    freq, gaps, calendar = None, 0, None
    if index is not None:
        index = pd.DatetimeIndex(index)
        freq, gaps = infer_freq_with_gaps(index)
        if freq is None and off_grid != "refuse":  # (a date off the grid: dropped or moved)
            keep, index = mended_dates(index, off_grid, _whose(source, name))
            values, filled = values[keep], kept_positions(filled, keep)
            freq, gaps = infer_freq_with_gaps(index)
        freq, calendar, gaps = read_on_calendar(dates.index, index, freq, gaps)
        freq, calendar, gaps = on_week(index, freq, gaps, calendar, weekmask,
                                       _whose(source, name))
        if freq is None:  # (one date typed wrong breaks a regular series: refused)
            refuse_typed_date(index, _whose(source, name))
        if gaps and fill in ("ffill", "bfill", "interpolate") and not business_days(freq):
            values, index, filled = fill_dates(values, index, freq, fill, filled)
            gaps = 0
    elif weekmask is not None:  # (values without dates: said)
        on_week(None, freq, gaps, calendar, weekmask, _whose(source, name))
    first, step = (0, 1) if index is not None else number_labels(numbers)
    lost = lost_labels(raw.index, len(values)) if index is None and date_column is not False \
        else None
    if lost:  # (the index was dropped without a word: 1990.5, 1991.0, ... as 0, 1, ...)
        warnings.warn(f"{_whose(source, name)}: {lost}", UserWarning,
                      stacklevel=callers_level(3))  # (load_series' caller, or fit's)
    return Series(values=values.astype(np.float64), index=index, name=name, freq=freq, gaps=gaps,
                  filled=filled, fill=fill if filled is not None else None, first=first,
                  step=step, period_freq=dates.period_freq, date_format=dates.written,
                  calendar=calendar)


def _whose(source: str, name) -> str:
    """``/path/to.csv: series 'y'``, or ``series 'y'`` for data given in Python, whose
    source is the word "series" (it read "series: series 'y' has 1 NaN values")."""
    return f"series {name!r}" if source == "series" else f"{source}: series {name!r}"


def _filled_nans(values: np.ndarray, index, numbers, fill, source, name, labels, week=None):
    """(values, dates, labels, positions filled or None) after ``fill``: NaNs dropped or
    filled; without a fill they are an error naming their rows (all NaN: always one)."""
    nan, filled = np.isnan(values), None
    if len(values) and nan.all():
        raise DataError(f"{_whose(source, name)} has no values (all {len(values)} rows are "
                        f"empty or NaN); choose another column (column=NAME, --column NAME)")
    if nan.any():
        if fill is None:
            k = int(nan.sum())  # (was "1 NaN values (rows 2020-01-01)")
            raise DataError(f"{_whose(source, name)} has {k} NaN value{'s' if k > 1 else ''} "
                            f"(row{'s' if k > 1 else ''} {describe_rows(nan, labels)}); pass "
                            f"fill='ffill' (--fill ffill) or clean "
                            f"the {'data' if source == 'series' else 'file'}"
                            f"{trailing_note(nan, labels)}{blank_closed_hint(week)}")
        s = pd.Series(values)
        if fill == "drop":
            values = values[~nan]
            index = index[~nan] if index is not None else None
            numbers = numbers[~nan]
        else:
            filled = np.flatnonzero(nan)
            values = filled_values(s, fill)
    return values, index, numbers, filled


def _numeric(raw: pd.Series, source: str, name: str, index):
    labels = RowLabels(raw.index, index)
    refuse_boolean(raw, source, name)
    raw = quiet_nans(raw)  # (Decimal('sNaN'): missing)
    if pd.api.types.is_datetime64_any_dtype(raw) or pd.api.types.is_timedelta64_dtype(raw) \
            or isinstance(raw.dtype, pd.PeriodDtype):  # numbers only as nanoseconds
        raise DataError(f"{source}: column {name!r} holds dates or durations ({raw.dtype}), "
                        f"expected numbers; choose the column of values (column=NAME)")
    num = numbers_of(raw)
    num = real_values(num, source, name, row=lambda i: labels[i])
    warn_rounded_integers(num, source, name, row=lambda i: labels[i],  # (load_series' caller,
                          stacklevel=callers_level(4) + 1)  # or fit's: one call deeper)
    bad = num.isna().to_numpy() & raw.notna().to_numpy()
    if bad.any():
        shown = [f"{labels[i]}: {raw.iloc[i]!r}" for i in np.flatnonzero(bad)[:5]]
        k = int(bad.sum())
        raise DataError(f"{source}: column {name!r} has {k} non-numeric value"
                        f"{'s' if k > 1 else ''} (row{'s' if k > 1 else ''} {'; '.join(shown)}); "
                        f"choose a numeric column or clean the file")
    return num.to_numpy(dtype=np.float64), labels
