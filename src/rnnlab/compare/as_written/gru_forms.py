r"""The GRU as the articles write it, and its map onto rnnlab's (and torch's) convention.

Three conventions appear:

- the deep-RNN article (its text: "when z_t is large the state uses more of the candidate")
  and the airline-GRU article (its pseudo-code) write the update with z on the candidate:

  .. math:: h_t = (1 - z_t) \odot h_{t-1} + z_t \odot \tilde h_t

- rnnlab's GRUCell and torch.nn.GRU put z on the old state, as Cho et al. (2014) and the
  d2l-style article's formula do:

  .. math:: h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t

- the reset gate: the d2l-style article's *formula* applies it before the product,
  :math:`\tilde h_t = \tanh(x_t W_{xh} + (r_t \odot h_{t-1}) W_{hh} + b_h)` (rnnlab's
  ``gru-cho``, GRUCell(reset_after=False)), but its *code* applies it after,
  :math:`\tanh(x_t W_{xh} + r_t \odot (h_{t-1} W_{hh}) + b_h)`: torch's form
  (GRUCell(reset_after=True)) with the recurrent candidate bias :math:`b_{hn} = 0`.

The first two are one family: with :math:`z'_t = \sigma(a)` in the articles' form and
:math:`z_t = 1 - z'_t = \sigma(-a)` in rnnlab's, negating the update gate's weights and
biases maps one onto the other exactly (:func:`to_article_params`). Nothing else changes.
"""

from __future__ import annotations

from typing import Dict

import torch
from torch import Tensor

from ...nn.cells import GRUCell
from ...io.errors import ConfigError


def article_gru_step(x: Tensor, h: Tensor, p: Dict[str, Tensor],
                     reset_after: bool = False) -> Tensor:
    r"""One step in the articles' update convention, h = (1 - z) h_{t-1} + z \tilde h.

    ``p`` holds row-major matrices ``W_xr, W_hr, W_xz, W_hz, W_xh, W_hh`` (I or H, H) and
    biases ``b_r, b_z, b_h`` (H,), as the articles name them. x (B, I), h (B, H) -> (B, H).
    ``reset_after``: the d2l-style article's code, r (h W_hh) instead of (r h) W_hh.
    """
    r = torch.sigmoid(x @ p["W_xr"] + h @ p["W_hr"] + p["b_r"])
    z = torch.sigmoid(x @ p["W_xz"] + h @ p["W_hz"] + p["b_z"])
    rec = r * (h @ p["W_hh"]) if reset_after else (r * h) @ p["W_hh"]
    cand = torch.tanh(x @ p["W_xh"] + rec + p["b_h"])
    return (1 - z) * h + z * cand


def to_article_params(cell: GRUCell) -> Dict[str, Tensor]:
    """The articles'-form parameters computing exactly what ``cell`` computes.

    rnnlab stores ``weight_ih`` (3H, I) and ``weight_hh`` (3H, H) in the order r, z, n with
    two bias vectors. The map: transpose, add the two r and z biases, and negate every
    update-gate parameter (z -> 1 - z). For reset-before cells (``gru-cho``) the candidate
    bias is b_in + b_hn; a reset-after cell maps only when b_hn = 0 (the article's code has
    no bias inside the reset product).
    """
    H = cell.hidden_size
    wi, wh = cell.weight_ih.detach(), cell.weight_hh.detach()
    bi = cell.bias_ih.detach() if cell.bias_ih is not None else torch.zeros(3 * H)
    bh = cell.bias_hh.detach() if cell.bias_hh is not None else torch.zeros(3 * H)
    if cell.reset_after and bool(bh[2 * H:].abs().max() > 0):
        raise ConfigError("a reset-after GRU cell maps onto the article's code only when its "
                          "recurrent candidate bias (bias_hh[2H:]) is zero; zero it first")
    part = lambda t, k: t[k * H:(k + 1) * H]  # noqa: E731  (gate k of r, z, n)
    return {"W_xr": part(wi, 0).T, "W_hr": part(wh, 0).T, "b_r": part(bi, 0) + part(bh, 0),
            "W_xz": -part(wi, 1).T, "W_hz": -part(wh, 1).T, "b_z": -(part(bi, 1) + part(bh, 1)),
            "W_xh": part(wi, 2).T, "W_hh": part(wh, 2).T, "b_h": part(bi, 2) + part(bh, 2)}


def run_both(cell: GRUCell, xs: Tensor, h0: Tensor) -> tuple:
    """(rnnlab's states, the articles' form's states) over xs (T, B, I) from h0 (B, H)."""
    p = to_article_params(cell)
    h_a = h_b = h0
    ours, theirs = [], []
    with torch.no_grad():
        for x in xs:
            h_a = cell(x, h_a)  # GRUCell returns the new state h (B, H)
            h_b = article_gru_step(x, h_b, p, reset_after=cell.reset_after)
            ours.append(h_a)
            theirs.append(h_b)
    return torch.stack(ours), torch.stack(theirs)
