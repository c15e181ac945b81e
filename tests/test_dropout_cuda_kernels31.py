"""Variational dropout (session 31) on the device, the kernels' side: in eval mode the
rates change nothing and torch.nn's kernel (cuDNN on CUDA) runs and equals torch.nn; an
impl that forces a kernel is refused while h_{t-1} is masked; bf16/fp16 autocast trains
finite with the masks. On the CPU here and on CUDA where there is one
(``benchmarks/run_gpu.sh`` runs this file); helpers: test_dropout_cuda31.py.
"""

from __future__ import annotations

import pytest
import torch

from rnnlab import nn as rnn
from rnnlab.io.errors import UnsupportedError
from rnnlab.nn import LSTM, DTRNNCell, LSTMCell, Recurrent, dispatch
from rnnlab.nn.registry import build_model
from test_dropout_cuda31 import DEVICES, F32, RATES, B, H, I, T, replaying, sequence, tol
from test_dropout_cuda31 import drawn, no_tf32  # noqa: F401  (the fixtures)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
def test_eval_mode_equals_torch_nn_on_the_device(no_tf32, kind, device, dtype):
    """In eval mode the rates change nothing: a 2-layer bidirectional drop-in and a
    ``Recurrent`` layer, on torch's kernel and on the step loop, against torch.nn (cuDNN
    on CUDA, float64 too: cuDNN takes doubles), outputs; and the gradients where there
    are (cuDNN has no backward in eval mode, for torch.nn's layers neither: torch's
    kernel is compared on the CPU, the step loop on both)."""
    torch.manual_seed(3)
    theirs = getattr(torch.nn, kind)(I, H, num_layers=2, bidirectional=True)
    theirs = theirs.to(device, dtype)
    x = torch.randn(T, B, I, dtype=dtype, device=device, requires_grad=True)
    if device == "cuda":
        assert torch.backends.cudnn.is_acceptable(x)
    mine = [getattr(rnn, kind)(I, H, num_layers=2, bidirectional=True, impl=impl, **RATES)
            for impl in ("auto", "reference")]
    for m in mine:
        m.load_state_dict(theirs.state_dict())
    mine = [m.to(device, dtype).eval() for m in mine]
    assert [m.path_for(x) for m in mine] == ["fused", "reference"]
    with torch.no_grad():
        want = theirs.eval()(x)[0]
        for m in mine:
            torch.testing.assert_close(m(x)[0], want, **tol(dtype))
    want = theirs.train()(x)[0]  # (no dropout between its layers: eval's function)
    w = torch.randn_like(want)
    g_want = torch.autograd.grad((want * w).sum(), [x, *theirs.parameters()])
    for m in mine[1:] if device == "cuda" else mine:
        got = torch.autograd.grad((m(x)[0] * w).sum(), [x, *m.parameters()])
        for g, r in zip(got, g_want):
            torch.testing.assert_close(g, r, **tol(dtype))
    one = getattr(torch.nn, kind)(I, H).to(device, dtype).eval()
    cell = getattr(rnn, f"{kind}Cell")(I, H)
    cell.load_state_dict({k[:-3]: v for k, v in one.state_dict().items()})
    layer = Recurrent(cell, **RATES).to(device, dtype).eval()
    assert layer.path_for(x) == "fused"
    with torch.no_grad():
        torch.testing.assert_close(layer(x)[0], one(x)[0], **tol(dtype))


def kernel_runs(impl, cell, x) -> bool:
    """Whether ``impl``'s kernel runs ``cell`` on ``x`` here (Triton: on CUDA with Triton
    installed, or in its CPU interpreter, which conftest turns on without a GPU)."""
    return not impl.startswith("triton") or dispatch.triton_reason(cell, x) is None


def kernel_layer(impl):
    """A layer with both rates whose ``impl`` forces a kernel: the drop-in LSTM for
    torch's ("fused"), a DT-RNN layer for rnnlab's."""
    if impl == "fused":
        return LSTM(I, H, impl=impl, **RATES)
    return Recurrent(DTRNNCell(I, H, depth=2), impl=impl, **RATES)


