"""Each quantile level's own coverage, ``below_q{tau}`` (GluonTS' ``Coverage[tau]``: the
share of actuals at or below the forecast's ``q_tau``), beside the central intervals'
(session 33). A central interval's coverage adds its two tails: an 80% interval that
covered 80% could miss every time above, and a model with no central pair of levels
(0.5, 0.9) had no calibration score at all. Expected values written by hand."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import metrics as M


def _frame():
    return pd.DataFrame({
        "model": "m", "unique_id": ["a"] * 4 + ["b"] * 2,
        "y": [1.0, 5.0, 9.0, 3.0, 10.0, 20.0], "mean": [2.0, 4.0, 6.0, 3.0, 12.0, 15.0],
        "q0.5": [2.0, 4.0, 6.0, 3.0, 12.0, 15.0], "q0.9": [4.0, 6.0, 8.0, 5.0, 14.0, 18.0],
        "scale": 1.0})


def test_below_is_the_share_of_actuals_at_or_below_each_quantile_per_series():
    ps = M.per_series(_frame()).set_index("unique_id")
    # a: y <= q0.5 for 1 <= 2 and 3 <= 3 (equal counts, as GluonTS' target <= forecast)
    assert ps.loc["a", "below_q0.5"] == pytest.approx(2 / 4)
    assert ps.loc["a", "below_q0.9"] == pytest.approx(3 / 4)  # 9 > 8
    assert ps.loc["b", "below_q0.5"] == pytest.approx(1 / 2)
    assert ps.loc["b", "below_q0.9"] == pytest.approx(1 / 2)  # 20 > 18
    assert "coverage80" not in ps  # (no central pair of levels: this is all there is)


def test_the_summary_averages_the_series_as_gluonts_aggregates_coverage():
    s = M.summarize(_frame()).iloc[0]
    assert s["below_q0.5"] == pytest.approx((2 / 4 + 1 / 2) / 2)
    assert s["below_q0.9"] == pytest.approx((3 / 4 + 1 / 2) / 2)


def test_rows_without_an_actual_or_that_level_are_not_counted():
    """A NaN actual, or a model without the level (two models' frames joined), is left
    out: not counted as above the quantile."""
    fc = _frame()
    other = fc.assign(model="n", **{"q0.9": np.nan})
    late = fc.iloc[[0]].assign(y=np.nan)
    ps = M.per_series(pd.concat([fc, other, late])).set_index(["model", "unique_id"])
    assert ps.loc[("m", "a"), "below_q0.9"] == pytest.approx(3 / 4)
    assert np.isnan(ps.loc[("n", "a"), "below_q0.9"])
    assert ps.loc[("n", "a"), "below_q0.5"] == pytest.approx(2 / 4)


def test_accuracy_gives_each_levels_coverage_of_forecasts_made_apart():
    """accuracy() on each visnights region's last 4 quarters forecast as the 4 before
    them, q0.9 = that + 1: the share of the actuals at or below it, counted by hand."""
    from rnnlab.panel import accuracy, load_panel

    panel = load_panel("visnights")
    rows, want = [], {}
    for uid, g in panel.df.sort_values(["unique_id", "ds"]).groupby("unique_id"):
        y = g["y"].to_numpy()
        mean = y[-8:-4]
        want[uid] = float(np.mean(y[-4:] <= mean + 1))
        rows.append(pd.DataFrame({"unique_id": uid, "ds": g["ds"].to_numpy()[-4:],
                                  "mean": mean, "q0.5": mean, "q0.9": mean + 1}))
    got = accuracy(pd.concat(rows), panel).set_index("unique_id")["below_q0.9"]
    assert got.to_dict() == pytest.approx(want)
    assert len(set(want.values())) > 1  # (not one share for every region)
