"""Architectures by name: one registry used by every task, benchmark and comparison.

``build_model("lstm", input_size=1, hidden_size=64, num_layers=2)`` returns a
:class:`SequenceModel`: batch-first in and out, ``forward(x, state=None, lengths=None)
-> (outputs (B, T, F), final_state)``. The state is opaque to callers: pass it back
in to continue a sequence, detach it with :func:`detach_state`. What it holds: for
rnn, drnn, brnn, gru, gru-cho, bigru, lstm, bilstm torch's layout, one (L*D, B, H)
tensor (an (h, c) pair of them for the LSTMs); for the deep-transition family (dt-rnn,
dts-rnn, dot-rnn, dots-rnn, stacked-dt-rnn) a list of one (B, H) tensor per stacked layer.
The architectures (:data:`ARCHITECTURES`, how each body is built): :mod:`.architectures`;
one of your own is added by :func:`rnnlab.nn.register_architecture` (README.md, "Writing
your own cell").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Tuple, TypeVar, cast

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from ..architecture_table import DEEP, VANILLA  # noqa: F401  (re-exported)
from ..architecture_table import SHAPE_OPTIONS
from ..number_kinds import is_real
from .architectures import (ARCHITECTURES as ARCHITECTURES, Architecture as Architecture,
                            get_architecture as get_architecture)  # (X as X: re-exported)
from .graph_capture import fx_leaf_call
from .bidirectional import refuse_merged_directions
from .build_options import out_width, spec_options
from .compat_paths import _Compat
from .deep_output import DeepOutput
from .packed_call import refuse_lengths_with_packed
from .sequence import check_lengths, lengths_need_loop, refuse_lengths_as_state
from .stacked import warn_unused_dropout
from .state_hints import state_or_hx
from .errors import ShapeError
from .spec_rates import check_rates, refuse_unread_rates
from ..io.errors import ConfigError, ConfigTypeError


# the architectures whose transition has shortcuts: (the paper's name, the one without)
SHORTCUT = {"dts-rnn": ("DT(S)-RNN", "dt-rnn"), "dots-rnn": ("DOT(S)-RNN", "dot-rnn")}


@dataclass(frozen=True)
class ModelSpec:
    """Everything that defines an architecture's shape; saved next to its weights as JSON."""

    name: str  # a key of ARCHITECTURES
    input_size: int  # features per time step
    hidden_size: int  # units per recurrent layer (per direction)
    num_layers: Optional[int] = None  # stacked layers; None = the architecture's default
    dropout: float = 0.0  # between stacked layers
    nonlinearity: str = "tanh"  # vanilla and deep-transition cells: tanh or relu
    depth: int = 2  # deep-transition architectures: layers in the transition MLP
    width: Optional[int] = None  # deep-transition intermediate width (None = hidden_size)
    out_depth: int = 1  # dot-rnn, dots-rnn: hidden layers of the deep output MLP
    # dot-rnn, dots-rnn: units of each of the deep output's layers (None: width, the
    # transition's, as before this option; width None too: hidden_size)
    out_width: Optional[int] = None
    # auto | reference everywhere; fused: torch's kernel (standard cells); fast | triton |
    # triton-split: how rnnlab's own loop runs (gru-cho and the deep-transition family);
    # one meaning for every layer: rnnlab.nn.paths.layer_impl (set_impl uses it too)
    impl: str = "auto"
    # variational dropout inside each layer, in training (rnnlab.nn.variational): the
    # fraction of x_t's features (Keras' cell dropout) and of h_{t-1}'s (Keras'
    # recurrent_dropout) dropped, one mask per sequence; recurrent_dropout trains on the
    # step loop (path "reference": no kernel takes the mask)
    input_dropout: float = 0.0
    recurrent_dropout: float = 0.0


