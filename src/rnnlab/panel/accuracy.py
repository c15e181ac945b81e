"""Forecasts made apart scored against the data (fable's ``accuracy(fc, data)``).

A backtest scores the forecasts it makes; forecasts made otherwise (``predict`` on a cut
panel, a run's ``forecasts.csv`` read back, another library's frame) are scored here
against the panel's values on their dates, with the backtest's metrics
(:mod:`rnnlab.panel.metrics`): MASE and RMSSE scaled by each series' values up to each
forecast's origin or cutoff where the forecasts name it, else before its first forecast
date (the in-sample seasonal naive over the panel's period), CRPS and coverage from the
quantile columns.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import pandas as pd

from ..io.errors import DataError
from ..listing import first_few
from ..type_aliases import Column
from .accuracy_args import accuracy_reading, one_series_hint
from .blank_models import refuse_blank_models
from .int_steps import date_word, shown_date, steps_in_errors
from .key_columns import keyed_table_of, with_key_columns
from .long_table import DS, ID, Y
from .scored_forecasts import (in_data_zone, instants_in_zone, refuse_blank_means,
                               refuse_blank_origins, refuse_repeated_origins)
from .scales import history_scales
from .week_freq import freq_name, read_on_week


def accuracy(forecasts: pd.DataFrame, data: Any, by: Sequence[str] = ("model", "unique_id"),
             *, weekmask: Optional[str] = None, encoding: Optional[str] = None,
             id_column: Column = None, date_column: Column = None, target: Column = None,
             fill: Optional[str] = None, **peer: Any) -> pd.DataFrame:
    """The metrics of ``forecasts`` (``unique_id``, ``ds``, ``mean``, ``q...`` columns; a
    ``model`` column tells several models apart, e.g. their frames concatenated) on the
    values ``data`` (a PanelFrame, or what :func:`~rnnlab.panel.read_panel` reads: the
    whole data, the held-out part included) has on their dates. ``by``: one row per model
    and series (the default), or ``("model",)``: the means over series, as
    ``BacktestResult.summary()``. Forecast dates the data lacks are left out; a series'
    MASE and RMSSE scales come from its values before its first forecast date, or, where
    the forecasts have an ``origin`` column (a backtest's) or a ``cutoff`` column
    (NeuralForecast's and statsforecast's ``cross_validation``) of dates, from its values
    up to each forecast's origin (the data the forecast was made from; a forecast dated on
    or before its origin is refused). A panel read by
    several key columns (State, Zone) scores forecasts that name their series by those
    columns alone too, and gives them beside ``unique_id``. ``weekmask``: the data's week
    of open days, as ``read_panel(weekmask=...)`` reads it (a Mon-Sat shop's file: its
    Sundays are no missing values, and the MASE scale's season is 6). ``encoding``: a CSV
    file's text encoding (``'cp1252'``; default UTF-8, as ``--encoding``). ``id_column``,
    ``date_column``, ``target``, ``fill``: a table's own columns (``data`` a DataFrame or
    CSV path), as ``read_panel`` reads them (:mod:`.accuracy_args`)."""
    from .metrics import per_series, summarize

    if not isinstance(forecasts, pd.DataFrame):  # (pandas' AttributeError: no columns)
        raise DataError(f"accuracy: expected the forecasts as a DataFrame of unique_id, ds, "
                        f"mean (and q...) columns, as predict() and forecasts.csv give them; "
                        f"got {type(forecasts).__name__}")
    read = accuracy_reading(data, dict(id_column=id_column, date_column=date_column,
                                       target=target, fill=fill), peer)
    panel = read_on_week(data, weekmask, encoding, **read)
    kinds = getattr(panel, "keys", ())  # (State, Zone: read, and given beside the ids)
    from .peer_columns import with_id_column  # (NeuralForecast's older unique_id index)

    zone = getattr(panel.df[DS].dtype, "tz", None)  # (text with offsets: its instants)
    fc = _dated(instants_in_zone(with_key_columns(keyed_table_of(with_id_column(forecasts),
                                                                  kinds), kinds), zone))
    by = (by,) if isinstance(by, str) else tuple(by)
    _check_by(by, fc)
    if "model" in by:  # (pandas' groupby dropped the rows of a blank model: unscored)
        refuse_blank_models(fc, "accuracy", "the forecasts'", "and the metrics are per "
                            "model (they were left out of them without a word)")
    truth = panel.df[[ID, DS, Y]]
    fc = in_data_zone(fc, truth)  # (a zone beside none: refused, not pandas' ValueError)
    scored = fc.drop(columns=[Y], errors="ignore").merge(truth, on=[ID, DS], how="inner")
    with steps_in_errors(panel.ds_period):  # (a panel of integer steps: named as steps)
        if scored.empty:
            _refuse_other_series(fc, truth)
            _refuse_off_calendar(fc, panel)
            w = date_word()
            raise DataError(f"accuracy: none of the {len(fc)} forecasts is dated on a value "
                            f"of the data (forecast {w}s {shown_date(fc[DS].min())} .. "
                            f"{shown_date(fc[DS].max())} of series "
                            f"{list(pd.unique(fc[ID]))[:3]}; the data ends "
                            f"{shown_date(panel.df[DS].max())}); pass the whole data, the "
                            f"held-out values included")
        if len(scored) < len(fc):
            _refuse_off_calendar(fc[~fc[DS].isin(set(truth[DS]))], panel)
            _say_left_out(fc, truth)
    origin = _origin_column(scored, by)
    with steps_in_errors(panel.ds_period):  # (a steps panel's refusals name steps)
        refuse_blank_means(scored)  # (left out of the errors, it was counted in n)
        refuse_blank_origins(fc, origin)
        if origin:  # (after blanks: NaT no origin; without one, repeats are warned of)
            refuse_repeated_origins(scored, origin, by)
        scales = _origin_scales(scored, truth, origin, panel)
    keys = [ID] + ([origin] if origin else [])
    scored = scored.drop(columns=["scale", "rms_scale"], errors="ignore").merge(scales, on=keys)
    _warn_zero_actuals(scored)
    if tuple(b for b in by if b != ID) == by:  # (no series in by: the means over series)
        return summarize(scored, by=by)
    return with_key_columns(per_series(scored, by=by), kinds)


def _warn_zero_actuals(scored: pd.DataFrame) -> None:
    """MAPE divides by the actuals: those that are 0 are left out of it (NaN for a series
    of 0s), said as the one-series ``metrics`` says it (:class:`MapeSkipWarning`)."""
    from ..forecast.metrics import MapeSkipWarning, mape_note

    note = mape_note(scored.drop_duplicates([ID, DS])[Y])  # (each actual once, not per model)
    if note:
        import warnings

        warnings.warn(note, MapeSkipWarning, stacklevel=3)


def _origin_column(scored: pd.DataFrame, by: Sequence[str]):
    """The column telling the forecasts' origins apart: a backtest's ``origin``, or the
    ``cutoff`` of NeuralForecast's, statsforecast's and utilsforecast's cross-validation
    frames (read as ours: it was ignored, and every window of a series was scaled by the
    values before its first one, where utilsforecast's ``mase`` scales each by its own:
    1.197 against 1.175 on visnights, 5 cutoffs); None without one, and a warning where
    the forecasts repeat a (series, date) as several origins' forecasts do."""
    import warnings

    for name in ("origin", "cutoff"):
        if name in scored.columns:
            return name
    if scored.duplicated(list(dict.fromkeys(("model", *by, ID, DS)))).any():
        warnings.warn("accuracy: the forecasts give some series and dates more than once "
                      "(several origins' forecasts?) and no 'origin' or 'cutoff' column: "
                      "each series is scaled by its values before its first forecast date; "
                      "add the origin of each forecast as an 'origin' column to scale each "
                      "origin's by the values before it", stacklevel=3)
    return None


