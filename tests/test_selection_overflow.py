"""A candidate whose validation forecast overflows (the exp of a log series' wild trend:
airline with one value set to 1e9) is scored inf and loses the choice, without numpy's
raw "overflow encountered in exp" reaching the user; finite forecasts score as before."""

import warnings

import numpy as np

from rnnlab import Forecaster
from rnnlab.data.datasets import resolve_data
from rnnlab.data.outliers import OutlierWarning
from rnnlab.forecast.selection import rolling_scores


def test_an_overflowing_candidate_is_scored_inf_silently():
    values = np.arange(1.0, 41.0)
    methods = {"wild": lambda past, s: np.exp(np.full(s, 1000.0)),
               "last": lambda past, s: np.full(s, past[-1])}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = rolling_scores(values, 30, 40, 4, 3, methods, 1.0)
    assert scores["wild"] == np.inf
    assert scores["last"] == 2.5  # (1..4 steps past the last value, as before)


def test_airline_with_one_extreme_value_fits_without_a_raw_overflow():
    y = resolve_data("airline").values.copy()
    y[110] = 1e9
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", OutlierWarning)  # (said, and tested, elsewhere)
        f = Forecaster(epochs=1, ensemble=1, hidden_size=4, progress=False).fit(y)
    assert [str(w.message) for w in caught] == []
    assert np.isfinite(f.predict().to_numpy()).all()
