"""``by_step()`` reports every central interval per horizon step: its coverage, width (in
the series' units and scaled) and the rows pooled, in the order of the nominal shares;
before, only the 80% interval's scaled width, and coverage95 ahead of coverage80."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import metrics as M


def _frame():
    # two series, two origins, two steps; the 95% interval twice as wide at step 2
    rows = []
    for uid in ("a", "b"):
        for origin in (0, 1):
            for step, half95 in ((1, 2.0), (2, 4.0)):
                rows.append({"model": "m", "unique_id": uid, "origin": origin, "step": step,
                             "y": 1.5 if origin else 0.5, "mean": 0.0, "scale": 2.0,
                             "q0.025": -half95, "q0.1": -1.0, "q0.5": 0.0, "q0.9": 1.0,
                             "q0.975": half95})
    return pd.DataFrame(rows)


def test_by_step_gives_each_interval_in_share_order_with_widths_and_counts():
    steps = M.by_step(_frame())
    cols = list(steps.columns)
    assert cols.index("coverage80") < cols.index("coverage95")
    s = steps.set_index("step")
    assert s.loc[1, "width95"] == 4.0 and s.loc[2, "width95"] == 8.0  # grows with the step
    assert s.loc[2, "scaled_width95"] == 4.0 and s.loc[1, "width80"] == 2.0
    assert s.loc[1, "coverage80"] == 0.5  # y 0.5 in [-1, 1], y 1.5 not
    assert (s["n_forecasts"] == 4).all()


def test_by_step_crps_in_the_series_units_beside_the_scaled_one():
    pytest.importorskip("properscoring")
    fc = _frame()
    steps = M.by_step(fc).set_index("step")
    err = M.add_errors(fc)
    want = err.groupby("step")["crps"].mean()
    np.testing.assert_allclose(steps["crps"], want)
    np.testing.assert_allclose(steps["scaled_crps"], want / 2.0)


def test_twice_the_pinball_column_is_scoringrules_crps_quantile_and_below_crps():
    """docs/panels.md: scoringrules' crps_quantile, 2/K sum_k pinball_k (written out here),
    is ``2 * pinball`` of the tables, and lower than ``crps`` on N(0, 1)'s own quantiles."""
    pytest.importorskip("properscoring")
    from statistics import NormalDist

    levels = (0.1, 0.5, 0.9)
    y = np.random.default_rng(0).standard_normal(4000)
    q = np.array([NormalDist().inv_cdf(t) for t in levels])
    fc = pd.DataFrame({"model": "m", "unique_id": "a", "y": y, "mean": 0.0, "scale": 1.0,
                       **{f"q{t:g}": v for t, v in zip(levels, q)}})
    s = M.summarize(fc).iloc[0]
    d = y[:, None] - q[None, :]
    qcrps = 2 * np.mean(np.maximum(np.array(levels) * d, (np.array(levels) - 1) * d), axis=1)
    assert 2 * s["pinball"] == pytest.approx(qcrps.mean(), rel=1e-12)
    exact = 1 / np.sqrt(np.pi)  # E CRPS(N(0, 1), y), y ~ N(0, 1)
    assert 2 * s["pinball"] < exact < s["crps"]