def _check_by(by, fc: pd.DataFrame) -> None:
    """DataError naming the ``by`` columns the forecasts lack (they were left out of the
    grouping without a word: ``by=("model", "state")`` gave the means per model)."""
    missing = [b for b in by if b not in fc.columns]
    if missing:
        raise DataError(f"accuracy: by={tuple(by)!r} names {missing}, not columns of the "
                        f"forecasts ({[str(c) for c in fc.columns]}); expected 'model', "
                        f"'unique_id' or a column the forecasts hold (a key column: 'State')")


def _refuse_other_series(fc: pd.DataFrame, truth: pd.DataFrame) -> None:
    """A DataError when none of the forecasts' series is in the data (the refusal said to
    pass the data up to the forecasts' dates, which it held): both sets of ids named, and
    ids such as 007 that pandas read as 7 said."""
    mine, theirs = list(pd.unique(fc[ID])), list(pd.unique(truth[ID]))
    if set(mine) & set(theirs):
        return
    numbers = {str(int(t)) for t in theirs if str(t).isdigit()}
    padded = any(m in numbers for m in mine)
    raise DataError(f"accuracy: none of the forecasts' series ({first_few(mine, 5)}) is in "
                    f"the data, which holds {first_few(theirs, 5)}; pass the data of the same "
                    f"series" + ("; the data's ids are zero-padded (007) and the forecasts' "
                                 "are not: read forecasts.csv with "
                                 "pd.read_csv(path, dtype={'unique_id': str})"
                                 if padded else ""))


