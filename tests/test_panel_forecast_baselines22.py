"""``rnnlab forecast --baselines`` on a panel (session 22): the baselines beside the model
chosen as ``rnnlab backtest`` chooses them. Was: a panel forecast always fitted ETS on every
series (statsmodels, 0.1-0.2 s a series: ten minutes on 3,000 series) with no option to
leave it out, and ``--baselines`` was an unknown option there."""

import json

import pandas as pd

from rnnlab.cli import main
from tests.test_panel_forecast_cli import DATA_OPTIONS, write_panel


def _forecast(data, run, *extra):
    return main(["forecast", "--data", str(data), *DATA_OPTIONS, "--horizon", "4",
                 "--no-progress", "--out", str(run), *extra])


def test_a_panel_forecast_runs_the_baselines_chosen_and_records_them(
        tmp_path, capsys, monkeypatch):
    from rnnlab.panel.ets import ETS

    def no_ets(self, *a, **k):
        raise AssertionError("ETS fitted although --baselines left it out")

    monkeypatch.setattr(ETS, "fit", no_ets)
    data, run = write_panel(tmp_path / "panel.csv"), tmp_path / "run"
    assert _forecast(data, run, "--model", "naive", "--baselines", "seasonal_naive") == 0
    printed = capsys.readouterr().out
    assert [line.split()[0] for line in printed.splitlines()[2:4]] == [
        "naive", "seasonal_naive"]  # (the table, no ets row)
    assert set(pd.read_csv(run / "metrics.csv")["model"]) == {"naive", "seasonal_naive"}
    assert set(pd.read_csv(run / "test_forecasts.csv")["model"]) == {"naive", "seasonal_naive"}
    options = json.loads((run / "config.json").read_text())["config"]["options"]
    assert options["baselines"] == "seasonal_naive"
    assert _forecast(data, tmp_path / "none", "--model", "seasonal_naive",
                     "--baselines", "none") == 0
    assert set(pd.read_csv(tmp_path / "none" / "metrics.csv")["model"]) == {"seasonal_naive"}


def test_a_panel_forecasts_baselines_name_the_model_once_and_its_default_is_backtests(
        tmp_path, capsys):
    data = write_panel(tmp_path / "panel.csv")
    # the model among its baselines (and a name twice) is judged once, as rnnlab backtest does
    assert _forecast(data, tmp_path / "r", "--model", "naive", "--baselines",
                     "naive,seasonal_naive,seasonal_naive") == 0
    assert sorted(pd.read_csv(tmp_path / "r" / "metrics.csv")["model"]) == [
        "naive", "seasonal_naive"]
    capsys.readouterr()
    from rnnlab.cli import build_parser

    for command in ("forecast", "backtest"):
        parser = build_parser([command], lazy=True)
        args = parser.parse_args([command, "--data", "x.csv"])
        assert args.baselines == "naive,seasonal_naive,ets", command


def test_a_panel_forecasts_unknown_baseline_is_refused_before_any_folder(tmp_path, capsys):
    data, run = write_panel(tmp_path / "panel.csv"), tmp_path / "run"
    assert _forecast(data, run, "--epochs", "1", "--baselines", "naive,theta") == 2
    assert "--baselines: unknown ['theta']; choose from naive" in capsys.readouterr().err
    assert not run.exists()


def test_one_series_refuses_baselines_saying_it_has_its_own(capsys, tmp_path):
    run = tmp_path / "one"
    assert main(["forecast", "--data", "airline", "--baselines", "naive", "--epochs", "1",
                 "--out", str(run)]) == 1
    err = capsys.readouterr().err
    assert "--baselines: options of the panel model, but --data airline is one series" in err
    assert "one-series forecaster's own (naive, seasonal naive, drift" in err
    assert not run.exists()


def test_forecast_help_lists_baselines(capsys):
    assert main(["forecast", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--baselines BASELINES comma-separated baselines scored beside the model" in text
    assert "(naive,seasonal_naive leaves it out); a panel's only" in text
