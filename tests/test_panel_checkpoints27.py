"""``GlobalForecaster.fit(panel, checkpoint_dir=DIR, resume=True)``: a panel fit stopped
part way (here by an ``on_epoch`` that raises, as a kill between epochs leaves it) goes on
from its members' last checkpoints to the very model an uninterrupted fit gives (CPU, a
seed: the batches are a function of (seed, epoch, index)); a resume on other data or
settings is refused naming what differs. Before, fit refused checkpoint_dir= ("a
GlobalForecaster keeps no training checkpoints") and a stopped fit started again."""

import json

import pandas as pd
import pytest
import torch

from rnnlab.io.errors import CheckpointError, ConfigError, ConfigTypeError
from rnnlab.panel import GlobalForecaster
from rnnlab.train.checkpoint import CheckpointManager
from test_panel_train_options22 import TINY, _frame

SETTINGS = {**TINY, "epochs": 4, "ensemble": 2, "val_size": 4, "patience": None}


class Killed(Exception):
    pass


def _kill_at(member: int, epoch: int):
    def hook(e, record):
        if record["member"] == member and e == epoch:
            raise Killed
    return hook


def _weights(f):
    return [torch.cat([p.detach().flatten() for p in m.parameters()]) for m in f.members]


def _same(a, b):
    for x, y in zip(_weights(a), _weights(b)):
        assert torch.equal(x, y)
    pd.testing.assert_frame_equal(a.predict(), b.predict())
    assert [len(h["epochs"]) for h in a.histories] == [len(h["epochs"]) for h in b.histories]


def _stopped(tmp_path, member=1, epoch=3, **over):
    with pytest.raises(Killed):
        GlobalForecaster(**{**SETTINGS, **over}).fit(
            _frame(), checkpoint_dir=tmp_path, on_epoch=_kill_at(member, epoch))


def test_a_stopped_fit_resumed_is_the_uninterrupted_one(tmp_path):
    whole = GlobalForecaster(**SETTINGS).fit(_frame())
    _stopped(tmp_path)  # member 0 finished, member 1 stopped in its 3rd epoch
    assert (tmp_path / "member0" / "latest.json").is_file()
    assert (tmp_path / "member1" / "latest.json").is_file()
    trained = []  # (member, epoch) trained by the resume: member 1's last two epochs only
    resumed = GlobalForecaster(**SETTINGS).fit(
        _frame(), checkpoint_dir=tmp_path, resume=True,
        on_epoch=lambda e, r: trained.append((r["member"], e)))
    assert trained == [(1, 3), (1, 4)]
    _same(whole, resumed)


def test_a_fit_stopped_in_its_first_member_resumes_too(tmp_path):
    whole = GlobalForecaster(**{**SETTINGS, "calibrate": "conformal"}).fit(_frame())
    _stopped(tmp_path, member=0, epoch=2)
    assert not (tmp_path / "member1").exists()
    resumed = GlobalForecaster(**{**SETTINGS, "calibrate": "conformal"}).fit(
        _frame(), checkpoint_dir=tmp_path, resume=True)
    _same(whole, resumed)


def test_checkpoints_change_nothing_of_the_fit(tmp_path):
    a = GlobalForecaster(**SETTINGS).fit(_frame())
    b = GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path)
    _same(a, b)
    at = CheckpointManager(tmp_path / "member1").resume_folder()
    meta = json.loads((at / "meta.json").read_text())  # (what a resume must match)
    assert meta["kind"] == "panel_forecaster" and len(meta["data_sha256"]) == 64
    assert meta["panel_settings"]["hidden_size"] == 8 and "epochs" not in meta["panel_settings"]


def test_a_fit_that_fails_at_its_start_leaves_nothing_in_the_way(tmp_path):
    from rnnlab.io.errors import DataError

    with pytest.raises(DataError):  # (no static= table for the static covariate)
        GlobalForecaster(**{**SETTINGS, "static_covariates": ("sector",)}).fit(
            _frame(), checkpoint_dir=tmp_path)
    assert not any(tmp_path.iterdir())
    GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path)


def test_a_resume_on_other_data_is_refused(tmp_path):
    _stopped(tmp_path)
    with pytest.raises(CheckpointError, match="trained on other data") as e:
        GlobalForecaster(**SETTINGS).fit(_frame(seed=1), checkpoint_dir=tmp_path, resume=True)
    assert "pass the panel the fit started with" in str(e.value)


