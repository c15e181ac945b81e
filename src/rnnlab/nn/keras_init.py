"""Keras' initial weights for rnnlab's and torch.nn's recurrent layers.

A Keras user's LSTM starts from ``glorot_uniform`` kernels, ``orthogonal`` recurrent
kernels, zero biases and, by default (``unit_forget_bias=True``), a forget-gate bias of
one; torch and rnnlab draw every weight from U(-1/sqrt(H), 1/sqrt(H)). Setting Keras'
start by hand meant four calls per cell and per direction, and the forget gate was easy
to miss. :func:`keras_init_` draws the arrays in Keras' layout, with Keras' shapes
(so the fans and the orthogonal matrix are Keras': one (H, G*H) matrix with orthonormal
rows, not one per gate), and loads them through :func:`~rnnlab.nn.from_keras_weights`,
which places each gate block where the module keeps it.
"""

from __future__ import annotations

from typing import List, Optional, TypeVar

import torch
from torch import Tensor, nn

from .keras_units import keras_units
from .keras_weights import refuse_computed, refuse_meta_module, from_keras_weights
from ..io.errors import ConfigTypeError

M = TypeVar("M", bound=nn.Module)


def _keras_arrays(module: nn.Module, unit_forget_bias: bool,
                  generator: Optional[torch.Generator]) -> List[Tensor]:
    """One Keras ``get_weights()`` list for ``module``, drawn as Keras' defaults draw it."""
    arrays: List[Tensor] = []
    for u in keras_units(module, "keras_init_"):
        kernel_shape, rec_shape, *bias_shape = u.keras_shapes()
        kernel = torch.empty(kernel_shape, dtype=torch.float64)
        # Keras' glorot_uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out)) of the
        # (I, G*H) kernel; torch's xavier_uniform_ reads the same two fans
        nn.init.xavier_uniform_(kernel, generator=generator)
        # Keras' orthogonal on the (H, G*H) recurrent kernel: QR of a normal matrix, the
        # signs of R's diagonal folded in, rows orthonormal (torch's algorithm is the same)
        rec = torch.empty(rec_shape, dtype=torch.float64)
        nn.init.orthogonal_(rec, generator=generator)
        arrays += [kernel, rec]
        if bias_shape:
            bias = torch.zeros(bias_shape[0], dtype=torch.float64)
            if u.kind == "lstm" and unit_forget_bias:
                bias[u.hidden:2 * u.hidden] = 1.0  # Keras' gate order i, f, c, o
            arrays.append(bias)
    return arrays


def keras_init_(module: M, *, unit_forget_bias: bool = True,
                generator: Optional[torch.Generator] = None) -> M:
    """Set ``module``'s recurrent weights to Keras' defaults, in place, and return it:
    ``kernel_initializer="glorot_uniform"``, ``recurrent_initializer="orthogonal"``,
    ``bias_initializer="zeros"`` and, for an LSTM, ``unit_forget_bias=True`` (the
    forget gate's bias one; ``unit_forget_bias=False`` leaves it zero). ``module`` is
    what :func:`~rnnlab.nn.from_keras_weights` takes: a cell, ``Recurrent``,
    ``Bidirectional``, ``Stacked`` or a (torch.nn or rnnlab.nn) ``RNN``, ``GRU`` or
    ``LSTM``; every layer and direction is set. The draws use torch's generator
    (``generator=``, or the global one: ``torch.manual_seed`` first for Keras'
    ``seed``), so the numbers are not Keras'; their distribution is."""
    if not isinstance(unit_forget_bias, bool):
        raise ConfigTypeError(f"keras_init_: unit_forget_bias must be True or False, got "
                              f"{unit_forget_bias!r} ({type(unit_forget_bias).__name__})")
    _check_generator(generator)
    refuse_meta_module(module, "keras_init_")
    refuse_computed(keras_units(module, "keras_init_"), module.state_dict(), module,
                    "keras_init_")
    state = from_keras_weights(module, _keras_arrays(module, unit_forget_bias, generator))
    module.load_state_dict(state)
    return module


def _check_generator(generator: object) -> None:
    """The draws are made on the CPU (float64, then placed where the module is), so only
    a CPU torch.Generator seeds them: an int (Keras' ``seed``) or a CUDA generator was
    torch's TypeError or RuntimeError from inside the draw."""
    if generator is None or (isinstance(generator, torch.Generator)
                             and generator.device.type == "cpu"):
        return
    got = (f"a torch.Generator on {generator.device}" if isinstance(generator, torch.Generator)
           else f"{generator!r} ({type(generator).__name__})")
    raise ConfigTypeError(
        f"keras_init_: generator must be a CPU torch.Generator (the weights are drawn on the "
        f"CPU, then placed where the module is), got {got}; for Keras' seed=s pass "
        f"generator=torch.Generator().manual_seed(s)")


__all__ = ["keras_init_"]
