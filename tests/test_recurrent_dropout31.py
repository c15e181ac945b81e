"""Variational dropout inside a recurrent layer (session 31): ``Recurrent(cell,
input_dropout=p, recurrent_dropout=q)``, Keras' cell ``dropout`` and ``recurrent_dropout``.
Each mask is drawn once per sequence and kept for every step (Gal & Ghahramani, 2016);
a GRU's blend keeps h_{t-1} whole (Keras 3's GRUCell); eval mode and p = 0 compute what
the layer computed before."""

import math

import pytest
import torch

from rnnlab.io.errors import ConfigError, ConfigTypeError, UnsupportedError
from rnnlab.nn import DTRNNCell, GRUCell, LSTMCell, Recurrent, RNNCell, Stacked
from rnnlab.nn.variational import draw_masks

D = torch.float64
F = torch.nn.functional


def _step(cell, x, h, c, m):
    """One float64 step written from the equations, h_{t-1} masked by m where the
    recurrent weights read it (None: unmasked)."""
    hm = h if m is None else h * m
    xp = F.linear(x, cell.weight_ih, cell.bias_ih)
    if isinstance(cell, LSTMCell):
        i, f, g, o = (xp + F.linear(hm, cell.weight_hh, cell.bias_hh)).chunk(4, -1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c
    if isinstance(cell, GRUCell):
        H = cell.hidden_size
        w, b = cell.weight_hh, cell.bias_hh
        x_r, x_z, x_n = xp.split(H, -1)
        r = torch.sigmoid(x_r + F.linear(hm, w[:H], b[:H]))
        z = torch.sigmoid(x_z + F.linear(hm, w[H:2 * H], b[H:2 * H]))
        if cell.reset_after:
            n = torch.tanh(x_n + r * F.linear(hm, w[2 * H:], b[2 * H:]))
        else:
            n = torch.tanh(x_n + F.linear(r * hm, w[2 * H:], b[2 * H:]))
        return z * h + (1 - z) * n, c
    return torch.tanh(xp + F.linear(hm, cell.weight_hh, cell.bias_hh)), c


def _reference(cell, x, masks, reverse=False):
    """The layer's outputs (T, B, H) and final h from the step equations with given masks."""
    T, B, _ = x.shape
    h = x.new_zeros(B, cell.hidden_size)
    c = x.new_zeros(B, cell.hidden_size)
    if masks.input is not None:
        x = x * masks.input
    outs = [None] * T
    for t in (range(T - 1, -1, -1) if reverse else range(T)):
        h, c = _step(cell, x[t], h, c, masks.hidden)
        outs[t] = h
    return torch.stack(outs), h


CELLS = [lambda: RNNCell(3, 5), lambda: LSTMCell(3, 5), lambda: GRUCell(3, 5),
         lambda: GRUCell(3, 5, reset_after=False)]


@pytest.mark.parametrize("make", CELLS)
@pytest.mark.parametrize("reverse", [False, True])
def test_masked_call_equals_the_step_equations_given_the_same_masks(make, reverse):
    torch.manual_seed(0)
    layer = Recurrent(make(), reverse=reverse, input_dropout=0.3,
                      recurrent_dropout=0.4).to(D).train()
    x = torch.randn(6, 4, 3, dtype=D, requires_grad=True)
    torch.manual_seed(7)
    out, _ = layer(x)
    torch.manual_seed(7)
    masks = draw_masks(0.3, 0.4, 4, 3, 5, x)
    assert masks.input is not None and masks.hidden is not None
    assert (masks.hidden == 0).any() and (masks.input == 0).any()  # (something dropped)
    ref, _ = _reference(layer.cell, x, masks, reverse)
    torch.testing.assert_close(out, ref)
    # gradients: the reference's autograd, for the input and every parameter
    w = torch.randn_like(out)
    params = [x, *layer.parameters()]
    got = torch.autograd.grad((out * w).sum(), params)
    want = torch.autograd.grad((ref * w).sum(), params)
    for g, r in zip(got, want):
        torch.testing.assert_close(g, r)


def test_the_masked_call_passes_gradcheck():
    layer = Recurrent(GRUCell(2, 3), input_dropout=0.25, recurrent_dropout=0.5).to(D).train()
    x = torch.randn(4, 2, 2, dtype=D, requires_grad=True)

    def run(x):
        torch.manual_seed(3)  # (the same masks at every evaluation)
        return layer(x)[0]

    assert torch.autograd.gradcheck(run, (x,))


def test_the_hidden_mask_is_the_same_at_every_step():
    """h_t = relu(1 + s m ⊙ h_{t-1}), W_hh = I: a unit the mask drops stays 1 at every step,
    a kept one grows as 1 + s + s² + ...; a mask drawn anew at a step would leave other values."""
    H, T, p = 16, 5, 0.5
    cell = RNNCell(H, H, nonlinearity="relu").to(D)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.eye(H, dtype=D))
        cell.weight_hh.copy_(torch.eye(H, dtype=D))
        cell.bias_ih.zero_()
        cell.bias_hh.zero_()
    layer = Recurrent(cell, recurrent_dropout=p).train()
    torch.manual_seed(1)
    out, h = layer(torch.ones(T, 8, H, dtype=D))
    s = 1 / (1 - p)
    kept = sum(s ** k for k in range(T))
    ones, grown = torch.isclose(h, torch.ones_like(h)), torch.isclose(h, torch.full_like(h, kept))
    assert bool((ones | grown).all()) and bool(ones.any()) and bool(grown.any())
    # a unit's steps agree with its one mask: dropped -> 1 throughout
    assert bool((out[:, ones] == 1).all())


