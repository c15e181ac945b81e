"""Training settings shared by every task."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple, Union

from ..names import IMPLS, impl_under_autocast
from ..number_kinds import is_real, is_whole
from ..options import config_repr, zero_as_off
from ..seed_ranges import TORCH as TORCH_SEEDS, in_range
from ..io.errors import ConfigError

OPTIMIZERS = ("adam", "adamw", "sgd")
SCHEDULES = ("none", "plateau", "cosine")
PRECISIONS = ("32", "bf16-mixed", "16-mixed")
CUDA_GRAPHS = ("auto", "on", "off")  # auto: on where the step can be captured (CUDA, fp32, ...)
BETAS = (0.9, 0.999)  # torch.optim.Adam's and AdamW's default betas
EPS = 1e-8  # torch.optim.Adam's and AdamW's default eps
ACCELERATORS = ("auto", "cpu", "cuda")  # DeviceConfig (train.distributed), --accelerator
STRATEGIES = ("auto", "ddp")  # data parallelism: DeviceConfig, --strategy
PROGRESS = (True, False, "log")  # TrainConfig.progress (rnnlab.train.progress)
FLOAT32_MAX = 3.4028234663852886e38  # the largest learning rate a float32 step can take


def progress_problem(value) -> Optional[str]:
    """What is wrong with a config's ``progress`` (every training config's: each refuses it
    when made, not at the fit), or None."""
    if value in PROGRESS:  # (0 and 1 too: a "cfg.progress and ..." gives them)
        return None
    return (f"progress must be True, False or 'log' (a line on stderr every 30 s when it "
            f"is not a terminal), got {value!r}")


@dataclass(frozen=True)
class TrainConfig:
    """How :func:`rnnlab.train.fit` trains (Forecaster and CharLM map their settings on it).

    epochs (100): passes over the training data; batch_size (32): read by the tasks that
    batch for you, not by ``fit``; lr (1e-3); optimizer: adam | adamw | sgd; weight_decay
    (0); momentum (0, sgd only) and nesterov (False: Nesterov momentum, sgd with a momentum
    only), torch.optim.SGD's, and dampening (0, sgd with a momentum only); betas ((0.9,
    0.999)), eps (1e-8) and amsgrad (False), adam and adamw only; clip_norm (1.0;
    None: off): the gradients' global norm;
    patience (None: off): early stopping after this many epochs without a better
    validation loss, better by more than min_delta (0); lr_schedule: none | plateau
    (halve after 3 epochs without a better one) | cosine; seed (0): torch's generator
    (dropout); device: auto | cpu | cuda | cuda:N; precision: 32 | bf16-mixed | 16-mixed;
    progress (True: a bar on a terminal; "log": a line on stderr elsewhere too; False);
    checkpoint_every (0: at epoch ends only): also every N steps; on_nonfinite: stop |
    skip (a NaN/Inf loss or gradient); max_seconds (None): a wall-clock budget; impl
    (auto): the recurrent layers' kernel; cuda_graphs: off | auto | on.
    """

    epochs: int = 100  # passes over the training data
    # sequences (windows) per optimizer step, for the tasks that batch for you (Forecaster,
    # CharLM); rnnlab.train.fit itself does not read it: a Task's get_batch makes its batches
    # (one other than this default beside a TensorTask of another batch_size is refused)
    batch_size: int = 32
    lr: float = 1e-3  # learning rate
    optimizer: str = "adam"  # adam | adamw | sgd
    weight_decay: float = 0.0  # L2 (adam, sgd) or decoupled (adamw) weight decay
    momentum: float = 0.0  # sgd only: torch.optim.SGD's momentum, 0 <= momentum < 1
    nesterov: bool = False  # sgd with a momentum only: Nesterov momentum (torch.optim.SGD's)
    # adam, adamw: the decay rates of the moments' running averages (torch.optim.Adam's)
    betas: Tuple[float, float] = BETAS
    eps: float = EPS  # adam, adamw: added to the denominator, > 0 (torch.optim.Adam's)
    amsgrad: bool = False  # adam, adamw: AMSGrad (the largest second moment so far)
    # sgd with a momentum only: the share of each new gradient left out of the momentum
    # buffer, 0 <= dampening <= 1 (torch.optim.SGD's)
    dampening: float = 0.0
    clip_norm: Optional[float] = 1.0  # clip the gradients' global norm to this; None: no clipping
    patience: Optional[int] = None  # stop after this many epochs without a better validation loss
    # none | plateau: halve the rate after 3 epochs in a row without a better validation loss
    # (the training loss without validation; torch's ReduceLROnPlateau(factor=0.5,
    # patience=2)): a patience of 3 or less stops the run first | cosine: to 0 over the epochs
    lr_schedule: str = "none"
    # fit seeds torch with it (dropout); callers seed init and data order. Negative ones
    # too, -2**63 <= seed < 2**63 (torch takes them: they train and reproduce);
    # LMTrainConfig's are >= 0, as it also seeds numpy's seed sequences
    seed: int = 0
    device: str = "auto"  # auto | cpu | cuda | cuda:N
    precision: str = "32"  # 32 | bf16-mixed | 16-mixed (cuda only)
    # True: tqdm's bar on a terminal, nothing elsewhere; "log": the bar on a terminal, else
    # a plain line on stderr every 30 s and at the end (CI, nohup; the commands' default,
    # off with --no-progress); False: nothing (rnnlab.train.progress)
    progress: Union[bool, str] = True
    checkpoint_every: int = 0  # also checkpoint every N optimizer steps (0: at epoch ends only)
    on_nonfinite: str = "stop"  # stop | skip: what a NaN/Inf loss or gradient does
    max_seconds: Optional[float] = None  # wall-clock budget: stop at the first step past it
    impl: str = "auto"  # recurrent layers: auto | fast | triton | triton-split | triton-resident | reference (rnnlab.nn.paths.set_impl)
    # off | auto | on: capture the training step on CUDA (train.graph_step); opt-in until its
    # equality test has run on a GPU (benchmarks/run_gpu.sh)
    cuda_graphs: str = "off"
    # an epoch is better only if its validation loss is below the best so far by more than
    # this (the best weights kept, and patience, both go by it; Keras' EarlyStopping min_delta)
    min_delta: float = 0.0

    __repr__ = config_repr  # the settings given, not all

    def __post_init__(self):
        def need(cond, msg):
            if not cond:
                raise ConfigError(f"TrainConfig: {msg}")

        # (a number given as text failed with "'<' not supported between 'int' and 'str'";
        # epochs=2.0 was refused as "must be >= 1"; batch_size=True and seed=1.5 passed)
        for name in ("epochs", "batch_size", "seed"):
            need(_whole(getattr(self, name)), f"{name} must be a whole number (an int), got "
                                              f"{getattr(self, name)!r}")
        if type(self.device).__name__ == "device" and type(self.device).__module__ == "torch":
            object.__setattr__(self, "device", str(self.device))  # (a torch.device, as torch takes)
        # (device=0 or None failed inside fit: "'int' object has no attribute 'startswith'";
        # progress="no" showed the bar; a seed past 64 bits failed at fit: "Overflow ...")
        need(isinstance(self.device, str),
             f"device must be a str (auto, cpu, cuda or cuda:N) or a torch.device, got "
             f"{self.device!r} ({type(self.device).__name__})")
        need(progress_problem(self.progress) is None, progress_problem(self.progress))
        need(not _whole(self.seed) or in_range(self.seed, TORCH_SEEDS),
             f"seed must fit in 64 bits (-2**63 <= seed < 2**63: torch's generator), got "
             f"{self.seed!r}; e.g. seed=0")
        for name in ("lr", "weight_decay", "momentum", "clip_norm", "max_seconds", "min_delta",
                     "eps", "dampening"):
            v = getattr(self, name)
            need(_real(v) or (v is None and name in ("clip_norm", "max_seconds")),
                 f"{name} must be a number, got {v!r} ({type(v).__name__})")
        need(self.epochs >= 1, f"epochs must be >= 1, got {self.epochs!r}")
        # (99999999999999999999999 from a YAML file or --epochs trained until killed)
        need(self.epochs <= MAX_EPOCHS,
             f"epochs must be at most 2**63 - 1 (int64's largest, as for seeds), got "
             f"{_shown(self.epochs)}: no run trains that many passes; give the passes you "
             f"mean, and stop by time with max_seconds (--minutes) or early stopping "
             f"(patience)")
        need(self.batch_size >= 1, f"batch_size must be >= 1, got {self.batch_size!r}")
        # (past float32's largest value the optimizer step overflowed with a traceback)
        need(0 < self.lr <= FLOAT32_MAX,
             f"lr must be > 0 and finite (at most {FLOAT32_MAX:.4g}, float32's largest), "
             f"got {self.lr!r}")
        need(self.optimizer in OPTIMIZERS, f"optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}")
        need(self.lr_schedule in SCHEDULES, f"lr_schedule must be one of {SCHEDULES}, got {self.lr_schedule!r}")
        need(self.precision in PRECISIONS, f"precision must be one of {PRECISIONS}, got {self.precision!r}")
        # (0 is off, as None: one rule in every config and on every command line)
        negative = zero_as_off(self)
        need(negative is None, negative)
        need(self.clip_norm is None or self.clip_norm > 0, f"clip_norm must be > 0 or None, got {self.clip_norm!r}")
        need(self.patience is None or self.patience >= 1, f"patience must be >= 1 or None, got {self.patience!r}")
        need(self.on_nonfinite in ("stop", "skip"), f"on_nonfinite must be 'stop' or 'skip', got {self.on_nonfinite!r}")
        need(self.max_seconds is None or self.max_seconds > 0,
             f"max_seconds must be > 0 or None, got {self.max_seconds!r}")
        need(self.impl in IMPLS, f"impl must be one of {IMPLS}, got {self.impl!r}")
        # (a kernel by name under autocast: refused here, as the commands refuse it)
        under_autocast = impl_under_autocast(self.impl, self.precision)
        need(under_autocast is None, under_autocast)
        need(self.cuda_graphs in CUDA_GRAPHS,
             f"cuda_graphs must be one of {CUDA_GRAPHS}, got {self.cuda_graphs!r}")
        # (NaN passes torch's own checks, and a momentum set with adam was ignored silently)
        need(0 <= self.weight_decay < float("inf"),
             f"weight_decay must be >= 0 and finite, got {self.weight_decay!r}")
        for bad in (momentum_problem(self.momentum, self.optimizer),
                    betas_problem(self.betas, self.optimizer),
                    adam_problem(self.eps, self.amsgrad, self.optimizer),
                    dampening_problem(self.dampening, self.optimizer, self.momentum,
                                      self.nesterov),
                    nesterov_problem(self.nesterov, self.optimizer, self.momentum)):
            need(bad is None, bad)
        object.__setattr__(self, "betas", tuple(self.betas))  # (a JSON record's list)
        need(0 <= self.min_delta < float("inf"),
             f"min_delta must be >= 0 and finite (an absolute change of the validation "
             f"loss), got {self.min_delta!r}")
        need(_whole(self.checkpoint_every) and self.checkpoint_every >= 0,
             f"checkpoint_every must be a whole number >= 0, got {self.checkpoint_every!r}")
        need(self.patience is None or _whole(self.patience),
             f"patience must be a whole number of epochs or None, got {self.patience!r}")


def momentum_problem(momentum, optimizer) -> Optional[str]:
    """What is wrong with SGD's ``momentum`` (0 <= m < 1) or its use with another
    ``optimizer``, or None."""
    if not 0 <= momentum < float("inf"):
        return f"momentum must be >= 0 and finite, got {momentum!r}"
    if momentum >= 1:  # (1 never forgets a gradient; past it they grow each step)
        return (f"momentum must be below 1 (the share of the last step kept; 0.9 is usual), "
                f"got {momentum!r}: at 1 or more the steps grow without end")
    if momentum != 0 and optimizer != "sgd":
        return (f"momentum={momentum!r} applies to optimizer='sgd' only, and optimizer is "
                f"{optimizer!r} (Adam keeps its own moments: betas); set optimizer='sgd' "
                f"or leave momentum at 0")
    return None


def nesterov_problem(nesterov, optimizer, momentum) -> Optional[str]:
    """What is wrong with SGD's ``nesterov`` (True or False, with sgd and a momentum), or
    None."""
    if not isinstance(nesterov, bool):
        return f"nesterov must be True or False, got {nesterov!r}"
    if nesterov and not (optimizer == "sgd" and momentum > 0):
        how = "set" if optimizer == "sgd" else "set optimizer='sgd' and"
        return (f"nesterov=True applies to optimizer='sgd' with a momentum > 0, and optimizer "
                f"is {optimizer!r}, momentum {momentum!r}; {how} a momentum (0.9), or leave "
                f"nesterov False")
    return None


def betas_problem(betas, optimizer) -> Optional[str]:
    """What is wrong with ``betas`` (two numbers in [0, 1), with adam or adamw), or None."""
    if not (isinstance(betas, (tuple, list)) and len(betas) == 2 and all(
            _real(b) and 0 <= b < 1 for b in betas)):
        return (f"betas must be two numbers in [0, 1) (Adam's, torch's default "
                f"{BETAS}), got {betas!r}")
    if tuple(betas) != BETAS and optimizer == "sgd":
        return (f"betas={tuple(betas)!r} apply to optimizer='adam' or 'adamw' only, and "
                f"optimizer is 'sgd' (SGD's is momentum); set optimizer='adam' or leave "
                f"betas at {BETAS}")
    return None


def adam_problem(eps, amsgrad, optimizer) -> Optional[str]:
    """What is wrong with Adam's ``eps`` (> 0 and finite) or ``amsgrad`` (True or False),
    or their use with ``optimizer='sgd'``, which has neither; or None."""
    if not (_real(eps) and 0 < eps < float("inf")):
        return (f"eps must be > 0 and finite (Adam's step divides by sqrt(v) + eps: at 0 a "
                f"weight whose gradient is 0 becomes NaN; torch's default {EPS}), got {eps!r}")
    if not isinstance(amsgrad, bool):
        return f"amsgrad must be True or False, got {amsgrad!r}"
    for name, value, default in (("eps", eps, EPS), ("amsgrad", amsgrad, False)):
        if value != default and optimizer == "sgd":
            return (f"{name}={value!r} applies to optimizer='adam' or 'adamw' only, and "
                    f"optimizer is 'sgd'; set optimizer='adam' or leave {name} at {default}")
    return None


def dampening_problem(dampening, optimizer, momentum, nesterov) -> Optional[str]:
    """What is wrong with SGD's ``dampening`` (0 to 1, with sgd, a momentum > 0 and no
    Nesterov momentum: torch refuses that pair when the optimizer is made), or None."""
    if not (_real(dampening) and 0 <= dampening <= 1):
        return (f"dampening must be a number in [0, 1] (the share of each new gradient "
                f"left out of SGD's momentum buffer; torch's default 0), got {dampening!r}")
    if dampening == 0:
        return None
    if optimizer != "sgd" or not (_real(momentum) and momentum > 0):
        sgd = "" if optimizer == "sgd" else "optimizer='sgd' and "
        return (f"dampening={dampening!r} applies to optimizer='sgd' with a momentum > 0, "
                f"and optimizer is {optimizer!r}, momentum {momentum!r}; set {sgd}a momentum "
                f"(0.9), or leave dampening at 0")
    if nesterov is True:
        return (f"dampening={dampening!r} with nesterov=True: Nesterov momentum takes no "
                f"dampening (torch.optim.SGD refuses the pair); leave dampening at 0 or set "
                f"nesterov False")
    return None


MAX_EPOCHS = 2 ** 63 - 1  # (int64's largest: past it no count of epochs is meant)


def _shown(n: int) -> str:
    """``n`` as typed, its digits cut short past 30 (a paste of thousands)."""
    text = str(n)
    return text if len(text) <= 30 else f"{text[:20]}... ({len(text)} digits)"


_real, _whole = is_real, is_whole  # (1.5 steps between checkpoints made none at all)
