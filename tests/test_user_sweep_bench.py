"""``rnnlab bench`` as a user measuring speed runs it: each test pins a fix (tiny sizes,
1-3 repeats; nothing here asserts a timing)."""

from __future__ import annotations

import argparse
import json

import pytest
import torch

from rnnlab.bench import BenchConfig, run_suite
from rnnlab.bench import cli as bench_cli

TINY = BenchConfig("tiny", T=3, B=2, I=3, H=4, layers=1)
TINY2 = BenchConfig("tiny2", T=4, B=2, I=3, H=4, layers=1)


def parse(argv):
    p = argparse.ArgumentParser(prog="rnnlab")
    bench_cli.register(p.add_subparsers(dest="command"))
    return p.parse_args(["bench", *argv])


def test_module_entry_point_reports_bad_values_without_a_traceback(capsys):
    """``python -m rnnlab.bench --configs C9`` said it with a ValueError traceback."""
    # (a usage error: 2, as `rnnlab bench` exits for it; session 29, where it said 1)
    assert bench_cli.main(["--configs", "C9"]) == 2
    err = capsys.readouterr().err
    assert "python -m rnnlab.bench: error: unknown config ['C9']; choose from C0" in err
    assert bench_cli.main(["--device", "mps"]) == 2
    assert "use cpu or cuda" in capsys.readouterr().err


def test_threads_are_set_for_the_run_and_given_back(tmp_path):
    """--threads 1 held for the rows (the JSON says 1), and the caller's setting came back
    (it stayed 1 after the run)."""
    torch.set_num_threads(2)  # (conftest's fixture puts its own setting back afterwards)
    out = tmp_path / "b.json"
    args = parse(["--configs", "C0", "--models", "rnn", "--repeats", "1", "--threads", "1",
                  "--json", str(out)])
    assert args.func(args) == 0
    assert json.loads(out.read_text())["threads"] == 1
    assert torch.get_num_threads() == 2


def test_a_model_that_fails_to_build_costs_only_its_rows(monkeypatch):
    """Building a model raised out of run_suite: every row of its workload was lost."""
    from rnnlab.bench import suite

    real = suite.build_registry

    def broken(name, *args, **kwargs):
        if name == "dt-rnn":
            raise RuntimeError("out of memory while building")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(suite, "build_registry", broken)
    rows = run_suite([TINY, TINY2], ["lstm", "dt-rnn"], warmup=1, repeats=1, depth=2,
                     impls=["fast"])
    for cfg in ("tiny", "tiny2"):
        mine = {(r.model, r.path): r for r in rows if r.config == cfg}
        assert mine["rnnlab.nn.LSTM", "fused"].ratio > 0  # the others still measured
        bad = [r for r in rows if r.config == cfg and r.model == "dt-rnn (depth 2)"]
        assert len(bad) == 2 and all(r.fwd_bwd_ms is None for r in bad)  # reference + fast
        assert all(r.error == "failed: building: RuntimeError: out of memory while building"
                   for r in bad)


def test_paths_that_cannot_run_here_are_said_once_not_dropped_silently(monkeypatch):
    """Without the interpreter the Triton paths cannot run on CPU: a plain run (all paths)
    dropped them without a word; now each path named, once a run."""
    from rnnlab.nn.fast import triton_common

    monkeypatch.setattr(triton_common, "_INTERPRETED", False)
    said = []
    rows = run_suite([TINY, TINY2], ["dt-rnn", "gru-cho"], warmup=0, repeats=1, depth=2,
                     reference=False, on_skip=said.append)
    assert {r.path for r in rows if r.anchor != "-"} == {"fast-torch"}  # nothing mislabeled
    # (each path named, in one line for their one reason: three lines said it thrice)
    assert len(said) == 1, said
    assert said[0].startswith("tiny dt-rnn: no triton, triton-split, triton-resident rows: ")
    assert "need a CUDA device" in said[0]


