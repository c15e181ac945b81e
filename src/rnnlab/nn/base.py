"""The one base class every recurrent cell derives from.

A cell computes one time step. It owns torch-named parameters
(``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``) whose rows are the
gates stacked in torch's order, initialised like torch: U(-1/sqrt(H), 1/sqrt(H)).

The step is split in two so that layers can hoist work out of the time loop:

* :meth:`project_input` maps inputs to the gates' input part, ``x W_ih^T + b_ih``;
  it works on any leading shape, so ``Recurrent`` calls it once on the whole
  sequence ``(T, B, I)`` instead of once per step.
* :meth:`recur` takes that projection for one step and the previous state and
  returns the output and the new state. This is the cell's equation.

``forward(input, hx)`` is ``recur(project_input(input), hx)``: one step, as a
``torch.nn.*Cell`` does it.
"""

from __future__ import annotations

import math
from typing import Any, Dict, Optional, Tuple, Union

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from .autocast_on import autocast_on
from .errors import MismatchError, ShapeError
from .graph_capture import fx_leaf_call, refuse_torchscript  # noqa: F401  (imported from here)
from .state_hints import state_shape_fix, structure_fix
from .stored_weight import stored_weight
from ..io.errors import ConfigError, ConfigTypeError

State = Union[Tensor, Tuple[Tensor, ...]]
DeviceLike = Union[torch.device, str, int, None]  # torch.nn's device= argument


