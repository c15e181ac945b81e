"""``impl="triton-resident"`` (rnnlab.nn.fast.dt_resident): the DT-RNN Triton loop with the
weights kept on chip equals the reference loop, forward and backward, and the dispatch
says when it runs ``triton-split`` instead.

Without a GPU the kernels run in Triton's CPU interpreter (conftest sets
``TRITON_INTERPRET=1``), float64: one program per batch block as a GPU would run the
small sizes here, and, with a smaller on-chip budget, several programs per block (the
column split), whose barriers the launcher then replaces by one launch per phase. On a
GPU the same tests compile and run for real, plus one at C3's width in float32.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from test_triton_paths import _PROBLEM, DEVICE, LENGTHS, cell, x64  # noqa: E402  (skips as it does)

from rnnlab.nn import GRUCell, Recurrent, dispatch  # noqa: E402
from rnnlab.nn.deep import DTRNNCell  # noqa: E402
from rnnlab.nn.fast import dt_resident  # noqa: E402
from rnnlab.nn.registry import build_model  # noqa: E402
from rnnlab.nn.paths import set_impl  # noqa: E402

from test_fast_paths import assert_equal_paths, run_both  # noqa: E402

pytestmark = pytest.mark.skipif(_PROBLEM is not None, reason=str(_PROBLEM))

IMPL = "triton-resident"
T, B, I, H = 5, 3, 4, 5  # LENGTHS (5, 2, 4) is test_triton_paths.py's


def resident(model, x):
    """The model on the resident path (every recurrent layer), in float64 on DEVICE."""
    model = model.double().to(DEVICE)
    set_impl(model, IMPL)
    assert {m.path_for(x) for m in model.modules() if isinstance(m, Recurrent)} == \
        {"fast-triton-resident"}
    return model


@pytest.mark.parametrize("depth,shortcut,act,bias,reverse,lengths", [
    (1, False, "tanh", True, False, None),
    (2, True, "relu", True, True, LENGTHS),
    (3, False, "tanh", False, False, LENGTHS),
    (4, True, "tanh", True, False, LENGTHS),
    (4, False, "relu", True, True, None),
])
def test_resident_equals_reference(depth, shortcut, act, bias, reverse, lengths):
    torch.manual_seed(60 + depth)
    x = x64(T, B, I)
    c = cell(I, depth, shortcut, width=7, nonlinearity=act, bias=bias)
    model = resident(Recurrent(c, reverse=reverse), x)
    assert_equal_paths(model, x, x64(B, H), lengths, fast_impl=IMPL)


@pytest.mark.parametrize("depth,shortcut,h,width,budget,nsplit", [
    (4, True, 20, 18, 24 * 1024, 2),  # two middle layers, the shortcut's columns
    (2, False, 40, 37, 16 * 1024, 4),  # padded K and N, ragged last tiles
])
def test_resident_column_split_over_programs(monkeypatch, depth, shortcut, h, width, budget,
                                             nsplit):
    """Several programs per batch block, each with its own column tiles; 19 rows: two
    batch blocks, the second ragged."""
    monkeypatch.setattr(dt_resident, "RESIDENT_BYTES", budget)
    torch.manual_seed(70 + depth)
    c = cell(I, depth, shortcut, h=h, width=width)
    assert dt_resident.layout(*dt_resident.cell_sizes(c)[:3], depth, 8).nsplit == nsplit
    b = 19
    x = x64(3, b, I)
    model = resident(Recurrent(c), x)
    assert_equal_paths(model, x, x64(b, h), torch.tensor([3, 1, 2] * 6 + [2]), fast_impl=IMPL)


@pytest.mark.parametrize("name", ["dts-rnn", "dot-rnn"])
def test_resident_registry_models(name):
    torch.manual_seed(80)
    model = build_model(name, input_size=I, hidden_size=H, depth=3)
    x = x64(B, T, I)
    model = resident(model, x)
    layers = len(model.body.layers)
    assert_equal_paths(model, x, [x64(B, H) for _ in range(layers)], LENGTHS, fast_impl=IMPL)


def test_resident_float32_close_to_reference():
    """float32 takes the kernels' ``tl.dot`` branch (float64 multiplies and sums)."""
    torch.manual_seed(81)
    model = Recurrent(cell(I, 4, False, width=9), impl=IMPL).to(DEVICE)
    x, h0 = torch.randn(T, B, I, device=DEVICE), torch.randn(B, H, device=DEVICE)
    ref, fst = run_both(model, x, h0, LENGTHS, fast_impl=IMPL)
    for a, b in zip(ref, fst):
        torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5)


