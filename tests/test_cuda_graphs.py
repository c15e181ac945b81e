"""A fast path captured into a CUDA graph computes what it computes eagerly (GPU only).

``rnnlab bench --device cuda`` times every fast path again under ``torch.cuda.graph``
(:func:`rnnlab.bench.suite.cuda_graphed`); these tests check that such a replay gives
the eager outputs and gradients, so the graph rows time the same computation.
"""

import pytest
import torch

from rnnlab.bench.suite import cuda_graphed
from rnnlab.nn.paths import set_impl
from rnnlab.nn.registry import build_model

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")


def _impls():
    from rnnlab.nn.fast.triton_common import triton

    return ["fast"] + ([] if triton is None else ["triton", "triton-split"])


@pytest.mark.parametrize("name", ["dt-rnn", "dts-rnn", "gru-cho", "lstm"])
@pytest.mark.parametrize("impl", _impls())
def test_graph_replay_equals_eager(name, impl):
    torch.manual_seed(0)
    model = build_model(name, input_size=8, hidden_size=32, num_layers=2, depth=3).cuda()
    if name != "lstm":
        set_impl(model, impl)
    x = torch.randn(4, 12, 8, device="cuda")
    params = list(model.parameters())

    def step():
        for p in params:
            p.grad = None
        out, _ = model(x)
        out.square().mean().backward()
        step.out = out

    step()
    eager = [step.out.detach().clone()] + [p.grad.detach().clone() for p in params]
    replay = cuda_graphed(step)
    replay()
    torch.cuda.synchronize()
    graphed = [step.out] + [p.grad for p in params]
    for a, b in zip(eager, graphed):
        torch.testing.assert_close(b, a, rtol=1e-5, atol=1e-6)
