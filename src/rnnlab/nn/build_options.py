"""The keyword options of :func:`rnnlab.nn.registry.build_model`: the ModelSpec fields
it takes by name, with what to use in place of an option it does not have (a
bidirectional deep-transition model, Pascanu et al.'s shortcut and deep output, which
are architectures of their own here); and the deep output's width a spec gives
(:func:`out_width`)."""

from __future__ import annotations

from typing import Optional

from .architectures import ARCHITECTURES
from ..io.errors import ConfigError, ConfigTypeError


def spec_options(name: str, kwargs: dict, spec_class: type) -> dict:
    """``build_model(name, **kwargs)``'s options (the fields of ``spec_class``, the
    ModelSpec, but its name), an unknown one refused naming the known ones and, for the
    names of other libraries and of the paper (``bidirectional=True``, ``shortcut=True``,
    ``deep_output``), what does it here; input_size and hidden_size required."""
    known = [f for f in getattr(spec_class, "__dataclass_fields__") if f != "name"]
    unknown = [k for k in kwargs if k not in known]
    if unknown:
        hint = ""
        if "bidirectional" in unknown:
            bi = [a.name for a in ARCHITECTURES.values() if a.bidirectional]
            hint = (f"; the bidirectional architectures are {', '.join(bi)}, and any cell reads "
                    f"both ways composed by hand: Bidirectional(Recurrent(cell), "
                    f"Recurrent(cell2, reverse=True)) (rnnlab.nn)")
        elif "batch_first" in unknown:
            hint = "; build_model's models are batch-first: inputs (B, T, I)"
        elif "shortcut" in unknown:  # (Pascanu et al.'s variants are names of their own)
            hint = ("; the shortcut transition, DT(S)-RNN, is the architecture 'dts-rnn' "
                    "('dots-rnn' with the deep output)")
        elif "deep_output" in unknown:
            hint = ("; the deep output, DOT-RNN, is the architecture 'dot-rnn' ('dots-rnn' "
                    "with the shortcut): out_depth sets its layers, and out_width their units "
                    "(default: width, the transition's)")
        raise ConfigTypeError(f"build_model({name!r}): unknown option(s) {', '.join(unknown)}; "
                              f"known: {', '.join(known)}{hint}")
    about = {"input_size": "features per time step", "hidden_size": "units per layer"}
    missing = [f"{k} ({about[k]})" for k in about if k not in kwargs]
    if missing:
        raise ConfigTypeError(f"build_model({name!r}): give {' and '.join(missing)}, e.g. "
                              f"build_model({name!r}, input_size=1, hidden_size=32)")
    return kwargs


def out_width(spec) -> Optional[int]:
    """The deep output's units of ``spec`` (a ModelSpec): its ``out_width``, checked;
    None there: ``width``, the transition's (as before out_width existed)."""
    v = spec.out_width
    if v is None:
        return spec.width
    if not isinstance(v, int) or isinstance(v, bool) or v < 1:
        raise ConfigError(f"model {spec.name!r}: out_width must be a whole number >= 1 (units "
                          f"of each deep output layer) or None (the transition's width), "
                          f"got {v!r}")
    return v


__all__ = ["spec_options", "out_width"]
