"""The mark of Cho et al.'s form in the state_dict of a ``GRU(reset_after=False)`` or a
``GRUCell(reset_after=False)`` (the cell's, below, as the GRU's).

torch.nn.GRU's weights and those of rnnlab's ``GRU(reset_after=False)`` have the same
names and shapes, and compute different functions (the reset gate before or after the
product with W_hn). ``GRU(reset_after=False).load_state_dict(torch.nn.GRU(...).state_dict())``
loaded without a word and computed another function. So a Cho-form GRU's ``state_dict()``
holds one more entry, ``{prefix}reset_after``: ``tensor(False)``, and loading checks it:

* a dict marked Cho's into a GRU of torch's form (``rnnlab.nn.GRU`` by default, or
  ``torch.nn.GRU``, which calls the key unexpected) is refused, naming what to build;
* a dict without the mark into a Cho-form GRU warns (:class:`GRUFormWarning`): it is a
  torch.nn GRU's (another function), or rnnlab's own from before the mark (it loads as it
  did). rnnlab's own saved runs and models are not warned about: their loaders mark the
  weights they read first (:func:`marked_forms`).

A GRU of torch's form writes no mark: its state_dict stays torch.nn.GRU's, loaded strictly
both ways.
"""

from __future__ import annotations

import warnings
from typing import Dict, List, Mapping

import torch
from torch import Tensor, nn

from ..callers_line import callers_level

__all__ = ["FORM_KEY", "FormMarked", "GRUFormWarning", "drop_form_key", "form_loads",
           "is_form_key", "marked_forms", "save_form"]

FORM_KEY = "reset_after"  # (the attribute it records: False, Cho's form)


class GRUFormWarning(UserWarning):
    """A ``GRU(reset_after=False)`` given a state_dict without the mark of its form."""


def is_form_key(key: str) -> bool:
    """Whether ``key`` (a state_dict's) is the mark of a GRU's form (the last part of its
    name is ``reset_after``: no parameter or buffer of rnnlab's has that name)."""
    return key.rsplit(".", 1)[-1] == FORM_KEY


def _cho(module: nn.Module) -> bool:
    """Whether ``module`` is one of rnnlab's GRUs or GRU cells in Cho et al.'s form."""
    return isinstance(module, (nn.GRU, nn.GRUCell)) and not getattr(module, "reset_after", True)


def save_form(gru: nn.Module, destination: Dict[str, Tensor], prefix: str) -> None:
    """``gru._save_to_state_dict``'s addition: the mark, for Cho's form only."""
    if _cho(gru):
        destination[prefix + FORM_KEY] = torch.tensor(False)


def drop_form_key(prefix: str, unexpected_keys: List[str]) -> None:
    """After torch's ``_load_from_state_dict``: the mark is no unexpected key to a rnnlab
    GRU (of either form: one of torch's form refuses a mark of Cho's, :func:`form_loads`)."""
    while prefix + FORM_KEY in unexpected_keys:
        unexpected_keys.remove(prefix + FORM_KEY)


def form_loads(gru: nn.Module, state_dict: Mapping[str, object], prefix: str,
               error_msgs: List[str]) -> bool:
    """Before ``gru._load_from_state_dict`` loads: whether it may (False: the dict is marked
    with the other form, an error added to ``error_msgs``, which ``load_state_dict`` raises,
    strict or not). A Cho-form GRU given no mark warns (:class:`GRUFormWarning`)."""
    key = prefix + FORM_KEY
    cho = _cho(gru)
    if key not in state_dict:
        if cho:
            warnings.warn(
                f"{type(gru).__name__}(reset_after=False): the state_dict{f' at {prefix[:-1]!r}' if prefix else ''}"
                f" has no mark of the GRU's form ({key}): a torch.nn.{type(gru).__name__}'s "
                f"weights (torch's form) compute another function in Cho et al.'s GRU; load "
                f"them into {type(gru).__name__}(...) of torch's form (reset_after=True). A "
                f"state_dict saved from rnnlab's {type(gru).__name__}(reset_after=False) "
                f"before the mark loads as it did: save it again to mark it", GRUFormWarning, stacklevel=callers_level(2))
        return True
    marked = state_dict[key]
    theirs = bool(marked.item() if isinstance(marked, Tensor) and marked.numel() == 1
                  else marked)  # (reset_after: False, Cho's form, the only mark written)
    if theirs is cho:
        error_msgs.append(
            f"the state_dict holds {key}={marked!r}, the mark of "
            f"{'torch' if theirs else 'Cho et al.'}'s GRU form, and this GRU has "
            f"reset_after={not cho}: the weights would compute another function; build "
            f"the GRU with reset_after={theirs}")
        return False
    return True


class FormMarked:
    """Mixin of rnnlab's ``GRU`` and ``GRUCell``: torch's ``_save_to_state_dict`` and
    ``_load_from_state_dict``, with the mark of Cho's form written, and checked before
    a load (:func:`save_form`, :func:`form_loads`)."""

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        super()._save_to_state_dict(destination, prefix, keep_vars)  # type: ignore[misc]
        save_form(self, destination, prefix)  # type: ignore[arg-type]

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        if not form_loads(self, state_dict, prefix, error_msgs):  # type: ignore[arg-type]
            return  # (the error raised by load_state_dict; nothing copied)
        super()._load_from_state_dict(  # type: ignore[misc]
            state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs)
        drop_form_key(prefix, unexpected_keys)


def marked_forms(module: nn.Module, weights: Mapping[str, Tensor]) -> Dict[str, Tensor]:
    """``weights`` (read from a file rnnlab wrote for a model built as ``module``) with the
    mark of each Cho-form GRU's form where it lacks one: written before the mark existed,
    they are that GRU's own, and load without :class:`GRUFormWarning`."""
    out = dict(weights)
    for name, sub in module.named_modules():
        if _cho(sub):
            out.setdefault(f"{name}.{FORM_KEY}" if name else FORM_KEY, torch.tensor(False))
    return out
