"""``rnnlab forecast --resume`` on one series takes its budget anew, as Lightning's
``max_epochs`` on a resume: more ``--epochs`` trains the run on to them, and the result is
the run started with them (the same weights); a larger ``--minutes`` trains on a member its
time budget stopped. A budget that would not give that run is refused, naming the option
and what the resume keeps: fewer epochs, other epochs under a cosine schedule, a smaller
time budget or one added to a run without any. Before, both were dropped for the run's own
(``--epochs 2`` with ``--resume``: the run stayed at its one epoch)."""

import json
import re

import pytest

from rnnlab.cli import main

FORECAST = ["forecast", "--data", "airline", "--model", "lstm", "--hidden-size", "4",
            "--ensemble", "1", "--no-progress", "--select", "network"]


def _run(out, *extra):
    assert main([*FORECAST, "--out", str(out), *extra]) == 0


def _resume(out, *extra):
    return main(["forecast", "--resume", str(out), *extra])


def _epochs(out):
    return [line.split(",")[1] for line in (out / "history.csv").read_text().splitlines()[1:]]


def _saved(out, key):
    return json.loads((out / "cli.json").read_text())["options"][key]


@pytest.mark.slow
def test_more_epochs_on_resume_train_on_to_the_run_started_with_them(tmp_path):
    _run(tmp_path / "a", "--epochs", "1")
    assert _resume(tmp_path / "a", "--epochs", "3") == 0
    _run(tmp_path / "b", "--epochs", "3")  # (uninterrupted)
    assert _epochs(tmp_path / "a") == ["1", "2", "3"] == _epochs(tmp_path / "b")
    assert _saved(tmp_path / "a", "epochs") == 3  # (the next resume keeps them)
    weights = "model/model.safetensors"
    assert (tmp_path / "a" / weights).read_bytes() == (tmp_path / "b" / weights).read_bytes()


def test_a_larger_time_budget_trains_on_a_member_it_stopped(tmp_path):
    out = tmp_path / "run"
    _run(out, "--epochs", "3", "--minutes", "1e-7")  # (stopped at its first step)
    assert _epochs(out) == ["1"]
    assert _resume(out, "--minutes", "10") == 0
    assert _epochs(out) == ["1", "2", "3"] and _saved(out, "minutes") == 10


@pytest.mark.parametrize("start, again, said", [
    (["--epochs", "2"], ["--epochs", "1"], r"--epochs 1 with --resume: the run was started "
                                           r"with --epochs 2.* not fewer"),
    (["--epochs", "1", "--lr-schedule", "cosine"], ["--epochs", "2"],
     r"--epochs 2 with --resume: the run's cosine .* over the 1 epochs"),
    (["--epochs", "1"], ["--minutes", "5"], r"--minutes 5 with --resume: the run was started "
                                            r"without a time budget"),
    (["--epochs", "1", "--minutes", "5"], ["--minutes", "1"],
     r"--minutes 1 with --resume: the run was started with --minutes 5.* not lower it"),
])
def test_a_budget_the_run_cannot_train_on_to_is_refused_before_it_trains(
        tmp_path, capsys, start, again, said):
    out = tmp_path / "run"
    _run(out, *start)
    before = (out / "history.csv").read_bytes()
    capsys.readouterr()
    assert _resume(out, *again) != 0
    assert re.search("rnnlab forecast: error: " + said, capsys.readouterr().err)
    assert (out / "history.csv").read_bytes() == before and _saved(out, "epochs") == int(
        start[1])
