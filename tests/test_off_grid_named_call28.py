"""A refusal of a date off its series' grid names the call the user made as the one that
takes ``off_grid=`` (``Forecaster.fit; --off-grid snap``), not the reader it went through
(``load_series``), as the ``encoding=`` hint does (:func:`rnnlab.io.encoded_path.named_call`)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.io.errors import DataError


def _one_thursday_csv(path):
    dates = list(pd.date_range("2015-01-02", periods=60, freq="W-FRI"))
    dates[30] -= pd.Timedelta(days=1)  # (a Thursday among Fridays)
    pd.DataFrame({"date": [str(d.date()) for d in dates],
                  "y": 10 + np.sin(np.arange(60.0))}).to_csv(path, index=False)
    return str(path)


def _hint(where):
    return rf"off_grid='snap' \({where}; --off-grid snap\)"


def test_fit_and_backtest_name_themselves(tmp_path):
    path = _one_thursday_csv(tmp_path / "one.csv")
    with pytest.raises(DataError, match=_hint("Forecaster.fit")):
        Forecaster(epochs=1).fit(path)
    with pytest.raises(DataError, match=_hint("Forecaster.backtest")):
        Forecaster(epochs=1, horizon=4).backtest(path)


def test_predict_and_predict_insample_name_themselves(tmp_path):
    path = _one_thursday_csv(tmp_path / "one.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = Forecaster(epochs=1, ensemble=1, horizon=4).fit(path, off_grid="snap")
    # (fit's off_grid='snap' is predict's default since session 29: refuse given anew)
    with pytest.raises(DataError, match=_hint("Forecaster.predict")):
        f.predict(history=path, off_grid="refuse")
    with pytest.raises(DataError, match=_hint("Forecaster.predict_insample")):
        f.predict_insample(history=path, off_grid="refuse")
    assert len(f.predict(history=path, off_grid="snap")) == 4  # (the hint, followed)


def test_global_fit_names_itself():
    from rnnlab.panel import GlobalForecaster

    one = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2020-01-03", periods=60,
                                                               freq="W-FRI"),
                        "y": np.arange(60.0)})
    one.loc[20, "ds"] -= pd.Timedelta(days=1)
    two = pd.concat([one, one.assign(unique_id="b", ds=pd.date_range(
        "2020-01-03", periods=60, freq="W-FRI"))])
    with pytest.raises(DataError, match=_hint("GlobalForecaster.fit")):
        GlobalForecaster(epochs=1, horizon=4).fit(two)
