"""compare's records carry each epoch's ``cpu_seconds`` (the run's CPU seconds at the
epoch's end, as a fit's history, ``history.csv`` and ``lm train``'s metrics hold them) in
each run's curve, beside the gradient norms it already copied."""

import time

import pytest

from rnnlab.compare import CompareConfig


def _check_cpu_curve(rec: dict, used: float) -> None:
    """Each epoch's ``cpu_seconds`` (the run's so far, as a fit's history holds it): there,
    positive, never falling; the epochs' own shares (each value less the one before) sum
    to no more than the process CPU time the run took, nor than its train_cpu_seconds."""
    cpu = rec["curve"]["cpu_seconds"]
    assert len(cpu) == rec["epochs_run"] == len(rec["curve"]["grad_norm_max"])
    assert all(c is not None and c > 0 for c in cpu), cpu
    shares = [b - a for a, b in zip([0.0] + cpu, cpu)]
    assert all(s >= 0 for s in shares), cpu
    assert sum(shares) <= used
    assert sum(shares) <= rec["train_cpu_seconds"] + 1e-9


@pytest.mark.slow  # (about 5 s: the fit, then every baseline's evaluation)
def test_a_forecast_records_curve_has_each_epochs_cpu_seconds():
    from rnnlab.compare.forecast_run import run_forecast

    cfg = CompareConfig(models=("gru",), seeds=(0,), epochs=3, hidden_size=8, device="cpu")
    c0 = time.process_time()
    rec, _ = run_forecast(cfg, "gru", 8, 0, seed=0)
    _check_cpu_curve(rec, time.process_time() - c0)


@pytest.mark.filterwarnings("ignore:1 of the:UserWarning")  # (a char the short text lacks)
def test_a_language_models_curve_has_each_epochs_cpu_seconds():
    from rnnlab.compare.lm_run import run_lm

    cfg = CompareConfig(task="lm", data="time-machine", max_chars=3000, models=("gru",),
                        seeds=(0,), epochs=2, hidden_size=8, embedding=4, seq_len=16,
                        device="cpu")
    c0 = time.process_time()
    rec = run_lm(cfg, "gru", 8, 0, seed=0)
    _check_cpu_curve(rec, time.process_time() - c0)


def test_an_earlier_history_without_cpu_seconds_gives_none_per_epoch():
    from rnnlab.compare.curves import curve_record

    rec = curve_record([{"epoch": 1, "train_loss": 2.0}, {"epoch": 2, "train_loss": 1.0,
                                                          "cpu_seconds": 0.5}])
    assert rec["curve"]["cpu_seconds"] == [None, 0.5]

