"""A one-series backtest's paired tests pair each origin's loss (Diebold-Mariano), never a
``per_series()`` metric: a ``metric`` other than the default is refused there, as it would
not be read. ``metric="coverage80"`` was taken without a word; then the shares and widths
were refused, while ``metric="crps"`` or ``"msis80"`` (which that refusal said to pair
instead) were still taken and the point forecast's absolute error paired in their place."""

import pytest

from rnnlab.io.errors import ConfigError


@pytest.fixture(scope="module")
def one_series():
    pytest.importorskip("scipy")
    from rnnlab.panel.backtest import backtest

    from test_backtest_paired_tests import seasonal_panel

    return backtest(None, seasonal_panel(1), horizon=3, first_origin=12, stride=3,
                    baselines=["seasonal_naive", "naive"])


@pytest.mark.parametrize("metric", ["coverage80", "below_q0.9", "width80", "scaled_width80",
                                    "crps", "msis80", "rmse", "nope", None])
def test_one_series_refuses_a_metric_it_would_not_read(one_series, metric):
    # crps and msis80 are per_series() columns a panel pairs: one series paired the
    # absolute error in their place, and the result did not say so
    with pytest.raises(ConfigError) as e:
        one_series.paired_tests(metric=metric)
    said = str(e.value)
    assert said.startswith(f"paired_tests: metric={metric!r} names what a panel pairs")
    assert "one series pairs each origin's mean absolute error (loss=" in said
    assert "leave metric out" in said
    assert "pair 'msis80'" not in said  # (not the panel's advice: nothing is read here)
    with pytest.raises(ConfigError, match=r"mean squared error \(loss="):
        one_series.paired_tests(loss="squared", metric=metric)


def test_one_series_pairs_each_origins_loss_with_the_default_metric(one_series):
    t = one_series.paired_tests().iloc[0]
    assert (t["test"], t["unit"]) == ("Diebold-Mariano (HLN)", "origins")
    assert one_series.paired_tests(metric="mase").equals(one_series.paired_tests())
    assert not one_series.paired_tests(loss="squared").equals(one_series.paired_tests())


def test_one_series_does_not_score_every_series_to_pair_origins(one_series, monkeypatch):
    # the check of metric computed per_series() (every metric, CRPS included) on one
    # series, where nothing reads it
    from rnnlab.panel import metrics

    def refuse(*a, **k):
        raise AssertionError("per_series computed for a one-series test")

    monkeypatch.setattr(metrics, "per_series", refuse)
    assert len(one_series.paired_tests()) == 1


def test_a_panel_still_checks_its_metric_as_before():
    pytest.importorskip("scipy")
    from rnnlab.panel.backtest import backtest

    from test_backtest_paired_tests import seasonal_panel

    panel = backtest(None, seasonal_panel(3), horizon=3, first_origin=12, stride=3,
                     baselines=["seasonal_naive", "naive"])
    assert (panel.paired_tests(metric="crps")["unit"] == "series").all()
    with pytest.raises(ConfigError, match=r"'coverage80' is a share") as e:
        panel.paired_tests(metric="coverage80")
    assert "one series" not in str(e.value)
