"""Review of the panel fits' checkpoints (``GlobalForecaster.fit(checkpoint_dir=, resume=)``):
what a resume compares is what the fit reads, so the same data given in another form
resumes, and what the checkpoints' own folders record is checked."""

import pandas as pd
import pytest

from rnnlab.io.errors import CheckpointError
from rnnlab.panel import GlobalForecaster
from test_panel_checkpoints27 import SETTINGS, Killed, _frame, _kill_at, _same

STATIC = pd.DataFrame({"unique_id": ["s0", "s1", "s2"], "sector": ["a", "b", "a"]})
WITH_STATIC = {**SETTINGS, "static_covariates": ("sector",)}


def test_the_static_table_in_another_row_order_resumes(tmp_path):
    # was refused: "its checkpoints were trained with other static covariates (another
    # static= table)", its CSV text hashed as given, though the fit reads it by id
    whole = GlobalForecaster(**WITH_STATIC).fit(_frame(), STATIC)
    with pytest.raises(Killed):
        GlobalForecaster(**WITH_STATIC).fit(_frame(), STATIC, checkpoint_dir=tmp_path,
                                            on_epoch=_kill_at(1, 3))
    other_form = STATIC.iloc[::-1].assign(note="unread")[["note", "sector", "unique_id"]]
    resumed = GlobalForecaster(**WITH_STATIC).fit(_frame(), other_form,
                                                  checkpoint_dir=tmp_path, resume=True)
    _same(whole, resumed)


def budgets_given(monkeypatch) -> list:
    """The max_seconds each member's training loop is given from now on (the list
    returned), the fit's clock standing still: what the members trained before counts."""
    import types

    import rnnlab.panel.global_fit as global_fit

    given = []
    real_fit = global_fit.fit

    def fit(net, task, tcfg, **kw):
        given.append(tcfg.max_seconds)
        return real_fit(net, task, tcfg, **kw)
    monkeypatch.setattr(global_fit, "fit", fit)
    monkeypatch.setattr(global_fit, "time", types.SimpleNamespace(perf_counter=lambda: 0.0))
    return given


def test_a_resumed_member_shares_the_time_budget_as_in_the_uninterrupted_fit(tmp_path,
                                                                             monkeypatch):
    # member 1 of 2 may use what member 0 left of 2 x max_seconds / 2; resumed, member 0
    # was taken from its checkpoint at once, and member 1 was given the whole budget as
    # if member 0 had used no time (trained longer than the uninterrupted fit's)
    timed = {**SETTINGS, "max_seconds": 1000.0}
    with pytest.raises(Killed):
        GlobalForecaster(**timed).fit(_frame(), checkpoint_dir=tmp_path, on_epoch=_kill_at(1, 3))
    given = budgets_given(monkeypatch)
    resumed = GlobalForecaster(**timed).fit(_frame(), checkpoint_dir=tmp_path, resume=True)
    used = resumed.histories[0]["seconds"]  # (member 0's, trained before the stop)
    assert used > 0 and given == [pytest.approx(1000.0 - used)]


def test_a_global_resume_of_a_local_fits_checkpoints_is_refused(tmp_path):
    # was a silent start over: the global fit trained member0/ ... afresh beside the
    # series' checkpoints (the other way, local=True on a global fit's, was refused)
    local = {**SETTINGS, "local": True, "ensemble": 1, "epochs": 2}
    seen = []

    def kill_second_series(e, record):
        seen.append(e)
        if len(seen) == 3:
            raise Killed
    with pytest.raises(Killed):
        GlobalForecaster(**local).fit(_frame(), checkpoint_dir=tmp_path,
                                      on_epoch=kill_second_series)
    with pytest.raises(CheckpointError, match=r"local=False \(the checkpoints': True"):
        GlobalForecaster(**{**local, "local": False}).fit(_frame(), checkpoint_dir=tmp_path,
                                                          resume=True)
    assert not (tmp_path / "member0").exists()


