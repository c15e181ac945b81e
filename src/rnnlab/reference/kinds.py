"""One interface over the five recurrences: parameters, initial state, forward, backward.

Kinds:
    ``rnn_tanh``, ``rnn_relu``  Elman RNN (``rnn.py``)
    ``gru``                     GRU, reset applied after the recurrent product (torch's form)
    ``gru_reset_before``        GRU, reset applied to h_{t-1} before the product (Cho et al.)
    ``lstm``                    LSTM (``lstm.py``)

A state is a tuple of (B, H) arrays: (h,) for RNN and GRU, (h, c) for the LSTM.
"""

from __future__ import annotations

from typing import Any, Dict, Literal, Optional, Sequence, Tuple, Union, overload

import numpy as np
from numpy.typing import DTypeLike

from ..number_kinds import is_whole
from . import gru, lstm, rnn
from .affine import Params
from ..io.errors import ConfigError

KINDS: Dict[str, int] = {  # kind -> number of gates stacked in the weight rows
    "rnn_tanh": 1,
    "rnn_relu": 1,
    "gru": 3,
    "gru_reset_before": 3,
    "lstm": 4,
}

PARAM_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")

State = Tuple[np.ndarray, ...]


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ConfigError(f"unknown kind {kind!r}; expected one of {sorted(KINDS)}")
    return kind


def num_state_tensors(kind: str) -> int:
    return 2 if check_kind(kind) == "lstm" else 1


def init_params(kind: str, input_size: int, hidden_size: int, *, bias: bool = True,
                rng: Optional[np.random.Generator] = None,
                dtype: DTypeLike = np.float64) -> Params:
    """torch's initialisation: every parameter ~ U(-1/sqrt(H), 1/sqrt(H)).

    Shapes: weight_ih (G*H, I), weight_hh (G*H, H), bias_ih and bias_hh (G*H,), G = KINDS[kind].
    """
    for name, size in (("input_size", input_size), ("hidden_size", hidden_size)):
        if not is_whole(size) or size < 1:
            raise ConfigError(f"{kind}: {name} must be a whole number >= 1, got {size!r}")
    rng = np.random.default_rng() if rng is None else rng
    gh = KINDS[check_kind(kind)] * hidden_size
    k = 1.0 / np.sqrt(hidden_size)
    shapes: Dict[str, Tuple[int, ...]] = {"weight_ih": (gh, input_size),
                                          "weight_hh": (gh, hidden_size)}
    if bias:
        shapes.update(bias_ih=(gh,), bias_hh=(gh,))
    return {name: rng.uniform(-k, k, size=shape).astype(dtype) for name, shape in shapes.items()}


def init_state(kind: str, batch: int, hidden_size: int,
               dtype: DTypeLike = np.float64) -> State:
    """Zeros of shape (B, H): (h0,) or (h0, c0)."""
    n = num_state_tensors(kind)
    return tuple(np.zeros((batch, hidden_size), dtype=dtype) for _ in range(n))


def _as_state(kind: str, state, batch: int, hidden_size: int, dtype) -> State:
    if state is None:
        return init_state(kind, batch, hidden_size, dtype)
    state = (state,) if isinstance(state, np.ndarray) else tuple(state)
    if len(state) != num_state_tensors(kind):
        raise ConfigError(f"{kind}: expected a state of {num_state_tensors(kind)} array(s), "
                          f"got {len(state)}")
    for s in state:
        if s.shape != (batch, hidden_size):
            raise ConfigError(f"{kind}: expected state arrays of shape {(batch, hidden_size)}, "
                              f"got {s.shape}")
    return state


def _check_params(kind: str, params: Params):
    """(G*H, I, H) from the weights, after checking every array against them; an error
    names the array, the shape expected and the shape found."""
    missing = [n for n in ("weight_ih", "weight_hh") if n not in params]
    if missing:
        raise ConfigError(f"{kind}: params has no {missing}; expected {list(PARAM_NAMES)} "
                          f"(biases optional), as init_params({kind!r}, ...) returns")
    hidden = np.shape(params["weight_hh"])[-1]
    gh, in_size = KINDS[kind] * hidden, np.shape(params["weight_ih"])[-1]
    expected = {"weight_ih": (gh, in_size), "weight_hh": (gh, hidden),
                "bias_ih": (gh,), "bias_hh": (gh,)}
    for name, shape in expected.items():
        if params.get(name) is not None and np.shape(params[name]) != shape:
            raise ConfigError(f"{kind}: {name} has shape {np.shape(params[name])}, expected "
                              f"{shape} ({gh} rows = {KINDS[kind]} gate(s) x H={hidden} from "
                              f"weight_hh); "
                              f"build the parameters with init_params({kind!r}, ...)")
    return gh, in_size, hidden


