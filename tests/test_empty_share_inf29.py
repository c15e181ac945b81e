"""A data-parallel rank with no rows of a batch, its model's output holding -inf or +inf.

Its zero-weight term was ``output.sum() * 0.0``: NaN once the output held an infinity
(masked logits), and every rank then skipped (or stopped at) that step.
"""

import json
import math

import pytest
import torch
from torch import nn

from rnnlab.io.weights import load_weights
from rnnlab.train import TensorTask
from rnnlab.train.distributed import DeviceConfig, launch

import dist_tasks


class _Infinite(nn.Module):
    """Outputs -inf (masked), +inf (exp overflow) and finite values, in a tuple."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 4)

    def forward(self, x):
        h = self.lin(x)
        masked = h.masked_fill(torch.arange(4) == 3, float("-inf"))
        return masked, torch.exp(h.abs() * 1e4), h  # (exp's backward: 0 * inf)


def test_an_empty_share_is_an_exact_zero_with_zero_gradients_for_infinite_outputs():
    torch.manual_seed(0)
    model = _Infinite().double()
    x = torch.randn(4, 3, dtype=torch.float64)
    out = model(x[:1])
    assert torch.isinf(out[0]).any() and torch.isinf(out[1]).any()  # (the case tested)
    task = TensorTask(x, torch.zeros(4, 4, dtype=torch.float64), batch_size=4,
                      loss_fn=lambda out, y: nn.functional.mse_loss(out[2], y))
    loss, carry = task.train_loss(model, (x[:0], torch.zeros(0, 4)), None)
    assert carry is None and float(loss.detach()) == 0.0  # (was nan)
    loss.backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and torch.equal(p.grad, torch.zeros_like(p)), name


@pytest.mark.slow
@pytest.mark.parametrize("masked", [True, False])
def test_two_ranks_train_a_masked_logits_model_with_one_ranks_share_empty(tmp_path, masked):
    """Two gloo ranks on batches of one row (the second rank's share: none), the output's
    masked class -inf (or no mask: finite, as before): no step is skipped, and the
    gradients and weights are the one process's, bit for bit (rank 0's loss at weight 2,
    rank 1's at 0, averaged)."""
    got = {}
    for devices in (1, 2):
        out = tmp_path / str(devices)
        out.mkdir()
        launch(dist_tasks.masked_logits_worker, (str(out), masked),
               DeviceConfig(accelerator="cpu", devices=devices))
        got[devices] = [(load_weights(out / f"rank{r}.safetensors"),
                         json.loads((out / f"rank{r}.json").read_text()))
                        for r in range(devices)]
    (one, one_hist), = got[1]
    assert one_hist == {"skipped_steps": 0, "steps": 2}
    assert sum(k.startswith("grad.") for k in one) == 2
    assert all(math.isfinite(float(v.abs().sum())) for v in one.values())
    for tensors, hist in got[2]:
        assert hist == one_hist  # (the bug: skipped_steps 2, no gradients left)
        assert tensors.keys() == one.keys()
        for k in one:
            assert torch.equal(tensors[k], one[k]), k
