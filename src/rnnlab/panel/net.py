"""The global panel network (direct strategy) and its training task.

Encoder: a registry architecture reads the look-back window, each step's features

    x_t = [z_t - z_T, level_t, past_t, future_t, calendar_t, static]      t = T-L+1 ... T

(z anchored on the last observed value z_T, unless counts or anchor='none' or
'mean_scale', which divides the window by 1 + its mean |z|: :mod:`.window_frame`;
static = embeddings of categorical static covariates and scaled numeric ones). Head, for each horizon step h = 1..H, one shared MLP:

    out_h = W_2 relu(W_1 [e_T, k_{T+h}, (k_{T+h-m},) static, onehot(h)] + b_1) + b_2

where e_T is the encoder's last state and k the known-ahead features (future covariates,
calendar); k_{T+h-m} is given too when the target is seasonally differenced with lag m
(y_t - y_{t-m} depends on both), read from the window itself. ``out_h`` holds the head's parameters (quantiles,
mu/sigma, ...), predicting z_{T+h} - z_T (counts, anchor='none': z_{T+h}; 'mean_scale':
z_{T+h} / (1 + mean |z| of the window)).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Sequence

import numpy as np
import torch
from torch import Tensor, nn

from ..nn.bidirectional import final_outputs
from ..nn.registry import ModelSpec, build_model
from ..rate_options import rates_of
from .window_frame import into_frame, window_frame
from .windows import WindowIndex, gather

if TYPE_CHECKING:
    from .heads import Head


class PanelNet(nn.Module):
    steps: Tensor  # (H, H) one-hot forecast steps, a buffer (registered in __init__)

    def __init__(self, spec_name: str, hidden_size: int, num_layers: Optional[int],
                 n_inputs: int, n_known: int, cards: Sequence[int], n_static_num: int,
                 embed_size: int, horizon: int, head_size: int, head: Head,
                 lag: int = 0, *, input_dropout: float = 0.0, recurrent_dropout: float = 0.0):
        super().__init__()
        self.embeds = nn.ModuleList(nn.Embedding(c, embed_size) for c in cards)
        n_static = embed_size * len(cards) + n_static_num
        spec = ModelSpec(name=spec_name, input_size=n_inputs + n_static, hidden_size=hidden_size,
                         num_layers=num_layers, input_dropout=input_dropout,
                         recurrent_dropout=recurrent_dropout)  # (variational, in training)
        self.body = build_model(spec)
        self.horizon, self.n_known = horizon, n_known
        # a seasonally differenced target depends on the known features at T+h and T+h-lag
        self.lag = lag if n_known and lag else 0
        n_head = self.body.output_size + n_known * (2 if self.lag else 1) + n_static + horizon
        self.mlp = nn.Sequential(
            nn.Linear(n_head, head_size), nn.ReLU(),
            nn.Linear(head_size, head.n_params))
        self.head = head
        self.register_buffer("steps", torch.eye(horizon), persistent=False)  # one-hot h

    def static(self, codes: Tensor, values: Tensor) -> Tensor:
        parts = [emb(codes[:, j]) for j, emb in enumerate(self.embeds)] + [values]
        return torch.cat(parts, dim=-1)  # (B, S_w)

    def forward(self, enc: Tensor, known: Tensor, codes: Tensor, values: Tensor) -> Tensor:
        """enc (B, L, n_inputs), known (B, H, n_known) -> head outputs (B, H, P)."""
        B, L, _ = enc.shape
        st = self.static(codes, values)  # (B, S_w)
        out, _ = self.body(torch.cat([enc, st[:, None].expand(B, L, st.shape[-1])], dim=-1))
        last = final_outputs(out, self.body.bidirectional)  # (B, F)
        H = self.horizon
        if self.lag:  # known features m steps before each forecast step, from the window
            seen = torch.cat([enc[..., enc.shape[-1] - self.n_known:], known], dim=1)  # (B, L+H, K)
            known = torch.cat([known, seen[:, L - self.lag:L - self.lag + H]], dim=-1)
        feats = torch.cat([last[:, None].expand(B, H, last.shape[-1]), known,
                           st[:, None].expand(B, H, st.shape[-1]),
                           self.steps[None].expand(B, H, H)], dim=-1)  # (B, H, *)
        return self.mlp(feats)  # (B, H, P)


def split_window(w: Tensor, lookback: int, known_from: int, anchored: bool,
                 spread: bool = False):
    """A gathered window (B, L+H, F) -> (enc (B, L, F), known (B, H, K), target (B, H),
    anchor (B, 1)): its z measured from its last input when ``anchored``, and divided by
    1 + the mean |z| of its inputs when ``spread`` (``anchor='mean_scale'``:
    :mod:`.window_frame`), targets as inputs."""
    z = w[..., 0]  # (B, L+H)
    anchor, size = window_frame(z[:, :lookback], 1.0 if anchored else 0.0, spread)  # (B, 1)
    x = into_frame(z, anchor, size) if spread else z - anchor
    enc = torch.cat([x[:, :lookback, None], w[:, :lookback, 1:]], dim=-1)
    return enc, w[:, lookback:, known_from:], x[:, lookback:], anchor


class PanelTask:
    """Batches of windows for :func:`rnnlab.train.fit`: a pure function of (seed, epoch, index).

    Validation: the head's loss on each series' last window (its validation tail)."""

    def __init__(self, buffer: Tensor, index: WindowIndex, val_starts: np.ndarray,
                 codes: Tensor, values: Tensor, scales: Tensor, lookback: int, horizon: int,
                 known_from: int, anchored: bool, batch_size: int, batches: int, seed: int,
                 spread: bool = False):
        self.buffer, self.index, self.val_starts = buffer, index, val_starts
        self.spread = spread  # (windows divided by their own scale: .window_frame)
        self.codes, self.values, self.scales = codes, values, scales  # per series
        self.L, self.H, self.known_from, self.anchored = lookback, horizon, known_from, anchored
        self.batch_size, self.batches, self.seed = batch_size, batches, seed

    def num_batches(self, epoch: int) -> int:
        return self.batches

    def get_batch(self, epoch: int, index: int):
        gen = np.random.default_rng([self.seed, epoch, index])
        series, start = self.index.sample(gen, self.batch_size)
        return self._batch(series, start)

    def _batch(self, series: np.ndarray, start: np.ndarray):
        w = gather(self.buffer, start, self.L + self.H)  # (B, L+H, F)
        enc, known, target, _ = split_window(w, self.L, self.known_from, self.anchored,
                                             self.spread)
        s = torch.as_tensor(series, dtype=torch.long)
        return enc, known, self.codes[s], self.values[s], self.scales[s][:, None], target

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        enc, known, codes, values, scale, target = batch
        out = model(enc, known, codes, values)
        return _head(model).loss(out, target, scale), None

    @torch.no_grad()
    def validate(self, model) -> Optional[float]:
        ok = np.flatnonzero(self.val_starts >= 0)
        if len(ok) == 0:
            return None
        model.eval()
        enc, known, codes, values, scale, target = self._batch(ok, self.val_starts[ok])
        loss = float(_head(model).loss(model(enc, known, codes, values), target, scale))
        model.train()
        return loss


def _head(model) -> Head:
    return getattr(model, "module", model).head  # DDP wraps the model


def _allow_in_weights_only_load() -> None:
    """``torch.save(panel_forecaster.net)`` loads back with ``torch.load(f,
    weights_only=True)`` (torch's default), as a model of rnnlab.nn does: the panel's
    network, its heads and the torch modules they hold that rnnlab.nn does not list
    (Embedding, Sequential, ReLU) are safe globals once this module is imported."""
    from ..nn.safe_globals import allow_in_weights_only_load
    from .heads import GaussianHead, NegBinHead, PointHead, QuantileHead, StudentTHead

    allow_in_weights_only_load([PanelNet, PointHead, QuantileHead, GaussianHead, StudentTHead,
                                NegBinHead, nn.Embedding, nn.Sequential, nn.ReLU])


_allow_in_weights_only_load()


def built_net(model, n_features: int) -> PanelNet:
    """One member's network of ``model`` (a GlobalForecaster whose features fit has set,
    or load has read) for ``n_features`` inputs: its config's architecture and sizes, its
    features' static and known-ahead columns, its head (quantiles or a likelihood), built
    in float32 as its inputs are (``GlobalForecaster._build``)."""
    from ..train.process_state import built_in_float32
    from .heads import make_head

    cfg, f = model.config, model.features
    assert f is not None  # (fit sets the features before it builds)
    return built_in_float32(lambda: PanelNet(
        cfg.model, cfg.hidden_size, cfg.num_layers, n_features, n_features - f.known_from,
        f.static.cardinalities(), len(f.static.numeric), cfg.embed_size,
        model._net_horizon, cfg.head_size, make_head(cfg.quantiles, cfg.likelihood),
        lag=f.lag if f.lag <= cfg.lookback else 0, **rates_of(cfg)))
