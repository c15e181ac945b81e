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

from functools import partial
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Tuple

import torch
from torch import nn

from .. import nn as rnn
from ..nn.paths import describe_path, set_impl
from .configs import BenchConfig
from .measure import (Interrupted, describe_error, make_lengths, make_steps,
                      measure_interleaved)
from .models import (_layers, build_composed, build_registry, build_torch,  # noqa: F401
                     composed_label, run_body)  # (run_body: its old home, a test imports it)
from .names import BIDIRECTIONAL, FAST_IMPLS, MODELS  # noqa: F401  (MODELS: its old home)
from .plan import STANDARD, Plan, Row, built
from .result import Result, _ms, _ratio
from .suite_settings import SuiteSettings, suite_settings

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


def _with_impl(model: nn.Module, impl: str) -> nn.Module:
    set_impl(model, impl)
    return model


def _registry_with_impl(name: str, cfg: BenchConfig, layers: int, depth: int,
                        impl: str) -> nn.Module:
    """The registry's ``name`` model of ``cfg``'s shape, its layers on ``impl``."""
    return _with_impl(build_registry(name, cfg, layers, depth), impl)


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
    models, run = suite_settings(models, dtype, device, warmup, repeats, depth, reference,
                                 graphs, impls, lengths, row_seconds)
    results: List[Result] = []
    skip = _SkipOnce(on_skip)
    for cfg in configs:
        rows = _plan_rows(cfg, models, run, skip)
        torch.manual_seed(0)
        real = batch_steps(cfg, lengths)  # what steps/s counts: padding is not work done
        steps, errors = _build_steps(rows, cfg, run)
        stopped = None
        try:
            timed = measure_interleaved(steps, device, warmup, repeats, row_seconds, errors)
        except Interrupted as stop:  # its rows timed so far are reported, then it goes on up
            timed, stopped = stop.timings, stop.cause
        for r in _results(cfg, rows, timed, real, run):
            results.append(r)
            on_result(r)
        if stopped is not None:
            raise stopped
    return results


class _SkipOnce:
    """Says a fast path's missing rows to ``on_skip`` once a run per (path, reason), not
    once per workload."""

    def __init__(self, on_skip: Callable[[str], None]):
        self.on_skip = on_skip
        self.said: set = set()  # (impl, reason)

    def __call__(self, cfg_name: str, name: str, impl: str, key: str, msg: str) -> None:
        if (impl, key) not in self.said:
            self.said.add((impl, key))
            self.on_skip(f"{cfg_name} {name}: {msg}")


def _plan_rows(cfg: BenchConfig, models: List[str], run: SuiteSettings,
               skip: _SkipOnce) -> List[Row]:
    """Every row of the workload ``cfg``: the anchors and each model's rows."""
    plan = Plan(cfg, run.graphs)
    for name in models:
        layers = _layers(name, cfg)
        if name in STANDARD or name in BIDIRECTIONAL:
            _plan_standard(plan, name, layers, run.depth)
        else:
            _plan_custom(plan, name, layers, run, skip)
    return plan.rows


def _plan_standard(plan: Plan, name: str, layers: int, depth: int) -> None:
    """A standard model's three rows (rnnlab.nn, the registry, composed) after torch.nn's."""
    cfg = plan.cfg
    bi = name in BIDIRECTIONAL
    kind = BIDIRECTIONAL.get(name, name)
    a = plan.anchor(kind, layers, bi)
    cls_name = STANDARD[kind].__name__ + (" (bidirectional)" if bi else "")
    ours = getattr(rnn, STANDARD[kind].__name__)
    plan.add(f"rnnlab.nn.{cls_name}", lambda: build_torch(ours, cfg, layers, bi), layers, a)
    plan.add(f"build_model('{name}')", lambda: build_registry(name, cfg, layers, depth),
             layers, a)
    plan.add(composed_label(kind, bi), lambda: build_composed(kind, cfg, layers, bi),
             layers, a)


