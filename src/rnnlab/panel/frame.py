"""A panel of series in one canonical long frame, checked before anything is trained.

:func:`read_panel` turns a CSV path, a long table (one row per series and date), a wide
table (one column per series) or a dict of series into a :class:`PanelFrame`: columns
``unique_id`` (str; the ids' own type is ``id_kind``, :mod:`rnnlab.panel.ids`), ``ds``
(Timestamp), ``y`` (float) and the covariates, sorted by (``unique_id``, ``ds``), each
series on a regular grid of one common frequency. Series may differ in length and start.
Each problem raises :class:`~rnnlab.io.errors.DataError` naming the series and rows: a
missing id column, repeated (id, date) pairs, series of different frequencies, NaN in the
target (or ``fill=``), NaN in a covariate. Reading the input forms into one long table is
:mod:`rnnlab.panel.long_table`; this module puts it on its calendar, fills or refuses the
gaps (a panel checked against a model: :mod:`.short_series`, :mod:`.static_covariates`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Hashable, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd

from ..data.date_forms import typed_periods
from ..data.off_grid import checked_off_grid
from ..io.encoded_path import checked_encoding
from ..io.errors import DataError
from .array_given import array_hint
from ..type_aliases import Column, StrPath
from .calendar_grid import each_on_grid, on_one_grid, on_fixed_steps as _on_fixed_steps  # (stubbed)
from .csv_panel import read_csv_panel
from .date_span import check_spans, check_typed_dates
from .key_columns import joined_keys, key_kinds, refuse_repeats
from .long_table import DS, ID, Y, dict_to_long, series_table, to_long
from .missing_values import FILLS, fill_or_refuse
from .off_grid_rows import dropped_gaps_said, mended_panel
from .panel_freq import common_freq, read_freq
from .peer_read_arguments import refuse_read_arguments
from .refill import Filled, filled_cells, filled_rows, refilled
from .short_series import check_lengths  # noqa: F401  (its old home)
from .static_covariates import static_table  # noqa: F401  (its old home)
from .table_shapes import warn_serial_days
from .time_zone import checked_zone, long_in_zone
from .week_freq import freq_name, given_week, period_of


READABLE = (str, Path, pd.DataFrame, pd.Series, dict)  # what read_panel reads (else: a panel)


@dataclass(frozen=True)
class PanelFrame:
    """A checked panel (:func:`read_panel`, :func:`load_panel`): ``df``, the long table
    ``unique_id, ds, y, covariates...``, and its calendar (``freq``, ``period``, ``ids``)."""

    df: pd.DataFrame  # canonical long frame (unique_id, ds, y, covariates...)
    freq: Any  # pandas offset alias, e.g. "MS", "D", "QS-JAN"; a week of open days: its
    # CustomBusinessDay (:mod:`.week_freq`)
    period: Optional[int]  # seasonal period (12 monthly, 4 quarterly, 7 daily, ...)
    ids: Tuple[str, ...]  # series ids in order (as text)
    id_kind: str = "str"  # the ids as given: "str" or an int dtype (outputs give them back so)
    ds_period: Optional[str] = None  # dates given as periods of this freq ('M'): outputs
    # give them back so (:mod:`.date_kind`)
    # the cells a fill that reads ahead filled (:mod:`.refill`: a cut fills them again)
    filled: Optional[Filled] = field(default=None, repr=False, compare=False)
    # the strftime form of the text dates given ('%Y-%m'; None: ISO, periods, steps): the
    # files a run writes write theirs so (:func:`.date_kind.written_dates`)
    ds_written: Optional[str] = field(default=None, compare=False)
    # the key columns whose values, joined, are the ids (``((name, kind), ...)``; ``()``:
    # one id column): outputs carry them beside ``unique_id`` (:mod:`.key_columns`)
    keys: Tuple[Tuple[str, str], ...] = field(default=(), compare=False)
    # the weekmask text read with ('Mon Tue Wed Thu Fri holidays=US'): a forecast past the
    # years ``freq`` closes adds its clause's holidays then (:mod:`.panel_week`)
    week: Optional[str] = field(default=None, compare=False)

    def __repr__(self) -> str:  # (the dataclass' printed the whole table)
        from ..model_repr import date_span
        from .int_steps import STEPS, shown_date, steps_in_errors

        ds = self.df[DS]
        with steps_in_errors(self.ds_period):
            ends = [ds.min(), ds.max()]
            span = date_span(ends if self.ds_period is None else [
                d.to_period(self.ds_period) for d in ends]) if self.ds_period != STEPS else (
                f"steps {shown_date(ds.min())} .. {shown_date(ds.max())}")
        return (f"PanelFrame({len(self.ids)} series, {len(self.df)} rows, {span}, freq "
                f"{freq_name(self.freq)}, period {self.period}, covariates "
                f"{list(self.covariates)}; "
                f".df: the table)")

    @property
    def covariates(self) -> Tuple[str, ...]:
        """The columns of ``df`` other than ``unique_id``, ``ds`` and ``y``."""
        return tuple(c for c in self.df.columns if c not in (ID, DS, Y))

    def lengths(self) -> pd.Series:
        """The number of rows of each series, indexed by id."""
        return self.df.groupby(ID, sort=False).size()

    def series(self, uid: Hashable) -> pd.DataFrame:
        """The rows of the series ``uid`` (an id as given: ``series(1)`` of integer ids)."""
        return self.df[self.df[ID] == str(uid)]  # (ids are text in df: 1 found nothing)

    def given(self) -> pd.DataFrame:
        """``df`` with its ids and dates of the kinds given (int ids, periods, integer time
        steps: :mod:`.date_kind`), where ``df`` holds text and timestamps (steps: days)."""
        from .date_kind import given_kinds

        return given_kinds(self.df, self)

    def with_df(self, df: pd.DataFrame) -> "PanelFrame":
        """The same calendar over another (sub)frame, e.g. the training part; rows of this
        frame (with its index) keep the record of their filled cells, so that a cut of the
        sub-panel refills them from before the cut (:func:`~.refill.filled_rows`)."""
        filled = filled_rows(self.filled, df)
        df = df.reset_index(drop=True)
        return PanelFrame(df, self.freq, self.period, tuple(pd.unique(df[ID])), self.id_kind,
                          self.ds_period, filled, self.ds_written, self.keys, self.week)

    def cut(self, steps: int) -> "PanelFrame":
        """Each series without its last ``steps`` points (the part a model may see); a
        series with no more points than that is gone (a warning names it; none left: a
        DataError)."""
        from .panel_cut import cut_rows

        return self.with_df(refilled(cut_rows(self.df, steps), self.filled, warn=True))


# what the panel models read as a panel: a PanelFrame, or what read_panel reads (a built-in
# panel's name, a CSV path, a long DataFrame, a dict of series): GlobalForecaster.fit("sales.csv")
PanelData = Union[PanelFrame, pd.DataFrame, pd.Series, Mapping[Any, Any], StrPath]


def read_panel(data: Any, id_column: Column = None, date_column: Column = None,
               target: Column = None, fill: Optional[str] = None, *, freq: Optional[str] = None,
               covariates: Optional[Sequence[str]] = None, tz: Optional[str] = None,
               weekmask: Optional[str] = None, encoding: Optional[str] = None,
               off_grid: str = "refuse", **peer: Any) -> PanelFrame:
    """Read and check a panel. ``data``: a built-in panel's name, a CSV path, a long DataFrame
    (``unique_id``/``ds``/``y`` detected, other names by ``id_column``, ``date_column``,
    ``target``; a table with ``target`` and no id column is one series), a wide DataFrame
    (one column per series, dates as index or a date column), a dict {id: pd.Series with
    a DatetimeIndex} or a pd.Series (one series, named by its name; indexed by (id, date)
    levels: a long table). ``fill``: NaN (and dates missing from a
    series' grid) in the target and covariates: None (error naming them) | ffill | bfill |
    interpolate | zero. ``freq``: the pandas frequency, when the dates cannot tell it.
    ``covariates``: keep only these of the other columns (the ones a model reads), so a
    column nobody reads (NaN in it) stops nothing; None: all. ``tz``: an IANA time zone
    ('Europe/London') the dates are put in: with a UTC offset converted, without one read
    as its clock times (:mod:`.time_zone`). ``weekmask``: the days every series is open
    ('Mon Tue Wed Thu Fri Sat', as the one-series ``weekmask=``; :mod:`.week_freq`).
    ``encoding``: a CSV file's text encoding ('cp1252'; default UTF-8, as --encoding).
    ``off_grid``: a series' one or two dates that break its grid: 'refuse' (named), 'drop'
    or 'snap' (dated as the grid expects; :mod:`.off_grid_rows`). The peers' names
    (``id_col=``, ``time_col=``, ``target_col=``, ``column=``) are refused."""
    refuse_read_arguments(peer)
    tz = checked_zone(tz, "read_panel")
    checked_encoding(encoding, "read_panel")
    checked_off_grid(off_grid, "read_panel")
    if fill is not None and fill not in FILLS:
        raise DataError(f"fill must be one of {FILLS} or None, got {fill!r}")
    source = "panel"
    if isinstance(data, str) and not Path(data).exists():
        data = _builtin(data, id_column, date_column, target, fill, freq=freq,
                        covariates=covariates, tz=tz, weekmask=weekmask, off_grid=off_grid)
        if isinstance(data, PanelFrame):
            return data
    if freq is None and weekmask is None:  # (a Mon-Sat index, read as a Series' is)
        freq = given_week(data)
    if isinstance(data, (str, Path)):
        source = str(Path(data))
        data = read_csv_panel(Path(data), id_column, encoding)
    if isinstance(data, (pd.Series, pd.DataFrame)):  # (Periods in an object column)
        data = typed_periods(data)
    if isinstance(data, pd.Series):  # one series, or a long table's target by (id, date)
        data = series_table(data)
    keys: Tuple[Tuple[str, str], ...] = ()  # (key_kinds' pairs; none for a dict)
    read = None  # the user's (id, date, target) columns, which the errors name
    if isinstance(data, dict):
        long, kind = dict_to_long(data, source)
    elif isinstance(data, pd.DataFrame):
        if data.empty:
            raise DataError(f"{source}: no rows")
        keys = key_kinds(data, id_column)
        data, id_column = joined_keys(data, id_column, source)  # (State, Zone: one id)
        long, kind, read = to_long(data, source, id_column, date_column, target, covariates)
    else:
        raise DataError(f"{source}: expected a CSV path, a DataFrame, a Series or a dict of "
                        f"series, got {type(data).__name__}{array_hint(data)}")
    from .date_kind import period_freq, written_form_of
    from .int_steps import STEPS, steps_in_errors

    ds_kind = period_freq(data, date_column)
    if ds_kind == STEPS and read:  # (Excel's 41640: 2014-01-01; the date column's alone)
        warn_serial_days(data[[c for c in read[1:2] if c in data.columns]], source)
    if tz is not None:  # (before the calendar's checks: the zone's days and hours)
        long = long_in_zone(long, tz, ds_kind, source)
    with steps_in_errors(ds_kind):  # (before the columns nobody reads go: a key among them)
        named = id_column if id_column is not None else (
            ID if ID in getattr(data, "columns", ()) else None)  # (a column named 0 counts)
        refuse_repeats(long, source, named, _sum_columns(keys, read, data))
    if covariates is not None:
        long = long[[ID, DS, Y] + [c for c in long.columns if c in set(covariates)
                                   and c not in (ID, DS, Y)]]
    freq = read_freq(long, freq, weekmask, source, ds_kind)  # (a shop's week; steps)
    with steps_in_errors(ds_kind):
        panel = _canonical(long, source, fill, freq, kind, off_grid)
    written = None if ds_kind is not None else written_form_of(data, date_column, long)
    return replace(panel, ds_period=ds_kind, ds_written=written, keys=keys, week=weekmask,
                   period=None if ds_kind == STEPS else panel.period)


def _sum_columns(keys, read: Optional[Tuple], data: pd.DataFrame) -> Optional[Tuple]:
    """(the id's columns, the date's, the target's, all columns) of the user's table
    ``data``, ``read`` being :func:`~.long_table.to_long`'s, where several ``keys`` name
    the series: what the repeated rows' total groups by and the columns a hint names as
    they are (:func:`~.key_columns.refuse_repeats`); the dates read from ``data``'s index
    (as 'ds', a name ``data`` may lack) by the index's name, None where it has none."""
    if read is None:
        return None
    idc, dcol, tcol = read
    ids = [k for k, _ in keys] or ([idc] if idc is not None else [])
    if dcol not in data.columns and dcol not in data.index.names:
        dcol = data.index.name
    return tuple(ids), dcol, tcol, tuple(data.columns)


def _builtin(name: str, id_column, date_column, target, fill, **read: Any):
    """The built-in panel ``name`` read (its own columns by default), a built-in series
    (airline) as a one-series long table, or ``name`` itself (a missing file's, refused
    by the CSV reader)."""
    from .datasets import PANEL_DATASETS, builtin_path

    if name in PANEL_DATASETS:
        d = PANEL_DATASETS[name]
        def own(given, default):  # (a column named 0 or "" is given, not the default)
            return default if given is None else given

        return read_panel(builtin_path(d.file), own(id_column, d.id_column),
                          own(date_column, d.date_column), own(target, d.target), fill, **read)
    from ..data.datasets import DATASETS

    if name.lower() in DATASETS:
        s = DATASETS[name.lower()].load()
        if s.index is None:
            raise DataError(f"{name!r} has no dates, and a panel needs them; use the "
                            f"one-series Forecaster (rnnlab.forecast)")
        return pd.DataFrame({ID: name.lower(), DS: s.index, Y: s.values})
    return name


def _canonical(long: pd.DataFrame, source, fill, freq, kind: str,
               off_grid: str = "refuse") -> PanelFrame:
    long = long.sort_values([ID, DS], kind="stable").reset_index(drop=True)
    refuse_repeats(long, source)  # (read_panel's said them; a panel made otherwise)
    read = long
    if off_grid != "refuse":  # (a date that breaks a series' grid: dropped or moved,
        long = mended_panel(long, off_grid, source)  # before the frequency is told)
    with dropped_gaps_said(read, long, source):  # (a row dropped leaves a date to fill)
        return _on_grid(long, source, fill, freq, kind)


def _on_grid(long: pd.DataFrame, source, fill, freq, kind: str) -> PanelFrame:
    """The panel of ``long`` (sorted, mended) with every series on the common calendar,
    its missing values filled by ``fill`` or refused."""
    groups = {str(uid): g for uid, g in long.groupby(ID, sort=False)}  # (ids: text)
    freq = freq or common_freq(groups, source)
    if _on_fixed_steps(long, freq):  # nothing to check or fill per series
        filled = filled_cells(long, fill)
        return PanelFrame(fill_or_refuse(long, source, fill, freq), freq, period_of(freq),
                          tuple(groups), kind, filled=filled)
    check_spans(long, freq, source)  # (a date typed wrong: millions of dates to add)
    check_typed_dates(long, freq, source)  # (or nearer: 2012-01-01 for 2019-01-01)
    df = on_one_grid(long, freq)  # (all series at once, where it can)
    if df is None:
        df = each_on_grid(groups, freq, source)[list(long.columns)]
    filled = filled_cells(df, fill)
    df = fill_or_refuse(df, source, fill, freq)
    ids = tuple(groups)
    return PanelFrame(df, freq, period_of(freq), ids, kind, filled=filled)


def as_panel(data) -> "PanelFrame":
    """``data`` as a PanelFrame: itself, or read by :func:`read_panel` with its defaults (a
    CSV path, a long or wide DataFrame, a dict of Series, a built-in panel's name)."""
    if isinstance(data, PanelFrame):
        return data
    if isinstance(data, READABLE):
        return read_panel(data)
    raise DataError(f"expected a panel: a PanelFrame (rnnlab.panel.read_panel), a CSV path, a "
                    f"DataFrame, a Series, a dict of Series or a built-in panel's name; got "
                    f"{type(data).__name__}{array_hint(data)}")


def readable_panel(data, **read):
    """``data`` read by :func:`read_panel` (with ``read``: its ``encoding``, ``off_grid``)
    when it is a CSV path, a DataFrame or a dict of series; anything else (a PanelFrame,
    or an object of its shape) as itself."""
    # (a list: "'list' object has no attribute 'df'" from predict(history=[...]))
    return read_panel(data, **read) if isinstance(data, READABLE) else \
        data if hasattr(data, "df") else as_panel(data)
