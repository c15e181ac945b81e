"""The forecasting network (a registry architecture + a linear head) and its training task."""

from __future__ import annotations

from typing import Optional

import numpy as np
import torch
from torch import Tensor, nn

from ..data.windows import target_width, window_tensor
from ..io.errors import ConfigError, DataError
from ..nn.bidirectional import final_outputs
from ..nn.gru_form import marked_forms
from ..nn.registry import ModelSpec, build_model, get_architecture
from ..train.process_state import built_in_float32
from ..train.tensor_task import TensorTask


def check_strategy(model: str, strategy: str) -> None:
    if strategy == "seq2seq" and get_architecture(model).bidirectional:
        raise DataError(
            f"model {model!r} is bidirectional: in seq-to-seq next-step training its backward "
            f"direction reads x_(t+1), the very value it must predict, so its 'forecast' copies "
            f"the answer. Use strategy='direct' or 'recursive' (a bidirectional model may encode "
            f"a look-back window) or a unidirectional model")


class ForecastNet(nn.Module):
    """x (B, T) model-space window -> predictions (B, K): K = horizon, 1, or T (seq2seq).

    With ``skip=T`` (direct and recursive strategies) a linear map of the window is added:
    y = W_h h_T + b + W_s x, so the network holds a linear autoregression of the window
    and the recurrent body learns what the linear part misses (W_s starts at zero).

    With ``flags=W`` (holidays, :mod:`.holidays`) each row is T values and W flags after
    them: the body reads each value beside the flag of the next date, and a linear map of
    the flags (zero at the start) is added to the outputs (seq2seq: w * the next date's)."""

    def __init__(self, spec: ModelSpec, out: int, seq2seq: bool, skip: int = 0,
                 flags: int = 0):
        super().__init__()
        self.body = build_model(spec)
        self.head = nn.Linear(self.body.output_size, 1 if seq2seq else out)
        self.seq2seq = seq2seq
        if skip and not seq2seq:
            self.skip: Optional[nn.Linear] = nn.Linear(skip, out, bias=False)
            nn.init.zeros_(self.skip.weight)
        else:
            self.skip = None
        self.flags = flags  # (B, T + flags) rows: holidays (.holidays)
        if flags:
            self.cal = nn.Linear(1 if seq2seq else flags, 1 if seq2seq else out, bias=False)
            nn.init.zeros_(self.cal.weight)

    def forward(self, x: Tensor) -> Tensor:
        w = getattr(self, "flags", 0)  # (a net saved whole before holidays: none)
        if w:
            return self._with_flags(x[:, :x.shape[1] - w], x[:, x.shape[1] - w:])
        out, _ = self.body(x.unsqueeze(-1))  # (B, T, F)
        if self.seq2seq:
            return self.head(out).squeeze(-1)  # (B, T)
        y = self.head(final_outputs(out, self.body.bidirectional))  # (B, K)
        return y if self.skip is None else y + self.skip(x)

    def _with_flags(self, x: Tensor, f: Tensor) -> Tensor:
        t = x.shape[1]
        out, _ = self.body(torch.stack([x, f[:, :t]], dim=-1))  # (B, T, F)
        if self.seq2seq:
            return (self.head(out) + self.cal(f[:, :t, None])).squeeze(-1)  # (B, T)
        y = self.head(final_outputs(out, self.body.bidirectional)) + self.cal(f)  # (B, K)
        return y if self.skip is None else y + self.skip(x)


class Ensemble(nn.Module):
    """Members trained with different seeds; forecasts are averaged in model space."""

    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)

    @classmethod
    def from_states(cls, cfg, states) -> "Ensemble":
        """The members rebuilt from their state dicts, in eval mode."""
        members = []
        for sd in states:
            net = build_net(cfg)
            net.load_state_dict(marked_forms(net, sd))  # (its own: no warning)
            members.append(net.eval())
        return cls(members)


def build_net(cfg) -> ForecastNet:
    from .holidays import flag_width

    check_strategy(cfg.model, cfg.strategy)
    spec = cfg.model_spec()
    mode = {"direct": "direct", "recursive": "one", "seq2seq": "seq2seq"}[cfg.strategy]
    return built_in_float32(lambda: ForecastNet(
        spec, target_width(mode, cfg.lookback, cfg.horizon), cfg.strategy == "seq2seq",
        skip=cfg.lookback if cfg.linear_skip else 0, flags=flag_width(cfg)))


