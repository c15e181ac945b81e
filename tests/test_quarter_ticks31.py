"""A quarterly panel's plots (GlobalForecaster.plot, the backtest's forecasts grid) labelled
their dates as months, 2014-01, 2014-07, where the data, forecasts.csv and the backtest's
origins write 2014Q1, 2014Q3. Dates that are all quarter starts three months apart are
labelled as quarters; other dates keep matplotlib's labels."""

import pandas as pd

from rnnlab.figure_files import pyplot, quarter_ticks
from rnnlab.panel.forecast_plot import plot_panel_forecast


def _labels(ax) -> list:
    ax.figure.canvas.draw()
    return [t.get_text() for t in ax.get_xticklabels() if t.get_text()]


def _forecast(freq, n=16):
    ds = pd.date_range("2013-01-01", periods=n + 4, freq=freq)
    past = pd.DataFrame({"unique_id": "a", "ds": ds[:n], "y": range(n)})
    fc = pd.DataFrame({"unique_id": "a", "ds": ds[n:], "step": range(1, 5),
                       "mean": 1.0, "q0.1": 0.5, "q0.9": 1.5})
    return fc, past


def test_a_quarterly_forecast_is_labelled_in_quarters():
    fc, past = _forecast("QS")
    fig = plot_panel_forecast(fc, past)
    labels = _labels(fig.axes[0])
    assert labels and all(len(t) == 6 and t[4] == "Q" for t in labels), labels
    pyplot().close(fig)


def test_a_forecast_of_periods_is_labelled_in_quarters():
    """predict gives periods back for a panel given as periods (visnights)."""
    fc, past = _forecast("QS")
    fc = fc.assign(ds=fc["ds"].dt.to_period("Q"))
    fig = plot_panel_forecast(fc, past)
    labels = _labels(fig.axes[0])
    assert labels and all(t[4] == "Q" for t in labels), labels  # (none: all() held)
    pyplot().close(fig)


def test_monthly_dates_keep_their_labels():
    fc, past = _forecast("MS")
    fig = plot_panel_forecast(fc, past)
    labels = _labels(fig.axes[0])
    assert labels and not any("Q" in t for t in labels), labels
    pyplot().close(fig)


def test_quarter_ticks_reads_the_dates_given():
    fig, ax = pyplot().subplots()
    assert not quarter_ticks(ax, pd.Series(pd.to_datetime(["2013-01-01", "2013-04-01"])))
    assert not quarter_ticks(ax, pd.Series([1, 2, 3, 4]))  # steps: no dates
    assert quarter_ticks(ax, pd.Series(pd.date_range("2013-01-01", periods=6, freq="QS")))
    pyplot().close(fig)


def test_annual_and_half_yearly_dates_are_not_labelled_as_quarters():
    """January firsts a year (or half a year) apart are quarters' starts too, and were
    labelled 2000Q1, 2001Q1: an annual series' axis read as quarters. Quarters are dates
    of which some two follow each other three months apart."""
    fig, ax = pyplot().subplots()
    for freq in ("YS", "6MS"):
        assert not quarter_ticks(ax, pd.Series(pd.date_range("2000-01-01", periods=12,
                                                             freq=freq)))
    gappy = pd.date_range("2000-01-01", periods=12, freq="QS").delete([2, 5])
    assert quarter_ticks(ax, pd.Series(gappy))  # (a missing quarter: still quarters)
    pyplot().close(fig)
    fc, past = _forecast("YS")
    fig = plot_panel_forecast(fc, past)
    labels = _labels(fig.axes[0])
    assert labels and not any("Q" in t for t in labels), labels
    pyplot().close(fig)
