"""A researcher's sweep of training at scale on CPUs: mixed precision (also where oneDNN
has no bf16/fp16 LSTM), gradient checkpointing, torch.compile, DDP over gloo, long
sequences and seeds, around rnnlab's layers and its training commands."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from rnnlab.nn import LSTM
from rnnlab.nn.fast import lowp_lstm
from rnnlab.nn.registry import build_model

ROOT = Path(__file__).resolve().parents[1]

COMPILED_LSTMS = {
    "LSTM": lambda: LSTM(3, 5, num_layers=2, batch_first=True),
    "bilstm-model": lambda: build_model("bilstm", input_size=3, hidden_size=5),
}
SLOW = pytest.mark.slow  # torch.compile: 3-10 s a test on 2 busy cores (dynamo's first, ~5 s)


def _probe_as_traced(monkeypatch):
    """This CPU as one whose oneDNN has no low-precision LSTM (an AVX2 CPU), whose probe,
    traced by dynamo, answers as the real one did there: on fake tensors the kernel
    "runs", so inside torch.compile it said supported."""
    monkeypatch.setattr(lowp_lstm, "lowp_lstm_supported",
                        lambda dtype: torch.compiler.is_compiling())


def _eager_and_compiled(model, dtype):
    x = torch.randn(2, 6, 3)
    results = []
    for run in (model, torch.compile(model, backend="aot_eager")):
        torch._dynamo.reset()
        with torch.autocast("cpu", dtype=dtype):
            out, _ = run(x)
        results.append((out, torch.autograd.grad(out.sum(), list(model.parameters()))))
    return results


@SLOW
@pytest.mark.parametrize("name", ["LSTM", "bilstm-model"])
def test_a_compiled_lstm_under_autocast_runs_fp32_where_onednn_has_no_low_precision_lstm(
        monkeypatch, name):
    """torch.compile of the drop-in LSTM (and of the registry's LSTMs, built on it) under a
    CPU autocast whose dtype oneDNN has no LSTM for: dynamo traced the kernel probe of
    lowp_lstm_supported (which said "supported" on fake tensors) and dropped the fp32
    fallback, so the kernel ran in the autocast dtype: "could not create a primitive
    descriptor" on an AVX2 CPU (ONEDNN_MAX_CPU_ISA=AVX2). Eager ran it in fp32, as the
    README says. The compiled call now does the same: the eager result, forward and
    backward."""
    _probe_as_traced(monkeypatch)
    torch.manual_seed(0)
    (out, grads), (out_c, grads_c) = _eager_and_compiled(COMPILED_LSTMS[name](), torch.bfloat16)
    assert out.dtype == out_c.dtype == torch.float32
    torch.testing.assert_close(out_c, out)
    torch.testing.assert_close(grads_c, grads)


@SLOW
@pytest.mark.skipif(lowp_lstm.lowp_lstm_supported(torch.float16),
                    reason="this CPU trains an fp16 LSTM (AVX-512-FP16 with AMX-FP16)")
def test_a_compiled_lstm_under_fp16_autocast_runs_on_this_cpu():
    """The same on this CPU, unsimulated: its oneDNN runs an fp16 LSTM for inference only,
    so a compiled LSTM under fp16 autocast failed in training."""
    torch.manual_seed(0)
    (out, grads), (out_c, grads_c) = _eager_and_compiled(COMPILED_LSTMS["LSTM"](), torch.float16)
    torch.testing.assert_close(out_c, out)
    torch.testing.assert_close(grads_c, grads)


@SLOW
def test_a_compiled_lstm_under_bf16_autocast_runs_on_an_avx2_cpu():
    """Unsimulated, bf16 on oneDNN limited to AVX2 (a subprocess: the limit is read once)."""
    code = ("import torch\nfrom rnnlab.nn import LSTM\nm = LSTM(3, 5, batch_first=True)\n"
            "x = torch.randn(2, 6, 3)\nwith torch.autocast('cpu', dtype=torch.bfloat16):\n"
            "    a, _ = m(x)\n    b, _ = torch.compile(m, backend='aot_eager')(x)\n"
            "print(a.dtype, b.dtype, bool((a - b).abs().max() < 1e-6))")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), ONEDNN_MAX_CPU_ISA="AVX2")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["torch.float32", "torch.float32", "True"]


def _reachable(fn):
    """Every autograd node reachable from ``fn``."""
    seen, todo = set(), [fn]
    while todo:
        node = todo.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        todo.extend(nxt for nxt, _ in node.next_functions)
    return seen


@pytest.mark.parametrize("lengths, reverse", [(None, False), ([40, 23, 7], True)])
def test_the_step_loop_reads_the_steps_in_one_backward_node_not_one_per_step(lengths, reverse):
    """The reference loop took its steps as xp[t]: the backward of each is a zero tensor of
    xp's whole (T, B, G) shape with one step filled, and autograd sums T of them, O(T^2):
    an LSTM of H = 64 on 8 sequences took 6.6 s for T = 2000 and 697 s for T = 8000 on
    the reference path (the path under autocast for the deep models, bf16-mixed included,
    and under vmap); the whole sequence's gradient is now one node (0.9 s and 3.5 s).
    Forward and backward equal torch.nn.LSTM's in float64, lengths and reverse included."""
    from rnnlab.nn import Bidirectional, LSTMCell, Recurrent

    torch.manual_seed(0)
    T, B = 40, 3
    ref = torch.nn.LSTM(2, 4, bidirectional=reverse, dtype=torch.float64)
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    suffixes = ["_l0", "_l0_reverse"][:1 + reverse]
    cells = [LSTMCell(2, 4, dtype=torch.float64) for _ in suffixes]
    for cell, suffix in zip(cells, suffixes):
        for name in names:
            getattr(cell, name).data.copy_(getattr(ref, name + suffix))
    layers = [Recurrent(c, reverse=bool(k), impl="reference") for k, c in enumerate(cells)]
    model = Bidirectional(*layers) if reverse else layers[0]
    x = torch.randn(T, B, 2, dtype=torch.float64, requires_grad=True)
    lens = None if lengths is None else torch.tensor(lengths)
    out, _ = model(x, lengths=lens)
    nodes = [type(n).__name__ for n in _reachable(out.grad_fn)]
    assert not [n for n in nodes if n.startswith("SelectBackward")], sorted(nodes)
    if lens is None:
        want, _ = ref(x)
    else:
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, lens, enforce_sorted=False)
        want, _ = torch.nn.utils.rnn.pad_packed_sequence(ref(packed)[0], total_length=T)
    torch.testing.assert_close(out, want)
    g = torch.randn_like(want)
    ref_params = [getattr(ref, name + suffix) for suffix in suffixes for name in names]
    torch.testing.assert_close(torch.autograd.grad(out, [x, *model.parameters()], g),
                               torch.autograd.grad(want, [x, *ref_params], g))


