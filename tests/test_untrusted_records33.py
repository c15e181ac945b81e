"""A run folder from someone else: the small records rnnlab reads beside its loaders (the
versions behind ``--config RUN_DIR``'s warning, a finished run's list of what it wrote)
are read only from regular files of a bounded size. A named pipe standing there blocked the
command forever, and a link to ``/dev/zero`` read until memory ran out."""

from __future__ import annotations

import json
import os
import threading

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def _feeder(fifo, text: str):
    """A thread that writes ``text`` into the pipe ``fifo`` once a reader opens it (so a
    reader that should not have opened it returns rather than blocks); stopped by the
    returned event."""
    done = threading.Event()

    def feed():
        while not done.is_set():
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # (ENXIO: no reader yet)
                done.wait(0.01)
                continue
            with os.fdopen(fd, "w") as f:
                f.write(text)
            return

    t = threading.Thread(target=feed, daemon=True)
    t.start()
    return done, t


VERSIONS = json.dumps({"versions": {"rnnlab": "0.0.1", "torch": "1.0"}})


def test_record_versions_skip_a_named_pipe(tmp_path):
    from rnnlab.io.record_drift import recorded_versions

    os.mkfifo(tmp_path / "config.json")
    done, t = _feeder(tmp_path / "config.json", VERSIONS)
    try:
        found = recorded_versions(tmp_path)
    finally:
        done.set()
        t.join(5)
    assert found is None  # (the pipe was not opened: nothing read from it)


def test_record_versions_skip_a_device_and_a_huge_file(tmp_path, monkeypatch):
    from rnnlab.io import json_file
    from rnnlab.io.record_drift import recorded_versions

    (tmp_path / "config.json").symlink_to("/dev/zero")
    assert recorded_versions(tmp_path) is None  # (was: read until memory ran out)
    (tmp_path / "config.json").unlink()
    (tmp_path / "config.json").write_text(VERSIONS + " " * 64)
    assert recorded_versions(tmp_path)["rnnlab"] == "0.0.1"
    monkeypatch.setattr(json_file, "MAX_JSON_BYTES", 32)  # (a file larger than a record is)
    assert recorded_versions(tmp_path) is None


def test_record_versions_skip_json_nested_too_deep(tmp_path):
    from rnnlab.io.record_drift import recorded_versions

    (tmp_path / "config.json").write_text("[" * 5000 + "]" * 5000)
    assert recorded_versions(tmp_path) is None  # (was: RecursionError, a traceback)


def test_record_data_sha256_skips_a_named_pipe(tmp_path):
    # --config RUN_DIR also reads the record's data_sha256 from its config.json
    from rnnlab.io.record_data import recorded_data_sha256

    os.mkfifo(tmp_path / "config.json")
    done, t = _feeder(tmp_path / "config.json", json.dumps({"data_sha256": "a" * 64}))
    try:
        found = recorded_data_sha256(tmp_path)
    finally:
        done.set()
        t.join(5)
    assert found is None
    (tmp_path / "config.json").unlink()
    (tmp_path / "config.json").write_text("[" * 5000 + "]" * 5000)
    assert recorded_data_sha256(tmp_path) is None  # (was: RecursionError)
    (tmp_path / "config.json").write_text(json.dumps({"data_sha256": "a" * 64}))
    assert recorded_data_sha256(tmp_path / "config.json") == "a" * 64


def test_user_added_skips_a_named_pipe_record(tmp_path):
    # `--resume` (and --overwrite) of a finished run read its .rnnlab-written: a pipe there
    # blocked `rnnlab lm train --resume DIR` forever
    from rnnlab.io.rundir import WRITTEN_NAME
    from rnnlab.io.user_added import user_added

    (tmp_path / "notes.txt").write_text("mine")
    os.mkfifo(tmp_path / WRITTEN_NAME)
    done, t = _feeder(tmp_path / WRITTEN_NAME, json.dumps(["config.json"]))
    try:
        found = user_added(tmp_path)
    finally:
        done.set()
        t.join(5)
    assert found == []  # (no record read: nothing told apart, as without one)
    (tmp_path / WRITTEN_NAME).unlink()
    (tmp_path / WRITTEN_NAME).write_text("[" * 5000 + "]" * 5000)
    assert user_added(tmp_path) == []  # (was: RecursionError)
    (tmp_path / WRITTEN_NAME).write_text(json.dumps(["config.json"]))
    assert user_added(tmp_path) == ["notes.txt"]


def test_started_command_skips_a_named_pipe_mark(tmp_path):
    # `rnnlab forecast --run DIR` (and `--resume DIR`) of a panel run stopped in training
    # names the command that started it, from its .rnnlab-pending: a pipe there blocked it
    from rnnlab.io.rundir import PENDING_NAME
    from rnnlab.panel.run_resume import started_command

    os.mkfifo(tmp_path / PENDING_NAME)
    done, t = _feeder(tmp_path / PENDING_NAME, json.dumps(["rnnlab", "forecast"]))
    try:
        found = started_command(tmp_path)
    finally:
        done.set()
        t.join(5)
    assert found is None  # (said as for a mark that cannot be read)
    (tmp_path / PENDING_NAME).unlink()
    (tmp_path / PENDING_NAME).write_text("[" * 5000 + "]" * 5000)
    assert started_command(tmp_path) is None  # (was: RecursionError)
    (tmp_path / PENDING_NAME).write_text(json.dumps(["rnnlab", "forecast"]))
    assert started_command(tmp_path) == ["rnnlab", "forecast"]


