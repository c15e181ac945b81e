"""Language-model configuration: frozen dataclasses, saved as JSON beside the weights."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Tuple, Union

from ..data.text import LEVELS, SAMPLINGS
from ..io.model_dir import config_fields
from ..names import IMPLS, is_bidirectional
from ..options import config_repr, option, zero_as_off
from ..rate_options import INPUT_DROPOUT_HELP, RECURRENT_DROPOUT_HELP, check_rates_of, rates_of
from ..option_docs import document_options
from ..train.cli_args import (ARCH, CUDA_GRAPHS_HELP, IMPL_HELP, at_least, or_off,
                              positive_number, progress_option, seed_number)
from ..train.config import CUDA_GRAPHS, progress_problem
from ..train.optim_options import (amsgrad_option, betas_option, dampening_option,
                                  eps_option, momentum_option, nesterov_option,
                                  optimizer_option, settle_betas,
                                  weight_decay_option)
from ..seed_ranges import NUMPY as SEEDS, seed_problem
from ..io.errors import ConfigError, ConfigTypeError

if TYPE_CHECKING:  # (torch: imported where they are built)
    from ..nn.registry import ModelSpec
    from ..train.config import TrainConfig


@document_options
@dataclass(frozen=True)
class LMConfig:
    """The model and its data pipeline, everything needed to rebuild it for loading:
    :class:`~rnnlab.lm.CharLM`'s keyword arguments (``CharLM(hidden_size=512)``)."""

    model: str = option("lstm", "a unidirectional architecture (`rnnlab models`)")
    hidden_size: int = option(256, "units per recurrent layer")
    num_layers: int = option(2, "stacked recurrent layers")
    embedding: int = option(64, "learned embedding size; 0: one-hot inputs (as the articles)")
    dropout: float = option(0.2, "on the inputs, between layers and before the output layer")
    input_dropout: float = option(0.0, INPUT_DROPOUT_HELP)
    recurrent_dropout: float = option(0.0, RECURRENT_DROPOUT_HELP)
    level: str = option("char", "what a token is", choices=LEVELS)
    max_vocab: Optional[int] = option(None, "a vocabulary of N tokens: the unknown token and "
                                      "the N-1 most frequent of the training part (the rest "
                                      "read as the unknown token; mostly for --level word); "
                                      "default: all",
                                      parse=at_least(2, "a vocabulary size",
                                                     " (the unknown token and one more)"))
    depth: int = option(2, "deep-transition models: layers of the transition MLP, L",
                        parse=at_least(1), group=ARCH)
    nonlinearity: str = option("tanh", "vanilla and deep-transition cells (and dot-rnn's "
                               "and dots-rnn's deep output)",
                               choices=("tanh", "relu"), group=ARCH)
    width: Optional[int] = option(None, "deep-transition and deep-output models: units of the "
                                  "intermediate layers (default: the hidden size)",
                                  parse=at_least(1), group=ARCH)
    out_depth: int = option(1, "dot-rnn, dots-rnn: hidden layers of the deep output MLP",
                            parse=at_least(1), group=ARCH)
    out_width: Optional[int] = option(None, "dot-rnn, dots-rnn: units of each deep output "
                                      "layer (default: --width, else the hidden size)",
                                      parse=at_least(1), group=ARCH)

    __repr__ = config_repr  # the settings given, not all

    def __post_init__(self):
        check_rates_of(self)  # (first: a type error naming the range too, as the others')
        check_types(self)
        if is_bidirectional(self.model):  # (an unknown name raises, with the known list)
            raise ConfigError(
                f"model {self.model!r} is bidirectional: at step t it reads the characters after "
                f"t, including the one it must predict, so as a language model it would copy "
                f"the answer and its perplexity would be meaningless. Use a unidirectional "
                f"model (lstm, gru, rnn, drnn, dt-rnn, ...)")
        if self.hidden_size < 1 or self.num_layers < 1 or self.embedding < 0:
            raise ConfigError(f"hidden_size and num_layers must be >= 1 and embedding >= 0; got "
                              f"{self.hidden_size}, {self.num_layers}, {self.embedding}")
        if not 0.0 <= self.dropout < 1.0:
            raise ConfigError(f"dropout must be in [0, 1), got {self.dropout}")
        if self.level not in LEVELS:
            raise ConfigError(f"level must be one of {LEVELS}, got {self.level!r}")
        if self.max_vocab is not None and (isinstance(self.max_vocab, bool) or not isinstance(
                self.max_vocab, int) or self.max_vocab < 2):
            # (1 or less kept the unknown token alone: every token unknown, 0 bits, silently)
            raise ConfigError(f"max_vocab must be a whole number >= 2 (the unknown token and "
                              f"at least one token of the text) or None for all, got "
                              f"{self.max_vocab!r}")
        from ..nn.registry import check_spec

        check_spec(self.model_spec(max(1, self.embedding)))

    def model_spec(self, input_size: int) -> ModelSpec:
        """The recurrent body's :class:`~rnnlab.nn.registry.ModelSpec` for inputs of
        ``input_size`` features (the embedding size, or the vocabulary when one-hot)."""
        from ..nn.registry import ModelSpec

        # the body's dropout acts between its layers; LMNet's own on inputs and outputs acts
        # with one layer too: no "dropout does nothing" warning from build_model for it
        body_dropout = self.dropout if self.num_layers > 1 else 0.0
        return ModelSpec(name=self.model, input_size=input_size, hidden_size=self.hidden_size,
                         num_layers=self.num_layers, dropout=body_dropout, depth=self.depth,
                         width=self.width, nonlinearity=self.nonlinearity,
                         out_depth=self.out_depth, out_width=self.out_width,
                         **rates_of(self))


