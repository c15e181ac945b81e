"""Review of scale33 (``anchor='mean_scale'``, DeepAR's per-window scaling), session 33:
tests that fail when a part of the scaling is dropped (each of these parts was dropped with
every test of test_panel_mean_scale33 still passing), what docs/panels.md says of the losses
and the recursive steps, and DeepAR's scaling asked of ``scale=``."""

import warnings

import numpy as np
import pytest
import torch

from rnnlab.panel import GlobalForecaster
from rnnlab.panel.heads import GaussianHead
from rnnlab.panel.recursive import recursive_paths
from rnnlab.panel.series_draws import SeriesDraws
from test_panel_mean_scale33 import KW, ROOT, _Echo, _fit, _panel, _windows


@pytest.mark.parametrize("anchor", ["mean_scale", "last"])
def test_the_fit_trains_on_windows_divided_by_their_scale(monkeypatch, anchor):
    # (the fit's PanelTask was given no spread= and every test of test_panel_mean_scale33
    # still passed, since each compares the forecast with the same trained network)
    import rnnlab.panel.net as net

    seen, real = [], net.split_window

    def spy(w, lookback, known_from, anchored, spread=False):
        got = real(w, lookback, known_from, anchored, spread)
        seen.append((w[..., 0].double(), got[0][..., 0].double(), got[2].double()))
        return got

    monkeypatch.setattr(net, "split_window", spy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        GlobalForecaster("gru", **KW, anchor=anchor).fit(_panel())
    assert seen  # (the training batches went through it)
    for z, enc, target in seen:
        L = enc.shape[1]
        if anchor == "mean_scale":
            size = 1 + z[:, :L].abs().mean(1, keepdim=True)
            shift = torch.zeros_like(size)
        else:
            size, shift = torch.ones(len(z), 1, dtype=z.dtype), z[:, L - 1:L]
        torch.testing.assert_close(enc, (z[:, :L] - shift) / size, rtol=1e-5, atol=1e-6)
        torch.testing.assert_close(target, (z[:, L:] - shift) / size, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("quantiles", [(0.1, 0.5, 0.9), None])  # (None: a point model)
def test_the_mean_column_is_multiplied_back(quantiles):
    # (the quantile test reads q columns only, which, up to the
    # seasonal lag, do not use the point; with the points left in the window's frame the
    # 'mean' column was wrong and no test failed)
    model = _fit(quantiles=quantiles)
    f, net = model.features, model.members[0]
    ids, hist, size, out = _windows(model)
    zp = net.head.point(out, None).numpy()  # (S, H) in each window's frame
    got = model.predict()
    for i, u in enumerate(ids):
        tr, mean = f.transforms[u], got.loc[got["unique_id"] == u, "mean"].to_numpy()
        np.testing.assert_allclose(mean, tr.from_model(zp[i] * size[i], hist[i]), rtol=1e-5)
        assert np.abs(mean - tr.from_model(zp[i], hist[i])).max() > 1e-3  # (it can fail)


class _One(_Echo):
    """A one-step 'network' whose Gaussian head says 1.0 in the window's frame, whatever
    the window (sigma 0.001)."""

    def forward(self, enc, known, codes, vals):
        one = torch.ones_like(enc[:, -1, 0])
        return torch.stack([one, torch.full_like(one, -30.0)], dim=-1)[:, None, :]


@pytest.mark.parametrize("spread", [False, True])
def test_each_recursive_step_uses_the_scale_of_the_window_it_reads(spread):
    # (test_panel_mean_scale33's echo repeats its last value whether the window is
    # scaled or not, so recursive_paths ignoring spread= passed it; a constant in the
    # frame is 1 + mean |z| of each step's sliding window once multiplied back)
    window = [1.0, 4.0, -2.0, 6.0]
    rows = torch.tensor([[[v, 0.0] for v in window]])  # (1, L, F)
    paths = recursive_paths(_One(), rows, torch.zeros(1, 3, 0), torch.zeros(1, 0,
                            dtype=torch.long), torch.zeros(1, 0), torch.ones(1, 1),
                            torch.ones(1), 3, 2, 0.0, None, spread=spread)
    want = []
    for _ in range(3):
        want.append(1.0 + np.abs(window).mean() if spread else 1.0)
        window = window[1:] + [want[-1]]
    np.testing.assert_allclose(paths.numpy(), np.broadcast_to(want, (2, 1, 3)), atol=0.02)


def test_a_recursive_models_sample_paths_are_scaled_step_by_step():
    # (windows_table's spread= to recursive_paths was dropped and no
    # test failed)
    model = _fit(likelihood="gaussian", strategy="recursive", samples=5)
    f, cfg = model.features, model.config
    ids, _, enc, known, _, hist = f.last_windows(model.tail, None, 4)
    scale = torch.tensor([f.transforms[u].scale for u in ids], dtype=torch.float32)[:, None]
    ratio = torch.tensor([f.transforms[u].scale / f.transforms[u].level_scale for u in ids],
                         dtype=torch.float32)
    codes = torch.tensor([f.codes[u] for u in ids], dtype=torch.long).reshape(len(ids), -1)
    vals = torch.tensor([f.values[u] for u in ids], dtype=torch.float32).reshape(len(ids), -1)

    def by_hand(spread):
        z = recursive_paths(model.members[0], torch.from_numpy(enc.copy()),
                            torch.from_numpy(known), codes, vals, scale, ratio, 4, 5, 0.0,
                            SeriesDraws(cfg.seed, 0, ids), spread=spread).numpy()
        return {u: f.transforms[u].from_model(z[:, i], hist[i]) for i, u in enumerate(ids)}

    got, want, unscaled = model.sample_paths(4), by_hand(True), by_hand(False)
    for u in ids:
        np.testing.assert_allclose(got[u], want[u], rtol=1e-5)
        assert np.abs(got[u] - unscaled[u]).max() > 1e-3  # (the test can fail)


def _raw(x):
    """softplus's inverse, float64."""
    return torch.log(torch.expm1(torch.as_tensor(x, dtype=torch.float64)))


def test_the_losses_in_the_windows_frame_are_what_docs_panels_md_says():
    # (how training in each window's frame weights the windows, and
    # how the recursive strategy's scale differs from DeepAR's, went unsaid)
    from rnnlab.panel.heads import EPS, PointHead, QuantileHead, StudentTHead

    s, y = 7.0, torch.tensor([[3.0, -40.0]], dtype=torch.float64)  # (B, H)
    q = torch.tensor([-20.0, 1.0, 30.0], dtype=torch.float64)  # (Q,) quantiles

    def quantile_out(qs):
        return torch.cat([qs[:1], _raw(qs[1:] - qs[:-1])]).expand(1, 2, 3)

    head = QuantileHead((0.1, 0.5, 0.9))
    torch.testing.assert_close(head.loss(quantile_out(q / s), y / s, None),
                               head.loss(quantile_out(q), y, None) / s)  # (1 / scale)
    out = torch.tensor([[[5.0], [-9.0]]], dtype=torch.float64)
    torch.testing.assert_close(PointHead().loss(out / s, y / s, None),
                               PointHead().loss(out, y, None) / s ** 2)  # (1 / scale²)
    for head, df in ((GaussianHead(), []), (StudentTHead(), [0.3])):  # (- log(scale))
        def out(mu, sigma):
            return torch.tensor([[[mu, float(_raw(sigma - EPS))] + df] * 2],
                                dtype=torch.float64)

        torch.testing.assert_close(head.loss(out(2.0 / s, 9.0 / s), y / s, None),
                                   head.loss(out(2.0, 9.0), y, None) - np.log(s))
    text = (ROOT / "docs" / "panels.md").read_text(encoding="utf-8")
    said = " ".join(text.split('### Window scaling: `anchor="mean_scale"`')[1]
                    .split("`nice -n 5")[0].split())
    for words in ("pinball loss then weights each window by 1 / its scale",
                  "squared error by 1 / scale²", "by log(scale) only",
                  "each forecast step divides by the scale of the window it has slid to",
                  "DeepAR instead keeps the scale of its context for the whole horizon"):
        assert words in said, words


@pytest.mark.parametrize("name", ["mean_scale", "mean", "MeanScaler"])
def test_deepars_scaling_asked_of_scale_points_to_the_anchor(name):
    # (a DeepAR / GluonTS user asks scale= for it, and was told
    # "scale must be std | robust" with no word of anchor='mean_scale')
    from rnnlab.io.errors import DataError

    with pytest.raises(DataError, match=r"got '%s' \(DeepAR's .* is anchor='mean_scale' "
                       r"here \(--anchor mean_scale\)" % name):
        GlobalForecaster(scale=name)


def test_counts_are_neither_anchored_nor_divided_whatever_the_anchor():
    # (with spread_windows' negbin check dropped, counts' windows
    # were divided by their mean, against the docs and the idle-setting warning, and no
    # test failed)
    gen = np.random.default_rng(3)
    panel = _panel()
    panel["y"] = gen.poisson(np.abs(panel["y"].to_numpy())).astype(float)
    got = {}
    for anchor in ("mean_scale", "last"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = GlobalForecaster("gru", **KW, anchor=anchor, likelihood="negbin",
                                     samples=20).fit(panel)
        got[anchor] = model.sample_paths()
    assert set(got["mean_scale"]) == set(got["last"])
    for u, paths in got["last"].items():
        np.testing.assert_array_equal(got["mean_scale"][u], paths)


@pytest.mark.parametrize("module, words", [
    ("recursive.py", "``anchored``: 0 for counts, anchor='none' or 'mean_scale', else 1"),
    ("scaling.py", "``anchor='mean_scale'``: not anchored, each window divided by 1 + its "
                   "mean |z|")])
def test_the_panel_docstrings_say_mean_scale_is_not_anchored(module, words):
    # (recursive_paths said anchored was 1 unless counts or 'none',
    # and scaling.py that windows are anchored unless anchor='none')
    text = " ".join((ROOT / "src" / "rnnlab" / "panel" / module).read_text().split())
    assert words in text


def test_deepars_scaling_setting_given_to_the_global_forecaster_names_mean_scale():
    # (gluon33 and scale33 merged the same day: GlobalForecaster(scaling=True), DeepAR's
    # per-window mean scaling, was told "here: scale=" alone, the per-series scale that is
    # always on, and no word of anchor='mean_scale', which is DeepAR's scaling)
    from rnnlab.io.errors import ConfigTypeError

    with pytest.raises(ConfigTypeError) as e:
        GlobalForecaster("lstm", scaling=True)
    said = str(e.value)
    assert "'scaling' (here: " in said and "anchor='mean_scale'" in said and "scale=" in said
