"""``anchor='mean_scale'`` (PanelConfig, opt-in): DeepAR's per-window scaling. Each window's
model-space z is divided by 1 + the mean |z| of its look-back inputs before the network
reads it, and every output (points, quantiles, sample draws, each recursive step's draw)
is multiplied back. Built beside 'last' and 'none' (:mod:`rnnlab.panel.window_frame`);
measured in benchmarks/panel_scale.py. Session 33."""

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from rnnlab.panel import GlobalForecaster, PanelConfig
from rnnlab.panel.heads import GaussianHead
from rnnlab.panel.net import split_window
from rnnlab.panel.recursive import recursive_paths
from rnnlab.panel.series_draws import SeriesDraws
from rnnlab.panel.window_frame import into_frame, out_of_frame, window_frame

ROOT = Path(__file__).resolve().parents[1]
KW = dict(lookback=8, horizon=4, hidden_size=4, head_size=4, epochs=1, batches_per_epoch=2,
          batch_size=8, seed=0, calibrate="none")


def _panel(zero: bool = False) -> pd.DataFrame:
    t = np.arange(40)
    rows = []
    for k, uid in enumerate(["a", "b", "c"]):
        y = 10.0 + k + np.sin(2 * np.pi * t / 4) + 0.1 * t * (k + 1) ** 2
        if zero and uid == "c":
            y = np.zeros(40)  # (a series of zeros: its windows are all 0 in model space)
        rows.append(pd.DataFrame({"unique_id": uid, "ds": pd.date_range(
            "2000-01-01", periods=40, freq="QS"), "y": y}))
    return pd.concat(rows, ignore_index=True)


def _fit(panel=None, **kw) -> GlobalForecaster:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return GlobalForecaster("gru", **KW, anchor="mean_scale", **kw).fit(
            _panel() if panel is None else panel)


def test_the_option_is_accepted_and_the_default_stays_last():
    assert PanelConfig().anchor == "last"
    assert PanelConfig(anchor="mean_scale").anchor == "mean_scale"


def test_the_frame_and_its_inverse_round_trip_in_float64():
    gen = np.random.default_rng(0)
    z = torch.from_numpy(gen.normal(0, 50, (6, 12)))  # (B, L+H), float64
    shift, size = window_frame(z[:, :8], 0.0, True)
    assert size.dtype == torch.float64 and shift.abs().max() == 0
    np.testing.assert_allclose(size.numpy()[:, 0], 1 + np.abs(z.numpy()[:, :8]).mean(1))
    x = into_frame(z, shift, size)
    assert not torch.allclose(x, z)  # (it did divide)
    back = out_of_frame(x, shift, size)
    np.testing.assert_allclose(back.numpy(), z.numpy(), rtol=1e-14, atol=1e-12)
    # numpy arrays alike (the forecast table's outputs)
    np.testing.assert_allclose(out_of_frame(into_frame(z.numpy(), 0.0, size.numpy()), 0.0,
                                            size.numpy()), z.numpy(), rtol=1e-14)


def test_a_window_of_zeros_has_scale_one_and_is_read_as_it_is():
    z = torch.zeros(3, 8, dtype=torch.float64)
    shift, size = window_frame(z, 0.0, True)
    assert torch.equal(size, torch.ones(3, 1, dtype=torch.float64))
    assert torch.equal(into_frame(z, shift, size), z)


def test_training_windows_and_their_targets_are_divided_by_the_inputs_scale():
    w = torch.arange(2 * 6 * 2, dtype=torch.float64).reshape(2, 6, 2) - 5.0  # (B, L+H, F)
    enc, _, target, anchor = split_window(w, 4, 1, False, spread=True)
    size = 1 + w[:, :4, 0].abs().mean(1, keepdim=True)
    torch.testing.assert_close(enc[..., 0], w[:, :4, 0] / size)
    torch.testing.assert_close(target, w[:, 4:, 0] / size)  # (the inputs' scale only)
    torch.testing.assert_close(enc[..., 1], w[:, :4, 1])  # (other features as they were)
    assert anchor.abs().max() == 0
    enc0, _, target0, _ = split_window(w, 4, 1, False)  # (anchor='none': not divided)
    torch.testing.assert_close(target0, w[:, 4:, 0])


def _windows(model):
    """(ids, hist, enc_t divided, spread (S, 1), outs, codes/vals) of the last windows."""
    f = model.features
    ids, _, enc, known, _, hist = f.last_windows(model.tail, None, 4)
    z = torch.from_numpy(enc[..., 0].astype(np.float64))
    size = 1 + z.abs().mean(1, keepdim=True)  # (S, 1)
    enc_t = torch.from_numpy(enc.copy())
    enc_t[..., 0] = (z / size).float()
    net = model.members[0]
    codes = torch.tensor([f.codes[u] for u in ids], dtype=torch.long).reshape(len(ids), -1)
    vals = torch.tensor([f.values[u] for u in ids], dtype=torch.float32).reshape(len(ids), -1)
    with torch.no_grad():
        out = net(enc_t, torch.from_numpy(known), codes, vals)
    return ids, hist, size.numpy(), out


