"""Missing values of a panel: NaN, and dates missing from a series' calendar (NaN after
the reindex), in the target and the numeric covariates are filled as asked (``fill``:
ffill, bfill, interpolate, zero) or refused naming series and dates; infinite values and
values whose squares overflow are refused."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..callers_line import callers_level
from ..io.errors import DataError
from .clock_change import clock_change_note
from .int_steps import date_word
from .long_table import DS, ID, Y, shown_pairs
from .panel_freq import coarser_dates

FILLS = ("ffill", "bfill", "interpolate", "zero")


def fill_or_refuse(df: pd.DataFrame, source, fill, freq=None) -> pd.DataFrame:
    """``df`` (a long panel table, filled in place) without NaN in its numeric columns:
    each series filled by ``fill``, or a DataError naming the first series and dates
    (``freq``: the panel's, to tell a business-day calendar's holidays)."""
    cols = [c for c in df.columns if c not in (ID, DS) and pd.api.types.is_numeric_dtype(df[c])]
    refuse_huge(df, cols, source)
    nan = df[cols].isna()
    if not nan.to_numpy().any():
        return df
    if fill is None:
        coarser = coarser_dates(df, nan[Y], freq) if Y in cols else ""
        if coarser:  # (freq='h' given for daily dates: not a gap to fill)
            raise DataError(f"{source}: {coarser}")
        c = next(c for c in cols if nan[c].any())
        rows = df.loc[nan[c], [ID, DS]].head(5)
        shown = shown_pairs(rows)
        what = "the target" if c == Y else f"covariate {c!r}"
        unread = "" if c == Y else (", or drop the column if the model does not read it "
                                    "(read_panel(..., covariates=[...]) keeps only the "
                                    "columns named)")
        w = date_word()
        raise DataError(f"{source}: {what} has {int(nan[c].sum())} NaN values or missing {w}s "
                        f"(series, {w}: {shown}); pass fill='ffill' (--fill ffill) or clean "
                        f"the data{unread}" + clock_change_note(df.loc[nan[c], DS]) + (
                            trailing_note(df, nan[c]) + holiday_note(
                            df, nan[c], freq) + closed_note(df, nan[c], freq) if c == Y
                                            else ""))
    if Y in cols:  # NeuralForecast's forecast rows (y NaN) made up by the fill: said
        note = trailing_note(df, nan[Y])
        if note:
            import warnings

            warnings.warn(f"{source}: fill={fill!r} filled in target values at the end of "
                          f"series{note}", stacklevel=callers_level(5))
    df[cols] = filled_columns(df, cols, fill)
    return df


# how each series' column is filled (a gap at either end: by the nearest value)
FILL_HOW = {"zero": lambda s: s.fillna(0.0), "ffill": lambda s: s.ffill().bfill(),
            "bfill": lambda s: s.bfill().ffill(),
            "interpolate": lambda s: s.interpolate(limit_direction="both")}


def filled_columns(df: pd.DataFrame, cols, fill: str) -> pd.DataFrame:
    """``df[cols]`` with each series' NaN filled by ``fill`` (from that series alone):
    :data:`FILL_HOW` per series, as pandas' grouped fills where it has them (a Python
    call per series was 1-2 ms a series); ``interpolate`` series by series."""
    cols = list(cols)
    if fill == "zero":
        return df[cols].fillna(0.0)
    if fill in ("ffill", "bfill"):
        first, then = ("ffill", "bfill") if fill == "ffill" else ("bfill", "ffill")
        part = getattr(df.groupby(ID, sort=False)[cols], first)()
        return getattr(part.groupby(df[ID], sort=False), then)()
    return df.groupby(ID, sort=False)[cols].transform(FILL_HOW[fill])


def trailing_note(df: pd.DataFrame, nan: pd.Series) -> str:
    """What to do with the rows at the end of series that hold no target (NeuralForecast's
    habit: the dates to forecast appended with y NaN and their covariates), which a fill
    would make up, moving the forecast's origin past them: '' where there are none."""
    rev = nan.iloc[::-1]  # (rows sorted by series and date)
    end = rev.astype(int).groupby(df[ID].iloc[::-1], sort=False).cumprod().iloc[::-1] > 0
    if not end.any():
        return ""
    n = end.groupby(df[ID], sort=False).sum()
    n = n[n > 0]
    uid = n.index[0]
    first = df.loc[end & (df[ID] == uid), DS].iloc[0]
    return (f"; {len(n)} series end{'s' if len(n) == 1 else ''} with rows without a value "
            f"({uid!r}: {int(n.iloc[0])} from {pd.Timestamp(first).date()}): "
            f"if they are the dates to forecast, drop them (a forecast starts after each "
            f"series' last value) and give their covariates as future= (--future FILE.csv); "
            f"a fill would make up their values and start the forecast after them")


