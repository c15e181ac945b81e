"""A teacher's sweep of rnnlab.reference (BPTT by hand) and `rnnlab bptt-demo`: edge cases
of the losses, clipping and gradient checks, argument checks, and torch.nn layer equality."""

import numpy as np
import pytest

from rnnlab.reference import (backward, clip_grad_norm, clip_grad_value, forward,
                              global_norm, init_params, mse_loss, numerical_gradient,
                              train_sine)
from rnnlab.reference.demo import main as bptt_demo
from rnnlab.reference.vanishing import parse_config

# ---------------------------------------------------------------- clipping


def test_clip_norm_refuses_inf_and_nan_instead_of_returning_nan():
    """Old code: an inf gradient gave max_norm/inf = 0 and 0 * inf = NaN, silently."""
    for bad in (np.inf, -np.inf, np.nan):
        g = {"weight_hh": np.array([1.0, bad]), "bias_hh": np.array([2.0]), "x": np.ones(2)}
        with pytest.raises(ValueError, match=r"non-finite entries in 'weight_hh'"):
            clip_grad_norm(g, 1.0)
    # torch's default on request: NaN comes back, documented
    out, total = clip_grad_norm({"w": np.array([np.nan])}, 1.0, error_if_nonfinite=False)
    assert np.isnan(total) and np.isnan(out["w"]).all()


def test_clip_norm_edge_values():
    z = {"w": np.zeros(3), "x": np.full(2, 5.0)}
    out, total = clip_grad_norm(z, 1.0)
    assert total == 0.0 and not np.isnan(out["w"]).any()
    np.testing.assert_array_equal(out["x"], z["x"])
    # finite entries whose squares overflow: the norm is still finite and the clip exact
    out, total = clip_grad_norm({"w": np.array([3e200, 4e200])}, 1.0)
    assert total == pytest.approx(5e200)
    np.testing.assert_allclose(out["w"], [0.6, 0.8], rtol=1e-6)
    assert global_norm({"w": np.array([3e200, 4e200])}) == pytest.approx(5e200)
    # max_norm=inf measures and clips nothing
    out, total = clip_grad_norm({"w": np.ones(4)}, float("inf"))
    assert total == 2.0 and (out["w"] == 1.0).all()
    for bad in ("1", None, True, 0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="max_norm must be a number > 0"):
            clip_grad_norm({"w": np.ones(2)}, bad)


def test_clip_grad_value():
    g = {"w": np.array([3.0, -np.inf, 0.5, -0.2]), "x": np.array([9.0])}
    out = clip_grad_value(g, 1.0)
    np.testing.assert_array_equal(out["w"], [1.0, -1.0, 0.5, -0.2])
    np.testing.assert_array_equal(out["x"], [9.0])          # data gradients pass through
    assert g["w"][0] == 3.0                                 # input not modified
    with pytest.raises(ValueError, match=r"non-finite entries in 'w' \(1 NaN"):
        clip_grad_value({"w": np.array([np.nan, 1.0])}, 1.0)
    with pytest.raises(ValueError, match="clip_value must be a number > 0"):
        clip_grad_value(g, 0.0)
    with pytest.raises(KeyError, match="clip_grad_value: no gradient named"):
        clip_grad_value(g, 1.0, keys=["nope"])


def test_clip_grad_value_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    g = {"a": rng.normal(size=(3, 4)) * 3, "b": rng.normal(size=5)}
    ps = [torch.nn.Parameter(torch.zeros(v.shape, dtype=torch.float64)) for v in g.values()]
    for p, v in zip(ps, g.values()):
        p.grad = torch.from_numpy(v.copy())
    torch.nn.utils.clip_grad_value_(ps, 1.5)
    out = clip_grad_value(g, 1.5)
    for p, k in zip(ps, g):
        np.testing.assert_array_equal(out[k], p.grad.numpy())


# ---------------------------------------------------------------- losses


def test_mse_loss_refuses_empty_and_non_finite():
    """Old code: empty arrays gave NaN with a RuntimeWarning; NaN/inf passed through."""
    with pytest.raises(ValueError, match="empty"):
        mse_loss(np.zeros((0, 2)), np.zeros((0, 2)))
    with pytest.raises(ValueError, match="pred has 1 NaN and 0 inf"):
        mse_loss(np.array([np.nan, 1.0]), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="target has 0 NaN and 1 inf"):
        mse_loss(np.array([0.0, 1.0]), np.array([np.inf, 1.0]))
    loss, d = mse_loss(np.array([1.0, 3.0], dtype=np.float32), np.array([0.0, 1.0], np.float32))
    assert loss == pytest.approx(2.5) and d.dtype == np.float32
    np.testing.assert_allclose(d, [1.0, 2.0])


