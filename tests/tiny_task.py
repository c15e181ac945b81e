"""A two-batch task for rnnlab.train.fit in tests: windows (8, 4, 1), target their sum.
A model for it has ``rnn`` (batch-first recurrent module) and ``head`` (H -> 1)."""

import torch
from torch import nn


class TinyTask:
    def __init__(self):
        g = torch.Generator().manual_seed(0)
        self.x = torch.randn(8, 4, 1, generator=g)
        self.y = self.x.sum(1)

    def num_batches(self, epoch):
        return 2

    def get_batch(self, epoch, index):
        return self.x[index * 4:(index + 1) * 4], self.y[index * 4:(index + 1) * 4]

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        out, _ = model.rnn(batch[0])  # (float: a bf16-mixed head's output, an fp32 target)
        return nn.functional.mse_loss(model.head(out[:, -1]).float(), batch[1]), carry

    def validate(self, model):
        return None
