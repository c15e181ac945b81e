"""Tasks and workers for the data-parallel tests (importable by spawned processes)."""

import torch
from torch import nn

from rnnlab.io.weights import save_weights
from rnnlab.nn.registry import build_model, detach_state
from rnnlab.train import TrainConfig, fit, seed_everything


class Regressor(nn.Module):
    def __init__(self, name="gru"):
        super().__init__()
        self.rnn = build_model(name, input_size=1, hidden_size=6)
        self.head = nn.Linear(6, 1)

    def forward(self, x, state=None):
        out, state = self.rnn(x, state)
        return self.head(out), state


class WindowTask:
    """Seq-to-one regression on shuffled windows (like forecasting)."""

    def __init__(self, batch=8, n=32):
        g = torch.Generator().manual_seed(0)
        self.x = torch.randn(n, 5, 1, generator=g, dtype=torch.float64)
        self.y = self.x.sum(1)
        self.batch = batch

    def num_batches(self, epoch):
        return len(self.x) // self.batch

    def get_batch(self, epoch, index):
        g = torch.Generator().manual_seed(100 + epoch)
        idx = torch.randperm(len(self.x), generator=g)[index * self.batch:(index + 1) * self.batch]
        return self.x[idx], self.y[idx]

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        pred, _ = model(batch[0])
        return nn.functional.mse_loss(pred[:, -1], batch[1]), carry

    def validate(self, model):
        return None


class StreamTask:
    """Sequential (truncated-BPTT) regression: 6 streams, state carried across batches."""

    def __init__(self, streams=6, steps=4, batches=3):
        g = torch.Generator().manual_seed(1)
        self.data = torch.randn(streams, steps * batches + 1, 1, generator=g, dtype=torch.float64)
        self.steps, self.batches = steps, batches

    def num_batches(self, epoch):
        return self.batches

    def get_batch(self, epoch, index):
        s = index * self.steps
        return self.data[:, s:s + self.steps], self.data[:, s + 1:s + 1 + self.steps]

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        pred, state = model(batch[0], carry)
        return nn.functional.mse_loss(pred, batch[1]), detach_state(state)

    def validate(self, model):
        return None


TASKS = {"window": WindowTask, "stream": StreamTask}


def train_worker(ctx, task_name, model_name, epochs, out_path, ckpt_dir, resume, stop_after,
                 crash_at=None):
    """Train in float64; rank 0 writes the final weights to out_path and the history to
    out_path + ".json". ``crash_at``: every rank fails at that call of get_batch (a crash
    in the middle of an epoch, after the checkpoints of the steps before it)."""
    import json

    seed_everything(0)
    model = Regressor(model_name).double()
    cfg = TrainConfig(epochs=epochs, lr=1e-2, progress=False, checkpoint_every=1)
    task = TASKS[task_name]()
    if stop_after is not None:  # a run that ends early (an interruption stand-in)
        cfg = TrainConfig(epochs=stop_after, lr=1e-2, progress=False, checkpoint_every=1)
    if crash_at is not None:
        calls, get = [0], task.get_batch

        def crashing(epoch, index):
            calls[0] += 1
            if calls[0] == crash_at:
                raise RuntimeError("planted crash")
            return get(epoch, index)

        task.get_batch = crashing
    hist = fit(model, task, cfg, checkpoint_dir=ckpt_dir, resume=resume, dist=ctx)
    if ctx.is_main:
        save_weights(out_path, model.state_dict())
        with open(str(out_path) + ".json", "w") as f:
            json.dump([e["train_loss"] for e in hist.epochs], f)
    elif out_path is not None:
        import os
        assert not os.path.exists(str(out_path) + ".rank%d" % ctx.rank)


class LengthsClassifier(nn.Module):
    """forward(x, lengths): a class from each sequence's last valid step (rnnlab's layer)."""

    def __init__(self):
        super().__init__()
        from rnnlab.nn import GRUCell, Recurrent

        self.rnn = Recurrent(GRUCell(1, 6), batch_first=True)
        self.head = nn.Linear(6, 2)

    def forward(self, x, lengths):
        _, h = self.rnn(x, lengths=lengths)
        return self.head(h)


