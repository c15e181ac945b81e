"""The coverage-by-step plot draws the first central interval the levels hold when they
have no q0.1/q0.9: levels (0.025, 0.5, 0.975) drew no coverage_by_step.png, and
``plot(kind='coverage')`` refused ("no model has an 80% interval")."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel.backtest import backtest
from rnnlab.panel.plots import coverage_share, plot_backtest


def _panel():
    rng = np.random.default_rng(0)
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.date_range("2020-01", periods=48,
                                                                         freq="MS"),
                                    "y": 10 + rng.normal(size=48).cumsum()}) for u in "ab"])


def _result(levels):
    return backtest(None, _panel(), horizon=6, first_origin=12, stride=6,
                    baselines=("naive",), quantiles=levels)


@pytest.mark.slow
def test_the_95_interval_is_drawn_without_an_80_one():
    pytest.importorskip("matplotlib")
    res = _result((0.025, 0.5, 0.975))
    assert coverage_share(res.by_step()) == "95"
    fig = res.plot(kind="coverage")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "coverage of the 95% interval"
    assert any(ln.get_label() == "nominal 95%" and ln.get_ydata()[0] == 0.95 for ln in ax.lines)


@pytest.mark.slow
def test_the_run_writes_the_95_coverage_plot(tmp_path):
    pytest.importorskip("matplotlib")
    paths = plot_backtest(tmp_path, _result((0.025, 0.5, 0.975)), None)
    assert tmp_path / "coverage_by_step.png" in paths


def test_the_80_interval_first_when_there_and_none_without_an_interval():
    steps = _result((0.05, 0.1, 0.5, 0.9, 0.95)).by_step()
    assert coverage_share(steps) == "80"
    res = _result((0.5, 0.9))
    assert coverage_share(res.by_step()) is None
    with pytest.raises(DataError, match="no model has a central interval"):
        res.plot(kind="coverage")