@pytest.mark.skipif(DEVICE != "cuda", reason="C3's width (several programs per block) needs a GPU")
@pytest.mark.parametrize("shortcut", [False, True])
def test_resident_c3_width_on_gpu(shortcut):
    """H = 128, depth 4 (C3's dt-rnn / dts-rnn layer): 4 or 8 programs per batch block
    meet at the real barrier; 40 rows: three batch blocks."""
    torch.manual_seed(82)
    b, h, T_ = 40, 128, 9
    c = cell(8, 4, shortcut, h=h)
    assert dt_resident.layout(*dt_resident.cell_sizes(c)[:3], 4, 4).nsplit > 1
    model = Recurrent(c, impl=IMPL).to(DEVICE)
    x = torch.randn(T_, b, 8, device=DEVICE)
    assert model.path_for(x) == "fast-triton-resident"
    lengths = torch.randint(1, T_ + 1, (b,))
    ref, fst = run_both(model, x, torch.randn(b, h, device=DEVICE), lengths, fast_impl=IMPL)
    for a, b_ in zip(ref, fst):
        torch.testing.assert_close(b_, a, rtol=1e-4, atol=1e-5)


# -- the Cho-form GRU (gru-cho) ---------------------------------------------------------------
@pytest.mark.parametrize("h,bias,reverse,lengths,nsplit", [
    (16, True, False, LENGTHS, 1),  # W_rz^T in one 32-column tile
    (20, False, True, None, 2),  # K padded to 32, ragged last tiles
    (40, True, False, LENGTHS, 4),  # four programs per block
])
def test_resident_gru_cho_equals_reference(h, bias, reverse, lengths, nsplit):
    from rnnlab.nn.fast import gru_cho_resident

    assert gru_cho_resident._nsplit(h, 8) == nsplit
    torch.manual_seed(90)
    x = x64(T, B, I)
    model = resident(Recurrent(GRUCell(I, h, bias=bias, reset_after=False), reverse=reverse), x)
    assert_equal_paths(model, x, x64(B, h), lengths, fast_impl=IMPL)


# -- which path runs, and why not --------------------------------------------------------------
def test_resident_falls_back_to_split_with_the_reason(monkeypatch):
    x = torch.randn(T, B, I, device=DEVICE)
    small = cell(I, 4, False, h=128)
    assert dispatch.resident_reason(small, x) is None
    assert Recurrent(small, impl=IMPL).path_for(x) == "fast-triton-resident"
    big = cell(I, 4, False, h=512)  # C1's width: no longer fits, even in 16-column tiles
    assert "do not fit on chip" in dispatch.resident_reason(big, x)
    assert "512" in dispatch.resident_reason(big, x)
    assert Recurrent(big, impl=IMPL).path_for(x) == "fast-triton-split"
    deep = cell(I, 5, False)
    assert "depth 5 > 4" in dispatch.resident_reason(deep, x)
    assert Recurrent(deep, impl=IMPL).path_for(x) == "fast-triton-split"
    gru = GRUCell(I, 128, reset_after=False)
    assert dispatch.resident_reason(gru, x) is None
    assert Recurrent(gru, impl=IMPL).path_for(x) == "fast-triton-resident"
    big_gru = GRUCell(I, 1024, reset_after=False)
    assert "hidden_size=1024" in dispatch.resident_reason(big_gru, x)
    assert Recurrent(big_gru, impl=IMPL).path_for(x) == "fast-triton-split"
    monkeypatch.setattr(dispatch, "KERNELS", {**dispatch.KERNELS, DTRNNCell: dispatch.CellKernels(
        rnnlab=dispatch.KERNELS[DTRNNCell].rnnlab)})  # a kernel without a resident form
    assert "DTRNNCell has no resident-weights kernel yet" in dispatch.resident_reason(small, x)
    assert Recurrent(small, impl=IMPL).path_for(x) == "fast-triton-split"


def test_resident_refuses_what_triton_cannot_run():
    x16 = torch.randn(T, B, I, dtype=torch.float16, device=DEVICE)
    with pytest.raises(RuntimeError, match=r"impl='triton-resident'.*float16.*impl='auto'"):
        Recurrent(cell(I, 2, False), impl=IMPL).path_for(x16)


def test_resident_layout_fits_the_budget():
    """C3 (H = 128, depth 4, fp32): 4 programs per block, 16K weight elements each."""
    lay = dt_resident.layout(128, 128, 128, 4, 4)
    assert (lay.nsplit, lay.bn_f, lay.elements) == (4, 32, 16384)
    assert lay.elements * 4 <= dt_resident.RESIDENT_BYTES
    assert dt_resident.layout(128, 128, 256, 4, 4).nsplit == 8  # dts-rnn: the shortcut's H
    assert dt_resident.layout(512, 512, 512, 4, 4) is None


@pytest.mark.skipif(torch.cuda.is_available(), reason="on a GPU the kernels run for real")
def test_resident_kernels_compile_for_sm90_with_weights_on_chip():
    """Triton's sm_90 compiler accepts the kernels at C3's size, and its IR puts each
    weight tile on chip once, before the time loop (tests/triton_resident_aot_check.py)."""
    pytest.importorskip("triton.compiler")
    env = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}
    env["TRITON_DEFAULT_FP_FUSION"] = "1"
    script = Path(__file__).with_name("triton_resident_aot_check.py")
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("compiled _") == 4, done.stdout
    assert done.stdout.count("4 resident tiles") == 2, done.stdout  # the DT-RNN's
