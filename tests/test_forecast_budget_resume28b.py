"""Forecaster.fit(resume=True) meets a member its time budget (``max_seconds``) stopped as a
panel's does, through the same code (rnnlab.train.budget_stop.trains_on): with the same
budget it is kept and said (rnnlab.BudgetStopWarning, at the caller's line, with how to
train it on); with a larger budget, or none, it trains on from its last epoch. Before, the
one-series fit kept such a member silently whatever budget the resume gave it."""

import warnings
from pathlib import Path

import numpy as np
import pytest

import rnnlab
from rnnlab import Forecaster

KW = dict(lookback=6, horizon=3, epochs=3, ensemble=1, hidden_size=4, progress=False,
          device="cpu", patience=None)
TINY_BUDGET = 1e-4  # (s: the budget runs out at the first step; its epoch ends there)


def _series():
    return np.array([(i * 7) % 23 + i / 10 for i in range(80)], dtype=float)


def _fit(ck, max_seconds, resume):
    epochs = []
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        f = Forecaster(**KW, max_seconds=max_seconds).fit(
            _series(), checkpoint_dir=ck, resume=resume,
            on_epoch=lambda e, r: None if r.get("refit") else epochs.append(e))
    said = [w for w in seen if issubclass(w.category, rnnlab.BudgetStopWarning)]
    return f, epochs, said


@pytest.fixture()
def stopped(tmp_path):
    f, _, _ = _fit(tmp_path, TINY_BUDGET, resume=False)
    assert f.histories[0]["stop_reason"] == "time budget"
    assert len(f.histories[0]["epochs"]) == 1
    return tmp_path


def test_the_same_budget_keeps_the_member_and_says_how_to_train_it_on(stopped):
    f, epochs, said = _fit(stopped, TINY_BUDGET, resume=True)
    assert epochs == [] and len(f.histories[0]["epochs"]) == 1
    assert len(said) == 1
    assert str(said[0].message).startswith("Forecaster.fit(resume=True): member 0 (")
    assert "kept as it was" in str(said[0].message) and "--minutes M" in str(said[0].message)
    assert Path(said[0].filename).resolve() == Path(__file__).resolve()


@pytest.mark.parametrize("more", [None, 1000.0])
def test_a_larger_budget_or_none_trains_it_on(stopped, more):
    f, epochs, said = _fit(stopped, more, resume=True)
    assert said == [] and epochs == [2, 3]  # (its 2nd and 3rd epochs, from 1)
    assert len(f.histories[0]["epochs"]) == 3
    assert f.histories[0]["stop_reason"] == "epochs done"


def test_a_budget_larger_but_below_what_the_member_trained_says_so_not_a_share(stopped):
    """One series: each member's budget is the whole, so a larger max_seconds that is still
    no more than the seconds the member trained (it stops within a step of its budget)
    keeps it because of its own time, not because "the members before it used its share"
    (a panel's reason, which the one-series warning said)."""
    from rnnlab.train.checkpoint import CheckpointManager

    _, state, _ = CheckpointManager(stopped / "member0").load()
    seconds = state["history"]["seconds"]
    assert seconds > TINY_BUDGET
    _, epochs, said = _fit(stopped, seconds, resume=True)  # (larger than it was stopped under)
    assert epochs == [] and len(said) == 1
    text = str(said[0].message)
    assert "members before it" not in text, text
    assert f"max_seconds={seconds:g}" in text and "it has trained" in text, text


def test_a_checkpoint_from_before_the_budget_was_recorded_trains_on_from_its_train_config(
        stopped):
    """A member checkpointed before its meta held ``max_seconds`` (an rnnlab before 28b)
    still records its budget: every checkpoint's ``train_config`` holds the member's
    TrainConfig, whose max_seconds is the Forecaster's (each member's budget is the whole).
    It was kept, "its checkpoint does not record the budget", under any larger one."""
    from rnnlab.train.checkpoint import CheckpointManager

    ck = CheckpointManager(stopped / "member0")
    weights, state, meta = ck.load()
    assert meta.pop("max_seconds") == TINY_BUDGET
    assert meta["train_config"]["max_seconds"] == TINY_BUDGET
    ck.save(int(meta["step"]) + 1, weights, state, meta)  # (as the older rnnlab wrote it)
    assert "max_seconds" not in ck.load()[2]
    _, epochs, said = _fit(stopped, TINY_BUDGET, resume=True)  # (kept under the same one)
    assert epochs == [] and len(said) == 1
    assert f"no more than the {TINY_BUDGET:g} s it was stopped under" in str(said[0].message)
    _, epochs, said = _fit(stopped, 1000.0, resume=True)  # (trains on under a larger one)
    assert said == [] and epochs == [2, 3]
