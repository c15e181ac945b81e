"""A one-series run's ``intervals`` scores (metrics.json, summary.json over seeds) are the
intervals' alone (session 33): MAPE, a point metric added to the panel metrics after the
intervals read them, was listed there too, beside coverage and CRPS, as if the quantiles
had a MAPE of their own (the point forecast's, the table's number again)."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest


def test_the_test_parts_interval_scores_hold_no_point_metric(monkeypatch):
    from rnnlab.forecast import run_intervals

    y = np.arange(1.0, 21.0)  # 16 training points, 4 held out: 17, 18, 19, 20
    f = SimpleNamespace(series=pd.Series(y), n_train=16, period=None)
    ev = {"test_size": 4, "predictions": {"model": [17.0, 17.0, 17.0, 17.0]}}
    # the 80% interval: 16..18 (holds 17 and 18), the 95% one 15..21 (holds all four)
    monkeypatch.setattr(run_intervals, "quantile_forecast", lambda f, history, mean, levels:
                        np.tile([15.0, 16.0, 18.0, 21.0], (4, 1)))
    _, scores = run_intervals.test_part_intervals(f, ev, (0.025, 0.1, 0.9, 0.975))
    point = {"mase", "rmsse", "rmse", "mae", "mape", "smape"}
    assert not point & set(scores), sorted(point & set(scores))
    assert scores["coverage80"] == pytest.approx(2 / 4)
    assert scores["coverage95"] == pytest.approx(4 / 4)
    assert scores["below_q0.9"] == pytest.approx(2 / 4)
    # 80%: width 2 plus 10 times the misses 1 and 2, over the lag-1 scale 1: (4 * 2 + 30) / 4
    assert scores["msis80"] == pytest.approx((4 * 2 + 10 * (1 + 2)) / 4)
    for key in ("pinball", "crps", "wql", "width80", "msis95"):
        assert key in scores
