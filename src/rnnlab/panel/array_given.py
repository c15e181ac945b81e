"""Numbers without a frame given where a panel is read: how they become series.

The one-series Forecaster takes a numpy array or a list of numbers; ``read_panel`` and
``GlobalForecaster.fit`` refused one as "expected a CSV path, a DataFrame, ...; got
ndarray" and said no more. :func:`array_hint` names its shape and the two forms that
read it, as integer time steps: one series as ``pd.Series(values)``, one per column as
``dict(enumerate(np.asarray(values).T))`` (a list of series, one per item:
``dict(enumerate(values))``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def array_hint(data) -> str:
    """``data``'s shape and how to give it as series, for a numpy array or a list of
    numbers of one or two dimensions; the dict to make of any other list (of pandas
    Series, Darts' TimeSeries); '' for anything else."""
    if not isinstance(data, (np.ndarray, list, tuple)):
        return ""
    series = ("; a list of series (Darts' list of TimeSeries) goes in as a dict: "
              "{s.name: s for s in series}" if isinstance(data, (list, tuple)) else "")
    if series and any(isinstance(s, pd.Series) for s in data[:1]):  # (dates and names)
        return series
    try:
        values = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError):  # (Darts' TimeSeries, text, ragged: no numbers)
        return series
    if values.ndim not in (1, 2) or not values.size:
        return series
    listed = ("; a list of series, one per item: dict(enumerate(values))"
              if values.ndim == 2 and not isinstance(data, np.ndarray) else "")
    return (f" of shape {values.shape}: numbers without dates go in as series of integer "
            f"time steps (0, 1, 2, ...): one series as pd.Series(values) (its name the id), "
            f"one series per column as a dict, dict(enumerate(np.asarray(values).T)) (or "
            f"{{'a': values[:, 0], ...}}){listed}; with dates, as a DataFrame indexed by them")
