"""Darts' historical_forecasts (and NeuralForecast's, statsforecast's cross_validation) on
the one-series Forecaster name what does their work here, as a GlobalForecaster's do. Was:
Python's bare "'Forecaster' object has no attribute 'historical_forecasts'"."""

import copy
import pickle

import pytest

from rnnlab.forecast import Forecaster


@pytest.mark.parametrize("name, ours", [
    ("historical_forecasts", r"f\.predict_insample\(step_size=stride\) \(its retrain=False"),
    ("cross_validation", r"f\.backtest\(series, first_origin=h \+ \(n_windows - 1\)")])
def test_a_peers_method_name_points_to_ours(name, ours):
    with pytest.raises(AttributeError, match=rf"no attribute '{name}' \(.*{name}; here: "
                                             rf"{ours}"):
        getattr(Forecaster("gru"), name)


def test_other_missing_names_stay_plain_attribute_errors():
    f = Forecaster("gru", lookback=4, horizon=2)
    with pytest.raises(AttributeError, match=r"^'Forecaster' object has no attribute "
                                             r"'predcit'$"):
        f.predcit
    assert getattr(f, "nothing", 3) == 3 and callable(f.predict_insample)
    assert copy.deepcopy(f).config == f.config  # (copy and pickle look names up too)
    assert pickle.loads(pickle.dumps(f)).config == f.config
