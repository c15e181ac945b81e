"""Training the forecaster's ensemble members (in this process or data-parallel ones),
and the fit's small policies: the batch size, the validation windows, the CPU threads."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import numpy as np
import torch

from ..io.atomic import finite_json
from ..train import fit, resolve_device, seed_everything
from ..train.budget_stop import BudgetRoute, trains_on
from ..train.checkpoint import CheckpointManager, check_resume_shapes, shape_settings
from ..train.config_from import train_config_from
from ..train.final_checkpoint import take_final
from ..train.member_hook import member_hook
from . import selection as S
from .config import ForecastConfig
from .net import WindowTask, build_net

KIND = "forecaster"
# a member's budget as its checkpoints record it, and the warning of one kept stopped by it
# (at the line that called Forecaster.fit where every frame is the user's)
ROUTE = BudgetRoute(fit="Forecaster.fit", meta_key="max_seconds", flag="--minutes M",
                    depth=7, whole=True)


def _distributed_env() -> bool:
    """Started by torchrun (:func:`rnnlab.train.launch_checks.under_launcher`)."""
    from ..train.launch_checks import under_launcher

    return under_launcher()


def run_training(payload: dict, dev_cfg) -> tuple:
    """Train every ensemble member, in this process or in ``dev_cfg.devices`` spawned ones;
    returns (member state dicts on the CPU, member histories)."""
    from ..train.distributed import launch
    from ..train.owned_temp import owned_temp_dir

    if dev_cfg.devices * dev_cfg.num_nodes == 1 and not _distributed_env():
        from ..train.distributed import DistContext

        return train_members(DistContext(device=resolve_device(payload["device"])), payload)
    if _distributed_env():  # torchrun: this process is one rank; every rank gets the result
        return launch(train_members, (payload,), dev_cfg)
    # (its folder removed on the way out; one a killed parent left, by the next fit)
    with owned_temp_dir("rnnlab-forecast-") as tmp:
        launch(train_members, (dict(payload, result_dir=str(tmp)),), dev_cfg)
        from ..io.weights import load_weights

        flat = load_weights(tmp / "members.safetensors")
        n = payload["config"].ensemble
        states = [{k.split(".", 1)[1]: v for k, v in flat.items() if k.split(".", 1)[0] == f"m{m}"}
                  for m in range(n)]
        from ..io.json_file import read_json

        histories = read_json(tmp / "histories.json", expect=list)
        return states, histories


def fit_devices(cfg: ForecastConfig, accelerator, devices, num_nodes, strategy, precision,
                checkpoint_every, on_nonfinite) -> tuple:
    """(DeviceConfig, the device a one-process fit trains on) of Forecaster.fit's device
    arguments, checked for this machine (a DataError for bad values, a ValueError for what
    it lacks; a note for ddp in one process). ``accelerator`` None or "auto" follows
    ``cfg.device`` as the commands' --device does (with "auto" and device="cpu" the
    spawned workers trained on CUDA where it was available); "cuda" with device="cuda:1"
    trains on GPU 1."""
    from ..io.errors import DataError
    from ..number_kinds import is_whole
    from ..train.distributed import DeviceConfig
    from ..train.launch_checks import check_launchable, picked_by_device

    def whole(n):  # (int() made devices=2.5 two processes, True one: said by DeviceConfig)
        return int(n) if is_whole(n) else n

    try:
        dev = DeviceConfig(accelerator=accelerator or "auto", devices=whole(devices),
                           num_nodes=whole(num_nodes), strategy=strategy, precision=precision)
        # (impl: checked with the precision)
        train_config_from(cfg, only=("impl",), precision=precision,
                          checkpoint_every=checkpoint_every, on_nonfinite=on_nonfinite)
    except ValueError as e:
        raise DataError(f"Forecaster.fit: {str(e).replace('TrainConfig: ', '')}") from None
    dev = picked_by_device(dev, cfg.device)
    check_launchable(dev)
    same_kind = str(cfg.device).startswith(dev.accelerator)  # cuda and cuda:1: keep the :1
    return dev, cfg.device if accelerator in (None, "auto") or same_kind else dev.accelerator


def train_members(ctx, payload: dict) -> tuple:
    """The members' training on one process of the group (``ctx``); rank 0 alone writes."""
    cfg: ForecastConfig = payload["config"]
    dtype = getattr(torch, payload.get("dtype", "float32"))
    device = ctx.device
    val = payload["val"]
    states, histories = [], []
    for m in range(cfg.ensemble):
        seed = 1000 * cfg.seed + m
        seed_everything(seed)
        ckd = payload.get("checkpoint_dir")
        ck = None if ckd is None else Path(ckd) / f"member{m}"
        again = bool(payload.get("resume")) and ck is not None and CheckpointManager(ck).exists()
        if again:  # sizes edited since the checkpoint: refused before they take memory
            check_resume_shapes(lambda: build_net(cfg), ck, shape_settings(cfg.model_spec()),
                                counts=cfg.model_spec())
        net = build_net(cfg).to(device=device, dtype=dtype)
        batch = payload.get("batch_size") or cfg.batch_size
        task = WindowTask(payload["x"], payload["y"], batch, seed, cfg.strategy,
                          cfg.lookback, payload["z_fit"] if val else None,
                          payload["z_val"] if val else None, device=device, dtype=dtype,
                          val_mode=cfg.validation,
                          val_windows=payload.get("val_windows") if val else None,
                          max_batches=payload.get("max_batches"))
        tcfg = train_config_from(cfg, batch_size=batch, patience=cfg.patience if val else None,
                                 seed=seed, device=str(device),
                                 progress=cfg.progress if ctx.is_main else False,
                                 precision=payload.get("precision", "32"),
                                 checkpoint_every=payload.get("checkpoint_every", 0),
                                 on_nonfinite=payload.get("on_nonfinite", "stop"))
        # finished before the interruption: taken as it was, not trained on (but one its
        # time budget stopped, given a larger one: each member's budget is the whole)
        more = again and ck is not None and trains_on(ck, cfg.max_seconds, cfg.max_seconds, m,
                                                      cfg.epochs, ROUTE)
        hist = take_final(ck, tcfg.epochs, net) if again and ck is not None and not more else None
        if hist is None:
            hist = fit(net, task, tcfg, checkpoint_dir=ck, resume=again, dist=ctx,
                       meta={"kind": KIND, "member": m,  # (data_sha256: .resume_data)
                             "data_sha256": payload.get("data_sha256"),
                             ROUTE.meta_key: cfg.max_seconds},  # (the budget: .budget_stop)
                       on_epoch=member_hook(payload.get("on_epoch"), m, ctx.is_main))
        states.append({k: v.detach().cpu() for k, v in net.state_dict().items()})
        histories.append(finite_json(hist.to_dict()))
    if payload.get("result_dir") and ctx.is_main:
        from ..io.atomic import atomic_write_json
        from ..io.weights import save_weights

        out = Path(payload["result_dir"])
        save_weights(out / "members.safetensors",
                     {f"m{m}.{k}": v for m, sd in enumerate(states) for k, v in sd.items()})
        atomic_write_json(out / "histories.json", histories)
    return states, histories