def assert_computes_as(reference, layers, x):
    """Each of ``layers`` gives ``reference``'s outputs on ``x`` and its gradients (of x
    and of the parameters, in order)."""
    want = reference(x)[0]
    g_want = torch.autograd.grad(want.sum(), [x, *reference.parameters()])
    for layer in layers:
        out = layer(x)[0]
        torch.testing.assert_close(out, want)
        for g, r in zip(torch.autograd.grad(out.sum(), [x, *layer.parameters()]), g_want):
            torch.testing.assert_close(g, r)


@pytest.mark.parametrize("make", CELLS[:3])  # (torch.nn has no Cho GRU)
def test_eval_mode_and_zero_rates_compute_what_torch_nn_computes(make):
    """On torch's kernel and on the step loop (impl='reference', where the masked step
    differs from the plain one: on "auto" torch's kernel ran both sides)."""
    torch.manual_seed(0)
    cell = make().to(D)
    kind = type(cell).__name__[:-4]
    ref = getattr(torch.nn, kind)(3, 5).to(D)
    ref.load_state_dict({f"{k}_l0": v for k, v in cell.state_dict().items()})
    x = torch.randn(5, 2, 3, dtype=D, requires_grad=True)
    layers = [layer for impl in ("auto", "reference") for layer in (
        Recurrent(cell, impl=impl, input_dropout=0.3, recurrent_dropout=0.3).eval(),
        Recurrent(cell, impl=impl).train())]
    assert [layer.path_for(x) for layer in layers] == ["fused"] * 2 + ["reference"] * 2
    assert_computes_as(ref, layers, x)


def test_the_path_says_which_ran_and_no_kernel_drops_the_mask():
    x = torch.randn(4, 2, 3)
    layer = Recurrent(LSTMCell(3, 5), recurrent_dropout=0.2)
    assert layer.path_for(x) == "reference" and layer.path == "reference"
    layer.eval()
    assert layer.path_for(x) == "fused" and layer.path == "fused"
    inputs_only = Recurrent(LSTMCell(3, 5), input_dropout=0.2).train()
    assert inputs_only.path_for(x) == "fused"  # (the mask is on x: torch's kernel runs it)
    cho = Recurrent(GRUCell(3, 5, reset_after=False), impl="fast", recurrent_dropout=0.2)
    with pytest.raises(UnsupportedError, match="impl='auto'"):
        cho(x)
    with pytest.raises(UnsupportedError, match="recurrent_dropout"):
        cho.path_for(x)
    assert Recurrent(DTRNNCell(3, 5), recurrent_dropout=0.2).path_for(x) == "reference"
    cho.eval()
    assert cho.path_for(x) == "fast-torch"


def test_a_stack_of_masked_layers_runs_each_layers_masks():
    """The one-call plan of a Stacked (torch's multi-layer kernel) would draw no mask:
    a stack of masked layers runs them one by one, as the layers alone do."""
    torch.manual_seed(0)
    layers = [Recurrent(LSTMCell(3, 4), input_dropout=0.3), Recurrent(LSTMCell(4, 4),
                                                                      recurrent_dropout=0.3)]
    stack = Stacked(layers).train()
    x = torch.randn(5, 2, 3)
    torch.manual_seed(4)
    out, _ = stack(x)
    torch.manual_seed(4)
    want = layers[1](layers[0](x)[0])[0]
    torch.testing.assert_close(out, want)
    stack.eval()
    torch.testing.assert_close(stack(x)[0], layers[1](layers[0](x)[0])[0])


@pytest.mark.parametrize("p, error", [(1.0, ConfigError), (-0.1, ConfigError),
                                      (math.nan, ConfigError), ("0.2", ConfigTypeError),
                                      (True, ConfigTypeError)])
@pytest.mark.parametrize("name", ["input_dropout", "recurrent_dropout"])
def test_a_rate_outside_0_to_1_is_a_typed_error(p, error, name):
    with pytest.raises(error, match=f"{name} must be"):
        Recurrent(LSTMCell(3, 4), **{name: p})
    layer = Recurrent(LSTMCell(3, 4))
    with pytest.raises(error, match=name):
        setattr(layer, name, p)
    assert getattr(layer, name) == 0.0
    import numpy as np

    setattr(layer, name, np.float32(0.25))  # (a NumPy float is a number)
    assert getattr(layer, name) == 0.25 and type(getattr(layer, name)) is float


