"""The shape options of a comparison (``depth``, ``width``, ``nonlinearity``,
``out_depth``, ``out_width``: one value each, given to every model that reads it): which of them each
compared model reads, and the refusal of one that no compared model reads (it would be
recorded in config.json and change nothing)."""

from __future__ import annotations

from typing import Any, Dict

from ..io.errors import ConfigError
from ..names import SHAPE_READERS, reads_option
from .model_names import arch_of, own_shape


def shape_for(cfg, model: str) -> Dict[str, Any]:
    """The shape options ``model`` reads, as the comparison ``cfg`` sets them (the
    registry refuses one a model does not read: width at depth 1 is read by dot-rnn
    only)."""
    arch = arch_of(model)  # (dt-rnn:depth=3: dt-rnn, its own depth over the comparison's)
    shape = {k: getattr(cfg, k) for k in SHAPE_READERS if reads_option(arch, k)}
    own = own_shape(model)
    shape.update(own)
    if shape.get("depth") == 1 and ("out_depth" not in shape or shape.get("out_width")):
        if "width" in own:  # (typed in the name: dropped, it trained a model the name misstates)
            raise ConfigError(_width_shapes_nothing(cfg, model, own, shape))
        shape.pop("width", None)  # no intermediate layer (one of your own may read depth alone)
    return shape


def _width_shapes_nothing(cfg, model: str, own: Dict[str, Any], shape: Dict[str, Any]) -> str:
    """The refusal of a name's own width where no layer reads it, in build_model's words,
    naming the flag that gave the name (--models, or --match-to's reference)."""
    flag = "models (--models)" if model in cfg.models else "match_to (--match-to)"
    depth = "the name's depth=1" if "depth" in own else "the comparison's --depth 1"
    why = ("the transition has no intermediate layer at depth 1, and out_width sizes the "
           "deep output" if shape.get("out_width") else
           "the transition has no intermediate layer at depth 1")
    return (f"CompareConfig: {flag}: model {model!r}: width={own['width']} "
            f"shapes no layer at {depth} ({why}); leave width out of the name, or give "
            f"depth >= 2")


def check_shape_read(cfg) -> None:
    """ConfigError for a shape option set in ``cfg`` (a CompareConfig) that none of the
    compared models reads (``--depth 3`` for lstm and gru)."""
    defaults = type(cfg).__dataclass_fields__
    compared = cfg.models + ((cfg.match_to,) if cfg.match_params else ())
    for name, readers in SHAPE_READERS.items():
        if getattr(cfg, name) == defaults[name].default:
            continue
        # (rnnlab's readers, and any architecture of one's own compared that reads it)
        readers = tuple(m for m in dict.fromkeys(readers + compared)
                        if name in shape_for(cfg, m) and name not in own_shape(m))
        if not any(m in readers for m in compared):
            flag = "--" + name.replace("_", "-")
            at = " at depth 1" if name == "width" and cfg.depth == 1 else ""
            own = [m for m in compared if name in own_shape(m)]
            if own:  # (dt-rnn:depth=2 dt-rnn:depth=4 --depth 3: each gives its own)
                at += f" ({', '.join(own)} set{'s' if len(own) == 1 else ''} {name} in the name)"
            raise ConfigError(
                f"CompareConfig: {name} ({flag}) {getattr(cfg, name)!r} shapes "
                f"{', '.join(readers)}{at}, and none of the compared models "
                f"({', '.join(cfg.models)}) reads it; add one of them to --models or "
                f"leave {flag} out")


__all__ = ["shape_for", "check_shape_read"]
