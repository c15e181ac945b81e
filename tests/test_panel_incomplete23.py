"""A run with no checkpoints (a panel forecast, a backtest) killed while writing its results:
the same command runs it again from the start, with a note (was: 'run directory already
exists and is not empty; pass --overwrite'); a finished run, a run an older rnnlab wrote
and a user's file in the killed run are not replaced unasked."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from rnnlab.io.errors import RunDirError
from rnnlab.io.incomplete_run import is_incomplete
from rnnlab.io.rundir import (PENDING_NAME, WRITTEN_NAME, finish_run_dir, prepare_run_dir,
                              previous_of)

sys.path.insert(0, str(Path(__file__).parent))
from cli_run import run  # noqa: E402


def _killed(path: Path) -> Path:
    """What a run killed (SIGKILL) while writing its results leaves."""
    out = prepare_run_dir(path, resumable=False)
    (out / "config.json").write_text('{"versions": {"rnnlab": "0.1.0"}}')
    (out / "forecasts.csv").write_text("half")
    return out


def test_a_killed_run_is_run_again_with_a_note(tmp_path, capsys):
    out = _killed(tmp_path / "run")
    assert is_incomplete(out)
    prepare_run_dir(out, resumable=False)  # (was: RunDirError, --overwrite asked for)
    assert "stopped before it finished" in capsys.readouterr().err
    assert not (out / "forecasts.csv").exists() and (out / PENDING_NAME).is_file()
    (out / "forecasts.csv").write_text("whole")
    finish_run_dir(out)
    assert not is_incomplete(out) and not (out / PENDING_NAME).exists()
    assert (out / WRITTEN_NAME).is_file() and not previous_of(out).exists()
    assert (out / "forecasts.csv").read_text() == "whole"


def test_a_users_file_in_the_killed_run_is_kept(tmp_path, capsys):
    out = _killed(tmp_path / "run")
    (out / "notes.txt").write_text("mine")
    prepare_run_dir(out, resumable=False)
    (out / "config.json").write_text('{"versions": {"rnnlab": "0.1.0"}}')
    (out / "forecasts.csv").write_text("whole")
    finish_run_dir(out)
    assert (out / "notes.txt").read_text() == "mine"
    assert "kept notes.txt (not written" in capsys.readouterr().err
    with pytest.raises(RunDirError, match="notes.txt"):  # named, not deleted, by --overwrite
        prepare_run_dir(out, overwrite=True, resumable=False)


def test_a_finished_or_older_run_is_still_refused(tmp_path):
    out = _killed(tmp_path / "done")
    finish_run_dir(out)
    with pytest.raises(RunDirError, match="--overwrite"):
        prepare_run_dir(out, resumable=False)
    older = _killed(tmp_path / "older")
    (older / PENDING_NAME).unlink()  # an older rnnlab's run: no marker, counted as finished
    with pytest.raises(RunDirError, match="--overwrite"):
        prepare_run_dir(older, resumable=False)
    one = _killed(tmp_path / "one")  # a run with checkpoints: --resume or --overwrite, as before
    with pytest.raises(RunDirError, match="--resume"):
        prepare_run_dir(one)


@pytest.mark.slow  # (three panel runs: 8 s on 2 busy cores)
def test_panel_forecast_killed_while_writing_results_runs_again(tmp_path, capsys):
    rows = ["unique_id,ds,y"] + [f"{s},2020-{m:02d}-01,{10 + m + 3 * (m % 4) + k}"
                            for s, k in (("a", 0), ("b", 5)) for m in range(1, 13)]
    data = tmp_path / "panel.csv"
    data.write_text("\n".join(rows) + "\n")
    out = tmp_path / "run"
    cmd = ["forecast", "--data", str(data), "--model", "seasonal_naive", "--baselines", "none",
           "--horizon", "2", "--out", str(out), "-q"]
    assert run(cmd, capsys)[0] == 0
    whole = sorted(p.name for p in out.iterdir())
    (out / WRITTEN_NAME).unlink()  # as a kill before its last files leaves it
    (out / "metrics.json").unlink()
    (out / PENDING_NAME).write_text(json.dumps(["rnnlab", *cmd[:-1]]))  # (its command)
    code, err = run([c for c in cmd if c != "-q"], capsys)
    assert code == 0 and "stopped before it finished" in err, err
    assert sorted(p.name for p in out.iterdir()) == whole
    code, err = run(cmd, capsys)  # finished now: refused as before
    assert code == 1 and "--overwrite" in err


def test_another_command_takes_it_over_only_with_overwrite(tmp_path, capsys):
    from rnnlab.io.command_line import running

    with running(["backtest", "--data", "visnights", "--out", "run"]):
        out = _killed(tmp_path / "run")
        (out / "stale.csv").write_text("the killed backtest's")
    with running(["forecast", "--data", "visnights", "--out", "run"]):
        with pytest.raises(RunDirError, match="--overwrite"):
            prepare_run_dir(out, resumable=False)
    with running(["forecast", "--data", "visnights", "--out", "run", "--overwrite"]):
        prepare_run_dir(out, overwrite=True, resumable=False)
        (out / "config.json").write_text('{"versions": {"rnnlab": "0.1.0"}}')
        finish_run_dir(out)
    assert not (out / "stale.csv").exists()  # (not kept as if the user's: another command)
    with running(["backtest", "--data", "visnights", "--out", "run", "-q"]):  # (-q: the same)
        again = _killed(tmp_path / "again")
        prepare_run_dir(again, resumable=False)
    assert "stopped before it finished" in capsys.readouterr().err