class CellBase(nn.Module):
    """Parameters, initialisation, shapes and state handling shared by all cells.

    Args:
        input_size: features of x_t (I).
        hidden_size: features of h_t (H).
        bias: create ``bias_ih`` and ``bias_hh``.
        num_chunks: gates stacked in the weight rows (1 RNN, 3 GRU, 4 LSTM).
        device, dtype: where and of what type the parameters are made, as in torch.nn.
        first_layer_size: rows of ``weight_ih``, ``weight_hh``, ``bias_ih`` and ``bias_hh``
            when they feed something other than the stacked gates, e.g. the first layer of
            a deep transition (:class:`~rnnlab.nn.deep.DTRNNCell`); None (the default)
            means ``num_chunks * hidden_size``.

    Subclasses set ``num_state_tensors`` (2: the state is (h, c); or override
    :meth:`state_sizes`) and implement :meth:`recur` (README.md, "Writing your own cell").
    This ``__init__`` draws the four parameters above; those a subclass adds are its own
    to initialise (an overridden :meth:`reset_parameters`: called at its ``__init__``'s end).
    """

    num_state_tensors: int = 1  # 1: state is h; 2: state is (h, c)
    weight_ih: Tensor  # (a Parameter; Tensor as torch.nn.RNNCellBase declares it)
    weight_hh: Tensor
    bias_ih: Optional[Tensor]  # None: bias=False
    bias_hh: Optional[Tensor]

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, num_chunks: int = 1,
                 first_layer_size: Optional[int] = None, *, device: DeviceLike = None,
                 dtype: Optional[torch.dtype] = None) -> None:
        nn.Module.__init__(self)  # (not torch's cell's __init__, a base of the standard cells)
        sizes = [("input_size", input_size), ("hidden_size", hidden_size)]
        if first_layer_size is not None:
            sizes.append(("first_layer_size", first_layer_size))
        for name, value in sizes:
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ConfigError(
                    f"{type(self).__name__}: {name} must be a positive integer, got {value!r}"
                )
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.num_chunks = num_chunks
        g = num_chunks * hidden_size if first_layer_size is None else first_layer_size
        new: Dict[str, Any] = dict(device=device, dtype=dtype)  # torch's factory arguments
        self.weight_ih = nn.Parameter(torch.empty(g, input_size, **new))  # (G*H, I)
        self.weight_hh = nn.Parameter(torch.empty(g, hidden_size, **new))  # (G*H, H)
        if bias:
            self.bias_ih = nn.Parameter(torch.empty(g, **new))
            self.bias_hh = nn.Parameter(torch.empty(g, **new))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        CellBase.reset_parameters(self)  # (an override reads parameters not made yet)

    @property
    def output_size(self) -> int:
        """Features of the output at each step (what the next layer receives)."""
        return self.hidden_size

    def reset_parameters(self) -> None:
        """torch's initialisation: every parameter ~ U(-1/sqrt(H), 1/sqrt(H))."""
        k = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            nn.init.uniform_(p, -k, k)

    # -- the step -------------------------------------------------------------
    def project_input(self, x: Tensor) -> Tensor:
        """x W_ih^T + b_ih for any leading shape: (..., I) -> (..., G*H)."""
        return nn.functional.linear(x, self.weight_ih, self.bias_ih)

    def recur(self, xp: Tensor, state: Any, /) -> Tuple[Tensor, Any]:
        """One step from the projected input xp (B, G*H); returns (output (B, H), new state).
        ``Any``: each cell annotates its own state (h: Tensor) as a compatible override,
        under a name of its own (positional: ``recur(self, xp, h)`` overrides it)."""
        raise NotImplementedError(f"{type(self).__name__} has no recur(xp, state) -> (output, "
                                  f"new state): a cell writes its equation there")

    def recur_dropped(self, xp: Tensor, state: Any, mask: Tensor, /) -> Tuple[Tensor, Any]:
        """:meth:`recur` with h_{t-1} multiplied by ``mask`` (B, H_out) where it enters the
        recurrent weights (``recurrent_dropout``: :mod:`rnnlab.nn.variational`). Here: the
        step from a state whose h (the tensor, or a tuple's first) is masked, right for a
        cell whose h enters only its recurrent product (``RNNCell``, ``LSTMCell``: c is
        not masked); a cell whose h enters elsewhere too (``GRUCell``'s blend) overrides it."""
        if isinstance(state, tuple):
            return self.recur(xp, (state[0] * mask,) + state[1:])
        return self.recur(xp, state * mask)

    def forward(self, input: Tensor, hx: Any = None, *, state: Any = None) -> State:
        """One step like ``torch.nn.*Cell``, with its argument names (``cell(x, hx=h)``):
        ``input`` (B, I) or (I,), ``hx`` the state (None: zeros; ``state=`` is the same
        argument by rnnlab's name); returns the new state.
        ``Any`` for the state, as in :meth:`recur`: each cell narrows it to its own state
        (a Tensor h, an LSTM's (h, c)) as a compatible override of its step's types."""
        leaf = fx_leaf_call(self, input, hx if state is None else state)
        if leaf is not None:
            return leaf
        if state is not None:
            if hx is not None:
                raise ConfigTypeError(f"{type(self).__name__}: got the state twice, as hx and as "
                                      f"state; pass one of them")
            hx = state
        x, state = input, hx
        check_input_type(type(self).__name__, x, packed=False)
        batched = x.dim() == 2
        if x.dim() not in (1, 2):
            raise ShapeError(
                f"{type(self).__name__}: expected input of shape (B, {self.input_size}) or "
                f"({self.input_size},), got {tuple(x.shape)}"
                + ("; a cell computes one step: run a sequence (T, B, I) with Recurrent(cell) "
                   "(batch_first=True for (B, T, I)), or step it, cell(x[t], state)"
                   if x.dim() == 3 else ""))
        if not batched:
            x = x.unsqueeze(0)
            if state is not None:
                self.check_state(state, None)  # (in the caller's shapes: (H,), not (1, H))
                state = map_state(lambda s: s.unsqueeze(0), state)
        self.check_input(x.shape[-1])
        self.check_like_parameters(x)
        if state is None:
            state = self.initial_state(x.shape[0], x.dtype, x.device)
        else:
            self.check_state(state, x.shape[0])
        _, new = self.recur(self.project_input(x), state)
        if not batched:
            new = map_state(lambda s: s.squeeze(0), new)
        return new

    # -- state helpers -----------------------------------------------------------
    def state_sizes(self) -> Tuple[int, ...]:
        """Feature size of each state tensor."""
        return (self.hidden_size,) * self.num_state_tensors

    def initial_state(self, batch: int, dtype: torch.dtype, device: torch.device) -> State:
        """The zero state of ``batch`` rows: (B, H), or a tuple of them (an LSTM's (h, c))."""
        zeros = [torch.zeros(batch, n, dtype=dtype, device=device) for n in self.state_sizes()]
        return zeros[0] if len(zeros) == 1 else tuple(zeros)

    def check_input(self, features: int) -> None:
        """A ShapeError unless ``features`` is ``input_size`` (x's last dimension)."""
        if features != self.input_size:
            raise ShapeError(
                f"{type(self).__name__}: expected input with {self.input_size} features "
                f"(input_size), got {features}; check the input's last dimension or the "
                f"module's input_size"
            )

    def check_like_parameters(self, x: Tensor, what: str = "input") -> None:
        """A clear error when ``x``'s dtype or device differs from the parameters'.

        Under autocast the dtypes may differ (autocast casts); devices never may.
        """
        check_like(type(self).__name__, x, stored_weight(self, "weight_ih"), what)

    def check_state(self, state: State, batch: Optional[int]) -> None:
        """``state`` as the cell takes it for ``batch`` sequences; ``batch`` None: for one
        unbatched input (I,), each tensor (n,)."""
        sizes = self.state_sizes()
        tensors: Optional[Tuple[Any, ...]]  # (checked to be tensors below)
        if len(sizes) == 1:  # h alone: one tensor, as torch's RNNCell/GRUCell take it
            tensors = (state,) if isinstance(state, Tensor) else None
        else:  # (h, c, ...): a tuple (or list) of tensors
            tensors = tuple(state) if isinstance(state, (tuple, list)) else None
        shapes = [(n,) if batch is None else (batch, n) for n in sizes]
        if tensors is None or len(tensors) != len(sizes) or not all(
                isinstance(t, Tensor) for t in tensors):
            want = (f"one tensor of shape {shapes[0]}" if len(sizes) == 1 else
                    f"a tuple of {len(sizes)} tensors of shapes "
                    f"{', '.join(str(s) for s in shapes)}")
            raise ShapeError(
                f"{type(self).__name__}: expected a state of {len(sizes)} tensor(s): {want}; "
                f"got {describe_state(state)}; {structure_fix(state, len(sizes))}")
        for s, shape in zip(tensors, shapes):
            if tuple(s.shape) != shape:
                layout = "(hidden,) for an unbatched input (I,)" if batch is None else \
                    "(batch, hidden)"
                raise ShapeError(
                    f"{type(self).__name__}: expected state of shape {shape} {layout}, got "
                    f"{tuple(s.shape)}; {state_shape_fix(s, batch, shape[-1])}")
            self.check_like_parameters(s, "initial state")

    def extra_repr(self) -> str:
        # (torch.nn's cells' form: bias only when it is off)
        return f"{self.input_size}, {self.hidden_size}" + ("" if self.bias else ", bias=False")

    def __prepare_scriptable__(self):
        refuse_torchscript(self)


