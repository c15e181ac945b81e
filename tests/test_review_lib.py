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
    real = bench_cli.atomic_write_json

    def keep(path, obj, **kwargs):
        written = real(path, obj, **kwargs)
        docs.append(json.loads(written.read_text()))
        return written

    monkeypatch.setattr(bench_cli, "atomic_write_json", keep)
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


# -- nn: the torch.nn drop-ins' reference path and their dropout ------------------------------
def test_dropout_set_after_construction_does_not_act_in_eval_mode():
    """torch reads ``dropout`` at each forward and applies it in training only; the
    reference path made a new Dropout module (in training mode) and applied it in eval."""
    import torch

    import rnnlab.nn as rnn

    torch.manual_seed(0)
    ours = rnn.LSTM(4, 8, num_layers=2, impl="reference").eval()
    theirs = torch.nn.LSTM(4, 8, num_layers=2).eval()
    theirs.load_state_dict(ours.state_dict())
    ours.dropout = theirs.dropout = 0.5
    x = torch.randn(5, 3, 4)
    torch.testing.assert_close(ours(x)[0], theirs(x)[0])


def test_drop_in_with_one_layer_and_dropout_warns_once_as_torch():
    """torch.nn.LSTM warns itself; the reference template's Stacked warned a second time,
    naming rnnlab's own file."""
    import warnings

    import rnnlab.nn as rnn

    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        rnn.GRU(2, 3, num_layers=1, dropout=0.5)
    said = [w for w in got if issubclass(w.category, UserWarning)]
    assert len(said) == 1, [str(w.message) for w in said]


# -- number_kinds: ``X | None`` is a union as ``Optional[X]`` is ------------------------------
def test_pipe_union_hint_is_unwrapped_as_optional():
    """``str(origin) == "types.UnionType"`` never held (str of the class is "<class
    'types.UnionType'>"): ``int | None`` took True (isinstance), and check_types skipped it."""
    from rnnlab.number_kinds import fits_hint, hint_words, scalar_of

    hint = int | None  # (rnnlab needs Python >= 3.10)
    assert scalar_of(hint) == (int, True)
    assert hint_words(hint) == "a whole number (int) or None"
    assert fits_hint(None, hint) and fits_hint(3, hint)
    assert not fits_hint(True, hint) and not fits_hint(2.5, hint)


# -- train.stops: the stops are importable without torch (why they left train/loop.py) -------
def test_training_stops_come_without_torch():
    import subprocess
    import sys

    code = ("import sys, rnnlab.train as t; t.TrainingInterrupted, t.TrainingDiverged; "
            "from rnnlab.train.stops import TrainingInterrupted; print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "False", done.stderr


# -- io.model_dir: a saved config's wrong type said in words, as check_types says it ----------
def test_saved_config_type_error_says_the_type_in_words():
    import pytest

    from rnnlab.io.errors import CheckpointError
    from rnnlab.io.model_dir import config_fields
    from rnnlab.lm.config import LMConfig

    with pytest.raises(CheckpointError) as got:
        config_fields(LMConfig, {"max_vocab": "x"}, "model.json")
    assert "should be a whole number (int) or None, got str 'x'" in str(got.value)


# -- io.atomic: a failed chmod of the temporary closes it too ---------------------------------
def test_atomic_write_closes_the_temporary_when_chmod_fails(monkeypatch, tmp_path):
    import os

    import pytest

    from rnnlab.io import atomic

    def refuse(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(atomic.os, "chmod", refuse)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(3):
        with pytest.raises(PermissionError):
            atomic.atomic_write_bytes(tmp_path / "f.bin", b"x")
    assert len(os.listdir("/proc/self/fd")) == before  # (each open temporary was leaked)
    assert os.listdir(tmp_path) == []


# -- benchmarks/to_markdown.py: a table of a run that did not end says so ----------------------
def test_to_markdown_marks_an_interrupted_run(tmp_path, monkeypatch, capsys):
    """The script run as __main__ in this process (a fresh one adds only torch's import)."""
    import runpy
    import sys
    from pathlib import Path

    from rnnlab.bench.suite import Result

    row = Result("C0", "lstm", "torch", 1, "float32", "cpu", 1.0, 2.0, 3.0, "-", None,
                 fwd_bwd_min_ms=2.0, repeats=1).as_dict()
    script = str(Path(__file__).resolve().parents[1] / "benchmarks" / "to_markdown.py")
    monkeypatch.setattr(sys, "path", list(sys.path))  # the script puts its folder first
    for flag in (True, False):
        f = tmp_path / f"{flag}.json"
        f.write_text(json.dumps({"interrupted": flag, "rows": [row]}))
        monkeypatch.setattr(sys, "argv", [script, str(f)])
        runpy.run_path(script, run_name="__main__")  # a sys.exit (a refusal) fails the test
        out = capsys.readouterr().out
        assert "lstm" in out and ("did not finish" in out) is flag, out
