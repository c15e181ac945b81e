"""Language-model configuration: frozen dataclasses, saved as JSON beside the weights."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Optional, Tuple

from ..data.text import LEVELS
from ..data.text_sampling import SAMPLINGS
from ..io.model_dir import config_fields
from ..nn.registry import get_architecture


@dataclass(frozen=True)
class LMConfig:
    """The model and its data pipeline (everything needed to rebuild it for loading)."""

    model: str = "lstm"  # a unidirectional architecture of the registry (`rnnlab models`)
    hidden_size: int = 256  # units per recurrent layer
    num_layers: int = 2  # stacked recurrent layers
    embedding: int = 64  # learned embedding size; 0: one-hot inputs (as the articles)
    dropout: float = 0.2  # on the inputs, between layers and before the output layer
    level: str = "char"  # char | word: what a token is
    max_vocab: Optional[int] = None  # keep only the most frequent tokens (word level); None: all
    depth: int = 2  # deep-transition architectures: layers in the transition MLP
    nonlinearity: str = "tanh"  # vanilla and deep-transition cells: tanh | relu
    width: Optional[int] = None  # deep-transition / deep-output intermediate units; None: hidden
    out_depth: int = 1  # dot-rnn: hidden layers of the deep output MLP

    def __post_init__(self):
        arch = get_architecture(self.model)
        if arch.bidirectional:
            raise ValueError(
                f"model {self.model!r} is bidirectional: at step t it reads the characters after "
                f"t, including the one it must predict, so as a language model it would copy "
                f"the answer and its perplexity would be meaningless. Use a unidirectional "
                f"model (lstm, gru, rnn, drnn, dt-rnn, ...)")
        if self.hidden_size < 1 or self.num_layers < 1 or self.embedding < 0:
            raise ValueError(f"hidden_size and num_layers must be >= 1 and embedding >= 0; got "
                             f"{self.hidden_size}, {self.num_layers}, {self.embedding}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, got {self.level!r}")
        from ..nn.registry import check_spec

        check_spec(self.model_spec(max(1, self.embedding)))

    def model_spec(self, input_size: int):
        """The recurrent body's :class:`~rnnlab.nn.registry.ModelSpec` for inputs of
        ``input_size`` features (the embedding size, or the vocabulary when one-hot)."""
        from ..nn.registry import ModelSpec

        return ModelSpec(name=self.model, input_size=input_size, hidden_size=self.hidden_size,
                         num_layers=self.num_layers, dropout=self.dropout, depth=self.depth,
                         width=self.width, nonlinearity=self.nonlinearity,
                         out_depth=self.out_depth)


@dataclass(frozen=True)
class LMTrainConfig:
    """How a language model is trained (mapped onto rnnlab.train.TrainConfig)."""

    seq_len: int = 100  # time steps per batch = truncated-BPTT length
    batch_size: int = 32  # rows per batch (parallel streams for sequential sampling)
    sampling: str = "sequential"  # sequential (state carried, detached) | random (state reset)
    epochs: int = 200  # at most this many passes (early stopping and --minutes stop sooner)
    minutes: Optional[float] = None  # wall-clock budget; stops at the first epoch end past it
    lr: float = 2e-3  # learning rate
    optimizer: str = "adam"  # adam | adamw | sgd
    clip_norm: Optional[float] = 1.0  # clip the gradients' global norm (the articles' 0.01 is far too low)
    lr_schedule: str = "plateau"  # none | plateau (halve when validation stalls) | cosine
    patience: Optional[int] = 6  # early stopping: epochs without a better validation loss
    val_fraction: float = 0.1  # the last part of the text held out for validation
    eval_streams: int = 16  # parallel contiguous streams when measuring perplexity
    seed: int = 0  # initialisation, batch order, dropout
    device: str = "auto"  # auto | cpu | cuda | cuda:N
    sample_every: int = 0  # print samples every N epochs (0: never)
    sample_prefixes: Tuple[str, ...] = ("the time ",)  # prefixes for those samples
    sample_length: int = 100  # characters (tokens) per sample
    progress: bool = True  # show a progress bar
    checkpoint_every: int = 0  # also checkpoint every N optimizer steps (0: at epoch ends only)
    on_nonfinite: str = "stop"  # stop | skip: what a NaN/Inf loss or gradient does
    # data-parallel training (see rnnlab.train.distributed); one process per device
    accelerator: str = "auto"  # auto | cpu | cuda (auto: follow `device`)
    devices: int = 1  # processes on this machine
    num_nodes: int = 1  # machines (more than one: start every node with torchrun)
    strategy: str = "auto"  # auto (ddp when more than one process) | ddp
    precision: str = "32"  # 32 | bf16-mixed | 16-mixed (cuda)
    impl: str = "auto"  # recurrent layers: auto | fast | triton | triton-split | reference
    cuda_graphs: str = "off"  # off | auto | on: the training step as one CUDA graph (TrainConfig)

    def __post_init__(self):
        from ..train.config import PRECISIONS
        from ..train.distributed import DeviceConfig

        DeviceConfig(self.accelerator, self.devices, self.num_nodes, self.strategy, self.precision)
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, got {self.precision!r}")
        from ..nn.paths import IMPLS

        if self.impl not in IMPLS:
            raise ValueError(f"impl must be one of {IMPLS}, got {self.impl!r}")
        if self.sampling not in SAMPLINGS:
            raise ValueError(f"sampling must be one of {SAMPLINGS}, got {self.sampling!r}")
        if self.seq_len < 1 or self.batch_size < 1 or self.eval_streams < 1:
            raise ValueError("seq_len, batch_size and eval_streams must be >= 1")
        if self.minutes is not None and self.minutes <= 0:
            raise ValueError(f"minutes must be > 0, got {self.minutes}")
        if not 0.0 < self.val_fraction < 1.0:
            raise ValueError(f"val_fraction must be in (0, 1), got {self.val_fraction}")
        if self.sample_every < 0 or self.sample_length < 0:
            raise ValueError(f"sample_every and sample_length must be >= 0 (0: no samples), got "
                             f"{self.sample_every} and {self.sample_length}")
        object.__setattr__(self, "sample_prefixes", tuple(self.sample_prefixes))
        self.to_train_config("cpu")  # the training loop's own checks (lr, epochs, clip_norm...)

    def to_train_config(self, device: str):
        """The :class:`rnnlab.train.TrainConfig` the loop trains with on ``device``."""
        from ..train.config import TrainConfig

        return TrainConfig(epochs=self.epochs, batch_size=self.batch_size, lr=self.lr,
                           optimizer=self.optimizer, clip_norm=self.clip_norm,
                           patience=self.patience, lr_schedule=self.lr_schedule, seed=self.seed,
                           device=device, precision=self.precision, progress=self.progress,
                           checkpoint_every=self.checkpoint_every,
                           on_nonfinite=self.on_nonfinite,
                           max_seconds=60 * self.minutes if self.minutes is not None else None,
                           impl=self.impl, cuda_graphs=self.cuda_graphs)


def to_dict(cfg) -> dict:
    d = dataclasses.asdict(cfg)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}


def from_dict(cls, data: dict, source="config"):
    """Rebuild a config from JSON; unknown keys and wrong types are refused."""
    return cls(**config_fields(cls, data, source))