class SequenceModel(nn.Module):
    """A recurrent body (+ an optional deep output), batch-first, one forward contract.

    ``outputs`` has ``output_size`` features; tasks put their own head on top. With
    ``lengths``, every architecture's outputs past a sequence's end are zero.
    """

    def __init__(self, spec: ModelSpec, body: nn.Module, bidirectional: bool,
                 deep_output: Optional[nn.Module] = None):
        super().__init__()
        self.spec = spec
        self.body = body
        self.bidirectional = bidirectional
        self.deep_output = deep_output

    @property
    def output_size(self) -> int:
        # (ints: torch.nn.Module's attributes are only Tensor | Module to a checker)
        if self.deep_output is not None:
            return cast(int, self.deep_output.output_size)
        if takes_hx(self.body):
            return cast(int, self.body.hidden_size) * (2 if self.body.bidirectional else 1)
        return cast(int, self.body.output_size)

    if TYPE_CHECKING:  # module(x) as forward (torch.nn.Module's __call__ is Any to a checker)
        def __call__(self, x: Tensor, state: Any = None, lengths: Optional[Tensor] = None, *,
                     hx: Any = None) -> Tuple[Tensor, Any]: ...

    def forward(self, x: Tensor, state: Any = None, lengths: Optional[Tensor] = None, *,
                hx: Any = None) -> Tuple[Tensor, Any]:
        state = state_or_hx(type(self).__name__, state, hx, x)  # (torch.nn's name for it too)
        leaf = fx_leaf_call(self, x, state, lengths)  # (torch.fx: one node, as torch.nn's RNNs)
        if leaf is not None:
            return leaf
        refuse_lengths_as_state(type(self).__name__, state)
        out, state = run_layers(self.body, x, state, lengths)
        if self.deep_output is not None:
            out = self.deep_output(out)
            if lengths is not None and isinstance(out, Tensor):
                # past a sequence's end the outputs are zero, as every other model's (the
                # deep output's layers made them phi(bias) there)
                steps = torch.arange(out.shape[1], device=out.device)
                keep = steps < torch.as_tensor(lengths).to(out.device).unsqueeze(1)  # (B, T)
                out = out * keep.unsqueeze(-1).to(out.dtype)
        return out, state


def takes_hx(body: nn.Module) -> bool:
    """A torch.nn RNN (rnnlab's drop-ins included) or torch's dynamically quantized one
    (:func:`rnnlab.nn.quantize_dynamic`; not an ``nn.RNNBase``, its float class named by
    ``_FLOAT_MODULE``): ``forward(input, hx)``, lengths given through a PackedSequence."""
    float_class = getattr(type(body), "_FLOAT_MODULE", None)
    return isinstance(body, nn.RNNBase) or (isinstance(float_class, type)
                                            and issubclass(float_class, nn.RNNBase))


def run_layers(body: nn.Module, x: Tensor, state=None, lengths: Optional[Tensor] = None):
    """(outputs (B, T, F), final state) of a batch-first recurrent body on ``x``, each
    sequence ``lengths[b]`` long when given: a ``torch.nn`` RNN (rnnlab's subclasses
    included) through a PackedSequence, as it takes lengths; rnnlab's own layers with
    ``lengths=``."""
    if not takes_hx(body):
        return body(x, state, lengths)
    if lengths is None:
        return body(x, state)
    if isinstance(x, PackedSequence):  # (torch's packing of it failed: no attribute 'dim')
        refuse_lengths_with_packed(type(body).__name__, lengths)
    if x.dim() != 3:
        raise ShapeError(f"{type(body).__name__}: lengths are one per sequence of a batch: "
                         f"expected input of shape (B, T, {body.input_size}), got "
                         f"{tuple(x.shape)}")
    # checked as rnnlab's own layers check them (torch's packing fails with an IndexError
    # or a reshape error on a length past T or a count other than B)
    lengths = check_lengths(body, lengths, x.shape[0], x.shape[1])
    if x.shape[0] == 0:  # no sequences: nothing to mask (torch cannot pack empty tensors)
        return body(x, state)
    if isinstance(body, _Compat) and (  # (rnnlab's drop-ins: their loop, masked)
            lengths_need_loop(lengths)
            or (torch.jit.is_tracing() and body.path != "fused")):
        # vmap cannot pack (per-sample lengths: "stack expects each tensor to be equal
        # size"), nor forward AD (no jvp), nor torch.export, and the loop serves them all:
        # the loop, masked (traced, the loop on a packed batch recorded the traced batch's
        # longest length as T: padded to the traced length, shorter ones failed)
        body._validate(x, state)
        return body._reference_forward(x, state, lengths)
    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    out, state = body(packed, state)
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
    return out, state


