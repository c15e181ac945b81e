"""Review of the backtest's checkpoints (session 29, rnnlab.panel.backtest_checkpoints):
what a resume must refuse or keep apart so that a resumed run never mixes folds of
another model or setting into the uninterrupted run's tables."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from rnnlab.panel.backtest import backtest
from rnnlab.panel.baselines import Naive
from origin_stops import stop_at_origin
from test_backtest_resume29 import Killed, kill_after
from test_panel_backtest_models28 import tiny_frame

OPTS = dict(horizon=2, first_origin=6, stride=2)


def test_labels_differing_only_in_case_keep_their_folds_apart(tmp_path):
    # was: folds/LSTM and folds/lstm, one folder on a case-insensitive file system
    # (macOS, Windows): the second model's folds overwrote, or were read as, the first's
    res = backtest({"Naive": Naive(), "naive": Naive(), "con": Naive(), "x.": Naive()},
                   tiny_frame(), checkpoint_dir=tmp_path, baselines=(), **OPTS)
    assert list(pd.unique(res.forecasts["model"])) == ["Naive", "naive", "con", "x."]
    names = [p.name for p in (tmp_path / "folds").iterdir()]
    assert len({n.lower() for n in names}) == 4, names
    assert not {"con", "x."} & {n.lower() for n in names}  # (Windows' reserved, stripped)
    assert all(n == n.lower() for n in names), names


def test_a_resume_with_a_baseline_of_other_settings_is_refused(tmp_path):
    # was: SeasonalNaive(period=2)'s first fold read back into a resume with period=4
    # (both recorded as {"class": "SeasonalNaive", "quantiles": ...}): a table of two
    # baselines under one name, silently
    from rnnlab.io.errors import CheckpointError
    from rnnlab.panel.baselines import Croston, SeasonalNaive

    with pytest.raises(Killed):
        backtest(None, tiny_frame(), baselines=[SeasonalNaive(period=2)],
                 checkpoint_dir=tmp_path, progress=kill_after("seasonal_naive: origin 1/"),
                 **OPTS)
    with pytest.raises(CheckpointError, match=r"model 'seasonal_naive' differs .*period=4 "
                                              r"\(the folds': 2\)"):
        backtest(None, tiny_frame(), baselines=[SeasonalNaive(period=4)],
                 checkpoint_dir=tmp_path, resume=True, **OPTS)
    again = backtest(None, tiny_frame(), baselines=[SeasonalNaive(period=2)],
                     checkpoint_dir=tmp_path, resume=True, **OPTS)  # (the same: goes on)
    whole = backtest(None, tiny_frame(), baselines=[SeasonalNaive(period=2)], **OPTS)
    pd.testing.assert_frame_equal(again.forecasts, whole.forecasts)
    other = tmp_path / "croston"
    backtest(None, tiny_frame(), baselines=[Croston(alpha=0.1)], checkpoint_dir=other, **OPTS)
    with pytest.raises(CheckpointError, match=r"alpha=0.3 \(the folds': 0.1\)"):
        backtest(None, tiny_frame(), baselines=[Croston(alpha=0.3)], checkpoint_dir=other,
                 resume=True, **OPTS)


def _panel_run_stopped_in_training(run) -> None:
    """A panel forecast's run folder as a kill in training leaves it: a member's
    checkpoint, no cli.json (a panel run saves none: the command is given again)."""
    (run / "checkpoints" / "member0" / "ckpt-00000002").mkdir(parents=True)
    (run / "checkpoints" / "member0" / "ckpt-00000002" / "meta.json").write_text("{}")


def test_print_config_with_a_panel_forecasts_resume_prints_the_options_it_resumes_with(
        tmp_path, capsys):
    # was: "a run of several series stopped in training ..., which saves no options:
    # --resume with the folder alone has nothing to resume with; continue it with: the
    # command ... with --out DIR --resume", said to that very command (--data given), as
    # `rnnlab backtest --resume --print-config` prints since session 29
    import json

    from rnnlab.cli import main

    run = tmp_path / "fp"
    _panel_run_stopped_in_training(run)
    for argv in (["--out", str(run), "--resume"], ["--resume", str(run)]):
        assert main(["forecast", "--data", "visnights", "--epochs", "3", *argv,
                     "--print-config"]) == 0, capsys.readouterr().err
        assert json.loads(capsys.readouterr().out)["options"]["epochs"] == 3
    # the folder alone (no --data) still has nothing to resume with
    assert main(["forecast", "--resume", str(run), "--print-config"]) == 1
    assert "which saves no options" in capsys.readouterr().err


def test_a_resume_on_a_panel_of_another_season_is_refused(tmp_path):
    # was: the panel's table alone was hashed: the same rows with another period (the
    # seasonal naive's season, a network's default --period) resumed the other's folds
    import dataclasses

    from rnnlab.io.errors import CheckpointError
    from rnnlab.panel import read_panel

    panel = read_panel(tiny_frame())
    with pytest.raises(Killed):
        backtest(None, panel, baselines=["seasonal_naive"], checkpoint_dir=tmp_path,
                 progress=kill_after("seasonal_naive: origin 1/"), **OPTS)
    with pytest.raises(CheckpointError, match=r"period=2 \(the folds': 4\)"):
        backtest(None, dataclasses.replace(panel, period=2), baselines=["seasonal_naive"],
                 checkpoint_dir=tmp_path, resume=True, **OPTS)


def test_the_docs_say_the_checkpoints_stay_and_deleting_them_keeps_the_run(tmp_path, capsys):
    # (a CLI backtest keeps DIR/checkpoints after it finishes, 2.0 MB beside 0.8 MB of
    # results for two networks refitted at 3 origins of visnights: the docs say so, and
    # how to free it; the run deleted of them stays a run)
    import shutil
    from pathlib import Path

    from rnnlab.cli import main

    root = Path(__file__).resolve().parent.parent
    for doc in ("README.md", "docs/panels.md"):
        assert "rm -r DIR/checkpoints" in (root / doc).read_text(encoding="utf-8"), doc
    bt = tmp_path / "bt"
    cmd = ["backtest", "--data", "visnights", "--model", "naive", "--baselines", "none",
           "--horizon", "4", "--first-origin", "8", "--stride", "4", "--plot-series", "0",
           "--no-progress", "--out", str(bt)]
    assert main(cmd) == 0 and (bt / "checkpoints" / "folds").is_dir()
    shutil.rmtree(bt / "checkpoints")
    capsys.readouterr()
    assert main([*cmd, "--resume"]) == 1
    err = capsys.readouterr().err
    assert "no backtest folds to resume" in err and "Traceback" not in err, err
    assert (bt / "summary.csv").is_file()


def test_a_backtest_resumed_by_out_dir_alone_is_told_the_command_that_repeats_it(capsys):
    # was: the hint for `--resume DIR` only; `--out DIR --resume`, the form the docs give,
    # got argparse's "the following arguments are required: --data" alone
    from rnnlab.cli import main

    assert main(["backtest", "--out", "runs/bt", "--resume"]) == 2
    assert "`rnnlab backtest --config runs/bt --out runs/bt --resume` repeats it from its " \
           "config.json" in capsys.readouterr().err
    assert main(["backtest", "--out", "runs/bt"]) == 2  # (no resume: no such hint)
    assert "repeats it from its config.json" not in capsys.readouterr().err


def test_a_resume_with_another_static_table_align_or_covariates_is_refused(tmp_path):
    # (what the run's record holds besides the data: each refused, named; the tests of
    # session 29 covered the data, the origins and a network's settings)
    from rnnlab.io.errors import CheckpointError

    df = tiny_frame().assign(promo=lambda d: (d.index % 3 == 0).astype(float))
    static = pd.DataFrame({"unique_id": ["a", "b", "c"], "size": [1.0, 2.0, 3.0]})
    run = dict(baselines=["naive"], checkpoint_dir=tmp_path, **OPTS)
    with pytest.raises(Killed):
        backtest(None, df, static=static, progress=kill_after("naive: origin 1/"), **run)
    for other, said in ((dict(static=static.assign(size=[1.0, 2.0, 4.0])), "static_sha256"),
                        (dict(static=static, align="end"), "align='end' (the folds': 'date')"),
                        (dict(static=static, future_covariates=["promo"]),
                         "future_covariates=['promo'] (the folds': None)")):
        with pytest.raises(CheckpointError, match=re.escape(said)):
            backtest(None, df, resume=True, **other, **run)
    res = backtest(None, df, static=static, resume=True, **run)  # (the same: goes on)
    pd.testing.assert_frame_equal(res.forecasts, backtest(None, df, static=static,
                                                          baselines=["naive"],
                                                          **OPTS).forecasts)


def test_an_error_inside_a_cli_backtest_keeps_its_context(tmp_path, monkeypatch):
    # was: every exception of backtest() re-raised `from None` (to reword a stop in
    # training), so a bug's traceback lost the error it was raised while handling
    import rnnlab.panel.backtest as bt
    from rnnlab.cli import main

    def broken(*a, **kw):
        try:
            {}["missing"]
        except KeyError:
            raise RuntimeError("a bug while handling another")
    monkeypatch.setattr(bt, "backtest", broken)
    with pytest.raises(RuntimeError, match="a bug while handling another") as info:
        main(["backtest", "--data", "visnights", "--model", "naive", "--baselines", "none",
              "--horizon", "4", "--plot-series", "0", "--out", str(tmp_path / "bt")])
    assert isinstance(info.value.__context__, KeyError)
    assert not info.value.__suppress_context__


def test_ctrl_c_between_a_cli_backtests_folds_says_the_resume_not_overwrite(tmp_path,
                                                                           monkeypatch,
                                                                           capsys):
    # was: "interrupted; files already written are kept; run the same command again with
    # --overwrite to start it over": the advice discarded the finished folds, which the
    # resume reads back
    import rnnlab.panel.origin_loop as loop
    from rnnlab.cli import main

    cmd = ["backtest", "--data", "visnights", "--model", "naive", "--baselines", "none",
           "--horizon", "4", "--first-origin", "12", "--stride", "4", "--plot-series", "0",
           "--out", str(tmp_path / "bt")]  # (with progress: the stop is raised there)
    stop_at_origin(monkeypatch)
    assert main(cmd) == 130
    err = capsys.readouterr().err
    assert "its 2 finished folds are kept; continue it with: " in err, err
    assert err.rstrip().endswith("--resume") and "--overwrite" not in err, err
    monkeypatch.undo()
    computed, real_fold = [], loop._fold
    monkeypatch.setattr(loop, "_fold", lambda *a: computed.append(a[2]) or real_fold(*a))
    assert main([*cmd, "--resume"]) == 0 and computed == [2]  # (origins 0 and 1 read back)


def test_a_stop_in_a_fit_without_checkpoints_says_the_backtests_resume(tmp_path, monkeypatch,
                                                                        capsys):
    # a fit that keeps no checkpoints (one series with --calendar holiday: the one-series
    # Forecaster's) stopped after the backtest's first folds: was "this run keeps no
    # checkpoints: run the same command again (with --overwrite) to start it over"
    from rnnlab.cli import main
    from rnnlab.train.stops import TrainingInterrupted

    stop_at_origin(monkeypatch, lambda: TrainingInterrupted.stopped(
        "stopped by a signal at epoch 1, step 1", 130, checkpointed=False))
    out = tmp_path / "bt"
    assert main(["backtest", "--data", "visnights", "--model", "naive", "--baselines",
                 "none", "--horizon", "4", "--first-origin", "12", "--stride", "4",
                 "--plot-series", "0", "--out", str(out)]) == 130
    err = capsys.readouterr().err
    assert "stopped by a signal at epoch 1, step 1; its 2 finished folds are kept; " \
           "continue it with: rnnlab backtest" in err and f"--out {out} --resume\n" in err, err
    assert "start it over" not in err
