"""One way of saying how to start a stopped run over (rnnlab.stop_hints.start_over), used
after a stop in training (a run without checkpoints) and after a Ctrl-C outside it."""

from __future__ import annotations

import argparse

from rnnlab.stop_hints import start_over, start_over_hint


def _args(out) -> argparse.Namespace:
    return argparse.Namespace(out=str(out))


def test_a_folder_holding_results_is_started_over_with_overwrite(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "forecasts.csv").write_text("x\n")
    said = "run the same command again with --overwrite to start it over"
    assert start_over(_args(run)) == said
    assert start_over_hint(_args(run)) == "; " + said


def test_a_folder_without_results_is_started_over_by_the_same_command(tmp_path):
    for run in (tmp_path / "never-made", tmp_path / "empty"):
        if run.name == "empty":
            run.mkdir()
        assert start_over(_args(run)) == "run the same command again to start it over"
        assert start_over_hint(_args(run)) == ""  # (nothing to say: the command takes it over)


def test_a_compare_or_backtest_with_results_is_started_over_by_the_same_command(tmp_path):
    """A comparison (or a backtest with no finished fold) stopped after writing results is
    run again by the same command alone (rnnlab.io.incomplete_run; README): it said to add
    --overwrite, and so did compare's stop in training."""
    from rnnlab.io.command_line import running
    from rnnlab.io.rundir import prepare_run_dir

    for command, recipe in (("compare", None), ("recipe", "run"), ("backtest", None)):
        run = tmp_path / command
        args = argparse.Namespace(out=str(run), command=command, recipe_command=recipe)
        with running([command, "--out", str(run)]):
            prepare_run_dir(run, resumable=False)
            (run / "summary.csv").write_text("x\n")
            assert start_over(args) == "run the same command again to start it over"
            assert start_over_hint(args) == ""
        with running([command, "--seed", "2", "--out", str(run)]):  # (other options:
            assert "--overwrite" in start_over(args)  # replaced only with --overwrite)
