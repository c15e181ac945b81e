"""The whole training step (forward, backward, clipping, optimizer step) as one CUDA graph.

``TrainConfig.cuda_graphs`` (``--cuda-graphs``): ``"on"`` captures it, ``"off"`` never,
``"auto"`` (default) where it is known to give the eager result: CUDA, one process,
fp32, ``on_nonfinite="stop"``, no learning-rate schedule with SGD, no multi-layer
torch RNN with dropout (cuDNN's own random state); elsewhere
``"auto"`` is off and ``"on"`` says why it cannot.

How (see :mod:`.cuda_graph` for the rules a capture follows):

* each batch signature (shapes and dtypes of the batch and the carried state) gets
  its own graph, after :data:`WARMUP` eager steps of that signature run on a side
  stream; those are real steps, so the run is the eager run, step for step;
* a batch is copied into the graph's static buffers (on the device) before each
  replay, the carried state likewise; the loss, the new state, a "finite" flag and
  the total gradient norm before clipping (:mod:`.grad_norms`) are read from the
  graph's outputs, the state and the norm copied (the next replay rewrites them, and
  the norm is held on the device till the epoch's end);
* at most :data:`MAX_GRAPHS` signatures are captured (the epoch's first batch without
  a state, then the others); any other shape (the last, short batch) runs eagerly in
  the loop, as without graphs;
* Adam and AdamW are built with ``capturable=True`` and the learning rate as a device
  tensor (their step counter and rate live on the device, so a schedule's changes
  reach the graph); SGD needs nothing, and keeps no schedule.

A non-finite loss or gradient stops the run (``TrainingDiverged``), as without graphs,
but one step later: the captured step has already been applied when it is seen.
Under ``"auto"`` a capture that raises is reported (a warning) and the run goes on
eagerly (the capture applies nothing); under ``"on"`` it raises. Not yet run on a GPU:
``tests/test_cuda_graphs.py`` checks it equal to eager there (``benchmarks/run_gpu.sh``).
"""

from __future__ import annotations

import contextlib
import warnings
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Tuple

import torch
from torch import Tensor, nn

from ..io.errors import RnnlabError
from .config import TrainConfig
from .cuda_graph import Captured, capture
from .distributed import map_tree
from .grad_norms import clip_or_measure

if TYPE_CHECKING:
    from torch.cuda import _POOL_HANDLE

WARMUP = 2  # eager steps of a signature before its capture
MAX_GRAPHS = 2  # signatures captured (first batch of an epoch without state, the rest)


def graph_blockers(cfg: TrainConfig, device: torch.device, distributed: bool,
                   model: Optional[nn.Module] = None) -> List[str]:
    """What keeps this run from capturing its training step (empty: nothing)."""
    out = []
    if model is not None and any(isinstance(m, nn.RNNBase) and m.dropout > 0 and m.num_layers > 1
                                 for m in model.modules()):
        out.append("a multi-layer torch RNN with dropout (cuDNN keeps its dropout's random "
                   "state itself, not known to be graph-safe)")
    if device.type != "cuda":
        out.append(f"the device is {device}, not CUDA")
    if distributed:
        out.append("the run is data-parallel (DDP)")
    if cfg.precision != "32":
        out.append(f"precision {cfg.precision!r} (mixed precision scales losses on the host)")
    if cfg.lr_schedule != "none" and cfg.optimizer == "sgd":
        out.append(f"lr_schedule {cfg.lr_schedule!r} with SGD (its captured step would keep "
                   f"the first rate; Adam and AdamW read it from the device)")
    if cfg.on_nonfinite != "stop":
        out.append("on_nonfinite='skip' (a captured step cannot be skipped)")
    return out


def use_graphs(cfg: TrainConfig, device: torch.device, distributed: bool,
               model: Optional[nn.Module] = None) -> bool:
    """Whether ``fit`` captures its step: ``cuda_graphs`` resolved against the run."""
    if cfg.cuda_graphs == "off":
        return False
    blockers = graph_blockers(cfg, device, distributed, model)
    if blockers and cfg.cuda_graphs == "on":
        raise RnnlabError(f"cuda_graphs='on' cannot capture this run's training step: "
                          f"{'; '.join(blockers)}. Use cuda_graphs='auto' (captures where it "
                          f"can) or 'off'")
    return not blockers


def _leaves(tree) -> List[Tensor]:
    if isinstance(tree, Tensor):
        return [tree]
    if isinstance(tree, (tuple, list)):
        return [t for sub in tree for t in _leaves(sub)]
    return []


def _holds_values(tree) -> bool:
    """Whether a carry holds something besides tensors (a number): a graph cannot update it."""
    if tree is None or isinstance(tree, Tensor):
        return False
    if isinstance(tree, (tuple, list, dict)):
        return any(_holds_values(t) for t in (tree.values() if isinstance(tree, dict) else tree))
    return True


def signature(batch, carry) -> Tuple:
    """What a graph is specific to: the structure, shapes and dtypes of batch and carry."""
    def sig(tree):
        if tree is None:
            return None
        if isinstance(tree, Tensor):
            return (tuple(tree.shape), tree.dtype)
        if isinstance(tree, (tuple, list)):
            return tuple(sig(t) for t in tree)
        if isinstance(tree, dict):  # (a task's carry {"state": ..., "seen": n})
            return tuple((k, sig(v)) for k, v in tree.items())
        return type(tree).__name__
    return sig(batch), sig(carry)


