"""The Triton loop for DTRNNCell equals the reference loop, forward and backward, float64.

On a CUDA machine the kernels compile and run on the GPU. Without one, conftest sets
``TRITON_INTERPRET=1`` and the same kernels run in Triton's CPU interpreter: slow, so
the sizes are small, but it executes the kernels' code (every tile loop, mask and
barrier-separated phase) and checks what it computes.
"""

from __future__ import annotations

import os

import pytest
import torch

# CI sets this: there the Triton tests must run, not skip (a missing or unusable Triton
# would otherwise pass silently)
REQUIRED = os.environ.get("RNNLAB_REQUIRE_TRITON_TESTS") == "1"
if not REQUIRED:
    pytest.importorskip("triton")

from rnnlab.nn import Bidirectional, GRUCell, Recurrent, Stacked  # noqa: E402
from rnnlab.nn import dispatch  # noqa: E402
from rnnlab.nn.deep import DTRNNCell  # noqa: E402
from rnnlab.nn.fast import triton_common  # noqa: E402
from rnnlab.nn.registry import build_model  # noqa: E402
from rnnlab.nn.paths import set_impl  # noqa: E402

from test_fast_paths import assert_equal_paths, outputs_and_grads, run_both  # noqa: E402

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def _interpreter_problem():
    """Why this Triton's CPU interpreter cannot run the kernels, or None. (Triton 3.6's
    interpreter, with numpy 2, cannot loop ``range(n)`` over a runtime int; 3.9's can.)"""
    if DEVICE == "cuda":
        return None
    if not triton_common.interpreting():
        return "no CUDA device, and Triton's interpreter was off when the kernels were imported"
    import triton
    import triton.language as tl

    @triton.jit
    def probe(out, n):
        acc = 0
        for i in range(n):
            acc += i
        tl.store(out, acc)

    out = torch.zeros(1, dtype=torch.int32)
    try:
        probe[(1,)](out, 4)
    except Exception as e:  # noqa: BLE001 - any failure means: cannot test here
        return f"Triton {triton.__version__}'s interpreter cannot run the kernels here: {e}"
    return None if int(out) == 6 else "Triton's interpreter computed a wrong probe"


_PROBLEM = _interpreter_problem()
if _PROBLEM is not None and REQUIRED:
    pytest.fail(f"RNNLAB_REQUIRE_TRITON_TESTS=1 but {_PROBLEM}", pytrace=False)
pytestmark = pytest.mark.skipif(_PROBLEM is not None, reason=str(_PROBLEM))

T, B, I, H = 5, 3, 4, 5
LENGTHS = torch.tensor([5, 2, 4])
DT_CASES = [(d, s) for d in (1, 2, 3, 4) for s in (False, True) if not (s and d == 1)]


def grid(full, kept):
    """The whole grid of a test, with the cases not in ``kept`` marked slow: in Triton's
    CPU interpreter each case takes a second or more, so the default run keeps a subset
    that still meets every value of every option (and every pair of two-valued ones)."""
    return [c if c in kept else pytest.param(*c, marks=pytest.mark.slow) for c in full]


