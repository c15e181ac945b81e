"""``rnnlab bench --json`` records, beside each row's wall medians, the process's CPU
seconds over the same runs (``fwd_cpu_ms``, ``fwd_bwd_cpu_ms``): on a shared machine the
wall time alone does not tell a slow path from a busy machine; a file written before them
reads back with None."""

from __future__ import annotations

import json
import time

import torch

from rnnlab.bench.measure import measure_interleaved
from rnnlab.bench.record import rows_of


def _busy(seconds: float):
    def run():
        t0 = time.process_time()
        while time.process_time() - t0 < seconds:
            pass
    return run


def _asleep(seconds: float):
    return lambda: time.sleep(seconds)


def test_each_row_has_the_cpu_seconds_of_the_same_runs_as_its_wall_seconds():
    busy, idle = measure_interleaved([(_busy(0.01), _busy(0.02)), (_asleep(0.01), _asleep(0.02))],
                                     torch.device("cpu"), warmup=0, repeats=3)
    assert busy.fwd_cpu is not None and busy.fwd_bwd_cpu is not None
    assert busy.fwd_cpu >= 0.01 and busy.fwd_bwd_cpu >= 0.02  # (spinning: all CPU)
    assert idle.fwd_bwd_cpu < idle.fwd_bwd / 2  # (asleep: wall time, little CPU)


def test_the_json_rows_carry_cpu_milliseconds(tmp_path):
    from rnnlab.cli import main

    out = tmp_path / "b.json"
    assert main(["bench", "--configs", "C0", "--models", "rnn", "--repeats", "1",
                 "--warmup", "0", "--threads", "1", "--json", str(out)]) == 0
    rows = json.loads(out.read_text())["rows"]
    timed = [r for r in rows if r["fwd_bwd_ms"] is not None]
    assert timed and all(r["fwd_bwd_cpu_ms"] > 0 and r["fwd_cpu_ms"] > 0 for r in timed)


def test_a_file_without_them_reads_back_with_none():
    row = {"config": "C0", "model": "rnn", "path": "torch", "layers": 1, "dtype": "float32",
           "device": "cpu", "fwd_ms": 1.0, "fwd_bwd_ms": 2.0, "steps_per_s": 10.0,
           "anchor": "-", "ratio": None}
    (r,) = rows_of({"rows": [row]}, "old.json")
    assert r.fwd_cpu_ms is None and r.fwd_bwd_cpu_ms is None


def test_the_benchmarks_page_says_what_cpu_over_wall_seconds_shows():
    from pathlib import Path

    from printed_words import words

    page = words((Path(__file__).resolve().parents[1] / "BENCHMARKS.md").read_text("utf-8"))
    assert "`fwd_cpu_ms` and `fwd_bwd_cpu_ms`" in page and "(contention)" in page
