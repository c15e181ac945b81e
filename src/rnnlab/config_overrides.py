"""``--set KEY=VALUE``: one option set on the command line by its settings-file key, over
every ``--config`` file (as Hydra's ``key=value`` overrides, Lightning CLI's
``--trainer.max_epochs=5``); repeated, the later wins.

``KEY`` is a settings-file key (``hidden_size`` or ``hidden-size``); ``VALUE`` is the text
the option reads on the command line, read by that option's own parser (its type, its
choices): ``--set epochs=5``, ``--set model=gru``. A switch takes ``true`` or ``false``
(``yes``/``no``, ``on``/``off``, ``1``/``0``); an option of several values takes them
separated by commas (``--set quantiles=0.1,0.5,0.9``, or in brackets as Hydra writes a
list, ``--set quantiles=[0.1,0.5,0.9]``; a repeatable option of text,
``lm train``'s ``prefix``, takes the text whole: one value); ``null`` sets an option back to
"not given" (``--set horizon=null``: its default ``None``), where the option allows it.
"""

from __future__ import annotations

import argparse
from typing import List, Tuple

from .config_values import SWITCHES, _reads_commas, takes_several
from .io.errors import OptionError

TRUE, FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


def split_override(text: str) -> Tuple[str, str]:
    """(key, value text) of ``--set KEY=VALUE``; OptionError for one without ``=``."""
    key, eq, value = str(text).partition("=")
    key = key.strip()
    if not eq or not key:
        raise OptionError(f"--set {text}: expected KEY=VALUE, a settings-file key and the "
                          f"value its option takes (--set epochs=5, --set model=gru); "
                          f"found {'no =' if not eq else 'no key before ='}")
    if key.startswith("-"):
        raise OptionError(f"--set {text}: the key is written without its leading dashes "
                          f"(--set {key.lstrip('-')}={value})")
    return key, value


def override_value(action: argparse.Action, text: str):
    """The value of ``text`` in the form a settings file gives it (a bool for a switch, a
    list for an option of several values, None for ``null``), for
    :func:`rnnlab.config_values.converted` to read as the option does."""
    word = text.strip().lower()
    if isinstance(action, SWITCHES):
        return True if word in TRUE else False if word in FALSE else text
    if word == "null":
        return None
    if isinstance(action, argparse._AppendAction) and action.type in (None, str):
        return [text]  # (lm train's --prefix: text, commas and all; several: in the file)
    many = takes_several(action)
    inner = text.strip()[1:-1] if text.strip()[:1] + text.strip()[-1:] == "[]" else None
    if many:  # ([0.1,0.9], Hydra's list: the values inside, as a,b reads them)
        text = text if inner is None else inner
        return [] if not text.strip() else [x.strip() for x in text.split(",")]
    if inner is not None and _reads_commas(action):  # (--set models=[rnn,gru]: rnn,gru)
        return ",".join(x.strip() for x in inner.split(","))
    return text


def overrides_of(args: argparse.Namespace) -> List[str]:
    """The ``--set`` texts typed, in order."""
    return list(getattr(args, "set", None) or ())
