"""--off-grid on the command line: `rnnlab forecast` (one series: recorded in the run's
config.json, read again by --resume) and the panel commands (`rnnlab backtest`, a panel's
`rnnlab forecast`: recorded in panel.json for --run). Without it the refusal names it.
And a backtest of ISO weeks or half-years writes its dates as the file did."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main


def _fridays(n=80, thursday=60):
    d = pd.date_range("2020-01-03", periods=n, freq="W-FRI").astype(str).tolist()
    d[thursday] = str((pd.Timestamp(d[thursday]) - pd.Timedelta(days=1)).date())
    return d


def _panel_csv(path, a, b):
    pd.concat([pd.DataFrame({"unique_id": u, "ds": d, "y": 10 + np.sin(np.arange(len(d)) * k)})
               for u, d, k in (("a", a, 0.7), ("b", b, 0.3))]).to_csv(path, index=False)
    return str(path)


def test_rnnlab_forecast_refuses_naming_off_grid(tmp_path, capsys):
    pd.DataFrame({"date": _fridays(), "y": np.arange(80.0)}).to_csv(tmp_path / "one.csv",
                                                                   index=False)
    assert main(["forecast", "--data", str(tmp_path / "one.csv"), "--horizon", "4",
                 "--out", str(tmp_path / "run")]) != 0
    err = capsys.readouterr().err
    assert "its date 2021-02-25 (date 61 of 80" in err and "--off-grid snap)" in err
    assert not (tmp_path / "run").exists()


def test_rnnlab_forecast_refuses_an_unknown_off_grid(tmp_path, capsys):
    assert main(["forecast", "--data", "airline", "--off-grid", "move"]) != 0
    assert "invalid choice: 'move'" in capsys.readouterr().err


@pytest.mark.slow
def test_rnnlab_forecast_snaps_and_records_it(tmp_path, capsys):
    pd.DataFrame({"date": _fridays(), "y": 10 + np.sin(np.arange(80.0))}).to_csv(
        tmp_path / "one.csv", index=False)
    run = tmp_path / "run"
    assert main(["forecast", "--data", str(tmp_path / "one.csv"), "--horizon", "4",
                 "--epochs", "1", "--hidden-size", "4", "--no-progress", "--off-grid", "snap",
                 "--out", str(run)]) == 0
    assert json.loads((run / "config.json").read_text())["config"]["off_grid"] == "snap"
    days = pd.to_datetime(pd.read_csv(run / "forecast.csv").iloc[:, 0])
    assert len(days) and (days.dt.day_of_week == 4).all()  # (on the W-FRI grid)
    assert days.iloc[-1] == pd.Timestamp("2020-01-03") + pd.Timedelta(weeks=83)  # (4 after)
    # --run DIR --data: the newer data read with the run's --off-grid (it was refused)
    more = pd.DataFrame({"date": _fridays(84), "y": 10 + np.sin(np.arange(84.0))})
    more.to_csv(tmp_path / "more.csv", index=False)
    capsys.readouterr()
    assert main(["forecast", "--run", str(run), "--data", str(tmp_path / "more.csv"),
                 "--output", str(tmp_path / "f.csv")]) == 0
    days = pd.to_datetime(pd.read_csv(tmp_path / "f.csv").iloc[:, 0])
    assert days.iloc[0] == pd.Timestamp("2020-01-03") + pd.Timedelta(weeks=84)
    assert "unread" not in capsys.readouterr().err


def test_rnnlab_backtest_snaps_a_panel_date(tmp_path, capsys):
    fridays = pd.date_range("2020-01-03", periods=80, freq="W-FRI").astype(str).tolist()
    data = _panel_csv(tmp_path / "p.csv", _fridays(), fridays)
    args = ["backtest", "--data", data, "--model", "naive", "--horizon", "4",
            "--first-origin", "60", "--stride", "4", "--baselines", "naive",
            "--plot-series", "0", "--no-progress"]
    assert main(args + ["--out", str(tmp_path / "no")]) != 0
    assert "--off-grid snap)" in capsys.readouterr().err
    assert main(args + ["--off-grid", "snap", "--out", str(tmp_path / "snap")]) == 0
    fc = pd.read_csv(tmp_path / "snap" / "forecasts.csv", parse_dates=["ds"])
    assert len(fc) and (fc["ds"].dt.day_of_week == 4).all()  # (Fridays only)


@pytest.mark.parametrize("dates, first", [
    ([f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}"
      for d in pd.date_range("2019-12-30", periods=40, freq="W-MON")], "2020-W"),
    ([f"{2000 + i // 2}H{i % 2 + 1}" for i in range(40)], "20")])
def test_a_backtest_writes_weeks_and_halves_as_read(tmp_path, capsys, dates, first):
    data = _panel_csv(tmp_path / "p.csv", dates, dates)
    assert main(["backtest", "--data", data, "--model", "naive", "--horizon", "2",
                 "--first-origin", "34", "--stride", "2", "--baselines", "naive",
                 "--plot-series", "0", "--no-progress", "--out", str(tmp_path / "bt")]) == 0
    fc = pd.read_csv(tmp_path / "bt" / "forecasts.csv", dtype=str)
    assert fc["ds"].isin(dates).all() and fc["ds"].str.startswith(first).all()


def test_an_unfinished_run_reads_its_data_again_with_its_off_grid(tmp_path, monkeypatch,
                                                                   capsys):
    """`--run DIR` of a run killed mid-ensemble reads the data again (unfinished_run):
    with the run's --off-grid, recorded in config.json, not refused for the date it
    snapped."""
    import os
    import signal

    from rnnlab.forecast import training

    pd.DataFrame({"date": _fridays(), "y": 10 + np.sin(np.arange(80.0))}).to_csv(
        tmp_path / "one.csv", index=False)
    real = training.member_hook

    def hook(on_epoch, m, is_main=True, refit=False):
        if m != 1:
            return real(on_epoch, m, is_main, refit=refit)
        return lambda epoch, record: epoch == 2 and os.kill(os.getpid(), signal.SIGINT)

    run = tmp_path / "run"
    with monkeypatch.context() as mp:
        mp.setattr(training, "member_hook", hook)
        assert main(["forecast", "--data", str(tmp_path / "one.csv"), "--ensemble", "2",
                     "--hidden-size", "4", "--epochs", "4", "--lookback", "6", "--horizon",
                     "3", "--no-progress", "--off-grid", "snap", "--out", str(run)]) == 130
    capsys.readouterr()
    assert main(["forecast", "--run", str(run), "--output", str(tmp_path / "f.csv")]) == 0
    days = pd.to_datetime(pd.read_csv(tmp_path / "f.csv").iloc[:, 0])
    assert (days.dt.day_of_week == 4).all()
