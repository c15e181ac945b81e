"""What runs on a workload, against which anchor, and one :class:`Result` per row.

Standard cells (``rnn``, ``gru``, ``lstm``) are measured four ways: ``torch.nn``
itself (the anchor), ``rnnlab.nn.<X>`` (our subclass: validation + dispatch to torch's
kernel), the registry's :class:`~rnnlab.nn.registry.SequenceModel` around it, and the
same layers built by composition, ``Stacked([Recurrent(<X>Cell), ...])`` (each layer
hands its sequence to torch's kernel, :mod:`rnnlab.nn.fast.fused`).
The bidirectional standard models (``brnn``, ``bigru``, ``bilstm``: the registry's names)
are measured the same four ways against ``torch.nn.<X>(bidirectional=True)``.
With ``lengths="variable"`` every row runs a padded batch of lengths drawn in [T/2, T]
(the longest T): torch.nn as its users run it, through ``pack_padded_sequence`` and
``pad_packed_sequence`` inside the timed call, rnnlab's models with ``lengths=``.
Custom cells (``gru-cho``, the deep-transition family) are measured on their fast path
and on the reference loop, both against ``torch.nn.LSTM`` at the same (T, B, I, H):
for a DT-RNN of transition depth 4 that is the equal-FLOP pair (4 dependent H×H
products per step against one 4H×H product).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable, Dict, Iterable, List, Optional, Tuple

import torch
from torch import nn

from .. import nn as rnn
from ..nn.paths import describe_path, set_impl
from .configs import BenchConfig
from .measure import (Interrupted, cuda_graphed, describe_error, make_batch,  # noqa: F401
                      make_lengths, make_steps, measure_interleaved)
from .names import (BIDIRECTIONAL, CUSTOM, DEFAULT_MODELS, FAST_IMPLS, LENGTHS,  # noqa: F401
                    MODELS, STANDARD_NAMES)

from .models import (CELL_NAMES, BodyOnly, CharLM, _layers, build_composed,  # noqa: F401
                     build_registry, build_torch, composed_label, run_body)

STANDARD = dict(zip(STANDARD_NAMES, (nn.RNN, nn.GRU, nn.LSTM)))


@dataclass
class Result:
    config: str  # workload name
    model: str  # what ran
    path: str  # which implementation ran (torch / fused / fast-torch / fast-triton / reference)
    layers: int
    dtype: str
    device: str
    fwd_ms: Optional[float]  # forward, under torch.no_grad (None: the row failed)
    fwd_bwd_ms: Optional[float]  # forward + backward of a scalar loss
    steps_per_s: Optional[float]  # `steps` per second of forward + backward
    anchor: str  # what the ratio compares with
    ratio: Optional[float]  # fwd_bwd_ms / anchor's fwd_bwd_ms (None for the anchor itself)
    ratio_ref: Optional[float] = None  # custom cells: fast path / reference loop
    fwd_bwd_min_ms: Optional[float] = None  # the fastest forward+backward (less noise-prone)
    ratio_min: Optional[float] = None  # fwd_bwd_min_ms / anchor's fwd_bwd_min_ms
    lengths: str = "full"  # "full": every sequence T steps; "variable": lengths in [T/2, T]
    ratio_fwd: Optional[float] = None  # fwd_ms / anchor's fwd_ms (forward only, no_grad)
    error: Optional[str] = None  # why the row has no times ("failed: ...", "over the time
    #                              cap: ...", "interrupted: not timed")
    repeats: Optional[int] = None  # timed runs behind the medians (fewer for slow rows)
    anchor_fwd_bwd_ms: Optional[float] = None  # the anchor's fwd_bwd_ms behind `ratio`
    anchor_fwd_ms: Optional[float] = None  # the anchor's fwd_ms behind `ratio_fwd`
    steps: Optional[int] = None  # real time steps in the batch: the sum of the lengths (T*B
    #                              with full lengths); None in files written before it, whose
    #                              steps_per_s counted T*B even with variable lengths

    def as_dict(self) -> dict:
        return asdict(self)


def _fast_impls(model: nn.Module, dtype: torch.dtype, device: torch.device,
                wanted: Iterable[str] = FAST_IMPLS,
                on_skip: Callable[[str, str, str], None] = lambda impl, key, msg: None
                ) -> List[str]:
    """The ``impl`` values (of ``wanted``) that run distinct fast paths of this model
    here: torch ops ("fast"), and on CUDA with Triton, the one-program-per-block loop
    ("triton") and the split loop ("triton-split"); one that cannot run here, or runs
    the same path as another, is reported to ``on_skip(impl, reason key, message)``."""
    seen: Dict[str, str] = {}
    for impl in wanted:
        set_impl(model, impl)
        try:
            path = describe_path(model, dtype, device)
        except Exception as e:  # noqa: BLE001 - impl="triton" where Triton cannot run
            on_skip(impl, str(e).split(" here: ", 1)[-1],  # (whole: why the rows are missing)
                    f"no {impl} rows: {describe_error(e, None)}")
            continue
        if path in seen:
            on_skip(impl, path, f"no {impl} rows: it runs {path} here, timed as {seen[path]}")
        elif impl.startswith("triton") and path != f"fast-{impl}":  # e.g. resident -> split
            on_skip(impl, path, f"{impl} runs {path} here: its rows say so")
        seen.setdefault(path, impl)
    return list(seen.values())


def _built(make: Callable[[], nn.Module]) -> Tuple[Optional[nn.Module], Optional[str]]:
    """(the model ``make()`` builds, None) or (None, why it failed): a row that cannot be
    built is reported failed, and the others go on."""
    try:
        return make(), None
    except Exception as err:  # noqa: BLE001
        return None, f"failed: building: {describe_error(err)}"


def _with_impl(model: nn.Module, impl: str) -> nn.Module:
    set_impl(model, impl)
    return model


def run_suite(configs: Iterable[BenchConfig], models: Iterable[str], *,
              dtype: torch.dtype = torch.float32, device: torch.device = torch.device("cpu"),
              warmup: int = 1, repeats: int = 5, depth: int = 4, reference: bool = True,
              graphs: Optional[bool] = None, impls: Iterable[str] = FAST_IMPLS,
              lengths: str = "full", row_seconds: Optional[float] = None,
              on_result: Callable[[Result], None] = lambda r: None,
              on_skip: Callable[[str], None] = lambda msg: None) -> List[Result]:
    """Measure every (config, model); ``on_result`` sees each row as soon as it is done.

    On CUDA each custom architecture is measured on every path it has: the reference
    loop, the kernel as torch ops (``impl="fast"``), the Triton loops where they run
    (``impl="triton"``, ``"triton-split"``), and, with ``graphs`` (default: on CUDA),
    each fast path again captured into a CUDA graph. Standard cells get a CUDA-graph row of torch.nn too.
    ``impls`` limits the fast paths tried. A row that fails (building, CUDA-graph
    capture, timing) comes back with ``error`` set and no times, and the others go on;
    ``row_seconds`` caps each row's timed runs (:func:`.measure.measure_interleaved`).
    ``lengths``: "full" or "variable" (see the module's doc). A fast path that cannot
    run here (Triton without CUDA or its interpreter, a dtype it lacks), or runs the
    same path as another, gets no row: ``on_skip`` hears why, once a run per path and
    reason (all workloads alike). Ctrl-C (or SIGTERM) while a workload is timed: its rows
    come to ``on_result`` with the runs timed so far (fewer ``repeats``; "interrupted: not
    timed" for a row with none), then the interrupt is raised again.
    """
    if lengths not in LENGTHS:
        raise ValueError(f"lengths must be one of {LENGTHS}, got {lengths!r}")
    impls = list(impls)
    bad = [i for i in impls if i not in FAST_IMPLS]
    if bad or not impls:
        raise ValueError(f"unknown fast path(s) {bad}; known: {', '.join(FAST_IMPLS)}")
    graphs = device.type == "cuda" if graphs is None else graphs
    if graphs and device.type != "cuda":
        raise ValueError("CUDA graphs need --device cuda")
    models = list(models)
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ValueError(f"unknown model(s) {unknown}; known: {', '.join(MODELS)}")
    results: List[Result] = []
    dname, devname = str(dtype).replace("torch.", ""), str(device)
    skipped: set = set()  # (impl, reason): each reported once a run, not per workload

    def skip(cfg_name: str, name: str, impl: str, key: str, msg: str) -> None:
        if (impl, key) not in skipped:
            skipped.add((impl, key))
            on_skip(f"{cfg_name} {name}: {msg}")

    for cfg in configs:
        # entries: (label, model or None, layers, anchor index or None, reference index or
        #           None, captured into a CUDA graph, why it could not be built or None)
        entries: List[tuple] = []
        anchors: Dict[Tuple[str, int, bool], int] = {}

        def add(label: str, make: Callable[[], nn.Module], layers: int, a: Optional[int],
                ref: Optional[int] = None, graph: bool = False) -> int:
            model, err = _built(make)  # (called now: the lambdas' names are this loop's)
            entries.append((label, model, layers, a, ref, graph, err))
            return len(entries) - 1

        def anchor(kind: str, layers: int, bi: bool = False) -> int:
            if (kind, layers, bi) not in anchors:
                cls = STANDARD[kind]
                label = f"torch.nn.{cls.__name__}" + (" (bidirectional)" if bi else "")
                a = anchors[kind, layers, bi] = add(
                    label, lambda: build_torch(cls, cfg, layers, bi), layers, None)
                if graphs:
                    add(f"{label} + CUDA graph", lambda: build_torch(cls, cfg, layers, bi),
                        layers, a, graph=True)
            return anchors[kind, layers, bi]

        for name in models:
            layers = _layers(name, cfg)
            if name in STANDARD or name in BIDIRECTIONAL:
                bi = name in BIDIRECTIONAL
                kind = BIDIRECTIONAL.get(name, name)
                a = anchor(kind, layers, bi)
                cls_name = STANDARD[kind].__name__ + (" (bidirectional)" if bi else "")
                ours = getattr(rnn, STANDARD[kind].__name__)
                add(f"rnnlab.nn.{cls_name}", lambda: build_torch(ours, cfg, layers, bi),
                    layers, a)
                add(f"build_model('{name}')", lambda: build_registry(name, cfg, layers, depth),
                    layers, a)
                add(composed_label(kind, bi), lambda: build_composed(kind, cfg, layers, bi),
                    layers, a)
                continue
            a = anchor("lstm", layers)
            label = name if name == "gru-cho" else f"{name} (depth {depth})"
            ref = None
            if reference:
                ref = add(label, lambda: _with_impl(build_registry(name, cfg, layers, depth),
                                                    "reference"), layers, a)
            probe, err = _built(lambda: build_registry(name, cfg, layers, depth))
            if probe is None:  # no fast path to probe: one failed row says why
                entries.append((label, None, layers, a, ref, False, err))
                continue
            why: List[str] = []
            fast = _fast_impls(probe, dtype, device, impls,
                               lambda i, k, m, c=cfg.name, n=name: (
                                   why.append(i), skip(c, n, i, k, m)))
            if not fast and ref is None:  # (it had no row at all: only its anchor was timed)
                entries.append((label, None, layers, a, None, False, _nothing_to_time(why)))
            for impl in fast:
                for graph in ([False, True] if graphs else [False]):
                    add(label + (" + CUDA graph" if graph else ""),
                        lambda i=impl: _with_impl(build_registry(name, cfg, layers, depth), i),
                        layers, a, ref, graph)
        torch.manual_seed(0)
        real = batch_steps(cfg, lengths)  # what steps/s counts: padding is not work done
        steps: List[Optional[tuple]] = []
        errors: List[Optional[str]] = []
        for e in entries:
            if e[1] is None:  # not built: its reason stands
                steps.append(None)
                errors.append(e[6])
                continue
            try:
                steps.append(build_step(e[1], cfg, dtype, device, graph=e[5], lengths=lengths))
                errors.append(None)
            except Exception as err:  # noqa: BLE001 - the row reports it; the others go on
                what = "CUDA-graph capture failed" if e[5] else "failed"
                steps.append(None)
                errors.append(f"{what}: {describe_error(err)}")
        stopped = None
        try:
            timed = measure_interleaved(steps, device, warmup, repeats, row_seconds, errors)
        except Interrupted as stop:  # its rows timed so far are reported, then it goes on up
            timed, stopped = stop.timings, stop.cause
        for (label, model, layers, a, ref, _, _), t in zip(entries, timed):
            try:
                path = "-" if model is None else describe_path(model, dtype, device)
            except Exception as err:  # noqa: BLE001 - an impl that cannot run here
                path = "-"
                t.error = t.error or f"failed: {describe_error(err)}"
            base = None if a is None else timed[a]
            refd = None if ref is None else timed[ref]
            r = Result(cfg.name, label, path, layers, dname, devname,
                       _ms(t.fwd), _ms(t.fwd_bwd),
                       None if t.fwd_bwd is None else real / t.fwd_bwd,
                       "-" if a is None else entries[a][0],
                       _ratio(t.fwd_bwd, base and base.fwd_bwd),
                       _ratio(t.fwd_bwd, refd and refd.fwd_bwd), _ms(t.fwd_bwd_min),
                       _ratio(t.fwd_bwd_min, base and base.fwd_bwd_min), lengths,
                       _ratio(t.fwd, base and base.fwd), t.error, t.repeats or None,
                       _ms(base and base.fwd_bwd), _ms(base and base.fwd), real)
            results.append(r)
            on_result(r)
        if stopped is not None:
            raise stopped
    return results


def _nothing_to_time(why: List[str]) -> str:
    """The error of a custom model none of whose asked-for paths runs here (``why``: those
    paths, each said on stderr), with no reference row either."""
    return (f"failed: no path to time here (--paths {','.join(why) or '(none)'}: each "
            f"said why on stderr); time the reference loop (drop --no-reference) or give "
            f"--paths fast")


def batch_steps(cfg: BenchConfig, lengths: str = "full") -> int:
    """The time steps a row's batch really holds: T*B with full lengths, the sum of
    :func:`.measure.make_lengths` with variable ones (the padding past each sequence's
    end is no step of it)."""
    return int(make_lengths(cfg).sum()) if lengths == "variable" else cfg.T * cfg.B


def _ms(seconds: Optional[float]) -> Optional[float]:
    return None if seconds is None else seconds * 1e3


def _ratio(mine: Optional[float], anchor: Optional[float]) -> Optional[float]:
    return None if mine is None or not anchor else mine / anchor


build_step = make_steps  # what run_suite builds each row with (a test makes one fail)