def check_input_type(name: str, x, packed: bool = True) -> None:
    """A clear error when the input is not a tensor (a numpy array, a list, None: torch's
    own message is "'numpy.ndarray' object has no attribute 'dim'")."""
    if isinstance(x, Tensor) or (packed and isinstance(x, PackedSequence)):
        return
    kind = "None" if x is None else f"{type(x).__module__}.{type(x).__name__}"
    raise ConfigTypeError(f"{name}: expected the input as a torch.Tensor"
                          f"{' or a PackedSequence' if packed else ''}, got {kind}; convert it "
                          f"first, e.g. torch.as_tensor(x, dtype=torch.float32)")


def check_like(name: str, x: Tensor, w: Tensor, what: str = "input") -> None:
    """A clear error when ``x``'s dtype or device differs from the parameter ``w``'s
    (dtypes may differ under autocast, which casts; devices never may)."""
    if w.device.type == "meta":  # a template (torch-compatible modules): no data
        return
    bad_device = x.device != w.device
    bad_dtype = x.dtype != w.dtype and not autocast_on(x.device.type)
    if bad_device or bad_dtype:
        v = "x" if what == "input" else "h"
        fix = (f"move one to the other (model.to({str(x.device)!r}) or "
               f"{v}.to({str(w.device)!r}))" if bad_device else
               f"convert one to the other (model.to({x.dtype}) or {v}.to({w.dtype}))"
               if x.dtype.is_floating_point else
               f"pass floating-point values: {v}.to({w.dtype})"
               + (" (token ids go through an embedding first)" if v == "x" else ""))
        raise MismatchError(
            f"{name}: the {what} is {str(x.dtype).replace('torch.', '')} "
            f"on {x.device} but the parameters are {str(w.dtype).replace('torch.', '')} "
            f"on {w.device}; {fix}")


def describe_state(state, inner: bool = True) -> str:
    """A state as an error message names it: "one tensor of shape (2, 4)", "a tuple of 1"
    (``inner``: and what the tuple holds)."""
    if isinstance(state, Tensor):
        return f"one tensor of shape {tuple(state.shape)}"
    if isinstance(state, (tuple, list)):
        held = ", ".join(describe_state(s) if isinstance(s, Tensor) else type(s).__name__
                         for s in state[:3])
        return f"a {type(state).__name__} of {len(state)}" + (f" ({held})" if inner else "")
    return type(state).__name__


def map_state(fn, state: State) -> State:
    """Apply fn to each tensor of a state (a tensor or a tuple of tensors)."""
    if isinstance(state, Tensor):
        return fn(state)
    return tuple(fn(s) for s in state)


def zip_state(fn, a: State, b: State) -> State:
    """Combine two states of the same structure tensor by tensor."""
    if isinstance(a, Tensor):
        return fn(a, b)
    return tuple(fn(x, y) for x, y in zip(a, b))
