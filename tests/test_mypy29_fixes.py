"""Bugs that `mypy src` pointed at (session 29's type hygiene), each pinned."""

import pytest
import torch
from torch import nn

from rnnlab.io.errors import ConfigTypeError
from rnnlab.train import TensorTask


class _DictOut(nn.Module):
    """A model whose output is a dict of tensors (the loss reads one of them)."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 1)

    def forward(self, x):
        return {"pred": self.lin(x), "aux": self.lin.weight.sum() * x[:, :1]}


def _dict_loss(out, y):
    return nn.functional.mse_loss(out["pred"], y)


def test_empty_rank_share_of_a_dict_output_is_a_tensor_reaching_every_parameter():
    # a DDP rank's empty share of a short last batch: a zero-weight term over the outputs.
    # A dict's keys were summed (none are tensors): the int 0 came back, 0 * 0.0 was the
    # loss, and the loop's backward() failed on a float
    torch.manual_seed(0)
    model = _DictOut()
    x, y = torch.randn(8, 3), torch.randn(8, 1)
    task = TensorTask(x, y, loss_fn=_dict_loss, batch_size=4)
    loss, carry = task.train_loss(model, (x[:0], y[:0]), None)
    assert isinstance(loss, torch.Tensor) and carry is None
    assert float(loss) == 0.0
    loss.backward()
    assert all(p.grad is not None for p in model.parameters())


def test_empty_rank_share_of_an_output_without_tensors_is_refused_clearly():
    class NoTensor(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(3, 1)

        def forward(self, x):
            return ("label", None)

    x, y = torch.randn(4, 3), torch.randn(4, 1)
    task = TensorTask(x, y, loss_fn=lambda out, y: y.sum(), batch_size=4)
    with pytest.raises(ConfigTypeError, match="no tensor in it.*tuple, list or dict"):
        task.train_loss(NoTensor(), (x[:0], y[:0]), None)
