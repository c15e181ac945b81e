"""Review of ops33 (the builder's note): ``rnnlab lm train --resume`` takes ``--epochs`` and
``--minutes`` anew as ``rnnlab forecast --resume`` does, and refuses, as it does, a budget
the run cannot train on to. Before, ``--epochs 1`` on a run that had trained 2 trained
nothing, rewrote the run's outputs from the same weights, and its config.json then said
``epochs: 1`` of a model of 2 epochs (a warning said so, the command exited 0)."""

import json
import re

import pytest

from rnnlab.cli import main

LM = ["lm", "train", "--hidden-size", "4", "--num-layers", "1", "--embedding", "0",
      "--seq-len", "8", "--batch-size", "4", "--no-progress", "--threads", "1",
      "--sample-every", "0"]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("a cat sat. a dog ran. " * 30, encoding="utf-8")
    return path


@pytest.mark.parametrize("start, again, said", [
    (["--epochs", "2"], ["--epochs", "1"], r"--epochs 1 with --resume: the run was started "
                                           r"with --epochs 2.* not fewer"),
    (["--epochs", "1", "--lr-schedule", "cosine"], ["--epochs", "2"],
     r".*cosine .* over (the )?1 epochs"),  # (refused before as the checkpoint loaded)
    (["--epochs", "1", "--minutes", "5"], ["--minutes", "1"],
     r"--minutes 1 with --resume: the run was started with --minutes 5.* not lower it"),
])
def test_a_budget_the_run_cannot_train_on_to_is_refused_before_it_trains(
        tmp_path, corpus, capsys, start, again, said):
    out = tmp_path / "run"
    assert main([*LM, "--corpus", str(corpus), *start, "--out", str(out)]) == 0
    before = {n: (out / n).read_bytes() for n in ("config.json", "metrics.json", "cli.json")}
    capsys.readouterr()
    assert main(["lm", "train", "--resume", str(out), *again]) != 0
    assert re.search("rnnlab lm train: error: " + said, capsys.readouterr().err)
    assert {n: (out / n).read_bytes() for n in before} == before  # (nothing rewritten)


def test_more_epochs_on_resume_still_train_on(tmp_path, corpus, capsys):
    out = tmp_path / "run"
    assert main([*LM, "--corpus", str(corpus), "--epochs", "1", "--out", str(out)]) == 0
    assert main(["lm", "train", "--resume", str(out), "--epochs", "2"]) == 0, \
        capsys.readouterr().err
    assert json.loads((out / "config.json").read_text())["config"]["train"]["epochs"] == 2
    assert len(json.loads((out / "metrics.json").read_text())["epochs_detail"]) == 2
