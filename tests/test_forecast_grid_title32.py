"""The forecasts grid's title says what was drawn: `rnnlab forecast` holds out one part
and forecasts it from one cut, and its forecasts.png said "backtest forecasts ... from
each origin (dotted lines)", words of a backtest of several origins."""

from rnnlab.panel import SeasonalNaive, load_panel
from rnnlab.panel.backtest import backtest
from rnnlab.panel.plots import _drawable, plot_forecast_grid


def _title(first_origin: int) -> str:
    res = backtest(SeasonalNaive, load_panel("visnights"), horizon=4,
                   first_origin=first_origin, stride=4, baselines="naive")
    fc, history = _drawable(res.forecasts, None)
    fig = plot_forecast_grid(None, fc, history, n=2)
    return fig._suptitle.get_text()


def test_one_origin_is_titled_as_one_forecast_from_one_cut():
    title = _title(4)
    assert "each origin" not in title and "backtest" not in title
    assert title == "forecasts: model (red) from one cut (dotted line)"


def test_several_origins_keep_the_backtest_title():
    assert _title(12) == "backtest forecasts: model (red) from each origin (dotted lines)"
