"""Timing the rows of a workload: closures on a fixed batch, CUDA-graph capture, and a
round-robin that survives a failing row and keeps slow rows inside a time cap.

A row that raises (building, capturing or timing) is dropped from the round-robin and
reported with its reason; the others go on. A row whose one run takes longer than the
cap is not timed; a row that fits gets as many repeats as fit in the cap (at least
one). A CUDA error that poisons the process (a device-side assert) cannot be survived
inside it: ``rnnlab bench --isolate`` runs each (workload, model) in its own process
(:mod:`.isolate`).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

import torch
from torch import Tensor, nn

from ..io.errors import shown_name
from ..train.cuda_graph import capture
from .configs import BenchConfig

Step = Tuple[Callable[[], None], Callable[[], None]]  # (forward, forward+backward)


def make_lengths(cfg: BenchConfig, seed: int = 0) -> Tensor:
    """(B,) lengths drawn uniformly in [T/2, T], the first one T (so the padded batch is
    T long), on the CPU as packing wants them."""
    g = torch.Generator().manual_seed(seed + 1)
    lengths = torch.randint(max(1, cfg.T // 2), cfg.T + 1, (cfg.B,), generator=g)
    lengths[0] = cfg.T
    return lengths


def make_batch(cfg: BenchConfig, dtype: torch.dtype, device: torch.device, seed: int = 0):
    """(inputs, targets or None), each its own contiguous tensor on ``device`` (a graph
    replays reads of exactly these buffers: no views of a shared one, nothing on the host)."""
    g = torch.Generator().manual_seed(seed)
    if cfg.vocab is None:
        x = torch.randn(cfg.B, cfg.T, cfg.I, generator=g).to(device, dtype)
        return x, None
    tokens = torch.randint(cfg.vocab, (cfg.B, cfg.T + 1), generator=g)
    return (tokens[:, :-1].contiguous().to(device), tokens[:, 1:].contiguous().to(device))


def cuda_graphed(fn: Callable[[], None], warmup: int = 3,
                 before: Callable[[], None] = lambda: None) -> Callable[[], None]:
    """``fn`` captured once into a CUDA graph; the returned closure replays it
    (:func:`rnnlab.train.cuda_graph.capture`; ``before`` runs ahead of every warm-up
    run and of the capture, outside it: e.g. setting gradients to None, so that the
    captured backward allocates them in the graph's memory)."""
    return capture(fn, warmup=warmup, before=before).replay


def make_steps(model: nn.Module, cfg: BenchConfig, dtype: torch.dtype, device: torch.device,
               graph: bool = False, lengths: str = "full") -> Step:
    """(forward under no_grad, forward+backward) closures on one fixed batch; with
    ``graph`` (CUDA only), each captured into a CUDA graph and replayed; with
    ``lengths="variable"``, sequences of :func:`make_lengths`."""
    model = model.to(device, dtype).train()
    x, target = make_batch(cfg, dtype, device)
    lens = make_lengths(cfg) if lengths == "variable" else None
    params = [p for p in model.parameters() if p.requires_grad]

    def loss_of(out: Tensor) -> Tensor:
        if target is None:
            return out.square().mean()
        return nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), target.reshape(-1))

    def fwd():
        with torch.no_grad():
            model(x, lens)

    def no_grads():
        for p in params:
            p.grad = None

    def backward():
        loss_of(model(x, lens)).backward()

    def fwd_bwd():
        no_grads()
        backward()

    if graph:
        return cuda_graphed(fwd), cuda_graphed(backward, before=no_grads)
    return fwd, fwd_bwd


@dataclass
class Timing:
    """One row's medians (seconds), or why it has none."""

    fwd: Optional[float] = None
    fwd_bwd: Optional[float] = None
    fwd_bwd_min: Optional[float] = None
    repeats: int = 0
    error: Optional[str] = None  # "failed: ..." or "over the time cap: ..."
    # this process's CPU seconds (time.process_time(), every thread) over the same runs:
    # medians of forward and of forward+backward; above the wall seconds where several
    # threads ran, below them where the process waited (another process on the cores)
    fwd_cpu: Optional[float] = None
    fwd_bwd_cpu: Optional[float] = None
    _tf: List[float] = field(default_factory=list, repr=False)
    _tfb: List[float] = field(default_factory=list, repr=False)
    _cf: List[float] = field(default_factory=list, repr=False)
    _cfb: List[float] = field(default_factory=list, repr=False)


def cut_at_word(text: str, limit: int = 200) -> str:
    """``text`` in at most ``limit`` characters: cut after the last whole word that fits,
    with an ellipsis ("...that ru" was cut mid-word)."""
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    if not text[limit - 1].isspace() and " " in head:  # (a word runs past the limit)
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:") + "…"


def describe_error(err: BaseException, limit: Optional[int] = 200) -> str:
    """The first line of an exception, short enough for a table cell (cut at a word, see
    :func:`cut_at_word`); ``limit=None``: whole, for a line that says why rows are missing."""
    text = str(err).strip().splitlines()
    said = f"{shown_name(err)}: {text[0] if text else ''}"
    return (said if limit is None else cut_at_word(said, limit)).replace("|", "/")


