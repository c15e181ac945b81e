"""A resumed panel run (``rnnlab forecast --data PANEL ... --resume``) marks itself
unfinished with the command now running (``.rnnlab-pending``, as a new run marks itself
with the command that started it). It left the mark as it was: the first command (a stop
of the resumed run then said to continue with the first command's --epochs), or, resuming
a finished run to train on, no mark at all, so the run read as finished (no resume hint,
``is_incomplete`` false) while its training and files were being done again."""

import json

import pytest

from rnnlab.cli import main
from rnnlab.io.command_line import running
from rnnlab.io.incomplete_run import is_incomplete
from rnnlab.io.rundir import PENDING_NAME, WRITTEN_NAME, finish_run_dir, prepare_run_dir
from rnnlab.io.resumed_marks import mark_resumed
from rnnlab.panel.run_resume import resume_command, started_command


def test_the_mark_holds_the_resumed_command(tmp_path):
    out = tmp_path / "run"
    with running(["forecast", "--data", "p.csv", "--epochs", "3", "--out", str(out)]):
        prepare_run_dir(out)
    finish_run_dir(out)  # (a finished run: no mark, its record of what it wrote)
    assert not is_incomplete(out) and (out / WRITTEN_NAME).is_file()
    again = ["forecast", "--data", "p.csv", "--epochs", "5", "--out", str(out), "--resume",
             "-q"]
    with running(again):
        mark_resumed(out)
    assert json.loads((out / PENDING_NAME).read_text()) == ["rnnlab", *again[:-1]]
    assert is_incomplete(out) and not (out / WRITTEN_NAME).exists()
    assert resume_command(started_command(out)).endswith("--epochs 5 --out " + str(out)
                                                         + " --resume")
    finish_run_dir(out)  # (the resumed run ends: finished again)
    assert not is_incomplete(out) and not (out / PENDING_NAME).exists()


@pytest.mark.slow  # (a short panel run, a stopped resume and a whole one)
def test_a_resume_stopped_while_writing_says_its_own_command(tmp_path, capsys, monkeypatch):
    import rnnlab.panel.forecast_run as fr
    from test_panel_resume_cli27 import _cmd, _data

    data = _data(tmp_path)
    out = tmp_path / "run"
    assert main(_cmd(data, out)) == 0
    more = [*_cmd(data, out), "--epochs", "4", "--resume"]  # (train on: one more epoch)
    seen = []

    def interrupted(*a, **k):
        seen.append((json.loads((out / PENDING_NAME).read_text()), is_incomplete(out)))
        raise KeyboardInterrupt
    with monkeypatch.context() as m:
        m.setattr(fr, "_write_scores", interrupted)  # (after the training, as it writes)
        assert main(more) == 130
    assert seen == [(["rnnlab", *[w for w in more if w != "-q"]], True)]
    err = capsys.readouterr().err
    assert err.rstrip().endswith("--epochs 4 --resume"), err
    assert main(more) == 0  # (the same command: goes on, and finishes the run)
    assert not (out / PENDING_NAME).exists() and (out / WRITTEN_NAME).is_file()
    import pandas as pd

    assert pd.read_csv(out / "history.csv")["epoch"].max() == 4
