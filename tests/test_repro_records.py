"""What a run records so that it can be repeated: the command as it ran (also when
started from Python) and torch's CPU threads beside the versions."""

from __future__ import annotations

import json

import pytest
from cli_run import run


def _backtest(out):
    return ["backtest", "--data", "visnights", "--model", "naive", "--baselines", "none",
            "--plot-series", "0", "--horizon", "4", "--out", str(out)]


def test_a_command_run_from_python_records_its_own_arguments(tmp_path, capsys):
    # main([...]) from a notebook or a script: the record named the host's sys.argv
    # (pytest's here, ['-c'] for python -c), not the command that made the run
    argv = _backtest(tmp_path / "bt")
    code, err = run(argv, capsys)
    assert code == 0, err
    record = json.loads((tmp_path / "bt" / "config.json").read_text())
    assert record["command"] == ["rnnlab", *argv]


@pytest.mark.slow  # (a network trains; test_versions_name_the_threads... is the fast check)
def test_a_run_records_the_cpu_threads_torch_used(tmp_path, capsys):
    import torch

    before = torch.get_num_threads()
    # (lm train and the others with --threads 0 run on torch's count, which no option names)
    argv = _backtest(tmp_path / "bt") + ["--threads", "2", "--model", "rnn", "--epochs", "1",
                                         "--batches-per-epoch", "1", "--hidden-size", "2",
                                         "--head-size", "2", "--ensemble", "1"]
    try:
        code, err = run(argv, capsys)
    finally:
        torch.set_num_threads(before)
    assert code == 0, err
    record = json.loads((tmp_path / "bt" / "config.json").read_text())
    assert record["versions"]["threads"] == 2


def test_versions_name_the_threads_set_when_the_record_is_written():
    import torch

    from rnnlab.io.versions import versions

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        assert versions()["threads"] == 1
        torch.set_num_threads(2)
        assert versions()["threads"] == 2
    finally:
        torch.set_num_threads(before)


def test_the_command_outside_a_run_is_the_process_command_line(monkeypatch):
    from rnnlab.io.command_line import command, command_text, running

    monkeypatch.setattr("sys.argv", ["/somewhere/bin/rnnlab", "forecast", "--out", "a b"])
    assert command() == ["/somewhere/bin/rnnlab", "forecast", "--out", "a b"]
    with running(["lm", "train", "--out", "x y"]):
        assert command() == ["rnnlab", "lm", "train", "--out", "x y"]
        assert command_text() == "rnnlab lm train --out 'x y'"
    assert command_text() == "rnnlab forecast --out 'a b'"


def test_a_saved_forecaster_records_its_threads_and_data(tmp_path):
    # Forecaster(threads=1) trains on one thread and puts torch's count back after the
    # fit: its save() recorded the count the session happened to have (2 here)
    import torch
    from forecast_series import seasonal

    from rnnlab.forecast import Forecaster

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        f = Forecaster(hidden_size=2, epochs=1, ensemble=1, progress=False, lookback=6,
                       horizon=3, threads=1, select="network").fit(seasonal(48))
        f.save(tmp_path / "m")
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
    record = json.loads((tmp_path / "m" / "model.json").read_text())
    assert record["config"]["threads"] == 1 and record["config"]["seed"] == 0
    assert record["versions"]["threads"] == 1
    # the README's "the SHA-256 of the data it trained on", as GlobalForecaster and CharLM
    from rnnlab.io.rundir import data_hash

    assert record["extra"]["data_sha256"] == data_hash(seasonal(48).values)
    assert len(Forecaster.load(tmp_path / "m").predict(3)) == 3


@pytest.mark.slow  # (a comparison trains)
def test_a_comparison_run_from_python_prints_its_command_in_the_report(tmp_path, capsys):
    # the report printed "rnnlab " and then the host's arguments (pytest's here)
    argv = ["compare", "--data", "airline", "--models", "rnn", "--epochs", "1",
            "--hidden-size", "2", "--seeds", "0", "--out", str(tmp_path / "c")]
    code, err = run(argv, capsys)
    assert code == 0, err
    report = (tmp_path / "c" / "report.md").read_text()
    assert "rnnlab " + " ".join(argv) in report
    assert json.loads((tmp_path / "c" / "config.json").read_text())["command"] == ["rnnlab", *argv]


def test_the_summary_over_seeds_records_versions_and_command():
    # `rnnlab forecast --seeds 0 1 --out DIR`: DIR/summary.json had the metrics over the
    # seeds and nothing of the versions or command that made them (only each seed_K had)
    from rnnlab.forecast.report import summarize
    from rnnlab.io.command_line import running

    with running(["forecast", "--seeds", "0", "1", "--out", "d"]):
        summary = summarize({})
    assert summary["command"] == ["rnnlab", "forecast", "--seeds", "0", "1", "--out", "d"]
    assert {"rnnlab", "torch", "numpy", "pandas", "python", "threads"} <= set(summary["versions"])


@pytest.mark.slow  # (a comparison trains)
def test_a_comparison_records_its_data_file_so_its_record_repeats_from_anywhere(
        tmp_path, monkeypatch, capsys):
    # `rnnlab compare --data x.csv` recorded "x.csv" as typed, so `rnnlab compare --config
    # RUN_DIR` from another folder failed ("x.csv: no such file"); cli.json and a panel's
    # config.json keep inputs absolute
    import shutil

    from rnnlab.config_file import read_settings
    from rnnlab.data.catalog import builtin_path

    (tmp_path / "here").mkdir()
    shutil.copy(builtin_path("airline_passengers.csv"), tmp_path / "here" / "x.csv")
    monkeypatch.chdir(tmp_path / "here")
    code, err = run(["compare", "--data", "x.csv", "--models", "rnn", "--epochs", "1",
                     "--hidden-size", "2", "--seeds", "0", "--no-progress", "--out", "c"], capsys)
    assert code == 0, err
    monkeypatch.chdir(tmp_path)
    settings = read_settings(str(tmp_path / "here" / "c"))
    assert settings.record and settings.values["data"] == str(tmp_path / "here" / "x.csv")
    assert "x.csv (forecast)" in (tmp_path / "here" / "c" / "report.md").read_text()