# ---------------------------------------------------------------- gradient checks


def test_numerical_gradient_of_a_strided_view():
    """Old code perturbed a reshape copy of a non-contiguous array: the gradient was 0."""
    a = np.arange(6.0).reshape(2, 3).T                       # (3, 2), not contiguous
    num = numerical_gradient(lambda: float(np.sum(a ** 2)), a)
    np.testing.assert_allclose(num, 2 * a, atol=1e-6)
    np.testing.assert_array_equal(a, np.arange(6.0).reshape(2, 3).T)   # restored


def test_numerical_gradient_refuses_integer_and_read_only_arrays():
    ints = np.arange(3)
    with pytest.raises(ValueError, match="floating-point NumPy array"):
        numerical_gradient(lambda: float(np.sum(ints ** 2)), ints)
    ro = np.ones(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        numerical_gradient(lambda: float(np.sum(ro)), ro)


# ---------------------------------------------------------------- argument checks


def _gru_run():
    rng = np.random.default_rng(0)
    p = init_params("gru", 2, 3, rng=rng)
    hs, cache = forward("gru", p, rng.normal(size=(4, 2, 2)))
    return p, hs, cache


def test_backward_refuses_a_final_state_gradient_it_would_drop_or_broadcast():
    """Old code: a second array (dc_T) for a GRU was dropped; a (H,) dh_T was broadcast."""
    p, hs, cache = _gru_run()
    with pytest.raises(ValueError, match="dstate_T has 2 arrays, but gru has 1 state"):
        backward("gru", p, cache, np.zeros_like(hs), (np.ones((2, 3)), np.ones((2, 3))))
    for bad in (np.ones(3), np.ones((2, 4))):
        with pytest.raises(ValueError, match=r"dh_T .* must have shape \(B, H\) = \(2, 3\)"):
            backward("gru", p, cache, np.zeros_like(hs), bad)
    assert backward("gru", p, cache, np.zeros_like(hs), (None,))["h0"].shape == (2, 3)


def test_forward_names_a_parameter_of_the_wrong_shape():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 2, 2))
    p = init_params("lstm", 2, 3, rng=rng)
    p["bias_hh"] = np.zeros(5)
    with pytest.raises(ValueError, match=r"bias_hh has shape \(5,\), expected \(12,\)"):
        forward("lstm", p, x)
    p = init_params("lstm", 2, 3, rng=rng)
    p["weight_hh"] = np.zeros((3, 3))
    with pytest.raises(ValueError, match=r"weight_hh has shape \(3, 3\), expected \(12, 3\)"):
        forward("lstm", p, x)
    with pytest.raises(ValueError, match=r"params has no \['weight_ih'\]"):
        forward("rnn_tanh", {"weight_hh": np.zeros((3, 3))}, x)
    p = init_params("rnn_tanh", 2, 3, rng=rng)
    hs, _ = forward("rnn_tanh", p, x.tolist())                # a nested list is accepted
    assert hs.shape == (4, 2, 3)


def test_forget_bias_on_a_kind_without_forget_gate_is_refused():
    """Old code: 'rnn_tanh:forget_bias=3' was ignored and plotted as plain rnn_tanh."""
    with pytest.raises(ValueError, match="applies only to kind lstm"):
        parse_config("rnn_tanh:forget_bias=3")
    assert parse_config("lstm:forget_bias=3")["forget_bias"] == 3.0


SMALL = ["--seq-len", "6", "--hidden-size", "4", "--seeds", "1", "--batch", "2",
         "--configs", "rnn_tanh"]


def test_bptt_demo_distances_are_sorted_and_unique(tmp_path, capsys):
    assert bptt_demo(["--out", str(tmp_path / "d.svg"), *SMALL, "--distances", "3", "3",
                      "1"]) == 0
    head = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("| config")]
    assert head == ["| configuration | k=1 | k=3 |"]


def test_bptt_demo_writes_each_image_type_into_a_new_folder(tmp_path):
    magic = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}
    for suffix, start in magic.items():
        out = tmp_path / "new" / "deeper" / ("g" + suffix.upper())
        assert bptt_demo(["--out", str(out), *SMALL]) == 0
        assert out.read_bytes().startswith(start)


# ---------------------------------------------------------------- equality with torch.nn layers


def _torch_layer(torch, kind, I, H, bias):
    if kind.startswith("rnn_"):
        return torch.nn.RNN(I, H, bias=bias, nonlinearity=kind[4:])
    return (torch.nn.GRU if kind == "gru" else torch.nn.LSTM)(I, H, bias=bias)


