"""A user's file in a finished one-series forecast run or language-model run survives a
``--resume`` and a later ``--overwrite`` (as a panel run's does:
test_panel_refused_resume_marks28). The resumed run rewrote its record of what it wrote
(``.rnnlab-written``) from every file in the folder when it finished, so the user's
notes.txt read as the run's, and the next ``--overwrite`` deleted it with the run. A resume
refused before it trained (a hand-edited cli.json: sizes the checkpoint does not have)
leaves the finished run's marks as they were."""

import json

import pytest

from rnnlab.cli import main
from rnnlab.io.incomplete_run import is_incomplete
from rnnlab.io.rundir import PENDING_NAME, WRITTEN_NAME, finish_run_dir, prepare_run_dir
from rnnlab.io.user_added import user_added

FORECAST = ["forecast", "--data", "airline", "--model", "lstm", "--hidden-size", "8",
            "--epochs", "1", "--ensemble", "1", "--no-progress", "--select", "network"]


def _lm(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("the time traveller spoke to us of things. " * 120)
    return ["lm", "train", "--corpus", str(corpus), "--model", "lstm", "--hidden-size", "8",
            "--num-layers", "1", "--embedding", "4", "--epochs", "1", "--seq-len", "16",
            "--batch-size", "8", "--sample-every", "0", "--no-progress"]


def _marks(out):
    return {n: (out / n).read_bytes() if (out / n).exists() else None
            for n in (PENDING_NAME, WRITTEN_NAME)}


def _edit_sizes(out):
    """cli.json as a hand edit leaves it: a hidden size the checkpoint does not have."""
    saved = json.loads((out / "cli.json").read_text())
    saved.pop("_sha256", None)
    saved["options"]["hidden_size"] = 100000
    (out / "cli.json").write_text(json.dumps(saved))


def test_the_users_files_are_those_the_record_does_not_name(tmp_path):
    out = tmp_path / "run"
    prepare_run_dir(out)
    (out / "forecast.csv").write_text("x")
    assert user_added(out) == []  # (no record yet: nothing told apart)
    finish_run_dir(out)
    (out / "notes.txt").write_text("mine")
    (out / ".hidden").write_text("")
    assert user_added(out) == ["notes.txt"]
    (out / WRITTEN_NAME).write_text("{not json")
    assert user_added(out) == []


@pytest.mark.slow  # (a short run, a resume, a refused --overwrite: each route)
@pytest.mark.parametrize("route, refused", [  # (a seed's refusal: the one-series run's)
    ("forecast", False), ("forecast", True), ("forecast seeds", False),
    ("forecast seeds", True), ("lm", False), ("lm", True)])
def test_a_resume_keeps_the_users_file_in_a_finished_run(tmp_path, capsys, route, refused):
    out = tmp_path / "run"
    start = {"forecast": FORECAST, "forecast seeds": [*FORECAST, "--seeds", "1", "2"],
             "lm": _lm(tmp_path)}[route]
    assert main([*start, "--out", str(out)]) == 0
    (out / "notes.txt").write_text("mine")
    before = _marks(out)
    if refused:
        _edit_sizes(out)
    more = ["--epochs", "2"] if route == "lm" else []  # (a one-series run keeps its own)
    assert main([*start[:2 if route == "lm" else 1], "--resume", str(out), *more]) == refused
    err = capsys.readouterr().err
    assert not refused or "cannot resume with model lstm, hidden_size 100000" in err
    assert not is_incomplete(out)
    assert not refused or _marks(out) == before  # (refused: the finished run as it was)
    assert "notes.txt" not in json.loads((out / WRITTEN_NAME).read_text())
    assert main([*start, "--out", str(out), "--overwrite"]) == 1  # (the user's file named)
    assert "notes.txt" in capsys.readouterr().err
    assert (out / "notes.txt").read_text() == "mine"
