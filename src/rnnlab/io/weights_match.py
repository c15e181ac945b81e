"""A model built from a saved config, checked against the weights it is to load: the
same tensor names, shapes and kinds (:func:`check_state_dict`), checked on torch's meta
device before any memory is taken (:func:`check_built_shapes`), and no more layers or
members than the weights hold tensors (:func:`counts_past`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict

from .errors import CheckpointError

if TYPE_CHECKING:  # (imported where weights are read: the parsers must not import torch)
    import torch
    from torch import nn


# config settings that each add modules, and so at least one tensor, to the model built
COUNTS = ("num_layers", "depth", "out_depth", "ensemble")


def counts_past(config, tensors: int) -> list:
    """The counts of layers or members in ``config`` (a dict, or an object with those
    attributes) larger than the ``tensors`` the weights hold: they cannot be the saved
    model's, and are refused before it is built (even on the meta device,
    ``"num_layers": 20000`` took minutes to construct, a million "forever")."""
    get = config.get if isinstance(config, dict) else lambda k: getattr(config, k, None)
    return [f"{k}={v}" for k, v in ((k, get(k)) for k in COUNTS)
            if type(v) is int and v > max(tensors, 1)]


def check_built_shapes(build, path, shapes=None) -> None:
    """``build()`` on torch's meta device (no memory taken, whatever the sizes) checked
    against the shapes in the header of the safetensors file ``path`` (``shapes``: that
    header's, read already): CheckpointError naming the shapes that differ
    (:func:`check_state_dict`)."""
    import torch

    from .weights import header_shapes

    from .private_draws import private_draws

    shapes = header_shapes(path) if shapes is None else shapes
    with torch.device("meta"), private_draws():  # (nothing drawn: no torch._dynamo import)
        probe = build()
    check_state_dict(probe, shapes, path)


def check_state_dict(module: nn.Module, weights: Dict[str, torch.Tensor], source) -> None:
    """``weights``: tensors, or each one's (shape, is floating point, dtype name)
    (:func:`rnnlab.io.weights.header_shapes`)."""
    def described(t):
        return t if isinstance(t, tuple) else (tuple(t.shape), t.is_floating_point(),
                                               str(t.dtype).replace("torch.", ""))

    own = {k: described(v) for k, v in module.state_dict().items()}
    weights = {k: described(v) for k, v in weights.items()}
    from ..nn.gru_form import is_form_key

    # (a GRU(reset_after=False)'s mark of its form: none in weights written before it)
    missing = sorted(k for k in set(own) - set(weights) if not is_form_key(k))
    unexpected = sorted(set(weights) - set(own))
    wrong = [f"{k}: file {weights[k][0]} vs model {own[k][0]}"
             for k in own if k in weights and weights[k][0] != own[k][0]]
    # integer (or bool) weights for float parameters: load_state_dict would cast them silently
    kinds = [f"{k}: file {weights[k][2]} vs model {own[k][2]}" for k in own
             if k in weights and weights[k][1] != own[k][1]]
    if missing or unexpected or wrong or kinds:
        parts = []
        if missing:
            parts.append(f"missing {missing[:5]}")
        if unexpected:
            parts.append(f"unexpected {unexpected[:5]}")
        if wrong:
            parts.append("shape mismatch " + "; ".join(wrong[:5]))
        if kinds:
            parts.append("dtype mismatch " + "; ".join(kinds[:5]))
        raise CheckpointError(f"{source}: weights do not match the model built from its config: "
                              + ", ".join(parts) + ". They were written by another model "
                              "(architecture, sizes or vocabulary): load them with the options "
                              "they were saved with, or start a new run")
