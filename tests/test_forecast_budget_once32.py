"""``rnnlab forecast --minutes N`` (one series) said its time budget twice: the fit's
TimeBudgetNote on stderr (naming ``--max-seconds``, the panel model's flag) and "time
budget" in the summary's "weights kept" line. It says it once now, in that line, which
carries what only the note gave: the budget, how many members it stopped, after how many
of their epochs, and what to do (:mod:`rnnlab.forecast.budget_words`)."""

import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from rnnlab.forecast import report
from rnnlab.forecast.budget_words import budget_words
from rnnlab.train.budget_note import TimeBudgetNote
from printed_words import words as _words

STOP = "time budget"


def _history(trained, why=STOP, best=1):
    return {"best_epoch": best, "epochs": [{}] * trained, "stop_reason": why, "path": "fused"}


def _config(epochs, max_seconds):
    return SimpleNamespace(epochs=epochs, max_seconds=max_seconds)


def test_the_words_name_the_budget_the_members_their_epochs_and_what_to_do():
    said = budget_words([_history(1), _history(2), _history(20, "done")], _config(20, 0.06))
    assert said == ("time budget: --minutes 0.001 stopped 2 of 3 members after 1 to 2 of "
                    "their 20 epochs; to train longer, raise --minutes or leave it out")
    assert budget_words([_history(3)], _config(20, 1.5)).startswith(
        "time budget: --minutes 0.025 stopped the network after 3 of its 20 epochs;")
    assert budget_words([_history(20)], _config(20, 1.0)) == ""  # (its last epoch cut short)
    assert budget_words([_history(3, "early stopping")], None) == ""  # (no config read)
    assert budget_words([_history(3)], None) == ""  # (a budget's stop, no config: it raised)
    assert budget_words([_history(3)], _config(20, None)) == ""


def _fitted(histories, max_seconds=0.06):
    series = SimpleNamespace(freq="MS", index=None, filled=None,
                             values=100 + 10 * np.sin(np.arange(144.0)))
    return SimpleNamespace(period=12, series=series, histories=histories, n_train=132,
                           config=SimpleNamespace(period=None, fill=None, epochs=300,
                                                  max_seconds=max_seconds))


def _printed(f, capsys) -> str:
    ev = {"test_size": 12, "n_train": 132, "period": 12, "lag": 0,
          "forecast": {"model": dict(rmse=1.0, mae=1.0, mape=1.0, smape=1.0, mase=1.0)}}
    report.print_outcome(f, ev, Path("run"))
    return capsys.readouterr().out


def test_the_summary_says_the_budget_once_in_its_weights_kept_line(capsys):
    printed = _printed(_fitted([_history(1), _history(2)]), capsys)
    said = _words(printed)
    assert ("weights kept: each member's epoch of lowest validation loss: 1 of 1, 1 of 2 "
            "(time budget: --minutes 0.001 stopped 2 of 2 members after 1 to 2 of their 300 "
            "epochs; to train longer, raise --minutes or leave it out; every epoch in "
            "history.csv)") in said
    assert said.count("time budget") == 1
    assert max(len(line) for line in printed.splitlines()) <= 80


def test_the_budget_words_follow_the_other_members_reasons(capsys):
    said = _words(_printed(_fitted([_history(1), _history(9, "early stopping", best=5)]),
                           capsys))
    assert ("1 of 1, 5 of 9 (early stopping, time budget: --minutes 0.001 stopped 1 of 2 "
            "members after 1 of their 300 epochs; to train longer, raise --minutes or leave "
            "it out; every epoch in history.csv)") in said  # (it read "leave it out, early
    # stopping": another member's reason as if it were the budget's advice)


def test_without_validation_the_budget_is_a_note_of_its_own(capsys):
    said = _words(_printed(_fitted([_history(1, best=None)]), capsys))
    assert "weights kept" not in said
    assert ("note: time budget: --minutes 0.001 stopped the network after 1 of its 300 "
            "epochs; to train longer, raise --minutes or leave it out; every epoch in "
            "history.csv") in said  # (the fit's note said where the epochs are: so does this)


@pytest.mark.slow  # (about 13 s: the choice's rolling origins train too)
def test_the_command_leaves_the_fits_note_out(tmp_path, capsys):
    from rnnlab.cli import main

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert main(["forecast", "--data", "airline", "--minutes", "0.000001",
                     "--epochs", "5", "--ensemble", "1", "--hidden-size", "4",
                     "--out", str(tmp_path / "run")]) == 0
    assert not [w for w in seen if issubclass(w.category, TimeBudgetNote)]
    out = capsys.readouterr()
    assert "TimeBudgetNote" not in out.err and "--max-seconds" not in out.err
    assert "stopped the network after 1 of its 5 epochs" in _words(out.out)


def test_the_readme_says_where_the_command_says_it():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "`rnnlab forecast --minutes N` says it once, in its summary's \"weights kept\" " \
           "line" in _words(readme)
    assert "without validation, `--val-size 0`, in a note of its own; `history.csv` holds " \
           "each epoch" in _words(readme)