def _timed(fn: Callable[[], None], device: torch.device,
           cpu: Optional[List[float]] = None) -> float:
    """The wall seconds of one run of ``fn``; with ``cpu``, the process's CPU seconds of
    the same span appended to it."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    wall = time.perf_counter() - t0
    if cpu is not None:
        cpu.append(time.process_time() - c0)
    return wall


def _fitting(t: Timing, run: float, repeats: int, row_seconds: float) -> int:
    """How many timed runs of ``run`` seconds fit in ``row_seconds`` (at least one, at most
    ``repeats``); none, and ``t.error`` says so, when one run alone exceeds it."""
    if run > row_seconds:
        t.error = f"over the time cap: one run took {run:.1f} s (--row-seconds {row_seconds:g})"
        return 0
    return max(1, min(repeats, int(row_seconds / run))) if run > 0 else repeats


def measure_interleaved(steps: List[Optional[Step]], device: torch.device, warmup: int,
                        repeats: int, row_seconds: Optional[float] = None,
                        errors: Optional[List[Optional[str]]] = None) -> List[Timing]:
    """Median forward, median and min forward+backward seconds of each entry, round-robin.

    Round-robin (entry 1, 2, ..., n, then again) spreads a noisy neighbour's load over
    every entry of a workload alike, so the ratios stay meaningful on a shared machine.
    ``steps[k]`` None: the row failed before (``errors[k]`` says why). An entry that
    raises is reported failed and dropped; with ``row_seconds``, an entry whose last
    warm-up run (forward + forward+backward; the earlier ones pay for compilation)
    exceeds it is not timed, and one that fits gets ``min(repeats, row_seconds / that
    run)`` repeats (at least one); with ``warmup=0`` the first timed run is judged so.
    """
    out = [Timing(error=None if errors is None else errors[k]) for k in range(len(steps))]
    try:
        _rounds(steps, out, device, warmup, repeats, row_seconds)
    except KeyboardInterrupt as stop:  # Ctrl-C / SIGTERM: the runs timed so far are kept
        for t in out:
            del t._tf[len(t._tfb):]  # (a forward whose forward+backward was cut short)
            del t._cf[len(t._cfb):]
            if t.error is None and not t._tfb:
                t.error = "interrupted: not timed"
        _medians(out)
        raise Interrupted(out, stop) from stop
    return _medians(out)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) while a workload was timed: ``timings`` are its rows' medians
    of the runs timed so far (``repeats`` says how many), ``cause`` the interrupt itself."""

    def __init__(self, timings: List[Timing], cause: KeyboardInterrupt):
        super().__init__()
        self.timings, self.cause = timings, cause


def _rounds(steps: List[Optional[Step]], out: List[Timing], device: torch.device,
            warmup: int, repeats: int, row_seconds: Optional[float]) -> None:
    """The warm-up runs, then the timed runs round-robin, into ``out``."""
    wanted = [0] * len(steps)
    for k, step in enumerate(steps):
        if step is None:
            out[k].error = out[k].error or "failed: not built"
            continue
        fwd, fwd_bwd = step
        try:
            for _ in range(warmup - 1):  # the first runs pay compilation and autotuning
                fwd()
                fwd_bwd()
            first = _timed(fwd, device) + _timed(fwd_bwd, device) if warmup else None
        except Exception as err:  # noqa: BLE001 - reported as the row's result
            out[k].error = f"failed: {describe_error(err)}"
            continue
        wanted[k] = repeats if first is None or row_seconds is None else \
            _fitting(out[k], first, repeats, row_seconds)
    for r in range(max(wanted, default=0)):
        for k, step in enumerate(steps):
            if step is None or out[k].error is not None or r >= wanted[k]:
                continue  # (no step: its error is set)
            try:
                out[k]._tf.append(_timed(step[0], device, out[k]._cf))
                out[k]._tfb.append(_timed(step[1], device, out[k]._cfb))
            except Exception as err:  # noqa: BLE001
                out[k].error = f"failed: {describe_error(err)}"
                continue
            if r == 0 and not warmup and row_seconds is not None:  # no warm-up run to judge by
                wanted[k] = _fitting(out[k], out[k]._tf[0] + out[k]._tfb[0], repeats,
                                     row_seconds)


def _medians(out: List[Timing]) -> List[Timing]:
    for t in out:
        if t.error is not None:  # (a row over the cap after its first timed run: none kept)
            for runs in (t._tf, t._tfb, t._cf, t._cfb):
                runs.clear()
        if t.error is None and t._tfb:
            t.fwd, t.fwd_bwd = statistics.median(t._tf), statistics.median(t._tfb)
            t.fwd_cpu, t.fwd_bwd_cpu = statistics.median(t._cf), statistics.median(t._cfb)
            t.fwd_bwd_min, t.repeats = min(t._tfb), len(t._tfb)
    return out
