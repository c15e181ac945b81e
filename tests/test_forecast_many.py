"""evaluate() forecasts the network from every origin of the test part in one batch
(methods.forecast_many): the same numbers as one origin at a time, which took 36 of a
49-second run on hourly data with horizon 168."""

import warnings

import numpy as np
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.forecast.methods import forecast_many, forecast_with
from rnnlab.forecast.metrics import error_by_step, metrics
from rnnlab.forecast.selection import CANDIDATES


@pytest.fixture(scope="module")
def fitted():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Forecaster(lookback=12, horizon=6, ensemble=2, epochs=2, progress=False,
                          select="weighted").fit("airline")


@pytest.mark.parametrize("method", CANDIDATES)
def test_many_histories_equal_one_at_a_time(fitted, method):
    values = fitted.series.values
    hists = [values[:end] for end in range(100, 110)]
    one = np.stack([forecast_with(fitted, method, h, 6) for h in hists])
    np.testing.assert_allclose(forecast_many(fitted, method, hists, 6), one, rtol=1e-5)


def test_evaluate_scores_the_network_from_each_origin(fitted):
    ev = fitted.evaluate()
    values, nt = fitted.series.values, fitted.n_train
    k = len(values) - nt
    test = values[nt:]
    for name, method in (("model", "weighted"), ("network", "network")):
        one = np.array([forecast_with(fitted, method, values[:nt + i], 1)[0] for i in range(k)])
        want = metrics(test, one)["rmse"]
        assert ev["one_step"][name]["rmse"] == pytest.approx(want, rel=1e-5)
        act = np.full((k, 6), np.nan)
        prd = np.stack([forecast_with(fitted, method, values[:nt + i], 6) for i in range(k)])
        for i in range(k):
            act[i, :len(test[i:i + 6])] = test[i:i + 6]
        np.testing.assert_allclose(ev["by_step"][name]["rmse"],
                                   error_by_step(act, prd)["rmse"], rtol=1e-5)
