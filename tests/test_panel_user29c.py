"""Frictions a NeuralForecast user met with panels (session 29, user29c)."""

from __future__ import annotations

import csv
import io

import pandas as pd

from rnnlab.cli import main
from rnnlab.io.json_file import checksummed_text


def _runs_table(path, capsys):
    assert main(["runs", str(path)]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_runs_lists_a_panel_forecasts_metrics_per_model(tmp_path, capsys):
    # a panel `rnnlab forecast` writes metrics.json as a list of models (as backtest's
    # summary.json); `rnnlab runs` read it as nested numbers and gave the run no metric
    from rnnlab.panel.forecast_run import _write_metrics_json

    run = tmp_path / "panel_run"
    run.mkdir()
    (run / "config.json").write_text(checksummed_text({
        "config": {"panel": True, "model": {"lookback": 12},
                   "options": {"command": "forecast", "horizon": 6}},
        "seed": 0, "command": ["rnnlab", "forecast", "--out", str(run)]}))
    summary = pd.DataFrame({"model": ["lstm", "naive"], "mase": [0.57, 2.79],
                            "n_series": [3, 3]})
    _write_metrics_json(run, summary, 6, {})
    [row] = _runs_table(tmp_path, capsys)
    assert (row["lstm.mase"], row["naive.mase"], row["lstm.n_series"]) == ("0.57", "2.79", "3")
    assert row["test_size"] == "6" and row["finished"] == "True"
