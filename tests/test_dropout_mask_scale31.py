"""Under CPU autocast (bf16) the second layer of a stack reads the first's bf16 output,
and its variational dropout masks were drawn in that dtype: a kept unit was scaled by
bf16's nearest to 1/(1-p) (1/0.7 = 1.4286 became 1.4297), a bias in expectation of every
masked unit. The masks are now drawn in the layer's wider weights' dtype, so E[mask] =
(1-p) * scale is 1 within float32's rounding; float32 and float64 calls draw and compute
what they did, bit for bit."""

from __future__ import annotations

import pytest
import torch

from rnnlab.nn import LSTM
from rnnlab.nn import recurrent as recurrent_module
from rnnlab.nn import variational

P = 0.3


@pytest.fixture
def drawn(monkeypatch):
    """The masks each Recurrent call draws, in call order."""
    calls = []
    real = recurrent_module.draw_masks

    def record(*args):
        calls.append(real(*args))
        return calls[-1]

    monkeypatch.setattr(recurrent_module, "draw_masks", record)
    return calls


def _model(dtype=torch.float32):
    torch.manual_seed(0)
    return LSTM(3, 8, num_layers=2, input_dropout=P, recurrent_dropout=P).to(dtype).train()


def test_every_layers_mask_is_one_in_expectation_under_cpu_bf16_autocast(drawn):
    model = _model()
    x = torch.randn(5, 64, 3)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        model(x)
    masks = [m for d in drawn for m in (d.input, d.hidden) if m is not None]
    assert len(masks) == 4  # (two layers, an input and a hidden mask each)
    for m in masks:
        kept = m[m != 0].double()
        assert kept.numel() and bool((kept == kept[0]).all())
        assert abs((1 - P) * kept[0].item() - 1) < 1e-6  # (bf16's 1.4297: 8e-4 off)


def test_a_bf16_input_is_scaled_then_rounded_once():
    """The masked input keeps x's dtype (what the layer read before), each value the bf16
    nearest to x * 1/(1-p), not x times bf16's rounded scale."""
    x = torch.full((4, 200, 3), 1.7, dtype=torch.bfloat16)
    like = variational.mask_like(x, _model())
    assert like.dtype == torch.float32 and like.device == x.device
    m = variational.draw_masks(P, 0.0, 200, 3, 8, like).input
    got = (x * m).to(x.dtype)
    assert got.dtype == torch.bfloat16
    want = (x.double() * (m.double() != 0) / (1 - P)).to(torch.bfloat16)
    assert torch.equal(got, want)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_float32_and_float64_draw_and_compute_as_before(monkeypatch, dtype):
    """The masks take x itself as their pattern (x's dtype), and a call equals, bit for
    bit, the one that drew with ``like=x`` as before the change, outputs and gradients."""
    x = torch.randn(5, 6, 3, dtype=dtype)
    model = _model(dtype)
    assert variational.mask_like(x, model) is x

    def run():
        torch.manual_seed(7)
        out = model(x)[0]
        return out, torch.autograd.grad(out.square().sum(), list(model.parameters()))

    out, grads = run()
    monkeypatch.setattr(recurrent_module, "mask_like", lambda x, cell: x)  # (the old draw)
    out0, grads0 = run()
    assert torch.equal(out, out0) and all(torch.equal(a, b) for a, b in zip(grads, grads0))
