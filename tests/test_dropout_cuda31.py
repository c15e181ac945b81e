"""Variational dropout (``input_dropout`` / ``recurrent_dropout``, session 31) on the
device it trains on: the masks are drawn on the input's device and in its dtype, and no
op of the call (forward and backward) reads a tensor elsewhere or waits on the host; the
masked call equals the float64 step equations given the masks it drew; a seed repeats
the masks. (The kernels' side, eval mode against cuDNN, refused impls and autocast:
test_dropout_cuda_kernels31.py.)

Each test runs on the CPU here and on CUDA where there is one (``benchmarks/run_gpu.sh``
runs this file; the ``cuda`` cases skip without a GPU). The ``meta`` device stands in
for a GPU on the CPU: a tensor made on the CPU inside the call shows there, and an op
that reads a value on the host (a sync on CUDA) fails there.
"""

from __future__ import annotations

import contextlib
import copy

import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves

from rnnlab.nn import GRU, LSTM, GRUCell, LSTMCell, Recurrent, RNNCell
from rnnlab.nn import recurrent as recurrent_module
from rnnlab.nn.registry import build_model
from rnnlab.nn.variational import DropMasks
from test_recurrent_dropout31 import _reference

HAS_CUDA = torch.cuda.is_available()
ON_CUDA = pytest.param("cuda", marks=[pytest.mark.gpu, pytest.mark.skipif(
    not HAS_CUDA, reason="needs CUDA")])
DEVICES = ["cpu", ON_CUDA]
RATES = dict(input_dropout=0.3, recurrent_dropout=0.4)
T, B, I, H = 6, 4, 3, 5
# float32 against the float64 equations, TF32 off (torch's default for matmuls; cuDNN's
# is turned off where it runs): the tolerance the fast paths' float32 tests use
F32 = dict(rtol=1e-4, atol=1e-5)


def tol(dtype: torch.dtype) -> dict:
    """torch.testing's defaults in float64; :data:`F32` in float32."""
    return {} if dtype == torch.float64 else F32


@pytest.fixture
def drawn(monkeypatch):
    """The masks each ``Recurrent`` call draws, in call order (the drop-ins run
    ``Recurrent`` layers, so theirs too)."""
    calls = []

    def record(*args):
        masks = real(*args)
        calls.append(masks)
        return masks

    real = recurrent_module.draw_masks
    monkeypatch.setattr(recurrent_module, "draw_masks", record)
    return calls


@pytest.fixture
def no_tf32(monkeypatch):
    """float32 products in full float32 on CUDA, cuDNN's too (torch lets its RNNs use
    TF32 by default), as the bench does without --tf32."""
    if HAS_CUDA:
        monkeypatch.setattr(torch.backends.cudnn, "allow_tf32", False)
        monkeypatch.setattr(torch.backends.cuda.matmul, "allow_tf32", False)


@contextlib.contextmanager
def replaying(monkeypatch, masks):
    """Each ``Recurrent`` call takes the next of ``masks`` (moved to its input's device
    and dtype) in place of a draw: another copy of a model run with the same masks."""
    queue = list(masks)

    def replay(*args):
        like = args[-1]
        m = queue.pop(0)
        return DropMasks(*(None if t is None else t.to(like.device, like.dtype)
                           for t in (m.input, m.hidden)))

    with monkeypatch.context() as patch:
        patch.setattr(recurrent_module, "draw_masks", replay)
        yield
    assert not queue  # (every mask was used: the copy ran as many masked layers)


class ForeignTensors(TorchDispatchMode):
    """Records each op that reads or makes a tensor off ``device`` (a CPU scalar, 0-dim,
    excepted: torch passes it to a kernel by value) or a floating tensor not in ``dtype``."""

    def __init__(self, device: torch.device, dtype: torch.dtype):
        super().__init__()
        self.device, self.dtype, self.found = device, dtype, []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in tree_leaves((args, kwargs, out)):
            if not isinstance(t, torch.Tensor):
                continue
            if (t.device != self.device and t.dim() > 0) or (
                    t.is_floating_point() and t.dtype != self.dtype and t.dim() > 0):
                self.found.append(f"{func}: {tuple(t.shape)} {t.dtype} on {t.device}")
        return out


def models():
    """(id, factory) of layers and models that train with both masks."""
    return [
        ("recurrent-lstm", lambda: Recurrent(LSTMCell(I, H), **RATES)),
        ("recurrent-cho-reverse", lambda: Recurrent(GRUCell(I, H, reset_after=False),
                                                    reverse=True, **RATES)),
        ("dropin-bilstm-2", lambda: LSTM(I, H, num_layers=2, bidirectional=True,
                                         dropout=0.2, **RATES)),
        ("stacked-dt-rnn", lambda: build_model("stacked-dt-rnn", input_size=I, hidden_size=H,
                                               num_layers=2, **RATES)),
    ]


def sequence(model, device, dtype, requires_grad=True):
    """A (T, B, I) input, (B, T, I) for a batch-first model."""
    shape = (B, T, I) if getattr(model, "batch_first", False) or hasattr(model, "body") \
        else (T, B, I)
    return torch.randn(*shape, dtype=dtype, device=device, requires_grad=requires_grad)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("device", ["cpu", "meta", ON_CUDA])
