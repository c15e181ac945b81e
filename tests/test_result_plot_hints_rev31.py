"""BacktestResult.plot reads history= only; its refusal of another library's keywords
named a forecast's settings there: level=[80] as "BacktestResult(quantiles=...)" (a result
has no such setting), fh= as "predict(2)", static_df= as fit's static=. It names only the
table's column names (history=read_panel(...)); other keywords are refused plainly."""

import pytest

from rnnlab.io.errors import ConfigTypeError
from rnnlab.panel.peer_arguments import refuse_peer_arguments


@pytest.mark.parametrize("given, untrue", [
    ({"level": [80]}, "BacktestResult(quantiles"), ({"fh": [1, 2]}, "predict("),
    ({"static_df": None}, "fit(panel"), ({"static": None}, "fit(panel")])
def test_a_result_plot_names_no_forecast_setting(given, untrue):
    with pytest.raises(ConfigTypeError, match="BacktestResult.plot") as e:
        refuse_peer_arguments("plot", given, "BacktestResult")
    assert untrue not in str(e.value)
    assert repr(next(iter(given))) in str(e.value)


def test_a_result_plot_still_names_read_panel_for_a_tables_columns():
    with pytest.raises(ConfigTypeError, match=r"history=read_panel\("):
        refuse_peer_arguments("plot", {"id_column": "store"}, "BacktestResult")
