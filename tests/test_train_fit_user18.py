"""rnnlab.train.fit as a PyTorch user drives it with a model of their own (a plain
nn.Linear): weights that overflow, validation losses that are NaN or missing, min_delta,
the history as JSON."""

import json
import math
import warnings

import pytest
import torch
from torch import nn

from rnnlab.io.errors import CheckpointError
from rnnlab.train import (CheckpointManager, History, TrainConfig, TrainingDiverged, fit,
                          seed_everything)


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
    assert "checkpoint" not in str(err.value)


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
                                              "seconds"}] * 2
    assert all(math.isfinite(e["train_loss"]) for e in back.epochs)


class OwnNet(nn.Module):
    """A user's model: torch's LSTM and a head, nothing of rnnlab's."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2, 4, batch_first=True)
        self.head = nn.Linear(4, 1)

    def forward(self, x):
        out, _ = self.lstm(x)  # (B, T, 4)
        return self.head(out[:, -1])


def seq_data(rows, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(rows, 5, 2, generator=g)
    return x, x.sum((1, 2)).unsqueeze(1)


def test_tensor_task_trains_a_users_module_and_validates_on_every_row():
    from rnnlab.train import TensorTask

    seed_everything(0)
    model = OwnNet()
    val = seq_data(13, seed=1)  # (more rows than a batch, fewer than the training set)
    task = TensorTask(*seq_data(40), batch_size=8, val=val)
    hist = fit(model, task, TrainConfig(epochs=6, lr=3e-2, progress=False))
    assert hist.steps == 6 * 5 and hist.epochs[-1]["train_loss"] < hist.epochs[0]["train_loss"]
    model.eval()
    with torch.no_grad():
        whole = float(nn.functional.mse_loss(model(val[0]), val[1]))
    assert task.validate(model) == pytest.approx(whole, rel=1e-5)
    assert hist.best_val_loss == pytest.approx(min(e["val_loss"] for e in hist.epochs))


def test_tensor_task_batch_larger_than_the_data_and_drop_last():
    from rnnlab.train import TensorTask

    x, y = seq_data(5)
    assert TensorTask(x, y, batch_size=64).num_batches(0) == 1
    assert TensorTask(x, y, batch_size=2, drop_last=True).num_batches(0) == 2
    rows = torch.cat([TensorTask(x, y, batch_size=2).get_batch(3, i)[0] for i in range(3)])
    assert sorted(rows.sum((1, 2)).tolist()) == sorted(x.sum((1, 2)).tolist())
    with pytest.raises(ValueError, match="drop_last=True leaves no batch: 5 rows"):
        TensorTask(x, y, batch_size=8, drop_last=True)


def test_tensor_task_resumes_mid_epoch_as_an_uninterrupted_run(tmp_path):
    from rnnlab.train import TensorTask

    class Crash(TensorTask):
        def train_loss(self, model, batch, carry):
            self.calls = getattr(self, "calls", 0) + 1
            if self.calls == 5:
                raise RuntimeError("power cut")
            return super().train_loss(model, batch, carry)

    cfg = TrainConfig(epochs=2, progress=False, checkpoint_every=2)
    data, val = seq_data(24), seq_data(6, seed=1)
    seed_everything(0)
    full = OwnNet()
    want = fit(full, TensorTask(*data, batch_size=8, val=val), cfg)
    seed_everything(0)
    with pytest.raises(RuntimeError, match="power cut"):
        fit(OwnNet(), Crash(*data, batch_size=8, val=val), cfg, checkpoint_dir=tmp_path)
    seed_everything(5)
    resumed = OwnNet()
    got = fit(resumed, TensorTask(*data, batch_size=8, val=val), cfg, checkpoint_dir=tmp_path,
              resume=True)
    assert [(e["train_loss"], e["val_loss"]) for e in got.epochs] == \
           [(e["train_loss"], e["val_loss"]) for e in want.epochs]
    assert all(torch.equal(a, b) for a, b in zip(full.state_dict().values(),
                                                 resumed.state_dict().values()))


@pytest.mark.parametrize("data, match", [
    (lambda: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*seq_data(4)),
                                         batch_size=2), r"TensorTask\(\*loader.dataset.tensors"),
    (lambda: seq_data(4), r"For tensors \(tuple given\): rnnlab.train.TensorTask")])
def test_fit_given_data_instead_of_a_task_says_how_to_wrap_it(data, match):
    with pytest.raises(TypeError, match=match):
        fit(OwnNet(), data(), TrainConfig(epochs=1, progress=False))


@pytest.mark.parametrize("args, kw, match", [
    (seq_data(4), {"val": (torch.zeros(0, 5, 2), torch.zeros(0, 1))}, "val has no rows"),
    ((torch.zeros(4, 5, 2), torch.zeros(3, 1)), {}, "x has 4 rows and y 3"),
    ((torch.zeros(4, 5, 2).numpy(), torch.zeros(4, 1)), {}, r"torch.from_numpy\(a\).float"),
    (seq_data(4), {"batch_size": 0}, "batch_size must be a whole number >= 1"),
    (seq_data(4), {"val": seq_data(2)[0]}, r"val must be \(x_val, y_val\)")])
def test_tensor_task_refuses_data_it_cannot_train_on(args, kw, match):
    from rnnlab.train import TensorTask

    with pytest.raises((TypeError, ValueError), match=match):
        TensorTask(*args, **kw)


def test_readme_block_on_training_a_model_of_your_own_runs_as_written(capsys):
    from test_docs_snippets import readme_block

    ns: dict = {}
    exec(readme_block("## Training a model of your own"), ns)
    hist = ns["history"]
    assert 1 <= len(hist.epochs) <= 30 and hist.best_epoch is not None
    assert hist.best_val_loss < hist.epochs[0]["val_loss"]
    assert str(hist.best_epoch) in capsys.readouterr().out


@pytest.mark.parametrize("clip_norm", [0.05, None])
def test_a_step_clips_as_torchs_clip_grad_norm_does(clip_norm):
    from rnnlab.train import TensorTask

    x, y = seq_data(6)
    x, y = x.flatten(1).double(), y.double() * 100  # (a gradient norm far above the clip)
    seed_everything(0)
    model = nn.Linear(10, 1).double()
    ref = nn.Linear(10, 1).double()
    ref.load_state_dict(model.state_dict())
    nn.functional.mse_loss(ref(x), y).backward()
    norm = nn.utils.clip_grad_norm_(ref.parameters(), clip_norm or float("inf"))
    assert clip_norm is None or norm > 10 * clip_norm
    with torch.no_grad():
        for p in ref.parameters():
            p -= 0.1 * p.grad
    fit(model, TensorTask(x, y, batch_size=6), TrainConfig(epochs=1, optimizer="sgd", lr=0.1,
                                                          clip_norm=clip_norm, progress=False))
    for a, b in zip(model.parameters(), ref.parameters()):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-12)


def test_a_resume_with_another_config_says_what_goes_on_and_what_changes(tmp_path):
    from rnnlab.train import TensorTask

    data = seq_data(16)
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
    from rnnlab.train import TensorTask

    data = seq_data(16)
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
    ("progress", "no", "progress must be True or False"),
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


def test_tensor_task_refuses_an_output_its_default_loss_would_broadcast():
    from rnnlab.train import TensorTask

    x, y = seq_data(8)
    with pytest.raises(ValueError, match=r"outputs \(4, 1\) per batch and y is \(4,\)"):
        fit(OwnNet(), TensorTask(x, y.squeeze(1), batch_size=4),
            TrainConfig(epochs=1, progress=False))
    ce = TensorTask(x, (y.squeeze(1) > 0).long(), batch_size=4,  # (N, C) against (N,): its own
                    loss_fn=nn.functional.cross_entropy)
    net = nn.Sequential(nn.Flatten(), nn.Linear(10, 2))
    fit(net, ce, TrainConfig(epochs=1, progress=False))
