"""``rnnlab backtest --calendar holiday --country US`` on one series records what its
one-series Forecaster trained with: config.json's top level held the panel model's
defaults the parser gives (lookback 24, ensemble 1, lr 0.003, batch_size 256) beside
``model_config``'s lookback 14 and ensemble 3, and ``rnnlab runs`` listed them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from test_backtest_holidays27 import _args, _csv

pytest.importorskip("holidays")


def _same(a, b) -> bool:
    return json.dumps(a) == json.dumps(b)


def test_the_record_holds_no_setting_other_than_the_one_trained(tmp_path):
    from rnnlab.panel.holiday_backtest import SeriesRoute, series_route

    args = _args(["backtest", "--data", _csv(tmp_path), "--model", "lstm", "--calendar",
                  "holiday", "--country", "US", "--epochs", "1", "--hidden-size", "4",
                  "--refit", "never"])
    series, _, cfg, factory = series_route(args)
    options = {k: v for k, v in vars(args).items() if k not in ("func", "given_options")}
    assert options["lookback"] != cfg.lookback == 14  # (the parser's: the panel model's)
    rec = SeriesRoute(series, cfg, factory).recorded(options, args.given_options)
    ran = rec["model_config"]
    assert ran == cfg.to_dict()
    assert [k for k in rec if k in ran and k != "refit" and not _same(rec[k], ran[k])] == []
    assert "lookback" not in rec and "ensemble" not in rec and "lr" not in rec
    assert "scale" not in rec and "embed_size" not in rec  # (the panel model's alone: unread)
    assert (rec["hidden_size"], rec["epochs"], rec["refit"]) == (4, 1, "never")  # (typed)
    assert rec["country"] == "US" and rec["data"] == options["data"]


@pytest.mark.slow  # (two short backtests)
def test_runs_lists_what_ran_and_config_run_dir_repeats_it(tmp_path, capsys):
    from rnnlab.cli import main

    out, again = tmp_path / "bt", tmp_path / "again"
    assert main(["backtest", "--data", _csv(tmp_path), "--model", "lstm", "--calendar",
                 "holiday", "--country", "US", "--horizon", "7", "--first-origin", "14",
                 "--epochs", "1", "--hidden-size", "4", "--baselines", "naive",
                 "--plot-series", "0", "--no-progress", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["runs", str(out)]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert row["model_config.lookback"] == "14" and row["model_config.ensemble"] == "3"
    assert "lookback" not in row and "ensemble" not in row  # (were 24 and 1)
    assert main(["backtest", "--config", str(out), "--out", str(again), "--no-progress"]) == 0
    first, second = (json.loads((d / "config.json").read_text())["config"] for d in (out, again))
    assert first["model_config"] == second["model_config"]
    assert "lookback" not in second and second["hidden_size"] == 4
    rmse = [[m["rmse"] for m in json.loads((d / "summary.json").read_text())["models"]]
            for d in (out, again)]
    assert rmse[0] == rmse[1]
