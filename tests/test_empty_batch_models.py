"""The registry's models (rnnlab.nn.build_model) on a batch of no sequences: empty outputs
of the right shapes and a backward that runs, as torch.nn's layers give (the deep ones'
Recurrent refused it: "got an empty batch"); the next non-empty call is unaffected."""

import pytest
import torch
from torch.testing import assert_close

from rnnlab.names import ARCHITECTURE_NAMES, BIDIRECTIONAL_NAMES
from rnnlab.nn.registry import build_model

F64 = torch.float64


@pytest.mark.parametrize("impl", ["auto", "reference"])
@pytest.mark.parametrize("name", ARCHITECTURE_NAMES)
def test_an_empty_batch_gives_empty_outputs(name, impl):
    from rnnlab.nn.paths import set_impl

    torch.manual_seed(0)
    net = build_model(name, input_size=2, hidden_size=3).double()
    set_impl(net, impl)
    x = torch.randn(4, 5, 2, dtype=F64)
    before = net(x)[0]
    empty = torch.randn(0, 5, 2, dtype=F64, requires_grad=True)
    out = net(empty)[0]
    assert out.shape == (0, 5, before.shape[-1]) and out.dtype == F64
    assert before.shape[-1] == (6 if name in BIDIRECTIONAL_NAMES else 3)
    out.sum().backward()
    assert empty.grad.shape == empty.shape
    # zero gradients reach every parameter (as torch.nn's): None would pass "not any"
    assert all(p.grad is not None and not p.grad.any() for p in net.parameters())
    lengths = torch.zeros(0, dtype=torch.long)  # (lengths of no sequences too)
    assert net(empty.detach(), lengths=lengths)[0].shape == out.shape
    assert_close(net(x)[0], before, rtol=0, atol=0)  # the next call: as before