def test_the_rates_show_in_the_repr_and_survive_a_copy_and_a_pickle():
    import copy
    import io

    layer = Recurrent(GRUCell(3, 4), recurrent_dropout=0.25)
    assert "recurrent_dropout=0.25" in repr(layer) and "input_dropout" not in repr(layer)
    assert copy.deepcopy(layer).recurrent_dropout == 0.25
    buf = io.BytesIO()
    torch.save(layer, buf)
    buf.seek(0)
    assert torch.load(buf, weights_only=True).recurrent_dropout == 0.25


@pytest.mark.parametrize("reverse", [False, True])
def test_variable_lengths_mask_each_sequence_and_stop_at_its_end(reverse):
    from rnnlab.nn.variational import DropMasks

    torch.manual_seed(0)
    layer = Recurrent(LSTMCell(3, 5), reverse=reverse, batch_first=True, input_dropout=0.2,
                      recurrent_dropout=0.5).to(D).train()
    x = torch.randn(3, 6, 3, dtype=D)
    lengths = torch.tensor([6, 2, 4])
    torch.manual_seed(5)
    out, (h, _) = layer(x, lengths=lengths)
    torch.manual_seed(5)
    masks = draw_masks(0.2, 0.5, 3, 3, 5, x)
    for b, L in enumerate(lengths.tolist()):
        row = DropMasks(masks.input[b:b + 1], masks.hidden[b:b + 1])
        ref, h_b = _reference(layer.cell, x[b:b + 1, :L].transpose(0, 1), row, reverse)
        torch.testing.assert_close(out[b, :L], ref[:, 0])
        torch.testing.assert_close(h[b], h_b[0])
        assert bool((out[b, L:] == 0).all())


def _run_masked(cell_type):
    """A float64 ``Recurrent(cell_type(3, 4), recurrent_dropout=0.5)`` called in training
    on 5 steps of 2 rows: (layer, x, its outputs, the masks that call drew)."""
    torch.manual_seed(0)
    layer = Recurrent(cell_type(3, 4), recurrent_dropout=0.5).to(D).train()
    x = torch.randn(5, 2, 3, dtype=D)
    torch.manual_seed(1)
    out, _ = layer(x)
    torch.manual_seed(1)
    return layer, x, out, draw_masks(0.0, 0.5, 2, 3, 4, x)


def test_a_cell_of_your_own_runs_masked_by_the_default_recur_dropped_and_the_readme_says_so():
    from pathlib import Path

    from rnnlab.nn import CellBase

    class Plain(CellBase):
        def recur(self, xp, h):
            h = torch.tanh(xp + F.linear(h, self.weight_hh, self.bias_hh))
            return h, h

    layer, x, out, masks = _run_masked(Plain)
    rnn = RNNCell(3, 4).to(D)
    rnn.load_state_dict(layer.cell.state_dict())
    torch.testing.assert_close(out, _reference(rnn, x, masks)[0])
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    own = readme.split("## Writing your own cell")[1].split("\n## ")[0]
    assert "recur_dropped(xp, state, mask)" in own


def test_under_vmap_randomness_different_each_call_draws_its_own_masks():
    """``vmap(..., randomness="different")`` (an ensemble, each member its own dropout):
    the in-place draw on an unbatched tensor was refused by torch ("Cannot ask for
    different inplace randomness on an unbatched tensor"); "same" shares one mask."""
    from torch.func import vmap

    torch.manual_seed(0)
    layer = Recurrent(GRUCell(3, 8), input_dropout=0.5, recurrent_dropout=0.5).train()
    xs = torch.randn(5, 2, 3).expand(3, 5, 2, 3)  # (3, T, B, I): three alike inputs
    outs = vmap(lambda x: layer(x)[0], randomness="different")(xs)
    assert not torch.allclose(outs[0], outs[1]) and not torch.allclose(outs[1], outs[2])
    same = vmap(lambda x: layer(x)[0], randomness="same")(xs)
    torch.testing.assert_close(same[0], same[1])
    torch.testing.assert_close(same[1], same[2])


def test_a_gru_subclass_with_its_own_recur_runs_it_under_recurrent_dropout():
    """GRUCell.recur_dropped ran GRUCell's equation: a subclass's own ``recur`` was
    silently replaced by the plain GRU's in training. It runs, from the masked h (the
    default of a cell of your own)."""

    class Halved(GRUCell):
        def recur(self, xp, h):
            _, new = super().recur(xp, h)
            return new / 2, new / 2

    layer, x, out, masks = _run_masked(Halved)
    mask = masks.hidden
    h, want = x.new_zeros(2, 4), []
    for t in range(5):
        h = layer.cell.recur(layer.cell.project_input(x[t]), h * mask)[1]
        want.append(h)
    torch.testing.assert_close(out, torch.stack(want))
