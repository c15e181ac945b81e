"""PanelConfig: every setting of a global panel forecaster, saved with the model as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Optional, Tuple

from ..io.errors import CheckpointError, DataError
from ..io.model_dir import config_fields

LIKELIHOODS = ("gaussian", "studentt", "negbin")
CALENDAR = ("month", "dayofweek", "hour", "dayofyear", "holiday")
DIFFERENCES = ("auto", "none", "seasonal")
SHORT = ("skip", "error")


def check_quantiles(q) -> Tuple[float, ...]:
    """Quantile levels as a tuple, each in (0, 1), strictly increasing; else a DataError."""
    try:
        q = tuple(float(v) for v in q)
    except (TypeError, ValueError):
        raise DataError(f"quantiles must be numbers in (0, 1), got {q!r}") from None
    out = [v for v in q if not 0.0 < v < 1.0]
    if out:
        raise DataError(f"quantiles must lie in (0, 1), got {out}; e.g. (0.1, 0.5, 0.9)")
    if not q or any(b <= a for a, b in zip(q, q[1:])):
        raise DataError(f"quantiles must be strictly increasing and not empty, got {list(q)}; "
                        f"sort them and drop repeats")
    return q


@dataclass(frozen=True)
class PanelConfig:
    # --- model
    model: str = "lstm"  # an architecture of rnnlab.nn.registry (`rnnlab models`)
    hidden_size: int = 48  # recurrent units per layer (per direction)
    num_layers: Optional[int] = None  # stacked layers; None = the architecture's default
    head_size: int = 64  # units of the per-step output MLP
    embed_size: int = 4  # width of each categorical static covariate's embedding
    # --- windows and outputs
    lookback: int = 24  # time steps the encoder reads
    horizon: int = 12  # steps forecast at once (direct strategy)
    quantiles: Optional[Tuple[float, ...]] = (0.1, 0.5, 0.9)  # levels reported (and fitted without a likelihood)
    likelihood: Optional[str] = None  # None (quantile regression, or MSE without quantiles) | gaussian | studentt | negbin
    samples: int = 200  # sample paths per series and member drawn from a likelihood
    # --- covariates
    future_covariates: Tuple[str, ...] = ()  # columns known over the horizon (pass them to predict)
    past_covariates: Tuple[str, ...] = ()  # columns observed only up to the forecast origin
    static_covariates: Tuple[str, ...] = ()  # one value per series: text -> embedding, numbers -> scaled
    calendar: Tuple[str, ...] = ()  # generated from dates: month | dayofweek | hour | dayofyear | holiday
    country: Optional[str] = None  # holidays: a country code of the `holidays` package (e.g. "AU")
    # --- target transform (fitted per series on its training part)
    transform: str = "auto"  # auto (log when every training value is > 0) | log | none
    # auto (seasonal when the panel has a period and the model reads no future covariates or
    # calendar, and not for counts) | none | seasonal (model y_t - y_{t-period})
    difference: str = "auto"
    period: Optional[int] = None  # seasonal period; None: from the frequency
    # --- training
    local: bool = False  # one model per series instead of one global model
    on_short: str = "skip"  # series shorter than lookback + horizon: skip (warn) | error
    val_size: Optional[int] = None  # validation tail per series for early stopping; None: horizon; 0: none
    epochs: int = 40  # maximum epochs
    batches_per_epoch: int = 100  # optimizer steps per epoch (batches sampled from all windows)
    batch_size: int = 256  # windows per step
    lr: float = 3e-3  # Adam learning rate
    patience: Optional[int] = 6  # epochs without a better validation loss before stopping
    ensemble: int = 1  # members trained with seeds seed, seed+1, ...; distributions combined
    seed: int = 0  # fixes initialisation and batches
    max_seconds: Optional[float] = None  # wall-clock budget for the whole fit (split across members)
    progress: bool = False  # progress bar while training

    def __post_init__(self):
        def need(cond, msg):
            if not cond:
                raise DataError(f"PanelConfig: {msg}")

        from ..nn.registry import ARCHITECTURES

        need(self.model in ARCHITECTURES, f"unknown model {self.model!r}; known models: "
             f"{', '.join(ARCHITECTURES)}")
        need(self.lookback >= 1 and self.horizon >= 1, f"lookback and horizon must be >= 1, got "
             f"{self.lookback}, {self.horizon}")
        if self.quantiles is not None:
            object.__setattr__(self, "quantiles", check_quantiles(self.quantiles))
        need(self.likelihood is None or self.likelihood in LIKELIHOODS,
             f"likelihood must be None or one of {LIKELIHOODS}, got {self.likelihood!r}")
        for k in ("future_covariates", "past_covariates", "static_covariates", "calendar"):
            v = getattr(self, k)
            object.__setattr__(self, k, (v,) if isinstance(v, str) else tuple(v))
        bad = [c for c in self.calendar if c not in CALENDAR]
        need(not bad, f"calendar features {bad} unknown; choose from {CALENDAR}")
        need("holiday" not in self.calendar or self.country,
             "calendar feature 'holiday' needs country= (a `holidays` country code, e.g. 'AU')")
        names = self.future_covariates + self.past_covariates + self.static_covariates
        need(len(set(names)) == len(names), f"a covariate is named twice among future, past "
             f"and static: {names}")
        need(self.transform in ("auto", "log", "none"), f"transform must be auto | log | none")
        need(self.difference in DIFFERENCES, f"difference must be one of {DIFFERENCES}")
        need(self.on_short in SHORT, f"on_short must be one of {SHORT}, got {self.on_short!r}")
        need(self.ensemble >= 1 and self.epochs >= 1 and self.batch_size >= 1
             and self.batches_per_epoch >= 1 and self.samples >= 2,
             "ensemble, epochs, batch_size, batches_per_epoch must be >= 1 and samples >= 2")
        need(self.max_seconds is None or self.max_seconds > 0, "max_seconds must be > 0 or None")
        need(self.val_size is None or self.val_size >= 0, "val_size must be >= 0 or None")
        need(self.likelihood != "negbin" or self.difference != "seasonal",
             "likelihood='negbin' models counts as they are: use difference='none'")

    @property
    def n_val(self) -> int:
        return self.horizon if self.val_size is None else int(self.val_size)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict, source="config") -> "PanelConfig":
        d = config_fields(cls, dict(d), source)
        for f in fields(cls):
            if f.name in d and isinstance(d[f.name], list):
                d[f.name] = tuple(d[f.name])
        try:
            return cls(**d)
        except DataError as e:
            raise CheckpointError(f"{source}: {e}") from None
