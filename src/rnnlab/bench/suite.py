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
from torch import Tensor, nn

from .. import nn as rnn
from ..nn.dispatch import describe_path, set_impl
from ..nn.registry import build_model, get_architecture, run_layers
from .configs import BenchConfig
from .measure import (cuda_graphed, describe_error, make_batch, make_lengths,  # noqa: F401
                      make_steps, measure_interleaved)
from .names import (BIDIRECTIONAL, CUSTOM, DEFAULT_MODELS, FAST_IMPLS, LENGTHS,  # noqa: F401
                    MODELS, STANDARD_NAMES)

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
    steps_per_s: Optional[float]  # T*B time steps processed per second, forward + backward
    anchor: str  # what the ratio compares with
    ratio: Optional[float]  # fwd_bwd_ms / anchor's fwd_bwd_ms (None for the anchor itself)
    ratio_ref: Optional[float] = None  # custom cells: fast path / reference loop
    fwd_bwd_min_ms: Optional[float] = None  # the fastest forward+backward (less noise-prone)
    ratio_min: Optional[float] = None  # fwd_bwd_min_ms / anchor's fwd_bwd_min_ms
    lengths: str = "full"  # "full": every sequence T steps; "variable": lengths in [T/2, T]
    ratio_fwd: Optional[float] = None  # fwd_ms / anchor's fwd_ms (forward only, no_grad)
    error: Optional[str] = None  # why the row has no times ("failed: ...", "over the time cap")
    repeats: Optional[int] = None  # timed runs behind the medians (fewer for slow rows)

    def as_dict(self) -> dict:
        return asdict(self)


# -- models --------------------------------------------------------------------------------
class CharLM(nn.Module):
    """Embedding -> recurrent body (batch-first) -> linear head, for the C4 workload."""

    def __init__(self, vocab: int, embed: int, body: nn.Module, out_size: int):
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.body = body
        self.head = nn.Linear(out_size, vocab)

    def forward(self, tokens: Tensor, lengths: Optional[Tensor] = None) -> Tensor:
        out = run_body(self.body, self.embed(tokens), lengths)  # (B, T, F)
        return self.head(out)  # (B, T, vocab)


class BodyOnly(nn.Module):
    """Drops the state so every model maps x (B, T, I) -> outputs (B, T, F)."""

    def __init__(self, body: nn.Module):
        super().__init__()
        self.body = body

    def forward(self, x: Tensor, lengths: Optional[Tensor] = None) -> Tensor:
        return run_body(self.body, x, lengths)


def run_body(body: nn.Module, x: Tensor, lengths: Optional[Tensor]) -> Tensor:
    """The body's outputs (B, T, F) on a batch-first ``x``, each sequence ``lengths[b]``
    long when given: torch.nn modules (and rnnlab's subclasses of them) through a
    PackedSequence, as their users call them; rnnlab's own layers with ``lengths=``."""
    return run_layers(body, x, None, lengths)[0]


def _fast_impls(model: nn.Module, dtype: torch.dtype, device: torch.device,
                wanted: Iterable[str] = FAST_IMPLS,
                on_skip: Callable[[str], None] = lambda msg: None) -> List[str]:
    """The ``impl`` values (of ``wanted``) that run distinct fast paths of this model
    here: torch ops ("fast"), and on CUDA with Triton, the one-program-per-block loop
    ("triton") and the split loop ("triton-split"); one that cannot run here is
    reported to ``on_skip`` with the reason."""
    seen: Dict[str, str] = {}
    for impl in wanted:
        set_impl(model, impl)
        try:
            path = describe_path(model, dtype, device)
        except RuntimeError as e:  # impl="triton" where Triton cannot run
            on_skip(f"no {impl} rows: {e}")
            continue
        seen.setdefault(path, impl)
    return list(seen.values())


def _layers(name: str, cfg: BenchConfig) -> int:
    return max(cfg.layers, get_architecture(name).min_layers) if name in MODELS else cfg.layers


def _wrap(cfg: BenchConfig, body: nn.Module, out_size: int) -> nn.Module:
    if cfg.vocab is None:
        return BodyOnly(body)
    return CharLM(cfg.vocab, cfg.I, body, out_size)


def build_torch(cls, cfg: BenchConfig, layers: int, bidirectional: bool = False) -> nn.Module:
    """``cls`` (torch.nn.LSTM, or rnnlab.nn.LSTM: same constructor) at the workload's size."""
    body = cls(cfg.I, cfg.H, num_layers=layers, batch_first=True, bidirectional=bidirectional)
    return _wrap(cfg, body, cfg.H * (2 if bidirectional else 1))


CELL_NAMES = {"rnn": "RNNCell", "gru": "GRUCell", "lstm": "LSTMCell"}


def composed_label(name: str, bidirectional: bool = False) -> str:
    cell = f"Recurrent({CELL_NAMES[name]})"
    return f"Stacked(Bidirectional({cell}))" if bidirectional else f"Stacked({cell})"


def build_composed(name: str, cfg: BenchConfig, layers: int,
                   bidirectional: bool = False) -> nn.Module:
    """The standard model as a user composes it from rnnlab's cells and layers."""
    cell = getattr(rnn, CELL_NAMES[name])
    D = 2 if bidirectional else 1

    def layer(i: int) -> nn.Module:
        fwd = rnn.Recurrent(cell(i, cfg.H), batch_first=True)
        if not bidirectional:
            return fwd
        return rnn.Bidirectional(fwd, rnn.Recurrent(cell(i, cfg.H), reverse=True,
                                                    batch_first=True))

    body = rnn.Stacked([layer(cfg.I if k == 0 else D * cfg.H) for k in range(layers)])
    return _wrap(cfg, body, D * cfg.H)