@torch.no_grad()
def rollout(net: ForecastNet, z: np.ndarray, steps: int, lookback: int, strategy: str,
            device=None, flags: Optional[np.ndarray] = None) -> np.ndarray:
    """Forecast ``steps`` model-space values after each row of z (K, N) -> (K, steps).

    direct: blocks of H outputs, each block fed back as input for the next;
    recursive / seq2seq: one step at a time, fed back. ``flags`` (K, M): a network with
    holidays' flags of the dates from the one after the look-back's first on (zeros
    where they stop)."""
    net.eval()
    param = next(net.parameters())
    dev = device or param.device
    # a copy: the history may be a read-only view of the caller's data
    hist = torch.tensor(np.atleast_2d(z)[:, -lookback:], dtype=param.dtype, device=dev)
    w = getattr(net, "flags", 0)
    fl: Optional[Tensor] = None  # (K, M): the flags a network with holidays reads (w > 0)
    if w:
        assert flags is not None  # (a network with holidays is given its flags: val_windows)
        fl = torch.zeros(hist.shape[0], steps + lookback + w, dtype=param.dtype, device=dev)
        given = torch.as_tensor(np.atleast_2d(flags)[:, :fl.shape[1]], dtype=param.dtype)
        fl[:, :given.shape[1]] = given
    preds = []
    done = 0
    while done < steps:
        x = hist[:, -lookback:]
        y = net(x if fl is None else torch.cat([x, fl[:, done:done + w]], dim=1))  # (K, k)
        step = y[:, -1:] if strategy == "seq2seq" else y
        preds.append(step)
        hist = torch.cat([hist, step], dim=1)
        done += step.shape[1]
    return torch.cat(preds, dim=1)[:, :steps].double().cpu().numpy()


class WindowTask(TensorTask):
    """Windows of a model-space series for :func:`rnnlab.train.fit`: a
    :class:`~rnnlab.train.TensorTask` of the windows and their targets (its batches: one
    permutation per epoch, from ``seed`` and the epoch), with its own validation.

    Validation: forecast the validation tail from the series before it (the way the model
    is used) and return the MSE in model space. With ``val_windows`` = (contexts (K, T),
    targets (K, H)), the forecasts start from K rolling origins instead of one, so early
    stopping sees more than one noisy tail.

    ``max_batches``: an epoch is at most this many batches, the first ones of the epoch's
    permutation (so a sample of the windows drawn afresh each epoch): a long series
    (50,000 hourly values) no longer makes each epoch, and the patience counted in
    epochs, grow with its length. None: every window each epoch."""

    x: Tensor  # (N, T) the windows: one tensor (a TensorTask's x may be a tuple of them)

    def __init__(self, x: np.ndarray, y: np.ndarray, batch_size: int, seed: int,
                 strategy: str, lookback: int, val_context: Optional[np.ndarray] = None,
                 val_target: Optional[np.ndarray] = None, device=None,
                 dtype: torch.dtype = torch.float32, val_mode: str = "rollout",
                 val_windows: Optional[tuple] = None, max_batches: Optional[int] = None):
        super().__init__(window_tensor(x, dtype, device),  # (N, T), a strided view of the series
                         window_tensor(y, dtype, device),  # (N, K)
                         loss_fn=self._mse, batch_size=batch_size, seed=seed)
        self.strategy, self.lookback = strategy, lookback
        self.val_context, self.val_target = val_context, val_target
        self.val_mode = val_mode  # rollout | one_step (see validate)
        self.val_windows = val_windows  # (contexts (K, T), targets (K, H)) or None
        self.max_batches = max_batches

    def num_batches(self, epoch: int) -> int:
        n = super().num_batches(epoch)
        return n if self.max_batches is None else min(n, self.max_batches)

    def _mse(self, out: Tensor, y: Tensor) -> Tensor:
        if out.shape != y.shape:  # mse_loss would broadcast them into a wrong loss
            raise ConfigError(f"the network outputs {tuple(out.shape)} per batch but its targets "
                              f"are {tuple(y.shape)}: windows made for another strategy than "
                              f"{self.strategy!r}")
        return nn.functional.mse_loss(out, y)

    def validate(self, model) -> Optional[float]:
        if self.val_windows is not None:  # (one_step: origins of one step each)
            ctx, tgt, *flags = self.val_windows  # (flags: holidays, .holidays)
            pred = rollout(model, ctx, tgt.shape[1], self.lookback, self.strategy,
                           device=self.x.device, flags=flags[0] if flags else None)  # (K, H)
            model.train()
            return float(np.mean((pred - tgt) ** 2))
        if self.val_target is None or len(self.val_target) == 0:
            return None
        context = self.val_context
        assert context is not None  # (fit gives the series before val_target with it)
        if self.val_mode == "one_step":  # each value from the true history before it
            full = np.concatenate([context[-self.lookback:], self.val_target])
            windows = np.lib.stride_tricks.sliding_window_view(full, self.lookback)
            pred = rollout(model, np.array(windows[: len(self.val_target)]), 1, self.lookback,
                           self.strategy, device=self.x.device)[:, 0]  # (V,)
        else:
            pred = rollout(model, context[None], len(self.val_target), self.lookback,
                           self.strategy, device=self.x.device)[0]
        model.train()
        return float(np.mean((pred - self.val_target) ** 2))


def _allow_in_weights_only_load() -> None:
    """``torch.save(forecaster.net)`` loads back with ``torch.load(f, weights_only=True)``
    (torch's default), as a model of rnnlab.nn and a CharLM's net do: ``Ensemble`` and
    ``ForecastNet`` are safe globals once this module is imported (any use of
    ``Forecaster``); the load refused "Unsupported global: rnnlab.forecast.net.Ensemble"."""
    from ..nn.safe_globals import allow_in_weights_only_load

    allow_in_weights_only_load([Ensemble, ForecastNet])


_allow_in_weights_only_load()
