"""``--resume RUN_DIR --print-config`` where RUN_DIR is no folder: refused as the resume
itself refuses it (it printed the options resolved and exited 0, for a run that cannot go
on). ``--out DIR --resume --print-config`` still prints: that command starts the run."""

import json

import pytest


@pytest.mark.parametrize("command", [["forecast"], ["lm", "train"]])
def test_print_config_with_a_resume_of_no_run_directory_is_refused(tmp_path, capsys,
                                                                     command):
    from rnnlab.cli import main

    missing = tmp_path / "typo"
    assert main([*command, "--resume", str(missing), "--print-config"]) == 1
    captured = capsys.readouterr()
    said = f"{missing}: no such run directory; nothing to resume"
    assert captured.out == "" and said in captured.err
    assert f"rnnlab {' '.join(command)}: error: " in captured.err
    assert not missing.exists()
    # the same words as the resume without --print-config (status 1, RunDirError)
    assert main([*command, "--resume", str(missing)]) == 1
    assert said in capsys.readouterr().err and not missing.exists()


@pytest.mark.parametrize("command", [["forecast"], ["lm", "train"]])
def test_print_config_with_a_resume_of_a_folder_that_holds_no_run_is_refused(tmp_path, capsys,
                                                                             command):
    # (said "the resumed run goes on with the options DIR saved" and pointed at
    # `--config DIR --print-config`, which refuses a folder without cli.json)
    from rnnlab.cli import main

    (tmp_path / "notes.txt").write_text("x")
    panel = tmp_path / "panel"
    panel.mkdir()
    (panel / "panel.json").write_text("{}")
    for argv in (["--resume", str(tmp_path)], ["--out", str(tmp_path), "--resume"],
                 ["--resume", str(panel)]):
        assert main([*command, *argv, "--print-config"]) == 1
        refused = capsys.readouterr()
        assert main([*command, *argv]) == 1
        assert refused.out == "" and refused.err == capsys.readouterr().err
        assert "nothing to resume" in refused.err or "keeps no checkpoints" in refused.err
        assert "--print-config with --resume" not in refused.err


def test_print_config_with_out_dir_resume_still_prints_the_options_the_run_starts_with(
        tmp_path, capsys):
    from rnnlab.cli import main

    assert main(["forecast", "--out", str(tmp_path / "new"), "--resume", "--epochs", "3",
                 "--print-config"]) == 0
    assert json.loads(capsys.readouterr().out)["options"]["epochs"] == 3