def test_a_resume_with_other_settings_is_refused_naming_them(tmp_path):
    _stopped(tmp_path)
    with pytest.raises(CheckpointError) as e:
        GlobalForecaster(**{**SETTINGS, "hidden_size": 6}).fit(
            _frame(), checkpoint_dir=tmp_path, resume=True)
    assert "hidden_size=6 (the checkpoints': 8)" in str(e.value)
    assert "only epochs, max_seconds" in str(e.value)


def test_more_epochs_on_resume_train_on(tmp_path):
    GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path)
    more = GlobalForecaster(**{**SETTINGS, "epochs": 5}).fit(
        _frame(), checkpoint_dir=tmp_path, resume=True)
    assert [len(h["epochs"]) for h in more.histories] == [5, 5]


def test_a_new_fit_into_a_folder_of_checkpoints_is_refused(tmp_path):
    _stopped(tmp_path)
    with pytest.raises(ConfigError, match="holds another fit's checkpoints; pass resume=True"):
        GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path)


def test_resume_without_a_folder_or_into_a_file_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="resume=True needs checkpoint_dir"):
        GlobalForecaster(**SETTINGS).fit(_frame(), resume=True)
    (tmp_path / "f").write_text("x")
    with pytest.raises(ConfigError, match="is a file, not a folder"):
        GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path / "f")


def test_a_damaged_run_record_is_refused(tmp_path):
    _stopped(tmp_path)
    at = CheckpointManager(tmp_path / "member0").resume_folder()
    (at / "meta.json").write_text("[1, 2]")
    with pytest.raises(CheckpointError, match="meta.json"):
        GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path, resume=True)


def test_local_models_resume_series_by_series(tmp_path):
    local = {**SETTINGS, "local": True, "ensemble": 1}
    whole = GlobalForecaster(**local).fit(_frame())
    seen = []

    def kill_third_series(e, record):
        seen.append(e)
        if len(seen) == 2 * local["epochs"] + 2:  # the third series' second epoch
            raise Killed
    with pytest.raises(Killed):
        GlobalForecaster(**local).fit(_frame(), checkpoint_dir=tmp_path,
                                      on_epoch=kill_third_series)
    assert (tmp_path / "series2" / "member0" / "latest.json").is_file()
    resumed = GlobalForecaster(**local).fit(_frame(), checkpoint_dir=tmp_path, resume=True)
    pd.testing.assert_frame_equal(whole.predict(), resumed.predict())


def test_ckpt_path_points_at_checkpoint_dir():
    with pytest.raises(ConfigTypeError, match=r"checkpoint_dir=DIR, resume=True\) goes on"):
        GlobalForecaster(**SETTINGS).fit(_frame(), ckpt_path="last.ckpt")



def test_a_fit_stopped_by_a_signal_mid_epoch_says_resume_and_resumes(tmp_path, monkeypatch):
    from test_interrupt19 import stop_at_first_step

    from rnnlab.train.stops import TrainingInterrupted

    whole = GlobalForecaster(**SETTINGS).fit(_frame())
    with monkeypatch.context() as m:
        stop_at_first_step(m)  # (as Ctrl-C after member 0's first step)
        with pytest.raises(TrainingInterrupted) as stop:
            GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path)
    assert str(stop.value).endswith("the checkpoint is written. Resume with fit(..., "
                                    "checkpoint_dir=<the same folder>, resume=True)")
    resumed = GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path, resume=True)
    _same(whole, resumed)


def test_a_resume_with_other_static_covariates_is_refused(tmp_path):
    static = pd.DataFrame({"unique_id": ["s0", "s1", "s2"], "sector": ["a", "b", "a"]})
    other = static.assign(sector=["a", "a", "b"])
    settings = {"static_covariates": ("sector",)}
    with pytest.raises(Killed):
        GlobalForecaster(**{**SETTINGS, **settings}).fit(
            _frame(), static, checkpoint_dir=tmp_path / "s", on_epoch=_kill_at(1, 3))
    with pytest.raises(CheckpointError, match="other static covariates"):
        GlobalForecaster(**{**SETTINGS, **settings}).fit(
            _frame(), other, checkpoint_dir=tmp_path / "s", resume=True)
