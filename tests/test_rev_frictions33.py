"""Review of frictions33 (CLI warnings wrapped at 80 columns, a budget note per model).

A one-series backtest's time budget note read "model 'model': the time budget ...": its
one network, named "model" in its results, was named as a panel backtest's models are."""

from __future__ import annotations

from pathlib import Path

from printed_words import words
from rnnlab import Forecaster
from test_budget_note_series31 import KW, TINY_BUDGET, _notes, _series


def test_a_one_series_backtests_note_names_no_model():
    f = Forecaster(**KW, epochs=20, max_seconds=TINY_BUDGET)
    _, notes = _notes(lambda: f.backtest(_series(), horizon=3, first_origin=9, stride=3,
                                          refit=1, baselines=()))
    (said,) = [str(n.message) for n in notes]
    assert said.startswith("the time budget (max_seconds=0.0001, --max-seconds) stopped "
                           "3 of 3 networks after 1 of their 20 epochs"), said
    readme = words((Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8"))
    assert "`.backtest` says it once for all its origins' fits, in a note that names no " \
           "model" in readme
