"""A job scheduler repeats one command after each kill (a spot instance): ``--out DIR
--resume`` starts the run when DIR has none yet, and goes on with it after. The same
command without --resume was refused once DIR held a run, and with it refused at the
first start ("no such run directory; nothing to resume")."""

import json

import pytest

from rnnlab.cli import main

TEXT = "the quick brown fox jumps over the lazy dog. " * 12
TINY = ["--model", "rnn", "--hidden-size", "8", "--num-layers", "1", "--embedding", "8",
        "--seq-len", "8", "--batch-size", "4", "--sample-every", "0", "--no-progress",
        "--threads", "1"]


def test_one_command_starts_the_run_then_goes_on_with_it(tmp_path, capsys):
    (tmp_path / "c.txt").write_text(TEXT)
    run = tmp_path / "run"
    command = ["lm", "train", "--corpus", str(tmp_path / "c.txt"), *TINY, "--out", str(run),
               "--resume"]
    assert main(command + ["--epochs", "1"]) == 0
    assert "no run to resume there yet, so it starts" in capsys.readouterr().err
    assert main(command + ["--epochs", "2"]) == 0  # (the same command, a larger budget)
    err = capsys.readouterr().err
    assert "resuming from the checkpoint" in err and "no run to resume" not in err
    epochs = json.loads((run / "metrics.json").read_text())["epochs_detail"]
    assert [r["epoch"] for r in epochs] == [1, 2]


def test_a_run_that_wrote_nothing_yet_is_started_over(tmp_path, capsys):
    # killed before its first checkpoint: what it left is taken over
    (tmp_path / "c.txt").write_text(TEXT)
    run = tmp_path / "run"
    run.mkdir()
    (run / ".rnnlab-run").write_text("made by rnnlab\n")
    (run / "config.json").write_text("{}")
    (run / "checkpoints").mkdir()
    assert main(["lm", "train", "--corpus", str(tmp_path / "c.txt"), *TINY, "--epochs", "1",
                 "--out", str(run), "--resume"]) == 0
    assert (run / "metrics.json").is_file()


@pytest.mark.parametrize("command", [["forecast"], ["lm", "train"]])
def test_resume_of_a_named_run_still_wants_it(command, tmp_path, capsys):
    # --resume RUN_DIR (a typo, a folder of one's own) is refused as before
    assert main([*command, "--resume", str(tmp_path / "nope")]) == 1
    assert "nothing to resume" in capsys.readouterr().err
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    assert main([*command, "--out", str(folder), "--resume"]) == 1
    assert "nothing to resume" in capsys.readouterr().err
