"""A model loaded in a new process, given the raw table it was fitted from (Series_ID,
Month, Employed) as ``history=``, answers "no id column ... id_column='Series_ID'"; the
user passes ``predict(history=df, id_column="Series_ID")`` and got Python's bare
"unexpected keyword argument 'id_column'". The table's own column names (ours and
Darts') given to predict, make_future_dataframe or plot are refused naming the call that
reads them: ``history=read_panel(df, id_column=..., ...)``."""

import pandas as pd
import pytest

from rnnlab.io.errors import ConfigTypeError
from rnnlab.panel import GlobalForecaster

RAW = pd.DataFrame({"Series_ID": ["a"] * 3, "Month": ["2020-01", "2020-02", "2020-03"],
                    "Employed": [1.0, 2.0, 3.0]})


@pytest.mark.parametrize("method", ["predict", "make_future_dataframe", "plot"])
@pytest.mark.parametrize("word", ["id_column", "date_column", "target", "time_col"])
def test_a_tables_column_names_given_beside_history_name_read_panel(method, word):
    f = GlobalForecaster("lstm")
    with pytest.raises(ConfigTypeError, match=r"history=read_panel\(") as e:
        getattr(f, method)(history=RAW, **{word: "Series_ID"})
    assert repr(word) in str(e.value)


def test_plot_names_static_for_static_df_as_predict_does():
    """plot takes static= as predict does (the history's series' values), not fit's."""
    with pytest.raises(ConfigTypeError, match=r"static= \(the static covariates of history"):
        GlobalForecaster("lstm").plot(history=RAW, static_df=RAW)


def _fitted_result():
    """A backtest result of a baseline (fast: no network)."""
    from rnnlab.panel import SeasonalNaive, read_panel
    from rnnlab.panel.backtest import backtest

    panel = read_panel(pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2020", periods=30,
                                     freq="D"), "y": [float(i % 7) for i in range(30)]}))
    return backtest(lambda: SeasonalNaive(period=7), panel, horizon=3, first_origin=6)


@pytest.mark.parametrize("word", ["id_column", "date_column", "target", "time_col"])
@pytest.mark.parametrize("call", [
    lambda: GlobalForecaster("lstm", likelihood="gaussian").sample_paths,
    lambda: GlobalForecaster("lstm").predict_insample,
    lambda: __import__("rnnlab.panel", fromlist=["SeasonalNaive"]).SeasonalNaive(period=2).predict,
    lambda: _fitted_result().plot,
], ids=["sample_paths", "predict_insample", "baseline_predict", "backtest_result_plot"])
def test_every_panel_method_reading_history_names_read_panel(call, word):
    """Each panel method that reads ``history=`` refuses a table's column names with the
    same advice (one shared table, through refuse_peer_arguments): sample_paths was
    Python's bare TypeError, the others named the keyword alone."""
    with pytest.raises(ConfigTypeError, match=r"history=read_panel\(") as e:
        call()(history=RAW, **{word: "Series_ID"})
    assert repr(word) in str(e.value)
