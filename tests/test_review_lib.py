"""Review of the library side (bench, nn, lm, io, train): each test failed before its fix."""

from __future__ import annotations

import json


# -- bench --json: a file written while the run goes on is not marked complete ---------------
def test_bench_json_written_mid_run_is_marked_not_complete(monkeypatch, tmp_path):
    """A run killed between rows (SIGKILL, out of memory, a power cut) leaves the file of
    its last row: it must not say ``"interrupted": false`` (a complete run) then."""
    from rnnlab.bench import cli as bench_cli
    from rnnlab.cli import main

    docs = []
    real = bench_cli.atomic_write_text

    def keep(path, text):
        docs.append(json.loads(text))
        return real(path, text)

    monkeypatch.setattr(bench_cli, "atomic_write_text", keep)
    out = tmp_path / "b.json"
    code = main(["bench", "--configs", "C0", "--models", "rnn", "--repeats", "1",
                 "--warmup", "0", "--threads", "1", "--json", str(out)])
    assert code == 0
    assert len(docs) > 1
    assert [d["interrupted"] for d in docs[:-1]] == [True] * (len(docs) - 1)
    assert docs[-1]["interrupted"] is False and len(docs[-1]["rows"]) == len(docs[-2]["rows"])


# -- bench --isolate: a process that stops between its rows has its stop said ----------------
def _partial_child(tmp_path, exit_code):
    """A process that writes one timed row, marked "interrupted": true (the run did not
    end), then exits with ``exit_code``, as one over the cap or crashed."""
    import sys

    from rnnlab.bench.suite import Result

    row = Result("C0", "lstm", "torch", 1, "float32", "cpu", 1.0, 2.0, 3.0, "-", None,
                 repeats=1).as_dict()
    src = tmp_path / "doc.json"
    src.write_text(json.dumps({"interrupted": True, "rows": [row]}))

    def child(config, model, path):
        return [sys.executable, "-c", f"import shutil, sys; shutil.copy({str(src)!r}, "
                f"{path!r}); sys.stderr.write('Segmentation fault\\n'); sys.exit({exit_code})"]
    return child


def test_isolated_process_that_died_after_some_rows_gets_a_failed_row(tmp_path):
    from rnnlab.bench.isolate import run_isolated

    rows = run_isolated([("C0", "lstm")], _partial_child(tmp_path, 139), timeout=30,
                        on_result=lambda r: None)
    assert len(rows) == 2 and rows[0].error is None
    assert rows[1].error.startswith("failed: process exited with status 139: Segmentation")
    assert "(after 1 row(s); the others were not measured)" in rows[1].error


def test_isolated_process_that_ended_keeps_its_rows_alone(tmp_path):
    """A process that ended (its file not marked interrupted) gives its rows, no more, also
    with exit status 1 (every row of its own failed)."""
    from rnnlab.bench.isolate import run_isolated

    child = _partial_child(tmp_path, 1)
    doc = json.loads((tmp_path / "doc.json").read_text())
    (tmp_path / "doc.json").write_text(json.dumps({**doc, "interrupted": False}))
    rows = run_isolated([("C0", "lstm")], child, timeout=30, on_result=lambda r: None)
    assert len(rows) == 1 and rows[0].error is None
