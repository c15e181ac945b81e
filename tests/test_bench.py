"""``rnnlab bench`` runs end to end and reports what it measured (never asserts speed)."""

from __future__ import annotations

import argparse
import json

import pytest
import torch

from rnnlab.bench import CONFIGS, MODELS, BenchConfig, run_suite
from rnnlab.bench import cli as bench_cli
from rnnlab.bench.names import FAST_IMPLS
from rnnlab.bench.timing import median_seconds

TINY = BenchConfig("tiny", T=3, B=2, I=3, H=4, layers=1)
TINY_LM = BenchConfig("tiny-lm", T=3, B=2, I=3, H=4, layers=2, vocab=5)


# On a CPU the Triton rows run in Triton's interpreter (98% of the time of every path of
# every model): the default run times the torch-ops path of each model, and the Triton
# rows of one (test_suite_times_the_triton_rows_of_a_custom_cell); all paths: slow, 20 s
ALL_PATHS_SLOW = [pytest.param(FAST_IMPLS, marks=pytest.mark.slow, id="all-paths"),
                  pytest.param(("fast",), id="torch-ops")]


@pytest.mark.parametrize("impls", ALL_PATHS_SLOW)
def test_suite_rows_paths_and_anchors(impls):
    rows = run_suite([TINY, TINY_LM], MODELS, warmup=0, repeats=1, depth=2, impls=impls)
    for cfg in (TINY, TINY_LM):
        mine = [r for r in rows if r.config == cfg.name]
        by = {(r.model, r.path): r for r in mine}
        assert ("torch.nn.LSTM", "torch") in by and by["torch.nn.LSTM", "torch"].ratio is None
        assert ("rnnlab.nn.LSTM", "fused") in by and ("build_model('lstm')", "fused") in by
        assert by["rnnlab.nn.GRU", "fused"].anchor == "torch.nn.GRU"
        for cell in ("RNNCell", "GRUCell", "LSTMCell"):  # composed layers run torch's kernel
            assert f"Stacked(Recurrent({cell}))" in {m for m, p in by if p == "fused"}
        for name in ("gru-cho", "dt-rnn (depth 2)", "dts-rnn (depth 2)", "dot-rnn (depth 2)",
                     "dots-rnn (depth 2)", "stacked-dt-rnn (depth 2)"):
            fast, ref = by[name, "fast-torch"], by[name, "reference"]
            assert fast.anchor == ref.anchor == "torch.nn.LSTM"
            assert fast.ratio_ref is not None and fast.ratio_ref > 0 and ref.ratio_ref is None
        for r in mine:
            assert r.fwd_ms > 0 and r.fwd_bwd_ms > 0 and r.steps_per_s > 0
            assert r.dtype == "float32" and r.device == "cpu"
    stacked = [r for r in rows if r.model.startswith("stacked-dt-rnn") and r.config == "tiny"]
    assert all(r.layers == 2 for r in stacked)  # its minimum, above the workload's 1 layer


def test_suite_times_the_triton_rows_of_a_custom_cell():
    pytest.importorskip("triton")
    rows = run_suite([TINY], ["dt-rnn"], warmup=0, repeats=1, depth=2)
    by = {r.path: r for r in rows if r.model == "dt-rnn (depth 2)"}
    assert set(by) == {"reference", "fast-torch", "fast-triton", "fast-triton-split",
                       "fast-triton-resident"}, sorted(by)
    for r in by.values():
        assert r.anchor == "torch.nn.LSTM" and r.error is None, r
        assert r.fwd_ms > 0 and r.fwd_bwd_ms > 0 and r.steps_per_s > 0
        assert (r.ratio_ref is None) == (r.path == "reference"), r


