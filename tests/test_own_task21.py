"""A researcher's own sequence task on rnnlab.train.fit (session 21): classification of
variable-length sequences and sequence-to-sequence regression with padded steps left out
of the loss, as TensorTask((x, lengths), (y, lengths), loss_fn=...) takes them; batches
cut along every tensor of a nested batch; weight decay and the cosine schedule as
torch.optim's."""

import pytest
import torch
from torch import nn

from rnnlab.nn import LSTMCell, Recurrent
from rnnlab.train import TensorTask, TrainConfig, fit, seed_everything
from rnnlab.train.collectives import shard_batch
from dist_tasks import crashing_task


def padded(rows, T=7, seed=0, dtype=torch.float64):
    """Noisy sequences of 2..T steps, zeros past each end; (x, lengths)."""
    g = torch.Generator().manual_seed(seed)
    lengths = torch.randint(2, T + 1, (rows,), generator=g)
    x = torch.randn(rows, T, 1, generator=g, dtype=dtype)
    return x * (torch.arange(T)[None] < lengths[:, None])[..., None], lengths


class Classifier(nn.Module):
    """forward(x, lengths): a class from the state at each sequence's last valid step."""

    def __init__(self):
        super().__init__()
        self.rnn = Recurrent(LSTMCell(1, 4), batch_first=True)
        self.head = nn.Linear(4, 2)

    def forward(self, x, lengths):
        _, (h, _) = self.rnn(x, lengths=lengths)
        return self.head(h)


class Tagger(Classifier):
    """forward(x, lengths): one output per step (B, T, 1)."""

    def __init__(self):
        super().__init__()
        self.head = nn.Linear(4, 1)

    def forward(self, x, lengths):
        out, _ = self.rnn(x, lengths=lengths)
        return self.head(out)


class Tagged(Classifier):
    """forward(x, lengths) -> (a class per sequence, the outputs per step)."""

    def forward(self, x, lengths):
        out, (h, _) = self.rnn(x, lengths=lengths)
        return self.head(h), out


def masked_mse(out, y, lengths):
    """The mean squared error over the valid steps only."""
    keep = torch.arange(y.shape[1], device=y.device)[None] < lengths[:, None]  # (B, T)
    return nn.functional.mse_loss(out[keep], y[keep])


def sign_task(rows=24, seed=0, **kw):
    x, lengths = padded(rows, seed=seed)
    return (x, lengths), (x.sum((1, 2)) > 0).long()


def cumsum_task(rows=24, seed=0):
    x, lengths = padded(rows, seed=seed)
    return (x, lengths), (x.cumsum(1), lengths)


def test_a_tuple_x_is_the_models_arguments_and_classifies_variable_lengths():
    (x, lengths), y = sign_task()
    seed_everything(0)
    model = Classifier().double()
    task = TensorTask((x, lengths), y, loss_fn=nn.functional.cross_entropy, batch_size=8,
                      val=((x[:10], lengths[:10]), y[:10]))
    assert "x ((24, 7, 1), (24,))" in repr(task)
    hist = fit(model, task, TrainConfig(epochs=3, lr=3e-2, progress=False))
    assert hist.steps == 9 and len(hist.epochs) == 3
    model.eval()
    with torch.no_grad():  # (10 rows, batches of 8: weighted by rows, the whole mean)
        whole = float(nn.functional.cross_entropy(model(x[:10], lengths[:10]), y[:10]))
    assert task.validate(model) == pytest.approx(whole, rel=1e-12)


def test_a_tuple_y_goes_to_the_loss_and_padded_steps_are_left_out_of_it():
    (x, lengths), (y, _) = cumsum_task()
    seed_everything(0)
    model, ref = Tagger().double(), Tagger().double()
    ref.load_state_dict(model.state_dict())
    junk = y.clone()  # what a padded step's target holds must not matter
    junk[torch.arange(7)[None] >= lengths[:, None]] = 1e6
    task = TensorTask((x, lengths), (junk, lengths), loss_fn=masked_mse, batch_size=24,
                      shuffle=False)
    fit(model, task, TrainConfig(epochs=1, optimizer="sgd", lr=0.1, clip_norm=None,
                                 progress=False))
    out = ref(x, lengths)  # by hand: the sum over valid steps over their count
    valid = torch.arange(7)[None] < lengths[:, None]
    loss = ((out.squeeze(2) - y.squeeze(2)) ** 2 * valid).sum() / valid.sum()
    loss.backward()
    with torch.no_grad():
        for p in ref.parameters():
            p -= 0.1 * p.grad
    for a, b in zip(model.parameters(), ref.parameters()):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-12)


