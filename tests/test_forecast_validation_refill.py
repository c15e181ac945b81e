"""The single-series Forecaster's validation tail never reads a value through a fill
(session 17): ``fill='bfill'``/``'interpolate'`` run over the whole series filled a gap
just before a validation origin from the values after it, so the fit before the tail
(pipeline, windows, linear baselines) and the history each origin's forecast read held the
origin's own target, and the validation scores that choose between the network and its
baselines were optimistic. Each origin now reads its history refilled from before it."""

import warnings

import numpy as np
import pandas as pd
import pytest

from forecast_series import seasonal
from rnnlab.forecast import Forecaster
from rnnlab.forecast import forecaster as F
from rnnlab.forecast.config import ForecastConfig
from rnnlab.forecast.training import val_windows

# horizon 1, 4 origins: the validation tail is values 66..69 of 72, one origin at each
ONE = dict(model="gru", hidden_size=4, epochs=1, ensemble=1, patience=None, horizon=1,
           transform="none")
N, N_FIT = 72, 67  # (test part: 1 value; validation: 4 values)


def _run(gap: int, later: float, fill: str, **settings):
    """Fit on seasonal(72) with a NaN at ``gap`` and the values from ``gap + 1`` on times
    ``later``: each validation forecast (method, origin) -> (history, forecast), the
    training payload, and the forecaster."""
    s = seasonal(N)
    v = s.to_numpy().copy()
    v[gap] = np.nan
    v[gap + 1:] *= later
    seen, payloads = {}, []
    f = Forecaster(**{**ONE, "fill": fill, **settings})

    def forecast_with(method, history, steps):
        out = type(f).forecast_with(f, method, history, steps)
        seen[method, len(history)] = (np.array(history), np.array(out))
        return out

    def run_training(payload, dev_cfg):
        payloads.append(payload)
        return train(payload, dev_cfg)

    f.forecast_with = forecast_with
    train = F.run_training
    F.run_training = run_training
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            f.fit(pd.Series(v, index=s.index))
    finally:
        F.run_training = train
    return seen, payloads[0], f


@pytest.mark.parametrize("fill", ["bfill", "interpolate"])
@pytest.mark.parametrize("gap", [N_FIT - 1, N_FIT + 1])  # across the first origin, a later one
def test_values_after_a_validation_origin_change_nothing_forecast_before_it(fill, gap):
    (a, pa, fa), (b, pb, fb) = (_run(gap, k, fill) for k in (1.0, 1e6))
    assert fa.n_train - N_FIT == 4 and fa.choice["origins"] == 4
    before = [key for key in a if key[1] <= gap + 1]  # origins up to the first poisoned value
    assert {o for _, o in before} == set(range(N_FIT, gap + 2))
    assert {m for m, _ in before} >= {"network", "linear_ar", "seasonal_naive", "drift"}
    for key in before:
        np.testing.assert_array_equal(a[key][0], b[key][0])  # the history read
        np.testing.assert_array_equal(a[key][1], b[key][1])  # its forecast: 0.0 apart
    # so the validation errors of those windows, against the same values, are the same
    truth = seasonal(N).to_numpy()
    for key in before:
        assert np.abs(a[key][1] - truth[key[1]]).max() == np.abs(b[key][1] - truth[key[1]]).max()
    # the gap is carried from the value before it into the history after it
    h = a["network", gap + 1][0]
    assert h[gap] == truth[gap - 1]
    # what was fitted before the tail, and the network's early-stopping windows up to the
    # origin after the gap, are the same
    assert fa.pipeline.to_dict() == fb.pipeline.to_dict()
    for key in ("x", "y", "z_fit"):
        np.testing.assert_array_equal(pa[key], pb[key])
    ctx_a, ctx_b = pa["val_windows"][0], pb["val_windows"][0]
    upto = gap + 2 - N_FIT  # the windows from the origins up to gap + 1
    np.testing.assert_array_equal(ctx_a[:upto], ctx_b[:upto])


def test_one_step_validation_reads_refilled_histories():
    """validation='one_step' forecast each value of the tail from the tail's values before
    it (a gap before one filled from it); with a refilled look-back it gets one window of
    one step per value."""
    cfg = ForecastConfig(model="gru", lookback=3, horizon=2, validation="one_step")
    z_fit, z_val = np.arange(10.0), np.arange(10.0, 14.0)
    assert val_windows(z_fit, z_val, cfg, lambda o: None) is None  # nothing refilled
    ctx, tgt = val_windows(z_fit, z_val, cfg, lambda o: np.full(3, -1.0) if o == 2 else None)
    assert ctx.tolist() == [[7, 8, 9], [8, 9, 10], [-1, -1, -1], [10, 11, 12]]
    assert tgt.tolist() == [[10], [11], [12], [13]]


def test_a_series_backtests_fits_refill_their_validation_origins(monkeypatch):
    """Forecaster.backtest fits a Forecaster at each origin on a Series of the values up to
    it; that Series now carries which values were filled, so its fit's validation origins
    refill them (it was taken as observed: a gap kept what bfill took from the origin)."""
    seen = {}
    plain = Forecaster.forecast_with

    def forecast_with(self, method, history, steps):
        out = plain(self, method, history, steps)
        seen.setdefault(later, {})[method, len(history)] = np.array(history)
        return out

    monkeypatch.setattr(Forecaster, "forecast_with", forecast_with)
    s = seasonal(N)
    for later in (1.0, 1e6):  # the first fit: 70 values, validation origins 66 ... 69
        v = s.to_numpy().copy()
        v[67] = np.nan
        v[68:] *= later
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Forecaster(**{**ONE, "fill": "bfill"}).backtest(
                pd.Series(v, index=s.index), first_origin=2, stride=1, baselines=("naive",),
                quantiles=())
    a, b = seen[1.0], seen[1e6]
    keys = [key for key in a if key[1] <= 68]
    assert {o for _, o in keys} == {66, 67, 68}
    for key in keys:
        np.testing.assert_array_equal(a[key], b[key])
    assert a["network", 68][67] == s.iloc[66]  # carried from before the gap
