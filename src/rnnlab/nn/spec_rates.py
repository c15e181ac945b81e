"""A :class:`~rnnlab.nn.registry.ModelSpec`'s variational dropout rates
(``input_dropout``, ``recurrent_dropout``: :mod:`.variational`) checked where
:func:`~rnnlab.nn.registry.build_model` and ``check_spec`` build a model: each rate in
[0, 1), no kernel impl forced with ``recurrent_dropout``, and a body that carries them."""

from __future__ import annotations

from torch import nn

from .variational import RATES, DropsInside, check_rate, refuse_kernel_impl
from ..io.errors import UnsupportedError


def check_rates(spec) -> None:
    """``input_dropout`` and ``recurrent_dropout`` each in [0, 1) (a typed error naming the
    option and the range otherwise); ``recurrent_dropout`` with an impl that asks for a
    kernel refused before anything trains: no kernel takes its mask
    (:func:`.variational.refuse_kernel_impl`, an UnsupportedError saying what runs it)."""
    owner = f"model {spec.name!r}"
    for name in RATES:
        check_rate(owner, name, getattr(spec, name))
    if spec.recurrent_dropout > 0:
        refuse_kernel_impl(owner, spec.impl)


def refuse_unread_rates(spec, body: nn.Module) -> None:
    """An architecture of one's own whose ``build`` does not pass the spec's rates on to
    every one of its layers would train without them (or with them on some layers only),
    recorded as if it had: refused, saying how."""
    rates = tuple(getattr(spec, n) for n in RATES)
    if not any(rates):
        return
    layers = [(name, m) for name, m in body.named_modules() if isinstance(m, DropsInside)]
    missing = [name or "the body" for name, m in layers
               if tuple(getattr(m, n) for n in RATES) != rates]
    if layers and not missing:
        return
    which = (f"layer(s) {', '.join(missing)} of its body do not carry them" if layers
             and len(missing) < len(layers) else "no layer of its body carries them")
    raise UnsupportedError(
        f"model {spec.name!r}: its build does not apply input_dropout={spec.input_dropout} / "
        f"recurrent_dropout={spec.recurrent_dropout} ({which}); "
        f"pass spec.input_dropout and spec.recurrent_dropout to each of its Recurrent layers "
        f"(Recurrent(cell, input_dropout=..., recurrent_dropout=...)), or set them to 0")