def test_a_record_names_no_file_to_write(tmp_path, capsys):
    # `--config RUN_DIR` of a run folder from elsewhere: its cli.json, edited, named
    # `"run": ..., "output": "/anywhere/x.csv"`, and `rnnlab forecast --config RUN_DIR`
    # wrote the forecast there (making the folders); a record's paths to write are not taken
    from rnnlab.cli import main
    from rnnlab.io.json_file import checksummed_text

    run, elsewhere = tmp_path / "theirs", tmp_path / "elsewhere"
    run.mkdir()
    options = {"hidden_size": 8, "output": str(elsewhere / "x.csv"),
               "insample": str(elsewhere / "in.csv")}
    (run / "cli.json").write_text(checksummed_text({"options": options,
                                                    "command": "rnnlab forecast"}))
    assert main(["forecast", "--config", str(run), "--print-config"]) == 0
    out, err = capsys.readouterr()
    printed = json.loads(out)["options"]
    assert printed.get("output") is None and printed.get("insample") is None, printed
    assert printed["hidden_size"] == 8  # (its other options are taken, as before)
    assert "output" in err and str(elsewhere / "x.csv") in err and "--output" in err, err
    assert str(elsewhere / "in.csv") not in err, err  # (a run's record holds the insample
    # it wrote: dropped without a word, as the README says; a note there was a false alarm)
    assert not elsewhere.exists()


def test_links_out_of_a_run_are_named(tmp_path):
    from rnnlab.io.links_out import links_out

    run, elsewhere = tmp_path / "run", tmp_path / "elsewhere"
    (run / "checkpoints").mkdir(parents=True)
    (elsewhere / "model").mkdir(parents=True)
    (run / "config.json").write_text("{}")
    (run / "model").symlink_to(elsewhere / "model")
    (run / "checkpoints" / "same.json").symlink_to(run / "config.json")  # (inside: fine)
    (run / "gone").symlink_to(tmp_path / "nothing")  # (its reader says it is missing)
    assert links_out(run) == [f"model -> {(elsewhere / 'model').resolve()}"]
    assert links_out(elsewhere) == []


def test_lm_run_read_through_a_link_says_so(tmp_path, capsys):
    # `rnnlab lm generate --run DIR` with DIR/model a link to another folder read that
    # model without a word
    from rnnlab.lm.run_model import model_dir

    run, elsewhere = tmp_path / "run", tmp_path / "elsewhere"
    run.mkdir()
    (elsewhere / "model").mkdir(parents=True)
    (elsewhere / "model" / "model.json").write_text("{}")
    (run / "model").symlink_to(elsewhere / "model")
    assert model_dir(str(run), "rnnlab lm generate") == run / "model"
    err = capsys.readouterr().err
    assert "lead out of it" in err and str((elsewhere / "model").resolve()) in err, err
    (run / "model").unlink()
    (run / "model").mkdir()
    (run / "model" / "model.json").write_text("{}")
    model_dir(str(run), "rnnlab lm generate")
    assert capsys.readouterr().err == ""


@pytest.mark.slow  # (a short panel run trained first)
def test_panel_run_read_through_a_link_says_so(tmp_path, capsys):
    # `rnnlab forecast --run DIR` of a panel run (several series) took another path than
    # a one-series run's, and read a `model` linked to another folder without a word
    import shutil

    import numpy as np
    import pandas as pd

    from rnnlab.cli import main

    rng = np.random.default_rng(0)
    pd.concat([pd.DataFrame({"unique_id": f"s{i}", "ds": pd.date_range("2020-01-01",
                                                                        periods=30),
                             "y": 10 + i + rng.standard_normal(30)}) for i in range(2)]
              ).to_csv(tmp_path / "p.csv", index=False)
    run, kept = tmp_path / "run", tmp_path / "kept"
    assert main(["forecast", "--data", str(tmp_path / "p.csv"), "--model", "gru", "--epochs",
                 "1", "--hidden-size", "4", "--horizon", "3", "--lookback", "6", "--out",
                 str(run), "-q"]) == 0
    shutil.move(str(run / "model"), str(kept))
    (run / "model").symlink_to(kept)
    capsys.readouterr()
    assert main(["forecast", "--run", str(run), "--output", str(tmp_path / "o.csv")]) == 0
    err = capsys.readouterr().err
    assert "lead out of it" in err and f"model -> {kept.resolve()}" in err, err


def test_links_out_does_not_walk_a_whole_tree(tmp_path, monkeypatch):
    # `--run ~` (a folder given by mistake) was walked whole, every file under it, before
    # its loader could say it holds no run: a run holds a few hundred names at most
    from rnnlab.io import links_out as module

    deep = tmp_path / "home"
    for i in range(100):
        deep = deep / f"d{i}"
    deep.mkdir(parents=True)
    walked = []
    real_walk = os.walk

    def counting_walk(*a, **k):
        for step in real_walk(*a, **k):
            walked.append(step[0])
            yield step

    monkeypatch.setattr(module.os, "walk", counting_walk)
    monkeypatch.setattr(module, "MAX_ENTRIES", 20, raising=False)
    assert module.links_out(tmp_path / "home") == []
    assert 0 < len(walked) <= 25, len(walked)
