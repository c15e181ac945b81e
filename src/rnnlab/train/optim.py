"""Optimizer, schedule and precision from a TrainConfig."""

from __future__ import annotations

import torch

from .config import TrainConfig


def make_optimizer(params, cfg: TrainConfig, capturable_on=None) -> torch.optim.Optimizer:
    """``capturable_on``: a CUDA device whose graphs will capture the step
    (:mod:`.graph_step`): Adam and AdamW keep their step count and rate there."""
    kw = {}
    if capturable_on is not None and cfg.optimizer in ("adam", "adamw"):
        kw = dict(capturable=True, lr=torch.tensor(cfg.lr, device=capturable_on))
    if cfg.optimizer == "adam":
        return torch.optim.Adam(params, **{"lr": cfg.lr, **kw}, weight_decay=cfg.weight_decay)
    if cfg.optimizer == "adamw":
        return torch.optim.AdamW(params, **{"lr": cfg.lr, **kw}, weight_decay=cfg.weight_decay)
    return torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay)


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


def make_scheduler(opt, cfg: TrainConfig):
    if cfg.lr_schedule == "plateau":
        return torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    if cfg.lr_schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg.epochs)
    return None


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
