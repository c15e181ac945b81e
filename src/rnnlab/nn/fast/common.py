"""Helpers shared by the whole-sequence kernels: masking for variable lengths, the
guard that keeps their hand-written backward to first derivatives (and out of vmap),
and running a call outside torch.compile's trace."""

from __future__ import annotations

import functools
from typing import Tuple

import torch
from torch import Tensor
from ...io.errors import UnsupportedError


def masked_update(m: Tensor, new: Tensor, old: Tensor, out: Tensor) -> None:
    """state_t = new where the sequence is still running (m, (B, 1) bool), else old."""
    torch.where(m, new, old, out=out)


def masked_grads(m: Tensor, g: Tensor, dout: Tensor) -> Tuple[Tensor, Tensor]:
    """Split dL/dstate_t between the cell's new state and the carried old one.

    Reference: ``state_t = where(m, new, old)``, ``out_t = new * m``. Returns
    (dL/dnew, the part of dL/dold that skips the cell).
    """
    zero = g.new_zeros(())
    return torch.where(m, g + dout, zero), torch.where(m, zero, g)


def first_order_only(backward):
    """Wrap a ``torch.autograd.Function.backward`` written by hand (no graph of its own).

    ``torch.autograd.function.once_differentiable`` is not enough: when the incoming
    gradients do not require grad (``autograd.grad(loss, x, create_graph=True)``) it
    returns constants, and a second derivative through the kernel comes back silently
    as None or wrong. Here a backward asked for a graph (``create_graph=True``: double
    backward, gradient penalties, Hessian-vector products) raises instead.
    """

    @functools.wraps(backward)
    def wrapper(ctx, *grads):
        if any(_batched(g) for g in grads):
            raise UnsupportedError(
                "rnnlab's fast recurrent kernel (GRU(reset_after=False) and the deep-"
                "transition cells) cannot run its backward under vmap, as a batched "
                "backward asks (torch.autograd.grad(..., is_grads_batched=True); "
                "torch.autograd.functional.jacobian or hessian with vectorize=True): its "
                "hand-written backward updates buffers in place. Run these layers on the "
                "step loop, which takes it: impl='reference' on the layer, or "
                "rnnlab.nn.paths.set_impl(model, 'reference') (torch.func.jacrev and vmap "
                "run it by themselves); or leave vectorize off.")
        if torch.is_grad_enabled():
            raise UnsupportedError(
                "rnnlab's fast recurrent kernel (GRU(reset_after=False) and the deep-"
                "transition cells) computes first derivatives only, and this backward was "
                "asked for a graph (create_graph=True: double backward, a gradient "
                "penalty, a Hessian-vector product). Run these layers on the step loop, "
                "which autograd differentiates twice: impl='reference' on the layer, or "
                "rnnlab.nn.paths.set_impl(model, 'reference').")
        with torch.no_grad():
            return backward(ctx, *grads)

    return wrapper


def _batched(g) -> bool:
    """True for a gradient vmap batches: torch.func's BatchedTensor, or the legacy one
    ``is_grads_batched`` wraps the gradients in."""
    if not isinstance(g, Tensor):
        return False
    checks = [getattr(torch._C._functorch, name, None)
              for name in ("is_batchedtensor", "is_legacy_batchedtensor")]
    return any(check is not None and check(g) for check in checks)


_UNTRACED: dict = {}  # function -> its torch.compiler.disable'd wrapper

def run_untraced(fn, *args):
    """``fn(*args)`` outside dynamo's trace (a graph break), for code that must see real
    tensors. The ``torch.compiler.disable`` wrapper is made at the first call, under
    compilation: made at import, it imported torch._dynamo (1.6-2 s, as long as torch
    itself) into every ``import rnnlab.nn``. Under ``fullgraph=True`` the first call
    stops at an explicit graph break saying why (:data:`.dynamo_words.UNTRACED_REASON`),
    the later ones at the wrapper, whose reason says the same (an older torch takes no
    reason: its own words then)."""
    untraced = _UNTRACED.get(fn)
    if untraced is None:
        import torch._dynamo  # (loaded already: this runs under compilation)

        from .dynamo_words import BREAK_WORDS, DISABLE_WORDS  # (this torch's keywords)

        torch._dynamo.graph_break(**BREAK_WORDS)
        untraced = _UNTRACED[fn] = torch.compiler.disable(fn, **DISABLE_WORDS)
    return untraced(*args)
