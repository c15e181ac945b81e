"""MSIS, the mean scaled interval score of GluonTS' Evaluator (and the M4 competition),
beside the coverage and width of each central interval (session 33). Each expected value
is written from the definition, by hand, not from rnnlab's code:

    msis = mean(U - L + 2/alpha (L - y) 1{y < L} + 2/alpha (y - U) 1{y > U}) / s

with ``s`` the series' in-sample seasonal naive MAE (GluonTS' ``seasonal_error``)."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import metrics as M


def _gluonts_msis(y, lo, hi, seasonal_error, alpha):
    """GluonTS' ``metrics.msis``, written out for one series."""
    y, lo, hi = (np.asarray(a, float) for a in (y, lo, hi))
    num = np.mean(hi - lo + 2.0 / alpha * (lo - y) * (y < lo) + 2.0 / alpha * (y - hi) * (y > hi))
    return num / seasonal_error


def _frame():
    # series a: one row inside, one 2 below q0.025 (and 1 below q0.1), one 3 above both;
    # series b: every row inside the 95% interval, one 1 above q0.9
    return pd.DataFrame({
        "model": "m", "unique_id": ["a"] * 3 + ["b"] * 2,
        "y": [10.0, 4.0, 17.0, 100.0, 106.0], "mean": [10.0, 8.0, 12.0, 101.0, 102.0],
        "q0.025": [6.0, 6.0, 9.0, 95.0, 96.0], "q0.1": [8.0, 5.0, 10.0, 98.0, 99.0],
        "q0.9": [12.0, 10.0, 13.0, 104.0, 105.0], "q0.975": [14.0, 12.0, 14.0, 107.0, 108.0],
        "scale": [2.0, 2.0, 2.0, 4.0, 4.0]})


def test_msis95_is_gluonts_msis_with_alpha_0_05_per_series_and_its_mean_across_series():
    """GluonTS' MSIS (alpha=0.05, q0.025 and q0.975) was not among the metrics: the 95%
    interval's coverage and width were, two numbers a narrow interval trades between."""
    fc = _frame()
    ps = M.per_series(fc).set_index("unique_id")
    a, b = fc[fc.unique_id == "a"], fc[fc.unique_id == "b"]
    want_a = _gluonts_msis(a.y, a["q0.025"], a["q0.975"], 2.0, 0.05)
    want_b = _gluonts_msis(b.y, b["q0.025"], b["q0.975"], 4.0, 0.05)
    # a: widths 8, 6, 5; misses 2 below (x 40) and 3 above (x 40): (19 + 200) / 3 / 2
    assert want_a == pytest.approx((8 + 6 + 5 + 40 * 2 + 40 * 3) / 3 / 2)
    assert ps.loc["a", "msis95"] == pytest.approx(want_a)
    assert want_b == pytest.approx((12 + 12) / 2 / 4)  # b: widths 12 and 12, no miss
    assert ps.loc["b", "msis95"] == pytest.approx(want_b)
    summary = M.summarize(fc).iloc[0]  # GluonTS' aggregate of MSIS: the mean over series
    assert summary["msis95"] == pytest.approx((want_a + want_b) / 2)


def test_msis80_reads_q0_1_and_q0_9_with_alpha_0_2():
    """Every central interval the levels hold gets its MSIS, named by its nominal coverage
    as its coverage column is: the 80% one charges 2 / 0.2 = 10 times a miss."""
    fc = _frame()
    ps = M.per_series(fc).set_index("unique_id")
    for uid, s in (("a", 2.0), ("b", 4.0)):
        g = fc[fc.unique_id == uid]
        assert ps.loc[uid, "msis80"] == pytest.approx(
            _gluonts_msis(g.y, g["q0.1"], g["q0.9"], s, 0.2))
    cols = list(ps.columns)  # beside each interval's coverage and widths
    assert cols.index("msis80") == cols.index("scaled_width80") + 1
    assert cols.index("msis95") == cols.index("scaled_width95") + 1


def test_msis_scales_each_origin_by_its_own_scale_and_skips_a_series_partly_unscaled():
    """Over several origins a row is scaled by its own origin's scale (as MASE's |e| / s);
    a series with a row of no scale has no MSIS, as it has no MASE, not the mean of the
    rows that happen to have one."""
    fc = _frame().iloc[:3].assign(scale=[2.0, 4.0, 4.0])
    is_ = np.array([8.0, 6.0 + 40 * 2, 5.0 + 40 * 3])
    row = M.per_series(fc).iloc[0]
    assert row["msis95"] == pytest.approx(np.mean(is_ / [2.0, 4.0, 4.0]))
    partly = fc.assign(scale=[2.0, np.nan, 4.0])
    row = M.per_series(partly).iloc[0]
    assert np.isnan(row["msis95"]) and np.isnan(row["mase"]) and np.isfinite(row["rmse"])


def test_a_row_without_an_actual_or_an_interval_is_not_scored():
    """A NaN actual (not yet arrived) or a NaN bound (a baseline with too few residuals)
    is left out of the mean, not scored as a miss or a zero width."""
    fc = _frame().iloc[:3]
    base = M.per_series(fc).iloc[0]["msis95"]
    more = pd.concat([fc, fc.iloc[[0]].assign(y=np.nan), fc.iloc[[1]].assign(**{"q0.025": np.nan})])
    assert M.per_series(more).iloc[0]["msis95"] == pytest.approx(base)


def test_accuracy_gives_msis_scaled_by_the_data_before_the_forecasts_on_visnights():
    """accuracy() on forecasts made apart: each region's seasonal naive forecast of its last
    4 quarters with an interval of +-1 about it, scored by hand from the data (the scale:
    mean |y_t - y_(t-4)| over the values before the first forecast date)."""
    from rnnlab.panel import accuracy, load_panel

    panel = load_panel("visnights")
    df = panel.df.sort_values(["unique_id", "ds"])
    rows, want = [], {}
    for uid, g in df.groupby("unique_id"):
        y = g["y"].to_numpy()
        hist, test = y[:-4], y[-4:]
        mean = hist[-4:]  # seasonal naive, period 4
        s = np.mean(np.abs(hist[4:] - hist[:-4]))
        want[uid] = _gluonts_msis(test, mean - 1, mean + 1, s, 0.05)
        rows.append(pd.DataFrame({"unique_id": uid, "ds": g["ds"].to_numpy()[-4:], "mean": mean,
                                  "q0.025": mean - 1, "q0.5": mean, "q0.975": mean + 1}))
    got = accuracy(pd.concat(rows), panel).set_index("unique_id")["msis95"]
    assert got.to_dict() == pytest.approx(want)
    summary = accuracy(pd.concat(rows), panel, by=("model",)).iloc[0]
    assert summary["msis95"] == pytest.approx(np.mean(list(want.values())))
