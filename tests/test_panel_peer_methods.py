"""NeuralForecast's and Darts' method names on a GlobalForecaster (cross_validation,
historical_forecasts, predict_insample) say what does their work here; Python's bare
"has no attribute 'cross_validation'" named nothing. Other missing names stay bare."""

import copy
import pickle

import pytest

from rnnlab.panel import GlobalForecaster


@pytest.mark.parametrize("name, ours", [("cross_validation", r"backtest\(panel, first_origin="),
                                        ("historical_forecasts", r"backtest\(panel, "),
                                        ("predict_insample", r"predict\(history=train\.cut")])
def test_a_peers_method_name_points_to_ours(name, ours):
    f = GlobalForecaster("gru", lookback=4, horizon=2)
    with pytest.raises(AttributeError, match=rf"no attribute '{name}' \(NeuralForecast.*{ours}"):
        getattr(f, name)


def test_other_missing_names_stay_plain_attribute_errors():
    f = GlobalForecaster("gru", lookback=4, horizon=2)
    with pytest.raises(AttributeError, match=r"^'GlobalForecaster' object has no attribute "
                                             r"'predcit'$"):
        f.predcit
    assert not hasattr(f, "fitted_values") and getattr(f, "nothing", 3) == 3
    assert copy.deepcopy(f).config == f.config  # (copy and pickle look names up too)
    assert pickle.loads(pickle.dumps(f)).config == f.config
