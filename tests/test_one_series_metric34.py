"""A one-series backtest's paired tests refuse the metrics a panel's refuse (shares and
widths: coverage80, below_q0.9, width80), by the same check: one series pairs each
origin's loss, and ``metric="coverage80"`` was taken there without a word."""

import pytest

from rnnlab.io.errors import ConfigError


@pytest.fixture(scope="module")
def one_series():
    pytest.importorskip("scipy")
    from rnnlab.panel.backtest import backtest

    from test_backtest_paired_tests import seasonal_panel

    return backtest(None, seasonal_panel(1), horizon=3, first_origin=12, stride=3,
                    baselines=["seasonal_naive", "naive"])


@pytest.mark.parametrize("metric", ["coverage80", "below_q0.9", "width80", "scaled_width80"])
def test_one_series_refuses_the_metrics_a_panel_refuses_in_the_same_words(one_series, metric):
    # one series ran Diebold-Mariano on the loss whatever metric said: coverage80 was taken
    # without a word, where a panel's test refuses it
    from rnnlab.panel.backtest_tests import check_metric

    ps = one_series.per_series()
    assert metric in ps.columns
    with pytest.raises(ConfigError) as panel_said:  # (the one check both routes ask)
        check_metric(metric, [c for c in ps.select_dtypes("number").columns if c != "n"])
    with pytest.raises(ConfigError) as e:
        one_series.paired_tests(metric=metric)
    said = str(e.value)
    assert said.startswith(str(panel_said.value))
    assert "On one series the test pairs each origin's mean absolute error (loss=), not " \
           "metric" in said


def test_one_series_still_pairs_each_origins_loss_for_a_metric_it_takes(one_series):
    t = one_series.paired_tests(metric="mase").iloc[0]
    assert (t["test"], t["unit"]) == ("Diebold-Mariano (HLN)", "origins")
    assert one_series.paired_tests(metric="crps").equals(one_series.paired_tests())
    with pytest.raises(ConfigError, match=r"got 'nope'\. On one series"):
        one_series.paired_tests(metric="nope")
