"""``rnnlab runs`` lists a panel forecast stopped or still running (it writes its
config.json after training, and was left out of the table: "holds no run directory" for a
folder of such runs) from its start mark and checkpoints, with ``finished`` false."""

from __future__ import annotations

import csv
import io
import json

import pytest

from rnnlab.cli import main
from rnnlab.io.rundir import PENDING_NAME


def _table(path, capsys):
    code = main(["runs", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def _stopped(folder, argv, settings=None, seed=7):
    folder.mkdir(parents=True)
    (folder / PENDING_NAME).write_text(json.dumps(argv))
    if settings is not None:
        ckpt = folder / "checkpoints" / "member0" / "ckpt-00000001"
        ckpt.mkdir(parents=True)
        (ckpt / "meta.json").write_text(json.dumps({
            "seed": seed, "panel_settings": {"hidden_size": settings, "lookback": 4,
                                             "seed": seed},
            "train_config": {"epochs": 5}}))


def test_a_stopped_panel_run_is_listed_unfinished_with_its_checkpoints_settings(tmp_path,
                                                                               capsys):
    _stopped(tmp_path / "h4", ["rnnlab", "forecast", "--data", "p.csv", "--seed", "7"], 4)
    _stopped(tmp_path / "h8", ["rnnlab", "forecast", "--data", "p.csv", "--seed", "7"], 8)
    rows = _table(tmp_path, capsys)
    assert [(r["run"], r["command"], r["seed"], r["finished"], r["hidden_size"])
            for r in rows] == [(str(tmp_path / "h4"), "forecast", "7", "False", "4"),
                               (str(tmp_path / "h8"), "forecast", "7", "False", "8")]
    assert "lookback" not in rows[0]  # (the same in both: not a column of a sweep's)
    (one,) = _table(tmp_path / "h4", capsys)
    assert one["epochs"] == "5" and one["lookback"] == "4"


def test_a_run_stopped_before_its_first_checkpoint_is_listed_from_its_command(tmp_path,
                                                                              capsys):
    _stopped(tmp_path / "r", ["rnnlab", "forecast", "--data", "p.csv", "--seed=3", "-q"])
    (row,) = _table(tmp_path, capsys)
    assert (row["command"], row["seed"], row["finished"]) == ("forecast", "3", "False")


def test_a_run_set_aside_or_a_damaged_mark_is_not_listed_as_a_run(tmp_path, capsys):
    from rnnlab.io.errors import DataError

    _stopped(tmp_path / ".r.previous", ["rnnlab", "forecast"])  # (set aside by --overwrite)
    assert main(["runs", str(tmp_path)]) == 1
    assert "holds no run directory" in capsys.readouterr().err
    from rnnlab.runs_unfinished import unfinished_row

    (tmp_path / "bad").mkdir()
    for mark in ({"argv": 1}, [1, 2]):  # (not the command as a list of words)
        (tmp_path / "bad" / PENDING_NAME).write_text(json.dumps(mark))
        with pytest.raises(DataError, match="bad"):
            unfinished_row(tmp_path / "bad")


@pytest.mark.slow  # (a short panel run stopped at its first step)
def test_a_panel_forecast_stopped_in_training_is_listed(tmp_path, capsys, monkeypatch):
    from test_interrupt19 import stop_at_first_step
    from test_panel_resume_cli27 import _cmd, _data

    data = _data(tmp_path)
    with monkeypatch.context() as m:
        stop_at_first_step(m)
        assert main(_cmd(data, tmp_path / "run")) == 130
    capsys.readouterr()
    assert not (tmp_path / "run" / "config.json").exists()
    (row,) = _table(tmp_path, capsys)  # (was: "holds no run directory")
    assert (row["run"], row["command"], row["seed"], row["finished"]) == (
        str(tmp_path / "run"), "forecast", "0", "False")
    assert (row["model"], row["hidden_size"], row["lookback"], row["epochs"]) == (
        "gru", "4", "4", "3")