def test_quantiles_and_the_median_are_multiplied_back():
    model = _fit()
    f, net = model.features, model.members[0]
    ids, hist, size, out = _windows(model)
    levels = model.config.quantiles
    zq = net.head.quantiles(out).numpy() * size[..., None]  # (S, H, Q)
    zp = net.head.point(out, None).numpy() * size
    got = model.predict()
    for i, u in enumerate(ids):
        tr = f.transforms[u]
        rows = got[got["unique_id"] == u]
        want = tr.quantiles_from_model(zq[i].T, zp[i], levels, hist[i])  # (Q, H)
        for k, q in enumerate(levels):
            np.testing.assert_allclose(rows[f"q{q}"].to_numpy(), want[k], rtol=1e-5)
        unscaled = tr.from_model(net.head.point(out, None).numpy()[i], hist[i])
        assert np.abs(rows["q0.5"].to_numpy() - unscaled).max() > 1e-3  # (the test can fail)


def test_sample_paths_are_multiplied_back():
    model = _fit(likelihood="gaussian", samples=7)
    f, net = model.features, model.members[0]
    ids, hist, size, out = _windows(model)
    scale = torch.tensor([f.transforms[u].scale for u in ids], dtype=torch.float32)[:, None]
    z = net.head.sample(out, 7, scale, SeriesDraws(model.config.seed, 0, ids)).numpy()
    paths = model.sample_paths()
    for i, u in enumerate(ids):
        want = f.transforms[u].from_model(z[:, i] * size[i], hist[i])  # (N, H)
        np.testing.assert_allclose(paths[u], want, rtol=1e-5)
        assert np.abs(paths[u] - f.transforms[u].from_model(z[:, i], hist[i])).max() > 1e-3


class _Echo(torch.nn.Module):
    """A one-step 'network' whose Gaussian head says: the window's last input, to within
    a sigma of 0.001 (softplus(-30) + EPS)."""

    head = GaussianHead()

    def forward(self, enc, known, codes, vals):
        last = enc[:, -1, 0]
        return torch.stack([last, torch.full_like(last, -30.0)], dim=-1)[:, None, :]


@pytest.mark.parametrize("spread", [False, True])
def test_each_recursive_step_is_divided_and_multiplied_back(spread):
    # echoed in the window's frame and taken back out of it, each step repeats the last
    # value: divided but not multiplied back, it would shrink by 1 + mean |z| each step
    rows = torch.tensor([[[1.0, 0.0], [4.0, 0.0], [-2.0, 0.0], [6.0, 0.0]]])  # (1, L, F)
    paths = recursive_paths(_Echo(), rows, torch.zeros(1, 3, 0), torch.zeros(1, 0,
                            dtype=torch.long), torch.zeros(1, 0), torch.ones(1, 1),
                            torch.ones(1), 3, 5, 0.0, None, spread=spread)
    np.testing.assert_allclose(paths.numpy(), 6.0, atol=0.05)  # (sigma 0.001 x 4.75)


def test_a_series_of_zeros_is_forecast_without_nan():
    model = _fit(_panel(zero=True))
    got = model.predict()
    cols = [c for c in got.columns if c.startswith("q")]
    assert cols and np.isfinite(got[cols].to_numpy(dtype=float)).all()
    zero = got[got["unique_id"] == "c"]
    assert np.abs(zero[cols].to_numpy(dtype=float)).max() < 1.0  # (near its zeros)


@pytest.mark.slow  # (a second process starts torch: 5-30 s on shared cores)
def test_a_saved_model_predicts_the_same_after_load_in_a_new_process(tmp_path):
    model = _fit()
    model.save(tmp_path / "m")
    here = model.predict()
    code = ("import sys; from rnnlab.panel import GlobalForecaster; "
            "m = GlobalForecaster.load(sys.argv[1]); print(m.config.anchor); "
            "m.predict().to_csv(sys.argv[2], index=False)")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path / "m"),
                          str(tmp_path / "p.csv")], capture_output=True, text=True, env=env,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-800:]
    assert run.stdout.split()[-1] == "mean_scale"
    there = pd.read_csv(tmp_path / "p.csv")
    cols = [c for c in here.columns if c.startswith("q") or c == "mean"]
    np.testing.assert_allclose(there[cols].to_numpy(), here[cols].to_numpy(), rtol=1e-9)
    saved = json.dumps(json.loads(next((tmp_path / "m").rglob("*.json")).read_text()))
    assert "mean_scale" in saved


def test_mean_scale_beside_counts_is_said_as_an_idle_setting():
    from rnnlab.idle_settings import IdleSettingWarning, panel_rules, warn_idle

    cfg = PanelConfig(likelihood="negbin", anchor="mean_scale")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        warn_idle(cfg, panel_rules(cfg), "GlobalForecaster.fit")
    said = [str(w.message) for w in seen if w.category is IdleSettingWarning]
    assert len(said) == 1 and "anchor='mean_scale' does nothing here" in said[0]
