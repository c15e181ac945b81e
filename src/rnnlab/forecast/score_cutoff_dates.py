"""The cutoff column of a forecast scored by ``rnnlab score`` read as dates on the
actuals' calendar and checked against the forecast's own dates: a blank cutoff, fold
numbers beside dated actuals, a cutoff in another time zone than the dates (or written
with several UTC offsets beside dates in a zone), a cutoff on or after a date it forecasts
are refused, naming what was found and what to write; cutoffs of one UTC offset beside
dates of several (a zone's days across a change of daylight saving time) are read as the
clock times they name, as those dates are. Apart from :mod:`.score_cutoffs`,
which reads the forecast's models and rows, by idea (and that module's length)."""

from __future__ import annotations

import pandas as pd

from ..io.errors import DataError
from ..listing import first_few

CUTOFF = "cutoff"  # the column's name in what score_forecast gives back


def read_cutoffs(table: pd.DataFrame, truth) -> pd.Series:
    """The ``cutoff`` column read as dates on the actuals' calendar (``truth``, their
    PanelFrame; an undated panel's as its integer steps); a DataError for a blank cutoff
    or one that is no date."""
    from ..panel.long_table import column_dates
    from .score_actuals import on_steps

    col = table[CUTOFF]
    blank = col.isna().to_numpy()
    if blank.any():
        raise DataError(f"the forecast has {int(blank.sum())} rows without a cutoff (e.g. "
                        f"series {table.loc[blank, 'unique_id'].iloc[0]} on "
                        f"{table.loc[blank, 'ds'].iloc[0]}): each row's cutoff is the last "
                        f"date of the data its forecast was made from; fill it in, or drop "
                        f"those rows")
    _check_kind(col, truth)
    try:
        dates = column_dates(col.reset_index(drop=True), "the forecast", CUTOFF, truth.freq)
    except DataError as e:
        raise DataError(f"{e} (the cutoff column: the last date of the data each forecast "
                        f"was made from, dated as the forecast's ds)") from None
    if "ds" in table.columns:
        _refuse_mixed_offsets(col, dates, table["ds"])
        dates = on_ds_clock(col.reset_index(drop=True), dates, table["ds"], truth)
    return on_steps(truth, pd.DataFrame({"ds": dates.to_numpy()}))["ds"].set_axis(table.index)


def _check_kind(col: pd.Series, truth) -> None:
    """A DataError for cutoffs of whole numbers beside dated actuals (fold numbers 0, 1,
    2: read as time steps, each cutoff was a day in 1970, every scale NaN) or dates
    beside actuals of integer time steps."""
    from ..panel.int_steps import STEPS, is_steps

    steps, undated = is_steps(col), truth.ds_period == STEPS
    if steps == undated:
        return
    kinds = {True: "whole numbers (time steps)", False: "dates"}
    raise DataError(f"the forecast's cutoff column holds {kinds[steps]} ({col.iloc[0]}, "
                    f"...) where the actuals' dates are {kinds[undated]}: a cutoff is the "
                    f"last date of the data each forecast was made from, written as the "
                    f"forecast's ds (a fold's number is none: write its last date, or drop "
                    f"the column to score the folds together)")


def _refuse_mixed_offsets(col: pd.Series, dates: pd.Series, ds: pd.Series) -> None:
    """A DataError for cutoffs written with several UTC offsets (a zone's daylight saving
    time: ``2020-03-28 00:00:00+01:00``, ``2020-04-10 00:00:00+02:00``), which read as the
    clock times they name, without a zone (as dates of one time of day are read), beside
    forecast dates in a zone: they were refused as cutoffs "without a time zone", which
    the file's were not, and the message did not say how to read them as instants."""
    from ..data.date_forms import _OFFSET, with_offsets

    if getattr(dates.dt, "tz", None) is not None or not with_offsets(col):
        return
    zone = _zone_of(ds)
    if zone is None:  # (dates without a zone too: both read as clock times, compared so)
        return
    offsets = sorted(set(col.astype(str).str.extract(_OFFSET)[0]))
    raise DataError(f"the forecast's cutoffs are written with {len(offsets)} UTC offsets "
                    f"({first_few(offsets, 4)}: {col.iloc[0]}, ...), which read as the clock "
                    f"times they name, without a zone, and its dates are in {zone} "
                    f"({ds.iloc[0]}): which instants the cutoffs name beside them is not "
                    f"known; read the cutoffs as instants: fc['cutoff'] = "
                    f"pd.to_datetime(fc['cutoff'], utc=True) (a file: then write it again, "
                    f"fc.to_csv(path, index=False), its cutoffs in UTC)")


