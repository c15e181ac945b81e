"""A backtest's time budget notes: the notes of several models (or settings) were one,
joined by "; ", naming no model; "3 of 4 networks after 1 of its 5 epochs" read as one
network's; and a wrapped note could end a line on "after 1" with "of its 20 epochs"
beginning the next. Each model's note is its own now, naming it, says "their" of several
networks, and the wrapper keeps a number beside the "of", "to" or "epochs" it counts."""

from __future__ import annotations

import re
import warnings

from printed_words import words
from rnnlab.forecast.choice_lines import clause_lines
from rnnlab.panel import GlobalForecaster
from rnnlab.panel.backtest import backtest
from rnnlab.train.budget_note import (TimeBudgetNote, budget_model, budget_said_once,
                                      say_budget_stop)
from test_panel_budget_resume28 import ONE, TINY_BUDGET
from test_panel_checkpoints27 import _frame

STOPPED = {"stop_reason": "time budget", "epochs": [{}]}
DONE = {"stop_reason": "done", "epochs": [{}] * 5}


def _notes(call):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        call()
    return [str(w.message) for w in seen if issubclass(w.category, TimeBudgetNote)]


def test_each_models_note_is_its_own_and_names_it():
    def fits():
        with budget_said_once():
            with budget_model("lstm"):
                say_budget_stop([STOPPED, STOPPED, STOPPED, DONE], 5, 1.0)
            with budget_model("gru"):
                say_budget_stop([STOPPED], 9, 2.0)
    lstm, gru = _notes(fits)
    assert lstm.startswith("model 'lstm': the time budget (max_seconds=1, --max-seconds) "
                           "stopped 3 of 4 networks after 1 of their 5 epochs; ")
    assert gru.startswith("model 'gru': the time budget (max_seconds=2, --max-seconds) "
                          "stopped the network after 1 of its 9 epochs; ")
    assert "lstm" not in gru and "gru" not in lstm and lstm.count("time budget") == 1


def test_a_panel_backtest_of_two_models_says_each_ones_note():
    made = {name: (lambda: GlobalForecaster(**{**ONE, "epochs": 20},
                                            max_seconds=TINY_BUDGET)) for name in ("a", "b")}
    notes = _notes(lambda: backtest(made, _frame(), horizon=2, first_origin=4, stride=2,
                                    refit=1))
    assert sorted(n[:10] for n in notes) == ["model 'a':", "model 'b':"], notes
    assert all(re.search(r"stopped (\d+) of \1 networks after 1 of their 20 epochs", n)
               for n in notes), notes


def _numbers_broken(text: str) -> list:
    """Line ends where a number is parted from the "of", "to" or "epochs" after it."""
    lines = text.splitlines()
    return [(a, b) for a, b in zip(lines, lines[1:]) if re.search(r"\d$", a)
            and re.match(r"\s*(of|to \d|epochs?)\b", b)]


def test_a_wrapped_note_keeps_a_number_beside_what_it_counts():
    note = ("note: time budget: --minutes 0.001 stopped 12 of 30 members after 1 to 2 of "
            "their 300 epochs; to train longer, raise --minutes or leave it out; every "
            "epoch in history.csv")
    for width in range(30, 81):
        said = clause_lines(note, width)
        assert not _numbers_broken(said), (width, said)
        assert words(said) == note


def test_the_readme_says_a_note_per_model():
    from pathlib import Path

    readme = words((Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8"))
    assert "a backtest says it once for all its origins' fits, in a note per model that " \
           "names it: `model 'lstm': the time budget" in readme