_State = TypeVar("_State")


def detach_state(state: _State) -> _State:
    """Cut the graph behind a carried state (truncated BPTT); works on any nesting.

    A state carried from batch to batch (Keras' ``stateful=True``: ``out, state =
    layer(x2, state)``) keeps the graph of every batch before it; detaching it between
    batches ends backpropagation there, as Keras' stateful layers do. Returns the same
    structure (tensor, tuple, list, None)."""
    return cast(_State, _detached(state))  # (the same structure: typed as given)


def _detached(state: Any) -> Any:
    """:func:`detach_state`'s work, of any nesting (its type: the one given)."""
    if state is None:
        return None
    if isinstance(state, Tensor):
        return state.detach()
    return type(state)(_detached(s) for s in state) if isinstance(state, tuple) \
        else [_detached(s) for s in state]


def build_model(spec: ModelSpec | str, **kwargs: Any) -> SequenceModel:
    """Build an architecture: ``build_model("gru", input_size=1, hidden_size=32)``.

    Warns (UserWarning, as ``torch.nn.LSTM`` does) when ``dropout`` is set on a model of
    one layer: it acts between stacked layers only."""
    if isinstance(spec, str):
        get_architecture(spec)  # an unknown name first, with the known ones
        spec = ModelSpec(name=spec, **spec_options(spec, kwargs, ModelSpec))
    elif not isinstance(spec, ModelSpec):  # (a dict failed: "has no attribute 'name'")
        raise ConfigTypeError(f"build_model: expected a ModelSpec or an architecture's name "
                              f"(build_model('dt-rnn', input_size=1, hidden_size=32)), got "
                              f"{type(spec).__name__}; a dict of its fields goes in as "
                              f"build_model(ModelSpec(**fields))")
    elif kwargs:
        raise ConfigTypeError("build_model: pass either a ModelSpec or a name with keyword arguments")
    # build_model("lstm", depth=3), or a ModelSpec saying it, would silently ignore depth
    check_read(spec)
    return _build(spec, warn=True)


MAX_COUNT = 1000  # num_layers, depth, out_depth at most (1000 layers: 2 s to build on meta)