def test_ckpt_path_names_the_command_lines_resume_a_panel_run_takes():
    # said "rnnlab forecast --resume RUN on the command line", which a panel run refuses
    # (no cli.json: "--resume with the folder alone has nothing to resume with")
    from rnnlab.io.errors import ConfigTypeError

    with pytest.raises(ConfigTypeError) as e:
        GlobalForecaster(**SETTINGS).fit(_frame(), ckpt_path="last.ckpt")
    assert "--resume RUN" not in str(e.value)
    assert "the rnnlab forecast command that started the run, with --resume" in str(e.value)


def test_a_checkpoint_without_its_meta_says_how_to_go_on_and_that_way_resumes(tmp_path):
    # said only ".../meta.json: not found"; deleting the member's folder trains it again
    import shutil

    from rnnlab.train.checkpoint import CheckpointManager

    whole = GlobalForecaster(**SETTINGS).fit(_frame())
    with pytest.raises(Killed):
        GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path,
                                         on_epoch=_kill_at(1, 3))
    (CheckpointManager(tmp_path / "member0").resume_folder() / "meta.json").unlink()
    with pytest.raises(CheckpointError) as e:
        GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path, resume=True)
    assert "meta.json is missing, so the checkpoint is incomplete" in str(e.value)
    assert f"delete {tmp_path / 'member0'} to train member0 again" in str(e.value)
    shutil.rmtree(tmp_path / "member0")
    _same(whole, GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path,
                                                  resume=True))


def test_a_one_series_resume_of_a_panel_fits_checkpoints_is_refused_by_name(tmp_path):
    # was a ResumeDataWarning, then "weights do not match the model built from its config"
    import warnings

    import numpy as np

    from rnnlab import Forecaster

    with pytest.raises(Killed):
        GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path,
                                         on_epoch=_kill_at(1, 3))
    y = pd.Series(5 + np.sin(np.arange(60) / 3), pd.date_range("2001", periods=60, freq="D"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no data warning before it)
        with pytest.raises(CheckpointError, match="its checkpoints are a GlobalForecaster "
                                                  "fit's .kind 'panel_forecaster'., not a "
                                                  "Forecaster's"):
            Forecaster(horizon=4, lookback=8, epochs=2, hidden_size=8).fit(
                y, checkpoint_dir=tmp_path, resume=True)


def test_the_docs_name_every_setting_a_resume_may_change():
    from pathlib import Path

    from rnnlab.panel.checkpoints import FREE_ON_RESUME

    docs = (Path(__file__).parents[1] / "docs" / "panels.md").read_text(encoding="utf-8")
    row = next(line for line in docs.splitlines() if "checkpoint_dir=ck, resume=True" in line)
    assert all(f"{name}=" in row for name in FREE_ON_RESUME), row  # (named epochs=, max_seconds=)


def test_a_checkpoint_recording_fewer_settings_resumes(tmp_path):
    # a setting added after the checkpoint was written (absent from its record) refused
    # every such checkpoint ("amsgrad=False (the checkpoints': None)"); the training loop's
    # own check compares only what the checkpoint records
    import json

    from rnnlab.io.atomic import atomic_write_json
    from rnnlab.train.checkpoint import CheckpointManager

    whole = GlobalForecaster(**SETTINGS).fit(_frame())
    with pytest.raises(Killed):
        GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path,
                                         on_epoch=_kill_at(1, 3))
    for m in (0, 1):
        path = CheckpointManager(tmp_path / f"member{m}").resume_folder() / "meta.json"
        meta = json.loads(path.read_text())
        del meta["_sha256"], meta["panel_settings"]["amsgrad"]  # (as an older rnnlab's)
        atomic_write_json(path, meta, checksum=True)
    _same(whole, GlobalForecaster(**SETTINGS).fit(_frame(), checkpoint_dir=tmp_path,
                                                  resume=True))