def _refuse_off_calendar(fc: pd.DataFrame, panel) -> None:
    """A DataError when forecasts are dated off the data's calendar (quarter ends for a
    panel of quarter starts: Darts' frames of 'QE' data beside visnights' 1998Q1): none
    matched a value, and the refusal said to pass the data up to dates it already
    covered. Calendars of whole periods only (months, quarters, years, weeks)."""
    try:
        step = pd.tseries.frequencies.to_offset(panel.freq)
    except (TypeError, ValueError):
        return
    if isinstance(step, pd.tseries.offsets.Tick) or not len(fc):
        return
    dates = pd.DatetimeIndex(pd.unique(fc[DS]))
    off = [d for d in dates if not step.is_on_offset(d) or d != d.normalize()]
    if not off:
        return
    ours = panel.df[DS].drop_duplicates().sort_values()
    near = ours[ours <= off[0]].tail(1).tolist() + ours[ours > off[0]].head(1).tolist()
    theirs = _calendar(dates)
    raise DataError(f"accuracy: {len(off)} of the forecasts' {len(dates)} dates are off the "
                    f"data's calendar (frequency {freq_name(panel.freq)}"
                    f"{f'; the forecasts: {theirs!r}' if theirs else ''}): "
                    f"{', '.join(shown_date(d) for d in off[:3])}{' ...' if len(off) > 3 else ''}"
                    f", where the data's dates near {shown_date(off[0])} are "
                    f"{', '.join(shown_date(d) for d in near)}; date each forecast as the data "
                    f"dates its period{_redating(step)}")


def _calendar(dates: pd.DatetimeIndex):
    """The frequency the forecasts' own dates keep ('QE-DEC'), or None (too few, or none)."""
    from ..data.frequency import _infer_freq

    return _infer_freq(dates.sort_values())


def _redating(step) -> str:
    """``: fc['ds'] = ...`` moving dates within a period to the data's date for it, for
    the calendar months, quarters and years ('' for others: weeks, fiscal quarters)."""
    start = {"MS": "M", "QS-JAN": "Q", "YS-JAN": "Y"}
    end = {"ME": "M", "QE-DEC": "Q", "YE-DEC": "Y"}
    f = step.freqstr
    if f in start:
        return f": fc['ds'] = fc['ds'].dt.to_period('{start[f]}').dt.to_timestamp()"
    if f in end:
        return (f": fc['ds'] = fc['ds'].dt.to_period('{end[f]}').dt.to_timestamp(how='end')"
                f".dt.normalize()")
    return ""


