"""``Stacked(layers, dropout)``: layer l reads layer l-1's output sequence."""

from __future__ import annotations

import contextlib
import inspect
import warnings
from typing import TYPE_CHECKING, Any, List, Optional, Sequence, Tuple, cast, overload

from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from .base import CellBase, ShapeError
from .graph_capture import refuse_torchscript
from .compat_state import refuse_torch_layout
from .paths import path_of
from .fast.fused_stack import run_fused_stack
from .keras_names import RefusesKerasArguments, RefusesKerasCall
from .packed_call import composed_call
from .sequence import drop_valid_steps, refuse_meta_lengths
from .stack_plan import stack_cells
from .state_hints import state_or_hx
from .torch_names_hint import load_state_dict_hinting
from ..io.errors import ConfigError, ConfigTypeError


class Stacked(RefusesKerasArguments, RefusesKerasCall, nn.Module):
    r"""A stacked (deep) RNN, the sRNN of Pascanu et al. (2014), section 3.3.

    .. math::  h^{(l)}_t = f^{(l)}(h^{(l-1)}_t, h^{(l)}_{t-1}), \quad h^{(0)}_t = x_t

    Each layer is any recurrent layer (:class:`Recurrent`, :class:`Bidirectional`);
    dropout is applied to the output of every layer but the last, drawn as torch.nn.LSTM's
    CPU kernel draws it (:func:`~.sequence.drop_valid_steps`: the same masks for one seed).
    A stack of standard cells (``Recurrent`` of ``RNNCell``/``GRUCell``/``LSTMCell``,
    plain or ``Bidirectional``) runs as one call of torch's multi-layer kernel, as
    ``torch.nn.LSTM(num_layers=L)`` does (:func:`~.stack_plan.stack_cells`).

    Forward: ``state`` is a sequence with one state per layer (or None): a list, or for
    one-tensor states a (layers, B, H) tensor; an LSTM layer's is its pair (h, c), so a
    stack of them takes ``[(h_0[k], c_0[k]) for k in range(L)]``. Returns ``(top layer's
    outputs, [final state of each layer])``.
    """

    def __init__(self, layers: Sequence[nn.Module], dropout: float = 0.0):
        super().__init__()
        if len(layers) == 0:
            raise ConfigError("Stacked: expected at least one layer, got none")
        for k, layer in enumerate(layers):
            if not isinstance(layer, nn.RNNBase):
                _check_layer(k, layer)
            if isinstance(layer, nn.RNNBase):  # forward(x, hx): no lengths, its own layers
                raise ConfigTypeError(
                    f"Stacked: layer {k} is a {type(layer).__name__} module, which runs its own "
                    f"layers (num_layers=...) and takes no lengths; stack Recurrent or "
                    f"Bidirectional layers (e.g. Recurrent({type(layer).__name__}Cell(I, H))), "
                    f"or use {type(layer).__name__}(I, H, num_layers={len(layers)})")
        if not 0.0 <= dropout <= 1.0:  # torch.nn.RNN accepts 1.0 too
            raise ConfigError(f"Stacked: dropout must be in [0, 1], got {dropout}")
        warn_unused_dropout("Stacked", len(layers), dropout)
        firsts = [bool(getattr(layer, "batch_first", False)) for layer in layers]
        if len(set(firsts)) > 1:
            raise ConfigError(
                f"Stacked: every layer must use the same batch_first, got {firsts}; a layer "
                f"reads its input in the layout the previous one wrote. Build them all with "
                f"batch_first={firsts[0]} (or all with the other value).")
        _check_sizes(layers)
        self.layers = nn.ModuleList(layers)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else None
        self.batch_first = firsts[0]

    @property
    def output_size(self) -> int:
        return cast(int, self.layers[-1].output_size)  # (Tensor | Module to a checker)

    __prepare_scriptable__ = refuse_torchscript
    load_state_dict = load_state_dict_hinting  # (torch.nn's names: says how to load them)

    def __getstate__(self):
        """The module's state without the cached :class:`_StackPlan` (rebuilt on the next
        call): pickled, it would name a class ``torch.load(weights_only=True)`` refuses,
        and a deep copy would carry the plan of the layers it was copied from."""
        state = dict(self.__dict__)
        state.pop("_stack_plan", None)
        return state

    def path_for(self, x: Tensor, lengths: Optional[Tensor] = None) -> str:
        """The path(s) a call on ``x`` (with ``lengths``) runs, as :meth:`Recurrent.path_for`
        says for each layer ("+"-joined when they differ)."""
        return path_of(self, x, lengths)

    if TYPE_CHECKING:  # module(x) as forward (torch.nn.Module's __call__ is Any to a checker)
        @overload
        def __call__(self, x: Tensor, state: Optional[Sequence[Any]] = None,
                     lengths: Optional[Tensor] = None,
                     *, hx: Any = None) -> Tuple[Tensor, List[Any]]: ...
        @overload
        def __call__(self, x: PackedSequence, state: Optional[Sequence[Any]] = None,
                     lengths: None = None,
                     *, hx: Any = None) -> Tuple[PackedSequence, List[Any]]: ...
        def __call__(self, x: Any, state: Any = None, lengths: Any = None, *,
                     hx: Any = None) -> Any: ...

    @overload  # the state: one per layer
    def forward(self, x: Tensor, state: Optional[Sequence[Any]] = None,
                lengths: Optional[Tensor] = None,
                *, hx: Any = None) -> Tuple[Tensor, List[Any]]: ...
    @overload
    def forward(self, x: PackedSequence, state: Optional[Sequence[Any]] = None,
                lengths: None = None, *, hx: Any = None) -> Tuple[PackedSequence, List[Any]]: ...
    def forward(self, x, state: Optional[Sequence] = None, lengths: Optional[Tensor] = None, *,
                hx: Any = None):
        """``(top layer's outputs, [final state of each layer])``: see the class (Keras'
        call arguments: refused by the call, :class:`~.keras_names.RefusesKerasCall`)."""
        state = state_or_hx("Stacked", state, hx, x)  # (torch.nn's name for it too)
        done = composed_call(self, "Stacked", x, state, lengths)
        if done is not None:
            return done
        refuse_torch_layout("Stacked", state, len(self.layers),
                            2 if getattr(self.layers[0], "bidirectional", False) else 1)
        if isinstance(state, Tensor) and state.dim() == 3 and _pair_state(self.layers[0]):
            raise ShapeError(
                f"Stacked: expected one state per layer, an LSTM's pair (h, c) each; got one "
                f"tensor of shape {tuple(state.shape)}: pass [(h_0[k], c_0[k]) for k in "
                f"range({len(self.layers)})] (c_0 = torch.zeros_like(h_0) for cell states of "
                f"zeros), or None")
        if isinstance(state, Tensor) and state.dim() == 2:
            raise ShapeError(
                f"Stacked: expected one state per layer ({len(self.layers)}), a list, or a "
                f"tensor of shape (layers, B, H); got one tensor of shape {tuple(state.shape)}: "
                f"for a single layer pass [state]")
        refuse_meta_lengths("Stacked", lengths)  # (read by the plan before any layer)
        cells = stack_cells(self, x, lengths)
        if cells is not None:  # standard cells throughout: torch's multi-layer kernel, one call
            return run_fused_stack(self, cells, x, state, lengths)
        if state is not None and len(state) != len(self.layers):
            raise ShapeError(
                f"Stacked: expected one state per layer ({len(self.layers)}), got {len(state)}"
            )
        finals = []
        for i, layer in enumerate(self.layers):
            x, fin = layer(x, None if state is None else state[i], lengths)
            finals.append(fin)
            if self.dropout is not None and i < len(self.layers) - 1:
                x = drop_valid_steps(self.dropout, x, lengths, self.batch_first)
        return x, finals


