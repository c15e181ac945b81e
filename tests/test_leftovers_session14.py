"""Leftovers of earlier reviews (session 14): bench's rate with variable lengths, LMNet in a
weights-only load, a multi-part run's data hashes, interval metrics over seeds, and the
message of predict(quantiles=) on a series left undifferenced."""

from __future__ import annotations

import argparse
import io
import json

import pytest
import torch

from rnnlab.bench import BenchConfig, run_suite
from rnnlab.bench import cli as bench_cli
from rnnlab.bench.measure import make_lengths

TINY_BENCH = BenchConfig("tiny", T=8, B=4, I=3, H=4, layers=1)


def _bench_parse(argv):
    parser = argparse.ArgumentParser()
    bench_cli.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["bench", *argv])


# ------------------------------------------------------- 1. bench --lengths variable: steps/s
def test_variable_lengths_rate_counts_the_real_steps_not_the_padded_batch():
    """steps/s was T*B / fwd+bwd seconds with variable lengths too, though the sequences
    hold only sum(lengths) < T*B steps: the rate was inflated by the padding."""
    real = int(make_lengths(TINY_BENCH).sum())
    assert real < TINY_BENCH.T * TINY_BENCH.B  # (so the test can tell the two apart)
    for lengths, want in (("variable", real), ("full", TINY_BENCH.T * TINY_BENCH.B)):
        rows = run_suite([TINY_BENCH], ["gru"], warmup=0, repeats=1, lengths=lengths)
        assert rows
        for r in rows:
            assert r.steps == want and r.lengths == lengths
            assert r.steps_per_s == pytest.approx(want / (r.fwd_bwd_ms / 1e3))


def test_bench_json_and_table_name_the_real_steps(tmp_path, capsys):
    out = tmp_path / "bench.json"
    args = _bench_parse(["--configs", "C3", "--models", "rnn", "--repeats", "1", "--warmup",
                         "0", "--lengths", "variable", "--paths", "fast", "--json", str(out)])
    assert args.func(args) == 0
    text = capsys.readouterr().out
    assert "| real steps/s (sum of lengths) |" in text and "padding not counted" in text
    from rnnlab.bench.configs import CONFIGS

    real = int(make_lengths(CONFIGS["C3"]).sum())
    rows = json.loads(out.read_text())["rows"]
    assert rows and all(r["steps"] == real for r in rows)
    assert all(r["steps_per_s"] == pytest.approx(real / (r["fwd_bwd_ms"] / 1e3)) for r in rows)
    from rnnlab.bench.record import load_results

    assert load_results(out)[1][0].steps == real  # (read back: a field it knows)


def test_an_old_variable_lengths_file_says_its_rate_counts_the_padding():
    from rnnlab.bench.suite import Result

    old = Result("C3", "torch.nn.LSTM", "torch", 2, "float32", "cpu", 1.0, 2.0, 3000.0, "-",
                 None, fwd_bwd_min_ms=2.0, lengths="variable")  # (no `steps`: an old file)
    assert "3,000 (padded T*B)" in bench_cli.format_row(old)
    new = Result("C3", "torch.nn.LSTM", "torch", 2, "float32", "cpu", 1.0, 2.0, 3000.0, "-",
                 None, fwd_bwd_min_ms=2.0, lengths="variable", steps=6)
    assert "padded" not in bench_cli.format_row(new)
    assert "| steps/s |" in bench_cli.header("full")
    assert "real steps/s" in bench_cli.header("variable")


# ------------------------------------------------------- 2. LMNet loads with weights_only=True
def test_lmnet_round_trips_through_a_weights_only_load():
    """torch.save(lm.net) could not be read back with torch.load(weights_only=True) (torch's
    default): LMNet and the nn.Embedding it holds were not safe globals."""
    from rnnlab.lm import LMConfig, LMNet

    torch.manual_seed(0)
    for emb in (3, 0):  # an embedding, and one-hot inputs
        net = LMNet(LMConfig(hidden_size=4, num_layers=1, embedding=emb), 7).eval()
        buf = io.BytesIO()
        torch.save(net, buf)
        buf.seek(0)
        back = torch.load(buf, weights_only=True)
        assert type(back) is LMNet
        ids = torch.tensor([[1, 2, 3, 4]])
        torch.testing.assert_close(back(ids)[0], net(ids)[0], rtol=0, atol=0)


# ------------------------------------------------- 3. a multi-part run records its data
def test_a_multi_part_run_records_each_parts_data_hash(tmp_path, monkeypatch):
    """The top-level config.json of a multi-part recipe run (deep-rnn-compare) had
    data_sha256 null, though each part's folder recorded its own: now it names each."""
    from rnnlab.compare import plots
    from rnnlab.compare.config import CompareConfig
    from rnnlab.compare.parts import run_parts

    monkeypatch.setattr(plots, "write_plots", lambda cfg, res, out: {})  # (time: not tested)

    tiny = dict(models=("rnn",), seeds=(0,), hidden_size=4, epochs=1, batch_size=8)
    parts = {"airline": CompareConfig(task="forecast", data="airline", **tiny),
             "time-machine": CompareConfig(task="lm", data="time-machine", max_chars=3000,
                                           seq_len=16, embedding=4, **tiny)}
    out = tmp_path / "run"
    run_parts(parts, out, "deep-rnn-compare", "t", "d", "cmd", False, {})
    top = json.loads((out / "config.json").read_text())
    assert set(top["data_sha256"]) == set(parts)
    for name in parts:
        part = json.loads((out / name / "config.json").read_text())
        assert len(part["data_sha256"]) == 64 and top["data_sha256"][name] == part["data_sha256"]
    assert top["data_sha256"]["airline"] != top["data_sha256"]["time-machine"]
