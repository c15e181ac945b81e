"""The models ``rnnlab bench`` times, at a workload's size: torch.nn's (the anchors),
rnnlab's subclasses of them, the registry's, and the standard cells composed by hand;
each wrapped so that it maps a batch-first input to outputs (B, T, F), or, for a char-LM
workload, tokens to logits (B, T, vocab)."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from torch import Tensor, nn

from .. import nn as rnn
from ..nn.registry import build_model, get_architecture, run_layers
from .configs import BenchConfig
from .names import MODELS


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


def check_buildable(models, configs, depth: int) -> None:
    """Each of ``models`` checked as its rows build it on each workload of ``configs``
    (:func:`~rnnlab.nn.registry.check_spec`: on the meta device, nothing allocated), before
    any row is timed: one that can never be built (``--models dts-rnn --depth 1``) is a
    usage error (:class:`~rnnlab.io.errors.OptionError`, exit status 2), as every command
    that trains a network refuses it; each of its rows failed, and the run exited 0 for
    the anchor it had timed."""
    from ..nn.registry import ModelSpec, check_spec
    from ..options import refused_as_option_error

    for cfg in configs:
        for name in models:
            spec = ModelSpec(name=name, input_size=cfg.I, hidden_size=cfg.H,
                             num_layers=_layers(name, cfg))
            if "depth" in get_architecture(name).options:
                spec = replace(spec, depth=depth)
            refused_as_option_error(check_spec, spec)


def check_paths_run(models, impls, reference: bool, device, dtype) -> None:
    """Refuse, before any row is timed, a run that leaves the custom models of ``models``
    (those that read ``--paths``) nothing to time here: no reference loop
    (``--no-reference``) and every path of ``impls`` a Triton one that cannot run on this
    device and dtype (a CPU). Each such row failed ("no path to time") after the anchors
    were timed, and the run exited 1; it is a usage error (:class:`OptionError`, exit
    status 2), as asking for a model its options cannot build is."""
    import torch

    from ..io.errors import OptionError
    from .names import READERS

    custom = [m for m in models if m in READERS["--paths"]]
    if reference or not custom or not all(i.startswith("triton") for i in impls):
        return
    from ..nn.fast.triton_common import unavailable_reason

    why = unavailable_reason(torch.empty(0, dtype=dtype, device=device))
    if why is not None:
        raise OptionError(
            f"--paths {','.join(impls)} --no-reference leaves {', '.join(custom)} nothing to "
            f"time on {device} ({dtype}): {why}; drop --no-reference to time the reference "
            f"loop, add --paths fast, or run where Triton runs (--device cuda)")