def _check_layer(k: int, layer) -> None:
    """A layer is called ``layer(x, state, lengths)``: a cell (one step), a DeepOutput or a
    Linear is refused saying where it goes (the call failed with "forward() takes 2
    positional arguments but 4 were given")."""
    if isinstance(layer, CellBase):
        fix = f"wrap the cell: Recurrent({type(layer).__name__}(...)) runs it over time"
    elif not isinstance(layer, nn.Module):
        fix = "pass torch modules (Recurrent, Bidirectional)"
    else:
        try:
            inspect.signature(layer.forward).bind(None, None, None)
            return
        except (TypeError, ValueError):
            fix = ("a per-step layer (DeepOutput, Linear) goes after the stack, on its output "
                   "(as build_model('dot-rnn') does)")
    raise ConfigTypeError(f"Stacked: layer {k} is a {type(layer).__name__}, but a stacked layer is "
                          f"called as layer(x, state, lengths) (Recurrent, Bidirectional); {fix}")


def _check_sizes(layers: Sequence[nn.Module]) -> None:
    """Layer k reads what layer k-1 writes: its cell's input_size must be the layer below's
    output_size (a bidirectional layer writes both directions' features). Checked where both
    are known, at construction: the call failed with the inner cell's message, naming no
    layer."""
    for k in range(1, len(layers)):
        below = getattr(layers[k - 1], "output_size", None)
        reads = getattr(layers[k], "input_size", None)
        if isinstance(below, int) and isinstance(reads, int) and below != reads:
            two = " (both directions)" if getattr(layers[k - 1], "bidirectional", False) else ""
            raise ConfigError(
                f"Stacked: layer {k} reads {reads} features, but layer {k - 1} outputs "
                f"{below}{two}; build layer {k}'s cell(s) with input_size={below}")


def warn_unused_dropout(who: str, num_layers: int, dropout: float, stacklevel: int = 2) -> None:
    """torch.nn.RNN's warning for a stack of one layer with dropout, which never acts (it
    is applied between stacked layers), naming the dropouts that act inside a layer (a
    Keras user's ``dropout=`` is one of them); ``stacklevel`` 2 names the caller's caller."""
    if num_layers == 1 and dropout > 0:
        warnings.warn(f"{who}: dropout adds dropout after all but the last recurrent layer, "
                      f"so non-zero dropout expects num_layers greater than 1, but got "
                      f"dropout={dropout} and num_layers=1: it does nothing here; give "
                      f"num_layers >= 2 for it to act, or dropout=0 (Keras' dropout, a "
                      f"mask on each layer's input x_t, is input_dropout=p here, and its "
                      f"recurrent_dropout recurrent_dropout=p: both act in one layer too)",
                      UserWarning, stacklevel=stacklevel + 1)


@contextlib.contextmanager
def torchs_dropout_warning_left_out():
    """torch.nn.RNNBase's own one-layer dropout warning silenced for a drop-in's
    construction, which gives :func:`warn_unused_dropout`'s (the same words, and where a
    dropout that acts in one layer goes) instead."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="dropout option adds dropout after all but "
                                "last recurrent layer", category=UserWarning)
        yield


def _pair_state(layer: nn.Module) -> bool:
    """True when ``layer`` (a Recurrent, or a Bidirectional of them) keeps an (h, c) state."""
    cell = getattr(layer, "cell", None) or getattr(getattr(layer, "forward_layer", None),
                                                   "cell", None)
    return getattr(cell, "num_state_tensors", 1) == 2