def forward(kind: str, params: Params, x: np.ndarray,
            state0: Union[None, np.ndarray, Sequence[np.ndarray]] = None
            ) -> Tuple[np.ndarray, Dict[str, Any]]:
    """Run a recurrence over x (T, B, I) from state0 (zeros when None).

    Returns:
        (hs, cache): hs (T, B, H); cache['state_T'] is the final state tuple.
    """
    check_kind(kind)
    x = np.asarray(x)
    if x.ndim != 3 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ConfigError(f"{kind}: expected x of shape (T, B, I) with T, B >= 1, got {x.shape}")
    gh, in_size, hidden = _check_params(kind, params)
    if x.shape[-1] != in_size:
        raise ConfigError(f"{kind}: x has {x.shape[-1]} features, weight_ih expects {in_size}")
    state0 = _as_state(kind, state0, x.shape[1], hidden, x.dtype)
    if kind.startswith("rnn_"):
        hs, cache = rnn.forward(params, x, state0[0], nonlinearity=kind[4:])
    elif kind.startswith("gru"):
        hs, cache = gru.forward(params, x, state0[0], reset_after=(kind == "gru"))
    else:
        hs, cache = lstm.forward(params, x, *state0)
    cache["kind"] = kind
    return hs, cache


@overload
def backward(kind: str, params: Params, cache: Dict[str, Any], dhs: np.ndarray,
             dstate_T: Union[None, np.ndarray, Sequence[Optional[np.ndarray]]] = None,
             *, return_state_grads: Literal[False] = False) -> Dict[str, np.ndarray]: ...
@overload
def backward(kind: str, params: Params, cache: Dict[str, Any], dhs: np.ndarray,
             dstate_T: Union[None, np.ndarray, Sequence[Optional[np.ndarray]]] = None,
             *, return_state_grads: Literal[True]
             ) -> Tuple[Dict[str, np.ndarray], Dict[str, Any]]: ...
@overload
def backward(kind: str, params: Params, cache: Dict[str, Any], dhs: np.ndarray,
             dstate_T: Union[None, np.ndarray, Sequence[Optional[np.ndarray]]] = None,
             *, return_state_grads: bool
             ) -> Union[Dict[str, np.ndarray], Tuple[Dict[str, np.ndarray], Dict[str, Any]]]: ...


def backward(kind: str, params: Params, cache: Dict[str, Any], dhs: np.ndarray,
             dstate_T: Union[None, np.ndarray, Sequence[Optional[np.ndarray]]] = None,
             *, return_state_grads: bool = False):
    """Backpropagation through time for any kind.

    Args:
        dhs: dL/dh_t read directly by the loss at each step, (T, B, H).
        dstate_T: extra gradient on the final state: an array (h) or a tuple (h[, c]).

    Returns:
        dict of gradients: every parameter present in ``params``, 'x', 'h0' (and 'c0' for LSTM);
        with ``return_state_grads`` also the per-step total state gradients (see each module).
    """
    check_kind(kind)
    if not isinstance(cache, dict) or cache.get("kind", kind) != kind:
        got = cache.get("kind") if isinstance(cache, dict) else type(cache).__name__
        raise ConfigError(f"{kind}: the cache is from a forward of {got!r}; pass the cache that "
                          f"forward({kind!r}, ...) returned")
    T, B, H = cache["hs"].shape if "hs" in cache else (None, None, None)
    if T is not None and (not isinstance(dhs, np.ndarray) or dhs.shape != (T, B, H)):
        got = dhs.shape if isinstance(dhs, np.ndarray) else type(dhs).__name__
        raise ConfigError(f"{kind}: dhs (dL/dh_t at every step) must have shape (T, B, H) = "
                          f"{(T, B, H)}, got {got}; pass zeros where the loss does not read h_t")
    dstate_T = _as_dstate(kind, dstate_T, cache["h0"].shape)
    if kind.startswith("rnn_"):
        return rnn.backward(params, cache, dhs, dstate_T[0], return_state_grads=return_state_grads)
    if kind.startswith("gru"):
        return gru.backward(params, cache, dhs, dstate_T[0], return_state_grads=return_state_grads)
    return lstm.backward(params, cache, dhs, *dstate_T, return_state_grads=return_state_grads)


def _as_dstate(kind: str, dstate_T, shape) -> tuple:
    """dstate_T as one entry (None or a (B, H) array) per state tensor; an array of another
    shape, or more arrays than the kind has states, is refused (it would be broadcast or
    dropped without a word)."""
    n = num_state_tensors(kind)
    if dstate_T is None or isinstance(dstate_T, np.ndarray):
        dstate_T = (dstate_T,)
    dstate_T = tuple(dstate_T)
    if len(dstate_T) > n:
        names = "(dh_T, dc_T)" if n == 2 else "dh_T alone"
        raise ConfigError(f"{kind}: dstate_T has {len(dstate_T)} arrays, but {kind} has "
                          f"{n} state tensor(s); pass {names}")
    for name, d in zip(("dh_T", "dc_T"), dstate_T):
        if d is not None and np.shape(d) != tuple(shape):
            raise ConfigError(f"{kind}: {name} (gradient on the final state) must have shape "
                              f"(B, H) = {tuple(shape)}, got {np.shape(d)}; pass None for no "
                              f"gradient there")
    return dstate_T + (None,) * (n - len(dstate_T))
