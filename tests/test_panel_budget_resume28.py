"""A panel member that its time budget (``max_seconds``) stopped, resumed: with the same
budget it is kept as it was (the uninterrupted fit stopped it there too), said with how to
train it on; with a larger budget, or none, it trains on from its last epoch, as more
``epochs`` train on a member that had done all its epochs. Before, such a member stayed
"finished" whatever budget the resume gave it (max_seconds is one of the settings a resume
may change), and nothing said why it did not train."""

import pytest
import torch

from rnnlab.panel import GlobalForecaster
from rnnlab.panel.budget_resume import BudgetStopWarning
from test_panel_checkpoints27 import SETTINGS, _frame, _weights

ONE = {**SETTINGS, "ensemble": 1, "epochs": 3}
TINY_BUDGET = 1e-4  # (s: the budget runs out at the first step; its epoch ends there)


def _stopped_by_its_budget(tmp_path):
    f = GlobalForecaster(**ONE, max_seconds=TINY_BUDGET).fit(_frame(), checkpoint_dir=tmp_path)
    assert f.histories[0]["stop_reason"] == "time budget"
    assert len(f.histories[0]["epochs"]) == 1
    return f


def _resumed(tmp_path, max_seconds):
    epochs = []
    f = GlobalForecaster(**ONE, max_seconds=max_seconds).fit(
        _frame(), checkpoint_dir=tmp_path, resume=True, on_epoch=lambda e, r: epochs.append(e))
    return f, epochs


def test_the_same_budget_keeps_the_member_and_says_how_to_train_it_on(tmp_path):
    stopped = _stopped_by_its_budget(tmp_path)
    with pytest.warns(BudgetStopWarning, match=r"member 0 \(.*member0\) was stopped by its "
                      r"time budget .*kept as it was .*resume with a larger max_seconds "
                      r".*--max-seconds"):
        kept, epochs = _resumed(tmp_path, TINY_BUDGET)
    assert epochs == [] and len(kept.histories[0]["epochs"]) == 1
    assert torch.equal(_weights(stopped)[0], _weights(kept)[0])


@pytest.mark.parametrize("more", [None, 1000.0])
def test_a_larger_budget_or_none_trains_it_on(tmp_path, more):
    _stopped_by_its_budget(tmp_path)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", BudgetStopWarning)
        f, epochs = _resumed(tmp_path, more)
    assert epochs == [2, 3]  # (its 2nd and 3rd epochs, from 1)
    assert len(f.histories[0]["epochs"]) == 3 and f.histories[0]["stop_reason"] == "epochs done"


def test_a_resumed_members_earlier_seconds_count_against_the_next_members_share(
        tmp_path, monkeypatch):
    # member 0 stopped part way after training s seconds; resumed, member 1 was given the
    # whole budget less only what member 0 trained after the resume (s given twice)
    from rnnlab.panel.budget_resume import trained_seconds
    from test_panel_checkpoints27 import Killed, _kill_at
    from test_panel_checkpoints27d import budgets_given

    timed = {**SETTINGS, "max_seconds": 1000.0}
    with pytest.raises(Killed):
        GlobalForecaster(**timed).fit(_frame(), checkpoint_dir=tmp_path, on_epoch=_kill_at(0, 2))
    earlier = trained_seconds(tmp_path / "member0")  # (its first epoch's)
    given = budgets_given(monkeypatch)
    GlobalForecaster(**timed).fit(_frame(), checkpoint_dir=tmp_path, resume=True)
    assert earlier > 0 and given == [500.0, pytest.approx(1000.0 - earlier)]