def test_tuples_of_tensors_are_checked_row_by_row():
    (x, lengths), y = sign_task()
    with pytest.raises(ValueError, match=r"x\[0\] has 24 rows and x\[1\] has 23 rows"):
        TensorTask((x, lengths[:-1]), y)
    with pytest.raises(TypeError, match=r"x\[1\] must be a torch.Tensor or a tuple of them, "
                                        r"got ndarray: torch.from_numpy"):
        TensorTask((x, lengths.numpy()), y)
    with pytest.raises(ValueError, match=r"val: x\[0\] has 3 rows and y has 2 rows"):
        TensorTask((x, lengths), y, val=((x[:3], lengths[:3]), y[:2]))
    task = TensorTask([x, lengths], y, batch_size=5)  # (a list of tensors: as a tuple)
    (bx, bl), by = task.get_batch(0, 0)
    assert bx.shape == (5, 7, 1) and torch.equal(bx.sum((1, 2)) > 0, by.bool())


def test_a_resume_with_lengths_ends_as_an_uninterrupted_run(tmp_path):
    Crash = crashing_task(4)

    data, val = cumsum_task(), cumsum_task(6, seed=1)
    cfg = TrainConfig(epochs=2, progress=False, checkpoint_every=1, patience=2)

    def run(cls, model, **kw):
        return fit(model, cls(*data, loss_fn=masked_mse, batch_size=8, val=val), cfg, **kw)

    seed_everything(0)
    full = Tagger().double()
    want = run(TensorTask, full)
    seed_everything(0)
    with pytest.raises(RuntimeError, match="power cut"):
        run(Crash, Tagger().double(), checkpoint_dir=tmp_path)
    resumed = Tagger().double()
    got = run(TensorTask, resumed, checkpoint_dir=tmp_path, resume=True)
    assert [(e["train_loss"], e["val_loss"]) for e in got.epochs] == \
           [(e["train_loss"], e["val_loss"]) for e in want.epochs]
    for a, b in zip(full.state_dict().values(), resumed.state_dict().values()):
        assert torch.equal(a, b)


def test_a_data_parallel_shard_cuts_every_tensor_of_a_nested_batch():
    x, lengths = padded(5)
    y = x.sum((1, 2))
    (lx, ll), (ly, ll2) = shard_batch(((x, lengths), (y, lengths)), 1, 2)[0]
    assert lx.shape[0] == ll.shape[0] == ly.shape[0] == ll2.shape[0] == 2
    assert torch.equal(lx, x[3:]) and torch.equal(ll, lengths[3:])
    local, rows, n = shard_batch(((x, lengths), y), 0, 2)
    assert (rows, n) == (slice(0, 3), 5) and local[0][0].shape[0] == 3
    # (a dict is cut as tuples are, since carries in dicts are: the tree helpers read them)
    (part, none), rows, n = shard_batch(({"x": x}, None), 1, 2)
    assert none is None and torch.equal(part["x"], x[3:]) and (rows, n) == (slice(3, 5), 5)
    with pytest.raises(TypeError, match="holds no tensor"):
        shard_batch(({"x": "text"}, None), 0, 2)


def test_an_on_epoch_metric_given_as_a_tensor_is_a_number_in_the_history():
    import json

    import numpy as np

    (x, lengths), y = sign_task()
    seed_everything(0)
    model = Classifier().double()

    def metrics(epoch, rec):
        with torch.no_grad():
            right = model(x, lengths).argmax(1) == y
        rec["val_acc"] = right.double().mean()  # (a tensor: a Keras user's metric)
        rec["right"], rec["of"] = np.int64(right.sum()), {"rows": torch.tensor(24)}
        rec["per_class"] = torch.stack([right[y == c].double().mean() for c in (0, 1)])

    task = TensorTask((x, lengths), y, loss_fn=nn.functional.cross_entropy, batch_size=12)
    hist = fit(model, task, TrainConfig(epochs=1, progress=False), on_epoch=metrics)
    rec = json.loads(json.dumps(hist.to_dict()))["epochs"][0]
    assert rec["val_acc"] == pytest.approx(rec["right"] / 24) and rec["of"] == {"rows": 24}
    assert type(hist.epochs[0]["val_acc"]) is float and type(hist.epochs[0]["right"]) is int
    assert len(rec["per_class"]) == 2 and all(0 <= a <= 1 for a in rec["per_class"])


def test_an_on_epoch_value_json_cannot_hold_is_refused_by_name():
    task = TensorTask(torch.randn(4, 3), torch.randn(4, 1), batch_size=4)

    def keep_model(epoch, rec):
        rec["preds"] = {"all": model}

    model = nn.Linear(3, 1)
    with pytest.raises(TypeError, match=r"record's 'preds'\['all'\] to a Linear; a record "
                                        r"holds numbers"):
        fit(model, task, TrainConfig(epochs=1, progress=False), on_epoch=keep_model)