def holiday_note(df: pd.DataFrame, nan: pd.Series, freq) -> str:
    """On a business-day calendar, dates missing from every series that spans them are
    holidays (a market closed), which the one-series Forecaster reads as consecutive
    steps: what a panel does with them ('' otherwise)."""
    from ..data.filling import business_days
    from .week_freq import freq_name, week_of

    week = week_of(freq)
    if not (week or (isinstance(freq, str) and business_days(freq))) or not nan.any():
        return ""
    days = df.loc[nan, DS].unique()
    if df.loc[df[DS].isin(days), Y].notna().any():  # some series has a value there
        return ""
    shown = ", ".join(str(pd.Timestamp(d).date()) for d in days[:3])
    said = (f"; {len(days)} date{'s' if len(days) > 1 else ''} ({shown}"
            f"{' ...' if len(days) > 3 else ''}) missing from every series of this business-day "
            f"({freq_name(freq)}) calendar (holidays?): ")
    if week:  # (a trading week: closed on them too)
        return said + (f"weekmask='{week['weekmask']} holidays=US' (a country's code of the "
                       f"`holidays` package) closes a country's public holidays too")
    return said + ("a panel keeps them on its calendar; fill='ffill' carries each series' "
                   "last value over them, and the forecast dates are business days, "
                   "holidays included; or weekmask='Mon Tue Wed Thu Fri holidays=NYSE' (a "
                   "market's or a country's code of the `holidays` package: US) reads them "
                   "as closed, the forecasts skipping them")


def closed_note(df: pd.DataFrame, nan: pd.Series, freq) -> str:
    """On the daily calendar, dates that no series has on one or two weekdays (shops
    closed on Sundays, their rows left out): the weekmask that reads them on their week
    (:mod:`.week_freq`), or the fill ('' otherwise); ``fill='ffill'`` would carry
    Saturday's sales into each Sunday."""
    from ..data.closed_days import closed_names, closed_weekdays
    from ..data.open_days import _WEEK as WEEK

    if freq != "D" or not nan.any():
        return ""
    closed = closed_weekdays(df.loc[df[Y].notna(), DS])
    if not closed:
        return ""
    mask = " ".join(d for i, d in enumerate(WEEK) if i not in closed)
    return (f"; no series has a date on a {closed_names(closed)}, a {7 - len(closed)}-day "
            f"week (closed days left out): pass weekmask={mask!r} (--weekmask {mask!r}) to "
            f"read them on that week (period {7 - len(closed)}, forecasts dated on open days "
            f"only), or fill='zero' (--fill zero) puts them back as 0, closed, which ffill "
            f"would give the day before's values")


def refuse_huge(df: pd.DataFrame, cols, source) -> None:
    """Infinite values, or values whose squares overflow float64 (beyond MAX_ABS), named
    by series and date: a model fitted on them silently forecasts nonsense."""
    from ..data.series import MAX_ABS

    for c in cols:
        v = df[c].to_numpy(dtype=np.float64, na_value=np.nan)
        bad = np.isinf(v) | (np.abs(np.nan_to_num(v)) > MAX_ABS)
        if bad.any():
            rows = df.loc[bad, [ID, DS]].head(5)
            shown = shown_pairs(rows)
            what = "the target" if c == Y else f"covariate {c!r}"
            raise DataError(f"{source}: {what} has {int(bad.sum())} infinite values or values "
                            f"beyond {MAX_ABS:.0e} (series, {date_word()}: {shown}); expected "
                            f"finite "
                            f"numbers of a usable size: fix or rescale them")