@pytest.mark.parametrize("name, make", models(), ids=[m[0] for m in models()])
def test_masks_are_drawn_on_the_inputs_device_and_dtype_and_no_op_leaves_it(
        drawn, name, make, device, dtype):
    """Forward and backward of a model training with both masks: each mask on x's device
    in x's dtype; no op reads or makes a tensor elsewhere (a CPU tensor in the step
    loop) or in another floating dtype; on CUDA, no host sync (torch's sync check set
    to raise), after a first call that sets cuBLAS up."""
    torch.manual_seed(0)
    model = make().to(device, dtype).train()
    x = sequence(model, device, dtype)
    if device == "cuda":
        model(x)[0].sum().backward()
        drawn.clear()
    spy = ForeignTensors(x.device, dtype)
    sync = (torch.cuda.set_sync_debug_mode if device == "cuda" else lambda mode: None)
    sync("error")  # a host sync (an .item(), a copy to the CPU) raises on CUDA
    try:
        with spy:
            out = model(x)[0]
            out.sum().backward()
    finally:
        sync("default")
    assert drawn and all(m.input is not None and m.hidden is not None for m in drawn)
    for m in drawn:
        for t in (m.input, m.hidden):
            assert t.device == x.device and t.dtype == dtype, (t.device, t.dtype)
    assert spy.found == [], spy.found[:5]
    assert x.grad is not None and x.grad.device == x.device


CELLS = [("rnn", lambda: RNNCell(I, H)), ("lstm", lambda: LSTMCell(I, H)),
         ("gru", lambda: GRUCell(I, H)), ("gru-cho", lambda: GRUCell(I, H, reset_after=False))]


def assert_grads_close(out, ref, inputs, ref_inputs, **kw):
    """out and ref close, and the gradients of (out * w).sum() on ``inputs`` close to
    those of (ref * w).sum() on ``ref_inputs`` (one w, on each one's device)."""
    torch.testing.assert_close(out.detach().cpu().double(), ref.detach().cpu(), **kw)
    w = torch.randn(ref.shape, dtype=torch.float64)
    got = torch.autograd.grad((out * w.to(out)).sum(), inputs)
    want = torch.autograd.grad((ref * w).sum(), ref_inputs)
    for g, r in zip(got, want):
        torch.testing.assert_close(g.cpu().double(), r, **kw)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("name, make", CELLS, ids=[c[0] for c in CELLS])
def test_training_equals_the_float64_step_equations_given_the_masks_it_drew(
        drawn, no_tf32, name, make, reverse, device, dtype):
    """The layer on ``device`` in ``dtype`` against the equations on the CPU in float64,
    fed the masks the layer drew: outputs, and the gradients of x and every parameter."""
    torch.manual_seed(1)
    layer = Recurrent(make(), reverse=reverse, **RATES).to(device, dtype).train()
    x = torch.randn(T, B, I, dtype=dtype, device=device, requires_grad=True)
    out, _ = layer(x)
    (masks,) = drawn
    assert bool((masks.hidden == 0).any()) and bool((masks.input == 0).any())
    cell = make().double()
    cell.load_state_dict({k: v.double().cpu() for k, v in layer.cell.state_dict().items()})
    x64 = x.detach().cpu().double().requires_grad_()
    cpu_masks = DropMasks(masks.input.cpu().double(), masks.hidden.cpu().double())
    ref, _ = _reference(cell, x64, cpu_masks, reverse)
    assert_grads_close(out, ref, [x, *layer.parameters()], [x64, *cell.parameters()],
                       **tol(dtype))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", ["gru-cho", "stacked-dt-rnn", "dropin-gru"])
def test_a_model_trained_on_the_device_equals_its_float64_cpu_step_loop(
        monkeypatch, drawn, no_tf32, name, device):
    """Models the equations above do not cover (the deep cells, a 2-layer drop-in):
    the same model on the CPU in float64, given the masks the device call drew."""
    torch.manual_seed(2)
    if name == "dropin-gru":
        model = GRU(I, H, num_layers=2, batch_first=True, **RATES)
    else:
        model = build_model(name, input_size=I, hidden_size=H, num_layers=2, **RATES)
    ref_model = model.double().train()
    model = copy.deepcopy(ref_model).float().to(device)
    x = torch.randn(B, T, I, device=device, requires_grad=True)
    out = model(x)[0]
    assert len(drawn) == 2
    x64 = x.detach().cpu().double().requires_grad_()
    with replaying(monkeypatch, drawn):
        ref = ref_model(x64)[0]
    assert_grads_close(out, ref, [x, *model.parameters()], [x64, *ref_model.parameters()],
                       **F32)


@pytest.mark.parametrize("device", DEVICES)
def test_a_seed_repeats_the_masks_and_the_step_within_a_process(drawn, device):
    """The masks come from the device's generator: seeding it (alone, on CUDA: the CPU
    generator moved on in between) repeats them, the outputs and the gradients; another
    seed draws others."""
    torch.manual_seed(4)
    model = LSTM(I, H, num_layers=2, dropout=0.25, **RATES).to(device).train()
    x = torch.randn(T, B, I, device=device)
    seed = torch.cuda.manual_seed if device == "cuda" else torch.manual_seed

    def run(s):
        drawn.clear()
        seed(s)
        torch.rand(3)  # (moves the CPU generator: on CUDA it must not matter)
        model.zero_grad()
        out = model(x)[0]
        out.sum().backward()
        return [m for d in drawn for m in (d.input, d.hidden)], out, \
            [p.grad.clone() for p in model.parameters()]

    masks, out, grads = run(11)
    assert len(masks) == 4 and all(m.device == x.device for m in masks)
    again = run(11)
    assert all(torch.equal(a, b) for a, b in zip(masks, again[0]))
    torch.testing.assert_close(again[1], out, rtol=0, atol=0)
    for g, r in zip(again[2], grads):
        torch.testing.assert_close(g, r)
    other = run(12)
    assert not all(torch.equal(a, b) for a, b in zip(masks, other[0]))