def _build(spec: ModelSpec, warn: bool) -> SequenceModel:
    """The model of a spec, checked; ``warn``: for build_model's caller (not check_spec's)."""
    arch = get_architecture(spec.name)
    layers = arch.default_layers if spec.num_layers is None else spec.num_layers
    if not isinstance(layers, int) or isinstance(layers, bool):
        raise ConfigError(f"model {spec.name!r}: num_layers must be a whole number (stacked "
                          f"layers) or None for the architecture's default, got {layers!r}")
    if layers < arch.min_layers:
        raise ConfigError(
            f"model {spec.name!r} needs num_layers >= {arch.min_layers}, got {layers}"
        )
    over = [f"{k}={getattr(spec, k)}" for k in ("num_layers", "depth", "out_depth")
            if type(getattr(spec, k, None)) is int and getattr(spec, k) > MAX_COUNT]
    if over:  # (a typo such as --num-layers 1000000000 built layer after layer for ever)
        raise ConfigError(f"{spec.name}: {', '.join(over)}: more than the {MAX_COUNT} layers "
                          f"a model may stack (each is built, even to check a config); "
                          f"choose a smaller number")
    if not (is_real(spec.dropout) and 0 <= spec.dropout <= 1):  # (one layer too: its body gets 0)
        raise ConfigError(f"model {spec.name!r}: dropout must be a number in [0, 1] (the "
                          f"probability of zeroing an output between stacked layers), got "
                          f"{spec.dropout!r}")
    if spec.name in SHORTCUT and spec.depth == 1:  # (the cell's message names shortcut=)
        paper, plain = SHORTCUT[spec.name]
        raise ConfigError(
            f"model {spec.name!r} ({paper}) needs depth >= 2, got depth=1: its shortcut skips "
            f"the transition's intermediate layers, and with one layer there are none; give "
            f"depth 2 or more (--depth), or use {plain!r} for a one-layer transition")
    check_rates(spec)
    body = arch.build(spec, layers)
    refuse_unread_rates(spec, body)
    if arch.bidirectional:
        refuse_merged_directions(spec.name, body)
    if warn:  # (stacklevel: build_model's caller)
        warn_unused_dropout(f"build_model({spec.name!r})", layers, spec.dropout, stacklevel=3)
    deep_output = None
    if "out_depth" in arch.options:  # dot-rnn, dots-rnn
        deep_output = DeepOutput(spec.hidden_size, depth=spec.out_depth,
                                 width=out_width(spec), nonlinearity=spec.nonlinearity)
    return SequenceModel(spec, body, arch.bidirectional, deep_output)


def check_spec(spec: ModelSpec) -> None:
    """Every option of ``spec`` checked as :func:`build_model` checks it (the model is
    built on the meta device: no memory, no initialisation), and none set that the
    architecture does not read (``depth=3`` for an LSTM would be recorded and ignored);
    raises ValueError."""
    check_read(spec)
    try:
        with torch.device("meta"):
            _build(spec, warn=False)  # (build_model warns when the model is built)
    except RuntimeError as e:  # (sizes whose product overflows: hidden_size=10**12)
        raise ConfigError(f"{spec.name}: hidden_size={spec.hidden_size} (input_size="
                          f"{spec.input_size}) makes tensors too large to exist ({str(e)[:100]}); "
                          f"choose smaller sizes") from None


def check_read(spec: ModelSpec) -> None:
    """Refuse a shape option (``depth``, ``width``, ``nonlinearity``, ``out_depth``,
    ``out_width``) set
    away from its default on an architecture that does not read it; raises ValueError."""
    arch = get_architecture(spec.name)
    default = ModelSpec(name=spec.name, input_size=1, hidden_size=1)
    unread = [k for k in SHAPE_OPTIONS
              if getattr(spec, k) != getattr(default, k) and k not in arch.options]
    if unread:
        users = [a.name for a in ARCHITECTURES.values() if unread[0] in a.options]
        raise ConfigError(f"model {spec.name!r} has no {', '.join(unread)} (set "
                          f"{', '.join(f'{k}={getattr(spec, k)!r}' for k in unread)}); "
                          f"{unread[0]} shapes {', '.join(users)}: leave it out for "
                          f"{spec.name!r}")
    if spec.width is not None and spec.depth == 1 and "out_depth" not in arch.options:
        raise ConfigError(f"model {spec.name!r} at depth=1 has no intermediate layer for "
                          f"width={spec.width!r} to shape (h_t comes straight from h_(t-1) and "
                          f"x_t); leave width out at depth 1, or give depth >= 2")
    if spec.width is not None and spec.depth == 1 and spec.out_width is not None:
        raise ConfigError(f"model {spec.name!r} at depth=1 with out_width={spec.out_width!r} "
                          f"has no layer for width={spec.width!r} to shape (the transition "
                          f"has no intermediate layer, and out_width sizes the deep output); "
                          f"leave width out, or give depth >= 2")


def count_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters() if p.requires_grad)
