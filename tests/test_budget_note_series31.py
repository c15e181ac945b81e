"""The one-series Forecaster(max_seconds=...) stopped training silently when its budget
ended (only f.histories' stop_reason told), where the panel's fit warns
rnnlab.panel.TimeBudgetNote and the CLI's summary says "time budget". Its fit now says
so too, once per fit, at the caller's line; a backtest says it once for all its origins'
fits (each origin's fit is silenced, as a local panel model's series are), and a
comparison leaves it to its report's note."""

import warnings

import numpy as np

from rnnlab import Forecaster
from rnnlab.panel import TimeBudgetNote

KW = dict(lookback=6, horizon=3, ensemble=1, hidden_size=4, progress=False, device="cpu",
          patience=None, batch_size=8)
TINY_BUDGET = 1e-4  # (s: the budget runs out at the first step; its epoch ends there)


def _series():
    return np.array([(i * 7) % 23 + i / 10 for i in range(60)], dtype=float)


def _notes(call):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        out = call()
    return out, [w for w in seen if issubclass(w.category, TimeBudgetNote)]


def test_a_fit_its_budget_stopped_says_how_far_it_trained():
    f, notes = _notes(lambda: Forecaster(**KW, epochs=20, max_seconds=TINY_BUDGET)
                      .fit(_series()))
    assert [h["stop_reason"] for h in f.histories] == ["time budget"]
    assert len(notes) == 1 and notes[0].filename == __file__  # (the caller's line)
    said = str(notes[0].message)
    assert f"the network after {len(f.histories[0]['epochs'])} of its 20 epochs" in said
    assert "max_seconds=0.0001" in said and "raise max_seconds" in said


def test_a_fit_that_ends_its_epochs_says_nothing():
    assert _notes(lambda: Forecaster(**KW, epochs=1, max_seconds=600).fit(_series()))[1] == []
    assert _notes(lambda: Forecaster(**KW, epochs=1).fit(_series()))[1] == []


def test_a_backtest_says_it_once_for_all_its_origins():
    f = Forecaster(**KW, epochs=20, max_seconds=TINY_BUDGET)
    _, notes = _notes(lambda: f.backtest(_series(), horizon=3, first_origin=9, stride=3,
                                          refit=1, baselines=()))
    assert len(notes) == 1 and notes[0].filename == __file__
    assert "3 of 3 networks" in str(notes[0].message)


def test_the_readme_names_the_note_for_one_series():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    at = readme.index("`Forecaster(max_seconds=...)`")
    assert "TimeBudgetNote" in " ".join(readme[at:].split()[:60])
