"""The peers' method names on a GlobalForecaster (NeuralForecast's and statsforecast's
cross_validation, Darts' historical_forecasts, NeuralForecast's predict_insample) say whose
they are and what does their work here; Python's bare "has no attribute
'cross_validation'" named nothing. Other missing names stay bare."""

import copy
import pickle

import pytest

from rnnlab.panel import GlobalForecaster


@pytest.mark.parametrize("name, whose, ours", [
    ("cross_validation", "NeuralForecast's and statsforecast's",
     r"f\.backtest\(panel, first_origin=h \+ \(n_windows - 1\) \* step_size"),
    # (was "NeuralForecast's and Darts'" for each: Darts has no cross_validation nor
    # predict_insample, NeuralForecast no historical_forecasts, whose arguments are Darts')
    ("historical_forecasts", "Darts'", r"f\.backtest\(panel, horizon=forecast_horizon, "
                                       r"first_origin=the steps from start to the end, "
                                       r"stride=stride, refit='never'\) \(its retrain=False"),
    ("predict_insample", "NeuralForecast's", r"predict\(history=train\.cut")])
def test_a_peers_method_name_points_to_ours(name, whose, ours):
    f = GlobalForecaster("gru", lookback=4, horizon=2)
    with pytest.raises(AttributeError, match=rf"no attribute '{name}' \({whose} {name}; here: "
                                             rf".*{ours}"):
        getattr(f, name)


def test_other_missing_names_stay_plain_attribute_errors():
    f = GlobalForecaster("gru", lookback=4, horizon=2)
    with pytest.raises(AttributeError, match=r"^'GlobalForecaster' object has no attribute "
                                             r"'predcit'$"):
        f.predcit
    assert not hasattr(f, "fitted_values") and getattr(f, "nothing", 3) == 3
    assert copy.deepcopy(f).config == f.config  # (copy and pickle look names up too)
    assert pickle.loads(pickle.dumps(f)).config == f.config
