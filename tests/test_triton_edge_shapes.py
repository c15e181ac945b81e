"""Every Triton backend against the reference loop, float64, on the shapes the other Triton
tests leave out: hidden sizes that are no multiple of a tile (1, 3, 17, 33), one sequence,
one step, long sequences of a tiny state, a second batch block of one row, states given
or not (with and without gradients, the gradient reaching them only through h_T or only
through the outputs), several layers, both directions and packed input.

Without a GPU these run in Triton's CPU interpreter (conftest): sizes are small.
"""

from __future__ import annotations

import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from test_triton_paths import _PROBLEM, DEVICE  # noqa: E402  (skips as it does)

from rnnlab.nn import GRU, Bidirectional, GRUCell, Recurrent, Stacked  # noqa: E402
from rnnlab.nn.deep import DTRNNCell  # noqa: E402
from rnnlab.nn.paths import set_impl  # noqa: E402

from test_fast_paths import assert_equal_paths, run_both  # noqa: E402

pytestmark = pytest.mark.skipif(_PROBLEM is not None, reason=str(_PROBLEM))

IMPLS = ("triton", "triton-split", "triton-resident")
I = 2


def make_cell(kind: str, h: int, i: int = I):
    """dt1: one layer; dt3s: three layers with the shortcut, width != H; gru: Cho form."""
    if kind == "dt1":
        return DTRNNCell(i, h, depth=1)
    if kind == "dt3s":
        return DTRNNCell(i, h, depth=3, shortcut=True, width=h + 2)
    return GRUCell(i, h, reset_after=False)


def x64(*shape):
    return torch.randn(*shape, dtype=torch.float64, device=DEVICE)


def on(model, impl, x):
    model = model.double().to(DEVICE)
    set_impl(model, impl)
    assert {m.path_for(x) for m in model.modules() if isinstance(m, Recurrent)} == \
        {f"fast-{impl}"}
    return model


# every impl meets every cell kind once, the hidden sizes rotating through 1, 3, 17, 33
ODD = [(impl, kind, (1, 3, 17, 33)[(n + k) % 4]) for n, impl in enumerate(IMPLS)
       for k, kind in enumerate(("dt1", "dt3s", "gru"))]


@pytest.mark.parametrize("impl,kind,h", ODD)
def test_one_sequence_one_step_odd_hidden(impl, kind, h):
    torch.manual_seed(h)
    x = x64(1, 1, I)
    model = on(Recurrent(make_cell(kind, h)), impl, x)
    assert_equal_paths(model, x, x64(1, h), None, fast_impl=impl)


@pytest.mark.parametrize("impl,kind,h", ODD)
def test_second_batch_block_of_one_row_no_state(impl, kind, h):
    """17 rows: the second 16-row block holds one; no state given (zeros)."""
    torch.manual_seed(100 + h)
    x = x64(2, 17, I)
    model = on(Recurrent(make_cell(kind, h), reverse=h % 2 == 1), impl, x)
    lengths = torch.tensor([2, 1] * 8 + [1])
    assert_equal_paths(model, x, None, lengths, fast_impl=impl)


@pytest.mark.slow  # about 5 s each in the interpreter
@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("kind", ["dt3s", "gru"])
def test_long_sequence_tiny_hidden(impl, kind):
    """T = 40, H = 1: an error carried step to step would grow; lengths end anywhere."""
    torch.manual_seed(7)
    x = x64(40, 2, I)
    model = on(Recurrent(make_cell(kind, 1)), impl, x)
    assert_equal_paths(model, x, x64(2, 1), torch.tensor([40, 23]), fast_impl=impl)


def _grads(model, x, h0, loss_of):
    out, h = model(x, h0)
    return out, h, torch.autograd.grad(loss_of(out, h), [t for t in (x, h0)
                                                          if t.requires_grad])


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("kind", ["dt3s", "gru"])
@pytest.mark.parametrize("through", ["final state", "outputs"])
def test_state_gradient_alone(impl, kind, through):
    """Only the initial state requires grad (the input does not), and the loss reads
    only h_T or only the outputs: the kernels' backward gets None for the other."""
    torch.manual_seed(8)
    h = 3
    x = x64(4, 2, I)
    h0 = x64(2, h).requires_grad_()
    model = on(Recurrent(make_cell(kind, h)), impl, x)

    def loss_of(out, hT):
        return hT.square().sum() if through == "final state" else out.sin().sum()

    got = _grads(model, x, h0, loss_of)
    set_impl(model, "reference")
    want = _grads(model, x, h0, loss_of)
    for a, b in zip(want[:2] + tuple(want[2]), got[:2] + tuple(got[2])):
        torch.testing.assert_close(b, a, rtol=1e-10, atol=1e-12)
    assert len(got[2]) == 1 and got[2][0].abs().sum() > 0


