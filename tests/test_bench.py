"""``rnnlab bench`` runs end to end and reports what it measured (never asserts speed)."""

from __future__ import annotations

import argparse
import json

import pytest
import torch

from rnnlab.bench import CONFIGS, MODELS, BenchConfig, run_suite
from rnnlab.bench import cli as bench_cli
from rnnlab.bench.timing import median_seconds

TINY = BenchConfig("tiny", T=3, B=2, I=3, H=4, layers=1)
TINY_LM = BenchConfig("tiny-lm", T=3, B=2, I=3, H=4, layers=2, vocab=5)


def test_suite_rows_paths_and_anchors():
    rows = run_suite([TINY, TINY_LM], MODELS, warmup=0, repeats=1, depth=2)
    for cfg in (TINY, TINY_LM):
        mine = [r for r in rows if r.config == cfg.name]
        by = {(r.model, r.path): r for r in mine}
        assert ("torch.nn.LSTM", "torch") in by and by["torch.nn.LSTM", "torch"].ratio is None
        assert ("rnnlab.nn.LSTM", "fused") in by and ("build_model('lstm')", "fused") in by
        assert by["rnnlab.nn.GRU", "fused"].anchor == "torch.nn.GRU"
        for cell in ("RNNCell", "GRUCell", "LSTMCell"):  # composed layers run torch's kernel
            assert f"Stacked(Recurrent({cell}))" in {m for m, p in by if p == "fused"}
        for name in ("gru-cho", "dt-rnn (depth 2)", "dts-rnn (depth 2)", "dot-rnn (depth 2)",
                     "stacked-dt-rnn (depth 2)"):
            fast, ref = by[name, "fast-torch"], by[name, "reference"]
            assert fast.anchor == ref.anchor == "torch.nn.LSTM"
            assert fast.ratio_ref is not None and fast.ratio_ref > 0 and ref.ratio_ref is None
        for r in mine:
            assert r.fwd_ms > 0 and r.fwd_bwd_ms > 0 and r.steps_per_s > 0
            assert r.dtype == "float32" and r.device == "cpu"
    stacked = [r for r in rows if r.model.startswith("stacked-dt-rnn") and r.config == "tiny"]
    assert all(r.layers == 2 for r in stacked)  # its minimum, above the workload's 1 layer


def test_variable_lengths_and_bidirectional_rows():
    """--lengths variable: every row runs the same padded batch with lengths (torch.nn
    packed); the bidirectional standard models are measured against torch.nn's own."""
    from rnnlab.bench.suite import make_lengths, run_body

    cfg = BenchConfig("tiny-var", T=6, B=4, I=3, H=4, layers=2)
    rows = run_suite([cfg], ["bilstm", "gru", "dt-rnn"], warmup=0, repeats=1, depth=2,
                     lengths="variable")
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
