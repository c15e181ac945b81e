r"""Whole-sequence kernel for :class:`~rnnlab.nn.deep.DTRNNCell` (DT-RNN and DT(S)-RNN).

The reference loop runs the cell's MLP step by step: per step about 3 autograd nodes
per layer (linear, add, φ) plus the shortcut's. This kernel is one autograd node for
the whole sequence. Per step, with the input part xp_t hoisted (``project_input``):

.. math::
    A_t &= h_{t-1} [W_1; W_s]^\top + (xp_t + [b_{hh}; b_L])  && \text{one addmm: (B, F1 [+ H])} \\
    z^{(1)}_t &= \phi(A_{t,:F1}), \quad
    z^{(l)}_t = \phi(z^{(l-1)}_t W_l^\top + b_l) \\
    h_t &= \phi(z^{(L-1)}_t W_L^\top + A_{t,F1:})  && \text{(shortcut: } A_{t,F1:} =
        h_{t-1} W_s^\top + x_t U_s^\top + b_L)

so the shortcut costs no extra product per step: its h-part rides in the first
layer's product. The backward through time mirrors it (one product per layer plus one
for dh_{t-1}); the weights' gradients are one product per layer over all T·B rows at
the end. Without shortcut, the bias b_L is added by the last layer's ``addmm``.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

import torch
from torch import Tensor

from .common import first_order_only, masked_grads, masked_update


def _act(name: str):
    return torch.Tensor.tanh_ if name == "tanh" else torch.Tensor.relu_


def _dact(name: str, dz: Tensor, z: Tensor, out: Tensor) -> Tensor:
    """dL/d(pre-activation) = dz * φ'(pre), from the activation z = φ(pre)."""
    # the fused ops autograd itself uses for tanh and relu: one kernel each
    if name == "tanh":
        return torch.ops.aten.tanh_backward.grad_input(dz, z, grad_input=out)  # dz (1 - z^2)
    return torch.ops.aten.threshold_backward.grad_input(dz, z, 0, grad_input=out)  # dz [z > 0]


def _addmm(bias: Optional[Tensor], a: Tensor, b: Tensor, out: Tensor) -> Tensor:
    return torch.mm(a, b, out=out) if bias is None else torch.addmm(bias, a, b, out=out)


def first_layer(xp: Tensor, w_hh: Tensor, b_hh: Optional[Tensor], w_sh: Optional[Tensor],
                layers: List[Tuple[Tensor, Optional[Tensor]]]) -> Tuple[Tensor, Tensor]:
    """(W_first (G, H), xpb): the first layer's weight with the shortcut's stacked under it,
    and the input part with the first layer's bias (and b_L, riding with the shortcut)
    added once for all steps."""
    shortcut = w_sh is not None
    w_first = torch.cat([w_hh, w_sh]) if w_sh is not None else w_hh
    b_first = b_hh
    if shortcut and b_hh is not None:
        b_last = layers[-1][1]
        assert b_last is not None  # (one bias setting: dt_kernel runs no mixed_biases cell)
        b_first = torch.cat([b_hh, b_last])
    return w_first, (xp if b_first is None else xp + b_first)


