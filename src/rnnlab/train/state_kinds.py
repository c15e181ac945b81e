"""A checkpoint's training state checked against the one this run would save, before a
resume reads it: each field the two share must be of the same kind (a tensor, a whole
number, a number, text, true/false, a list, an object), the position and counters whole
numbers >= 0, the history's fields those of :class:`~rnnlab.train.run_state.History`,
the best weights and the carried state tensors. A training state rewritten with its hash
recorded again (``"epoch": null``, ``"scheduler": {"patience": "x"}``, ``"history":
{"epochs": "x"}``) was read as it came and failed inside the loop (TypeError, KeyError,
AttributeError), often epochs later; it is refused here, naming the field."""

from __future__ import annotations

import dataclasses
import math
import numbers

import torch

from ..io.errors import CheckpointError
from ..number_kinds import is_whole


def check_state_kinds(st: dict, reference: dict, history_cls, where) -> None:
    """CheckpointError naming the first field of ``st`` whose kind differs from
    ``reference``'s (what :meth:`RunState.save` writes now)."""
    problem = (_differ(_unknown_cpu_left_out(st), reference, "") or _counters(st)
               or _history(st.get("history"), history_cls))
    for name in ("best_state", "carry"):  # (a task's carry may count too: {"h": h, "seen": 3})
        carry = name == "carry"  # (a flag or a word too, {"h": h, "warm": True}, which
        if problem is None and not _tensors_only(st.get(name), numbers_too=carry,  # a save
                                                 flags_too=carry):  # writes: were refused)
            problem = f"{name} should hold tensors{', numbers and text' if carry else ''} only"
        if problem is None and st.get(name) is not None and not _any_tensor(st[name]):
            problem = f"{name} should hold tensors, found none"  # (a carry of {}: see below)
    if problem is None and st.get("optimizer") is not None:
        saved = st["optimizer"].get("state", {})
        if not (isinstance(saved, dict) and all(isinstance(v, dict) and _tensors_only(
                v, numbers_too=True) for v in saved.values())):
            problem = "optimizer.state should map each parameter to its tensors"
    if problem:
        raise CheckpointError(f"{where}: its training state is not one rnnlab writes: "
                              f"{problem}; the file was edited or damaged: resume from "
                              f"another checkpoint, or start the run again")


def _kind(v) -> str:
    if isinstance(v, torch.Tensor):  # (one value: a captured run's learning rate, which
        if v.dim() == 0:  # resumes eagerly, and back: optim.settle_lr)
            return "a number" if v.is_floating_point() else "a whole number"
        return "a tensor"
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, numbers.Integral):
        return "a whole number"
    if isinstance(v, numbers.Real):
        return "a number"
    return {str: "text", list: "a list", tuple: "a list", dict: "an object",
            type(None): "null"}.get(type(v), type(v).__name__)


def _differ(saved, ref, path: str):
    if ref is None:  # (the fresh run has none yet: best weights, a carried state)
        return None
    ks, kr = _kind(saved), _kind(ref)
    if kr == "a number" and ks == "a whole number":
        ks = kr
    if ks != kr:
        return f"{path or 'the state'} should be {kr}, found {ks}"
    if kr == "a number" and math.isnan(float(saved)) and not math.isnan(float(ref)):
        return f"{path} should be a number, found NaN"
    if kr == "an object":
        for k in saved.keys() & ref.keys():
            why = _differ(saved[k], ref[k], f"{path}.{k}" if path else str(k))
            if why:
                return why
    if kr == "a list":
        for i, (s, r) in enumerate(zip(saved, ref)):
            why = _differ(s, r, f"{path}[{i}]")
            if why:
                return why
    return None


def _counters(st: dict):
    for k in ("epoch", "index", "bad_epochs"):
        v = st.get(k)
        if not is_whole(v) or v < 0:
            return f"{k} should be a whole number >= 0, found {v!r}"
    return None


def _history(h, history_cls):
    if not isinstance(h, dict):
        return "history should be an object"
    names = {f.name for f in dataclasses.fields(history_cls)}
    unknown = sorted(set(h) - names)
    if unknown:
        return f"history holds unknown fields {unknown[:3]}"
    nullable = (("best_epoch", (int,)), ("best_val_loss", (int, float)),
                ("cpu_seconds", (int, float)))  # (None: a run whose CPU time is unknown)
    for k, kinds in nullable:
        v = h.get(k)
        if v is not None and (isinstance(v, bool) or not isinstance(v, kinds)):
            return f"history.{k} should be null or a number, found {v!r}"
    if not (isinstance(h.get("epochs", []), list) and
            all(isinstance(e, dict) for e in h.get("epochs", []))):
        return "history.epochs should be a list of objects"
    return _differ(_unknown_cpu_left_out({"history": h})["history"], history_cls().to_dict(),
                   "history")


def _unknown_cpu_left_out(st: dict) -> dict:
    """``st`` without its history's ``cpu_seconds`` where that is None (a run resumed from
    an earlier rnnlab's checkpoint, whose CPU time is unknown), for the comparison of kinds
    with a fresh state's number; the caller's dicts are left as they were."""
    h = st.get("history")
    if not (isinstance(h, dict) and "cpu_seconds" in h and h["cpu_seconds"] is None):
        return st
    return dict(st, history={k: v for k, v in h.items() if k != "cpu_seconds"})


def _tensors_only(tree, numbers_too: bool = False, flags_too: bool = False) -> bool:
    if tree is None or isinstance(tree, torch.Tensor):
        return True
    if numbers_too and isinstance(tree, numbers.Real) and (
            flags_too or not isinstance(tree, bool)):
        return True
    if flags_too and isinstance(tree, str):
        return True
    if isinstance(tree, (list, tuple)):
        return all(_tensors_only(t, numbers_too, flags_too) for t in tree)
    if isinstance(tree, dict):
        return all(_tensors_only(t, numbers_too, flags_too) for t in tree.values())
    return False


def _any_tensor(tree) -> bool:
    """Whether ``tree`` holds a tensor (a carried state or best weights of none is not one
    rnnlab writes: an LSTM then refused ``{}`` as its state inside the loop)."""
    if isinstance(tree, torch.Tensor):
        return True
    items = tree.values() if isinstance(tree, dict) else tree if isinstance(
        tree, (list, tuple)) else ()
    return any(_any_tensor(t) for t in items)
