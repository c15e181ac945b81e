"""A numerical-methods audit of rnnlab.nn (session 19): gradients (reverse and forward
mode), edge sizes, dtypes, saturation and determinism of every cell and path; what was
still wrong, and checks that keep it right."""

from __future__ import annotations

import pytest
import torch
import torch.autograd.forward_ad as fwAD

from rnnlab.nn import GRU, DTRNNCell, GRUCell, LSTMCell, RNNCell, Recurrent, Stacked
from rnnlab.nn.registry import ARCHITECTURES, build_model


def x64(*shape, seed=0):
    return torch.randn(*shape, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))


def tangent_of(run, x, t):
    """The forward-mode derivative of ``run`` at ``x`` along ``t``, computed without grad
    mode (as forward AD is used for inference-time sensitivities: nothing records a graph)."""
    with fwAD.dual_level(), torch.no_grad():
        return fwAD.unpack_dual(run(fwAD.make_dual(x, t))).tangent


STANDARD_CELLS = {
    "rnn": lambda: RNNCell(2, 3, dtype=torch.float64),
    "rnn-relu": lambda: RNNCell(2, 3, nonlinearity="relu", dtype=torch.float64),
    "gru": lambda: GRUCell(2, 3, dtype=torch.float64),
    "lstm": lambda: LSTMCell(2, 3, dtype=torch.float64),
}


# --- forward-mode AD with lengths on torch's kernel ----------------------------------------


@pytest.mark.parametrize("name", sorted(STANDARD_CELLS))
@pytest.mark.parametrize("reverse", [False, True])
def test_forward_mode_ad_with_lengths_on_a_standard_cell(name, reverse):
    """Old: ``Recurrent(LSTMCell(...))(x, lengths=...)`` inside ``forward_ad.dual_level()``
    without grad mode died with "Trying to use forward AD with _pack_padded_sequence that
    does not support it" (the fused path packed the batch; the loop, which serves forward
    AD, was chosen only for rnnlab's own kernels). Now the masked loop runs there, and its
    tangent equals a finite difference."""
    torch.manual_seed(0)
    layer = Recurrent(STANDARD_CELLS[name](), reverse=reverse)
    lengths = torch.tensor([4, 1, 2])
    x, t = x64(4, 3, 2), x64(4, 3, 2, seed=1)

    def run(inp):
        return layer(inp, lengths=lengths)[0]

    got = tangent_of(run, x, t)
    eps = 1e-6
    with torch.no_grad():
        want = (run(x + eps * t) - run(x - eps * t)) / (2 * eps)
    torch.testing.assert_close(got, want, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["lstm", "gru", "rnn", "bilstm"])
def test_forward_mode_ad_with_lengths_on_a_registry_model(name):
    """Old: the same NotImplementedError from build_model's torch-compatible bodies (their
    reference path runs ``Recurrent`` layers, which packed) and from a ``Stacked`` of
    standard cells (torch's multi-layer kernel, packed)."""
    torch.manual_seed(0)
    model = build_model(name, input_size=2, hidden_size=3, num_layers=2).double().eval()
    ref = build_model(name, input_size=2, hidden_size=3, num_layers=2,
                      impl="reference").double().eval()
    ref.load_state_dict(model.state_dict())
    x, t = x64(3, 4, 2), x64(3, 4, 2, seed=1)
    lengths = torch.tensor([4, 1, 2])
    got = tangent_of(lambda inp: model(inp, None, lengths)[0], x, t)
    want = tangent_of(lambda inp: ref(inp, None, lengths)[0], x, t)
    torch.testing.assert_close(got, want, rtol=0, atol=1e-12)


def test_forward_mode_ad_with_lengths_on_a_stack_of_standard_cells():
    torch.manual_seed(0)
    stack = Stacked([Recurrent(LSTMCell(2, 3, dtype=torch.float64)),
                     Recurrent(LSTMCell(3, 3, dtype=torch.float64))]).eval()
    ref = Stacked([Recurrent(layer.cell, impl="reference") for layer in stack.layers]).eval()
    x, t = x64(4, 3, 2), x64(4, 3, 2, seed=1)
    lengths = torch.tensor([4, 1, 2])
    got = tangent_of(lambda inp: stack(inp, None, lengths)[0], x, t)
    want = tangent_of(lambda inp: ref(inp, None, lengths)[0], x, t)
    torch.testing.assert_close(got, want, rtol=0, atol=1e-12)


# --- batched backward (is_grads_batched, a vectorized Jacobian) through rnnlab's kernels ---


KERNEL_CELLS = {
    "gru-cho": lambda: GRUCell(2, 3, reset_after=False, dtype=torch.float64),
    "dt-rnn": lambda: DTRNNCell(2, 3, depth=2, dtype=torch.float64),
    "dts-rnn": lambda: DTRNNCell(2, 3, depth=3, shortcut=True, dtype=torch.float64),
}


