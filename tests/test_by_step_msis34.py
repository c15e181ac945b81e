"""``by_step()`` (a backtest's metrics per horizon step) had each interval's coverage and
widths but not its MSIS, nor any level's ``below_q{tau}``, which summary.csv and
per_series.csv give: whether a 95% interval's misses grow with the horizon, or on which
side they fall, could not be read step by step. Its columns now match the summary's
interval columns, each step's MSIS scaled by each series' in-sample seasonal naive MAE as
the summary's is."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import metrics as M

# two series of different scales, two origins, two steps: 8 rows
Y = np.array([10.0, 12.0, 9.0, 15.0, 100.0, 80.0, 130.0, 95.0])
LO = np.array([9.0, 9.5, 9.5, 10.0, 90.0, 85.0, 100.0, 70.0])
HI = np.array([11.0, 12.5, 11.0, 14.0, 110.0, 120.0, 125.0, 140.0])
S = np.array([1.5, 1.5, 1.5, 1.5, 20.0, 20.0, 20.0, 20.0])  # each series' MASE scale


def _frame(model="m"):
    return pd.DataFrame({
        "model": model, "unique_id": np.repeat(["a", "b"], 4),
        "origin": np.tile(np.repeat([0, 1], 2), 2), "step": np.tile([1, 2], 4),
        "y": Y, "mean": (LO + HI) / 2, "q0.1": LO, "q0.5": (LO + HI) / 2, "q0.9": HI,
        "scale": S})


def _by_hand(step):
    rows = np.tile([1, 2], 4) == step
    y, lo, hi, s = Y[rows], LO[rows], HI[rows], S[rows]
    score = (hi - lo) + 10 * (lo - y) * (y < lo) + 10 * (y - hi) * (y > hi)  # alpha = 0.2
    return np.mean(score / s), np.mean(y <= hi), np.mean(y <= lo), np.mean(y <= (lo + hi) / 2)


@pytest.mark.parametrize("step", [1, 2])
def test_each_steps_msis_and_below_shares_are_the_hand_computed_ones(step):
    row = M.by_step(_frame()).set_index("step").loc[step]
    msis, below_hi, below_lo, below_mid = _by_hand(step)
    assert row["msis80"] == pytest.approx(msis)
    assert row["below_q0.9"] == pytest.approx(below_hi)
    assert row["below_q0.1"] == pytest.approx(below_lo)
    assert row["below_q0.5"] == pytest.approx(below_mid)


def test_by_steps_interval_columns_are_the_summarys():
    fc = _frame()
    summary, steps = M.summarize(fc), M.by_step(fc)
    interval = [c for c in summary.columns
                if c.startswith(("coverage", "width", "scaled_width", "msis", "below_q"))]
    assert interval == [c for c in steps.columns if c in interval]  # (in the same order)
    assert set(interval) <= set(steps.columns)
    # one series at one step: by_step's pooled MSIS is the summary's, the same scale
    one = fc[(fc["step"] == 1) & (fc["unique_id"] == "a")]
    assert M.by_step(one)["msis80"].iloc[0] == pytest.approx(M.summarize(one)["msis80"].iloc[0])


def test_a_point_model_beside_a_quantile_one_has_no_msis_rather_than_0():
    point = _frame("point").drop(columns=["q0.1", "q0.5", "q0.9"])
    steps = M.by_step(pd.concat([_frame(), point], ignore_index=True))
    mine = steps[steps["model"] == "point"]
    assert mine["msis80"].isna().all() and mine["below_q0.9"].isna().all()
    assert steps.loc[steps["model"] == "m", "msis80"].notna().all()


def test_a_row_without_a_scale_is_left_out_of_its_steps_msis():
    fc = _frame()
    fc.loc[fc["unique_id"] == "b", "scale"] = np.nan  # (a constant history: no scale)
    row = M.by_step(fc).set_index("step").loc[1]
    rows = (np.tile([1, 2], 4) == 1) & (np.arange(8) < 4)
    score = (HI - LO) + 10 * (LO - Y) * (Y < LO) + 10 * (Y - HI) * (Y > HI)
    assert row["msis80"] == pytest.approx(np.mean(score[rows] / S[rows]))
