"""``rnnlab forecast --data PANEL --out DIR --resume`` where DIR holds no panel run to
resume: the refusal says what DIR holds (it said "holds a panel run without checkpoints"
of a one-series run's folder and of a folder of anything else)."""

import pytest

from rnnlab.cli import main
from test_panel_resume_cli27 import _cmd, _data


def test_a_one_series_runs_folder_is_named_as_one(tmp_path, capsys):
    from rnnlab.io.rundir import prepare_run_dir

    out = prepare_run_dir(tmp_path / "one")
    (out / "cli.json").write_text("{}")
    (out / "metrics.json").write_text("{}")
    assert main([*_cmd(_data(tmp_path), out), "--resume"]) == 1
    said = capsys.readouterr().err
    assert "holds a one-series run (cli.json), not a panel run" in said
    assert f"rnnlab forecast --resume {out}` alone continues it" in said


@pytest.mark.parametrize("names", [["notes.txt"], ["a.txt", "b.txt", "c.txt", "d.txt"]])
def test_a_folder_of_other_files_is_no_run(tmp_path, capsys, names):
    out = tmp_path / "docs"
    out.mkdir()
    for n in names:
        (out / n).write_text("x")
    assert main([*_cmd(_data(tmp_path), out), "--resume"]) == 1
    said = capsys.readouterr().err
    assert "holds no run of rnnlab's (" + ", ".join(names[:3]) in said
    assert "panel run without checkpoints" not in said
    assert sorted(p.name for p in out.iterdir()) == names  # (nothing written there)


def test_resume_with_the_folder_alone_of_a_stopped_panel_run_says_its_command(
        tmp_path, capsys, monkeypatch):
    # said "not a run directory of rnnlab forecast (no cli.json); nothing to resume. Start
    # a new run with --out DIR": a panel run stopped in training has no panel.json yet
    import shlex

    from test_interrupt19 import stop_at_first_step

    data = _data(tmp_path)
    out = tmp_path / "run"
    with monkeypatch.context() as m:
        stop_at_first_step(m)
        assert main(_cmd(data, out)) == 130
    capsys.readouterr()
    assert main(["forecast", "--resume", str(out)]) == 1
    said = capsys.readouterr().err
    assert "a run of several series stopped in training" in said
    assert said.rstrip().endswith("continue it with: " + shlex.join(
        ["rnnlab", *_cmd(data, out)[:-1], "--resume"])), said  # (-q: not kept)


@pytest.mark.slow  # (a short panel run)
def test_a_run_killed_in_its_first_checkpoints_save_starts_on_resume(tmp_path, capsys):
    # was refused ("holds a panel run without checkpoints"), and the same command without
    # --resume was refused naming --resume: only --overwrite went on
    import json

    from rnnlab.io.rundir import PENDING_NAME, prepare_run_dir

    data = _data(tmp_path)
    out = prepare_run_dir(tmp_path / "run")
    (out / PENDING_NAME).write_text(json.dumps(["rnnlab", *_cmd(data, out)[:-1]]))
    cut = out / "checkpoints" / "member0" / ".ckpt-00000003"  # (a save a kill cut short)
    cut.mkdir(parents=True)
    (cut / "model.safetensors").write_bytes(b"xx")
    assert main([*_cmd(data, out), "--resume"]) == 0  # (-q: no note that it starts)
    assert not cut.exists() and (out / "forecasts.csv").is_file()


def test_a_run_of_rnnlabs_without_checkpoints_is_named_as_one(tmp_path, capsys):
    from rnnlab.io.rundir import prepare_run_dir

    out = prepare_run_dir(tmp_path / "run")
    (out / "notes.txt").write_text("x")
    assert main([*_cmd(_data(tmp_path), out), "--resume"]) == 1
    said = capsys.readouterr().err
    assert "holds a run with no checkpoint to resume" in said and "--overwrite" in said
