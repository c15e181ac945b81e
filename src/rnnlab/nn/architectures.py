"""The architectures by name (:data:`ARCHITECTURES`): what each is, how its recurrent
body is built from a :class:`~rnnlab.nn.registry.ModelSpec`, its layer counts and the
shape options it reads. :func:`rnnlab.nn.registry.build_model` builds them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict, Tuple

from torch import nn

from .deep import DTRNNCell
from .paths import layer_impl
from .recurrent import Recurrent
from .stacked import Stacked
from .torch_compat import GRU, LSTM, RNN
from ..io.errors import ConfigError, ConfigTypeError


VANILLA = ("nonlinearity",)  # the shape options each family reads
DEEP = ("depth", "width", "nonlinearity")


@dataclass(frozen=True)
class Architecture:
    """One architecture by name; :func:`register_architecture` adds one of your own.

    ``build(spec, num_layers)`` returns the recurrent body: a module called as
    ``body(x (B, T, I), state, lengths) -> (outputs (B, T, F), final_state)``, batch-first,
    with an ``output_size`` (F), e.g. ``Stacked([Recurrent(cell, batch_first=True), ...])``;
    it reads ``spec.input_size``, ``spec.hidden_size``, ``spec.dropout``, ``spec.impl`` and
    the shape options it lists in ``options``."""

    name: str  # what build_model, --model and saved models call it
    description: str  # one line, as `rnnlab models` prints it
    build: Callable[..., nn.Module]  # (spec: a registry.ModelSpec, num_layers) -> body
    default_layers: int = 1  # num_layers when the spec leaves it None
    min_layers: int = 1  # fewer is refused
    bidirectional: bool = False  # reads both ways: an encoder, refused as a next-step model
    # the ModelSpec shape options it reads (depth, width, nonlinearity, out_depth; out_depth
    # puts the deep output of DOT-RNN on top of the body): others set are refused
    options: Tuple[str, ...] = ()


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


BUILT_IN = tuple(ARCHITECTURES)  # rnnlab's own: never replaced (saved runs name them)
SHAPE_OPTIONS = ("depth", "width", "nonlinearity", "out_depth")  # what Architecture.options lists
# what an unknown name's error says of architectures of one's own (every place that says it)
OWN_HINT = ("an architecture of your own is known once the module that calls "
            "rnnlab.nn.register_architecture for it is imported: import it before building, "
            "loading or comparing a model of it, or, for the command line, declare it as "
            "an entry point of group 'rnnlab.architectures' of its installed package")


def get_architecture(name: str) -> Architecture:
    """The architecture ``name``: rnnlab's own, one registered in this process, or one an
    installed package declares (:mod:`.plugins`, imported at the first unknown name)."""
    if isinstance(name, str) and name not in ARCHITECTURES:
        from .plugins import load_entry_points
        load_entry_points()
    try:
        return ARCHITECTURES[name]
    except (KeyError, TypeError):  # (TypeError: an unhashable name, a list)
        raise ConfigError(
            f"unknown model {name!r}; known models: {', '.join(ARCHITECTURES)} "
            f"(`rnnlab models` describes them; {OWN_HINT})"
        ) from None


def register_architecture(arch: Architecture, *, replace: bool = False) -> Architecture:
    """Add ``arch`` to :data:`ARCHITECTURES` under ``arch.name``, so that
    ``build_model(name, ...)``, ``Forecaster(model=name)``, ``CharLM(model=name)``,
    ``CompareConfig(models=...)``, ``GlobalForecaster(name)`` and a saved model's ``load``
    find it (README.md, "Writing your own cell"). A model saved with it stores the name
    and its weights, not code: the module that registers it must be imported before
    loading. Refused (ValueError): a built-in name (saved runs of it would load as
    another model), a name already registered unless ``replace=True`` (a notebook cell
    run again), a name the command line cannot pass as one word, options other than
    :data:`SHAPE_OPTIONS`. Returns ``arch``."""
    if not isinstance(arch, Architecture):
        raise ConfigTypeError(f"register_architecture: expected an Architecture(name, description, "
                              f"build), got {type(arch).__name__}")
    name = arch.name
    if not (isinstance(name, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.+-]*", name)):
        raise ConfigError(f"register_architecture: the name must be one word of letters, "
                          f"digits and - _ . + (it is typed on the command line and in lists "
                          f"such as --models a b), got {name!r}")
    if name in BUILT_IN:
        raise ConfigError(f"register_architecture: {name!r} is rnnlab's own architecture and "
                          f"cannot be replaced (models saved with it would load as yours); "
                          f"register yours under another name, e.g. 'my-{name}'")
    if name in ARCHITECTURES and not replace and ARCHITECTURES[name] != arch:
        raise ConfigError(f"register_architecture: {name!r} is registered already "
                          f"({ARCHITECTURES[name].description!r}); pick another name, or "
                          f"pass replace=True to replace it")
    if not callable(arch.build):
        raise ConfigTypeError(f"register_architecture({name!r}): build must be a function "
                              f"(spec, num_layers) -> the recurrent body, got "
                              f"{type(arch.build).__name__}")
    unknown = [o for o in arch.options if o not in SHAPE_OPTIONS]
    if isinstance(arch.options, str) or unknown:  # (options="depth": one letter each)
        raise ConfigError(f"register_architecture({name!r}): options are the ModelSpec shape "
                          f"options the body reads, a tuple of {', '.join(SHAPE_OPTIONS)}, "
                          f"got {arch.options!r}")
    layers = (arch.min_layers, arch.default_layers)
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in layers) \
            or not 1 <= arch.min_layers <= arch.default_layers:
        raise ConfigError(f"register_architecture({name!r}): expected whole numbers "
                          f"1 <= min_layers <= default_layers, got min_layers="
                          f"{arch.min_layers!r}, default_layers={arch.default_layers!r}")
    ARCHITECTURES[name] = arch
    return arch
