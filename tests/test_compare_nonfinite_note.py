"""The "k of n seeds diverged" note is worded once (compare.summary.nonfinite_notes): the
terminal summary and the report say the same, the report with the model's name in bold."""

from __future__ import annotations

from rnnlab.compare.config import CompareConfig
from rnnlab.compare.report import _notes
from rnnlab.compare.summary import summarize, terminal_table

KEYS = ("rmse", "mae", "mape", "smape", "mase")


def _record(model, seed, rmse):
    return {"model": model, "seed": seed, "params": 100, "hidden_size": 4, "num_layers": 1,
            "path": "fused", "metrics": {"forecast": {k: rmse for k in KEYS}},
            "train_seconds": 1.0, "steps_per_second": 10.0, "best_epoch": 1,
            "epochs_run": 3, "first_train_loss": 1.0, "last_train_loss": 0.5,
            "loss_fell": True, "stop_reason": "epochs done"}


def test_terminal_and_report_say_one_note_of_the_diverged_seeds():
    cfg = CompareConfig(models=("rnn", "gru"), seeds=(0, 1, 2), epochs=3)
    recs = [_record("rnn", 0, 10.0), _record("rnn", 1, float("nan")),
            _record("rnn", 2, float("inf"))] + [_record("gru", s, float("nan")) for s in (0, 1, 2)]
    rows = summarize(cfg, recs, {})
    said = ["rnn: 2 of 3 seeds ended with a non-finite forecast.rmse (diverged: seed 1, 2); "
            "the mean is over the other 1.",
            "gru: 3 of 3 seeds ended with a non-finite forecast.rmse (diverged: seed 0, 1, 2); "
            "no seed has a finite value."]
    text = terminal_table(cfg, rows)
    lines = text.replace("\n  ", " ").splitlines()  # (each note's wrapped lines joined again)
    assert all(s in lines for s in said), text  # (each a line of its own, as before the wrap)
    notes = _notes({"results": {"main_metric": "forecast.rmse", "rows": rows, "seconds": 1.0},
                    "config": cfg})
    for s in said:
        name, rest = s.split(":", 1)
        assert f"**{name}**:{rest}" in notes, notes
