"""``anchor`` (PanelConfig, opt-in): 'last' (the default, as before) measures each window's
inputs and outputs from its last value; 'none' feeds the network z itself and adds nothing
back. With a seasonally differenced target, 'last' makes an output of 0 repeat the last
year's change; 'none' makes it the seasonal naive plus the series' mean change (visnights:
the anchored network undid a level shift and more, benchmarks/panel_anchor.py). Session 32."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
import torch

import rnnlab.panel.global_fit as global_fit
from rnnlab.io.errors import DataError
from rnnlab.panel import GlobalForecaster, PanelConfig

KW = dict(lookback=8, horizon=4, hidden_size=4, head_size=4, epochs=1, batches_per_epoch=2,
          batch_size=8, seed=0)


def _panel() -> pd.DataFrame:
    t = np.arange(40)
    rows = []
    for k, uid in enumerate(["a", "b", "c"]):
        y = 10.0 + k + np.sin(2 * np.pi * t / 4) + 0.1 * t + (t >= 30) * 3.0  # a level shift
        rows.append(pd.DataFrame({"unique_id": uid, "ds": pd.date_range(
            "2000-01-01", periods=40, freq="QS"), "y": y}))
    return pd.concat(rows, ignore_index=True)


def _fit(**kw) -> GlobalForecaster:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return GlobalForecaster("gru", **KW, **kw).fit(_panel())


def test_the_default_is_the_last_value_as_before():
    assert PanelConfig().anchor == "last"


def test_an_unknown_anchor_is_refused():
    with pytest.raises(DataError, match=re.escape(
            "anchor must be last | none | mean_scale, got 'first'")):  # (mean_scale: session 33)
        GlobalForecaster(anchor="first")


def _by_hand(model: GlobalForecaster, anchored: bool) -> np.ndarray:
    """(S, H) medians: the network run on the last windows, anchored or not, inverted."""
    f = model.features
    ids, _, enc, known, anchors, hist = f.last_windows(model.tail, None, 4)
    enc = enc.copy()
    shift = anchors[:, None] if anchored else np.zeros((len(ids), 1))
    enc[..., 0] -= shift.astype(np.float32)
    net = model.members[0]
    codes = torch.tensor([f.codes[u] for u in ids], dtype=torch.long).reshape(len(ids), -1)
    vals = torch.tensor([f.values[u] for u in ids], dtype=torch.float32).reshape(len(ids), -1)
    with torch.no_grad():
        z = net.head.point(net(torch.from_numpy(enc), torch.from_numpy(known), codes, vals),
                           None).numpy() + shift
    return np.stack([f.transforms[u].from_model(z[i], hist[i]) for i, u in enumerate(ids)])


@pytest.mark.parametrize("anchor", ["last", "none"])
def test_the_forecast_adds_back_the_anchor_only_when_anchored(anchor):
    model = _fit(anchor=anchor, calibrate="none")
    got = model.predict().pivot(index="unique_id", columns="step", values="q0.5").to_numpy()
    np.testing.assert_allclose(got, _by_hand(model, anchor == "last"), rtol=1e-5)
    other = _by_hand(model, anchor != "last")
    assert np.abs(got - other).max() > 1e-3  # (the two readings differ: the test can fail)


def test_training_windows_are_anchored_only_when_asked(monkeypatch):
    seen = []
    real = global_fit.PanelTask

    def task(*args, **kwargs):  # (spread=: anchor='mean_scale', test_panel_mean_scale33)
        seen.append(args[-4])  # (PanelTask's anchored)
        return real(*args, **kwargs)

    monkeypatch.setattr(global_fit, "PanelTask", task)
    _fit(anchor="none")
    _fit()
    assert seen == [False, True]


def test_the_anchor_is_saved_with_the_model(tmp_path):
    model = _fit(anchor="none")
    model.save(tmp_path / "m")
    back = GlobalForecaster.load(tmp_path / "m")
    assert back.config.anchor == "none"
    pd.testing.assert_frame_equal(back.predict(), model.predict())