def lengths_worker(ctx, out_path):
    """A TensorTask of ((padded, lengths), y): its nested batches cut row by row per rank."""
    from rnnlab.train import TensorTask

    g = torch.Generator().manual_seed(0)
    lengths = torch.randint(2, 7, (24,), generator=g)
    x = torch.randn(24, 6, 1, generator=g, dtype=torch.float64)
    x = x * (torch.arange(6)[None] < lengths[:, None])[..., None]
    task = TensorTask((x, lengths), (x.sum((1, 2)) > 0).long(), batch_size=8,
                      loss_fn=nn.functional.cross_entropy)
    seed_everything(0)
    model = LengthsClassifier().double()
    fit(model, task, TrainConfig(epochs=2, lr=1e-2, progress=False), dist=ctx)
    if ctx.is_main:
        save_weights(out_path, model.state_dict())


def crashing_task(at: int):
    """A TensorTask class whose training dies ("power cut") at its ``at``-th batch (the
    resume tests' interrupted run)."""
    from rnnlab.train import TensorTask

    class Crash(TensorTask):
        def train_loss(self, model, batch, carry):
            self.calls = getattr(self, "calls", 0) + 1
            if self.calls == at:
                raise RuntimeError("power cut")
            return super().train_loss(model, batch, carry)

    return Crash


class MaskedLogits(nn.Module):
    """Class logits whose last class is masked out: -inf in every row of the output."""

    def __init__(self, masked=True):
        super().__init__()
        self.lin, self.masked = nn.Linear(3, 4), masked

    def forward(self, x):
        logits = self.lin(x)
        return (logits.masked_fill(torch.arange(4) == 3, float("-inf")) if self.masked
                else logits)


def masked_logits_worker(ctx, out_dir, masked=True):
    """One row in batches of 4: with 2 ranks the second's share of every batch is empty,
    and the model's output holds -inf (``masked``; else finite). Each rank writes its weights and the last step's
    gradients to ``out_dir/rank<r>.safetensors`` and its skipped steps to a .json."""
    import json
    import os

    from rnnlab.train import TensorTask

    g = torch.Generator().manual_seed(0)
    x = torch.randn(1, 3, generator=g, dtype=torch.float64)
    task = TensorTask(x, torch.tensor([1]), batch_size=4, shuffle=False,
                      loss_fn=nn.functional.cross_entropy)
    seed_everything(0)
    model = MaskedLogits(masked).double()
    hist = fit(model, task, TrainConfig(epochs=2, lr=1e-2, progress=False,
                                        on_nonfinite="skip"), dist=ctx)
    got = {f"weight.{k}": v for k, v in model.state_dict().items()}
    got.update({f"grad.{k}": p.grad for k, p in model.named_parameters() if p.grad is not None})
    stem = os.path.join(out_dir, f"rank{ctx.rank}")
    save_weights(stem + ".safetensors", got)
    with open(stem + ".json", "w") as f:
        json.dump({"skipped_steps": hist.skipped_steps, "steps": hist.steps}, f)


class OneRowTask:
    """A user's own Task (not TensorTask): batches of one row, its loss the batch's mean
    squared error, NaN for no rows (a second rank's share of every batch)."""

    def __init__(self):
        g = torch.Generator().manual_seed(3)
        self.x = torch.randn(2, 3, generator=g, dtype=torch.float64)
        self.y = self.x.sum(1, keepdim=True)

    def num_batches(self, epoch):
        return 2

    def get_batch(self, epoch, index):
        return self.x[index:index + 1], self.y[index:index + 1]

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        return ((model(batch[0]) - batch[1]) ** 2).mean(), carry  # (no rows: nan)

    def validate(self, model):
        return None


def one_row_task_worker(ctx, out_dir):
    """:class:`OneRowTask` fit for 2 epochs; each rank writes its weights to
    ``out_dir/rank<r>.safetensors`` and its history's losses and skipped steps to a .json."""
    import json
    import os

    seed_everything(0)
    model = nn.Linear(3, 1).double()
    hist = fit(model, OneRowTask(), TrainConfig(epochs=2, lr=1e-2, progress=False,
                                                on_nonfinite="skip"), dist=ctx)
    stem = os.path.join(out_dir, f"rank{ctx.rank}")
    save_weights(stem + ".safetensors", dict(model.state_dict()))
    with open(stem + ".json", "w") as f:
        json.dump({"skipped_steps": hist.skipped_steps, "steps": hist.steps,
                   "losses": [e["train_loss"] for e in hist.epochs]}, f)
