"""What :func:`rnnlab.panel.accuracy` checks of forecasts before it scores them.

Two slips of a pandas pipeline that pandas itself answered with a traceback or that
changed the scores without a word: forecast dates with a time zone beside data dates
without one (or the other way round: pandas' merge raised its ValueError "You are trying
to merge on datetime64[us, UTC] and datetime64[us] columns"), and forecasts without a
value (a NaN or pd.NA mean was left out of the series' mean errors, while its ``n``
still counted it: a series' MAE of 2 rows under n = 3), and forecasts that repeat a
model, series, date and origin (two runs' backtest frames concatenated under one model
name: scored as twice the forecasts, the runs' errors averaged). Forecasts without an
origin, where the column is there, are refused before the repeats (a blank is no origin).
"""

from __future__ import annotations

import pandas as pd

from ..io.errors import DataError
from ..listing import first_few
from .int_steps import date_word, shown_date
from .long_table import DS, ID


def instants_in_zone(fc: pd.DataFrame, zone) -> pd.DataFrame:
    """``fc`` with its dates (and ``origin``, ``cutoff``) written as text with UTC offsets
    (a zoned panel's forecasts.csv read back: ``2020-03-29 00:00:00+01:00``, then
    ``+02:00``) read as the instants they name, in the data's ``zone``; as written where
    the data has no zone (read so, offsets changing, days name the local calendar's days
    as the data's do). Read as days beside zoned data, they were refused."""
    from ..data.date_forms import with_offsets

    if zone is None:
        return fc
    text = [c for c in (DS, "origin", "cutoff") if c in fc.columns and with_offsets(fc[c])]
    return fc.assign(**{c: pd.to_datetime(fc[c], utc=True).dt.tz_convert(zone)
                        for c in text}) if text else fc


def in_data_zone(fc: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """``fc`` with its dates, and its ``origin`` or ``cutoff`` dates, in the time zone of
    the data's dates ``truth[DS]`` (the same instants); a DataError when one has a zone
    and the other has none: which instants they name is not known (an origin of another
    kind raised pandas' TypeError "Invalid comparison", compared with the data's dates)."""
    ours = getattr(truth[DS].dtype, "tz", None)
    for col in (DS, "origin", "cutoff"):
        if col not in fc.columns or not pd.api.types.is_datetime64_any_dtype(fc[col]):
            continue  # (an origin of labels, fold numbers: no instants)
        theirs = getattr(fc[col].dtype, "tz", None)
        if (ours is None) != (theirs is None):
            _refuse_zone_beside_none(fc[col], truth[DS], ours, theirs)
        if ours is not None:
            fc = fc.assign(**{col: fc[col].dt.tz_convert(ours)})
    return fc


def _refuse_zone_beside_none(dates: pd.Series, truth: pd.Series, ours, theirs) -> None:
    said = {True: "without a time zone", False: f"in {theirs or ours}"}
    what = "dates" if dates.name == DS else f"{dates.name}s"
    given = f"pd.to_datetime(forecasts[{dates.name!r}])"  # (a CSV's text has no .dt)
    fix = (f"{given}.dt.tz_localize({str(ours)!r})" if theirs is None
           else f"{given}.dt.tz_convert(ZONE).dt.tz_localize(None)")
    raise DataError(f"accuracy: the forecasts' {what} are {said[theirs is None]} "
                    f"({shown_date(dates.iloc[0])}), the data's {said[ours is None]} "
                    f"({shown_date(truth.iloc[0])}): which instants they name is not "
                    f"known; expected both with a zone or both without: give the forecasts "
                    f"the data's ({fix}), or read the data with read_panel(..., tz=ZONE)")


def refuse_blank_means(scored: pd.DataFrame) -> None:
    """A DataError naming the forecasts (of dates the data has a value for) whose ``mean``
    is NaN or pd.NA: a forecast without a value cannot be scored, and left out of the
    means it was counted in ``n`` still."""
    blank = scored["mean"].isna().to_numpy()
    if not blank.any():
        return
    rows = scored.loc[blank]
    where = [f"{m} {u} {shown_date(d)}" for m, u, d in zip(rows["model"], rows[ID], rows[DS])]
    n = int(blank.sum())
    raise DataError(f"accuracy: {n} forecast{'s have' if n > 1 else ' has'} no mean (model, "
                    f"series, {date_word()}: {first_few(where, 5)}); expected a number in "
                    f"every forecast's mean: drop {'those rows' if n > 1 else 'it'} "
                    f"(forecasts.dropna(subset=['mean'])) to score the rest, or fill them")


def refuse_blank_origins(fc: pd.DataFrame, origin) -> None:
    """A DataError counting the forecasts whose ``origin`` (or ``cutoff``) is blank and
    naming the first: they were left out of the metrics without a word (a blank has no
    scale), where ``rnnlab score`` refuses them so."""
    if origin is None or origin not in fc.columns:
        return
    blank = fc[origin].isna().to_numpy()
    if not blank.any():
        return
    rows = fc.loc[blank]
    said = [f"{u} {shown_date(d)}" for u, d in zip(rows[ID], rows[DS])]
    # (every one blank: dropping the rows leaves none; without the column each series is
    # scaled by its values before its first forecast date)
    fix = (f"drop the column (fc.drop(columns={origin!r})) to scale each series by its "
           f"values before its first forecast date" if blank.all() else
           f"drop those rows (fc.dropna(subset=[{origin!r}]))")
    raise DataError(f"accuracy: {int(blank.sum())} of the {len(fc)} forecasts have no "
                    f"{origin} ({first_few(said, 3)}): each forecast's {origin} is the last "
                    f"date of the data it was made from, and scales its MASE and RMSSE; "
                    f"fill it in, or {fix}")


def refuse_repeated_origins(scored: pd.DataFrame, origin: str, by=()) -> None:
    """A DataError naming the forecasts that repeat a (model, series, date, ``origin``),
    and the other ``by`` columns the metrics are grouped by (a ``run`` column tells two
    runs of one model name apart): each origin forecasts a date once per model (without
    an origin column, repeats are several origins' forecasts, warned of by accuracy)."""
    keys = list(dict.fromkeys(("model", *by, ID, DS, origin)))
    dup = scored.duplicated(keys, keep=False).to_numpy()
    if not dup.any():
        return
    rows = scored.loc[dup, keys].drop_duplicates()
    dated = {DS} | ({origin} if pd.api.types.is_datetime64_any_dtype(rows[origin]) else set())
    said = ["(" + ", ".join(shown_date(v) if k in dated else _as_written(v)
                            for k, v in zip(keys, r)) + ")"
            for r in rows.itertuples(index=False)]
    named = ", ".join({ID: "series", DS: date_word()}.get(k, str(k)) for k in keys)
    raise DataError(f"accuracy: {len(rows)} forecasts repeat a ({named}): "
                    f"{first_few(said, 3)}; expected one forecast per {named}: frames of "
                    f"several runs tell them apart by their 'model' column "
                    f"(fc.assign(model='run2')), or drop the repeats")


def _as_written(value) -> str:
    """A label as the forecasts hold it: ``'w1'``, ``7`` (an origin column of fold names
    or numbers, not dates: read as dates it raised pandas' DateParseError, or named 7 as
    1970-01-01 00:00:00.000000007), not numpy's ``np.int64(7)``."""
    return repr(value.item() if hasattr(value, "item") else value)