@document_options
@dataclass(frozen=True)
class LMTrainConfig:
    """How a language model is trained (mapped onto :class:`rnnlab.train.TrainConfig`):
    the keyword arguments of :meth:`CharLM.fit <rnnlab.lm.CharLM.fit>`
    (``lm.fit(text, epochs=5, seq_len=64)``)."""

    seq_len: int = option(100, "time steps per batch = truncated-BPTT length")
    batch_size: int = option(32, "rows per batch (parallel streams for sequential sampling)")
    sampling: str = option("sequential", "sequential (state carried, detached) | random (state "
                           "reset)", choices=SAMPLINGS)
    epochs: int = option(200, "at most this many passes (early stopping and --minutes stop "
                         "sooner)")
    minutes: Optional[float] = option(None, "wall-clock budget: stop at the first step after "
                                      "it, the epoch then validated (the whole run's: a "
                                      "resumed run counts the minutes it trained before)",
                                      parse=positive_number("a time budget in minutes"))
    lr: float = option(2e-3, "learning rate, finite and > 0")
    # (shared with the forecasters: rnnlab.train.optim_options; the defaults train as before)
    optimizer: str = optimizer_option()
    weight_decay: float = weight_decay_option()
    momentum: float = momentum_option()
    nesterov: bool = nesterov_option()
    dampening: float = dampening_option()
    betas: Tuple[float, float] = betas_option()
    eps: float = eps_option()
    amsgrad: bool = amsgrad_option()
    clip_norm: Optional[float] = option(1.0, "clip the gradients' global norm; 0 / none: off "
                                        "(the d2l-style article set 0.01, which its code never "
                                        "applied: docs/articles.md)",
                                        parse=or_off(float), to_config=lambda v: v or None)
    lr_schedule: str = option("plateau", "none | plateau (halve after 3 epochs in a row "
                              "without a better validation loss; --patience 4 or more lets the "
                              "halved rate train) | cosine (to 0 over --epochs)",
                              choices=("none", "plateau", "cosine"))
    patience: Optional[int] = option(6, "early stopping: epochs without a better validation "
                                     "loss; 0 / none: off", parse=or_off(int),
                                     to_config=lambda v: v or None)
    val_fraction: float = option(0.1, "the last part of the text held out for validation "
                                 "(or validate on a text of its own: --val-text FILE, "
                                 "fit(val_text=...))")
    eval_streams: int = option(16, "parallel contiguous streams when measuring perplexity, "
                               "each from a fresh state (1: one state through the text)",
                               cli=False)
    seed: int = option(0, "initialisation, batch order, dropout", parse=seed_number)
    device: str = option("auto", "auto | cpu | cuda | cuda:N")
    sample_every: int = option(0, "print samples every N epochs while training (0: never; "
                               "`lm train` draws its samples after training either way)",
                               cli_default=5)
    # the CLI's --prefix (repeatable, default: the corpus's first words): lm/cli.py
    sample_prefixes: Tuple[str, ...] = option(("the time ",), "prefixes for those samples",
                                              cli=False)
    sample_length: int = option(100, "characters (tokens) per sample", cli=False)
    # the API's True: tqdm's bar on a terminal only; the command's "log" (rnnlab.train.progress)
    progress: Union[bool, str] = progress_option(True)
    # the options below that rnnlab forecast shares are written by train/cli_args.py
    # (add_run_args, add_device_args); lm/cli.py skips them in add_options
    checkpoint_every: int = option(0, "also checkpoint every N optimizer steps (0: at epoch ends "
                                   "only)")
    on_nonfinite: str = option("stop", "stop | skip: what a NaN/Inf loss or gradient does",
                               choices=("stop", "skip"))
    # data-parallel training (see rnnlab.train.distributed); one process per device
    accelerator: str = option("auto", "auto | cpu | cuda (auto: follow `device`)")
    devices: int = option(1, "processes on this machine")
    num_nodes: int = option(1, "machines (more than one: start every node with torchrun)")
    strategy: str = option("auto", "auto (ddp when more than one process) | ddp")
    precision: str = option("32", "32 | bf16-mixed | 16-mixed (cuda)")
    impl: str = option("auto", IMPL_HELP, choices=IMPLS)
    cuda_graphs: str = option("off", CUDA_GRAPHS_HELP, choices=CUDA_GRAPHS)

    __repr__ = config_repr  # the settings given, not all

    def __post_init__(self):
        # (the seed first: a ConfigError as every config's seed refusal, not check_types's
        # ConfigTypeError for seed=1.5)
        bad_seed = seed_problem(self.seed, SEEDS, "2**63 - 1 at most; numpy's seed sequences "
                                "take no negative number")  # (both raised unexplained, mid-fit)
        if bad_seed:
            raise ConfigError(f"LMTrainConfig: {bad_seed} (--seed 0)")
        check_types(self)
        from ..train.config import PRECISIONS
        from ..train.distributed import DeviceConfig

        DeviceConfig(self.accelerator, self.devices, self.num_nodes, self.strategy, self.precision)
        if self.precision not in PRECISIONS:
            raise ConfigError(f"precision must be one of {PRECISIONS}, got {self.precision!r}")
        if self.impl not in IMPLS:
            raise ConfigError(f"impl must be one of {IMPLS}, got {self.impl!r}")
        if self.sampling not in SAMPLINGS:
            raise ConfigError(f"sampling must be one of {SAMPLINGS}, got {self.sampling!r}")
        if progress_problem(self.progress):  # (named: TrainConfig's check named TrainConfig)
            raise ConfigError(f"LMTrainConfig: {progress_problem(self.progress)}")
        if self.seq_len < 1 or self.batch_size < 1 or self.eval_streams < 1:
            raise ConfigError(f"seq_len, batch_size and eval_streams must be >= 1, got "
                              f"{self.seq_len}, {self.batch_size}, {self.eval_streams}")
        if self.minutes is not None and not self.minutes > 0:  # (NaN too)
            raise ConfigError(f"minutes must be a number > 0 (a wall-clock budget; None or "
                              f"inf: no budget), got {self.minutes}")
        if not 0.0 < self.val_fraction < 1.0:
            raise ConfigError(f"val_fraction must be in (0, 1), got {self.val_fraction}")
        if self.sample_every < 0 or self.sample_length < 0:
            raise ConfigError(f"sample_every and sample_length must be >= 0 (0: no samples), got "
                              f"{self.sample_every} and {self.sample_length}")
        negative = zero_as_off(self)  # "0 / None: off", in Python as on the CLI (TrainConfig's
        if negative:  # ">= 1 or None" would not say that 0 is off too)
            raise ConfigError(negative)
        prefixes = self.sample_prefixes  # one str is one prefix (tuple() cut it into letters)
        object.__setattr__(self, "sample_prefixes",
                           (prefixes,) if isinstance(prefixes, str) else tuple(prefixes))
        settle_betas(self)  # (a JSON record's list)
        try:  # the training loop's own checks (lr, epochs, clip_norm...), in this config's name
            self.to_train_config("cpu")
        except (ConfigError, ConfigTypeError) as e:
            raise type(e)(str(e).replace("TrainConfig: ", "LMTrainConfig: ", 1)) from None

    def to_train_config(self, device: str) -> TrainConfig:
        """The :class:`rnnlab.train.TrainConfig` the loop trains with on ``device``."""
        from ..train.config_from import train_config_from

        return train_config_from(self, device=device, max_seconds=60 * self.minutes
                                 if self.minutes is not None else None)