def dt_forward(act: str, xp: Tensor, h0: Tensor, mask: Optional[Tensor], w_hh: Tensor,
               b_hh: Optional[Tensor], w_sh: Optional[Tensor],
               layers: List[Tuple[Tensor, Optional[Tensor]]], keep: bool = True):
    """The loop. Returns (out (T, B, H), h_T, buffers for the backward); ``keep`` False
    (no backward to come): the backward's own buffers (A, Z) are one step deep, reused."""
    T, B, G = xp.shape
    H, F1 = h0.shape[1], w_hh.shape[0]
    depth, shortcut = len(layers) + 1, w_sh is not None
    phi_ = _act(act)
    w_first, xpb = first_layer(xp, w_hh, b_hh, w_sh, layers)  # (G, H); the bias added once
    w_first_t = w_first.t().contiguous()  # (H, G); a contiguous right operand is faster
    hs = xp.new_empty(T + 1, B, H)  # hs[t]: the state entering step t
    hs[0] = h0
    new = hs[1:] if mask is None else xp.new_empty(T, B, H)  # h_t before masking
    steps = T if keep else 1  # (inference on a long sequence: no backward reads them)
    A = new if depth == 1 else xp.new_empty(steps, B, G)  # z1 (activated) [+ shortcut pre-act]
    Z = [xp.new_empty(steps, B, w.shape[0]) for w, _ in layers[:-1]]  # z2 .. z_{L-1}
    hs_l, new_l, x_l = hs.unbind(0), new.unbind(0), xpb.unbind(0)
    A_l, *Z_l = (buf.unbind(0) if keep or buf is new else [buf[0]] * T for buf in [A, *Z])
    mids = [(w.t().contiguous(), b) for w, b in layers[:-1]]
    if depth > 1:
        w_last_t, b_last = layers[-1][0].t().contiguous(), layers[-1][1]
    for t in range(T):
        h, a = hs_l[t], A_l[t]
        torch.addmm(x_l[t], h, w_first_t, out=a)
        if depth > 1:
            z = phi_(a[:, :F1]) if shortcut else phi_(a)
            for k, (w_t, b) in enumerate(mids):
                z = phi_(_addmm(b, z, w_t, Z_l[k][t]))
            hn = new_l[t]
            if shortcut:
                torch.addmm(a[:, F1:], z, w_last_t, out=hn)
            else:
                _addmm(b_last, z, w_last_t, hn)
            phi_(hn)
        else:
            phi_(a)
        if mask is not None:
            masked_update(mask[t], new_l[t], h, hs_l[t + 1])
    out = hs[1:] if mask is None else new * mask
    return out, hs[T].clone(), (hs, new, A, Z, w_first)


def dt_forward_triton(act: str, xp: Tensor, h0: Tensor, mask: Optional[Tensor], w_hh: Tensor,
                      b_hh: Optional[Tensor], w_sh: Optional[Tensor],
                      layers: List[Tuple[Tensor, Optional[Tensor]]], split: bool = False,
                      resident: bool = False):
    """:func:`dt_forward` with the loop in one Triton kernel; Z comes back stacked.
    ``resident``: the kernel that keeps the weights on chip (:mod:`.dt_resident`)."""
    from . import dt_resident, dt_triton

    shortcut = w_sh is not None
    w_first, xpb = first_layer(xp, w_hh, b_hh, w_sh, layers)
    if resident:
        hs, new, A, Zs = dt_resident.forward(act, xpb, h0, mask, w_first, layers, shortcut)
    else:
        hs, new, A, Zs = dt_triton.forward(act, xpb, h0, mask, w_first, layers, shortcut,
                                           b_hh is not None, split)
    T = xp.shape[0]
    out = hs[1:] if mask is None else new * mask
    return out, hs[T].clone(), (hs, new, A, Zs, w_first)


def _backward_loop_torch(act, dout, dh_T, mask, hs, new, A, w_first, Z, weights, shortcut):
    """The backward loop as torch ops: returns (dxp, [dp_1, dp_2, ..., dp_L], dh0)."""
    T, B, H = new.shape
    depth = len(weights) + 1
    G, F1 = A.shape[-1], w_first.shape[0] - (H if shortcut else 0)
    dxp = hs.new_empty(T, B, G)  # dL/dA_t = dL/dxp_t
    dp1 = dxp[..., :F1]
    if depth == 1:
        dpL = dxp
    elif shortcut:
        dpL = dxp[..., F1:]
    else:
        dpL = hs.new_empty(T, B, H)
    dmid = [torch.empty_like(z) for z in Z]  # dL/dpre of layers 2..L-1
    pre_bufs = [dp1] + dmid + ([dpL] if depth > 1 else [])
    acts = [A[..., :F1]] + list(Z)
    dxp_l, dpL_l, new_l = dxp.unbind(0), dpL.unbind(0), new.unbind(0)
    pre_l = [p.unbind(0) for p in pre_bufs]
    act_l = [a.unbind(0) for a in acts]
    g = dh_T.clone()
    for t in range(T - 1, -1, -1):
        if mask is None:
            gn, carry = g.add_(dout[t]), None  # dL/dh_t; g is this loop's own buffer
        else:
            gn, carry = masked_grads(mask[t], g, dout[t])
        dp = _dact(act, gn, new_l[t], dpL_l[t])
        for l in range(depth - 1, 0, -1):  # layer l+1 -> layer l
            dz = dp @ weights[l - 1]  # (B, F)
            dp = _dact(act, dz, act_l[l - 1][t], pre_l[l - 1][t])
        g = dxp_l[t] @ w_first  # dL/dh_{t-1} through the first layer (and shortcut)
        if carry is not None:
            g.add_(carry)
    return dxp, pre_bufs, g


