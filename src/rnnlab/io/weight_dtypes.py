"""A note when a saved model's weights are stored in another floating type than the model
built to read them computes in: weights saved as float16 (a model put in half precision,
``net.half()``, then saved) load into rnnlab's float32 model by an exact cast, and float64
ones by rounding, both without a word before. The load goes on (the cast is what torch's
``load_state_dict`` does); the note says it once per load, for the forecast, panel and
language-model loaders alike (:func:`rnnlab.io.model_dir.load_weights_into`)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Dict, List, Tuple

if TYPE_CHECKING:
    import torch
    from torch import nn


def cast_weights(module: "nn.Module", weights: Dict[str, "torch.Tensor"]) -> Dict[
        Tuple[str, str], List[str]]:
    """The floating tensors of ``weights`` whose dtype is not that of ``module``'s own
    tensor of the same name, by (file dtype, model dtype): ``{("float16", "float32"):
    [names]}``."""
    own = module.state_dict()
    cast: Dict[Tuple[str, str], List[str]] = {}
    for name, t in weights.items():
        mine = own.get(name)
        if mine is None or not (t.is_floating_point() and mine.is_floating_point()) \
                or t.dtype == mine.dtype:
            continue
        key = (_name(t.dtype), _name(mine.dtype))
        cast.setdefault(key, []).append(name)
    return cast


def note_cast_weights(module: "nn.Module", weights: Dict[str, "torch.Tensor"], source) -> None:
    """One note on stderr when ``weights`` (read from ``source``) hold floating tensors of
    another dtype than ``module``'s: how many, which dtypes, and whether the cast into
    the model is exact (a narrower type widened) or rounds (a wider one)."""
    import torch

    cast = cast_weights(module, weights)
    if not cast:
        return
    total = sum(1 for t in weights.values() if t.is_floating_point())
    parts = []
    for (saved, into), names in cast.items():
        exact = torch.finfo(getattr(torch, saved)).bits < torch.finfo(getattr(torch, into)).bits
        are, load = ("is", "loads") if len(names) == 1 else ("are", "load")
        parts.append(f"{len(names)} of its {total} floating weight tensors {are} stored as "
                     f"{saved} and {load} into this {into} model "
                     + ("by an exact cast (the model computes in " + into + "; its weights "
                        "keep " + saved + "'s precision)" if exact else
                        "rounded to " + into))
    into = " and ".join(sorted({into for _, into in cast}))
    print(f"rnnlab: note: {source}: " + "; ".join(parts) + f". Save the loaded model again "
          f"to store them as {into}", file=sys.stderr)


def _name(dtype) -> str:
    return str(dtype).replace("torch.", "")


__all__ = ["cast_weights", "note_cast_weights"]