@pytest.mark.parametrize("T,B", [(1, 1), (1, 3), (4, 1), (60, 2)])
@pytest.mark.parametrize("kind", ["rnn_tanh", "rnn_relu", "gru", "lstm"])
def test_matches_torch_nn_layers(kind, T, B):
    """Whole-sequence torch.nn.RNN/GRU/LSTM (not only the cells), with and without biases,
    batch 1, a single step and a long sequence: outputs, final state, every gradient."""
    torch = pytest.importorskip("torch")
    I, H = 3, 4
    for bias in (True, False):
        rng = np.random.default_rng(T * 10 + B)
        p = init_params(kind, I, H, bias=bias, rng=rng)
        lstm = kind == "lstm"
        x = rng.normal(size=(T, B, I))
        s0 = tuple(rng.normal(scale=0.5, size=(B, H)) for _ in range(2 if lstm else 1))
        g = rng.normal(size=(T, B, H))
        ds = tuple(rng.normal(size=(B, H)) for _ in s0)
        hs, cache = forward(kind, p, x, s0)
        grads = backward(kind, p, cache, g, ds)

        m = _torch_layer(torch, kind, I, H, bias).double()
        with torch.no_grad():
            for n, q in m.named_parameters():
                q.copy_(torch.from_numpy(p[n[:-3]]))       # weight_ih_l0 -> weight_ih
        xt = torch.from_numpy(x).requires_grad_()
        st = [torch.from_numpy(s[None].copy()).requires_grad_() for s in s0]
        out, fin = m(xt, tuple(st) if lstm else st[0])
        fin = fin if lstm else (fin,)
        loss = (out * torch.from_numpy(g)).sum() + sum(
            (f[0] * torch.from_numpy(d)).sum() for f, d in zip(fin, ds))
        loss.backward()
        kw = dict(rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(hs, out.detach().numpy(), **kw)
        for mine, theirs in zip(cache["state_T"], fin):
            np.testing.assert_allclose(mine, theirs.detach().numpy()[0], **kw)
        for n, q in m.named_parameters():
            np.testing.assert_allclose(grads[n[:-3]], q.grad.numpy(), err_msg=n, **kw)
        np.testing.assert_allclose(grads["x"], xt.grad.numpy(), **kw)
        for name, s in zip(("h0", "c0"), st):
            np.testing.assert_allclose(grads[name], s.grad.numpy()[0], **kw)


# ---------------------------------------------------------------- training demo


def test_train_sine_is_reproducible_and_stops_clearly_on_divergence():
    a = train_sine("rnn_tanh", hidden_size=4, steps=5, batch_size=4, series_length=120, seed=3)
    b = train_sine("rnn_tanh", hidden_size=4, steps=5, batch_size=4, series_length=120, seed=3)
    assert a.losses == b.losses and a.grad_norms == b.grad_norms
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    c = train_sine("rnn_tanh", hidden_size=4, steps=5, batch_size=4, series_length=120, seed=4)
    assert c.losses != a.losses
    # a learning rate that blows the weights up ends in an error, not in NaN weights
    with pytest.raises(ValueError, match="non-finite|NaN"), np.errstate(all="ignore"):
        train_sine("rnn_relu", hidden_size=4, steps=40, batch_size=4, series_length=120,
                   lr=1e12, max_norm=1e300)


# ---------------------------------------------------------------- more bptt-demo and checks


def test_bptt_demo_refuses_an_out_below_a_file_before_measuring(tmp_path, capsys):
    """Old code: measured first, then `python -m rnnlab.reference.demo` ended in a
    FileExistsError traceback (main caught only ValueError)."""
    (tmp_path / "afile").write_text("mine")
    for out in ("afile/x.png", "afile/sub/x.svg"):
        assert bptt_demo(["--out", str(tmp_path / out), *SMALL]) == 1
        cap = capsys.readouterr()
        assert "is a file, not a folder" in cap.err and "| configuration" not in cap.out
    assert (tmp_path / "afile").read_text() == "mine"


def test_bptt_demo_main_reports_other_os_errors_as_the_cli_does(tmp_path, capsys, monkeypatch):
    import rnnlab.reference.demo as demo

    def fail(*a, **k):
        raise PermissionError(13, "Permission denied", str(tmp_path / "x.png"))

    monkeypatch.setattr(demo, "atomic_write_figure", fail)
    assert bptt_demo(["--out", str(tmp_path / "x.png"), *SMALL]) == 1
    assert "rnnlab bptt-demo: error" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["rnn_tanh", "rnn_relu", "gru", "gru_reset_before", "lstm"])
def test_finite_differences_at_one_step_and_batch_one(kind):
    from rnnlab.reference import check_gradients

    for bias in (True, False):
        errors = check_gradients(kind, bias=bias, seq_len=1, batch=1)
        assert max(errors.values()) < 1e-6, errors