def _plan_custom(plan: Plan, name: str, layers: int, run: SuiteSettings,
                 skip: _SkipOnce) -> None:
    """A custom model's rows against torch.nn.LSTM: its reference loop (unless left out)
    and each fast path that runs here (again in a CUDA graph with ``graphs``)."""
    cfg, depth = plan.cfg, run.depth
    a = plan.anchor("lstm", layers)
    label = name if name == "gru-cho" else f"{name} (depth {depth})"
    ref = None
    if run.reference:
        ref = plan.add(label, lambda: _with_impl(build_registry(name, cfg, layers, depth),
                                                 "reference"), layers, a)
    probe, err = built(lambda: build_registry(name, cfg, layers, depth))
    if probe is None:  # no fast path to probe: one failed row says why
        plan.add_row(Row(label, None, layers, a, ref, False, err))
        return
    why: List[str] = []
    skipped: List[Tuple[str, str, str]] = []

    def on_skip(impl: str, key: str, msg: str) -> None:  # (kept, and said as skipped)
        why.append(impl)
        skipped.append((impl, key, msg))

    fast = _fast_impls(probe, run.dtype, run.device, run.impls, on_skip)
    for impl, key, msg in _one_line_per_reason(skipped):
        skip(cfg.name, name, impl, key, msg)
    if not fast and ref is None:  # (it had no row at all: only its anchor was timed)
        plan.add_row(Row(label, None, layers, a, None, False, _nothing_to_time(why)))
    for impl in fast:
        for graph in ([False, True] if run.graphs else [False]):
            plan.add(label + (" + CUDA graph" if graph else ""),
                     partial(_registry_with_impl, name, cfg, layers, depth, impl),
                     layers, a, ref, graph)


def _one_line_per_reason(skipped: List[Tuple[str, str, str]]) -> List[Tuple[str, str, str]]:
    """The paths that cannot run here for one reason said in one line: on a CPU, "no
    triton, triton-split, triton-resident rows: Triton kernels need a CUDA device ...",
    where each said it again in a line of its own. A path that runs another's (its
    reason names it) keeps its line."""
    by_reason: Dict[str, List[Tuple[str, str, str]]] = {}
    for impl, key, msg in skipped:
        refused = msg.startswith(f"no {impl} rows: ") and msg.endswith(key)
        by_reason.setdefault(key if refused else f"{impl}\0{key}", []).append((impl, key, msg))
    out = []
    for same in by_reason.values():
        if len(same) == 1:
            out.extend(same)
            continue
        impls = ", ".join(impl for impl, _, _ in same)
        out.append((impls, same[0][1], f"no {impls} rows: {same[0][1]}"))
    return out


def _build_steps(rows: List[Row], cfg: BenchConfig, run: SuiteSettings
                 ) -> Tuple[List[Optional[tuple]], List[Optional[str]]]:
    """(each row's timed step, or None; why it has none): a row whose step cannot be
    built (or captured into a CUDA graph) is reported failed, and the others go on."""
    steps: List[Optional[tuple]] = []
    errors: List[Optional[str]] = []
    for row in rows:
        if row.model is None:  # not built: its reason stands
            steps.append(None)
            errors.append(row.error)
            continue
        try:
            steps.append(build_step(row.model, cfg, run.dtype, run.device, graph=row.graph,
                                    lengths=run.lengths))
            errors.append(None)
        except Exception as err:  # noqa: BLE001 - the row reports it; the others go on
            what = "CUDA-graph capture failed" if row.graph else "failed"
            steps.append(None)
            errors.append(f"{what}: {describe_error(err)}")
    return steps, errors


def _results(cfg: BenchConfig, rows: List[Row], timed: list, real: int,
             run: SuiteSettings) -> Iterator[Result]:
    """The workload's rows as Results, one at a time, with their ratios to their anchors
    and reference (``real``: the time steps the batch holds)."""
    dname, devname = str(run.dtype).replace("torch.", ""), str(run.device)
    for (label, model, layers, a, ref, _, _), t in zip(rows, timed):
        try:
            path = "-" if model is None else describe_path(model, run.dtype, run.device)
        except Exception as err:  # noqa: BLE001 - an impl that cannot run here
            path = "-"
            t.error = t.error or f"failed: {describe_error(err)}"
        base = None if a is None else timed[a]
        refd = None if ref is None else timed[ref]
        yield Result(cfg.name, label, path, layers, dname, devname,
                     _ms(t.fwd), _ms(t.fwd_bwd),
                     None if t.fwd_bwd is None else real / t.fwd_bwd,
                     "-" if a is None else rows[a].label,
                     _ratio(t.fwd_bwd, base and base.fwd_bwd),
                     _ratio(t.fwd_bwd, refd and refd.fwd_bwd), _ms(t.fwd_bwd_min),
                     _ratio(t.fwd_bwd_min, base and base.fwd_bwd_min), run.lengths,
                     _ratio(t.fwd, base and base.fwd), t.error, t.repeats or None,
                     _ms(base and base.fwd_bwd), _ms(base and base.fwd), real,
                     _ms(t.fwd_cpu), _ms(t.fwd_bwd_cpu))


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


build_step = make_steps  # what run_suite builds each row with (a test makes one fail)