def check_types(cfg) -> None:
    """Each int, float, str and bool field holds one (None where Optional), said with the
    field's name (``hidden_size='64'`` raised "'<' not supported between 'str' and 'int'",
    ``seq_len=10.5`` and ``embedding=True`` were taken); the check of a saved config's
    (:func:`rnnlab.number_kinds.fits_hint`). numpy numbers become Python ones (JSON
    cannot write them). The other fields (``sample_prefixes``) are turned into their
    type by the config itself."""
    import typing

    from ..number_kinds import fits_hint, hint_words, scalar_of

    hints = typing.get_type_hints(type(cfg))
    for f in dataclasses.fields(cfg):
        v, hint = getattr(cfg, f.name), hints[f.name]
        base = scalar_of(hint)[0]
        if base is None:
            continue
        if not fits_hint(v, hint):
            raise ConfigTypeError(f"{type(cfg).__name__}: {f.name} must be {hint_words(hint)}, "
                                  f"got {type(v).__name__} {v!r}")
        if base in (int, float) and v is not None and type(v) not in (int, float):  # numpy
            object.__setattr__(cfg, f.name, base(v))


def to_dict(cfg) -> dict:
    d = dataclasses.asdict(cfg)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}


def from_dict(cls, data: dict, source="config"):
    """Rebuild a config from JSON; unknown keys, wrong types and values the config
    refuses are refused naming ``source``."""
    fields = config_fields(cls, data, source)
    try:
        return cls(**fields)
    except (TypeError, ValueError) as e:
        from ..io.errors import CheckpointError

        raise CheckpointError(f"{source}: {cls.__name__}: {e}; the file was edited or "
                              f"damaged: restore it or train again") from None
