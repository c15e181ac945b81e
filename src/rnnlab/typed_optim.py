"""OptimizerSettings: the optimizer's keyword settings every trainer takes (the fields
:mod:`rnnlab.train.optim_options` declares once, and the learning rate, clipping and early
stopping beside them), as a TypedDict the forecasters' and the language model's settings
extend (:mod:`rnnlab.forecast.typed_settings`, :mod:`rnnlab.panel.typed_settings`,
:mod:`rnnlab.lm.typed_settings`)."""

from __future__ import annotations

from typing import Optional, Sequence, TypedDict


class OptimizerSettings(TypedDict, total=False):
    """The optimizer's settings shared by ForecastConfig, PanelConfig and LMTrainConfig."""

    lr: float
    optimizer: str
    weight_decay: float
    momentum: float
    nesterov: bool
    dampening: float
    betas: Sequence[float]
    eps: float
    amsgrad: bool
    clip_norm: Optional[float]
    lr_schedule: str
    patience: Optional[int]