def test_cuda_graph_rows_left_out_on_cpu_are_said(capsys):
    args = parse(["--configs", "C0", "--models", "rnn", "--repeats", "1", "--threads", "1"])
    assert args.func(args) == 0
    assert "no CUDA-graph rows: they need --device cuda" in capsys.readouterr().err
    args = parse(["--configs", "C0", "--models", "rnn", "--repeats", "1", "--no-graphs"])
    assert args.func(args) == 0
    assert "CUDA-graph" not in capsys.readouterr().err


def _clock(monkeypatch):
    clock = {"t": 0.0}
    monkeypatch.setattr("rnnlab.bench.measure.time.perf_counter", lambda: clock["t"])
    return lambda dt: (lambda: clock.__setitem__("t", clock["t"] + dt))


def test_row_time_cap_holds_without_warm_up(monkeypatch):
    """--row-seconds with --warmup 0 was ignored: a 11 s row got all 10 repeats."""
    from rnnlab.bench.measure import measure_interleaved

    advance = _clock(monkeypatch)
    steps = [(advance(0.1), advance(0.1)), (advance(1.0), advance(2.0)), (advance(5), advance(6))]
    out = measure_interleaved(steps, torch.device("cpu"), warmup=0, repeats=10, row_seconds=6.0)
    assert out[0].repeats == 10
    assert out[1].repeats == 2 and out[1].fwd_bwd == pytest.approx(2.0)
    assert out[2].error.startswith("over the time cap: one run took 11.0 s")
    assert out[2].fwd_bwd is None and out[2].repeats == 0


def test_warm_up_runs_are_left_out_and_medians_of_odd_and_even_repeats(monkeypatch):
    """(checks, no fix) the first runs (slow) never reach the medians; even repeats
    average the middle two; repeats=1 is that run."""
    from rnnlab.bench.measure import measure_interleaved

    clock = {"t": 0.0, "n": 0}
    monkeypatch.setattr("rnnlab.bench.measure.time.perf_counter", lambda: clock["t"])
    durations = [100.0, 100.0, 1.0, 4.0, 2.0, 3.0]  # 2 warm-up runs, then 4 timed

    def run():
        clock["t"] += durations[min(clock["n"], len(durations) - 1)]
        clock["n"] += 1

    def row(n):
        clock["n"] = 0
        return measure_interleaved([(lambda: None, run)], torch.device("cpu"), warmup=2,
                                   repeats=n)[0]

    assert row(4).fwd_bwd == pytest.approx(2.5) and row(4).fwd_bwd_min == pytest.approx(1.0)
    assert row(3).fwd_bwd == pytest.approx(2.0)
    assert row(1).fwd_bwd == pytest.approx(1.0) and row(1).repeats == 1


def test_ratios_are_against_the_anchor_of_the_same_workload_and_layers(tmp_path):
    """(checks, no fix) every ratio in the JSON is this row's time over its anchor's: the
    torch.nn row of the same config, layers and lengths."""
    out = tmp_path / "b.json"
    args = parse(["--configs", "C0", "--models", "lstm,stacked-dt-rnn,gru-cho", "--repeats",
                  "2", "--threads", "1", "--depth", "2", "--paths", "fast", "--json", str(out)])
    assert args.func(args) == 0
    rows = json.loads(out.read_text())["rows"]
    anchors = {(r["config"], r["model"], r["layers"], r["lengths"]): r for r in rows
               if r["anchor"] == "-"}
    checked = 0
    for r in rows:
        if r["anchor"] == "-":
            continue
        a = anchors[r["config"], r["anchor"], r["layers"], r["lengths"]]
        # the baseline stands beside the number (--isolate has one anchor per process)
        assert (r["anchor_fwd_bwd_ms"], r["anchor_fwd_ms"]) == (a["fwd_bwd_ms"], a["fwd_ms"])
        assert r["ratio"] == pytest.approx(r["fwd_bwd_ms"] / a["fwd_bwd_ms"])
        assert r["ratio_fwd"] == pytest.approx(r["fwd_ms"] / a["fwd_ms"])
        assert r["ratio_min"] == pytest.approx(r["fwd_bwd_min_ms"] / a["fwd_bwd_min_ms"])
        if r["path"] == "fast-torch":
            ref = next(x for x in rows if x["model"] == r["model"] and x["path"] == "reference")
            assert r["ratio_ref"] == pytest.approx(r["fwd_bwd_ms"] / ref["fwd_bwd_ms"])
        checked += 1
    assert checked == 7