@pytest.mark.parametrize("impls", ALL_PATHS_SLOW)
def test_variable_lengths_and_bidirectional_rows(impls):
    """--lengths variable: every row runs the same padded batch with lengths (torch.nn
    packed); the bidirectional standard models are measured against torch.nn's own."""
    from rnnlab.bench.suite import make_lengths, run_body

    cfg = BenchConfig("tiny-var", T=6, B=4, I=3, H=4, layers=2)
    rows = run_suite([cfg], ["bilstm", "gru", "dt-rnn"], warmup=0, repeats=1, depth=2,
                     lengths="variable", impls=impls)
    by = {r.model: r for r in rows}
    assert by["rnnlab.nn.LSTM (bidirectional)"].anchor == "torch.nn.LSTM (bidirectional)"
    assert by["build_model('bilstm')"].path == "fused"
    assert "Stacked(Bidirectional(Recurrent(LSTMCell)))" in by
    assert {r.lengths for r in rows} == {"variable"} and by["dt-rnn (depth 2)"].ratio > 0
    anchor = by["torch.nn.LSTM (bidirectional)"]
    mine = by["Stacked(Bidirectional(Recurrent(LSTMCell)))"]
    assert anchor.ratio_fwd is None
    assert mine.ratio_fwd == pytest.approx(mine.fwd_ms / anchor.fwd_ms)
    lengths = make_lengths(cfg)
    assert int(lengths.max()) == 6 and int(lengths.min()) >= 3
    torch.manual_seed(0)
    body = torch.nn.GRU(3, 4, batch_first=True)
    x = torch.randn(4, 6, 3)
    out = run_body(body, x, lengths)  # packed for torch.nn: zeros past each end
    assert all((out[b, int(n):] == 0).all() for b, n in enumerate(lengths))
    with pytest.raises(ValueError, match="lengths must be one of"):
        run_suite([cfg], ["gru"], warmup=0, repeats=1, lengths="ragged")


def test_cuda_graph_rows_need_cuda():
    with pytest.raises(ValueError, match="CUDA graphs need --device cuda"):
        run_suite([TINY], ["dt-rnn"], warmup=0, repeats=1, graphs=True)


def parse(argv):
    p = argparse.ArgumentParser(prog="rnnlab")
    bench_cli.register(p.add_subparsers(dest="command"))
    return p.parse_args(["bench", *argv])


def test_cli_runs_and_writes_json(tmp_path, capsys):
    out = tmp_path / "bench.json"
    args = parse(["--configs", "C3", "--models", "gru", "--repeats", "1", "--warmup", "0",
                  "--json", str(out)])
    assert args.func(args) == 0
    text = capsys.readouterr().out
    assert "dtype float32" in text and "device cpu" in text and "| C3 | torch.nn.GRU |" in text
    data = json.loads(out.read_text())
    assert data["lengths"] == "full" and data["rows"][0]["lengths"] == "full"
    assert [r["model"] for r in data["rows"]] == ["torch.nn.GRU", "rnnlab.nn.GRU",
                                                  "build_model('gru')",
                                                  "Stacked(Recurrent(GRUCell))"]


def test_cli_quick_defaults():
    args = parse(["--quick"])
    assert args.quick and args.configs is None
    assert set(bench_cli.QUICK_MODELS) <= set(MODELS)


@pytest.mark.parametrize("argv,match", [(["--configs", "C9"], "unknown config"),
                                        (["--models", "transformer"], "unknown model")])
def test_cli_rejects_unknown_names(argv, match):
    args = parse(argv)
    with pytest.raises(ValueError, match=match):
        args.func(args)


def test_cli_cuda_without_cuda_says_so():
    if torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    args = parse(["--device", "cuda", "--configs", "C3", "--models", "lstm"])
    with pytest.raises(ValueError, match="CUDA is not available"):
        args.func(args)


def test_median_seconds_counts_runs():
    calls = []
    t = median_seconds(lambda: calls.append(1), torch.device("cpu"), warmup=2, repeats=3)
    assert len(calls) == 5 and t >= 0
    with pytest.raises(ValueError):
        median_seconds(lambda: None, torch.device("cpu"), repeats=0)


def test_configs_are_the_issue_workloads():
    c = CONFIGS
    assert (c["C1"].T, c["C1"].B, c["C1"].I, c["C1"].H, c["C1"].layers) == (100, 64, 512, 512, 1)
    assert (c["C1-256"].I, c["C1-256"].H) == (256, 256)
    assert (c["C2"].T, c["C2"].B, c["C2"].H) == (1024, 16, 768)
    assert (c["C3"].T, c["C3"].B, c["C3"].I, c["C3"].H, c["C3"].layers) == (168, 32, 8, 128, 2)
    assert (c["C4"].I, c["C4"].H, c["C4"].layers, c["C4"].vocab) == (128, 512, 2, 70)