@pytest.mark.parametrize("name", sorted(KERNEL_CELLS))
@pytest.mark.parametrize("masked", [False, True])
def test_a_batched_backward_through_a_kernel_says_what_to_use(name, masked):
    """Old: ``torch.autograd.grad(out, x, v, is_grads_batched=True)`` (and
    ``torch.autograd.functional.jacobian(..., vectorize=True)``, which uses it) through
    the gru-cho and deep-transition kernels died inside their hand-written backward with
    vmap's "aten::add_(self, *extra_args) is not possible ..." or "Batching rule not
    implemented for aten::tanh_backward.grad_input", naming neither the layer nor a way
    out. torch.nn's LSTM takes it; the kernels' in-place backward cannot be vmapped: the
    error now says so and what runs it (the step loop)."""
    torch.manual_seed(0)
    layer = Recurrent(KERNEL_CELLS[name]())
    x = x64(3, 2, 2).requires_grad_()
    lengths = torch.tensor([3, 1]) if masked else None
    out, _ = layer(x, lengths=lengths)
    assert out.grad_fn is not None and "Function" in type(out.grad_fn).__name__  # the kernel
    with pytest.raises(RuntimeError, match=r"is_grads_batched.*vectorize=True.*"
                                           r"impl='reference'"):
        torch.autograd.grad(out, x, x64(4, *out.shape, seed=1), is_grads_batched=True)


@pytest.mark.parametrize("name", sorted(KERNEL_CELLS))
def test_the_step_loop_takes_a_batched_backward(name):
    """The way out the error names: the same cell on impl='reference' gives each row of a
    batched backward as one backward each gives it."""
    torch.manual_seed(0)
    layer = Recurrent(KERNEL_CELLS[name](), impl="reference")
    x = x64(3, 2, 2).requires_grad_()
    out, _ = layer(x, lengths=torch.tensor([3, 1]))
    v = x64(4, *out.shape, seed=1)
    got, = torch.autograd.grad(out, x, v, is_grads_batched=True, retain_graph=True)
    want = torch.stack([torch.autograd.grad(out, x, vi, retain_graph=True)[0] for vi in v])
    torch.testing.assert_close(got, want, rtol=0, atol=1e-12)


# --- dtype mismatches: caught as torch's are -------------------------------------------------


def _mismatches():
    """(what, call) pairs: each gives a tensor of another dtype than the parameters where
    torch.nn raises RuntimeError ("mat1 and mat2 must have the same dtype")."""
    f64 = torch.float64
    lstm_cell, gru = LSTMCell(2, 3), GRU(2, 3)
    h64 = torch.zeros(1, 4, 3, dtype=f64)
    return [
        ("LSTMCell input", lambda: lstm_cell(torch.randn(4, 2, dtype=f64))),
        ("LSTMCell int input", lambda: lstm_cell(torch.ones(4, 2, dtype=torch.long))),
        ("GRU float64 h0", lambda: gru(torch.randn(5, 4, 2), h64)),
        ("Recurrent float64 state", lambda: Recurrent(RNNCell(2, 3))(
            torch.randn(5, 4, 2), torch.zeros(4, 3, dtype=f64))),
    ]


@pytest.mark.parametrize("what,call", _mismatches(), ids=[w for w, _ in _mismatches()])
def test_a_dtype_mismatch_is_caught_where_torch_nn_raises_runtime_error(what, call):
    """Old: rnnlab's message was a plain ValueError where torch.nn's cells (and torch.nn's
    RNNs, for the state) raise RuntimeError: code written for torch.nn (``except
    RuntimeError``) let it through. Now it is both, as ShapeError is for shapes; the
    message is unchanged."""
    with pytest.raises(RuntimeError, match=r"but the parameters are float32 on cpu"):
        call()
    with pytest.raises(ValueError, match=r"but the parameters are float32 on cpu"):
        call()


# --- checks that keep the audit's passing results so ---------------------------------------


@pytest.fixture
def deterministic():
    """torch.use_deterministic_algorithms(True) for one test (it also fills torch.empty's
    memory with NaN: a buffer position a kernel forgets to write shows)."""
    was = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True)
    yield
    torch.use_deterministic_algorithms(was)


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_every_architecture_runs_and_repeats_under_deterministic_algorithms(name, deterministic):
    def run():
        torch.manual_seed(3)
        model = build_model(name, input_size=2, hidden_size=3)
        x = torch.randn(3, 5, 2, requires_grad=True)
        out, _ = model(x, lengths=torch.tensor([5, 2, 3]))
        out.sum().backward()
        return [out.detach(), x.grad] + [p.grad for p in model.parameters()]

    first, second = run(), run()
    assert all(torch.isfinite(t).all() for t in first)
    assert all(torch.equal(a, b) for a, b in zip(first, second))


@pytest.mark.parametrize("name", sorted(KERNEL_CELLS))
def test_a_long_sequence_of_a_tiny_state_on_the_kernel_equals_the_loop(name):
    """T = 5000, H = 3: no recursion limit, no memory blow-up (the loop unbinds, not
    indexes), and 5000 steps of the kernel's hand-written backward stay on the loop's."""
    torch.manual_seed(0)
    cell = KERNEL_CELLS[name]()
    x = x64(5000, 1, 2).requires_grad_()
    grads = []
    for impl in ("fast", "reference"):
        out, h = Recurrent(cell, impl=impl)(x)
        grads.append((out.detach(), *torch.autograd.grad((out.sum() + h.sum()),
                                                          [x, *cell.parameters()])))
    for a, b in zip(*grads):
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_saturating_inputs_keep_outputs_and_gradients_finite(name, dtype):
    """Inputs of 1e4 drive every gate and activation into saturation: sigmoid and tanh
    give 0 / ±1 and their derivatives 0, never an overflow to inf or NaN."""
    torch.manual_seed(0)
    model = build_model(name, input_size=2, hidden_size=3).to(dtype)
    x = (torch.randn(2, 4, 2) * 1e4).to(dtype).requires_grad_()
    out, _ = model(x)
    out.float().sum().backward()
    assert torch.isfinite(out).all()
    assert torch.isfinite(x.grad).all()
    assert all(torch.isfinite(p.grad).all() for p in model.parameters())
