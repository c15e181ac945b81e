"""Forecaster.fit's input (:mod:`rnnlab.forecast.fit_input`): what is said of the data
before training points at the caller's line, from its own module as from fit before."""

import warnings

import numpy as np

from rnnlab import Forecaster
from rnnlab.data.outliers import OutlierWarning


def test_an_extreme_value_is_named_at_the_callers_line():
    y = 100 + 10 * np.sin(np.arange(60) / 3)
    y[20] = 1e9
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        Forecaster(hidden_size=2, epochs=1, ensemble=1, horizon=4, lookback=4,
                   progress=False).fit(y)
    said = [w for w in seen if issubclass(w.category, OutlierWarning)]
    assert len(said) == 1 and said[0].filename == __file__, [
        (w.category.__name__, w.filename) for w in seen]
    assert "1e+09 at position 20" in str(said[0].message)
