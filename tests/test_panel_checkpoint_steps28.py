"""``GlobalForecaster.fit(panel, checkpoint_dir=DIR, checkpoint_every=N)`` and ``rnnlab
forecast --data PANEL --checkpoint-every N``: a panel fit also checkpoints every N optimizer
steps, so a kill between two epoch ends loses at most N steps; resumed, it goes on from
that step to the weights an unbroken fit gives (CPU, a seed). Before, the panel fit took
no ``checkpoint_every=`` and the command refused ``--checkpoint-every`` for a panel ("a
panel run checkpoints at each epoch end")."""

import json

import pandas as pd
import pytest

from rnnlab.io.errors import ConfigError
from rnnlab.panel import GlobalForecaster
from rnnlab.panel.net import PanelTask
from rnnlab.train.checkpoint import CheckpointManager
from test_panel_checkpoints27 import SETTINGS, Killed, _frame, _same

STEPS = SETTINGS["epochs"] * SETTINGS["batches_per_epoch"]  # (16 a member)


def _killed_at_step(monkeypatch, n: int) -> list:
    """Every train step counted in the list returned; the ``n``-th (from 1) raises Killed
    before it runs, as a SIGKILL between two checkpoints leaves the folder."""
    calls = []
    real = PanelTask.train_loss

    def step(self, model, batch, carry):
        calls.append(1)
        if len(calls) == n:
            raise Killed
        return real(self, model, batch, carry)
    monkeypatch.setattr(PanelTask, "train_loss", step)
    return calls


def _position(folder):
    """(epoch, index) of the checkpoint a resume of ``folder`` loads."""
    _, st, _ = CheckpointManager(folder).load()
    return st["epoch"], st["index"]


def test_a_fit_killed_mid_epoch_resumes_from_its_step_checkpoint(tmp_path, monkeypatch):
    one = {**SETTINGS, "ensemble": 1, "epochs": 3}  # (12 steps, 4 an epoch)
    whole = GlobalForecaster(**one).fit(_frame())
    with monkeypatch.context() as m:  # the 8th step: the 2nd epoch's last
        _killed_at_step(m, 8)
        with pytest.raises(Killed):
            GlobalForecaster(**one).fit(_frame(), checkpoint_dir=tmp_path, checkpoint_every=3)
    assert _position(tmp_path / "member0") == (1, 2)  # after step 6, mid-epoch (not 4)
    with monkeypatch.context() as m:
        trained = _killed_at_step(m, 0)  # (counts only)
        resumed = GlobalForecaster(**one).fit(_frame(), checkpoint_dir=tmp_path, resume=True,
                                              checkpoint_every=3)
    assert len(trained) == 12 - 6  # from step 7 on (from the epoch end: 8 steps)
    _same(whole, resumed)


def test_step_checkpoints_change_nothing_of_the_fit(tmp_path):
    short = {**SETTINGS, "epochs": 2}
    a = GlobalForecaster(**short).fit(_frame())
    b = GlobalForecaster(**short).fit(_frame(), checkpoint_dir=tmp_path, checkpoint_every=1)
    _same(a, b)


def test_local_models_take_checkpoint_every_too(tmp_path, monkeypatch):
    local = {**SETTINGS, "local": True, "ensemble": 1}
    with monkeypatch.context() as m:  # the 2nd series' 7th step
        _killed_at_step(m, STEPS + 7)
        with pytest.raises(Killed):
            GlobalForecaster(**local).fit(_frame(), checkpoint_dir=tmp_path, checkpoint_every=2)
    assert _position(tmp_path / "series1" / "member0") == (1, 2)  # after its step 6


@pytest.mark.parametrize("every, what", [(1.5, "whole number"), (-1, "whole number"),
                                         (True, "whole number")])
def test_a_step_count_that_is_none_is_refused(tmp_path, every, what):
    with pytest.raises(ConfigError, match=f"checkpoint_every must be a {what}"):
        GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path,
                                         checkpoint_every=every)


def test_checkpoint_every_without_a_folder_is_refused():
    with pytest.raises(ConfigError, match="checkpoint_every=5 needs checkpoint_dir"):
        GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_every=5)


def _data(tmp_path):
    from test_panel_resume_cli27 import _data as data

    return data(tmp_path)


def test_a_baselines_checkpoint_every_is_refused(tmp_path, capsys):
    from rnnlab.cli import main

    cmd = ["forecast", "--data", str(_data(tmp_path)), "--model", "naive", "--horizon", "2",
           "--baselines", "none", "--out", str(tmp_path / "b"), "--checkpoint-every", "5"]
    assert main(cmd) == 2
    assert "--model naive is a baseline, which trains no network" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()


@pytest.mark.slow  # (two short panel runs and a resume)
def test_a_panel_run_killed_mid_epoch_resumes_from_its_step_checkpoint(tmp_path, capsys,
                                                                        monkeypatch):
    from rnnlab.cli import main
    from test_panel_resume_cli27 import _cmd, _same_run

    data = _data(tmp_path)
    cmd = lambda out: [*_cmd(data, out), "--checkpoint-every", "2"]  # noqa: E731
    assert main(cmd(tmp_path / "whole")) == 0
    out = tmp_path / "run"
    with monkeypatch.context() as m:  # (3 steps an epoch: the 5th is epoch 2's 2nd)
        _killed_at_step(m, 5)
        with pytest.raises(Killed):
            main(cmd(out))
    assert _position(out / "checkpoints" / "member0") == (1, 1)  # after step 4, mid-epoch
    mark = json.loads((out / ".rnnlab-pending").read_text())
    assert "--checkpoint-every" in mark
    assert main([*cmd(out), "--resume"]) == 0, capsys.readouterr().err
    _same_run(tmp_path / "whole", out)
    assert pd.read_csv(out / "history.csv")["epoch"].max() == 3


def test_a_resume_may_checkpoint_at_another_step_count(tmp_path):
    # how often a fit checkpoints trains the same: a resume with another checkpoint_every
    # warned that the run "no longer matches an uninterrupted one"
    import warnings

    one = {**SETTINGS, "ensemble": 1, "epochs": 2}
    whole = GlobalForecaster(**{**one, "epochs": 3}).fit(_frame())
    GlobalForecaster(**one).fit(_frame(), checkpoint_dir=tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resumed = GlobalForecaster(**{**one, "epochs": 3}).fit(
            _frame(), checkpoint_dir=tmp_path, resume=True, checkpoint_every=2)
    _same(whole, resumed)