def _dt_layer_cases():
    full = [(d, s, r, l) for (d, s) in DT_CASES for r in (False, True) for l in (False, True)]
    kept = [(d, s, i % 2 == 1, i // 2 % 2 == 1) for i, (d, s) in enumerate(DT_CASES)]
    return grid(full, kept)


def _gru_cho_cases():
    full = [(i, r, b, l) for i in ("triton", "triton-split") for r in (False, True)
            for b in (True, False) for l in (False, True)]
    pairs = [(0, 0, 0, 0), (0, 1, 1, 1), (1, 0, 1, 1), (1, 1, 0, 1), (1, 1, 1, 0)]  # every pair
    kept = [(("triton", "triton-split")[i], r == 1, b == 0, l == 1) for i, r, b, l in pairs]
    return grid(full, kept)


def x64(*shape):
    return torch.randn(*shape, dtype=torch.float64, device=DEVICE)


def cell(i, depth, shortcut, h=H, **kw):
    if depth == 1:  # (a width shapes the intermediate layers, which depth 1 has none of:
        kw.pop("width", None)  # refused there since session 29)
    return DTRNNCell(i, h, depth=depth, shortcut=shortcut, **kw)


def check(model, x, state=None, lengths=None):
    model = model.double().to(DEVICE)
    set_impl(model, "triton")
    paths = {m.path_for(x) for m in model.modules() if isinstance(m, Recurrent)}
    assert paths == {"fast-triton"}
    assert_equal_paths(model, x, state, lengths, fast_impl="triton")


@pytest.mark.parametrize("depth,shortcut,reverse,with_lengths", _dt_layer_cases())
def test_triton_layer(depth, shortcut, reverse, with_lengths):
    torch.manual_seed(depth)
    model = Recurrent(cell(I, depth, shortcut, width=7), reverse=reverse, impl="triton")
    check(model, x64(T, B, I), x64(B, H), LENGTHS if with_lengths else None)


@pytest.mark.parametrize("depth,shortcut,nonlinearity,bias", grid(
    [(d, s, n, b) for d, s in [(1, False), (2, True), (3, False), (4, True)]
     for n in ("tanh", "relu") for b in (True, False)],
    [(1, False, "tanh", True), (2, True, "relu", False), (3, False, "relu", True),
     (4, True, "tanh", False)]))
def test_triton_nonlinearity_bias_zero_state(depth, shortcut, nonlinearity, bias):
    torch.manual_seed(10 + depth)
    model = Recurrent(cell(I, depth, shortcut, nonlinearity=nonlinearity, bias=bias))
    check(model, x64(T, B, I), None, LENGTHS)


@pytest.mark.parametrize("depth,shortcut", [(1, False), (2, True), (4, False)])
def test_triton_many_tiles_and_programs(depth, shortcut):
    """Sizes past one tile (H, width > BLOCK_N) and one program (B > BLOCK_B)."""
    torch.manual_seed(20 + depth)
    b, h = 19, 40
    lengths = torch.tensor([3, 1, 2] * 6 + [2])
    model = Recurrent(cell(I, depth, shortcut, h=h, width=37))
    check(model, x64(3, b, I), x64(b, h), lengths)


@pytest.mark.parametrize("depth,shortcut", [(1, False), (3, True)])
def test_triton_split_synchronisation_path(depth, shortcut):
    """The split kernels' counter synchronisation: one program per block on CPU (the
    interpreter runs programs one after another), several on a GPU."""
    torch.manual_seed(30 + depth)
    b, h = 19, 40
    model = Recurrent(cell(I, depth, shortcut, h=h, width=37)).double().to(DEVICE)
    model.impl = "triton-split"
    assert model.path_for(x64(1, b, I)) == "fast-triton-split"
    assert_equal_paths(model, x64(4, b, I), x64(b, h), torch.tensor([4, 1, 3] * 6 + [2]),
                       fast_impl="triton-split")


@pytest.mark.skipif(DEVICE != "cuda", reason="several programs per batch block need a GPU")
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_triton_split_many_programs_on_gpu(dtype):
    torch.manual_seed(40)
    b, h, T_ = 40, 200, 7
    c = cell(I, 3, True, h=h, width=150)
    assert triton_common.plan(b, 200, torch.empty(1, device=DEVICE), True).nsplit > 1
    model = Recurrent(c, impl="triton-split").to(DEVICE, dtype)
    x = torch.randn(T_, b, I, device=DEVICE, dtype=dtype)
    lengths = torch.randint(1, T_ + 1, (b,))
    ref, fst = run_both(model, x, torch.randn(b, h, device=DEVICE, dtype=dtype), lengths,
                        fast_impl="triton-split")
    tol = dict(rtol=1e-10, atol=1e-12) if dtype == torch.float64 else dict(rtol=1e-4, atol=1e-5)
    for a, b_ in zip(ref, fst):
        torch.testing.assert_close(b_, a, **tol)


@pytest.mark.parametrize("lengths", [None, LENGTHS])
def test_triton_stacked_bidirectional(lengths):
    torch.manual_seed(4)
    model = Stacked([
        Bidirectional(Recurrent(cell(I, 3, True)), Recurrent(cell(I, 3, True), reverse=True)),
        Recurrent(cell(2 * H, 4, False, width=6)),
    ])
    set_impl(model, "triton")
    check(model, x64(T, B, I), [(x64(B, H), x64(B, H)), x64(B, H)], lengths)


@pytest.mark.parametrize("name", ["dt-rnn", "dts-rnn", "dot-rnn", "stacked-dt-rnn"])
def test_triton_registry_models(name):
    torch.manual_seed(5)
    model = build_model(name, input_size=I, hidden_size=H, depth=3)
    set_impl(model, "triton")
    layers = len(model.body.layers)
    x = x64(B, T, I)
    model = model.double().to(DEVICE)
    assert_equal_paths(model, x, [x64(B, H) for _ in range(layers)], LENGTHS, fast_impl="triton")


def test_triton_float32_close_to_reference():
    torch.manual_seed(6)
    model = Recurrent(cell(I, 4, True, width=9), impl="triton").to(DEVICE)
    x, h0 = torch.randn(T, B, I, device=DEVICE), torch.randn(B, H, device=DEVICE)
    ref, fst = run_both(model, x, h0, LENGTHS, fast_impl="triton")
    for a, b in zip(ref, fst):
        torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5)


def test_triton_large_activations_saturate_like_torch():
    """The kernel's tanh (built from exp) holds at ±large, tiny and zero pre-activations."""
    torch.manual_seed(7)
    c = cell(I, 2, False, width=6).double().to(DEVICE)
    with torch.no_grad():
        for p in c.parameters():
            p.mul_(40.0)
    x = x64(T, B, I)
    x[0, 0] = 0.0
    x[1, 1] = 1e-9
    model = Recurrent(c, impl="triton")
    ref, fst = run_both(model, x, x64(B, H), None, fast_impl="triton")
    for a, b in zip(ref, fst):
        torch.testing.assert_close(b, a, rtol=1e-10, atol=1e-12)


# -- which path runs, and why not ------------------------------------------------------------
def test_auto_runs_torch_ops_until_triton_is_measured_and_says_so():
    x = torch.randn(T, B, I, device=DEVICE)
    assert Recurrent(cell(I, 3, False)).path_for(x) == "fast-torch"
    assert Recurrent(cell(I, 3, False), impl="fast").path_for(x) == "fast-torch"
    assert Recurrent(cell(I, 3, False), impl="triton").path_for(x) == "fast-triton"
    assert Recurrent(cell(I, 3, False), impl="triton-split").path_for(x) == "fast-triton-split"
    assert Recurrent(cell(I, 3, False), impl="reference").path_for(x) == "reference"


def test_triton_refuses_what_it_cannot_run_with_the_reason():
    x16 = torch.randn(T, B, I, dtype=torch.float16, device=DEVICE)
    layer = Recurrent(cell(I, 2, False), impl="triton").to(DEVICE).half()
    with pytest.raises(RuntimeError, match=r"impl='triton'.*float16.*impl='auto'"):
        layer(x16)
    gru = Recurrent(GRUCell(I, H), impl="triton")  # torch's GRU form: no rnnlab kernel
    with pytest.raises(RuntimeError, match=r"GRUCell has no Triton kernel \(DTRNNCell and"):
        gru.path_for(torch.randn(T, B, I))
    reason = dispatch.triton_reason(cell(I, 2, False), torch.randn(1, 1, 1))
    if DEVICE == "cuda":  # compiled kernels: CPU tensors are refused, with the way out
        assert "CUDA" in reason
    else:  # interpreted kernels run CPU tensors
        assert reason is None


def test_reason_names_missing_triton(monkeypatch):
    monkeypatch.setattr(triton_common, "triton", None)
    assert "not installed" in triton_common.unavailable_reason(torch.randn(1, 1, 1))


def test_triton_tanh_keeps_relative_precision_near_zero():
    """h = tanh(x U^T) for tiny x: the kernel's tanh must not lose digits to cancellation."""
    c = cell(I, 1, False, bias=False).double().to(DEVICE)
    with torch.no_grad():
        c.weight_hh.zero_()
    x = 1e-7 * x64(T, B, I)
    with torch.no_grad():
        out, _ = Recurrent(c, impl="triton")(x)
        expect = torch.tanh(x @ c.weight_ih.t())
    torch.testing.assert_close(out, expect, rtol=1e-13, atol=0)


# -- the Cho-form GRU (gru-cho) ----------------------------------------------------------------
@pytest.mark.parametrize("impl,reverse,bias,with_lengths", _gru_cho_cases())
def test_triton_gru_cho_layer(impl, reverse, bias, with_lengths):
    torch.manual_seed(50)
    model = Recurrent(GRUCell(I, H, bias=bias, reset_after=False), reverse=reverse).double()
    model = model.to(DEVICE)
    model.impl = impl
    assert model.path_for(x64(1, B, I)) == f"fast-{impl}"
    assert_equal_paths(model, x64(T, B, I), x64(B, H), LENGTHS if with_lengths else None,
                       fast_impl=impl)


@pytest.mark.parametrize("impl", ["triton", "triton-split"])
def test_triton_gru_cho_many_tiles_and_programs(impl):
    torch.manual_seed(51)
    b, h = 19, 40
    model = Recurrent(GRUCell(I, h, reset_after=False)).double().to(DEVICE)
    model.impl = impl
    assert_equal_paths(model, x64(3, b, I), x64(b, h), torch.tensor([3, 1, 2] * 6 + [2]),
                       fast_impl=impl)


def test_triton_gru_cho_registry_model_and_float32():
    """The registry's gru-cho (a torch-compatible GRU) takes impl through to its loop."""
    torch.manual_seed(52)
    model = build_model("gru-cho", input_size=I, hidden_size=H, num_layers=2).to(DEVICE)
    body = model.body
    body.impl = "triton"
    x = torch.randn(B, T, I, device=DEVICE)
    assert body.path_for(x) == "fast-triton"
    ref, fst = outputs_and_grads(model, x, LENGTHS, lambda impl: setattr(body, "impl", impl),
                                 ("reference", "triton"))
    for a, b in zip(ref, fst):
        torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", ["dt-rnn", "gru-cho"])
def test_build_model_takes_the_triton_impl(name):
    model = build_model(name, input_size=I, hidden_size=H, impl="triton")
    x = torch.randn(B, T, I, device=DEVICE)
    paths = {m.path_for(x) for m in model.modules() if hasattr(m, "path_for")}
    assert paths == {"fast-triton"}
    out, _ = model.to(DEVICE)(x)
    assert out.shape[:2] == (B, T)
