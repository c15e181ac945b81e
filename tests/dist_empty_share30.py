"""Workers for the data-parallel tests of session 30 (importable by spawned processes):
an empty share's forward pass and its buffers, a global batch of no rows."""

import json
import os

import torch
from torch import nn

from rnnlab.io.errors import DataError
from rnnlab.io.weights import save_weights
from rnnlab.train import TensorTask, TrainConfig, fit, seed_everything


class Normed(nn.Module):
    """BatchNorm over (rows, 3 channels, 5 steps), then a mean over the steps and a head."""

    def __init__(self):
        super().__init__()
        self.norm, self.head = nn.BatchNorm1d(3), nn.Linear(3, 1)

    def forward(self, x):
        return self.head(self.norm(x).mean(-1))


class OwnTask:
    """A user's own Task: batches of one row, its forward run on whatever rows it gets
    (none on the second rank), its loss that batch's mean squared error."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def num_batches(self, epoch):
        return 1

    def get_batch(self, epoch, index):
        return self.x, self.y

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        return ((model(batch[0]) - batch[1]) ** 2).mean(), carry

    def validate(self, model):
        return None


def buffers_worker(ctx, out_dir, own_task):
    """:class:`Normed` on one row in batches of 4 (TensorTask, or :class:`OwnTask`): the
    second rank's share of every batch is empty. Each rank writes the model's buffers as
    each training forward pass found them (``seen<e>.``: after DDP copied rank 0's) and
    as each epoch left them (``after<e>.``)."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(1, 3, 5, generator=g, dtype=torch.float64) * 3 + 2
    y = torch.ones(1, 1, dtype=torch.float64)
    task = OwnTask(x, y) if own_task else TensorTask(x, y, batch_size=4, shuffle=False)
    seed_everything(0)
    model = Normed().double()
    got, calls = {}, []

    def seen(module, args):
        if module.training:
            got.update({f"seen{len(calls)}.{k}": b.clone() for k, b in module.named_buffers()})
            calls.append(1)

    def after(epoch, record):
        got.update({f"after{epoch - 1}.{k}": b.clone() for k, b in model.named_buffers()})

    model.register_forward_pre_hook(seen)
    fit(model, task, TrainConfig(epochs=2, lr=1e-2, progress=False), dist=ctx,
        on_epoch=after)
    save_weights(os.path.join(out_dir, f"rank{ctx.rank}.safetensors"), got)


class NoRows(OwnTask):
    """A Task whose second batch holds no rows."""

    def num_batches(self, epoch):
        return 2

    def get_batch(self, epoch, index):
        return self.x[:1 - index], self.y[:1 - index]


def no_rows_worker(ctx, out_dir):
    """:class:`NoRows` fit on each rank; its refusal's message (or "trained") written to
    ``out_dir/rank<r>.json``."""
    seed_everything(0)
    task = NoRows(torch.randn(1, 3, 5, dtype=torch.float64), torch.ones(1, 1, dtype=torch.float64))
    try:
        fit(Normed().double(), task, TrainConfig(epochs=1, progress=False), dist=ctx)
        said = "trained"
    except DataError as e:
        said = str(e)
    with open(os.path.join(out_dir, f"rank{ctx.rank}.json"), "w") as f:
        json.dump(said, f)
