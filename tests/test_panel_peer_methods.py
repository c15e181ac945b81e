"""The peers' method names on a GlobalForecaster (NeuralForecast's and statsforecast's
cross_validation, Darts' historical_forecasts) say whose
they are and what does their work here; Python's bare "has no attribute
'cross_validation'" named nothing. Other missing names stay bare."""

import copy
import pickle

import pytest

from rnnlab.panel import GlobalForecaster
from rnnlab.panel.peer_arguments import PEER_METHODS


@pytest.mark.parametrize("name, whose, ours", [
    ("cross_validation", "NeuralForecast's and statsforecast's",
     r"f\.backtest\(panel, first_origin=h \+ \(n_windows - 1\) \* step_size"),
    # (was "NeuralForecast's and Darts'" for each: Darts has no cross_validation nor
    # predict_insample, NeuralForecast no historical_forecasts, whose arguments are Darts')
    ("historical_forecasts", "Darts'", r"f\.predict_insample\(panel, step_size=stride\) \(its "
                                       r"retrain=False.*f\.backtest\(panel, horizon="
                                       r"forecast_horizon, first_origin=the steps from start "
                                       r"to the end, stride=stride, refit='never'\)")])
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
    # NeuralForecast's predict_insample is a method now (it named a predict loop)
    assert callable(f.predict_insample) and "predict_insample" not in PEER_METHODS
    assert copy.deepcopy(f).config == f.config  # (copy and pickle look names up too)
    assert pickle.loads(pickle.dumps(f)).config == f.config


@pytest.mark.parametrize("name, ours", [
    # statsforecast's sf.forecast(df=, h=) and fit_predict (were bare AttributeErrors)
    ("forecast", r"f\.fit\(panel, static=static\)\.predict\(h, future=fut\)"),
    ("fit_predict", r"f\.fit\(panel, static=static\)\.predict\(h, future=fut\)"),
    ("load_from_checkpoint", r"f\.fit\(panel, checkpoint_dir=DIR, resume=True\)")])
def test_statsforecasts_and_darts_method_names_point_to_ours(name, ours):
    f = GlobalForecaster("gru", lookback=4, horizon=2)
    with pytest.raises(AttributeError, match=rf"no attribute '{name}' \(.* {name}; here: "
                                             rf".*{ours}"):
        getattr(f, name)


def test_darts_load_from_checkpoint_on_the_class_points_to_resume():
    """Darts' RNNModel.load_from_checkpoint(name) is called on the class (the migration
    table's row): Python's bare "type object 'GlobalForecaster' has no attribute"."""
    with pytest.raises(AttributeError, match=r"^type object 'GlobalForecaster' has no "
                                             r"attribute 'load_from_checkpoint' \(Darts'.*"
                                             r"resume=True"):
        GlobalForecaster.load_from_checkpoint("m")
    with pytest.raises(AttributeError, match=r"^type object 'GlobalForecaster' has no "
                                             r"attribute 'nothing'$"):
        GlobalForecaster.nothing
    assert getattr(GlobalForecaster, "nothing", 3) == 3


def test_the_one_series_forecaster_says_the_same_of_darts_checkpoints():
    """Darts' models take one series too: Forecaster.load_from_checkpoint (class and
    instance) and Forecaster(save_checkpoints=True) were bare errors."""
    from rnnlab.forecast import Forecaster

    with pytest.raises(AttributeError, match=r"^type object 'Forecaster' has no attribute "
                                             r"'load_from_checkpoint' \(Darts'.*f\.fit\("
                                             r"series, checkpoint_dir=DIR, resume=True\)"):
        Forecaster.load_from_checkpoint("m")
    with pytest.raises(AttributeError, match=r"Forecaster\.load\(path\)"):
        Forecaster("gru").load_from_checkpoint
    with pytest.raises(TypeError, match=r"'save_checkpoints' \(here: fit\(series, "
                                        r"checkpoint_dir=DIR\)"):
        Forecaster("gru", save_checkpoints=True)
    with pytest.raises(TypeError, match=r"'optimizer_kwargs' \(here: each a setting: lr="):
        Forecaster("gru", optimizer_kwargs={"lr": 1e-3})
    assert getattr(Forecaster, "nothing", 3) == 3
