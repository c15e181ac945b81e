"""Progress where stderr is not a terminal (CI, nohup, cron): a plain line at most every
30 s and one at the end, on stderr only; --no-progress on every training command; the
Python API as quiet as before unless asked (rnnlab.train.progress)."""

from __future__ import annotations

import io
import types

import pytest
import torch

from rnnlab.train import progress as P
from rnnlab.train.config import TrainConfig


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_lines_are_throttled_to_one_per_30_seconds_plus_one_at_the_end():
    clock, out = FakeClock(), io.StringIO()
    bar = P.ProgressLines(100, 4, out, clock, every=30.0)
    for step in range(100):  # 100 steps, 4 s each: 400 s
        clock.t += 4.0
        bar.update(1)
        bar.set_postfix(epoch=step // 25 + 1, loss=f"{1.0 / (step + 1):.4g}", refresh=False)
        if step % 25 == 24:
            bar.set_postfix(epoch=step // 25 + 1, loss="0.5", val=f"{2.0 - step / 100:.4g}")
    bar.close()
    bar.close()  # (the loop may close twice: said once)
    lines = out.getvalue().splitlines()
    # one when 30 s have passed since the last: at 32, 64, ... 384 s (12), then the end
    assert len(lines) == 13
    assert "\r" not in out.getvalue()
    assert lines[0] == "training: step 8/100, epoch 1/4, 32s elapsed, loss 0.125, 6m08s left"  # 92 steps at 4 s
    assert lines[-1].startswith("training: ended: step 100/100, epoch 4/4, 6m40s elapsed")
    assert "best val 1.01" in lines[-1] and "left" not in lines[-1]


def test_no_line_before_30_seconds_and_the_time_left_keeps_to_the_budget():
    clock, out = FakeClock(), io.StringIO()
    bar = P.ProgressLines(1000, 1, out, clock, initial=500, budget=60.0)
    clock.t += 29.9
    bar.update(1)
    bar.set_postfix(epoch=1, loss="1")
    assert out.getvalue() == ""
    clock.t += 0.2  # 30.1 s: 1 step done here, 499 left at that pace; the budget has 29.9 s
    bar.set_postfix(epoch=1, loss="1")
    assert out.getvalue() == "training: step 501/1000, epoch 1/1, 30s elapsed, loss 1, 30s left\n"


def test_a_resumed_run_with_nothing_left_to_train_says_nothing():
    out = io.StringIO()
    bar = P.ProgressLines(10, 1, out, FakeClock(), initial=10)
    bar.close()
    assert out.getvalue() == ""


@pytest.mark.parametrize("progress, tty, kind", [
    ("log", False, P.ProgressLines),  # the commands, in CI: lines
    ("log", True, "tqdm"),  # the commands, on a terminal: the bar
    (True, False, "tqdm-disabled"),  # the API, in CI: nothing, as before
    (False, True, P._NoBar),
])
def test_which_progress_each_setting_gives(progress, tty, kind):
    stream = Tty() if tty else io.StringIO()
    bar = P.progress_bar(TrainConfig(progress=progress), 10, True, stream=stream)
    try:
        if kind == "tqdm":  # drawn on the terminal
            assert type(bar).__module__.startswith("tqdm") and not bar.disable
        elif kind == "tqdm-disabled":  # as before: tqdm's own check of stderr, disabled
            assert type(bar).__module__.startswith("tqdm") and bar.disable
        else:
            assert isinstance(bar, kind)
    finally:
        bar.close()
    assert P.progress_bar(TrainConfig(progress="log"), 10, False, stream=stream).__class__ \
        is P._NoBar  # (another rank of a data-parallel run: nothing)


def test_progress_refuses_other_words():
    with pytest.raises(ValueError, match="progress must be True, False or 'log'"):
        TrainConfig(progress="yes")


def _fake_time(monkeypatch, step: float = 40.0):
    """rnnlab.train.progress's clock moves ``step`` seconds at each reading."""
    clock = FakeClock()

    def monotonic():
        clock.t += step
        return clock.t

    monkeypatch.setattr(P, "time", types.SimpleNamespace(monotonic=monotonic))


def _tiny_fit(progress) -> None:
    from rnnlab.train import TensorTask, fit

    torch.manual_seed(0)
    x = torch.randn(32, 3)
    fit(torch.nn.Linear(3, 1), TensorTask(x, x.sum(1, keepdim=True), batch_size=8,
                                          val=(x[:8], x[:8].sum(1, keepdim=True))),
        TrainConfig(epochs=2, progress=progress, device="cpu"))


def test_fit_writes_its_lines_to_stderr_only(monkeypatch, capsys):
    _fake_time(monkeypatch)
    _tiny_fit("log")
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    # each reading is 40 s after the last: a line at each of the 8 steps and the 2 epochs'
    # ends (their validation loss), then the end
    assert len(lines) == 11
    assert lines[-1].startswith("training: ended: step 8/8, epoch 2/2, 7m20s elapsed, loss ")
    assert "best val" in lines[-1]


@pytest.mark.parametrize("progress", [True, False])
def test_the_python_api_stays_quiet_off_a_terminal(monkeypatch, capsys, progress):
    """The API's default (True) is the bar on a terminal only, as before: a script under
    cron or a test run prints nothing unless it asks for progress='log'."""
    _fake_time(monkeypatch)
    _tiny_fit(progress)
    assert capsys.readouterr() == ("", "")


def test_the_forecaster_api_default_is_quiet(monkeypatch, capsys):
    from rnnlab.forecast import Forecaster

    _fake_time(monkeypatch)
    Forecaster(lookback=6, horizon=2, hidden_size=2, epochs=1, ensemble=1).fit("airline")
    assert "training:" not in capsys.readouterr().err


def _forecast_config(argv):
    from rnnlab.forecast.cli import _parser, config_from_args

    return config_from_args(_parser().parse_args(argv), seed=0)


def _lm_config(argv):
    import argparse

    from rnnlab.lm.cli import register
    from rnnlab.lm.train_command import _configs

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return _configs(parser.parse_args(argv))[1]


def _panel_config(argv):
    from rnnlab.cli import build_parser
    from rnnlab.panel.cli import panel_config

    args = build_parser(argv, lazy=True).parse_args(argv)
    args.given_options = frozenset(a[2:].replace("-", "_") for a in argv if a[:2] == "--")
    return panel_config(args, model="lstm", horizon=3)


def _compare_progress(argv):
    """(a comparison's config is its experiment: the fits' progress is the command's)"""
    from rnnlab.cli import build_parser
    from rnnlab.train.cli_args import progress_of

    return types.SimpleNamespace(progress=progress_of(build_parser(argv).parse_args(argv)))


@pytest.mark.parametrize("argv, config", [
    (["forecast"], _forecast_config),
    (["lm", "train"], _lm_config),
    (["backtest", "--data", "x.csv", "--model", "lstm"], _panel_config),
    (["forecast", "--data", "x.csv", "--id-column", "id", "--model", "lstm"], _panel_config),
    (["compare"], _compare_progress),
    (["recipe", "run", "e4-sine"], _compare_progress),
], ids=["forecast", "lm train", "backtest", "forecast (panel)", "compare", "recipe run"])
def test_every_training_command_takes_no_progress(argv, config):
    assert config(argv).progress == "log"  # the commands: lines where stderr is no terminal
    assert config(argv + ["--no-progress"]).progress is False


def test_the_forecast_command_says_its_progress_on_stderr_and_not_with_no_progress(
        tmp_path, monkeypatch, capsys):
    from rnnlab.cli import main

    _fake_time(monkeypatch)
    argv = ["forecast", "--epochs", "1", "--hidden-size", "2", "--ensemble", "1",
            "--lookback", "6", "--horizon", "2", "--threads", "1", "--select", "network"]
    assert main(argv + ["--out", str(tmp_path / "a")]) == 0
    out, err = capsys.readouterr()
    assert "training: ended: step " in err and "training:" not in out and "\r" not in err
    assert main(argv + ["--out", str(tmp_path / "b"), "--no-progress"]) == 0
    assert "training:" not in capsys.readouterr().err


def test_no_progress_silences_the_backtest_origin_lines(tmp_path, capsys):
    from test_panel_scale_paths import small_panel

    from rnnlab.cli import main

    small_panel(n=3).df.to_csv(tmp_path / "p.csv", index=False)
    argv = ["backtest", "--data", str(tmp_path / "p.csv"), "--horizon", "3",
            "--first-origin", "6", "--model", "naive", "--baselines", "none",
            "--plot-series", "0", "--no-progress", "--out", str(tmp_path / "bt")]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "origin 1/1 done" not in err and "rnnlab backtest: wrote" in err


def test_compare_passes_the_progress_to_each_fit(monkeypatch, tmp_path):
    """rnnlab compare trained every model with progress=False whatever was asked."""
    from rnnlab.cli import build_parser
    from rnnlab.compare import cli as ccli, runner
    from rnnlab.train.stops import TrainingInterrupted

    seen = []

    def fake_models(cfg, log, device_settings, progress=False):
        seen.append(progress)
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_models", fake_models)
    for flags, expected in (([], "log"), (["--no-progress"], False)):
        argv = ["compare", "--models", "rnn", "--epochs", "1", "--out", str(tmp_path / "c"),
                *flags]
        args = build_parser(argv).parse_args(argv)
        with pytest.raises(TrainingInterrupted) as stop:  # (compare says a stop its own way)
            ccli.cmd_compare(args)
        assert stop.value.exit_code == 130
        assert seen.pop() == expected


def test_the_compare_configs_carry_the_progress_they_are_given():
    from rnnlab.compare.config import CompareConfig
    from rnnlab.compare.matching import forecast_config, lm_train_config

    cfg = CompareConfig()
    assert forecast_config(cfg, "rnn", 4, 0).progress is False  # the API: quiet, as before
    assert forecast_config(cfg, "rnn", 4, 0, "log").progress == "log"
    assert lm_train_config(cfg, 0, "log").progress == "log"