def on_ds_clock(col: pd.Series, dates: pd.Series, ds: pd.Series, truth) -> pd.Series:
    """``dates`` (the cutoffs ``col`` read) as the clock times ``col`` writes, where the
    forecast's ``ds`` are written with several UTC offsets and read so (a zone's days
    across a change of daylight saving time, ``2020-03-28 00:00:00+01:00``, ``2020-03-30
    00:00:00+02:00``, as the actuals' are read) and each cutoff with an offset and a time
    of day of theirs (``2020-03-27 00:00:00+01:00``: NeuralForecast's frame of one window
    before the change). Read in UTC+01:00, they were refused as cutoffs "in UTC+01:00"
    beside dates "without a time zone", which the file's were not. A DataError where a
    cutoff's offset or time of day is none of the dates' (``2020-04-04 23:00:00+00:00``,
    London's midnight in UTC: which of the zone's days it names is not known)."""
    from ..data.date_forms import with_offsets

    if getattr(dates.dt, "tz", None) is None or not with_offsets(col) \
            or not with_offsets(ds) or _zone_of(ds) is not None:
        return dates
    (mine, cuts), (theirs, days) = (_clock(col, CUTOFF, truth.freq),
                                    _clock(pd.Series(pd.unique(ds)), "ds", None))
    odd = sorted(mine - theirs) + sorted(map(str, set(cuts.dt.time) - set(days.dt.time)))
    if odd:
        raise DataError(f"the forecast's dates are written with {len(theirs)} UTC offsets "
                        f"({first_few(sorted(theirs), 4)}: {ds.iloc[0]}, ...), which read "
                        f"as the clock times they name (a zone's days across a change of "
                        f"daylight saving time, as the actuals' are read), and its cutoffs "
                        f"with {first_few(odd, 4)}, which none of the dates has "
                        f"({col.iloc[0]}, ...): which of the zone's days a cutoff names is "
                        f"not known; write each cutoff as the dates are, its clock time in "
                        f"their zone with its offset, or without an offset")
    return cuts.set_axis(dates.index)


def _clock(col: pd.Series, name: str, freq):
    """``(offsets, clock)``: the UTC offsets ``col`` is written with, and its dates read as
    the clock times it writes, without them."""
    from ..data.date_forms import _OFFSET
    from ..panel.long_table import column_dates

    text = col.astype(str).reset_index(drop=True)
    clock = column_dates(text.str.replace(_OFFSET, "", regex=True), "the forecast", name, freq)
    return set(text.str.extract(_OFFSET)[0]), clock


def _zone_of(ds: pd.Series):
    """The time zone the forecast's ``ds`` read in (None: without one)."""
    from ..data.date_forms import with_offsets
    from ..panel.long_table import column_dates

    if pd.api.types.is_datetime64_any_dtype(ds):
        return ds.dt.tz
    if not with_offsets(ds):
        return None
    try:
        read = column_dates(pd.Series(pd.unique(ds)), "the forecast", "ds")
    except DataError:
        return None  # (refused, naming it, where ds is read)
    return getattr(read.dt, "tz", None)


def in_ds_zone(fc: pd.DataFrame) -> pd.DataFrame:
    """``fc`` with its cutoffs in its dates' time zone (the same instants); a DataError
    for cutoffs with a zone beside dates without one, or the other way round (comparing
    them was pandas' TypeError "Invalid comparison between dtype=datetime64[us, UTC] and
    DatetimeArray"). Cutoffs of several offsets beside dates in a zone, and of one beside
    dates of several, are said as such before (:func:`read_cutoffs`): the hint here that
    "cutoffs of several offsets are read without one" named neither of the cases left."""
    cut, ds = fc[CUTOFF], fc["ds"]
    if not (pd.api.types.is_datetime64_any_dtype(cut)
            and pd.api.types.is_datetime64_any_dtype(ds)):
        return fc
    mine, theirs = cut.dt.tz, ds.dt.tz
    if (mine is None) != (theirs is None):
        said = {True: "without a time zone", False: f"in {mine or theirs}"}
        raise DataError(f"the forecast's cutoffs are {said[mine is None]} ({cut.iloc[0]}) "
                        f"and its dates {said[theirs is None]} ({ds.iloc[0]}): which "
                        f"instants they name is not known; write the cutoffs as the dates "
                        f"are, both with their UTC offset or both without")
    return fc if mine is None else fc.assign(**{CUTOFF: cut.dt.tz_convert(theirs)})


def check_before_dates(fc: pd.DataFrame) -> None:
    """A DataError for rows whose cutoff is on or after their forecast date: a cutoff is
    the last date of the data a forecast was made from, before every date it forecasts
    (a cutoff column of another meaning, or the two columns swapped)."""
    late = (fc[CUTOFF] >= fc["ds"]).to_numpy()
    if not late.any():
        return
    rows = fc.loc[late]
    said = [f"{u} {_shown(d)} (cutoff {_shown(c)})"
            for u, d, c in zip(rows["unique_id"], rows["ds"], rows[CUTOFF])]
    raise DataError(f"the forecast has {int(late.sum())} rows dated on or before their "
                    f"cutoff: {first_few(said, 3)}; a cutoff is the last date of the data "
                    f"the forecast was made from, before each date it forecasts: check that "
                    f"the cutoff column is that (not the forecast's first date) and that it "
                    f"and ds are not swapped")


def _shown(d) -> str:
    return str(d.date()) if isinstance(d, pd.Timestamp) and d == d.normalize() else str(d)