def test_identity_initialised_rnn_keeps_the_gradient_with_relu_not_with_tanh():
    from rnnlab.reference import gradient_norms_through_time as gn

    small = dict(seq_len=40, hidden_size=16, input_size=4, batch=8, seeds=(0, 1))
    relu_id = gn("rnn_relu", hh_init="identity", **small)
    tanh_id = gn("rnn_tanh", hh_init="identity", **small)
    relu = gn("rnn_relu", **small)
    assert relu_id.label == "rnn_relu hh_init=identity"
    assert relu_id.ratio[40] > 0.1 > 1e-6 > relu.ratio[40]
    assert tanh_id.ratio[40] < 0.1 * relu_id.ratio[40]       # tanh' < 1 still shrinks it
    assert tanh_id.ratio[40] > 1e3 * gn("rnn_tanh", **small).ratio[40]
    assert parse_config("rnn_relu:hh_init=identity,hh_gain=0.5") == {
        "kind": "rnn_relu", "hh_init": "identity", "hh_gain": 0.5}
    for spec, says in (("lstm:hh_init=identity", "for rnn_tanh and rnn_relu"),
                       ("rnn_tanh:hh_init=orthogonal", "expected one of")):
        with pytest.raises(ValueError, match=says):
            parse_config(spec)


def test_a_seed_whose_gradient_is_exactly_zero_is_not_averaged_in_as_1e300():
    """Old code: the floor log10 = -300 of one dead seed was averaged with the others, so
    1e-2 and 0 printed as a measured 1.0e-151."""
    from rnnlab.reference.demo import format_table
    from rnnlab.reference.vanishing import GradientNorms

    r = GradientNorms("rnn_relu", "rnn_relu", np.arange(3),
                      np.array([[0.0, -1.0, -2.0], [0.0, -1.0, -300.0]]))
    np.testing.assert_allclose(r.ratio, [1.0, 0.1, 0.0])
    row = format_table([r], [0, 1, 2]).splitlines()[-1]
    assert row == "| `rnn_relu` | 1.0e+00 | 1.0e-01 | 0 (1/2 seeds) |"


def test_train_sine_refuses_bad_settings_with_what_to_do():
    """Old code: steps=-1 and lr=0 or -1 'trained' without a word (a negative lr climbed the
    loss); steps=2.5 was a TypeError; a too-short series failed inside numpy."""
    for kw, says in ((dict(steps=-1), "steps must be a whole number >= 0, got -1"),
                     (dict(steps=2.5), "steps must be a whole number"),
                     (dict(lr=0), "lr must be a finite number > 0"),
                     (dict(lr=-1.0), "lr must be a finite number > 0"),
                     (dict(batch_size=0), "batch_size must be a whole number >= 1"),
                     (dict(series_length=21), "pass series_length >= 22")):
        with pytest.raises(ValueError, match=says):
            train_sine("rnn_tanh", hidden_size=2, **kw)
    assert len(train_sine("rnn_tanh", hidden_size=2, steps=0, series_length=22).losses) == 0


def test_bptt_demo_title_names_the_input_scale_it_used(tmp_path, capsys):
    """Old code: the title said x ~ N(0, 1) whatever input_scale the configurations set."""
    small = [a if a != "rnn_tanh" else "rnn_tanh:input_scale=3" for a in SMALL]
    assert bptt_demo(["--out", str(tmp_path / "s.svg"), *small]) == 0
    title = capsys.readouterr().out.splitlines()[0]
    assert title.endswith("x ~ N(0, input_scale^2)"), title
    assert bptt_demo(["--out", str(tmp_path / "t.svg"), *SMALL]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith("x ~ N(0, 1)")


def test_gradient_norms_refuse_non_finite_options():
    """Old code: hh_gain=nan (from Python, past parse_config) gave a table of NaN."""
    from rnnlab.reference import gradient_norms_through_time as gn

    for name in ("hh_gain", "forget_bias", "input_scale"):
        with pytest.raises(ValueError, match=f"{name} must be a finite number"):
            gn("lstm", seq_len=3, hidden_size=2, seeds=(0,), **{name: float("nan")})


def test_bptt_demo_errors_name_the_command_once(tmp_path, capsys):
    # was: "rnnlab bptt-demo: error: bptt-demo: distances [-3] outside 0..100 ..."
    assert bptt_demo(["--distances", "-3", "--out", str(tmp_path / "x.png"), *SMALL]) != 0
    err = capsys.readouterr().err
    assert "distances [-3] outside" in err and err.count("bptt-demo") == 1, err
