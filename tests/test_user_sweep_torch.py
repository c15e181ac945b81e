"""A PyTorch user's sweep of rnnlab.nn and rnnlab.train: what a torch.nn user tries first.

Each test pins one problem the sweep found (the old behaviour is in its docstring);
torch.nn is the reference, compared in float64.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

import rnnlab.nn as R

KINDS = ("RNN", "GRU", "LSTM")


def pair(kind, *args, **kwargs):
    """(torch.nn module, rnnlab drop-in) of the same weights, float64."""
    ours = getattr(R, kind)(*args, **kwargs).double()
    theirs = getattr(nn, kind)(*args, **kwargs).double()
    theirs.load_state_dict(ours.state_dict(), strict=True)
    return theirs, ours


@pytest.mark.parametrize("kind", KINDS)
def test_a_dropin_on_torchs_kernel_runs_under_vmap(kind):
    """Old: ``torch.func.vmap(lambda x: rnnlab.nn.LSTM(...)(x)[0])`` raised "Batching rule
    not implemented for aten::lstm.input" (rnnlab's Recurrent gave way to its loop under
    torch.func transforms, the drop-ins did not). Per-sample gradients, vmap(grad), are
    the use: they equal torch.nn's, one sample at a time."""
    torch.manual_seed(0)
    theirs, ours = pair(kind, 2, 3, 2, bidirectional=True)
    xs = torch.randn(4, 5, 2, dtype=torch.float64)  # 4 unbatched sequences (T=5, I=2)
    seen = []

    def out(x):
        seen.append(ours.path_for(x))
        return ours(x)[0]

    batched = torch.func.vmap(out)(xs)
    assert seen == ["reference"] and ours.path_for(xs[0]) == "fused"
    torch.testing.assert_close(batched, torch.stack([theirs(x)[0] for x in xs]))

    params = {k: v.detach() for k, v in ours.named_parameters()}

    def loss(p, x):
        return torch.func.functional_call(ours, p, (x,))[0].pow(2).sum()

    per_sample = torch.func.vmap(torch.func.grad(loss), in_dims=(None, 0))(params, xs)
    for i, x in enumerate(xs):
        expected = torch.autograd.grad(theirs(x)[0].pow(2).sum(), list(theirs.parameters()))
        for name, e in zip(params, expected):
            torch.testing.assert_close(per_sample[name][i], e)
