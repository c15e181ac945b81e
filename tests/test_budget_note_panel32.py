"""A panel backtest refitted at every origin said its TimeBudgetNote once per origin (each
GlobalForecaster.fit said its own); it now says it once per backtest, counting every
origin's networks ("2 of 2 networks"), as the one-series backtest does
(:func:`rnnlab.train.budget_note.budget_said_once`). A local model's series' fits count
once, as their panel's fit's."""

import warnings
from pathlib import Path

import pytest

from rnnlab.panel import GlobalForecaster, TimeBudgetNote
from rnnlab.train.budget_note import budget_said_once, say_budget_stop
from test_panel_budget_resume28 import ONE, TINY_BUDGET
from test_panel_checkpoints27 import _frame

STOPPED = {"stop_reason": "time budget", "epochs": [{}]}


def _notes(call):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        call()
    return [w for w in seen if issubclass(w.category, TimeBudgetNote)]


@pytest.mark.parametrize("local", [False, True])
def test_a_panel_backtest_says_the_budget_once_for_all_its_origins(local):
    f = GlobalForecaster(**{**ONE, "epochs": 20, "local": local}, max_seconds=TINY_BUDGET)
    notes = _notes(lambda: f.backtest(_frame(), first_origin=6, stride=2, refit=1))
    assert len(notes) == 1, [str(n.message) for n in notes]
    assert Path(notes[0].filename).resolve() == Path(__file__).resolve()
    fits = "6 of 6 series' networks" if local else "2 of 2 networks"  # (3 series, 2 origins)
    assert f"stopped {fits} after 1 of their 20 epochs" in str(notes[0].message)
    # (it said "each epoch is in f.histories": after a backtest, f.histories is empty)
    assert f.histories == [] and "histor" not in str(notes[0].message)
    assert str(notes[0].message).endswith("; to train longer, raise max_seconds or leave it out")


def test_a_fit_alone_still_says_where_its_epochs_are():
    (note,) = _notes(lambda: say_budget_stop([STOPPED], 5, 1.0))
    assert "; each epoch is in f.histories (rnnlab forecast's history.csv); to train longer, " \
           "raise max_seconds or leave it out" in str(note.message)


def test_the_block_counts_fits_of_one_setting_together_and_says_each_setting():  # (apart)
    def fits():
        with budget_said_once():
            say_budget_stop([STOPPED], 5, 1.0)
            say_budget_stop([STOPPED, {"stop_reason": "done", "epochs": [{}] * 5}], 5, 1.0)
            say_budget_stop([STOPPED], 9, 2.0)
            with budget_said_once():  # (an inner block: the outer one says it)
                say_budget_stop([STOPPED], 5, 1.0)
    one, other = (str(n.message) for n in _notes(fits))  # (a note each: test_budget_notes33)
    assert "(max_seconds=1, --max-seconds) stopped 3 of 4 networks after 1 of their 5" in one
    assert "(max_seconds=2, --max-seconds) stopped the network after 1 of its 9" in other


def test_a_block_that_raises_says_nothing():
    def fails():
        with pytest.raises(KeyError):  # (inside _notes' recording: its notes are counted)
            with budget_said_once():
                say_budget_stop([STOPPED], 5, 1.0)
                raise KeyError("stopped")
    assert _notes(fails) == []  # (it was asserted inside the raising call: never checked)


def test_the_readme_says_a_panel_backtest_says_it_once():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    at = readme.index("a fit it stops before its epochs says so, with the\nepochs trained")
    said = " ".join(readme[at:at + 400].split())
    assert "a backtest says it once for all its origins' fits" in said
