"""Variational dropout inside a recurrent layer (Gal & Ghahramani, 2016), where Keras'
cells apply it: ``input_dropout`` (Keras' cell ``dropout=``) masks the features of x_t,
``recurrent_dropout`` the features of h_{t-1} where it enters the recurrent weights.
One mask serves all gates (the tied form; Keras 3's LSTMCell and GRUCell draw one per
gate once ``recurrent_dropout`` is set: docs/keras.md).
Each mask is one Bernoulli draw per sequence (per batch row and feature), kept for every
step and scaled by 1/(1-p), and drawn only in training; in eval mode, or at p = 0, a
layer computes what it computes without them.

Named apart from ``dropout``, which in rnnlab (as in ``torch.nn``) acts between stacked
layers. :class:`DropsInside` holds the two rates for :class:`~rnnlab.nn.Recurrent` and
the torch.nn drop-ins; :func:`draw_masks` draws a call's masks, in a fixed order (input,
then hidden), so a test given the seed draws the same ones.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Optional

import torch
from torch import Tensor

from ..io.errors import ConfigError, ConfigTypeError, UnsupportedError
from ..rate_options import KERNEL_FREE, RATES  # noqa: F401  (RATES: also imported from here)


def check_rate(owner: str, name: str, p) -> float:
    """``p`` as a float in [0, 1): a typed error saying what was found otherwise (1 would
    drop every feature, and the 1/(1-p) scale divides by zero)."""
    if isinstance(p, bool) or not isinstance(p, numbers.Real):  # (NumPy's floats too)
        raise ConfigTypeError(f"{owner}: {name} must be a number in [0, 1), got {p!r} "
                              f"({type(p).__name__})")
    if not 0.0 <= float(p) < 1.0:  # (NaN fails both)
        raise ConfigError(f"{owner}: {name} must be in [0, 1) (the fraction of features "
                          f"dropped), got {p!r}; pass e.g. {name}=0.2, or 0 for none")
    return float(p)


@dataclass(frozen=True)
class DropMasks:
    """One call's masks, each already scaled by 1/(1-p); None where nothing is dropped."""

    input: Optional[Tensor] = None  # (B, I): multiplies x_t at every step
    hidden: Optional[Tensor] = None  # (B, H_out): multiplies h_{t-1} before W_hh


def bernoulli_mask(p: float, rows: int, features: int, like: Tensor) -> Tensor:
    """A (rows, features) mask of 0 and 1/(1-p), kept with probability 1-p, in ``like``'s
    dtype and device. Drawn out of place: under ``torch.func.vmap(...,
    randomness="different")`` each vmapped call then gets its own mask (an in-place
    ``bernoulli_`` on the unbatched tensor was refused there by torch)."""
    keep = torch.full((rows, features), 1.0 - p, dtype=like.dtype, device=like.device)
    return torch.bernoulli(keep) / (1.0 - p)  # (rows, features)


HALF = (torch.bfloat16, torch.float16)  # (a layer's input autocast left low: its output's)


def mask_like(x: Tensor, module: torch.nn.Module) -> Tensor:
    """The tensor whose dtype and device a call's masks take: ``x``'s, or, where ``x`` is in
    bf16 / fp16 (under autocast, the output of the layer before) and ``module``'s weights
    are wider, the weights' dtype on ``x``'s device, so that a kept unit is scaled by
    1/(1-p) in the wider dtype: bf16's nearest to 1/0.7 is 1.4297, not 1.4286, a bias in
    expectation of every masked unit. float32 and float64 inputs draw as they always did."""
    if x.dtype not in HALF:
        return x
    wide = [p.dtype for p in module.parameters() if p.is_floating_point()
            and p.dtype.itemsize > x.dtype.itemsize]
    return x if not wide else torch.empty(0, dtype=wide[0], device=x.device)


def draw_masks(input_p: float, recurrent_p: float, rows: int, input_size: int,
               hidden_size: int, like: Tensor) -> DropMasks:
    """The masks of one call: the input's first, then the hidden state's (the order a
    test seeding the generator repeats); none for a rate of 0."""
    x_mask = bernoulli_mask(input_p, rows, input_size, like) if input_p > 0 else None
    h_mask = bernoulli_mask(recurrent_p, rows, hidden_size, like) if recurrent_p > 0 else None
    return DropMasks(x_mask, h_mask)


class DropsInside:
    """Mixin: the two rates as checked properties (0 for a module pickled before them)
    and what a call of the module in its mode draws. The host is an ``nn.Module``."""

    training: bool

    @property
    def input_dropout(self) -> float:
        """Keras' cell ``dropout``: the fraction of x_t's features dropped, one mask per
        sequence (training only)."""
        return self.__dict__.get("_input_dropout", 0.0)

    @input_dropout.setter
    def input_dropout(self, p: float) -> None:
        self.__dict__["_input_dropout"] = check_rate(type(self).__name__, "input_dropout", p)

    @property
    def recurrent_dropout(self) -> float:
        """Keras' ``recurrent_dropout``: the fraction of h_{t-1}'s features dropped before
        the recurrent weights, one mask per sequence (training only)."""
        return self.__dict__.get("_recurrent_dropout", 0.0)

    @recurrent_dropout.setter
    def recurrent_dropout(self, p: float) -> None:
        self.__dict__["_recurrent_dropout"] = check_rate(type(self).__name__,
                                                         "recurrent_dropout", p)

    def drops_inputs(self) -> bool:
        """True when a call now masks x (training, input_dropout > 0)."""
        return self.training and self.input_dropout > 0

    def drops_state(self) -> bool:
        """True when a call now masks h_{t-1}: only the step loop can (torch's kernels and
        rnnlab's take no mask)."""
        return self.training and self.recurrent_dropout > 0

    def drops_any(self) -> bool:
        """True when a call now draws any mask (no one-call kernel of a stack runs it)."""
        return self.drops_inputs() or self.drops_state()

    def rates_repr(self) -> str:
        """``input_dropout=0.2, recurrent_dropout=0.1`` for the rates that are not 0."""
        return ", ".join(f"{n}={getattr(self, n)}" for n in RATES if getattr(self, n))


def refuse_kernel_impl(owner: str, impl: str) -> None:
    """An impl that asks for a kernel (torch's "fused", rnnlab's "fast" / "triton…") while
    h_{t-1} is masked: no kernel takes the mask, and dropping it silently would train
    another model; said so, with what runs it."""
    if impl not in KERNEL_FREE:
        raise UnsupportedError(
            f"{owner}: impl={impl!r} runs a kernel that takes no recurrent_dropout mask; in "
            f"training with recurrent_dropout > 0 use impl='auto' (it runs the step loop "
            f"then, path 'reference') or impl='reference', or set recurrent_dropout=0")
