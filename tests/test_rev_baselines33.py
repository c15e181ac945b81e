"""Review of baselines33 (session 33): the fpp3 panel baselines mean, tslm and arima, and the
holiday counts per quarter or month."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import TSLM, read_panel

QS = pd.date_range("2000-01-01", periods=40, freq="QS")


def _panel(short) -> "object":
    """Series 'a' (``short``, quarterly) beside a long series 'b' that gives the dates'
    frequency."""
    rows = [pd.DataFrame({"unique_id": "a", "ds": QS[:len(short)], "y": short}),
            pd.DataFrame({"unique_id": "b", "ds": QS, "y": 10 + np.sin(np.arange(40.0))})]
    return read_panel(pd.concat(rows, ignore_index=True))


def _of(fc, uid="a"):
    return fc[fc["unique_id"] == uid]


def test_tslm_forecasts_a_single_value_as_its_level():
    # was 7.5, 10, 12.5 from the one value 5: least squares' minimum-norm blend of 1 and t
    pytest.importorskip("statsmodels")
    with pytest.warns(UserWarning, match="fewer than 5"):
        fc = _of(TSLM().fit(_panel([5.0])).predict(3))
    np.testing.assert_allclose(fc["mean"], 5.0)
