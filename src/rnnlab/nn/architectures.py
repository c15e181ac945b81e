"""The architectures by name (:data:`ARCHITECTURES`): what each is, how its recurrent
body is built from a :class:`~rnnlab.nn.registry.ModelSpec`, its layer counts and the
shape options it reads. :func:`rnnlab.nn.registry.build_model` builds them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, Tuple

from torch import nn

from .deep import DTRNNCell
from .paths import layer_impl
from .recurrent import Recurrent
from .stacked import Stacked
from .torch_compat import GRU, LSTM, RNN


VANILLA = ("nonlinearity",)  # the shape options each family reads
DEEP = ("depth", "width", "nonlinearity")


@dataclass(frozen=True)
class Architecture:
    name: str
    description: str
    build: Callable[..., nn.Module]  # (spec: a registry.ModelSpec, num_layers) -> body
    default_layers: int = 1
    min_layers: int = 1
    bidirectional: bool = False
    options: Tuple[str, ...] = ()  # the ModelSpec shape options it reads (depth, width, ...)


def _torch_body(cls, bidirectional=False, **fixed):
    def build(spec, layers: int) -> nn.Module:  # (spec: a registry.ModelSpec)
        kw = dict(fixed)
        if cls is RNN:
            kw.setdefault("nonlinearity", spec.nonlinearity)
        fused = kw.get("reset_after", True)  # Cho et al.'s GRU has no torch kernel
        return cls(spec.input_size, spec.hidden_size, num_layers=layers, batch_first=True,
                   dropout=spec.dropout if layers > 1 else 0.0, bidirectional=bidirectional,
                   impl=layer_impl(spec.impl, fused), **kw)
    return build


def _deep_body(shortcut: bool):
    def build(spec, layers: int) -> nn.Module:  # (spec: a registry.ModelSpec)
        cells, size = [], spec.input_size
        # at depth 1 the cell has no intermediate layer: a width is dot-rnn's deep output's
        width = spec.width if spec.depth > 1 else None
        for _ in range(layers):
            cell = DTRNNCell(size, spec.hidden_size, depth=spec.depth, width=width,
                             nonlinearity=spec.nonlinearity, shortcut=shortcut)
            cells.append(Recurrent(cell, batch_first=True, impl=layer_impl(spec.impl, False)))
            size = cell.output_size
        return Stacked(cells, spec.dropout if layers > 1 else 0.0)  # (build_model warns)
    return build


ARCHITECTURES: Dict[str, Architecture] = {a.name: a for a in [
    Architecture("rnn", "vanilla (Elman) RNN, h_t = tanh(W x_t + U h_{t-1} + b)", _torch_body(RNN),
                 options=VANILLA),
    Architecture("drnn", "stacked vanilla RNN (the articles' DRNN, Pascanu et al.'s sRNN)",
                 _torch_body(RNN), default_layers=2, min_layers=2, options=VANILLA),
    Architecture("brnn", "bidirectional vanilla RNN (reads a whole window both ways: an encoder, "
                         "never a next-step model of its own input)",
                 _torch_body(RNN, bidirectional=True), bidirectional=True, options=VANILLA),
    Architecture("gru", "GRU, torch's form (reset gate after the product)", _torch_body(GRU)),
    Architecture("gru-cho", "GRU, Cho et al.'s form (reset gate before the product)",
                 _torch_body(GRU, reset_after=False)),
    Architecture("bigru", "bidirectional GRU", _torch_body(GRU, bidirectional=True),
                 bidirectional=True),
    Architecture("lstm", "LSTM (gates i, f, g, o; memory cell c)", _torch_body(LSTM)),
    Architecture("bilstm", "bidirectional LSTM", _torch_body(LSTM, bidirectional=True),
                 bidirectional=True),
    Architecture("dt-rnn", "deep-transition RNN: an MLP from (h_{t-1}, x_t) to h_t (Pascanu 2014)",
                 _deep_body(shortcut=False), options=DEEP),
    Architecture("dts-rnn", "deep-transition RNN with shortcut connections, DT(S)-RNN (Pascanu 2014)",
                 _deep_body(shortcut=True), options=DEEP),
    Architecture("dot-rnn", "deep transition + deep output MLP, DOT-RNN (Pascanu 2014)",
                 _deep_body(shortcut=False), options=DEEP + ("out_depth",)),
    Architecture("dots-rnn", "DT(S) transition + deep output MLP, DOT(S)-RNN (Pascanu 2014's "
                             "experiments)",
                 _deep_body(shortcut=True), options=DEEP + ("out_depth",)),
    Architecture("stacked-dt-rnn", "stacked DT-RNNs: several time scales and deep transitions",
                 _deep_body(shortcut=False), default_layers=2, min_layers=2, options=DEEP),
]}


def get_architecture(name: str) -> Architecture:
    try:
        return ARCHITECTURES[name]
    except KeyError:
        raise ValueError(
            f"unknown model {name!r}; known models: {', '.join(ARCHITECTURES)} "
            f"(`rnnlab models` describes them)"
        ) from None