def _say_left_out(fc: pd.DataFrame, truth: pd.DataFrame) -> None:
    """A warning naming the forecasts no value of the data scores (past its end, or of a
    series it lacks), which the metrics leave out."""
    import warnings

    have = fc[[ID, DS]].merge(truth[[ID, DS]], how="left", indicator=True)["_merge"]
    lack = fc[(have == "left_only").to_numpy()]
    first = lack.iloc[0]
    warnings.warn(f"accuracy: {len(lack)} of {len(fc)} forecasts have no value in the data on "
                  f"their {date_word()} (e.g. series {first[ID]!r} on {shown_date(first[DS])}): "
                  f"left out of the metrics; pass the data up to the forecasts' last "
                  f"{date_word()} to score them", stacklevel=3)


def _origin_scales(scored: pd.DataFrame, truth: pd.DataFrame, origin, panel) -> pd.DataFrame:
    """``unique_id[, origin], scale, rms_scale``: the MASE and RMSSE scales of each series
    (at each origin). An origin column of dates (a backtest's, a cross-validation's cutoff)
    scales by the values up to the origin, the data a forecast made there saw, as ``rnnlab
    score`` does (scaled by those before the first forecast date, a forecast that starts a
    step or more after its cutoff was scaled by values it never had); an origin column
    of labels (fold numbers), or none, by the values before the first forecast date."""
    keys = [ID] + ([origin] if origin else [])
    ends = scored.groupby(keys, sort=False)[DS].min().reset_index()
    cutoffs = _cutoff_dates(ends[origin], panel) if origin else None
    if cutoffs is not None:
        _refuse_late_cutoffs(scored, ends.assign(**{DS: cutoffs}), keys)
        ends[DS] = cutoffs
    mase, rms = history_scales(truth, ends[ID], ends[DS], panel.period,
                               inclusive=cutoffs is not None)
    return ends[keys].assign(scale=mase, rms_scale=rms)


def _cutoff_dates(labels: pd.Series, panel) -> Optional[pd.Series]:
    """An origin column's values as dates on the data's calendar (integer steps as the
    data's steps), or None where they are no dates of the data's kind (fold numbers
    beside dated data: labels that only tell the origins apart)."""
    from .int_steps import STEPS, is_steps
    from .long_table import column_dates

    if is_steps(labels) != (panel.ds_period == STEPS):
        return None
    try:
        return column_dates(labels.reset_index(drop=True), "accuracy: forecasts",
                            labels.name, panel.freq)
    except DataError:
        return None


def _refuse_late_cutoffs(scored: pd.DataFrame, cuts: pd.DataFrame, keys) -> None:
    """A DataError for forecasts dated on or before their origin: an origin is the last
    date of the data a forecast was made from (a column of the forecasts' first dates
    would put a forecast's own actual in its scale)."""
    rows = scored[keys + [DS]].merge(cuts.rename(columns={DS: "_cut"}), on=keys)
    late = rows[rows[DS] <= rows["_cut"]]
    if late.empty:
        return
    said = [f"{u} {shown_date(d)} ({keys[1]} {shown_date(c)})"
            for u, d, c in zip(late[ID], late[DS], late["_cut"])]
    raise DataError(f"accuracy: {len(late)} forecasts are dated on or before their "
                    f"{keys[1]}: {first_few(said, 3)}; the {keys[1]} column is the last "
                    f"date of the data each forecast was made from, before the dates it "
                    f"forecasts: check that it is not the forecasts' first date, and that it "
                    f"and ds are not swapped")


def _dated(forecasts: pd.DataFrame) -> pd.DataFrame:
    """``forecasts`` with text ids, timestamp dates (periods, or text as a CSV read back
    holds them: '2017Q1', '2019-10') and a ``model`` column."""
    missing = [c for c in (ID, DS, "mean") if c not in forecasts.columns]
    if missing:
        from .peer_columns import peer_hint

        raise DataError(f"accuracy: forecasts lack columns {missing} (found "
                        f"{list(forecasts.columns)}); expected unique_id, ds, mean and the "
                        f"q... columns, as predict() and forecasts.csv give them"
                        + peer_hint(forecasts.columns) + one_series_hint(forecasts))
    from .long_table import column_dates

    fc = forecasts.copy()
    if "model" not in fc.columns:
        fc.insert(0, "model", "model")
    fc[ID] = fc[ID].astype(str)
    fc[DS] = column_dates(fc[DS], "accuracy: forecasts", DS)
    return fc
