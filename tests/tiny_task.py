"""A two-batch task for rnnlab.train.fit in tests: windows (N, 4, 1), target their sum.
A model for it (:func:`tiny_model`) has ``rnn`` (batch-first recurrent module) and
``head`` (H -> 1)."""

import torch
from torch import nn


class TinyTask:
    def __init__(self, windows: int = 8):
        g = torch.Generator().manual_seed(0)
        self.x = torch.randn(windows, 4, 1, generator=g)
        self.y = self.x.sum(1)
        self.batch = windows // 2

    def num_batches(self, epoch):
        return 2

    def get_batch(self, epoch, index):
        b = self.batch
        return self.x[index * b:(index + 1) * b], self.y[index * b:(index + 1) * b]

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        out, _ = model.rnn(batch[0])  # (float: a bf16-mixed head's output, an fp32 target)
        return nn.functional.mse_loss(model.head(out[:, -1]).float(), batch[1]), carry

    def validate(self, model):
        return None


def tiny_model(name: str = "rnn", hidden_size: int = 3) -> nn.Module:
    """A seeded model for :class:`TinyTask`: ``build_model(name)`` and a linear head."""
    from rnnlab.nn.registry import build_model
    from rnnlab.train import seed_everything

    seed_everything(0)
    m = nn.Module()
    m.rnn = build_model(name, input_size=1, hidden_size=hidden_size)
    m.head = nn.Linear(hidden_size, 1)
    return m
