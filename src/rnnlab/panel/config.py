"""PanelConfig: every setting of a global panel forecaster, saved with the model as JSON;
each declared once as an option (:mod:`rnnlab.options`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from math import isfinite
from typing import Any, Dict, Optional, Tuple, Union

from ..calendar_options import calendar_option, country_option, names, time_zone_option
from ..io.errors import CheckpointError, DataError, SettingError
from ..io.model_dir import config_fields
from ..number_kinds import is_real
from ..options import config_repr, option, yes_no, zero_as_off
from ..rate_options import INPUT_DROPOUT_HELP, RECURRENT_DROPOUT_HELP, check_rates_of
from ..option_docs import document_options
from ..season_length import period_arg
from ..train.cli_args import at_least, or_off, positive_number, progress_option, seed_number
from ..data.week_option import week_problem, weekmask_option
from ..train.config import FLOAT32_MAX, progress_problem
from ..train.optim_options import (amsgrad_option, betas_option, dampening_option,
                                  eps_option, lr_schedule_option, momentum_option,
                                  nesterov_option, optimizer_option, optimizer_problem,
                                  settle_betas, weight_decay_option)
from ..type_aliases import StrPath
from .call_args import check_quantiles  # (PanelConfig's own copy was here)
from .config_counts import MOST, WHOLE, check_counts  # noqa: F401  (MOST, WHOLE: their old home)
from .covariate_checks import check_covariates
from .peer_values import likelihood_problem, scale_problem

LIKELIHOODS = ("gaussian", "studentt", "negbin")
# (new ones last: a set of them is read in this order, and saved models name them)
CALENDAR = ("month", "dayofweek", "hour", "dayofyear", "holiday", "quarter", "month_holidays",
            "quarter_holidays")
DIFFERENCES = ("auto", "none", "seasonal")
ANCHORS = ("last", "none", "mean_scale")  # (.window_frame)
SHORT = ("skip", "error")
STRATEGIES = ("direct", "recursive")
CALIBRATE = ("auto", "conformal", "none")


_MODEL, _DATA, _TRAIN = "panel model", "panel covariates and outputs", "panel training"


@document_options
@dataclass(frozen=True)
class PanelConfig:
    """The settings of a :class:`~rnnlab.panel.GlobalForecaster` (its keyword arguments),
    each declared once (:func:`rnnlab.options.option`): its default and help reach the
    API, ``rnnlab backtest`` / ``rnnlab forecast`` (panel mode) and ``config.json``."""

    # --- model
    model: str = option("lstm", "an architecture of the global network (`rnnlab models`)",
                        group=_MODEL)
    hidden_size: int = option(48, "recurrent units per layer (per direction)",
                              parse=at_least(1), group=_MODEL)
    num_layers: Optional[int] = option(None, "stacked layers (default: the architecture's)",
                                       parse=at_least(1), group=_MODEL)
    input_dropout: float = option(0.0, INPUT_DROPOUT_HELP, group=_MODEL)
    recurrent_dropout: float = option(0.0, RECURRENT_DROPOUT_HELP, group=_MODEL)
    head_size: int = option(64, "units of the per-step output MLP", parse=at_least(1),
                            group=_MODEL)
    embed_size: int = option(4, "width of each categorical static covariate's embedding",
                             parse=at_least(1), group=_MODEL)
    # --- windows and outputs
    lookback: int = option(24, "time steps the encoder reads", parse=at_least(1), group=_MODEL)
    horizon: int = option(12, "steps forecast (the direct strategy: at once)",
                          parse=at_least(1), group=_MODEL)
    strategy: str = option(
        "direct", "direct (all horizon steps at once) | recursive (a likelihood only: one step "
        "ahead, each sampled value fed back, so sample paths are joint across steps)",
        choices=STRATEGIES, group=_MODEL)
    quantiles: Optional[Tuple[float, ...]] = option(
        (0.1, 0.5, 0.9), "quantile levels in (0, 1), increasing: reported, and fitted (pinball "
        "loss) without a likelihood", parse=float, nargs="+", group=_DATA)
    likelihood: Optional[str] = option(
        None, "a parametric output instead of quantile regression (default: none)",
        choices=LIKELIHOODS, group=_DATA)
    calibrate: str = option(
        "auto", "intervals: conformal (each central interval widened or narrowed to cover its "
        "share of the validation tails' values, rnnlab.panel.calibration) | none (the "
        "network's own quantiles) | auto (conformal when the tails hold 30 or more series)",
        choices=CALIBRATE, group=_DATA)
    samples: int = option(200, "sample paths per series and member drawn from a likelihood",
                          parse=at_least(2), group=_DATA)
    # --- covariates
    future_covariates: Tuple[str, ...] = option(
        (), "comma-separated columns known ahead (calendar, holidays, planned prices, weather "
        "forecasts); their values over the horizon are needed to forecast", parse=names,
        group=_DATA)
    past_covariates: Tuple[str, ...] = option(
        (), "comma-separated columns observed only up to the forecast origin", parse=names,
        group=_DATA)
    static_covariates: Tuple[str, ...] = option(
        (), "comma-separated columns constant per series: text -> embedding, numbers -> scaled",
        parse=names, group=_DATA)
    calendar: Tuple[str, ...] = calendar_option(
        f"comma-separated features from the dates: {' | '.join(CALENDAR)}", group=_DATA)
    country: Optional[str] = country_option(group=_DATA)
    time_zone: Optional[str] = time_zone_option(
        "IANA time zone of the dates (e.g. Europe/London): dates with a UTC offset are "
        "converted to it, dates without one read as its clock; calendar features and the "
        "outputs' dates follow its clock (default: the dates as read; hourly dates whose "
        "offset changes are read in UTC)", group=_DATA)
    weekmask: Optional[str] = weekmask_option(group=_DATA)  # (shared with ForecastConfig)
    # --- target transform (fitted per series on its training part)
    transform: str = option("auto", "auto (log when every training value is > 0 "
                            "and float64 logs keep its changes) | log | none",
                            choices=("auto", "log", "none"), group=_MODEL)
    difference: str = option(
        "auto", "seasonal (model y_t - y_{t-period}) | none | auto (seasonal when the panel has "
        "a period and the model reads no future covariates or calendar, not for counts, and "
        "not where a series long enough without it would be too short with it)",
        choices=DIFFERENCES, group=_MODEL)
    period: Optional[int] = option(None, "seasonal period (default: from the frequency)",
                                   parse=period_arg, group=_MODEL)
    scale: str = option("std", "each series' centre and scale (of its transformed changes): std "
                        "(mean and standard deviation) | robust (median and 1.4826 x median "
                        "absolute deviation: a few extreme values do not widen it)",
                        choices=("std", "robust"), group=_MODEL)
    anchor: str = option("last", "what the network's inputs and outputs are measured from: "
                         "last (each window's last value: it predicts the change from there) "
                         "| none (the values: an output 0 is, with difference='seasonal', the "
                         "seasonal naive plus the series' mean change, where 'last' repeats "
                         "the last change; without a difference, the series' mean level) "
                         "| mean_scale (DeepAR's: each window divided by 1 + the mean of its "
                         "inputs' absolute values, the outputs multiplied back); counts "
                         "(likelihood='negbin') use none", choices=ANCHORS, group=_MODEL)
    # --- training
    local: bool = option(False, "yes: one model per series instead of one global model",
                         parse=yes_no, group=_TRAIN)
    on_short: str = option("skip", "series shorter than lookback + horizon: skip (with a "
                           "warning) | error", choices=SHORT, group=_TRAIN)
    val_size: Optional[int] = option(None, "validation tail per series for early stopping "
                                     "(default: the horizon; 0: none)", parse=at_least(0),
                                     group=_TRAIN)
    epochs: int = option(40, "maximum epochs", parse=at_least(1), group=_TRAIN)
    batches_per_epoch: int = option(100, "optimizer steps per epoch (batches sampled from all "
                                    "windows)", parse=at_least(1), group=_TRAIN)
    batch_size: int = option(256, "windows per step", parse=at_least(1), group=_TRAIN)
    lr: float = option(3e-3, "learning rate (of the optimizer)", group=_TRAIN)
    # (the panel network always clipped at 1.0 and trained at one rate: NeuralForecast's
    # gradient_clip_val, lr_scheduler and optimizer, Darts' optimizer_kwargs had no
    # counterpart; the defaults train as before)
    optimizer: str = optimizer_option(group=_TRAIN)  # (shared with ForecastConfig)
    weight_decay: float = weight_decay_option(group=_TRAIN)
    momentum: float = momentum_option(group=_TRAIN)
    nesterov: bool = nesterov_option(group=_TRAIN)
    dampening: float = dampening_option(group=_TRAIN)
    betas: Tuple[float, float] = betas_option(group=_TRAIN)
    eps: float = eps_option(group=_TRAIN)
    amsgrad: bool = amsgrad_option(group=_TRAIN)
    clip_norm: Optional[float] = option(1.0, "clip the gradients' global norm to this; 0 / "
                                        "none: off", parse=or_off(float),
                                        to_config=lambda v: v or None, group=_TRAIN)
    lr_schedule: str = lr_schedule_option(group=_TRAIN)
    patience: Optional[int] = option(6, "epochs without a better validation loss before "
                                     "stopping; 0 / none: off", parse=or_off(at_least(0)),
                                     to_config=lambda v: v or None, group=_TRAIN)
    ensemble: int = option(1, "members trained with seeds seed, seed+1, ...; their "
                           "distributions combined", parse=at_least(1), group=_TRAIN)
    seed: int = option(0, "fixes initialisation and batches", group=_TRAIN, parse=seed_number)
    max_seconds: Optional[float] = option(
        None, "wall-clock budget of each fit in seconds, split across members (default: none); "
        "read after each step (the epoch it stops is then validated, as at its end); where it "
        "stops a fit, the epochs trained depend on the machine's speed, so the seed alone no "
        "longer fixes the run",
        parse=positive_number("a time budget in seconds"), group=_TRAIN)
    # the API's False: quiet; the commands' "log" (rnnlab.train.progress), --no-progress: False
    progress: Union[bool, str] = progress_option(False, group=_TRAIN)

    __repr__ = config_repr  # the settings given, not all

    def __post_init__(self):
        def need(cond, msg):
            if not cond:
                raise SettingError(f"PanelConfig: {msg}")  # (a ConfigError, still a DataError)

        negative = zero_as_off(self)  # 0 is off, as None (as --patience 0, --clip-norm 0)
        need(negative is None, negative)
        check_counts(self, need)
        # (as TrainConfig: past float32's largest, 1e39 was taken here and refused by fit,
        # after the data was read)
        need(is_real(self.lr) and 0 < self.lr <= FLOAT32_MAX,
             f"lr must be a number > 0 and finite (at most {FLOAT32_MAX:.4g}, float32's "
             f"largest), got {self.lr!r}")
        need(self.clip_norm is None or (is_real(self.clip_norm) and isfinite(self.clip_norm)),
             f"clip_norm must be a finite number > 0, or 0 / None for off, got "
             f"{self.clip_norm!r}")
        settle_betas(self)  # (a JSON record's list)
        trains = optimizer_problem(self)  # (the training loop's own checks, said now)
        need(trains is None, trains)

        check_rates_of(self)  # (typed errors naming --input-dropout / --recurrent-dropout)
        unknown = _model_problem(self.model)  # (the registry's own words)
        need(unknown is None, unknown)
        need(self.lookback >= 1 and self.horizon >= 1, f"lookback and horizon must be >= 1, got "
             f"{self.lookback}, {self.horizon}")
        if self.quantiles is not None:
            object.__setattr__(self, "quantiles", check_quantiles(self.quantiles))
            need(self.quantiles, "quantiles must hold one level at least, got (); e.g. "
                 "(0.1, 0.5, 0.9)")
        need(self.likelihood is not None or self.quantiles is None
             or min(self.quantiles) <= 0.5 <= max(self.quantiles),
             f"quantiles {list(self.quantiles or ())}: the point forecast of a quantile model "
             f"is its median, read at 0.5 from levels on both sides of it; add 0.5 (e.g. "
             f"{tuple(sorted(set(self.quantiles or ()) | {0.5}))})")
        need(likelihood_problem(self.likelihood, LIKELIHOODS) is None,
             likelihood_problem(self.likelihood, LIKELIHOODS))
        check_covariates(self, need)  # (.covariate_checks)
        need(week_problem(self.weekmask) is None, week_problem(self.weekmask))
        need(progress_problem(self.progress) is None, progress_problem(self.progress))
        need(self.transform in ("auto", "log", "none"),
             f"transform must be auto | log | none, got {self.transform!r}")
        need(scale_problem(self.scale) is None, scale_problem(self.scale))  # (NF's names said)
        need(self.anchor in ANCHORS,
             f"anchor must be {' | '.join(ANCHORS)}, got {self.anchor!r}")
        need(self.difference in DIFFERENCES,
             f"difference must be one of {DIFFERENCES}, got {self.difference!r}")
        need(self.calibrate in CALIBRATE,
             f"calibrate must be one of {CALIBRATE}, got {self.calibrate!r}")
        need(self.on_short in SHORT, f"on_short must be one of {SHORT}, got {self.on_short!r}")
        need(self.ensemble >= 1 and self.epochs >= 1 and self.batch_size >= 1
             and self.batches_per_epoch >= 1 and self.samples >= 2,
             f"ensemble, epochs, batch_size, batches_per_epoch must be >= 1 and samples >= 2, "
             f"got {self.ensemble}, {self.epochs}, {self.batch_size}, "
             f"{self.batches_per_epoch} and {self.samples}")
        need(self.max_seconds is None or self.max_seconds > 0,
             f"max_seconds must be > 0 or None (no budget), got {self.max_seconds!r}")
        need(self.val_size is None or (self.val_size >= 0 and float(self.val_size).is_integer()),
             f"val_size must be a whole number >= 0 (points per series) or None, got "
             f"{self.val_size!r}")
        need(self.strategy in STRATEGIES, f"strategy must be one of {STRATEGIES}, got "
             f"{self.strategy!r}")
        need(self.strategy != "recursive" or self.likelihood is not None,
             "strategy='recursive' feeds sampled values back: it needs a likelihood "
             "(gaussian | studentt | negbin); quantiles use strategy='direct'")
        need(self.strategy != "recursive" or not self.past_covariates,
             f"strategy='recursive' cannot step past the origin with past-only covariates "
             f"{list(self.past_covariates)} (unknown there): use strategy='direct', or pass "
             f"them as future covariates if their values are known ahead")
        need(self.likelihood != "negbin" or self.difference != "seasonal",
             "likelihood='negbin' models counts as they are: use difference='none'")
        need(self.likelihood != "negbin" or self.transform != "log",
             "likelihood='negbin' models counts as they are, without the log (transform='log' "
             "was ignored): use transform='auto' or 'none'")

    @property
    def n_val(self) -> int:
        return self.horizon if self.val_size is None else int(self.val_size)

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Dict[str, Any], source: StrPath = "config") -> "PanelConfig":
        d = config_fields(cls, dict(d), source)
        for f in fields(cls):
            if f.name in d and isinstance(d[f.name], list):
                d[f.name] = tuple(d[f.name])
        try:
            return cls(**d)
        except DataError as e:  # (what to do with a saved model is not what a fit is told:
            # levels saved before the median rule cannot be given a 0.5 afterwards)
            raise CheckpointError(f"{source}: {e}; the saved settings cannot be used as they "
                                  f"are: restore the folder from a copy, or fit the model "
                                  f"again") from None


def _model_problem(name) -> Optional[str]:
    """None when the registry finds ``name`` (an installed package's architecture
    included), else its refusal: the known models and how one's own is found."""
    from ..nn.architectures import get_architecture

    try:
        get_architecture(name)
    except ValueError as e:
        return str(e)
    return None
