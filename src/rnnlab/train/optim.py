"""Optimizer, schedule and precision from a TrainConfig."""

from __future__ import annotations

from typing import Any, Dict

import torch

from ..callers_line import callers_level
from .config import TrainConfig


def make_optimizer(params, cfg: TrainConfig, capturable_on=None) -> torch.optim.Optimizer:
    """``capturable_on``: a CUDA device whose graphs will capture the step
    (:mod:`.graph_step`): Adam and AdamW keep their step count and rate there."""
    kw: Dict[str, Any] = {}  # (a tensor lr beside bool capturable)
    if capturable_on is not None and cfg.optimizer in ("adam", "adamw"):
        kw = dict(capturable=True, lr=torch.tensor(cfg.lr, device=capturable_on))
    if cfg.optimizer == "adam":
        return torch.optim.Adam(params, **{"lr": cfg.lr, **kw}, betas=cfg.betas, eps=cfg.eps,
                                amsgrad=cfg.amsgrad, weight_decay=cfg.weight_decay)
    if cfg.optimizer == "adamw":
        return torch.optim.AdamW(params, **{"lr": cfg.lr, **kw}, betas=cfg.betas, eps=cfg.eps,
                                 amsgrad=cfg.amsgrad, weight_decay=cfg.weight_decay)
    return torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum, nesterov=cfg.nesterov,
                           dampening=cfg.dampening, weight_decay=cfg.weight_decay)


def settle_lr(opt: torch.optim.Optimizer, capturable_on=None) -> None:
    """After ``load_state_dict``: the learning rate as ``make_optimizer`` keeps it (a
    device tensor for a captured step, else a float), whichever way it was saved."""
    for group in opt.param_groups:
        if capturable_on is not None and "capturable" in group:
            group["lr"] = torch.tensor(float(group["lr"]), device=capturable_on)
            group["capturable"] = True
            for p in group["params"]:  # a capturable step counts on the device
                st = opt.state.get(p, {})
                if torch.is_tensor(st.get("step")):
                    st["step"] = st["step"].to(capturable_on, torch.float32)
        else:
            group["lr"] = float(group["lr"])
            if "capturable" in group:
                group["capturable"] = False


PLATEAU_EPOCHS = 3  # the plateau schedule halves the rate at the 3rd epoch without a better loss


def make_scheduler(opt, cfg: TrainConfig):
    if cfg.lr_schedule == "plateau":
        _note_patience_first(cfg)
        return torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    if cfg.lr_schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg.epochs)
    return None


def _note_patience_first(cfg: TrainConfig) -> None:
    """Early stopping at the same stalled epoch as the halving (or sooner) leaves the
    plateau schedule nothing to do: the halved rate never trained, and nothing said so."""
    if cfg.patience is None or cfg.patience > PLATEAU_EPOCHS:
        return
    import warnings

    warnings.warn(
        f"fit: lr_schedule='plateau' halves the learning rate at the {PLATEAU_EPOCHS}"
        f"{_nth(PLATEAU_EPOCHS)} epoch "
        f"in a row without a better validation loss, and patience={cfg.patience} stops the run "
        f"at the {cfg.patience}{_nth(cfg.patience)} such epoch: the halved rate never trains. Give "
        f"patience >= {PLATEAU_EPOCHS + 1} (--patience) for the schedule to act, or "
        f"lr_schedule='none' (--lr-schedule none)", UserWarning,
        stacklevel=callers_level(5))  # (fit's caller: CharLM.fit's too, past its worker)


def _nth(n: int) -> str:
    return {1: "st", 2: "nd", 3: "rd"}.get(n, "th")


def step_scheduler(sched, val_loss, train_loss) -> None:
    if sched is None:
        return
    if isinstance(sched, torch.optim.lr_scheduler.ReduceLROnPlateau):
        sched.step(val_loss if val_loss is not None else train_loss)
    else:
        sched.step()


def autocast(cfg: TrainConfig, device: torch.device):
    """Mixed precision: the forward runs in bf16/fp16, the master weights stay fp32 (on a
    CPU without a bf16 LSTM kernel the LSTM layers run in fp32: :mod:`.precision`)."""
    from .precision import autocast_context

    return autocast_context(cfg.precision, device)


def grad_scaler(cfg: TrainConfig, device: torch.device):
    """fp16 needs loss scaling against underflow; bf16 and fp32 do not."""
    enabled = cfg.precision == "16-mixed"
    return torch.amp.GradScaler(device.type, enabled=enabled)
