"""Joint sample paths of a one-step panel network (``strategy='recursive'``).

The direct strategy draws each horizon step from its own marginal; here the sampled value
of step h is fed back as the input of step h + 1, so the paths are joint: a path that
starts high stays high as the series would (an AR(1) panel's consecutive steps correlate
across paths), and quantiles and the mean read from the paths are those of the joint
forecast.
"""

from __future__ import annotations

import torch
from torch import Tensor

from .window_frame import into_frame, window_frame


@torch.no_grad()
def recursive_paths(net, rows: Tensor, known: Tensor, codes: Tensor, vals: Tensor, scale: Tensor,
                    ratio: Tensor, horizon: int, samples: int, anchored: float,
                    draws=None, spread: bool = False) -> Tensor:
    """Joint sample paths (N, S, H) in model space from one member: N copies of each
    series' window (S, L, F) step forward together; at each step the network reads the
    window (anchored on its last z under anchor='last'), the head draws z_{T+h}, and the row

        [z_{T+h}, level_{T+h} = z_{T+h} s_i / sigma_i, known_{T+h}]

    (future covariates and calendar of that step) is appended as the window slides.
    ``ratio`` (S,): s_i / sigma_i (1 for counts); ``anchored``: 0 for counts,
    anchor='none' or 'mean_scale', else 1;
    ``draws``: each series' generator (:class:`~rnnlab.panel.series_draws.SeriesDraws`;
    None: torch's), its stream going on from step to step; ``spread``: each step's window
    divided by its own 1 + mean |z| and the draw multiplied back (``anchor='mean_scale'``:
    :mod:`.window_frame`; the window that step reads, as each training window is)."""
    n, S = samples, rows.shape[0]
    rep = lambda t: t.repeat(n, *([1] * (t.dim() - 1)))  # noqa: E731  (N*S, ...)
    rows, known, codes, vals, scale, ratio = (rep(t) for t in (rows, known, codes, vals,
                                                                scale, ratio))
    head, out = net.head, []
    for h in range(horizon):
        anchor = rows[:, -1, 0] * anchored  # (N*S,)
        enc = rows.clone()
        enc[..., 0] -= anchor[:, None]
        size = window_frame(enc[..., 0], 0.0, True)[1][:, 0] if spread else None  # (N*S,)
        if size is not None:
            enc[..., 0] = into_frame(enc[..., 0], 0.0, size[:, None])
        o = net(enc, known[:, h:h + 1], codes, vals)  # (N*S, 1, P)
        z = head.sample(o, 1, scale, draws)[0, :, 0]
        z = (z if size is None else z * size) + anchor  # (N*S,)
        new = torch.cat([z[:, None], (z * ratio)[:, None], known[:, h]], dim=-1)
        rows = torch.cat([rows[:, 1:], new[:, None]], dim=1)
        out.append(z)
    return torch.stack(out, dim=-1).reshape(n, S, horizon)
