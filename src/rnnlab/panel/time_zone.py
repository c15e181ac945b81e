"""A panel's time zone: ``read_panel(tz=...)``, ``PanelConfig.time_zone``, ``--time-zone``.

An IANA name (``Europe/London``, ``Australia/Melbourne``, ``UTC``). The dates are put on
that zone's clock once, where the panel is read: dates written with a UTC offset (what
pandas writes for a zone's dates, ``2021-03-28 03:00:00+01:00``; hourly dates whose
offset changes were read as UTC instants) are converted to the zone, the same instants;
dates without an offset are taken as the zone's clock times, and a clock time the zone
skips (spring forward) or repeats (fall back) is refused naming the rows, never shifted.
Calendar features (hour, day of week, holidays) then follow the local clock, the outputs
give the dates with their offsets, and a model saved with the setting reads its new data
and future covariates (``--run``) in the same zone.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from ..io.errors import DataError
from .long_table import DS
from .week_freq import freq_name
from .zone_names import zone_problem

def checked_zone(name, source: str = "tz") -> Optional[str]:
    """``name`` when it is an IANA zone name (None: no zone), else a DataError."""
    if name is None:
        return None
    why = zone_problem(name)
    if why is not None:
        raise DataError(f"{source}: {why}")
    return name


def long_in_zone(long: pd.DataFrame, zone: str, ds_kind: Optional[str],
                 source: str) -> pd.DataFrame:
    """A long table (read by :mod:`.long_table`) with its dates on ``zone``'s clock;
    ``ds_kind`` (periods, integer steps: :mod:`.date_kind`) has none, refused."""
    if ds_kind is not None:
        raise DataError(f"{source}: {no_clock(zone, ds_kind)}")
    return long.assign(**{DS: dates_in_zone(long[DS], zone, source)})


def dates_in_zone(ds: pd.Series, zone: str, source: str) -> pd.Series:
    """``ds`` on ``zone``'s clock: dates with an offset converted (the same instants),
    dates without one taken as its clock times; a clock time the zone skips or repeats is
    refused naming the first ones (a silent shift would move the value an hour)."""
    if ds.dt.tz is not None:
        return ds.dt.tz_convert(zone)
    local = ds.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
    bad = (local.isna() & ds.notna()).to_numpy()
    if not bad.any():
        return local
    gap = ds.dt.tz_localize(zone, ambiguous=np.ones(len(ds), bool), nonexistent="NaT")
    skipped = (gap.isna() & ds.notna()).to_numpy()
    said = []
    for mask, what in ((skipped, "does not exist there (the clocks skip it when daylight "
                        "saving time starts)"),
                       (bad & ~skipped, "happens twice there (the clocks repeat it when "
                        "daylight saving time ends)")):
        days = pd.unique(ds[mask].dt.strftime("%Y-%m-%d %H:%M"))
        if len(days):
            said.append(f"{', '.join(days[:3])}{' ...' if len(days) > 3 else ''} {what}")
    raise DataError(f"{source}: {int(bad.sum())} dates without a UTC offset do not read as "
                    f"one {zone} clock time: {'; '.join(said)}; dates without an offset are "
                    f"read as {zone}'s clock times: write them with their UTC offset "
                    f"(2021-10-31 01:00:00+01:00, as pandas writes a zone's dates) or in UTC "
                    f"(+00:00), or drop those rows")


def panel_in_zone(panel, zone: Optional[str]):
    """``panel`` (a PanelFrame) with its dates on ``zone``'s clock (None, or already
    there: itself). Dates of days or longer that would fall at another clock time (daily
    dates of Paris at 23:00 in London) are refused: read the data in the zone instead."""
    from dataclasses import replace

    from .calendar import intraday

    ds = panel.df[DS]
    if zone is None or str(getattr(ds.dt, "tz", None)) == zone:
        return panel
    if panel.ds_period is not None:
        raise DataError(no_clock(zone, panel.ds_period))
    new = dates_in_zone(ds, zone, "the panel")
    if not intraday(panel.freq) and (new.dt.tz_localize(None) != ds.dt.tz_localize(None)).any():
        raise DataError(f"the panel's {freq_name(panel.freq)} dates are in {ds.dt.tz}: on the "
                        f"{zone} "
                        f"clock they fall at another time of day, off its calendar; read the "
                        f"data in the zone instead: read_panel(data, tz={zone!r})")
    filled = panel.filled
    if filled is not None:  # (its keys tell this frame's rows by id and date)
        keys = filled.keys.assign(**{DS: dates_in_zone(filled.keys[DS], zone, "the panel")})
        filled = replace(filled, keys=keys)
    return replace(panel, df=panel.df.assign(**{DS: new}), filled=filled, ds_written=None)


def no_clock(zone: str, ds_kind: str) -> str:
    """The refusal of a time zone for dates without a clock (periods, integer steps)."""
    from .int_steps import STEPS

    what = "integer time steps" if ds_kind == STEPS else f"periods ({ds_kind!r})"
    return (f"time zone {zone!r}: the dates are {what}, which have no clock time to put in "
            f"a zone; drop tz= (--time-zone)")


def future_in_zone(future, zone: Optional[str]):
    """A future covariates table (its ``ds`` column, or a DatetimeIndex of dates shared by
    every series) with its dates on ``zone``'s clock, as the data's were read (None: as
    it is; text dates are read first, integer steps left to the model's check)."""
    if zone is None or not isinstance(future, pd.DataFrame):
        return future
    from .int_steps import is_steps
    from .long_table import column_dates

    if DS in future.columns and not is_steps(future[DS]):
        ds = future[DS]
        if not pd.api.types.is_datetime64_any_dtype(ds):
            ds = column_dates(ds, "future covariates", DS)
        return future.assign(**{DS: dates_in_zone(ds, zone, "future covariates")})
    if DS not in future.columns and isinstance(future.index, pd.DatetimeIndex):
        idx = dates_in_zone(pd.Series(future.index), zone, "future covariates")
        return future.set_axis(pd.DatetimeIndex(idx, name=future.index.name), axis=0)
    return future

