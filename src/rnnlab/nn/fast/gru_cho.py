r"""Whole-sequence kernel for the GRU in Cho et al.'s form (``reset_after=False``).

torch has no fused kernel for this form, so the reference path is a Python loop of
about 12 autograd nodes per step. This kernel is one autograd node for the whole
sequence, with backpropagation through time written by hand:

.. math::
    a_t &= h_{t-1} W_{h,rz}^T + b_{h,rz}, \quad [r_t, z_t] = \sigma(x_{rz,t} + a_t) \\
    n_t &= \tanh(x_{n,t} + (r_t \odot h_{t-1}) W_{hn}^T + b_{hn}) \\
    h_t &= n_t + z_t \odot (h_{t-1} - n_t)

where x_t = x W_ih^T + b_ih is the hoisted input projection (T, B, 3H).
Gradients of the recurrent weights are one matrix product over all steps at the end,
not T small ones.
"""

from __future__ import annotations

from typing import Optional, Tuple

import torch
from torch import Tensor

from .common import first_order_only, masked_grads, masked_update


def gru_cho_forward(xp: Tensor, h0: Tensor, w: Tensor, b: Optional[Tensor],
                    mask: Optional[Tensor], keep: bool = True):
    """The loop. Returns (out (T, B, H), h_T, saved buffers for the backward); ``keep``
    False (no backward to come): the backward's buffers are one step deep, reused."""
    T, B, G = xp.shape
    H = G // 3
    w_rz_t = w[: 2 * H].t().contiguous()  # (H, 2H); contiguous: faster small products
    w_n_t = w[2 * H:].t().contiguous()  # (H, H)
    xpb = xp if b is None else xp + b  # both biases ride with the input, added once
    x_rz, x_n = xpb[..., : 2 * H].unbind(0), xpb[..., 2 * H:].unbind(0)
    hs = xp.new_empty(T + 1, B, H)  # hs[t]: the state entering step t
    hs[0] = h0
    # (inference on a long sequence: 4H per step kept for no backward, 4 times the output)
    depth = T if keep else 1
    RZ = xp.new_empty(depth, B, 2 * H)  # sigmoid(r), sigmoid(z)
    N = xp.new_empty(depth, B, H)  # candidate n_t
    RH = xp.new_empty(depth, B, H)  # r_t * h_{t-1}, the input of W_hn
    new = hs[1:] if mask is None else xp.new_empty(T, B, H)  # the cell's h_t before masking
    hs_l, new_l = hs.unbind(0), new.unbind(0)
    rz_l, n_l, rh_l = (buf.unbind(0) if keep else [buf[0]] * T for buf in (RZ, N, RH))
    for t in range(T):
        h, rz, n, hn = hs_l[t], rz_l[t], n_l[t], new_l[t]
        torch.addmm(x_rz[t], h, w_rz_t, out=rz).sigmoid_()
        rh = torch.mul(rz[:, :H], h, out=rh_l[t])
        torch.addmm(x_n[t], rh, w_n_t, out=n).tanh_()
        torch.sub(h, n, out=hn)
        hn.mul_(rz[:, H:]).add_(n)
        if mask is not None:
            masked_update(mask[t], hn, h, hs_l[t + 1])
    out = hs[1:] if mask is None else new * mask
    return out, hs[T], (hs, RZ, N, RH)


