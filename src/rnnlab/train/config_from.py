"""A trainer's config as the :class:`~rnnlab.train.TrainConfig` the loop trains with: every
field both dataclasses declare (the same name, the same meaning: ``epochs``, ``lr``, the
optimizer's settings, ``impl``…) passed through, by name, with what the trainer decides
per call (a member's seed, the resolved device) given as overrides; a field a config
means otherwise (:data:`PER_FIT`) is never passed without its override.

The one mapping the forecasters (:mod:`rnnlab.forecast.training`), the panel's
(:mod:`rnnlab.panel.global_fit`) and the language models'
(:meth:`rnnlab.lm.config.LMTrainConfig.to_train_config`) training read, and their
configs' checks when they are made: a setting added to ``TrainConfig`` and to a config
reaches the loop without a line here (a hand-written mapping could forget it)."""

from __future__ import annotations

from dataclasses import fields
from typing import Iterable, Optional, Tuple

from .config import TrainConfig


# the fields a trainer's config declares under a TrainConfig name with another meaning: its
# fit decides each per member and passes it (a forgotten override gave the loop the config's
# value silently: a panel's max_seconds for the whole ensemble to each member, a
# forecaster's seed unspread over members, batch_size 0 "auto", patience without validation)
PER_FIT = {
    "ForecastConfig": ("batch_size", "patience", "seed", "device"),  # (0: auto; 1000*seed+k)
    "PanelConfig": ("patience", "seed", "max_seconds"),  # (seed + k; the ensemble's budget)
    "LMTrainConfig": ("device",),  # ("auto": the process's device is the loop's)
}


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
    ``max_seconds``). Raises as TrainConfig does where a value is refused; a full mapping
    (no ``only``) without an override for each of ``cfg``'s :data:`PER_FIT` fields raises
    a TypeError (a programming error: the loop would get the config's meaning)."""
    names = shared_fields(cfg)
    if only is None:
        unsaid = [n for n in per_fit(cfg) if n not in overrides]
        if unsaid:
            raise TypeError(f"train_config_from: {type(cfg).__name__}'s {unsaid} mean "
                            f"something else than TrainConfig's; pass each as an override "
                            f"(what the fit decides per member)")
    else:
        wanted = set(only)
        unknown = wanted - set(names)
        if unknown:  # (a programming error: a name neither declares)
            raise ValueError(f"train_config_from: {type(cfg).__name__} shares no field "
                             f"{sorted(unknown)} with TrainConfig; it shares {list(names)}")
        names = tuple(n for n in names if n in wanted)
    given = {name: getattr(cfg, name) for name in names}
    given.update(overrides)
    return TrainConfig(**given)


def per_fit(cfg) -> Tuple[str, ...]:
    """``cfg``'s :data:`PER_FIT` fields (its class's, or the config class it extends)."""
    for klass in type(cfg).__mro__:
        if klass.__name__ in PER_FIT:
            return PER_FIT[klass.__name__]
    return ()