class _Graph:
    """One signature's captured step and its static buffers."""

    def __init__(self, captured: Captured, batch, carry, outputs):
        self.captured, self.batch, self.carry, self.outputs = captured, batch, carry, outputs


class GraphedStep:
    """``step(batch, carry) -> (loss, new carry, finite, gradient norm before clipping)``
    with the optimizer step done, from a graph where one is captured for this signature, else eagerly on a side stream
    while it warms up. :meth:`takes` says whether a batch is one of its signatures."""

    def __init__(self, model: nn.Module, task, opt: torch.optim.Optimizer, params: Sequence[Tensor],
                 cfg: TrainConfig, device: torch.device):
        self.model, self.task, self.opt, self.params = model, task, opt, params
        self.cfg, self.device = cfg, device
        self.graphs: Dict[Tuple, _Graph] = {}
        self.seen: Dict[Tuple, int] = {}
        self.pool: Optional[_POOL_HANDLE] = None  # the graphs' one memory pool
        self.rows: Optional[list] = None  # the first batch's size: the one graphs take
        self._stream = None  # the warm-up steps' side stream, made at the first
        self.disabled = False  # a capture failed under cuda_graphs="auto": eager from then

    def _step(self, batch, carry):
        """The step as the eager loop runs it (fp32, one process), with device outputs only."""
        loss, new_carry = self.task.train_loss(self.model, batch, carry)
        loss.backward()
        norm = clip_or_measure(self.params, self.cfg.clip_norm)  # (before clipping)
        finite = torch.isfinite(loss.detach())
        for p in self.params:
            if p.grad is not None:
                finite = finite & torch.isfinite(p.grad).all()
        self.opt.step()
        return loss.detach(), map_tree(lambda t: t.detach(), new_carry), finite, norm.detach()

    @contextlib.contextmanager
    def _side_stream(self):
        """Warm-up steps run on a side stream, as capture requires."""
        if self._stream is None:
            self._stream = torch.cuda.Stream(self.device)
        self._stream.wait_stream(torch.cuda.current_stream(self.device))
        with torch.cuda.stream(self._stream):
            yield
        torch.cuda.current_stream(self.device).wait_stream(self._stream)

    def _no_grads(self) -> None:
        self.opt.zero_grad(set_to_none=True)

    def takes(self, batch, carry) -> bool:
        """True when this batch runs here: a signature seen before, or room for one more
        with the first batch's size (a short last batch runs eagerly in the loop)."""
        sig = signature(batch, carry)
        if self.disabled or _holds_values(carry):  # (a step count in the carry would come
            return False  # back from every replay as the capture left it: eager)
        if sig in self.seen:
            return True
        rows = [t.shape[0] for t in _leaves(batch)[:1]]
        if self.rows is None:
            self.rows = rows
        return rows == self.rows and len(self.seen) < MAX_GRAPHS

    def __call__(self, batch, carry) -> Optional[Tuple[Tensor, Any, Tensor, Tensor]]:
        """The step done, or None when a capture failed under ``cuda_graphs="auto"``
        (nothing was applied: the caller runs this batch eagerly, and every later one)."""
        sig = signature(batch, carry)
        to_dev = lambda t: t.to(self.device, non_blocking=True)  # noqa: E731
        graph = self.graphs.get(sig)
        if graph is None and self.seen.get(sig, 0) < WARMUP:  # warm-up: a real eager step
            self.seen[sig] = self.seen.get(sig, 0) + 1
            with self._side_stream():
                self._no_grads()
                return self._step(map_tree(to_dev, batch), carry)
        if graph is None:
            try:
                graph = self._capture(sig, batch, carry)
            except Exception as err:  # noqa: BLE001 - reported; "on" re-raises
                if self.cfg.cuda_graphs == "on":
                    raise
                self.disabled = True
                warnings.warn(f"CUDA graph capture of the training step failed ({err}); "
                              f"training goes on without (cuda_graphs='off' skips trying)")
                return None
        _copy_into(graph.batch, batch)
        _copy_into(graph.carry, carry)
        graph.captured.replay()
        loss, new_carry, finite, norm = graph.outputs  # (filled by the capture; each replay
        # rewrites them: the carry and the norm (held till the epoch's end) are copied)
        return loss, map_tree(torch.clone, new_carry), finite, norm.clone()

    def _capture(self, sig, batch, carry) -> _Graph:
        static_batch = map_tree(lambda t: t.to(self.device).clone(), batch)
        static_carry = map_tree(torch.clone, carry)
        outputs: list = []

        def body():
            outputs[:] = self._step(static_batch, static_carry)
            return outputs

        captured = capture(body, warmup=0, before=self._no_grads, pool=self.pool)
        self.pool = captured.graph.pool()  # graphs replay one at a time: one memory pool
        graph = _Graph(captured, static_batch, static_carry, outputs)
        self.graphs[sig] = graph
        return graph


def _copy_into(static, value) -> None:
    """Copy a batch or state (tensors, nested tuples/lists/dicts) into its static buffers."""
    if isinstance(static, Tensor):
        static.copy_(value, non_blocking=True)
    elif isinstance(static, (tuple, list)):
        for s, v in zip(static, value):
            _copy_into(s, v)
    elif isinstance(static, dict):  # (map_tree's trees: a dict carry was left stale)
        for k, s in static.items():
            _copy_into(s, value[k])


Step = Callable[[Any, Any], Tuple[Tensor, Any, Tensor, Tensor]]
__all__ = ["GraphedStep", "use_graphs", "graph_blockers", "signature"]
