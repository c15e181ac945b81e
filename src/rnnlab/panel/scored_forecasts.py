"""What :func:`rnnlab.panel.accuracy` checks of forecasts before it scores them.

A slip of a pandas pipeline that pandas itself answered with a traceback: forecast
dates with a time zone beside data dates without one (or the other way round: pandas'
merge raised its ValueError "You are trying to merge on datetime64[us, UTC] and
datetime64[us] columns").
"""

from __future__ import annotations

import pandas as pd

from ..io.errors import DataError
from .int_steps import shown_date
from .long_table import DS


def in_data_zone(fc: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """``fc`` with its dates in the time zone of the data's dates ``truth[DS]`` (the same
    instants); a DataError when one has a zone and the other has none: which instants
    they name is not known."""
    ours, theirs = getattr(truth[DS].dtype, "tz", None), getattr(fc[DS].dtype, "tz", None)
    if (ours is None) == (theirs is None):
        return fc if ours is None else fc.assign(**{DS: fc[DS].dt.tz_convert(ours)})
    said = {True: "without a time zone", False: f"in {theirs or ours}"}
    fix = (f"forecasts['ds'].dt.tz_localize({str(ours)!r})" if theirs is None
           else "forecasts['ds'].dt.tz_convert(ZONE).dt.tz_localize(None)")
    raise DataError(f"accuracy: the forecasts' dates are {said[theirs is None]} "
                    f"({shown_date(fc[DS].iloc[0])}), the data's {said[ours is None]} "
                    f"({shown_date(truth[DS].iloc[0])}): which instants they name is not "
                    f"known; expected both with a zone or both without: give the forecasts "
                    f"the data's ({fix}), or read the data with read_panel(..., tz=ZONE)")