# -- a bench that finishes ------------------------------------------------------------------
def test_a_failing_row_is_reported_and_the_bench_goes_on(monkeypatch):
    """One row fails to build, one fails while timed: both say why; every other row and
    the ratios against the anchor still come out."""
    from rnnlab.bench import suite

    real = suite.build_step
    calls = []

    def flaky(model, *args, **kwargs):
        calls.append(model)
        if len(calls) == 2:  # rnnlab.nn.LSTM: raises while being built
            raise RuntimeError("CUDA error: device-side assert triggered\nmore")
        fwd, fwd_bwd = real(model, *args, **kwargs)
        if len(calls) == 3:  # build_model('lstm'): raises while timed
            def fwd_bwd():
                raise RuntimeError("vectorized gather kernel index out of bounds")
        return fwd, fwd_bwd

    monkeypatch.setattr(suite, "build_step", flaky)
    rows = run_suite([TINY], ["lstm"], warmup=1, repeats=2)
    by = {r.model: r for r in rows}
    assert list(by) == ["torch.nn.LSTM", "rnnlab.nn.LSTM", "build_model('lstm')",
                        "Stacked(Recurrent(LSTMCell))"]
    assert by["rnnlab.nn.LSTM"].error == "failed: RuntimeError: CUDA error: device-side assert triggered"
    assert "index out of bounds" in by["build_model('lstm')"].error
    assert by["build_model('lstm')"].fwd_bwd_ms is None and by["build_model('lstm')"].ratio is None
    ok = by["Stacked(Recurrent(LSTMCell))"]
    assert ok.error is None and ok.ratio > 0 and ok.repeats == 2
    assert "failed: RuntimeError" in bench_cli.format_row(by["rnnlab.nn.LSTM"])


def test_row_time_cap_skips_slow_rows_and_cuts_repeats(monkeypatch):
    from rnnlab.bench.measure import measure_interleaved

    clock = {"t": 0.0}

    def advance(dt):
        return lambda: clock.__setitem__("t", clock["t"] + dt)

    monkeypatch.setattr("rnnlab.bench.measure.time.perf_counter", lambda: clock["t"])
    steps = [(advance(0.1), advance(0.1)), (advance(1.0), advance(2.0)), (advance(5), advance(6))]
    out = measure_interleaved(steps, torch.device("cpu"), warmup=1, repeats=10, row_seconds=6.0)
    assert out[0].repeats == 10 and out[0].fwd_bwd == pytest.approx(0.1)
    assert out[1].repeats == 2 and out[1].fwd_bwd == pytest.approx(2.0)  # 6 s / 3 s a run
    assert out[2].error.startswith("over the time cap: one run took 11.0 s")
    assert out[2].fwd_bwd is None


def _fake_child(config, model, path):
    """A child process per (config, model): one writes its row, one dies, one hangs."""
    import sys

    if model == "crash":
        return [sys.executable, "-c", "import sys; sys.stderr.write('device-side assert\\n'); "
                "import os; os._exit(134)"]
    if model == "hang":
        return [sys.executable, "-c", "import time; time.sleep(30)"]
    row = dict(config=config, model=model, path="fused", layers=1, dtype="float32",
               device="cpu", fwd_ms=1.0, fwd_bwd_ms=2.0, steps_per_s=3.0, anchor="-", ratio=None)
    code = f"import json; json.dump({{'rows': [{row!r}]}}, open({path!r}, 'w'))"
    return [sys.executable, "-c", code]


def test_isolated_processes_report_a_crash_and_a_hang_and_go_on():
    from rnnlab.bench.isolate import run_isolated

    seen = []
    rows = run_isolated([("C4", "lstm"), ("C4", "crash"), ("C4", "hang"), ("C0", "gru")],
                        _fake_child, timeout=2, on_result=seen.append)
    assert [r.model for r in rows] == ["lstm", "crash", "hang", "gru"] and seen == rows
    assert rows[0].fwd_bwd_ms == 2.0 and rows[0].error is None
    assert rows[1].error == "failed: process exited with status 134: device-side assert"
    assert "over the process time cap of 2 s" in rows[2].error
    assert rows[3].config == "C0" and rows[3].error is None


def test_isolate_passes_the_run_options_on():
    from rnnlab.bench.isolate import child_argv

    args = parse(["--isolate", "--configs", "C2,C4", "--repeats", "3", "--row-seconds", "20",
                  "--no-reference", "--device", "cuda", "--paths", "fast,triton-split"])
    argv = child_argv(bench_cli._child_options(args, 3), "C2", "dt-rnn", "/tmp/x.json")
    opts = parse(argv[3:])  # what the child parses (after python -m rnnlab.bench)
    assert (opts.configs, opts.models, opts.json) == ("C2", "dt-rnn", "/tmp/x.json")
    assert (opts.repeats, opts.row_seconds, opts.no_reference, opts.device, opts.paths) == \
        (3, 20.0, True, "cuda", "fast,triton-split")
    assert not opts.isolate
