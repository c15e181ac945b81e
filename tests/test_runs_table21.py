"""``rnnlab runs``: a sweep's run directories as one CSV table, one row per run (session 21:
each command wrote its own results file, and nothing gathered them)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from rnnlab.cli import main
from rnnlab.io.json_file import checksummed_text


def _run(folder, command, seed, options, results=None):
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(checksummed_text(
        {"config": options, "seed": seed, "command": ["rnnlab", *command.split(), "--out",
                                                       str(folder)]}))
    for name, value in (results or {}).items():
        (folder / name).write_text(json.dumps(value))


def _table(argv, capsys):
    code = main(["runs", *map(str, argv)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def _forecast(folder, hidden, rmse=None, lr=0.005):
    results = None if rmse is None else {"metrics.json": {
        "test_size": 12, "forecast": {"model": {"rmse": rmse}, "naive": {"rmse": 102.9}},
        "choice": {"method": "network"}, "by_step": [1, 2]}}
    _run(folder, "forecast", 1, {"hidden_size": hidden, "lr": lr, "out": str(folder),
                                 "devices": {"devices": 1}}, results)


def test_a_sweep_is_one_row_per_run_with_the_options_that_differ(tmp_path, capsys):
    for h, rmse in ((4, 18.5), (8, 17.25)):
        _forecast(tmp_path / "sweep" / f"h{h}", h, rmse)
    _forecast(tmp_path / "sweep" / "h16", 16)  # diverged or stopped: no results
    rows = _table([tmp_path / "sweep"], capsys)
    assert [r["run"].rsplit("/", 1)[1] for r in rows] == ["h16", "h4", "h8"]
    assert [r["hidden_size"] for r in rows] == ["16", "4", "8"]
    assert [r["finished"] for r in rows] == ["False", "True", "True"]
    assert [r["forecast.model.rmse"] for r in rows] == ["", "18.5", "17.25"]
    assert {r["command"] for r in rows} == {"forecast"} and rows[1]["seed"] == "1"
    # the same in every run, or not a number: not a column
    assert not {"lr", "out", "devices.devices", "choice.method", "by_step"} & set(rows[0])


def test_one_run_shows_all_its_options(tmp_path, capsys):
    _forecast(tmp_path / "r", 4, 18.5)
    [row] = _table([tmp_path / "r"], capsys)
    assert (row["hidden_size"], row["lr"], row["devices.devices"]) == ("4", "0.005", "1")


def test_backtest_and_compare_results_are_model_columns(tmp_path, capsys):
    _run(tmp_path / "b", "backtest", 0, {"command": "backtest", "model": "lstm"},
         {"summary.json": {"models": [{"model": "lstm", "mase": 0.9, "rmse": 1.5}]}})
    _run(tmp_path / "c", "compare", 0, {"models": ["rnn"]}, {"results.json": {"rows": [
        {"name": "rnn", "metrics": {"forecast.rmse": {"mean": 21.0, "values": [21.0]}}}]}})
    _run(tmp_path / "l", "lm train", 0, {"model": {"hidden_size": 8}},
         {"metrics.json": {"val_bpc": 2.5, "epochs_detail": [{"epoch": 1}]}})
    rows = {r["command"]: r for r in _table([tmp_path], capsys)}
    assert (rows["backtest"]["lstm.mase"], rows["compare"]["rnn.forecast.rmse"],
            rows["lm train"]["val_bpc"]) == ("0.9", "21.0", "2.5")
    assert rows["lm train"]["model.hidden_size"] == "8"
    main(["runs", str(tmp_path)])
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert header.count("command") == 1  # (backtest's own "command" option: not twice)


def test_without_a_path_the_default_runs_folder_is_read(tmp_path, capsys, monkeypatch):
    _forecast(tmp_path / "runs" / "airline", 4, 18.5)
    monkeypatch.chdir(tmp_path)
    assert [r["run"] for r in _table([], capsys)] == ["runs/airline"]


def test_a_run_set_aside_by_overwrite_is_not_listed(tmp_path, capsys):
    _forecast(tmp_path / "r", 4, 18.5)
    _forecast(tmp_path / ".r.previous", 8, 19.0)
    assert [r["hidden_size"] for r in _table([tmp_path], capsys)] == ["4"]


def test_no_run_directory_is_an_error_naming_the_folder(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["runs", str(tmp_path / "empty")]) == 1
    assert "holds no run directory" in capsys.readouterr().err
    assert main(["runs", str(tmp_path / "nope")]) == 1
    assert "nope: no such folder" in capsys.readouterr().err


@pytest.mark.slow
def test_a_real_forecast_sweep_reads_back_its_metrics(tmp_path, capsys):
    for h in (2, 3):
        assert main(["forecast", "--data", "airline", "--epochs", "1", "--ensemble", "1",
                     "--hidden-size", str(h), "--no-progress",
                     "--out", str(tmp_path / f"h{h}")]) == 0
    capsys.readouterr()
    rows = _table([tmp_path], capsys)
    assert [r["hidden_size"] for r in rows] == ["2", "3"]
    for r in rows:
        metrics = json.loads((tmp_path / r["run"].rsplit("/", 1)[1] / "metrics.json").read_text())
        assert float(r["forecast.model.rmse"]) == metrics["forecast"]["model"]["rmse"]
