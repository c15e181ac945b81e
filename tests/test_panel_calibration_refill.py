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


@pytest.mark.parametrize("fill", ["bfill", "interpolate"])
def test_training_windows_never_read_the_validation_tail_through_a_fill(fill):
    """The network's training windows, transforms and scalers end before each series'
    validation tail; a gap just before the tail held the values the fill took from it."""
    fits = []
    for k in (1.0, 1e6):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fits.append(GlobalForecaster("gru", calibrate="none", **{**FAST, "epochs": 1,
                                                                    "transform": "auto"}).fit(
                read_panel(_table(k), fill=fill)))
    a, b = fits
    assert {u: t.scale for u, t in a.features.transforms.items()} == \
        {u: t.scale for u, t in b.features.transforms.items()}
    for x, y in zip(a.members.state_dict().values(), b.members.state_dict().values()):
        assert bool((x == y).all())  # (one epoch: no epoch chosen on the tail)
    # the forecast reads the data as filled (the tail is history then)
    assert a.tail.equals(read_panel(_table(1.0), fill=fill).df.groupby("unique_id").tail(10)
                         .reset_index(drop=True))


def test_a_validation_windows_look_back_is_refilled_before_its_targets():
    """A recursive network's validation window reads the tail but its last value: a gap
    there is carried from before it, not filled from the target after it."""
    from rnnlab.panel.refill import training_frame

    table = _table(1e6)
    table.loc[N - 3:N - 2, "y"] = np.nan  # s0's tail: a gap before its last value
    panel = read_panel(table, fill="bfill")
    df = panel.df.copy()
    s0 = (df["unique_id"] == "s0").to_numpy()
    assert df.loc[s0, "y"].iloc[-3] == 49e6  # (the whole series' fill: the target's value)
    out = training_frame(df, panel.filled, VAL, 1)
    y = out.loc[s0, "y"].to_numpy()
    assert y[-VAL - 3:-VAL].tolist() == [42.0, 42.0, 42.0]  # before the tail: carried
    assert y[-4:].tolist() == [46e6, 46e6, 46e6, 49e6]  # the look-back: carried; the target
    assert out.loc[~s0].equals(df.loc[~s0])  # no gap: as it was
    assert training_frame(df, None, VAL, 1) is df