def auto_batch(windows: int) -> int:
    """batch_size=0: about 8 steps an epoch, between 16 and 256 windows a step."""
    return int(min(256, max(16, -(-windows // 8))))


# batch_size=0: an epoch is at most this many steps of 256 windows (25,600 windows drawn
# afresh each epoch), as a panel's batches_per_epoch=100: on a long series (50,000 hourly
# values, 195 steps) every epoch, and so the patience of 40 epochs, grew with its length
MAX_AUTO_STEPS = 100


def auto_steps(batch_size: int) -> Optional[int]:
    """The most steps an epoch takes: :data:`MAX_AUTO_STEPS` for an automatic batch size
    (``batch_size=0``), None (every window) for a batch size given."""
    return None if batch_size else MAX_AUTO_STEPS


def val_windows(z_fit: np.ndarray, z_val: np.ndarray, cfg: ForecastConfig, context=None,
                flags: Optional[np.ndarray] = None):
    """(contexts (K, lookback), targets (K, H)) in model space: the rolling origins of the
    validation tail (:func:`~rnnlab.forecast.selection.origin_offsets`); None for one origin
    (then the whole tail is forecast from its start, as before). ``context(o)``: the
    look-back before origin o of the tail when a gap filled across it was filled again
    from before it (:func:`~rnnlab.data.filling.history_before`), else None; with
    ``validation='one_step'`` each value of the tail is then an origin of one step (else
    None: the task reads the tail's values as the history before each). ``flags``: the
    model-space holiday flags of the series (:mod:`.holidays`): always the origins' rows
    then, with their flags third."""
    one_step = cfg.validation == "one_step"
    steps = 1 if one_step else cfg.horizon
    offsets = (range(len(z_val)) if one_step else
               S.origin_offsets(len(z_val), cfg.horizon, cfg.origins))
    again = {} if context is None else {o: c for o in offsets
                                        if (c := context(o)) is not None}
    if (one_step or len(offsets) == 1) and not again and flags is None:
        return None
    z = np.concatenate([z_fit, z_val])
    n = len(z_fit)
    ctx = np.stack([again[o] if o in again else z[n + o - cfg.lookback:n + o]
                    for o in offsets])  # (K, T)
    tgt = np.stack([z[n + o:n + o + steps] for o in offsets])  # (K, H)
    if flags is None:
        return ctx, tgt
    from .holidays import outputs, window_flags

    starts = [n + o - cfg.lookback for o in offsets]
    return ctx, tgt, window_flags(flags, starts, cfg.lookback + steps + outputs(cfg))


def refit_members(payload: dict, histories: list, x: np.ndarray, y: np.ndarray) -> list:
    """After the choice: train each member again from scratch, with its seed, on the windows
    of the whole training part (``x``, ``y``: validation tail included) for the number of
    epochs at which its early stopping found the best validation loss, without validation.
    Returns the new state dicts (CPU); each history gets ``refit`` = {epochs, seconds, loss}.
    ``fit(on_epoch=fn)``'s ``fn`` runs after each refit epoch too (``record["refit"]``).
    Runs in this process without checkpoints: an interrupted fit that is resumed trains the
    members from their checkpoints (finished ones are kept) and then this phase again."""
    from ..train.distributed import DistContext
    from ..train.launch_checks import is_main_process

    cfg: ForecastConfig = payload["config"]
    dtype = getattr(torch, payload.get("dtype", "float32"))
    ctx = DistContext(device=resolve_device(payload["device"]))
    batch = payload.get("batch_size") or cfg.batch_size
    main = is_main_process()  # (``on_epoch`` on the main process alone: each rank refits)
    states = []
    for m, h in enumerate(histories):
        epochs = int(h.get("best_epoch") or len(h.get("epochs") or []) or cfg.epochs)
        seed = 1000 * cfg.seed + m
        seed_everything(seed)
        net = build_net(cfg).to(device=ctx.device, dtype=dtype)
        task = WindowTask(x, y, batch, seed, cfg.strategy, cfg.lookback, device=ctx.device,
                          dtype=dtype, max_batches=payload.get("max_batches"))
        tcfg = train_config_from(cfg, epochs=epochs, batch_size=batch, patience=None,
                                 seed=seed, device=str(ctx.device),
                                 progress=cfg.progress if main else False,  # (as fit's)
                                 precision=payload.get("precision", "32"),
                                 on_nonfinite=payload.get("on_nonfinite", "stop"))
        hist = fit(net, task, tcfg, dist=ctx, meta={"kind": KIND, "member": m, "refit": True},
                   on_epoch=member_hook(payload.get("on_epoch"), m, main, refit=True))
        last = hist.epochs[-1] if hist.epochs else {}
        h["refit"] = finite_json({"epochs": len(hist.epochs), "seconds": hist.seconds,
                                  "cpu_seconds": hist.cpu_seconds,
                                  "train_loss": last.get("train_loss")})
        states.append({k: v.detach().cpu() for k, v in net.state_dict().items()})
    return states
