"""rnnlab.train.fit as a PyTorch user drives it with a model of their own (a plain
nn.Linear): weights that overflow, validation losses that are NaN or missing, min_delta,
the history as JSON, a resume with another config, TrainConfig's types."""

import json
import math
import warnings

import pytest
import torch
from torch import nn

from rnnlab.io.errors import CheckpointError
from rnnlab.train import (CheckpointManager, History, TensorTask, TrainConfig,
                          TrainingDiverged, fit, seed_everything)


class LineTask:
    """y = x . 1 in two batches of 8. ``vals``: the validation losses validate returns in
    turn (None: no validation); ``poison``: (epoch, index) of the step whose weights are set
    to inf after the loss is computed (a finite loss whose step leaves inf weights)."""

    def __init__(self, vals=None, poison=None, val_rows=None):
        g = torch.Generator().manual_seed(1)
        self.x = torch.randn(16, 3, generator=g)
        self.y = self.x.sum(1, keepdim=True)
        self.vals, self.poison, self.val_rows = vals, poison, val_rows

    def num_batches(self, epoch):
        return 2

    def get_batch(self, epoch, index):
        return epoch, index, self.x[index * 8:(index + 1) * 8], self.y[index * 8:(index + 1) * 8]

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        epoch, index, x, y = batch
        loss = nn.functional.mse_loss(model(x), y)
        if (epoch, index) == self.poison:
            with torch.no_grad():
                model.weight.fill_(float("inf"))
        return loss, None

    def validate(self, model):
        if self.val_rows is not None:  # a validation set of this many rows
            x, y = self.x[:self.val_rows], self.y[:self.val_rows]
            return nn.functional.mse_loss(model(x), y)
        return None if self.vals is None else self.vals.pop(0)


def linear():
    seed_everything(0)
    return nn.Linear(3, 1)


def test_weights_that_overflow_are_not_checkpointed_and_the_last_good_one_is_kept(tmp_path):
    with pytest.raises(TrainingDiverged, match=r"weights became non-finite .*'weight'.* after "
                                               r"step 4.*ckpt-00000002, is kept"):
        fit(linear(), LineTask(poison=(1, 1)), TrainConfig(epochs=3, progress=False),
            checkpoint_dir=tmp_path)
    weights, _, meta = CheckpointManager(tmp_path).load()
    assert meta["epoch"] == 1 and all(torch.isfinite(w).all() for w in weights.values())


def test_weights_that_overflow_stop_a_run_without_checkpoints_too():
    with pytest.raises(TrainingDiverged, match="weights became non-finite") as err:
        fit(linear(), LineTask(poison=(0, 1)), TrainConfig(epochs=3, progress=False,
                                                           on_nonfinite="skip"))
    assert "is kept" not in str(err.value) and "not checkpointed" not in str(err.value)


def test_a_divergence_before_any_checkpoint_does_not_claim_one_is_kept(tmp_path):
    class NanFirst(LineTask):
        def train_loss(self, model, batch, carry):
            loss, carry = super().train_loss(model, batch, carry)
            return loss * float("nan"), carry

    with pytest.raises(TrainingDiverged, match="no checkpoint was written before it") as err:
        fit(linear(), NanFirst(), TrainConfig(epochs=2, progress=False), checkpoint_dir=tmp_path)
    assert "is kept" not in str(err.value)


def test_a_checkpoint_holding_inf_weights_is_refused_on_resume(tmp_path):
    cfg = TrainConfig(epochs=1, progress=False)
    fit(linear(), LineTask(), cfg, checkpoint_dir=tmp_path)
    ckpt = CheckpointManager(tmp_path)
    weights, state, meta = ckpt.load()
    weights["bias"][0] = float("nan")  # (as an earlier rnnlab checkpointed a diverged run)
    ckpt.save(meta["step"] + 1, weights, state, meta)
    with pytest.raises(CheckpointError, match=r"weights hold inf or NaN \('bias'\)"):
        fit(linear(), LineTask(), TrainConfig(epochs=2, progress=False),
            checkpoint_dir=tmp_path, resume=True)


def test_an_empty_validation_set_is_said_once_not_silently_nan():
    with pytest.warns(UserWarning, match=r"validation loss is nan at epoch 1 .*empty") as said:
        hist = fit(linear(), LineTask(val_rows=0), TrainConfig(epochs=3, progress=False))
    assert len([w for w in said if "validation loss is" in str(w.message)]) == 1
    assert hist.best_epoch is None and len(hist.epochs) == 3


def test_patience_without_validation_says_early_stopping_is_off():
    with pytest.warns(UserWarning, match=r"patience=1 .*validate returned None.*off") as said:
        hist = fit(linear(), LineTask(), TrainConfig(epochs=3, patience=1, progress=False))
    assert len([w for w in said if "patience" in str(w.message)]) == 1
    assert not hist.stopped_early and len(hist.epochs) == 3