@pytest.mark.parametrize("optimizer, momentum", [("adam", 0.0), ("adamw", 0.0), ("sgd", 0.9)])
@pytest.mark.parametrize("schedule", ["none", "cosine"])
def test_weight_decay_and_the_schedule_are_torch_optims_step_for_step(optimizer, momentum,
                                                                      schedule):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(12, 3, dtype=torch.float64, generator=g)
    y = torch.randn(12, 1, dtype=torch.float64, generator=g)
    seed_everything(0)
    model, ref = nn.Linear(3, 1).double(), nn.Linear(3, 1).double()
    ref.load_state_dict(model.state_dict())
    cfg = TrainConfig(epochs=3, lr=0.05, optimizer=optimizer, momentum=momentum,
                      weight_decay=0.1, clip_norm=None, lr_schedule=schedule, progress=False)
    hist = fit(model, TensorTask(x, y, batch_size=4, shuffle=False), cfg)
    kind = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "sgd": torch.optim.SGD}
    opt = kind[optimizer](ref.parameters(), lr=0.05, weight_decay=0.1,
                          **({"momentum": momentum} if optimizer == "sgd" else {}))
    sched = (torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=3) if schedule == "cosine"
             else None)
    lrs = []
    for _ in range(3):
        lrs.append(opt.param_groups[0]["lr"])
        for i in range(0, 12, 4):
            opt.zero_grad()
            nn.functional.mse_loss(ref(x[i:i + 4]), y[i:i + 4]).backward()
            opt.step()
        if sched is not None:
            sched.step()
    assert [e["lr"] for e in hist.epochs] == lrs  # (the rate each epoch trained at)
    for a, b in zip(model.parameters(), ref.parameters()):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-12)


def test_readme_block_on_variable_lengths_runs_as_written(capsys):
    from test_docs_snippets import readme_block

    ns: dict = {}
    exec(readme_block("### Variable lengths, classification and sequence to sequence"), ns)
    hist, task, tagger = ns["hist"], ns["task"], ns["tagger"]
    assert hist.best_val_loss < hist.epochs[0]["val_loss"]
    assert task.validate(tagger) == pytest.approx(hist.best_val_loss)  # (the best weights)
    x, lengths, y = ns["x"][96:], ns["lengths"][96:], ns["y"][96:]
    with torch.no_grad():  # the printed loss is the masked mean over the valid steps
        out = tagger(x, lengths)[1].squeeze(2)
    valid = torch.arange(12)[None] < lengths[:, None]
    by_hand = float(((out - y.squeeze(2)) ** 2 * valid).sum() / valid.sum())
    assert hist.best_val_loss == pytest.approx(by_hand, rel=1e-5)
    assert str(hist.best_epoch) in capsys.readouterr().out


class Items(torch.utils.data.Dataset):
    """A user's dataset of sequences of different lengths."""

    def __len__(self):
        return 3

    def __getitem__(self, i):
        return torch.ones(i + 2, 1), torch.tensor(i % 2)


@pytest.mark.parametrize("data, match", [
    (lambda: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(
        *padded(4), torch.zeros(4)), batch_size=2),
     r"TensorDataset of 3 tensors, the last the target: TensorTask\(loader.dataset.tensors"
     r"\[:-1\], loader.dataset.tensors\[-1\], batch_size=2\)"),
    (lambda: torch.utils.data.DataLoader(Items(), batch_size=2, collate_fn=list),
     r"pad_sequence\(seqs, batch_first=True\) and passed with their lengths: "
     r"TensorTask\(\(padded, lengths\), y, batch_size=2\)"),
    (lambda: Items(), r"For a dataset \(Items given\).*pad_sequence"),
    (lambda: (*padded(4), torch.zeros(4)), r"several inputs as a tuple x=\(x, lengths\)")])
def test_fit_given_data_of_several_tensors_says_how_they_go_into_a_tensor_task(data, match):
    with pytest.raises(TypeError, match=match):
        fit(Classifier(), data(), TrainConfig(epochs=1, progress=False))


def test_a_tensor_task_given_its_inputs_one_by_one_says_they_go_in_as_a_tuple():
    x, lengths = padded(4)
    with pytest.raises(TypeError, match=r"got Tensor; several input tensors go in as one "
                                        r"tuple: TensorTask\(\(x, lengths\), y\)"):
        TensorTask(x, lengths, torch.zeros(4))


