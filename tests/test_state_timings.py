"""A checkpoint's training state holds the same bytes for the same seed: the history's
timings are kept in meta.json and put back when the checkpoint loads."""

import json

import pytest
import torch

from rnnlab.io.errors import CheckpointError
from rnnlab.train import CheckpointManager, TrainConfig, fit
from rnnlab.train.state_timings import merge_timings, split_timings
from tiny_task import TinyTask, tiny_model


def _fit(ck, epochs=2, resume=False):
    torch.manual_seed(0)
    return fit(tiny_model("gru", 4), TinyTask(16),
               TrainConfig(epochs=epochs, lr=1e-2, seed=3, progress=False),
               checkpoint_dir=ck, resume=resume)


def _folder(ck):
    return ck / json.loads((ck / "latest.json").read_text())["name"]


def test_two_runs_of_one_seed_write_the_same_training_state(tmp_path):
    # before: the history's seconds (the run's and each epoch's) were inside
    # train_state.safetensors, so two runs of the same seed wrote different files
    first, second = _fit(tmp_path / "a"), _fit(tmp_path / "b")
    a, b = _folder(tmp_path / "a"), _folder(tmp_path / "b")
    assert (a / "train_state.safetensors").read_bytes() == (b / "train_state.safetensors").read_bytes()
    assert (a / "model.safetensors").read_bytes() == (b / "model.safetensors").read_bytes()
    for ck, hist in ((tmp_path / "a", first), (tmp_path / "b", second)):
        st = CheckpointManager(ck).load()[1]  # (each run's own seconds, put back)
        assert 0 < st["history"]["seconds"] <= hist.seconds  # (saved before the run ended)
        assert [e["seconds"] for e in st["history"]["epochs"]] == [e["seconds"] for e in hist.epochs]


def test_a_resumed_run_keeps_the_seconds_of_its_first_epochs(tmp_path):
    first = _fit(tmp_path / "ck", epochs=1)
    went_on = _fit(tmp_path / "ck", epochs=2, resume=True)
    assert went_on.epochs[0]["seconds"] == first.epochs[0]["seconds"] > 0
    assert went_on.epochs[1]["seconds"] >= first.epochs[0]["seconds"]


def test_a_state_without_timings_loads_as_it_is():
    st = {"history": {"epochs": [{"epoch": 1, "seconds": 0.5}], "seconds": 0.5}}
    assert merge_timings(st, None, "meta.json") is st  # (an earlier rnnlab's checkpoint)
    bare, timings = split_timings(st)
    assert st["history"]["seconds"] == 0.5 and st["history"]["epochs"][0]["seconds"] == 0.5
    assert bare["history"]["seconds"] == 0.0 and bare["history"]["epochs"][0]["seconds"] == 0.0
    assert merge_timings(bare, timings, "meta.json") == st


@pytest.mark.parametrize("timings", [{"seconds": 1.0, "epochs": []}, {"seconds": "1"},
                                     {"seconds": 1.0, "epochs": ["x"]}, [1.0]])
def test_timings_that_do_not_fit_the_history_are_refused(timings):
    st = {"history": {"epochs": [{"epoch": 1, "seconds": 0.0}], "seconds": 0.0}}
    with pytest.raises(CheckpointError, match="one number per epoch.*damaged"):
        merge_timings(st, timings, "meta.json")


def test_a_checkpoint_written_before_the_timings_moved_resumes_to_the_same_run(tmp_path,
                                                                                monkeypatch):
    """An earlier rnnlab's checkpoint (the seconds inside train_state.safetensors, no
    'timings' in meta.json) goes on as an uninterrupted run of the same seed, its first
    epoch's seconds kept."""
    from rnnlab.train import checkpoint

    full = _fit(tmp_path / "full", epochs=2)
    with monkeypatch.context() as m:  # (the earlier writer: the state as it is)
        m.setattr(checkpoint, "split_timings", lambda st: (st, None))
        first = _fit(tmp_path / "old", epochs=1)
    assert "timings" not in json.loads((_folder(tmp_path / "old") / "meta.json").read_text())
    went_on = _fit(tmp_path / "old", epochs=2, resume=True)
    losses = [(e["train_loss"], e["val_loss"]) for e in went_on.epochs]
    assert losses == [(e["train_loss"], e["val_loss"]) for e in full.epochs]
    assert went_on.epochs[0]["seconds"] == first.epochs[0]["seconds"] > 0
