"""Which options a ``--config`` file set, and which of them a run's record set.

A user's own settings file sets each of its keys on purpose: they count as typed. A run's
record (``--config RUN_DIR``) holds every option of that run, so one a new choice does not
read (``--model naive`` beside a record's ``hidden_size``) is not the user's: it is
dropped with a note (:func:`drop_recorded`) where a typed one is refused.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Dict, Iterable, List, Mapping, Optional


class GivenOptions(frozenset):
    """``args.given_options`` after ``--config``: the dests typed or set by the file, and
    ``recorded``: those a run's record set (not typed), each with the parser's default;
    ``sources``: where each came from (a file's path, ``--set KEY=VALUE``, the command
    line), for ``--print-config``."""

    recorded: Dict[str, Any]  # (both set in __new__)
    sources: Dict[str, Any]

    def __new__(cls, dests: Iterable[str], recorded: Optional[Mapping] = None,
                sources: Optional[Mapping] = None):
        self = super().__new__(cls, dests)
        self.recorded = dict(recorded or {})
        self.sources = dict(sources or {})
        return self


def drop_recorded(args, unread: Iterable[str], reader: str) -> List[str]:
    """The dests of ``unread`` the user gave (typed, or in a file of their own), to be
    refused as today; those a run's record gave are set back to their defaults, no longer
    count as given, and are named in one note (``reader``: what does not read them)."""
    unread = list(unread)
    given = getattr(args, "given_options", None)
    recorded = getattr(given, "recorded", None) or {}
    dropped = [d for d in unread if d in recorded]
    if dropped and given is not None:  # (dropped: given has them recorded)
        for dest in dropped:  # (compare's options: no parser default, its config's instead)
            if recorded[dest] is argparse.SUPPRESS:
                delattr(args, dest)
            else:
                setattr(args, dest, recorded[dest])
        args.given_options = GivenOptions(set(given) - set(dropped),
                                          {k: v for k, v in recorded.items()
                                           if k not in dropped},
                                          {k: v for k, v in given.sources.items()
                                           if k not in dropped})
        flags = ", ".join("--" + d.replace("_", "-") for d in dropped)
        record = next((given.sources[d] for d in dropped if d in given.sources),
                      getattr(args, "config", None))  # (of several files: the record's)
        print(f"rnnlab: note: {flags}: from the run record --config "
              f"{record}, and {reader} does not read "
              f"{'them' if len(dropped) > 1 else 'it'}: dropped (left at the default)",
              file=sys.stderr)
    return [d for d in unread if d not in recorded]


SHAPES = ("depth", "width", "nonlinearity", "out_depth", "out_width")  # read by some only


def drop_unread_shapes(args) -> None:
    """A run record's shape options that the architecture of ``--model`` does not read (a
    dt-rnn record's ``depth``, run as ``--model lstm``): dropped with a note, where the
    same options typed are refused (:func:`rnnlab.nn.registry.check_read`)."""
    recorded = getattr(getattr(args, "given_options", None), "recorded", None)
    model = getattr(args, "model", None)
    if not recorded or not isinstance(model, str):
        return
    from .nn.architectures import ARCHITECTURES

    arch = ARCHITECTURES.get(model)  # (a baseline, or a plug-in's not loaded: not checked)
    if arch is not None:
        drop_recorded(args, [k for k in SHAPES if k in recorded and k not in arch.options],
                      f"--model {model}")


def drop_recorded_val_choice(args) -> None:
    """``lm train --config RUN_DIR`` with the other of ``--val-text`` / ``--val-fraction``
    typed: the record's choice is dropped with a note (``--config RUN_WITH_VAL_TEXT
    --val-fraction 0.2`` was refused as both given), where both typed, or in a file of
    one's own, are still refused (:func:`rnnlab.lm.val_text.load_val_text`)."""
    given = getattr(args, "given_options", None) or ()
    recorded = getattr(given, "recorded", None) or {}
    if getattr(args, "val_text", None) is None or "val_fraction" not in given:
        return
    for dest, other in (("val_text", "val_fraction"), ("val_fraction", "val_text")):
        if dest in recorded and other not in recorded:
            drop_recorded(args, [dest], "--" + other.replace("_", "-"))
            return


def drop_recorded_optimizer_settings(args) -> None:
    """A run record's SGD ``momentum``/``nesterov``/``dampening`` beside an ``--optimizer
    adam`` typed (or its Adam ``betas``/``eps``/``amsgrad`` beside ``--optimizer sgd``): dropped with a note, as a record's
    shapes another ``--model`` does not read (``--config SGD_RUN --optimizer adam`` was
    refused, "momentum=0.9 applies to optimizer='sgd' only", for a value the user never
    gave); the same typed, or in a file of one's own, are still refused."""
    given = getattr(args, "given_options", None) or ()
    recorded = getattr(given, "recorded", None) or {}
    optimizer = getattr(args, "optimizer", None)
    if not recorded or "optimizer" in recorded or not isinstance(optimizer, str):
        return  # (the record's own optimizer: its settings apply to it)
    unread = (("betas", "eps", "amsgrad") if optimizer == "sgd" else
              ("momentum", "nesterov", "dampening"))
    drop_recorded(args, [d for d in unread if d in recorded and hasattr(args, d) and
                         _value(getattr(args, d)) != _value(recorded[d])],
                  f"--optimizer {optimizer}")


def _value(v):
    return list(v) if isinstance(v, tuple) else v  # (a record's list, the default's tuple)
