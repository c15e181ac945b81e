"""The optimizer refusals (:func:`rnnlab.train.config.momentum_problem`, ``betas_problem``,
``adam_problem``, ``dampening_problem``, ``nesterov_problem`` and the ``... must be`` checks)
in command-line words: written once, in Python's (``amsgrad=True applies to
optimizer='adam' or 'adamw' only ...; set optimizer='adam' or leave amsgrad at False``),
they read on the command line as ``--amsgrad yes applies to --optimizer adam or adamw only
...; set --optimizer adam or leave --amsgrad at no``. :func:`as_flags` rewrites a message
where a config is built from options (:func:`rnnlab.options.refused_as_option_error`)."""

from __future__ import annotations

import re

# the optimizer's settings as TrainConfig and every trainer's config name them (the same
# options, rnnlab.train.optim_options), each its --flag on every command that trains
# (forecast, backtest, compare, lm train)
OPTIMIZER_FIELDS = ("optimizer", "weight_decay", "momentum", "nesterov", "dampening", "betas",
                    "eps", "amsgrad")
SETTINGS = OPTIMIZER_FIELDS + ("lr_schedule",)
CHECKED = SETTINGS + ("lr", "clip_norm")  # (also refused as "lr must be ...")
_NUMBER = r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)"
_VALUE = rf"(?:True|False|'[^']*'(?: or '[^']*')?|\({_NUMBER}, {_NUMBER}\)|{_NUMBER})"


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _typed(value: str) -> str:
    """A Python value as typed after its flag: True -> yes, 'sgd' -> sgd, (0.9, 0.999) ->
    0.9 0.999, 'adam' or 'adamw' -> adam or adamw."""
    if value in ("True", "False"):
        return "yes" if value == "True" else "no"
    if value.startswith("("):
        return " ".join(v.strip() for v in value[1:-1].split(","))
    return value.replace("'", "")


def as_flags(message: str) -> str:
    """``message`` with the optimizer settings' Python spellings as their flags: ``name=v``
    and ``leave name at v`` (``set name v``), ``optimizer is 'sgd'``, ``momentum 0.0`` and
    ``name must be`` (``True or False``: yes or no); other words as they are."""
    names = "|".join(SETTINGS)
    message = re.sub(rf"\b({names})=({_VALUE})",
                     lambda m: f"{_flag(m[1])} {_typed(m[2])}", message)
    message = re.sub(rf"\b(leave|set) ({names})( at | )({_VALUE})",
                     lambda m: f"{m[1]} {_flag(m[2])}{m[3]}{_typed(m[4])}", message)
    message = re.sub(rf"(?<![-\w])(optimizer is|momentum) ({_VALUE})(?=[,;) ]|$)",
                     lambda m: f"--{m[1]} {_typed(m[2])}", message)
    return re.sub(rf"(^|: )({'|'.join(CHECKED)}) must be (True or False)?",
                  lambda m: f"{m[1]}{_flag(m[2])} must be "
                            f"{'yes or no' if m[3] else ''}", message)