@pytest.mark.parametrize("impl", IMPLS)
def test_no_grad_and_state_without_grad(impl):
    """Under no_grad, and with a given state that does not require grad while the input
    does: the same outputs and input gradient as the loop."""
    torch.manual_seed(9)
    h = 17
    x = x64(3, 2, I)
    h0 = x64(2, h)
    model = on(Recurrent(make_cell("dt3s", h)), impl, x)
    results = []
    for which in (impl, "reference"):
        set_impl(model, which)
        with torch.no_grad():
            plain = model(x, h0)
        xs = x.clone().requires_grad_()
        out, hT = model(xs, h0)
        (dx,) = torch.autograd.grad(out.sum() + hT.sum(), xs)
        results.append([*plain, out, hT, dx])
    for a, b in zip(results[1], results[0]):
        torch.testing.assert_close(b, a, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("impl", IMPLS)
def test_stacked_bidirectional_odd_sizes(impl):
    """Two layers, the first both directions (H = 3 and 17), the second H = 1."""
    torch.manual_seed(10)
    model = Stacked([
        Bidirectional(Recurrent(make_cell("dt3s", 3)),
                      Recurrent(make_cell("gru", 17), reverse=True)),
        Recurrent(make_cell("dt1", 1, i=20)),
    ])
    x = x64(4, 3, I)
    model = on(model, impl, x)
    state = [(x64(3, 3), x64(3, 17)), x64(3, 1)]
    assert_equal_paths(model, x, state, torch.tensor([4, 1, 3]), fast_impl=impl)


def _packed_run(model, x, lengths, h0):
    xs = x.clone().requires_grad_()
    hs = h0.clone().requires_grad_()
    packed = pack_padded_sequence(xs, lengths, enforce_sorted=False)
    out, hT = model(packed, hs)
    padded, _ = pad_packed_sequence(out)
    loss = (padded * torch.linspace(-1, 1, padded.numel(), dtype=padded.dtype,
                                    device=padded.device).view_as(padded)).sum() + hT.sum()
    return [padded, hT, *torch.autograd.grad(loss, [xs, hs, *model.parameters()])]


@pytest.mark.parametrize("impl", IMPLS)
def test_torch_compatible_gru_cho_packed_bidirectional_two_layers(impl):
    """rnnlab.nn.GRU(reset_after=False, num_layers=2, bidirectional=True) on unsorted
    packed input with a given h0 (4, B, H) that requires grad: every gradient."""
    torch.manual_seed(11)
    h = 3
    model = GRU(I, h, num_layers=2, bidirectional=True, reset_after=False).double().to(DEVICE)
    x = x64(5, 3, I)
    lengths = torch.tensor([2, 5, 1])
    h0 = x64(4, 3, h)
    model.impl = impl
    assert model.path_for(x) == f"fast-{impl}"
    got = _packed_run(model, x, lengths, h0)
    model.impl = "reference"
    want = _packed_run(model, x, lengths, h0)
    for a, b in zip(want, got):
        torch.testing.assert_close(b, a, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("impl,kind,h", [("triton", "dt3s", 17), ("triton-split", "gru", 33),
                                         ("triton-resident", "dt3s", 3),
                                         ("triton-resident", "gru", 17)])
def test_float32_odd_hidden(impl, kind, h):
    """float32 takes the ``tl.dot`` branch (K padded to 16 or 32, masked tiles)."""
    torch.manual_seed(12)
    model = Recurrent(make_cell(kind, h)).to(DEVICE)
    set_impl(model, impl)
    x = torch.randn(3, 2, I, device=DEVICE)
    assert model.path_for(x) == f"fast-{impl}"
    ref, fst = run_both(model, x, torch.randn(2, h, device=DEVICE), torch.tensor([3, 2]),
                        fast_impl=impl)
    for a, b in zip(ref, fst):
        torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5)
