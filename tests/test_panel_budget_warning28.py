"""The BudgetStopWarning of a resumed member its time budget had stopped points at the line
that called ``GlobalForecaster.fit``, as a filter by module (or a reader of the traceback
line) needs, with ``local=True`` too: there its fixed stack depth pointed into rnnlab's own
``local_models.py`` (the series' fits one call deeper)."""

import warnings
from pathlib import Path

import pytest

from rnnlab.panel import BudgetStopWarning, GlobalForecaster
from test_panel_budget_resume28 import ONE, TINY_BUDGET
from test_panel_checkpoints27 import _frame


@pytest.mark.parametrize("local", [False, True])
def test_the_kept_members_warning_points_at_the_callers_line(tmp_path, local):
    one = {**ONE, "local": local}
    GlobalForecaster(**one, max_seconds=TINY_BUDGET).fit(_frame(), checkpoint_dir=tmp_path)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        GlobalForecaster(**one, max_seconds=TINY_BUDGET).fit(
            _frame(), checkpoint_dir=tmp_path, resume=True)
    kept = [w for w in seen if issubclass(w.category, BudgetStopWarning)]
    assert len(kept) == (_frame()["unique_id"].nunique() if local else 1)
    assert {Path(w.filename).resolve() for w in kept} == {Path(__file__).resolve()}


@pytest.mark.parametrize("now", [TINY_BUDGET, None, 1000.0])
def test_a_member_whose_budget_ran_out_in_its_last_epoch_is_kept_unsaid(tmp_path, now):
    # its epochs are all done (the last cut short): no budget trains it on. A larger one
    # "trained it on" into fit(resume=True), which warned that nothing is trained ("raise
    # epochs ... lm train: --resume RUN --epochs N"); the same one said "to train it on,
    # resume with a larger max_seconds", which trains nothing either
    import torch

    from test_panel_checkpoints27 import _weights

    last = {**ONE, "epochs": 1}
    stopped = GlobalForecaster(**last, max_seconds=TINY_BUDGET).fit(
        _frame(), checkpoint_dir=tmp_path)
    assert stopped.histories[0]["stop_reason"] == "time budget"
    epochs = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kept = GlobalForecaster(**last, max_seconds=now).fit(
            _frame(), checkpoint_dir=tmp_path, resume=True,
            on_epoch=lambda e, r: epochs.append(e))
    assert epochs == [] and torch.equal(_weights(stopped)[0], _weights(kept)[0])
    assert kept.histories[0]["stop_reason"] == "time budget"