def test_a_validating_run_without_patience_warns_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit(linear(), LineTask(val_rows=8), TrainConfig(epochs=2, progress=False))
        fit(linear(), LineTask(), TrainConfig(epochs=2, progress=False))


@pytest.mark.parametrize("min_delta, epochs, best", [(0.0, 5, 5), (0.1, 3, 1)])
def test_min_delta_decides_what_improves_for_patience_and_the_best_weights(min_delta, epochs,
                                                                              best):
    model = linear()
    seen = {}
    hist = fit(model, LineTask(vals=[3.0, 2.95, 2.9, 2.85, 2.8]),
               TrainConfig(epochs=5, patience=2, min_delta=min_delta, progress=False),
               on_epoch=lambda e, rec: seen.update({e: {k: v.clone() for k, v in
                                                         model.state_dict().items()}}))
    assert len(hist.epochs) == epochs and hist.best_epoch == best
    assert hist.stopped_early == (epochs < 5)
    assert all(torch.equal(seen[best][k], v) for k, v in model.state_dict().items())


@pytest.mark.parametrize("value", [-0.1, float("nan"), float("inf"), "0.1", True])
def test_min_delta_of_the_wrong_kind_is_refused(value):
    with pytest.raises(ValueError, match="TrainConfig: min_delta must be"):
        TrainConfig(min_delta=value)


def test_the_history_round_trips_through_json_and_its_dict_is_a_copy():
    hist = fit(linear(), LineTask(vals=[2.0, 1.0]), TrainConfig(epochs=2, progress=False))
    d = hist.to_dict()
    d["epochs"].append({"epoch": 99})
    d["precision"]["x"] = "y"
    assert len(hist.epochs) == 2 and "x" not in hist.precision
    back = History.from_dict(json.loads(json.dumps(hist.to_dict())))
    assert back == hist
    assert [set(e) for e in back.epochs] == [{"epoch", "train_loss", "val_loss", "lr",
                                              "seconds", "cpu_seconds", "grad_norm_mean",
                                              "grad_norm_max", "clipped_steps"}] * 2
    assert all(math.isfinite(e["train_loss"]) for e in back.epochs)


def test_a_resume_with_another_config_says_what_goes_on_and_what_changes(tmp_path):
    data = (torch.randn(16, 10), torch.randn(16, 1))
    fit(linear_seq(), TensorTask(*data, batch_size=8), TrainConfig(epochs=1, progress=False,
                                                                   lr=1e-3),
        checkpoint_dir=tmp_path)
    with pytest.warns(UserWarning, match=r"lr=0.5 \(the checkpoint's: 0.001\), clip_norm=None "
                                         r"\(the checkpoint's: 1.0\)\. The checkpoint's lr go"
                                         r"es on.*clip_norm applies from here on") as said:
        hist = fit(linear_seq(), TensorTask(*data, batch_size=8),
                   TrainConfig(epochs=3, progress=False, lr=0.5, clip_norm=None),
                   checkpoint_dir=tmp_path, resume=True)
    assert [e["lr"] for e in hist.epochs] == [1e-3] * 3  # (as the warning says)
    assert not any("epochs" in str(w.message) for w in said)


def test_a_resume_with_more_epochs_only_warns_nothing(tmp_path):
    data = (torch.randn(16, 10), torch.randn(16, 1))
    fit(linear_seq(), TensorTask(*data, batch_size=8), TrainConfig(epochs=1, progress=False),
        checkpoint_dir=tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit(linear_seq(), TensorTask(*data, batch_size=8),
            TrainConfig(epochs=2, progress=False, max_seconds=60.0), checkpoint_dir=tmp_path,
            resume=True)


def linear_seq():
    seed_everything(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(10, 1))


@pytest.mark.parametrize("field, value, match", [
    ("device", None, "device must be a str"), ("device", 0, "device must be a str"),
    ("progress", "no", "progress must be True, False or .log."),
    ("seed", 2**70, "seed must fit in 64 bits")])
def test_train_config_refuses_what_failed_inside_fit(field, value, match):
    with pytest.raises(ValueError, match=f"TrainConfig: {match}"):
        TrainConfig(**{field: value})


def test_train_config_takes_a_torch_device_as_its_name():
    cfg = TrainConfig(device=torch.device("cpu"), progress=False)
    assert cfg.device == "cpu"
    fit(linear(), LineTask(), dataclasses_replace(cfg, epochs=1))


def dataclasses_replace(cfg, **kw):
    import dataclasses

    return dataclasses.replace(cfg, **kw)
