"""After a Forecaster's choice (made on the validation tail): its models fitted again on
the whole training part, the validation tail included (it is history now)."""

from __future__ import annotations

import numpy as np

from ..data.windows import make_windows
from . import baselines as B
from .holidays import with_flags
from .net import Ensemble
from .training import refit_members


def refit_after_choice(f, payload: dict, z: np.ndarray, mode: str) -> None:
    """After the choice, fit again on the whole training part ``z`` (model space,
    validation tail included); the choice and its scores stay those of the validation.
    The linear AR always (least squares: no epoch count to carry over), unless its
    refit is explosive and more so than the validated fit (:func:`.baselines.steadier`:
    that fit is kept, and left out of ``choice["refit"]``); with
    ``config.refit`` and a choice that uses it, the network too, member by member for
    its best validation epoch count."""
    cfg = f.config
    f.ar, ar_new = B.steadier(f.ar, B.LinearAR(cfg.lookback).fit(z))
    ar0, f.arma = B.change_models(f.pipeline, z, cfg.lookback)
    f.ar0, ar0_new = B.steadier(f.ar0, ar0)  # (explosive refits: the validated)
    refitted = ["linear_ar"] * ar_new + ["linear_ar0"] * ar0_new + (
        ["arma"] if f.arma is not None else [])
    if cfg.refit and f.choice["method"] in ("network", "blend", "combined", "weighted"):
        x, y = make_windows(z, cfg.lookback, mode, cfg.horizon)
        x = with_flags(x, payload.get("flags"), cfg)  # (holidays: .holidays)
        f.net = Ensemble.from_states(cfg, refit_members(payload, f.histories, x, y))
        refitted.append("network")
    f.choice = dict(f.choice, refit=refitted)
