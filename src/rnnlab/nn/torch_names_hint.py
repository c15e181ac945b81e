"""What a composed layer's ``load_state_dict`` says when it is given torch.nn's RNN names
(``weight_ih_l0``): torch's "Missing key(s)" alone, and how to load them
(:func:`rnnlab.nn.from_torch_state_dict`, :mod:`rnnlab.nn.torch_keys`). Apart from that
module, which imports the layers this one is part of."""

from __future__ import annotations

import re
from typing import Any, Mapping

from torch import nn
from torch.nn.modules.module import _IncompatibleKeys

_TORCH_KEY = re.compile(r"(weight|bias)_(ih|hh|hr)_l\d+(_reverse)?")


def load_state_dict_hinting(self: nn.Module, state_dict: Mapping[str, Any], strict: bool = True,
                           assign: bool = False) -> _IncompatibleKeys:
    """``load_state_dict`` of the composed layers: torch's, and where it fails on torch.nn's
    RNN names (``weight_ih_l0``), its error also says so and how to load them (torch's
    "Missing key(s)" alone did not)."""
    try:
        return nn.Module.load_state_dict(self, state_dict, strict=strict, assign=assign)
    except RuntimeError as e:
        theirs = [k for k in state_dict if _TORCH_KEY.fullmatch(k)]
        if not theirs:
            raise
        name = type(self).__name__
        mine = next(iter(self.state_dict()), "cell.weight_ih")
        raise RuntimeError(
            f"{e}\n\t{name}: the state_dict holds torch.nn's RNN names "
            f"({', '.join(theirs[:4])}{', ...' if len(theirs) > 4 else ''}), and {name} names "
            f"each weight by its layer and cell ({mine}); load it with layer.load_state_dict("
            f"rnnlab.nn.from_torch_state_dict(layer, state_dict)), or into rnnlab.nn.LSTM, GRU "
            f"or RNN, which keep torch.nn's names") from None
