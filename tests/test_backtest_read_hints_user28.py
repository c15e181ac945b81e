"""A CSV whose columns are not unique_id, ds, y, given to a backtest with read_panel's
keywords (backtest_models(models, "sales.csv", id_column="store")): the refusal was
Python's bare "unexpected keyword argument 'id_column'", where fit() named read_panel.
Since session 29 the panel backtests take read_panel's column keywords themselves
(tests/test_backtest_columns_api29.py); the peers' names (NeuralForecast's id_col=,
time_col=, target_col=) are refused naming ours, and read_panel's freq=, which they do
not take, names read_panel with the call that takes its panel."""

from __future__ import annotations

import pytest

from rnnlab import ConfigTypeError, GlobalForecaster
from rnnlab.panel import backtest_models
from rnnlab.panel.backtest import backtest


def _net():
    return GlobalForecaster("gru", hidden_size=4, epochs=1, horizon=2, lookback=4)


@pytest.mark.parametrize("key, ours", [("id_col", "id_column="), ("time_col", "date_column="),
                                       ("target_col", "target="), ("column", "target=")])
def test_backtest_models_names_ours_for_a_peers_column_keyword(key, ours):
    with pytest.raises(ConfigTypeError, match=rf"'{key}' \(here: {ours}\)"):
        backtest_models([_net()], "sales.csv", **{key: "store"})


def test_global_forecaster_backtest_names_read_panel_for_freq():
    with pytest.raises(ConfigTypeError, match=r"'freq' \(here: read_panel\(df, freq=\.\.\.\) "
                       r"first, then backtest\(panel\)"):
        _net().backtest("sales.csv", freq="W")


def test_the_low_level_backtest_names_its_own_call():
    with pytest.raises(ConfigTypeError, match=r"'freq' \(here: read_panel\(df, .*then "
                       r"backtest\(factory, panel\)"):
        backtest(_net, "sales.csv", horizon=2, freq="W")
