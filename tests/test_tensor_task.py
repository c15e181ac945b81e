"""rnnlab.train.TensorTask: fit on tensors with a model of one's own (torch's LSTM, a
Linear), as Keras' model.fit(x, y) does; and one fit step against torch's clipping."""

import pytest
import torch
from torch import nn

from rnnlab.train import TensorTask, TrainConfig, fit, seed_everything
from dist_tasks import crashing_task


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
    x, y = seq_data(5)
    assert TensorTask(x, y, batch_size=64).num_batches(0) == 1
    assert TensorTask(x, y, batch_size=2, drop_last=True).num_batches(0) == 2
    rows = torch.cat([TensorTask(x, y, batch_size=2).get_batch(3, i)[0] for i in range(3)])
    assert sorted(rows.sum((1, 2)).tolist()) == sorted(x.sum((1, 2)).tolist())
    with pytest.raises(ValueError, match="drop_last=True leaves no batch: 5 rows"):
        TensorTask(x, y, batch_size=8, drop_last=True)


def test_tensor_task_resumes_mid_epoch_as_an_uninterrupted_run(tmp_path):
    Crash = crashing_task(5)

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
    ((torch.zeros(4, 5, 2), torch.zeros(3, 1)), {}, "x has 4 rows and y has 3 rows"),
    ((torch.zeros(4, 5, 2).numpy(), torch.zeros(4, 1)), {}, r"torch.from_numpy\(a\).float"),
    (seq_data(4), {"batch_size": 0}, "batch_size must be a whole number >= 1"),
    (seq_data(4), {"val": seq_data(2)[0]}, r"val must be \(x_val, y_val\)")])
def test_tensor_task_refuses_data_it_cannot_train_on(args, kw, match):
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


def test_tensor_task_refuses_an_output_its_default_loss_would_broadcast():
    x, y = seq_data(8)
    with pytest.raises(ValueError, match=r"outputs \(4, 1\) per batch and y is \(4,\)"):
        fit(OwnNet(), TensorTask(x, y.squeeze(1), batch_size=4),
            TrainConfig(epochs=1, progress=False))
    ce = TensorTask(x, (y.squeeze(1) > 0).long(), batch_size=4,  # (N, C) against (N,): its own
                    loss_fn=nn.functional.cross_entropy)
    net = nn.Sequential(nn.Flatten(), nn.Linear(10, 2))
    fit(net, ce, TrainConfig(epochs=1, progress=False))
