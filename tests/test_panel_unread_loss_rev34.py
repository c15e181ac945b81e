"""A panel's paired tests pair each series' ``metric`` (Wilcoxon), never an origin's
``loss``: ``loss="squared"`` there was taken and MASE paired in its place, without a word
(the mirror of one series' unread ``metric``)."""

import pytest

from rnnlab.io.errors import ConfigError


@pytest.fixture(scope="module")
def panel():
    pytest.importorskip("scipy")
    from rnnlab.panel.backtest import backtest

    from test_backtest_paired_tests import seasonal_panel

    return backtest(None, seasonal_panel(3), horizon=3, first_origin=12, stride=3,
                    baselines=["seasonal_naive", "naive"])


def test_a_panel_refuses_a_loss_it_would_not_read(panel):
    with pytest.raises(ConfigError) as e:
        panel.paired_tests(loss="squared")
    said = str(e.value)
    assert said.startswith("paired_tests: loss='squared' is what one series pairs")
    assert "each series' mase (metric=" in said and "leave loss out" in said
    with pytest.raises(ConfigError, match=r"each series' rmse \(metric="):
        panel.paired_tests(loss="squared", metric="rmse")


def test_a_panel_pairs_its_metric_with_the_default_loss(panel):
    t = panel.paired_tests(loss="absolute")
    assert (t["unit"] == "series").all() and t.equals(panel.paired_tests())
    with pytest.raises(ConfigError, match=r"loss must be one of"):
        panel.paired_tests(loss="nope")


@pytest.mark.parametrize("loss", [["absolute"], {"absolute": 1}])
def test_a_loss_that_is_no_name_is_a_typed_error(panel, loss):
    # (a list was looked up in the losses' dict: TypeError, unhashable, as a traceback)
    with pytest.raises(ConfigError, match=r"loss must be one of \['absolute', 'squared'\]"):
        panel.paired_tests(loss=loss)