def test_json_records_what_was_asked(tmp_path):
    out = tmp_path / "b.json"
    args = parse(["--configs", "C0", "--models", "rnn", "--repeats", "1", "--threads", "1",
                  "--lengths", "variable", "--dtype", "float64", "--json", str(out)])
    assert args.func(args) == 0
    doc = json.loads(out.read_text())
    opts = doc["options"]
    assert (opts["lengths"], opts["dtype"], opts["device"], opts["threads"]) == \
        ("variable", "float64", "cpu", 1)
    assert doc["versions"]["torch"] == torch.__version__
    assert {"triton", "cuda", "cudnn"} <= set(doc["versions"])  # what times the Triton rows


def test_json_of_another_tool_is_not_overwritten(tmp_path):
    """A file with rows of another tool's (a peers table) counted as 'an earlier bench'
    and --overwrite replaced it."""
    other = tmp_path / "peers.json"
    other.write_text(json.dumps({"rows": [{"series": "a", "mase": 1.0}]}))
    before = other.read_text()
    args = parse(["--configs", "C0", "--models", "rnn", "--repeats", "1", "--json", str(other),
                  "--overwrite"])
    with pytest.raises(ValueError, match="is not a results file of rnnlab bench"):
        args.func(args)
    assert other.read_text() == before


def test_rows_read_back_are_checked(tmp_path):
    """An isolated process whose file is not bench rows raised a TypeError out of the
    parent (every later pair lost); now that pair is one failed row saying why."""
    import sys

    from rnnlab.bench.isolate import run_isolated

    def child(config, model, path):
        doc = {"rows": [{"bogus": 1}]} if model == "bad" else {"rows": [dict(
            config=config, model=model, path="fused", layers=1, dtype="float32", device="cpu",
            fwd_ms=1.0, fwd_bwd_ms=2.0, steps_per_s=3.0, anchor="-", ratio=None)]}
        return [sys.executable, "-c", f"import json; json.dump({doc!r}, open({path!r}, 'w'))"]

    rows = run_isolated([("C0", "bad"), ("C0", "lstm")], child, timeout=30,
                        on_result=lambda r: None)
    assert rows[0].fwd_bwd_ms is None and "unknown ['bogus']" in rows[0].error
    assert rows[1].fwd_bwd_ms == 2.0 and rows[1].error is None
    from rnnlab.bench.record import load_results

    bad = tmp_path / "x.json"
    bad.write_text(json.dumps({"rows": [{"config": "C0"}], "torch": "2"}))
    with pytest.raises(ValueError, match=r"row 0: expected the fields of a bench row; "
                                         r"unknown \[\], missing \['model'"):
        load_results(bad)
    bad.write_text("[1, 2]")
    with pytest.raises(ValueError, match="expected a results file of rnnlab bench"):
        load_results(bad)


def test_isolated_processes_notes_are_passed_on_once(capsys):
    """Every isolated process says 'no CUDA-graph rows' on CPU: the parent repeated it once
    per (workload, model)."""
    import sys

    from rnnlab.bench.isolate import run_isolated

    def child(config, model, path):
        return [sys.executable, "-c", "import sys; sys.stderr.write('rnnlab bench: same note\\n"
                f"rnnlab bench: {model} note\\nboom | here\\n'); sys.exit(3)"]

    rows = run_isolated([("C0", "a"), ("C0", "b"), ("C3", "a")], child, timeout=30,
                        on_result=lambda r: None)
    err = capsys.readouterr().err.splitlines()
    assert err == ["rnnlab bench: same note", "rnnlab bench: a note", "rnnlab bench: b note"]
    # the child's last words go into a table cell: a '|' would split the row
    assert rows[0].error == "failed: process exited with status 3: boom / here"