def test_the_checkpoint_holds_the_last_weights_and_the_model_the_best_as_the_readme_says(
        tmp_path):
    from rnnlab.train import CheckpointManager

    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(40, 3, generator=g), torch.randn(40, 1, generator=g)
    seed_everything(0)
    model = nn.Linear(3, 1)
    hist = fit(model, TensorTask(x[:20], y[:20], batch_size=5, val=(x[20:], y[20:])),
               TrainConfig(epochs=30, lr=0.3, patience=2, progress=False),
               checkpoint_dir=tmp_path)
    assert hist.stop_reason == "early stopping" and hist.best_epoch < len(hist.epochs)
    weights, state, _ = CheckpointManager(tmp_path).load()
    now = model.state_dict()
    assert not all(torch.equal(weights[k], now[k]) for k in now)
    assert all(torch.equal(state["best_state"][k], now[k]) for k in now)
    from test_docs_snippets import ROOT

    assert "its `model.safetensors` holds the last step's weights" in \
        (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_train_config_batch_size_a_tensor_task_does_not_take_is_refused():
    x, y = torch.randn(64, 3), torch.randn(64, 1)
    with pytest.raises(ValueError, match=r"TrainConfig.batch_size is 64 and the TensorTask "
                                         r"batches 32 rows.*TensorTask\(\.\.\., batch_size=64\)"):
        fit(nn.Linear(3, 1), TensorTask(x, y), TrainConfig(epochs=1, batch_size=64,
                                                           progress=False))
    for task_rows, cfg_rows in ((64, 64), (16, 32)):  # the same, or the config's default
        hist = fit(nn.Linear(3, 1), TensorTask(x, y, batch_size=task_rows),
                   TrainConfig(epochs=1, batch_size=cfg_rows, progress=False))
        assert hist.steps == 64 // task_rows


def test_validate_and_evaluate_run_in_eval_mode_and_give_the_mode_back():
    x, y = torch.randn(64, 3), torch.randn(64, 1)
    seed_everything(0)
    model = nn.Sequential(nn.Linear(3, 32), nn.Dropout(0.5), nn.Linear(32, 1))
    task = TensorTask(x[:48], y[:48], val=(x[48:], y[48:]))
    hist = fit(model, task, TrainConfig(epochs=2, progress=False))
    assert model.training  # (as it came in)
    first = task.validate(model)  # (with dropout on: another loss at each call)
    assert first == task.validate(model) == pytest.approx(hist.best_val_loss, rel=1e-6)
    assert model.training
    model.eval()
    with torch.no_grad():
        want = float(nn.functional.mse_loss(model(x[:40]), y[:40]))
    assert task.evaluate(model, x[:40], y[:40]) == pytest.approx(want, rel=1e-6)
    assert not model.training
    (xs, lengths), sign = sign_task()
    seq = TensorTask((xs, lengths), sign, loss_fn=nn.functional.cross_entropy)
    with pytest.raises(ValueError, match=r"evaluate: x\[0\] has 24 rows and y has 3 rows"):
        seq.evaluate(Classifier().double(), [xs, lengths], sign[:3])


def test_numpy_labels_and_lengths_are_told_long_not_float():
    import numpy as np

    x = torch.zeros(4, 3, 1)
    with pytest.raises(TypeError, match=r"x\[1\] must be .* got ndarray: "
                                        r"torch.from_numpy\(a\).long\(\)"):
        TensorTask((x, np.full(4, 3)), torch.zeros(4, dtype=torch.long))
    with pytest.raises(TypeError, match=r"y must be .* got ndarray: torch.from_numpy\(a\)"
                                        r".float\(\)"):
        TensorTask(x, np.zeros((4, 1)))


@pytest.mark.parametrize("tupled", [False, True])
def test_a_ranks_empty_share_of_a_batch_is_a_zero_loss_through_the_model(tupled):
    """A data-parallel rank with no rows of a short last batch runs the model on one row
    at weight 0 (a model returning a tuple failed there: tuple has no .sum())."""
    (x, lengths), y = sign_task(6)
    seed_everything(0)
    if tupled:
        task = TensorTask((x, lengths), y, loss_fn=lambda out, y: out[0].sum())
        model = Tagged().double()  # (returns (logits, per-step outputs))
        empty = ((x[:0], lengths[:0]), y[:0])
    else:
        task, model = TensorTask(x.flatten(1), y), nn.Linear(7, 2).double()
        empty = (x.flatten(1)[:0], y[:0])
    loss, _ = task.train_loss(model, empty, None)
    loss.backward()
    assert float(loss.detach()) == 0.0
    assert all(p.grad is not None and not p.grad.any() for p in model.parameters())
