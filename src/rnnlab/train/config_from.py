"""A trainer's config as the :class:`~rnnlab.train.TrainConfig` the loop trains with: every
field both dataclasses declare (the same name, the same meaning: ``epochs``, ``lr``, the
optimizer's settings, ``impl``…) passed through, by name, with what the trainer decides
per call (a member's seed, the resolved device) given as overrides.

The one mapping the forecasters (:mod:`rnnlab.forecast.training`), the panel's
(:mod:`rnnlab.panel.global_fit`) and the language models'
(:meth:`rnnlab.lm.config.LMTrainConfig.to_train_config`) training read, and their
configs' checks when they are made: a setting added to ``TrainConfig`` and to a config
reaches the loop without a line here (a hand-written mapping could forget it)."""

from __future__ import annotations

from dataclasses import fields
from typing import Iterable, Optional, Tuple

from .config import TrainConfig


def shared_fields(cfg) -> Tuple[str, ...]:
    """The :class:`TrainConfig` fields ``cfg`` (a dataclass) declares too, in TrainConfig's
    order (which its checks run in)."""
    declared = {f.name for f in fields(cfg)}
    return tuple(f.name for f in fields(TrainConfig) if f.name in declared)


def train_config_from(cfg, only: Optional[Iterable[str]] = None, **overrides) -> TrainConfig:
    """The :class:`TrainConfig` of ``cfg``: each field it shares with TrainConfig
    (:func:`shared_fields`; of them, ``only`` these when given: a check of part of a
    config, said before the rest is read), then ``overrides`` (TrainConfig's fields: what
    the caller decides, or ``cfg`` names otherwise, e.g. an LM's ``minutes`` as
    ``max_seconds``). Raises as TrainConfig does where a value is refused."""
    names = shared_fields(cfg)
    if only is not None:
        wanted = set(only)
        unknown = wanted - set(names)
        if unknown:  # (a programming error: a name neither declares)
            raise ValueError(f"train_config_from: {type(cfg).__name__} shares no field "
                             f"{sorted(unknown)} with TrainConfig; it shares {list(names)}")
        names = tuple(n for n in names if n in wanted)
    given = {name: getattr(cfg, name) for name in names}
    given.update(overrides)
    return TrainConfig(**given)