def test_json_path_that_cannot_be_written_is_refused_before_timing(tmp_path, capsys):
    """--json under a file (not a folder) failed only when the first row was written,
    after the workload's rows were timed."""
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    args = parse(["--configs", "C0", "--models", "rnn", "--repeats", "1",
                  "--json", str(blocker / "b.json")])
    with pytest.raises(ValueError, match="cannot be written: .*afile is not a folder"):
        args.func(args)
    assert "| C0 |" not in capsys.readouterr().out  # nothing was timed


def test_a_failing_row_keeps_every_measured_row_in_the_json(monkeypatch, tmp_path, capsys):
    """The H200 run lost every row to one crashing row; simulated on CPU: one row of the
    second workload raises while timed, the JSON holds all rows, that one saying why."""
    from rnnlab.bench import suite

    real = suite.build_step

    def flaky(model, cfg, *args, **kwargs):
        fwd, fwd_bwd = real(model, cfg, *args, **kwargs)
        if cfg.name == "C3" and type(getattr(model, "body", None)).__name__ == "GRU" and \
                type(model.body).__module__.startswith("rnnlab"):
            def fwd_bwd():
                raise RuntimeError("CUDA error: device-side assert triggered")
        return fwd, fwd_bwd

    monkeypatch.setattr(suite, "build_step", flaky)
    out = tmp_path / "b.json"
    args = parse(["--configs", "C0,C3", "--models", "gru", "--repeats", "1", "--threads", "1",
                  "--tf32", "--json", str(out)])
    assert args.func(args) == 1  # (a row failed: the run's status says so, session 29)
    err = capsys.readouterr().err
    assert "1 of 8 rows failed" in err and "--tf32 changes nothing on cpu" in err
    rows = json.loads(out.read_text())["rows"]
    assert [r["config"] for r in rows] == ["C0"] * 4 + ["C3"] * 4
    bad = [r for r in rows if r["error"]]
    assert [(r["config"], r["model"]) for r in bad] == [("C3", "rnnlab.nn.GRU")]
    assert bad[0]["error"] == "failed: RuntimeError: CUDA error: device-side assert triggered"
    assert all(r["fwd_bwd_ms"] > 0 for r in rows if not r["error"])


def test_a_name_given_twice_is_timed_once():
    """--models lstm,lstm timed every lstm row twice (the run took twice as long)."""
    args = parse(["--models", " lstm,lstm,gru ", "--configs", "C0,C0"])
    assert bench_cli._csv(args.models, ("lstm", "gru"), "model") == ["lstm", "gru"]
    assert bench_cli._csv(args.configs, ("C0",), "config") == ["C0"]


def test_a_triton_path_that_runs_another_is_said(monkeypatch):
    """impl='triton-resident' runs triton-split where the weights do not fit on chip: the
    row is labelled by what ran, and now a note says so (nothing did before)."""
    from rnnlab.bench.suite import _fast_impls, build_registry
    from rnnlab.nn import dispatch
    from rnnlab.nn.fast import triton_common

    monkeypatch.setattr(triton_common, "_INTERPRETED", True)
    monkeypatch.setattr(dispatch, "resident_reason", lambda cell, x: "weights too big")
    said = []
    model = build_registry("dt-rnn", TINY, 1, 2)
    got = _fast_impls(model, torch.float32, torch.device("cpu"), ["triton-resident"],
                      lambda impl, key, msg: said.append(msg))
    assert got == ["triton-resident"]
    assert said == ["triton-resident runs fast-triton-split here: its rows say so"]
