"""A compared model's name with shape options of its own: ``dt-rnn:depth=3``.

One architecture at several depths (or widths) in one comparison: ``--models dt-rnn:depth=2
dt-rnn:depth=4 lstm``. Before the colon, an architecture's name; after it, shape options
(``depth``, ``width``, ``nonlinearity``, ``out_depth``, ``out_width``: ModelSpec's) as
``OPTION=VALUE`` separated by commas, each one the architecture reads. They replace the
comparison's ``--depth`` etc. for that model alone; the whole name is the model's name in
the records, the report and ``rnnlab runs`` (``dt-rnn:depth=3.forecast.model.rmse``).
"""

from __future__ import annotations

from typing import Any, Dict, Tuple

from ..architecture_table import SHAPE_OPTIONS
from ..io.errors import ConfigError
from ..names import SHAPE_READERS, is_bidirectional, reads_option

SPELLING = "NAME:OPTION=VALUE[,OPTION=VALUE] (dt-rnn:depth=3, dot-rnn:depth=3,out_width=16)"


def arch_of(model: str) -> str:
    """The architecture of a compared name: the part before its colon."""
    return model.split(":", 1)[0]


def own_shape(model: str) -> Dict[str, Any]:
    """The shape options a compared name sets itself (``{}`` for a plain name), each
    checked: a known option, read by the architecture, with a value it takes."""
    arch, sep, rest = model.partition(":")
    if not sep:
        return {}
    if not arch or not rest.strip():
        raise ConfigError(f"model {model!r}: expected {SPELLING}; give the architecture "
                          f"and at least one shape option, or the plain name")
    shape: Dict[str, Any] = {}
    for part in rest.split(","):
        key, eq, text = (s.strip() for s in part.partition("="))
        key = key.replace("-", "_")  # (--out-width's spelling too)
        if not eq or not key or not text:
            raise ConfigError(f"model {model!r}: {part.strip()!r} is not OPTION=VALUE; "
                              f"expected {SPELLING}")
        if key not in SHAPE_OPTIONS:
            raise ConfigError(f"model {model!r}: {key!r} is not a shape option; a name sets "
                              f"{', '.join(SHAPE_OPTIONS)} (the others are one per "
                              f"comparison: --lr, --hidden-size, ...)")
        if key in shape:
            raise ConfigError(f"model {model!r}: {key} given twice; give it once")
        if not reads_option(arch, key):
            readers = ", ".join(SHAPE_READERS.get(key, ())) or "none of rnnlab's"
            raise ConfigError(f"model {model!r}: {arch!r} has no {key}; {key} shapes "
                              f"{readers}: leave it out of the name")
        shape[key] = _value(model, key, text)
    return shape


def not_an_option(model: str) -> None:
    """Refuse a compared "name" that is a shape option alone (``out_width=16``): a name
    cut at its comma, as ``--set models=dot-rnn:depth=3,out_width=16`` cuts it (it was
    refused as an unknown model, with the list of architectures)."""
    if "=" in model and ":" not in model:
        raise ConfigError(f"{model!r} is a shape option, not a model: a name's options follow "
                          f"its colon in one word, {SPELLING}; --set models=... splits at "
                          f"every comma, so give such a name with --models, or as one item "
                          f"of a list in a settings file")


def check_name(model: str, flag: str, listed: bool = True) -> bool:
    """A compared name (``--models``' or ``--match-to``'s reference, which ``flag`` names:
    ``"match_to (--match-to)"``) read by the one parser for both: a name, its architecture
    known, its own shape options checked (:func:`own_shape`); ``listed``: given among the
    models, where a bare option is a name ``--set models=`` cut at its comma. Returns
    whether its architecture is bidirectional (a language model refuses one)."""
    if not isinstance(model, str):  # (None, a number: no colon to look for)
        raise ConfigError(f"CompareConfig: {flag} must be a model's name, {SPELLING} or a "
                          f"plain architecture, got {model!r}")
    try:  # (unknown names raise with the known list)
        if listed:
            not_an_option(model)
        bidirectional = is_bidirectional(arch_of(model))
        own_shape(model)
    except ValueError as e:  # (it did not say which flag held the name)
        raise ConfigError(f"CompareConfig: {flag}: {e}") from None
    return bidirectional


def named_options(model: str) -> set:
    """The option names a compared name spells (unchecked: for showing a name that was
    checked when it ran, whose architecture may not be registered now)."""
    _, sep, rest = model.partition(":")
    return {p.partition("=")[0].strip().replace("-", "_") for p in rest.split(",")} if sep else set()


def _value(model: str, key: str, text: str) -> Any:
    if key == "nonlinearity":
        if text not in ("tanh", "relu"):
            raise ConfigError(f"model {model!r}: nonlinearity must be tanh or relu, got "
                              f"{text!r}")
        return text
    # (ASCII digits only: '³' is a digit to str.isdigit and int() refuses it, with
    # Python's own words in place of these)
    if not (text.isascii() and text.isdigit() and int(text) >= 1):
        raise ConfigError(f"model {model!r}: {key} must be a whole number >= 1, got {text!r}")
    return int(text)


def same_models(cfg, models) -> Tuple[str, str] | None:
    """Two compared names that build the same model (``dt-rnn`` and ``dt-rnn:depth=2``
    where the comparison's depth is 2), or None."""
    seen: Dict[Tuple, str] = {}
    for m in models:
        key = (arch_of(m), tuple(sorted(cfg.shape_for(m).items())))
        if key in seen:
            return seen[key], m
        seen[key] = m
    return None


__all__ = ["arch_of", "own_shape", "not_an_option", "check_name", "named_options",
           "same_models", "SPELLING"]


def unread_match_to(cfg, default: str) -> str:
    """Why ``match_to`` is not read beside ``param_target`` ('' when it is the default or
    no target is given): each hidden size meets the target, whatever the reference."""
    if cfg.param_target is None or cfg.match_to == default:
        return ""
    return (f"match_to (--match-to) {cfg.match_to!r} beside param_target (--param-target) "
            f"{cfg.param_target}: the target is the parameter count every model is matched "
            f"to, and each hidden size is chosen to meet it, so match_to would change nothing "
            f"(it is not read); drop match_to, or drop param_target to match to match_to's "
            f"count at hidden_size")
