"""`rnnlab lm generate/eval --run DIR` and CharLM.load on an unfinished run (killed, or
still training): the best weights so far (checkpoints/best.safetensors), with a note; were
refused as 'holds training checkpoints, not a saved model' / 'in use by another process'."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from rnnlab.io.errors import CheckpointError
from rnnlab.io.runlock import LOCK_NAME
from rnnlab.lm import CharLM

sys.path.insert(0, str(Path(__file__).parent))
from cli_run import run  # noqa: E402

TEXT = "the cat sat on the mat and the dog saw the cat. " * 30


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished run's files (model/ holds the best epoch's weights, as best.safetensors
    does); fitted in-process, as `lm train` fits (quicker than the whole command)."""
    tmp = tmp_path_factory.mktemp("lm")
    corpus = tmp / "c.txt"
    corpus.write_text(TEXT, encoding="utf-8")
    out = tmp / "run"
    lm = CharLM(hidden_size=8, num_layers=1, embedding=4)
    lm.fit(TEXT, checkpoint_dir=out / "checkpoints", epochs=2, seq_len=16, batch_size=4,
           progress=False)
    assert lm.info["best_epoch"] == 2  # (the epoch the note below names)
    lm.save(out / "model")
    return out, corpus


@pytest.fixture
def killed(finished, tmp_path):
    """The same run as a kill after its last checkpoint leaves it: no model/, no results."""
    run_dir = tmp_path / "run"
    shutil.copytree(finished[0], run_dir)
    shutil.rmtree(run_dir / "model")
    return run_dir


GEN = ["--prefix", "the ", "-n", "30", "--temperature", "0"]


def test_generate_and_eval_use_the_best_weights_so_far_with_a_note(finished, killed, capsys):
    from rnnlab.cli import main

    assert main(["lm", "generate", "--run", str(finished[0]), *GEN]) == 0
    expected = capsys.readouterr().out
    assert main(["lm", "generate", "--run", str(killed), *GEN]) == 0  # was refused
    got = capsys.readouterr()
    assert got.out == expected and got.out.startswith("the ")
    assert f"{killed} is an unfinished run" in got.err
    assert "epoch 2 of at most 2" in got.err and "best.safetensors" in got.err

    scored = []
    for run_dir in (finished[0], killed):
        assert main(["lm", "eval", "--run", str(run_dir), "--text", str(finished[1]),
                     "--json"]) == 0
        scored.append(json.loads(capsys.readouterr().out)["bpc"])
    assert scored[0] == scored[1]


def test_charlm_load_of_an_unfinished_run(finished, killed, capsys):
    lm = CharLM.load(killed)
    assert lm.info["unfinished"] and lm.info["best_epoch"] == 2
    assert "unfinished run" in capsys.readouterr().err
    done = CharLM.load(finished[0])
    assert lm.vocab.to_json() == done.vocab.to_json()
    assert lm.generate("the ", 20, temperature=0) == done.generate("the ", 20, temperature=0)
    assert CharLM.load(killed / "checkpoints").info["unfinished"]  # its checkpoints/ too


def test_a_run_still_training_is_read_not_refused(killed, capsys):
    (killed / LOCK_NAME).write_text(str(os.getppid()))  # a live process holds it
    code, err = run(["lm", "generate", "--run", str(killed), *GEN], capsys)
    assert code == 0 and "unfinished run" in err
    assert (killed / LOCK_NAME).is_file()  # (left to its holder)


def test_no_best_weights_yet_is_said(killed, capsys):
    (killed / "checkpoints" / "best.safetensors").unlink()
    with pytest.raises(CheckpointError, match="no best weights so far"):
        CharLM.load(killed)
    code, err = run(["lm", "eval", "--run", str(killed), "--text", "x"], capsys)
    assert code == 1 and "no best weights so far" in err and "--resume" in err


def test_training_before_its_first_checkpoint_is_said(tmp_path, capsys):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / LOCK_NAME).write_text(str(os.getppid()))
    code, err = run(["lm", "generate", "--run", str(busy), "--prefix", "a"], capsys)
    assert code == 1 and "in use by another rnnlab process" in err
    assert "no best weights yet" in err


def test_a_finished_runs_checkpoints_folder_is_still_not_a_model(finished):
    with pytest.raises(CheckpointError, match="holds training checkpoints, not a saved model"):
        CharLM.load(finished[0] / "checkpoints")


def test_best_weights_leaves_a_save_in_progress_alone(killed):
    # was: best_weights (documented for a run still training) deleted the temporaries of
    # the checkpoint and best file the run was writing (CheckpointManager.load's cleaning)
    from rnnlab.train import best_weights

    folder = killed / "checkpoints"
    writing = folder / ".ckpt-00009999.abc"
    writing.mkdir()
    (writing / "model.safetensors").write_bytes(b"being written")
    (folder / ".best.safetensors.x1.tmp").write_bytes(b"being written")
    weights, epoch = best_weights(folder)
    assert epoch == 2 and weights
    assert (writing / "model.safetensors").is_file()
    assert (folder / ".best.safetensors.x1.tmp").is_file()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_best_weights_that_are_no_file_are_named(killed):
    # a pipe or a folder at best.safetensors was called missing ("no epoch has been
    # validated yet: wait for its first epoch"), which no wait would change
    best = killed / "checkpoints" / "best.safetensors"
    best.unlink()
    os.mkfifo(best)
    with pytest.raises(CheckpointError, match="found a device, pipe or socket") as e:
        CharLM.load(killed)
    assert "no epoch has been validated" not in str(e.value)
    best.unlink()
    best.mkdir()
    with pytest.raises(CheckpointError, match="found a directory"):
        CharLM.load(killed)
