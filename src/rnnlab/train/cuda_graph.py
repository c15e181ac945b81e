"""Capturing work into a CUDA graph so that it replays as one launch.

What makes a capture replay the eager computation (each point is a way the first
version of this code failed on an H200, ``../shared/gpu``):

* **warm-up on a side stream**, as capture requires, so that lazily created state
  (cuBLAS/cuDNN handles, optimizer state, autotuned Triton kernels) exists before;
* **no autograd graph alive across the capture**: a tensor that still holds the eager
  run's graph (an output kept for comparison) keeps its ``AccumulateGrad`` nodes on the
  default stream, and their work lands on a stream that is not capturing, which
  invalidates the capture; keep outputs detached;
* **static buffers, kept alive**: a replay reads the same addresses it captured, so
  inputs are copied into tensors allocated before the capture (never host memory), and
  the captured function, whose closure holds them, is kept with the graph. The bench
  kept only ``graph.replay``: its batch was freed and its memory reused, so every replay
  read whatever lay there; token ids out of range for C4's embedding (the "vectorized
  gather kernel index out of bounds" on the H200), silently wrong numbers elsewhere;
* **gradients set to None before the capture** (not inside it), so that the captured
  backward allocates them in the graph's own memory;
* **no host synchronisation and no new RNG stream inside** (``.item()``, printing a
  tensor, ``torch.manual_seed``); torch's default CUDA generator is graph-safe;
* **one graph per shape**: a batch of another shape runs eagerly or gets its own capture.

A failed capture can leave the CUDA generator in capture mode for the rest of the
process ("Offset increment outside graph capture"); :func:`capture` checks what it can
before capturing, and the bench isolates each workload in its own process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

import torch

from ..io.errors import UnsupportedError

if TYPE_CHECKING:  # (torch's handle of a graphs' memory pool: a pair of ints)
    from torch.cuda import _POOL_HANDLE


class Captured:
    """A captured graph with the references that keep its memory valid."""

    def __init__(self, graph: "torch.cuda.CUDAGraph", keep: tuple = ()):
        self.graph = graph
        self._keep = keep  # static inputs and outputs: their addresses are in the graph

    def replay(self) -> None:
        self.graph.replay()


def capture(fn: Callable[[], object], warmup: int = 3,
            before: Callable[[], None] = lambda: None,
            pool: Optional[_POOL_HANDLE] = None) -> Captured:
    """Warm ``fn`` up ``warmup`` times on a side stream, then capture one call of it.

    ``before()`` runs ahead of each warm-up call and of the capture, outside it (set
    gradients to None there). Nothing of ``fn``'s eager runs may hold an autograd graph
    when it returns. Returns a :class:`Captured`; ``replay()`` reruns the captured work
    on the same buffers."""
    if not torch.cuda.is_available():
        raise UnsupportedError("CUDA graphs need a CUDA device; none is available")
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):  # warm-up off the default stream, as capture requires
        for _ in range(warmup):
            before()
            fn()
    torch.cuda.current_stream().wait_stream(side)
    torch.cuda.synchronize()  # an error of the eager runs shows here, not as a failed capture
    before()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph, pool=pool, capture_error_mode="thread_local"):
        result = fn()
    # fn's closure holds the static inputs (a batch of token ids, say): were it dropped,
    # their memory would be reused while the graph still reads it at every replay
    return Captured(graph, (fn, before, result))