def build_registry(name: str, cfg: BenchConfig, layers: int, depth: int) -> nn.Module:
    shape = {"depth": depth} if "depth" in get_architecture(name).options else {}
    model = build_model(name, input_size=cfg.I, hidden_size=cfg.H, num_layers=layers, **shape)
    return _wrap(cfg, model, model.output_size)


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
    ``lengths``: "full" or "variable" (see the module's doc).
    """
    if lengths not in LENGTHS:
        raise ValueError(f"bench: lengths must be one of {LENGTHS}, got {lengths!r}")
    impls = list(impls)
    bad = [i for i in impls if i not in FAST_IMPLS]
    if bad or not impls:
        raise ValueError(f"bench: unknown fast path(s) {bad}; known: {', '.join(FAST_IMPLS)}")
    graphs = device.type == "cuda" if graphs is None else graphs
    if graphs and device.type != "cuda":
        raise ValueError("bench: CUDA graphs need --device cuda")
    models = list(models)
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ValueError(f"bench: unknown model(s) {unknown}; known: {', '.join(MODELS)}")
    results: List[Result] = []
    dname, devname = str(dtype).replace("torch.", ""), str(device)
    for cfg in configs:
        # entries: (label, model, layers, anchor index or None, reference index or None,
        #           captured into a CUDA graph)
        entries: List[tuple] = []
        anchors: Dict[Tuple[str, int], int] = {}

        def anchor(kind: str, layers: int, bi: bool = False) -> int:
            if (kind, layers, bi) not in anchors:
                cls = STANDARD[kind]
                label = f"torch.nn.{cls.__name__}" + (" (bidirectional)" if bi else "")
                anchors[kind, layers, bi] = len(entries)
                entries.append((label, build_torch(cls, cfg, layers, bi), layers, None, None,
                                False))
                if graphs:
                    entries.append((f"{label} + CUDA graph", build_torch(cls, cfg, layers, bi),
                                    layers, anchors[kind, layers, bi], None, True))
            return anchors[kind, layers, bi]

        for name in models:
            layers = _layers(name, cfg)
            if name in STANDARD or name in BIDIRECTIONAL:
                bi = name in BIDIRECTIONAL
                kind = BIDIRECTIONAL.get(name, name)
                a = anchor(kind, layers, bi)
                cls_name = STANDARD[kind].__name__ + (" (bidirectional)" if bi else "")
                entries.append((f"rnnlab.nn.{cls_name}",
                                build_torch(getattr(rnn, STANDARD[kind].__name__), cfg, layers, bi),
                                layers, a, None, False))
                entries.append((f"build_model('{name}')", build_registry(name, cfg, layers, depth),
                                layers, a, None, False))
                entries.append((composed_label(kind, bi), build_composed(kind, cfg, layers, bi),
                                layers, a, None, False))
                continue
            a = anchor("lstm", layers)
            label = name if name == "gru-cho" else f"{name} (depth {depth})"
            ref = None
            if reference:
                model = build_registry(name, cfg, layers, depth)
                set_impl(model, "reference")
                ref = len(entries)
                entries.append((label, model, layers, a, None, False))
            skip = (lambda msg, c=cfg.name, n=name: on_skip(f"{c} {n}: {msg}")) \
                if set(impls) != set(FAST_IMPLS) else (lambda msg: None)  # asked for by name
            for impl in _fast_impls(build_registry(name, cfg, layers, depth), dtype, device,
                                    impls, skip):
                for graph in ([False, True] if graphs else [False]):
                    model = build_registry(name, cfg, layers, depth)
                    set_impl(model, impl)
                    entries.append((label + (" + CUDA graph" if graph else ""), model, layers,
                                    a, ref, graph))
        torch.manual_seed(0)
        steps: List[Optional[tuple]] = []
        errors: List[Optional[str]] = []
        for e in entries:
            try:
                steps.append(build_step(e[1], cfg, dtype, device, graph=e[5], lengths=lengths))
                errors.append(None)
            except Exception as err:  # noqa: BLE001 - the row reports it; the others go on
                what = "CUDA-graph capture failed" if e[5] else "failed"
                steps.append(None)
                errors.append(f"{what}: {describe_error(err)}")
        timed = measure_interleaved(steps, device, warmup, repeats, row_seconds, errors)
        for (label, model, layers, a, ref, _), t in zip(entries, timed):
            try:
                path = describe_path(model, dtype, device)
            except Exception as err:  # noqa: BLE001 - an impl that cannot run here
                path = "-"
                t.error = t.error or f"failed: {describe_error(err)}"
            base = None if a is None else timed[a]
            refd = None if ref is None else timed[ref]
            r = Result(cfg.name, label, path, layers, dname, devname,
                       _ms(t.fwd), _ms(t.fwd_bwd),
                       None if t.fwd_bwd is None else cfg.T * cfg.B / t.fwd_bwd,
                       "-" if a is None else entries[a][0],
                       _ratio(t.fwd_bwd, base and base.fwd_bwd),
                       _ratio(t.fwd_bwd, refd and refd.fwd_bwd), _ms(t.fwd_bwd_min),
                       _ratio(t.fwd_bwd_min, base and base.fwd_bwd_min), lengths,
                       _ratio(t.fwd, base and base.fwd), t.error, t.repeats or None)
            results.append(r)
            on_result(r)
    return results


def _ms(seconds: Optional[float]) -> Optional[float]:
    return None if seconds is None else seconds * 1e3


def _ratio(mine: Optional[float], anchor: Optional[float]) -> Optional[float]:
    return None if mine is None or not anchor else mine / anchor


build_step = make_steps  # what run_suite builds each row with (a test makes one fail)
