"""``Bidirectional(forward, backward)``: two layers over the sequence, outputs concatenated."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, Optional, Tuple, overload

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from .base import ShapeError
from .graph_capture import refuse_torchscript
from .compat_state import refuse_torch_layout
from .keras_names import RefusesKerasArguments, RefusesKerasCall
from .paths import path_of
from .packed_call import composed_call
from .recurrent import Recurrent
from .state_hints import state_or_hx
from .torch_names_hint import load_state_dict_hinting
from ..io.errors import ConfigError, ConfigTypeError


class Bidirectional(RefusesKerasArguments, RefusesKerasCall, nn.Module):
    r"""A forward and a backward layer over the same input (Schuster & Paliwal, 1997).

    .. math::  y_t = [\overrightarrow{h}_t ; \overleftarrow{h}_t]
               \quad\text{(merge\_mode="concat"; "sum", "mul", "ave": their sum, product, mean)}

    where the backward layer reads the sequence from its end (each sequence from its
    own last valid step when lengths are given). The output at t depends on the whole
    sequence, past and future: use it to encode or label sequences, never to forecast
    a step that is part of its own input.

    Args:
        forward_layer: a :class:`Recurrent` with ``reverse=False``.
        backward_layer: a :class:`Recurrent` with ``reverse=True`` (required: Keras'
            ``Bidirectional(layer)`` copies one; here each direction is built).
        merge_mode: how the two directions' outputs combine, as Keras' Bidirectional:
            ``"concat"`` (the default; torch.nn's bidirectional output), ``"sum"``,
            ``"mul"`` or ``"ave"`` (both directions of one width H: the output has H
            features). A ``Stacked`` of a layer not concatenating runs layer by layer.

    Keras' other arguments are refused naming what does the same here
    (:mod:`rnnlab.nn.keras_names`).

    Forward: ``x`` as for :class:`Recurrent`; ``state`` is ``(forward_state, backward_state)``.
    Returns ``(outputs (…, H_f + H_b), (forward_final, backward_final))`` (``(…, H)``
    merged otherwise); the final states are the directions' own, whatever the merge.
    """

    bidirectional = True
    _merge_mode = "concat"  # (the merge of layers pickled before merge_mode existed)

    @classmethod
    def _check_call(cls, args: tuple, kwargs: dict) -> None:
        """Keras' ``Bidirectional(layer)`` (which copies the layer) refused naming what to
        build, before ``__init__`` (its signature keeps backward_layer required): it was
        Python's "missing 1 required positional argument: 'backward_layer'"."""
        given = len(args) + ("forward_layer" in kwargs) + ("backward_layer" in kwargs)
        if given == 1:
            raise ConfigTypeError(
                "Bidirectional: expected two layers, forward_layer and backward_layer, got "
                "one; build each direction (they may differ): Bidirectional(Recurrent("
                "LSTMCell(I, H)), Recurrent(LSTMCell(I, H), reverse=True)), or LSTM(I, H, "
                "bidirectional=True)")

    def __init__(self, forward_layer: Recurrent, backward_layer: Recurrent,
                 merge_mode: str = "concat"):
        super().__init__()
        for name, layer in (("forward_layer", forward_layer), ("backward_layer", backward_layer)):
            if not isinstance(layer, Recurrent):
                raise ConfigTypeError(
                    f"Bidirectional: expected {name} as a Recurrent (a cell run over time), got "
                    f"{type(layer).__name__}; e.g. Bidirectional(Recurrent(GRUCell(I, H)), "
                    f"Recurrent(GRUCell(I, H), reverse=True)), or GRU(I, H, bidirectional=True)")
        if forward_layer.reverse or not backward_layer.reverse:
            raise ConfigError(
                "Bidirectional: expected forward_layer with reverse=False and backward_layer "
                f"with reverse=True, got reverse={forward_layer.reverse} and "
                f"reverse={backward_layer.reverse}"
            )
        if forward_layer.batch_first != backward_layer.batch_first:
            raise ConfigError("Bidirectional: both layers must use the same batch_first")
        if forward_layer.input_size != backward_layer.input_size:
            raise ConfigError(
                f"Bidirectional: both directions read the same input, but forward_layer's cell "
                f"takes {forward_layer.input_size} features and backward_layer's "
                f"{backward_layer.input_size}; build both cells with the same input_size")
        check_merge_mode(merge_mode, forward_layer.output_size, backward_layer.output_size)
        self.forward_layer = forward_layer
        self.backward_layer = backward_layer
        self.batch_first = forward_layer.batch_first
        self._merge_mode = merge_mode

    @property
    def merge_mode(self) -> str:
        """How the outputs combine (read-only: a ``Stacked`` plans its kernel call on it)."""
        return self._merge_mode

    @merge_mode.setter
    def merge_mode(self, mode: Any) -> None:
        """A ConfigError (it was Python's "property has no setter"): the layers after this
        one were built on its output_size, so another merge is another module."""
        if mode == self._merge_mode:
            return
        raise ConfigError(f"Bidirectional: merge_mode is set when the module is built "
                          f"({self._merge_mode!r}, got {mode!r}): the next layer's width is "
                          f"its output_size; build another on the same layers (their weights "
                          f"shared): Bidirectional(b.forward_layer, b.backward_layer, "
                          f"merge_mode={mode!r})")

    def extra_repr(self) -> str:
        return "" if self._merge_mode == "concat" else f"merge_mode={self._merge_mode!r}"

    @property
    def input_size(self) -> int:
        return self.forward_layer.input_size

    @property
    def output_size(self) -> int:
        if self._merge_mode != "concat":
            return self.forward_layer.output_size
        return self.forward_layer.output_size + self.backward_layer.output_size

    __prepare_scriptable__ = refuse_torchscript
    load_state_dict = load_state_dict_hinting  # (torch.nn's names: says how to load them)

    def path_for(self, x: Tensor, lengths: Optional[Tensor] = None) -> str:
        """The path(s) a call on ``x`` (with ``lengths``) runs, as :meth:`Recurrent.path_for`
        says for each direction ("+"-joined when they differ)."""
        return path_of(self, x, lengths)

    if TYPE_CHECKING:  # module(x) as forward (torch.nn.Module's __call__ is Any to a checker)
        @overload
        def __call__(self, x: Tensor, state: Any = None,
                     lengths: Optional[Tensor] = None,
                     *, hx: Any = None) -> Tuple[Tensor, Tuple[Any, Any]]: ...
        @overload
        def __call__(self, x: PackedSequence, state: Any = None,
                     lengths: None = None,
                     *, hx: Any = None) -> Tuple[PackedSequence, Tuple[Any, Any]]: ...
        def __call__(self, x: Any, state: Any = None, lengths: Any = None, *,
                     hx: Any = None) -> Any: ...

    @overload  # the state: (forward layer's, backward layer's)
    def forward(self, x: Tensor, state: Any = None,
                lengths: Optional[Tensor] = None,
                *, hx: Any = None) -> Tuple[Tensor, Tuple[Any, Any]]: ...
    @overload
    def forward(self, x: PackedSequence, state: Any = None,
                lengths: None = None,
                *, hx: Any = None) -> Tuple[PackedSequence, Tuple[Any, Any]]: ...
    def forward(self, x, state=None, lengths: Optional[Tensor] = None, *,
                hx: Any = None):
        """``(outputs (…, H_f + H_b), (forward_final, backward_final))``: see the class
        (Keras' call arguments: refused by the call, :class:`~.keras_names.RefusesKerasCall`)."""
        state = state_or_hx("Bidirectional", state, hx, x)  # (torch.nn's name for it too)
        done = composed_call(self, "Bidirectional", x, state, lengths)
        if done is not None:
            return done
        refuse_torch_layout("Bidirectional", state, 1, 2)
        if state is not None and (isinstance(state, Tensor) or len(state) != 2):
            raise ShapeError(
                "Bidirectional: expected state=(forward_state, backward_state), one state per "
                f"direction, got {_describe(state)}{_keras_flat(state)}; pass None to start "
                f"both from zeros.")
        fwd_state, bwd_state = (None, None) if state is None else state
        out_f, fin_f = self.forward_layer(x, fwd_state, lengths)
        out_b, fin_b = self.backward_layer(x, bwd_state, lengths)
        return _MERGES[self._merge_mode](out_f, out_b), (fin_f, fin_b)


_MERGES: Dict[str, Callable[[Tensor, Tensor], Tensor]] = {
    "concat": lambda f, b: torch.cat([f, b], dim=-1), "sum": torch.add, "mul": torch.mul,
    "ave": lambda f, b: (f + b) / 2}


# other names of the merges (numpy's, torch's, Keras' layers'), and their cases and spaces
_CLOSE = {"average": "ave", "avg": "ave", "mean": "ave", "add": "sum", "multiply": "mul",
          "prod": "mul", "product": "mul", "cat": "concat", "concatenate": "concat"}


def check_merge_mode(mode: Any, size_f: int, size_b: int) -> None:
    """A merge of ``_MERGES`` that fits the two directions' widths, else a ConfigError."""
    if not isinstance(mode, str) or mode not in _MERGES:
        close = _CLOSE.get(str(mode).strip().lower(), str(mode).strip().lower())
        fix = ("; Keras' None (the two outputs apart) is out.split([H_f, H_b], -1) of "
               "'concat'" if mode is None else f"; did you mean {close!r}?"
               if close in _MERGES else "")
        raise ConfigError(f"Bidirectional: merge_mode must be one of 'concat', 'sum', 'mul', "
                          f"'ave', got {mode!r}{fix}")
    if mode != "concat" and size_f != size_b:
        what = {"sum": "adds", "mul": "multiplies", "ave": "averages"}[mode]
        raise ConfigError(f"Bidirectional: merge_mode={mode!r} {what} the two directions' "
                          f"outputs, which have {size_f} and {size_b} features; build both "
                          f"cells with one hidden_size, or merge_mode='concat'")


def refuse_merged_directions(name: str, body: nn.Module) -> None:
    """A registered bidirectional architecture's body concatenates its directions:
    :func:`final_outputs` (the forecasting heads) reads the two halves of each output,
    which a sum, product or mean would give silently mixed. ConfigError otherwise."""
    merged = [m.merge_mode for m in body.modules()
              if isinstance(m, Bidirectional) and m.merge_mode != "concat"]
    if merged:
        raise ConfigError(
            f"architecture {name!r} is registered as bidirectional, and its build made a "
            f"Bidirectional with merge_mode={merged[0]!r}: its users read the forward "
            f"direction's last step beside the backward direction's first, two halves of a "
            f"concatenated output; build it with merge_mode='concat'")


def _keras_flat(state) -> str:
    """For Keras' flat ``initial_state`` of a Bidirectional LSTM, ``[h_f, c_f, h_b, c_b]``
    (the forward layer's states, then the backward's): how to pair it here."""
    if isinstance(state, (list, tuple)) and len(state) == 4 and \
            all(isinstance(t, Tensor) for t in state):
        return ("; Keras' flat [h_f, c_f, h_b, c_b] (an LSTM's states, forward then "
                "backward) is ((h_f, c_f), (h_b, c_b)) here: "
                "((state[0], state[1]), (state[2], state[3]))")
    return ""


def _describe(state) -> str:
    if isinstance(state, Tensor):
        return f"one tensor of shape {tuple(state.shape)}"
    return f"a {type(state).__name__} of {len(state)}"


def final_outputs(out: Tensor, bidirectional: bool) -> Tensor:
    """Each sequence's summary in a batch-first output ``out`` (B, T, F): its last step;
    for a bidirectional body (the two directions' outputs concatenated) the forward
    direction's last step beside the backward direction's first, where each has read the
    whole sequence (torch.nn's ``h_n`` of the two directions). Returns (B, F)."""
    if not bidirectional:
        return out[:, -1]  # (B, F)
    f = out.shape[-1] // 2
    return torch.cat([out[:, -1, :f], out[:, 0, f:]], dim=-1)  # (B, F)
