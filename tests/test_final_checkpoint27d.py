"""``rnnlab.train.final_checkpoint``: whether a member's last checkpoint ends its training,
public for the one-series Forecaster and the panel's GlobalForecaster alike (the panel's
checkpoints imported forecast.training's private ``_finished_member``)."""

import copy

import pytest
import torch

from rnnlab.panel import GlobalForecaster
from rnnlab.train.final_checkpoint import final_checkpoint, take_final
from test_panel_checkpoints27 import SETTINGS, Killed, _frame, _kill_at


def test_a_finished_member_is_taken_as_it_was_and_a_stopped_one_is_not(tmp_path):
    with pytest.raises(Killed):  # member 0 finished (4 epochs), member 1 stopped in its 3rd
        GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path,
                                         on_epoch=_kill_at(1, 3))
    assert final_checkpoint(tmp_path / "member1", SETTINGS["epochs"]) is None
    assert final_checkpoint(tmp_path / "member0", SETTINGS["epochs"] + 1) is None  # (more)
    weights, hist = final_checkpoint(tmp_path / "member0", SETTINGS["epochs"])
    assert len(hist.epochs) == SETTINGS["epochs"]
    whole = GlobalForecaster(**SETTINGS).fit(_frame())
    net = copy.deepcopy(whole.members[0])
    with torch.no_grad():
        for p in net.parameters():
            p.zero_()
    assert len(take_final(tmp_path / "member0", SETTINGS["epochs"], net).epochs) == 4
    for a, b in zip(net.parameters(), whole.members[0].parameters()):
        assert torch.equal(a, b)  # (the uninterrupted fit's member 0, loaded)

