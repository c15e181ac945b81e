"""ForecastConfig: every setting of a forecasting run, saved with the model as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Optional, Tuple

from ..data.scalers import SCALERS
from ..io.errors import CheckpointError, DataError
from ..io.model_dir import config_fields

STRATEGIES = ("direct", "recursive", "seq2seq")
TRANSFORMS = ("auto", "log", "none")
DIFFERENCES = ("auto", "seasonal", "first", "none")
VALIDATIONS = ("rollout", "one_step")
MAX_ENSEMBLE = 100  # seeds averaged at most: each is a whole training run (more never ends)


@dataclass(frozen=True)
class ForecastConfig:
    # --- model
    model: str = "lstm"  # an architecture of rnnlab.nn.registry (`rnnlab models`)
    hidden_size: int = 32  # recurrent units per layer (per direction)
    num_layers: Optional[int] = None  # stacked layers; None = the architecture's default
    dropout: float = 0.0  # between stacked layers
    depth: int = 2  # deep-transition models: layers of the transition MLP
    width: Optional[int] = None  # deep-transition / deep-output intermediate units; None: hidden_size
    nonlinearity: str = "tanh"  # vanilla and deep-transition cells: tanh | relu
    out_depth: int = 1  # dot-rnn: hidden layers of the deep output MLP
    linear_skip: bool = True  # add a linear map of the window to the output (direct, recursive)
    # --- windows and targets
    lookback: int = 12  # input window length (time steps the model reads)
    horizon: int = 12  # steps forecast by default; the direct strategy outputs this many at once
    strategy: str = "direct"  # direct (H outputs) | recursive (next value, fed back) | seq2seq (window shifted by one)
    # --- preparing the series (fitted on the training part only)
    transform: str = "auto"  # log | none | auto (log when every training value is > 0)
    difference: str = "auto"  # seasonal (model y_t - y_{t-period}) | first | none | auto (seasonal when a period is known)
    period: Optional[int] = None  # seasonal period; None = inferred from the dates (monthly 12, quarterly 4, ...)
    scaler: str = "standard"  # standard | minmax | none, applied after transform and difference
    feature_range: Tuple[float, float] = (-1.0, 1.0)  # minmax scaler's target range
    fill: Optional[str] = None  # NaNs: None (error) | ffill | bfill | interpolate | drop
    # --- split
    test_size: Optional[float] = None  # held-out end: a count (12) or a fraction (0.2); None = horizon
    val_size: Optional[float] = None  # validation tail of the training part; None = room for `origins` forecasts; 0 = none
    origins: int = 4  # rolling forecast origins in the validation tail (early stopping and the choice)
    select: str = "auto"  # auto (rolling-origin choice) | network | blend | drift | seasonal_naive | naive
    # --- training (see rnnlab.train.TrainConfig)
    epochs: int = 300  # maximum passes over the training windows
    batch_size: int = 0  # windows per step; 0 = auto (max(16, windows // 8), at most 256)
    lr: float = 5e-3  # Adam learning rate
    weight_decay: float = 0.0  # Adam L2 penalty
    clip_norm: Optional[float] = 1.0  # gradient clipping (global norm); None = off
    patience: Optional[int] = 40  # early stopping: epochs without a better validation loss
    ensemble: int = 3  # models trained with different seeds; their forecasts are averaged
    seed: int = 0  # member k trains with seed 1000 * seed + k
    device: str = "auto"  # auto | cpu | cuda | cuda:N
    threads: int = 1  # torch CPU threads while fitting (the CLI's --threads); 0 = leave torch's setting
    progress: bool = True  # progress bar while training
    max_seconds: Optional[float] = None  # wall-clock budget per member (s); None: epochs only
    validation: str = "rollout"  # rollout (forecast the validation tail) | one_step (true history)
    impl: str = "auto"  # recurrent layers while training: auto | fast | triton | triton-split | reference

    def __post_init__(self):
        def need(cond, msg):
            if not cond:
                raise DataError(f"ForecastConfig: {msg}")

        need(isinstance(self.lookback, int) and self.lookback >= 1,
             f"lookback must be an integer >= 1, got {self.lookback!r}")
        need(isinstance(self.horizon, int) and self.horizon >= 1,
             f"horizon must be an integer >= 1, got {self.horizon!r}")
        need(self.strategy in STRATEGIES, f"strategy must be one of {STRATEGIES}, got {self.strategy!r}")
        need(self.transform in TRANSFORMS, f"transform must be one of {TRANSFORMS}, got {self.transform!r}")
        need(self.difference in DIFFERENCES,
             f"difference must be one of {DIFFERENCES}, got {self.difference!r}")
        from ..nn.paths import IMPLS

        need(self.impl in IMPLS, f"impl must be one of {IMPLS}, got {self.impl!r}")
        need(self.validation in VALIDATIONS,
             f"validation must be one of {VALIDATIONS}, got {self.validation!r}")
        need(self.scaler in SCALERS, f"scaler must be one of {list(SCALERS)}, got {self.scaler!r}")
        need(self.period is None or (isinstance(self.period, int) and self.period >= 2),
             f"period must be an integer >= 2 or None, got {self.period!r}")
        need(isinstance(self.ensemble, int) and 1 <= self.ensemble <= MAX_ENSEMBLE,
             f"ensemble must be between 1 and {MAX_ENSEMBLE} (each member is a whole "
             f"training run), got {self.ensemble!r}")
        need(isinstance(self.hidden_size, int) and self.hidden_size >= 1,
             f"hidden_size must be >= 1, got {self.hidden_size!r}")
        from .selection import SELECTS

        need(self.select in SELECTS, f"select must be one of {SELECTS}, got {self.select!r}")
        need(isinstance(self.origins, int) and self.origins >= 1,
             f"origins must be an integer >= 1, got {self.origins!r}")
        need(isinstance(self.batch_size, int) and self.batch_size >= 0,
             f"batch_size must be an integer >= 1, or 0 for auto, got {self.batch_size!r}")
        need(isinstance(self.threads, int) and self.threads >= 0,
             f"threads must be an integer >= 0 (0: torch's default), got {self.threads!r}")
        need(self.val_size is None or self.val_size >= 0, f"val_size must be >= 0, got {self.val_size!r}")
        need(isinstance(self.lr, (int, float)) and 0 < self.lr < float("inf"),
             f"lr must be > 0 and finite, got {self.lr!r}")
        from ..nn.registry import check_spec

        try:
            check_spec(self.model_spec())
        except (ValueError, TypeError) as e:
            raise DataError(f"ForecastConfig: {e}") from None
        object.__setattr__(self, "feature_range", tuple(float(v) for v in self.feature_range))

    def model_spec(self):
        """The recurrent body's :class:`~rnnlab.nn.registry.ModelSpec` (one input feature)."""
        from ..nn.registry import ModelSpec

        return ModelSpec(name=self.model, input_size=1, hidden_size=self.hidden_size,
                         num_layers=self.num_layers, dropout=self.dropout, depth=self.depth,
                         width=self.width, nonlinearity=self.nonlinearity,
                         out_depth=self.out_depth)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["feature_range"] = list(self.feature_range)
        return d

    @classmethod
    def from_dict(cls, data: dict, source="config") -> "ForecastConfig":
        """Rebuild from JSON; unknown keys and wrong types are refused."""
        config_fields(cls, data, source)
        try:
            return cls(**data)
        except DataError as e:
            raise CheckpointError(f"{source}: {e}") from None

    def replace(self, **changes) -> "ForecastConfig":
        names = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise TypeError(f"unknown ForecastConfig fields {unknown}; known: {sorted(names)}")
        d = asdict(self)
        d.update(changes)
        return ForecastConfig(**d)