@pytest.mark.parametrize("argv", [
    ["lm", "train", "--corpus", str(ROOT / "../shared/data/the_time_machine.txt"),
     "--model", "dt-rnn", "--epochs", "1"],
    ["forecast", "--data", "airline", "--model", "gru-cho", "--epochs", "1"],
    ["compare", "--task", "forecast", "--data", "airline", "--models", "lstm", "dt-rnn"],
], ids=["lm-train", "forecast", "compare"])
def test_a_kernel_impl_under_mixed_precision_is_refused_before_the_run(tmp_path, capsys, argv):
    """--impl fast (or triton) with --precision bf16-mixed: rnnlab's kernels do not run under
    autocast, so the loop models trained on the step loop, 4x slower (a dt-rnn, H 32,
    T 50: 0.44 s against 0.11 s for fp32's kernel), the --impl accepted and ignored (the
    record said "reference"). Refused now, before the run directory, as an --impl a model
    does not read is."""
    from rnnlab.cli import main

    out = tmp_path / "run"
    assert main(argv + ["--impl", "fast", "--precision", "bf16-mixed", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--impl" in err and "--precision bf16-mixed" in err and "--precision 32" in err, err
    assert not out.exists()


def test_a_kernel_impl_in_fp32_and_the_step_loop_in_bf16_are_still_taken():
    from rnnlab.names import unread_impl

    assert unread_impl("fast", ["dt-rnn"], "--model dt-rnn", "", "32") is None
    assert unread_impl("reference", ["dt-rnn"], "--model dt-rnn", "", "bf16-mixed") is None
    assert unread_impl("auto", ["dt-rnn"], "--model dt-rnn", "", "16-mixed") is None


def test_versions_name_a_limit_on_onednns_instruction_sets(monkeypatch):
    """ONEDNN_MAX_CPU_ISA=AVX2 on this AVX-512 CPU: the same seeded lm train gave val bpc
    4.568315990084276 against 4.568315989950881 (the gap grows with training) and
    bf16-mixed trained the LSTM layers in fp32, while config.json's versions said
    torch_cpu_kernels AVX512 (ATen's kernels) either way."""
    from rnnlab.io.rundir import versions

    for name in ("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"):
        monkeypatch.delenv(name, raising=False)
    assert "onednn_max_cpu_isa" not in versions()  # (unset: the record as before)
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    assert versions()["onednn_max_cpu_isa"] == "AVX2"


@SLOW  # (10 s and 6 s on 2 busy cores)
@pytest.mark.parametrize("name", ["dt-rnn", "gru-cho"])
def test_torch_compile_runs_rnnlabs_kernels_whole_so_the_graph_does_not_grow_with_t(name):
    """torch.compile traced rnnlab's whole-sequence kernels (gru-cho, the deep-transition
    family), unrolling their loop over the steps into the graph: a dt-rnn (H 16, aot_eager)
    took 38 s to compile at T = 40 and 316 s at T = 160, and its compiled step ran 270 ms
    against 20 ms eager. The kernel now runs untraced, as torch's fused kernel does: the
    graphs are the same for every T (3.2 s and ~12 ms a step at T = 160). Results equal
    eager in float64, lengths included."""
    torch.manual_seed(0)
    model = build_model(name, input_size=2, hidden_size=3).double()
    nodes = {}

    def counting(gm, example_inputs):  # a backend that counts what dynamo traced
        traced = sum(len(m.graph.nodes) for m in gm.modules() if hasattr(m, "graph"))
        nodes[T] = nodes.get(T, 0) + traced  # (with the subgraphs of autograd Functions)
        return gm.forward

    for T in (3, 9):
        torch._dynamo.reset()
        x = torch.randn(2, T, 2, dtype=torch.float64)
        lengths = torch.tensor([T, T - 1])
        out, _ = model(x, lengths=lengths)
        grads = torch.autograd.grad(out.sum(), list(model.parameters()))
        out_c, _ = torch.compile(model, backend=counting)(x, lengths=lengths)
        torch.testing.assert_close(out_c, out)
        torch.testing.assert_close(torch.autograd.grad(out_c.sum(), list(model.parameters())),
                                   grads)
    assert nodes[3] == nodes[9], nodes
