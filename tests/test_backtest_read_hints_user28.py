"""A CSV whose columns are not unique_id, ds, y, given to a backtest with read_panel's
keywords (backtest_models(models, "sales.csv", id_column="store")): the refusal was
Python's bare "unexpected keyword argument 'id_column'", where fit() named read_panel.
Now the panel backtests name read_panel too, with the call that takes its panel."""

from __future__ import annotations

import pytest

from rnnlab import ConfigTypeError, GlobalForecaster
from rnnlab.panel import backtest_models
from rnnlab.panel.backtest import backtest


def _net():
    return GlobalForecaster("gru", hidden_size=4, epochs=1, horizon=2, lookback=4)


@pytest.mark.parametrize("key", ["id_column", "date_column", "target", "fill"])
def test_backtest_models_names_read_panel_for_a_column_keyword(key):
    with pytest.raises(ConfigTypeError, match=rf"'{key}' \(here: read_panel\(df, id_column="
                       r".*then backtest_models\(models, panel\)"):
        backtest_models([_net()], "sales.csv", **{key: "store"})


def test_global_forecaster_backtest_names_read_panel():
    with pytest.raises(ConfigTypeError, match=r"'id_column' \(here: read_panel\(df, .*then "
                       r"backtest\(panel\)"):
        _net().backtest("sales.csv", id_column="store")


def test_the_low_level_backtest_names_its_own_call():
    with pytest.raises(ConfigTypeError, match=r"'id_column' \(here: read_panel\(df, .*then "
                       r"backtest\(factory, panel\)"):
        backtest(_net, "sales.csv", horizon=2, id_column="store")