def reference_of(layer):
    """The same layer (its weights) on the step loop."""
    if isinstance(layer, LSTM):
        ref = LSTM(I, H, impl="reference").to(next(layer.parameters()).device)
        ref.load_state_dict(layer.state_dict())
        return ref
    return Recurrent(layer.cell, impl="reference")


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("impl", ["fused", "fast", "triton", "triton-split", "triton-resident"])
def test_a_forced_kernel_impl_is_refused_while_h_is_masked_before_any_mask(
        drawn, no_tf32, impl, device):
    """No kernel takes the h mask: a call that forces one is an UnsupportedError saying
    what runs it, before a mask is drawn (the model's build refuses it too); in eval mode
    (no mask) the kernel is the path, and runs and equals the step loop (Triton's: in its
    CPU interpreter here)."""
    layer = kernel_layer(impl).to(device).train()
    x = torch.randn(T, B, I, device=device)
    with pytest.raises(UnsupportedError, match=r"recurrent_dropout.*impl='auto'"):
        layer(x)
    assert drawn == []
    runs = kernel_runs(impl, getattr(layer, "cell", None), x)
    with pytest.raises(UnsupportedError, match="recurrent_dropout" if runs else "impl"):
        layer.path_for(x)  # (where Triton cannot run, that is said first)
    with pytest.raises(UnsupportedError, match="recurrent_dropout"):
        build_model("dt-rnn" if impl != "fused" else "lstm", input_size=I, hidden_size=H,
                    impl=impl, recurrent_dropout=0.2)
    layer.eval()
    if not runs:
        return
    want = {"fused": "fused", "fast": "fast-torch"}.get(impl, f"fast-{impl}")
    assert layer.path_for(x) == want
    if impl.startswith("triton") and device == "cuda":
        return  # (a Triton compile costs seconds on a GPU: test_triton_* run the kernels)
    out = layer(x)[0]
    ref = reference_of(layer).eval()(x)[0]
    torch.testing.assert_close(out, ref, **F32)


def autocast_cases():
    cases = []
    for device in DEVICES:
        for low in (torch.bfloat16, torch.float16):
            cases.append(pytest.param(device, low, id=f"{getattr(device, 'values', [device])[0]}"
                                      f"-{str(low)[6:]}", marks=getattr(device, "marks", ())))
    return cases


AUTOCAST_MODELS = [
    ("recurrent-lstm", lambda: Recurrent(LSTMCell(I, 16), **RATES)),
    ("dropin-lstm-inputs", lambda: LSTM(I, 16, num_layers=2, input_dropout=0.3)),
    ("gru-cho", lambda: build_model("gru-cho", input_size=I, hidden_size=16, **RATES)),
    ("dt-rnn", lambda: build_model("dt-rnn", input_size=I, hidden_size=16, **RATES)),
]


@pytest.mark.parametrize("device, low", autocast_cases())
@pytest.mark.parametrize("name, make", AUTOCAST_MODELS, ids=[m[0] for m in AUTOCAST_MODELS])
def test_autocast_with_masks_trains_finite_and_near_float32(
        monkeypatch, drawn, name, make, device, low):
    """A float32 model trained under bf16/fp16 autocast with masks: the masks in their
    layer's input's dtype, the outputs and every gradient finite, and the outputs within
    0.1 of the float32 call given the same masks (16 units, 6 steps; bf16 keeps 8 bits)."""
    torch.manual_seed(5)
    model = make().to(device).train()
    x = sequence(model, device, torch.float32)
    with torch.autocast(device, dtype=low):
        out = model(x)[0]
    # (the first layer's in x's float32; a layer after one whose output autocast left in
    # the low dtype (torch's LSTM on the CPU) draws in that dtype, as its input is)
    assert drawn and {m.dtype for m in (drawn[0].input, drawn[0].hidden) if m is not None} \
        == {torch.float32}
    assert {m.dtype for d in drawn for m in (d.input, d.hidden) if m is not None} <= \
        {torch.float32, low}
    params = [p for p in model.parameters()]
    grads = torch.autograd.grad(out.float().square().mean(), [x, *params])
    assert bool(torch.isfinite(out).all())
    assert all(bool(torch.isfinite(g).all()) for g in grads)
    with replaying(monkeypatch, drawn):
        full = model(x)[0]
    torch.testing.assert_close(out.float(), full, rtol=0.1, atol=0.1)
