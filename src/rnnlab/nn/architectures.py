"""The architectures by name (:data:`ARCHITECTURES`): how each recurrent body is built
from a :class:`~rnnlab.nn.registry.ModelSpec` (:data:`BODIES`); what each is, its layer
counts and the shape options it reads are its row of the torch-free
:data:`rnnlab.architecture_table.BUILT_INS`. :func:`rnnlab.nn.registry.build_model`
builds them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict, Tuple

from torch import nn

from ..architecture_table import BUILT_INS, SHAPE_OPTIONS
from ..rate_options import rates_of  # (the spec's, as every layer takes them)
from .deep import DTRNNCell
from .paths import layer_impl
from .recurrent import Recurrent
from .stacked import Stacked
from .torch_compat import GRU, LSTM, RNN
from ..io.errors import ConfigError, ConfigTypeError


@dataclass(frozen=True)
class Architecture:
    """One architecture by name; :func:`register_architecture` adds one of your own.

    ``build(spec, num_layers)`` returns the recurrent body: a module called as
    ``body(x (B, T, I), state, lengths) -> (outputs (B, T, F), final_state)``, batch-first,
    with an ``output_size`` (F), e.g. ``Stacked([Recurrent(cell, batch_first=True), ...])``;
    it reads ``spec.input_size``, ``spec.hidden_size``, ``spec.dropout``, ``spec.impl``,
    ``spec.input_dropout`` and ``spec.recurrent_dropout`` (passed to each layer: a build
    that leaves non-zero rates off a layer is refused) and the shape options it lists in
    ``options``."""

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
                   impl=layer_impl(spec.impl, fused), **rates_of(spec), **kw)
    return build


def _deep_body(shortcut: bool):
    def build(spec, layers: int) -> nn.Module:  # (spec: a registry.ModelSpec)
        cells, size = [], spec.input_size
        # at depth 1 the cell has no intermediate layer: a width is dot-rnn's deep output's
        width = spec.width if spec.depth > 1 else None
        for _ in range(layers):
            cell = DTRNNCell(size, spec.hidden_size, depth=spec.depth, width=width,
                             nonlinearity=spec.nonlinearity, shortcut=shortcut)
            cells.append(Recurrent(cell, batch_first=True, impl=layer_impl(spec.impl, False),
                                   **rates_of(spec)))
            size = cell.output_size
        return Stacked(cells, spec.dropout if layers > 1 else 0.0)  # (build_model warns)
    return build


# each built-in architecture's body; the rest of it (description, layers, options, ...) is
# its row of rnnlab.architecture_table.BUILT_INS, the table the command line reads too
BODIES: Dict[str, Callable[..., nn.Module]] = {
    "rnn": _torch_body(RNN), "drnn": _torch_body(RNN),
    "brnn": _torch_body(RNN, bidirectional=True),
    "gru": _torch_body(GRU), "gru-cho": _torch_body(GRU, reset_after=False),
    "bigru": _torch_body(GRU, bidirectional=True),
    "lstm": _torch_body(LSTM), "bilstm": _torch_body(LSTM, bidirectional=True),
    "dt-rnn": _deep_body(shortcut=False), "dts-rnn": _deep_body(shortcut=True),
    "dot-rnn": _deep_body(shortcut=False), "dots-rnn": _deep_body(shortcut=True),
    "stacked-dt-rnn": _deep_body(shortcut=False),
}
ARCHITECTURES: Dict[str, Architecture] = {
    row.name: Architecture(row.name, row.description, BODIES[row.name],
                           default_layers=row.default_layers, min_layers=row.min_layers,
                           bidirectional=row.bidirectional, options=row.options)
    for row in BUILT_INS}


BUILT_IN = tuple(ARCHITECTURES)  # rnnlab's own: never replaced (saved runs name them)
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
        parts = name.split(",") if isinstance(name, str) else []
        parts = [p.strip() for p in parts]
        if len(parts) > 1 and all(p in ARCHITECTURES for p in parts):
            raise ConfigError(  # ('gru,lstm' as one name: `rnnlab compare --models gru,lstm`)
                f"unknown model {name!r}: it names {len(parts)} models, joined by commas; "
                f"give each as its own name (rnnlab compare --models {' '.join(parts)}; "
                f"models={tuple(parts)!r}); a forecast trains one model") from None
        # (Darts' RNNModel(model="LSTM"), torch's class names: one letter case away)
        lower = name.lower().replace("_", "-") if isinstance(name, str) else None
        case = (f" (names are lower case: {lower!r})"
                if lower in ARCHITECTURES and lower != name else "")
        if not case and lower:  # ('lstn', 'dt_rnn2': a letter or two off)
            import difflib

            near = difflib.get_close_matches(lower, list(ARCHITECTURES), n=1, cutoff=0.75)
            case = f" (did you mean {near[0]!r}?)" if near else ""
        raise ConfigError(
            f"unknown model {name!r}{case}; known models: {', '.join(ARCHITECTURES)} "
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