class GRUChoFunction(torch.autograd.Function):
    """(xp, h0, weight_hh, bias_hh, mask, backend, keep) -> (outputs (T, B, H), h_T), BPTT
    by hand; ``keep`` False: no backward will run (:func:`run_gru_cho`), nothing is kept."""

    @staticmethod
    def forward(ctx, xp, h0, w, b, mask, backend="torch", keep=True):
        if backend.startswith("triton"):
            from . import gru_cho_resident, gru_cho_triton

            xpb = xp if b is None else xp + b
            if backend == "triton-resident":
                hs, RZ, N, RH, new = gru_cho_resident.forward(xpb, h0, w, mask)
            else:
                hs, RZ, N, RH, new = gru_cho_triton.forward(xpb, h0, w, mask,
                                                            split=backend == "triton-split")
            out = hs[1:] if mask is None else new * mask
            h_T, saved = hs[xp.shape[0]], (hs, RZ, N, RH)
        else:
            out, h_T, saved = gru_cho_forward(xp, h0, w, b, mask, keep)
        ctx.save_for_backward(w, mask, *saved)
        ctx.has_bias, ctx.backend = b is not None, backend
        ctx.mark_non_differentiable(*(() if mask is None else (mask,)))
        return out, h_T.clone()

    @staticmethod
    @first_order_only
    def backward(ctx, dout, dh_T):
        w, mask, hs, RZ, N, RH = ctx.saved_tensors
        T, B, H = N.shape
        w_rz, w_n = w[: 2 * H], w[2 * H:]
        dxp = hs.new_empty(T, B, 3 * H)
        dx_rz, dx_n = dxp[..., : 2 * H].unbind(0), dxp[..., 2 * H:].unbind(0)
        if dout is None:
            dout = hs.new_zeros(T, B, H)
        if ctx.backend.startswith("triton"):
            from . import gru_cho_resident, gru_cho_triton

            dh = hs.new_zeros(B, H) if dh_T is None else dh_T
            if ctx.backend == "triton-resident":
                dxp, g = gru_cho_resident.backward(dout, dh, hs, RZ, N, mask, w)
            else:
                dxp, g = gru_cho_triton.backward(dout, dh, hs, RZ, N, mask, w,
                                                 split=ctx.backend == "triton-split")
            return _weight_grads(ctx, dxp, g, hs, RH)
        g = hs.new_zeros(B, H) if dh_T is None else dh_T.clone()
        hs_l, n_l, rz_l = hs.unbind(0), N.unbind(0), RZ.unbind(0)
        for t in range(T - 1, -1, -1):
            h, n, rz = hs_l[t], n_l[t], rz_l[t]
            r, z = rz[:, :H], rz[:, H:]
            if mask is None:
                gn = g.add_(dout[t])  # dL/dh_t (g is this loop's own buffer)
                carry = None
            else:
                gn, carry = masked_grads(mask[t], g, dout[t])
            # h_t = n + z (h - n)
            dh = gn * z
            dnp = dx_n[t]  # gn (1 - z), then through tanh, one fused op as autograd's
            torch.ops.aten.tanh_backward.grad_input(gn - dh, n, grad_input=dnp)
            drz = dx_rz[t]
            torch.mul(gn, h - n, out=drz[:, H:])  # dL/dz
            drh = dnp @ w_n  # (B, H)
            dh.addcmul_(drh, r)
            torch.mul(drh, h, out=drz[:, :H])  # dL/dr
            torch.ops.aten.sigmoid_backward.grad_input(drz, rz, grad_input=drz)  # the sigmoids
            g = torch.addmm(dh, drz, w_rz)
            if carry is not None:
                g.add_(carry)
        return _weight_grads(ctx, dxp, g, hs, RH)


def _weight_grads(ctx, dxp: Tensor, g: Tensor, hs: Tensor, RH: Tensor):
    """From the loop's dL/dxp (T, B, 3H) and dL/dh0: every input's gradient."""
    T, B, G = dxp.shape
    H = G // 3
    flat = dxp.view(T * B, 3 * H)
    dw = db = None
    if ctx.needs_input_grad[2]:
        dw = torch.cat([flat[:, : 2 * H].t() @ hs[:T].reshape(T * B, H),
                        flat[:, 2 * H:].t() @ RH.view(T * B, H)])
    if ctx.has_bias and ctx.needs_input_grad[3]:
        db = flat.sum(0)
    return dxp, g, dw, db, None, None, None


def run_gru_cho(cell, xp: Tensor, state: Tensor, mask: Optional[Tensor],
                backend: str = "torch") -> Tuple[Tensor, Tensor]:
    """Recurrent's loop for a ``GRUCell(reset_after=False)``: (out (T, B, H), h_T);
    backend "torch", "triton", "triton-split" (:mod:`.gru_cho_triton`) or
    "triton-resident" (:mod:`.gru_cho_resident`)."""
    keep = torch.is_grad_enabled() and any(
        t is not None and t.requires_grad for t in (xp, state, cell.weight_hh, cell.bias_hh))
    return GRUChoFunction.apply(xp, state, cell.weight_hh, cell.bias_hh, mask, backend, keep)


def gru_cho_row_elements(cell) -> int:
    """Elements per step and batch row of the Triton kernels' largest buffer (xpb, dxp: 3H)."""
    return 3 * cell.hidden_size


def gru_cho_resident_reason(cell, dtype: torch.dtype) -> Optional[str]:
    """Why ``triton-resident`` cannot keep this GRU's weights on chip (the dispatch then
    runs ``triton-split``), or None when it can."""
    from .gru_cho_resident import unfit_reason  # imports Triton: only when asked

    return unfit_reason(cell, dtype)
