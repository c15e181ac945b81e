"""A GluonTS user's settings (DeepAREstimator's) given to rnnlab's forecasters are refused
with rnnlab's name for each (session 33): they were refused with the list of fields and
no word of the setting meant."""

import pytest

from rnnlab.io.errors import ConfigTypeError


@pytest.mark.parametrize("key, value, ours", [
    ("prediction_length", 8, "'prediction_length' (here: horizon=)"),
    ("context_length", 24, "'context_length' (here: lookback=)"),
    ("num_batches_per_epoch", 50, "'num_batches_per_epoch' (here: batches_per_epoch=)"),
    ("scaling", True, "'scaling' (here: anchor='mean_scale' divides each window"),  # (rev_scale33)
    ("distr_output", "StudentTOutput()", "likelihood='studentt' (StudentTOutput()"),
    ("trainer_kwargs", {"max_epochs": 5}, "{'max_epochs': 5} is epochs=5"),
    ("dropout_rate", 0.1, "recurrent_dropout="),
])
def test_deepar_settings_given_to_the_global_forecaster_name_its_own(key, value, ours):
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(ConfigTypeError) as e:
        GlobalForecaster("lstm", **{key: value})
    assert ours in str(e.value)


@pytest.mark.parametrize("key, ours", [
    ("prediction_length", "'prediction_length' (here: horizon=)"),
    ("context_length", "'context_length' (here: lookback=)"),
    ("scaling", "'scaling' (here: scaler=)"),
])
def test_deepar_settings_given_to_the_one_series_forecaster_name_its_own(key, ours):
    from rnnlab.forecast import Forecaster

    with pytest.raises(ConfigTypeError) as e:
        Forecaster(**{key: 8})
    assert ours in str(e.value)


def test_quantiles_given_to_the_one_series_forecaster_name_predict_and_backtest():
    """Forecaster(quantiles=...) said only that quantiles is a GlobalForecaster setting,
    as if one series could have no intervals; they are asked of the fitted model."""
    from rnnlab.forecast import Forecaster

    with pytest.raises(ConfigTypeError) as e:
        Forecaster(quantiles=(0.1, 0.5, 0.9))
    said = str(e.value)
    assert "predict(h, quantiles=(0.1, 0.5, 0.9))" in said and "backtest(..., quantiles=" in said
    assert "a setting of rnnlab.panel.GlobalForecaster" not in said


def test_the_command_line_names_horizon_for_prediction_length(capsys):
    from rnnlab.cli import main

    assert main(["forecast", "--data", "airline", "--prediction-length", "8"]) != 0
    assert "--prediction-length: did you mean --horizon?" in capsys.readouterr().err


def test_plot_given_gluonts_prediction_intervals_names_the_quantiles(tmp_path):
    """GluonTS' forecast.plot(prediction_intervals=(50.0, 90.0)) was refused with Python's
    bare "unexpected keyword argument", no word of where the intervals come from."""
    from rnnlab.panel import GlobalForecaster

    f = GlobalForecaster("gru", lookback=4, horizon=2)  # (refused before any model is read)
    with pytest.raises(ConfigTypeError) as e:
        f.plot(prediction_intervals=(50.0, 90.0))
    said = str(e.value)
    assert "'prediction_intervals' (here: quantiles, set when the model is created" in said
    assert "GlobalForecaster(quantiles=(0.05, 0.5, 0.95)) draws the 90% interval" in said


@pytest.mark.parametrize("flag, ours", [("--distr-output", "--likelihood"),
                                        ("--num-samples", "--samples")])
def test_the_backtest_command_names_ours_for_deepars_options(flag, ours, capsys):
    """--distr-output had no hint; --num-samples offered --num-layers beside --samples."""
    from rnnlab.cli import main

    assert main(["backtest", "--data", "visnights", flag, "x"]) != 0
    err = capsys.readouterr().err
    assert f"({flag}: did you mean {ours}?)" in err
