"""A forecast run's metrics.json, which says the run finished (``rnnlab runs``), is its
last file: a full disk or a kill while the plots are written leaves a run that says it is
not finished (it said ``finished: True`` with forecast.csv or the plots missing)."""

import errno
import os

from rnnlab.cli import main
from rnnlab.runs_cli import read_run

FORECAST = ["forecast", "--data", "sine", "--lookback", "4", "--horizon", "2", "--epochs", "1",
            "--hidden-size", "4", "--batch-size", "64", "--ensemble", "1", "--no-progress",
            "--device", "cpu", "--threads", "1"]


def test_a_run_whose_last_plot_failed_is_not_finished_and_its_resume_finishes_it(
        tmp_path, monkeypatch, capsys):
    from rnnlab.forecast import Forecaster

    real_plot = Forecaster.plot

    def plot(self, path, *a, **k):
        if str(path).endswith("error_by_step.png"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_plot(self, path, *a, **k)

    run = tmp_path / "run"
    monkeypatch.setattr(Forecaster, "plot", plot)
    assert main(FORECAST + ["--out", str(run)]) == 1
    assert "no space left on the device" in capsys.readouterr().err
    assert not (run / "metrics.json").exists()
    assert read_run(run)["finished"] is False
    monkeypatch.undo()
    assert main(["forecast", "--resume", str(run)]) == 0
    assert read_run(run)["finished"] is True
    assert (run / "error_by_step.png").is_file()


LM = ["lm", "train", "--hidden-size", "8", "--num-layers", "1", "--embedding", "0",
      "--seq-len", "8", "--batch-size", "4", "--epochs", "1", "--no-progress", "--threads", "1"]


def test_an_lm_run_whose_loss_plot_failed_is_not_finished(tmp_path, monkeypatch, capsys):
    from rnnlab.lm import train_command

    def plot(history, baselines, path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    corpus = tmp_path / "c.txt"
    corpus.write_text("the quick brown fox jumps over the lazy dog. " * 60, encoding="utf-8")
    run = tmp_path / "run"
    monkeypatch.setattr(train_command, "plot_history", plot)
    assert main(LM + ["--corpus", str(corpus), "--out", str(run)]) == 1
    assert "no space left on the device" in capsys.readouterr().err
    assert (run / "samples.json").is_file() and not (run / "metrics.json").exists()
    assert read_run(run)["finished"] is False


BACKTEST = ["backtest", "--data", "visnights", "--model", "naive", "--baselines", "none",
            "--horizon", "4", "--plot-series", "1"]


def test_a_backtest_whose_plots_failed_is_not_finished(tmp_path, monkeypatch, capsys):
    from rnnlab.panel import plots

    def plot(out, *a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out / "forecasts.png"))

    run = tmp_path / "bt"
    monkeypatch.setattr(plots, "plot_backtest", plot)
    assert main(BACKTEST + ["--out", str(run)]) == 1
    assert "no space left on the device" in capsys.readouterr().err
    assert (run / "by_step.csv").is_file() and not (run / "summary.json").exists()
    assert read_run(run)["finished"] is False
    monkeypatch.undo()
    assert main(BACKTEST + ["--out", str(run), "--overwrite"]) == 0
    assert read_run(run)["finished"] is True


def test_a_panel_forecast_whose_model_could_not_be_saved_is_not_finished(
        tmp_path, monkeypatch, capsys):
    from rnnlab.panel import forecast_run

    def save(out, model, panel):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out / "model"))

    run = tmp_path / "run"
    monkeypatch.setattr(forecast_run, "_save_model", save)
    assert main(["forecast", "--data", "visnights", "--model", "naive", "--horizon", "4",
                 "--no-progress", "--out", str(run)]) == 1
    assert "no space left on the device" in capsys.readouterr().err
    assert not (run / "metrics.json").exists()
    assert read_run(run)["finished"] is False
    monkeypatch.undo()
    assert main(["forecast", "--data", "visnights", "--model", "naive", "--horizon", "4",
                 "--no-progress", "--out", str(run), "--overwrite"]) == 0
    assert (run / "metrics.json").is_file() and read_run(run)["finished"] is True
