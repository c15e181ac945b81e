"""Session 30: a backtest resumed under another rnnlab or torch, or on other threads, than
its finished folds were computed with went on without a word (the run's config.json
records them, the folds' record did not), though its tables may then differ from an
uninterrupted run's bit for bit. Warned now (BacktestResumeWarning), naming both, as a
network's resumed fit and ``rnnlab forecast --resume`` say it; not refused."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from rnnlab.panel.backtest import backtest
from rnnlab.panel.backtest_versions import BacktestResumeWarning
from test_backtest_resume29 import Killed, kill_after
from test_panel_backtest_models28 import tiny_frame

OPTS = dict(horizon=2, first_origin=6, stride=2, baselines=("naive",))


def _killed_run(ck):
    with pytest.raises(Killed):
        backtest(None, tiny_frame(), checkpoint_dir=ck, progress=kill_after("naive: origin 1/"),
                 **OPTS)


def test_a_resume_under_other_versions_warns_naming_both(tmp_path):
    import torch

    import rnnlab

    _killed_run(tmp_path)
    path = tmp_path / "versions.json"
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["rnnlab"] == rnnlab.__version__ and kept["torch"] == torch.__version__
    kept = {k: v for k, v in kept.items() if k != "_sha256"}
    path.write_text(json.dumps({**kept, "rnnlab": "0.0.9", "torch": "1.13.1"}),
                    encoding="utf-8")
    with pytest.warns(BacktestResumeWarning) as said:
        resumed = backtest(None, tiny_frame(), checkpoint_dir=tmp_path, resume=True, **OPTS)
    text = str(said[0].message)
    assert f"rnnlab 0.0.9 (now {rnnlab.__version__})" in text, text
    assert f"torch 1.13.1 (now {torch.__version__})" in text, text
    assert "bit for bit" in text and "set_num_threads" not in text  # (the same threads)
    assert said[0].filename == __file__  # (the line that called backtest)
    whole = backtest(None, tiny_frame(), **OPTS)  # (went on: the same tables, baselines)
    pd.testing.assert_frame_equal(resumed.forecasts, whole.forecasts)


def test_a_resume_on_other_threads_warns_and_the_same_says_nothing(tmp_path):
    import torch

    _killed_run(tmp_path)
    before = torch.get_num_threads()
    with warnings.catch_warnings(), pytest.raises(Killed):  # (the threads it started on:
        warnings.simplefilter("error", BacktestResumeWarning)  # nothing to say)
        backtest(None, tiny_frame(), checkpoint_dir=tmp_path, resume=True,
                 progress=kill_after("naive: origin 2/"), **OPTS)
    try:
        torch.set_num_threads(before + 1)
        with pytest.warns(BacktestResumeWarning, match=rf"threads {before} \(now "
                                                        rf"{before + 1}\).*"
                                                        rf"torch.set_num_threads\({before}\)"):
            backtest(None, tiny_frame(), checkpoint_dir=tmp_path, resume=True, **OPTS)
    finally:
        torch.set_num_threads(before)


def test_a_run_begun_before_versions_were_kept_resumes_without_a_word(tmp_path):
    _killed_run(tmp_path)
    (tmp_path / "versions.json").unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("error", BacktestResumeWarning)
        backtest(None, tiny_frame(), checkpoint_dir=tmp_path, resume=True, **OPTS)


@pytest.mark.slow
def test_a_cli_resume_with_another_threads_is_warned(tmp_path, monkeypatch):
    """``rnnlab backtest --resume`` takes --threads anew, as ``rnnlab forecast --resume``
    does: a network's run started on one thread and resumed on two says so."""
    import torch

    import rnnlab.panel.origin_loop as loop
    from origin_stops import stop_at_origin
    from rnnlab.cli import main

    cmd = ["backtest", "--data", "visnights", "--model", "lstm", "--baselines", "none",
           "--horizon", "4", "--first-origin", "8", "--stride", "4", "--refit", "1",
           "--epochs", "1", "--hidden-size", "4", "--plot-series", "0",
           "--out", str(tmp_path / "bt")]
    before = torch.get_num_threads()
    try:
        real = stop_at_origin(monkeypatch, at=0)  # (session 31: a fold left to compute;
        assert main([*cmd, "--threads", "1"]) == 130  # with both kept, nothing is warned)
        monkeypatch.setattr(loop, "_said_origin", real)
        with pytest.warns(BacktestResumeWarning, match=r"threads 1 \(now 2\).*--threads 1 "
                                                        r"on the command line"):
            assert main([*cmd, "--threads", "2", "--resume"]) == 0
    finally:
        torch.set_num_threads(before)


def test_a_resume_back_on_the_first_threads_still_warns_of_the_others(tmp_path):
    """Review: begun on n threads, resumed on n + 1 (warned), killed again and resumed on
    n: folds of both were computed, and the last resume, whose output a job scheduler's
    user reads, said nothing."""
    import torch

    before = torch.get_num_threads()
    with pytest.raises(Killed):
        backtest(None, tiny_frame(), checkpoint_dir=tmp_path,
                 progress=kill_after("naive: origin 1/"), **OPTS)
    try:
        torch.set_num_threads(before + 1)
        with pytest.warns(BacktestResumeWarning), pytest.raises(Killed):
            backtest(None, tiny_frame(), checkpoint_dir=tmp_path, resume=True,
                     progress=kill_after("naive: origin 2/"), **OPTS)
    finally:
        torch.set_num_threads(before)
    with pytest.warns(BacktestResumeWarning, match=rf"threads {before + 1} \(now {before}\)"):
        resumed = backtest(None, tiny_frame(), checkpoint_dir=tmp_path, resume=True, **OPTS)
    pd.testing.assert_frame_equal(resumed.forecasts, backtest(None, tiny_frame(),
                                                              **OPTS).forecasts)


@pytest.mark.parametrize("text", ['{"rnnlab": "0.1", "torc', '["rnnlab"]', ""])
def test_a_damaged_versions_record_warns_and_the_resume_goes_on(tmp_path, text):
    """Review: a versions.json that did not read (cut short, not an object) refused the
    resume (a CheckpointError saying 'damaged or truncated', nothing to do), though the
    file serves a warning alone."""
    _killed_run(tmp_path)
    (tmp_path / "versions.json").write_text(text, encoding="utf-8")
    with pytest.warns(BacktestResumeWarning, match=r"versions\.json.*is unknown.*delete"):
        resumed = backtest(None, tiny_frame(), checkpoint_dir=tmp_path, resume=True, **OPTS)
    pd.testing.assert_frame_equal(resumed.forecasts, backtest(None, tiny_frame(),
                                                              **OPTS).forecasts)
