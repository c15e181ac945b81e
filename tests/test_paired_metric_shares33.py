"""A panel's paired test reads its metric as "lower favours the first model": the shares
(coverage80, below_q0.9), best at their nominal level rather than when low, are refused
with a typed error naming the metrics it takes and the interval scores to pair instead."""

import pytest

from rnnlab.io.errors import ConfigError
from rnnlab.panel.backtest import backtest
from rnnlab.panel.backtest_tests import check_metric

from test_backtest_paired_tests import seasonal_panel

pytest.importorskip("scipy")


@pytest.fixture(scope="module")
def result():
    return backtest(None, seasonal_panel(8), horizon=3, first_origin=12, stride=3,
                    baselines=["seasonal_naive", "naive"])


@pytest.mark.parametrize("metric", ["coverage80", "below_q0.9", "below_q0.1"])
def test_shares_are_refused_with_what_to_pair(result, metric):
    with pytest.raises(ConfigError) as e:
        result.paired_tests(metric=metric)
    said = str(e.value)
    assert f"{metric!r} is a share that is best at its nominal level" in said
    assert "'msis80' or 'crps'" in said and "rnnlab.stats.signed_rank" in said
    takes = said.split("lower is better (")[1].split(")")[0].split(", ")
    numeric = [c for c in result.per_series().select_dtypes("number").columns if c != "n"]
    assert takes == [c for c in numeric
                     if not c.startswith(("coverage", "below_q", "width", "scaled_width"))]
    assert "mase" in takes and "msis80" in takes and metric not in takes


def test_nominal_level_is_named():
    cols = ["mase", "crps", "coverage80", "below_q0.9", "msis80"]
    with pytest.raises(ConfigError, match=r"nominal level \(80%\)"):
        check_metric("coverage80", cols)
    with pytest.raises(ConfigError, match=r"nominal level \(0\.9\)"):
        check_metric("below_q0.9", cols)


def test_scores_still_pair_and_unknown_names_say_what_it_takes(result):
    assert result.paired_tests(metric="msis80").iloc[0]["n"] == 8
    assert result.paired_tests(metric="crps").iloc[0]["n"] == 8
    with pytest.raises(ConfigError, match=r"got 'nope'") as e:
        result.paired_tests(metric="nope")
    assert "coverage80" not in str(e.value) and "mase" in str(e.value)


@pytest.mark.parametrize("metric", [None, ["mase"], 3])
def test_a_metric_that_is_no_name_is_a_typed_error(metric):
    """check_metric asked metric.startswith first: None or ["mase"] escaped as an
    AttributeError traceback (before it, a ConfigError naming the columns)."""
    with pytest.raises(ConfigError, match=r"one name as a string, got") as e:
        check_metric(metric, ["mase", "crps", "coverage80", "msis80"])
    assert "mase" in str(e.value)


@pytest.mark.parametrize("metric", ["width80", "scaled_width80"])
def test_widths_are_refused_as_the_shares_are(result, metric):
    """A narrower interval is better only at the same coverage: width80 alone paired
    "favours" the model whose interval misses more (it was taken as lower-is-better)."""
    assert metric in result.per_series().columns
    with pytest.raises(ConfigError) as e:
        result.paired_tests(metric=metric)
    said = str(e.value)
    assert f"{metric!r} is lower for a narrower interval" in said
    assert "'msis80' or 'crps'" in said
    takes = said.split("lower is better (")[1].split(")")[0].split(", ")
    assert "msis80" in takes and not any(t.startswith(("width", "scaled_width")) for t in takes)