class DTFunction(torch.autograd.Function):
    """((act, backend, keep), xp, h0, mask, W_hh, b_hh, W_s, W_2, b_2, ..., W_L, b_L) ->
    (out, h_T); ``keep`` False: no backward will run (:func:`run_dt`), nothing is kept.

    backend "torch" runs the loops as torch ops (:func:`dt_forward`), "triton" in one
    Triton kernel each way (:mod:`rnnlab.nn.fast.dt_triton`), "triton-split" the same
    with each batch block spread over several programs, "triton-resident" with the
    weights kept on chip (:mod:`rnnlab.nn.fast.dt_resident`); all fill the same buffers.
    """

    @staticmethod
    def forward(ctx, cfg, xp, h0, mask, w_hh, b_hh, w_sh, *flat):
        act, backend, keep = cfg
        layers = list(zip(flat[0::2], flat[1::2]))
        triton = backend.startswith("triton")
        if triton:
            out, h_T, (hs, new, A, Z, w_first) = dt_forward_triton(
                act, xp, h0, mask, w_hh, b_hh, w_sh, layers, split=backend == "triton-split",
                resident=backend == "triton-resident")
        else:
            out, h_T, (hs, new, A, Z, w_first) = dt_forward(act, xp, h0, mask, w_hh, b_hh, w_sh,
                                                            layers, keep)
        ctx.act, ctx.backend = act, backend
        ctx.shortcut, ctx.has_bias = w_sh is not None, b_hh is not None
        Z = [Z] if triton else Z  # triton: one stacked (NMID, T, B, F) tensor
        ctx.num_z = len(Z)
        ctx.save_for_backward(mask, hs, new, A, w_first, *Z, *flat[0::2])
        if mask is not None:
            ctx.mark_non_differentiable(mask)
        return out, h_T

    @staticmethod
    @first_order_only
    def backward(ctx, dout, dh_T):
        mask, hs, new, A, w_first, *rest = ctx.saved_tensors
        Z, weights = rest[: ctx.num_z], list(rest[ctx.num_z:])  # z2..z_{L-1}; W_2..W_L
        act, shortcut = ctx.act, ctx.shortcut
        T, B, H = new.shape
        depth = len(weights) + 1
        G, F1 = A.shape[-1], w_first.shape[0] - (H if shortcut else 0)
        if dout is None:
            dout = hs.new_zeros(T, B, H)
        if dh_T is None:
            dh_T = hs.new_zeros(B, H)
        if ctx.backend.startswith("triton"):
            from . import dt_resident, dt_triton

            Zs = Z[0]
            if ctx.backend == "triton-resident":
                dxp, dmid, dpL, g = dt_resident.backward(act, dout, dh_T, new, A, Zs, mask,
                                                         w_first, weights, shortcut)
            else:
                dxp, dmid, dpL, g = dt_triton.backward(act, dout, dh_T, new, A, Zs, mask,
                                                       w_first, weights, shortcut,
                                                       split=ctx.backend == "triton-split")
            Z = list(Zs.unbind(0))
            pre_bufs = [dxp[..., :F1]] + list(dmid.unbind(0)) + ([dpL] if depth > 1 else [])
        else:
            dxp, pre_bufs, g = _backward_loop_torch(act, dout, dh_T, mask, hs, new, A, w_first,
                                                    Z, weights, shortcut)
        acts = [A[..., :F1]] + list(Z)
        need = ctx.needs_input_grad
        rows = T * B
        h_prev = hs[:T].reshape(rows, H)
        dw_hh = db_hh = dw_sh = None
        if need[4] or need[6]:
            dw_first = dxp.reshape(rows, G).t() @ h_prev  # (G, H)
            dw_hh, dw_sh = (dw_first[:F1], dw_first[F1:]) if shortcut else (dw_first, None)
        if ctx.has_bias and need[5]:
            db_hh = pre_bufs[0].sum((0, 1))
        flat_grads = []
        for l in range(2, depth + 1):
            dpre = pre_bufs[l - 1]
            dw = db = None
            if need[7 + 2 * (l - 2)]:
                dw = dpre.reshape(rows, -1).t() @ acts[l - 2].reshape(rows, -1)
            if ctx.has_bias and need[8 + 2 * (l - 2)]:
                db = dpre.sum((0, 1))
            flat_grads += [dw, db]
        return (None, dxp if need[1] else None, g if need[2] else None, None,
                dw_hh, db_hh, dw_sh, *flat_grads)


