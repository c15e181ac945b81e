"""The conformal calibration's histories (each series cut before its validation tail) are
refilled from before that cut (session 17): its sub-panel (``PanelFrame.with_df``) dropped
the record of the filled cells, so a gap just before the tail kept the values
``bfill``/``interpolate`` took from the tail, which the calibration then forecast from."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel.backtest import with_df
from rnnlab.panel.calibration import calibrate
from rnnlab.panel.frame import read_panel
from rnnlab.panel.model import GlobalForecaster

N, VAL = 40, 5
FAST = dict(hidden_size=8, head_size=16, batch_size=64, batches_per_epoch=5, epochs=2,
            transform="none", difference="none", lookback=10, horizon=5, val_size=VAL,
            quantiles=(0.1, 0.5, 0.9), seed=0)


def _table(later: float) -> pd.DataFrame:
    """Four series; s0 has a gap just before its validation tail; the tails times ``later``."""
    rows = []
    for i in range(4):
        y = 10.0 * (i + 1) + np.arange(N, dtype=float)
        y[-VAL:] *= later
        if i == 0:
            y[-VAL - 2:-VAL] = np.nan
        rows.append(pd.DataFrame({"unique_id": f"s{i}", "y": y,
                                  "ds": pd.date_range("2001-01-01", periods=N, freq="D")}))
    return pd.concat(rows, ignore_index=True)


def _calibrated(model, panel):
    """What ``calibrate`` forecast from: the history rows and the raw forecast table."""
    seen = []
    forecast = model._forecast

    def record(h, future, hist, **kw):
        table = forecast(h, future, hist, **kw)
        seen.append((hist.df.copy(), table))
        return table

    model._forecast = record
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cal = calibrate(model, panel)
    finally:
        del model._forecast
    (hist, table), = seen
    return hist, table, cal


@pytest.mark.parametrize("fill", ["bfill", "interpolate"])
def test_calibration_histories_never_read_the_tail_through_a_fill(fill):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = GlobalForecaster("gru", calibrate="none", **FAST).fit(
            read_panel(_table(1.0), fill=fill))
    runs = [_calibrated(model, read_panel(_table(k), fill=fill)) for k in (1.0, 1e6)]
    (h0, t0, c0), (h1, t1, c1) = runs
    pd.testing.assert_frame_equal(h0, h1)  # before the fix: s0's gap held 1e6 x tail values
    pd.testing.assert_frame_equal(t0, t1, check_exact=True)  # the intervals scored: 0.0 apart
    s0 = h0.loc[h0["unique_id"] == "s0", "y"].to_numpy()
    assert len(s0) == N - VAL and s0[-3:].tolist() == [42.0, 42.0, 42.0]  # carried over the gap
    assert c0 is not None and c0 != c1  # (the scored tail values themselves differ)


def test_sub_panels_keep_their_filled_cells():
    panel = read_panel(_table(1e6), fill="bfill")
    keep = panel.df["unique_id"].isin(["s0", "s2"])
    whole = panel.cut(VAL).df
    expected = whole[whole["unique_id"].isin(["s0", "s2"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(panel.with_df(panel.df[keep]).cut(VAL).df, expected)
    # the backtest's copy (a PanelFrame-like dataclass) keeps them the same way
    pd.testing.assert_frame_equal(with_df(panel, panel.df[keep]).cut(VAL).df, expected)
    # a cut of a cut refills from before the later cut too
    twice = panel.cut(1).cut(VAL - 1).df
    pd.testing.assert_frame_equal(twice, whole)
