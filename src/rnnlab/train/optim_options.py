"""The optimizer settings the trainers share: the one-series
:class:`~rnnlab.forecast.ForecastConfig`, the panel's
:class:`~rnnlab.panel.config.PanelConfig` and the language models'
:class:`~rnnlab.lm.config.LMTrainConfig` declare ``optimizer``, ``weight_decay``,
``momentum``, ``nesterov``, ``dampening``, ``betas``, ``eps``, ``amsgrad`` (and the
forecasters ``lr_schedule``) with these
options (the same names, values, help and ``--flags``), check them with
:func:`optimizer_problem` (the same words when refused); the loop gets them, by name,
from :func:`rnnlab.train.config_from.train_config_from`."""

from __future__ import annotations

from typing import Optional

from ..options import option, yes_no
from .config import BETAS, EPS, OPTIMIZERS, SCHEDULES
from .config_from import train_config_from
from .optim_flags import OPTIMIZER_FIELDS  # (the options below, as TrainConfig names them)


def optimizer_option(group: Optional[str] = None):
    """``optimizer``: adam (the default: what the forecasters always trained with) | adamw
    | sgd, torch.optim's Adam, AdamW and SGD."""
    return option("adam", "the optimizer", choices=OPTIMIZERS, group=group)


def weight_decay_option(group: Optional[str] = None):
    """``weight_decay``: torch.optim's, 0 (the default) to none."""
    return option(0.0, "L2 penalty (adam, sgd) or decoupled weight decay (adamw)",
                  parse=float, group=group)


def momentum_option(group: Optional[str] = None):
    """``momentum``: torch.optim.SGD's, 0 (the default) to none; sgd only."""
    return option(0.0, "SGD's momentum, 0 <= m < 1 (0.9 is usual; --optimizer sgd only)",
                  parse=float, group=group)


def nesterov_option(group: Optional[str] = None):
    """``nesterov``: torch.optim.SGD's Nesterov momentum; sgd with a momentum only."""
    return option(False, "yes: Nesterov momentum (--optimizer sgd with a --momentum only)",
                  parse=yes_no, group=group)


def betas_option(group: Optional[str] = None):
    """``betas``: torch.optim.Adam's and AdamW's, (0.9, 0.999) (the default); adam and
    adamw only. Typed as ``--betas 0.9 0.99``; a settings file's list ``[0.9, 0.99]``."""
    return option(BETAS, "Adam's and AdamW's betas, two numbers in [0, 1) (--optimizer adam "
                  "or adamw only)", parse=float, nargs=2, to_config=tuple, group=group)


def dampening_option(group: Optional[str] = None):
    """``dampening``: torch.optim.SGD's, 0 (the default) to none; sgd with a momentum and
    without Nesterov momentum only."""
    return option(0.0, "SGD's dampening of each new gradient in the momentum buffer, in "
                  "[0, 1] (--optimizer sgd with a --momentum, no --nesterov, only)",
                  parse=float, group=group)


def eps_option(group: Optional[str] = None):
    """``eps``: torch.optim.Adam's and AdamW's, 1e-8 (the default); adam and adamw only."""
    return option(EPS, "Adam's and AdamW's eps, added to the step's denominator, > 0 "
                  "(--optimizer adam or adamw only)", parse=float, group=group)


def amsgrad_option(group: Optional[str] = None):
    """``amsgrad``: torch.optim.Adam's and AdamW's AMSGrad variant; adam and adamw only."""
    return option(False, "yes: AMSGrad, Adam's step by the largest second moment so far "
                  "(--optimizer adam or adamw only)", parse=yes_no, group=group)


def settle_betas(cfg) -> None:
    """A config's ``betas`` as a tuple (a JSON record gives a list), when two were given."""
    if isinstance(cfg.betas, list):
        object.__setattr__(cfg, "betas", tuple(cfg.betas))


def lr_schedule_option(group: Optional[str] = None):
    """``lr_schedule``: none (the default: one rate throughout) | plateau | cosine
    (:func:`rnnlab.train.optim.make_scheduler`)."""
    return option("none", "none | plateau (halve the rate after 3 epochs in a row without a "
                  "better validation loss; the training loss with --val-size 0) | cosine "
                  "(to 0 over --epochs)", choices=SCHEDULES, group=group)


def optimizer_problem(cfg) -> Optional[str]:
    """What the training loop (:class:`~rnnlab.train.TrainConfig`) would refuse in
    ``cfg``'s optimizer settings (``lr``, ``optimizer``, ``weight_decay``, ``momentum``,
    ``nesterov``, ``dampening``, ``betas``, ``eps``, ``amsgrad``, ``clip_norm``,
    ``lr_schedule``), said when the config is made,
    not after the data is read; or None.
    ``torch.optim.SGD`` or ``"SGD"`` (a torch user's) is refused naming ``'sgd'``."""
    try:
        train_config_from(cfg, only=("lr", "clip_norm", "lr_schedule") + OPTIMIZER_FIELDS)
    except (ValueError, TypeError) as e:
        said = str(e).replace("TrainConfig: ", "")
        name = str(getattr(cfg.optimizer, "__name__", cfg.optimizer)).lower()
        if said.startswith("optimizer") and name in OPTIMIZERS:  # (the loop builds it)
            said += f"; pass its name: optimizer={name!r}"
        return said
    return None