def run_dt(cell, xp: Tensor, state: Tensor, mask: Optional[Tensor],
           backend: str = "torch") -> Tuple[Tensor, Tensor]:
    """Recurrent's loop for a ``DTRNNCell``: (out (T, B, H), h_T); backend "torch",
    "triton", "triton-split" or "triton-resident"."""
    flat = [p for wb in cell.transition_layers() for p in wb]
    w_sh = cell.weight_sh if cell.shortcut else None
    keep = torch.is_grad_enabled() and any(
        t is not None and t.requires_grad for t in (xp, state, cell.weight_hh, cell.bias_hh,
                                                    w_sh, *flat))
    return DTFunction.apply((cell.nonlinearity, backend, keep), xp, state, mask,
                            cell.weight_hh, cell.bias_hh, w_sh, *flat)


def dt_kernel(cell):
    """The kernel for this DTRNNCell, or None for a configuration it does not cover: another
    nonlinearity, or layers of mixed biases (:func:`mixed_biases`)."""
    if cell.nonlinearity not in ("tanh", "relu") or mixed_biases(cell) is not None:
        return None
    return run_dt


def mixed_biases(cell) -> Optional[str]:
    """The biases a DTRNNCell lacks where its other layers have theirs (``"bias_hh"``: set
    to None after it was built, as torch.nn allows), or None (all or none, as built). The
    kernels read the first layer's as every layer's: a mixed cell runs the step loop."""
    if not hasattr(cell, "transition_layers"):
        return None
    names = ["bias_hh"] + [f"bias_tl{l}" for l in range(2, cell.depth + 1)]
    lacking = [n for n in names if getattr(cell, n) is None]
    return ", ".join(lacking) if 0 < len(lacking) < len(names) else None


def dt_row_elements(cell) -> int:
    """Elements per step and batch row of the Triton kernels' largest buffer for this
    DTRNNCell: A / xpb / dxp (G), the middle layers' Z / dmid (NMID x F), the states (H)."""
    H, depth = cell.hidden_size, cell.depth
    F = cell.width if depth > 1 else H
    return max(F + (H if cell.shortcut else 0), max(depth - 2, 0) * F, H)


def dt_resident_reason(cell, dtype: torch.dtype) -> Optional[str]:
    """Why ``triton-resident`` cannot keep this DTRNNCell's weights on chip (the dispatch
    then runs ``triton-split``), or None when it can."""
    from .dt_resident import unfit_reason  # imports Triton: only when asked

    return unfit_reason(cell, dtype)
