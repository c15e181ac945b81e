"""Session 21's sweep over run folders: a shell loop tells a training that diverged (exit
3: a result of its settings, the sweep goes on) from a usage error (2) and an error of the
data or files (1)."""

from __future__ import annotations

from rnnlab.cli import main


def _diverged(*args, **kwargs):
    from rnnlab.train import TrainingDiverged

    raise TrainingDiverged("the loss became non-finite at epoch 1, step 2 (loss inf)")


def test_a_diverged_training_exits_with_its_own_status(monkeypatch, tmp_path, capsys):
    """It exited 1, as a missing data file does: a sweep could not tell "these settings
    diverge" (go on) from "the inputs are wrong" (stop)."""
    from rnnlab.compare import forecast_run

    monkeypatch.setattr(forecast_run, "run_forecast", _diverged)
    code = main(["compare", "--models", "gru", "--seeds", "5", "--epochs", "1",
                 "--out", str(tmp_path / "c")])
    assert code == 3
    assert "diverged" in capsys.readouterr().err


def test_the_statuses_of_a_sweep_differ(tmp_path, capsys):
    missing = main(["forecast", "--data", str(tmp_path / "no.csv"), "--out", str(tmp_path / "r")])
    usage = main(["forecast", "--data", "airline", "--lookback", "0",
                  "--out", str(tmp_path / "r2")])
    assert (missing, usage) == (1, 2)
    assert not (tmp_path / "r2").exists()
