"""ForecastConfig: every setting of a forecasting run, saved with the model as JSON."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple, Union

from ..calendar_options import calendar_option, country_option, time_zone_option
from ..data.option_names import FILLS, SCALER_NAMES
from ..data.week_option import week_problem, weekmask_option
from ..io.errors import CheckpointError, ConfigTypeError, DataError, SettingError
from ..names import IMPLS
from ..io.model_dir import config_fields
from ..options import config_repr, option, yes_no, zero_as_off
from ..rate_options import INPUT_DROPOUT_HELP, RECURRENT_DROPOUT_HELP, check_rates_of, rates_of
from ..option_docs import document_options
from ..seed_ranges import FORECAST as SEEDS, seed_problem
from ..season_length import fraction_hint, period_arg
from ..train.cli_args import (ARCH, CUDA_GRAPHS_HELP, IMPL_HELP, at_least, count_or_fraction,
                              or_off, positive_number, progress_option, seed_number,
                              threads_count)
from ..train.config import CUDA_GRAPHS
from ..train.optim_options import (amsgrad_option, betas_option, dampening_option,
                                  eps_option, lr_schedule_option, momentum_option,
                                  nesterov_option, optimizer_option, optimizer_problem,
                                  settle_betas, weight_decay_option)
from ..type_aliases import StrPath
from .select_names import SELECTS

if TYPE_CHECKING:  # (torch: imported by model_spec)
    from ..nn.registry import ModelSpec


STRATEGIES = ("direct", "recursive", "seq2seq")
TRANSFORMS = ("auto", "log", "none")
DIFFERENCES = ("auto", "seasonal", "first", "none")
VALIDATIONS = ("rollout", "one_step")
MAX_ENSEMBLE = 100  # seeds averaged at most: each is a whole training run (more never ends)


@document_options
@dataclass(frozen=True)
class ForecastConfig:
    """The settings of a :class:`~rnnlab.forecast.Forecaster` (its keyword arguments),
    saved with the model as JSON; each is also an option of ``rnnlab forecast``
    (``--hidden-size`` for ``hidden_size``) unless marked API-only below."""

    # --- model
    model: str = option("lstm", "architecture (`rnnlab models`)")
    hidden_size: int = option(16, "recurrent units per layer (per direction)")
    num_layers: Optional[int] = option(None, "stacked layers (default: the architecture's)")
    dropout: float = option(0.0, "between stacked layers", cli=False)
    input_dropout: float = option(0.0, INPUT_DROPOUT_HELP)
    recurrent_dropout: float = option(0.0, RECURRENT_DROPOUT_HELP)
    depth: int = option(2, "deep-transition models: layers of the transition MLP, L",
                        parse=at_least(1), group=ARCH)
    width: Optional[int] = option(None, "deep-transition and deep-output models: units of the "
                                  "intermediate layers (default: the hidden size)",
                                  parse=at_least(1), group=ARCH)
    nonlinearity: str = option("tanh", "vanilla and deep-transition cells (and dot-rnn's "
                               "and dots-rnn's deep output)",
                               choices=("tanh", "relu"), group=ARCH)
    out_depth: int = option(1, "dot-rnn, dots-rnn: hidden layers of the deep output MLP",
                            parse=at_least(1), group=ARCH)
    out_width: Optional[int] = option(None, "dot-rnn, dots-rnn: units of each deep output "
                                      "layer (default: --width, else the hidden size)",
                                      parse=at_least(1), group=ARCH)
    linear_skip: bool = option(True, "add a linear map of the window to the output (direct, "
                               "recursive)", cli=False)
    # --- windows and targets
    lookback: int = option(12, "input window (default 12; `rnnlab forecast` rounds it up to "
                           "whole seasonal periods of at most 24 steps: daily 14, hourly 24; "
                           "Forecaster keeps 12 and says so: PeriodSizesNote)")
    horizon: int = option(12, "forecast steps; the direct strategy outputs this many at once",
                          parse=at_least(1), cli_default=None)  # None: --run's saved horizon
    strategy: str = option("recursive", "recursive (next value, fed back; the default) | "
                           "direct (H outputs) | seq2seq (window shifted by one)",
                           choices=STRATEGIES)
    # --- preparing the series (fitted on the training part only)
    transform: str = option("auto", "log | none | auto (log when every training value is > 0 "
                            "and float64 logs keep its changes)",
                            choices=TRANSFORMS)
    difference: str = option("auto", "seasonal (model y_t - y_{t-period}) | first | none | auto "
                             "(seasonal when a period is known)", choices=DIFFERENCES)
    period: Optional[int] = option(None, "seasonal period (default: from the dates, monthly 12, "
                                   "quarterly 4, ...; 1: none, as for yearly data)",
                                   parse=period_arg)
    scaler: str = option("standard", "applied after transform and difference",
                         choices=SCALER_NAMES)
    feature_range: Tuple[float, float] = option((-1.0, 1.0), "minmax scaler's target range",
                                                cli=False)
    fill: Optional[str] = option(None, "what to do with NaNs (default: refuse and list the rows); "
                                 "ffill, bfill and interpolate also fill the dates missing "
                                 "from the calendar (not a business-day one's holidays)",
                                 choices=FILLS)
    weekmask: Optional[str] = weekmask_option()  # (shared with PanelConfig)
    # --- split
    test_size: Optional[float] = option(None, "held-out end: count or fraction (default: the "
                                        "horizon; `rnnlab forecast` rounds it up to whole "
                                        "seasonal periods of at most 24 steps)",
                                        parse=count_or_fraction)
    val_size: Optional[float] = option(None, "validation tail of the training part: count or "
                                       "fraction (default: room for 4 forecasts from rolling "
                                       "origins (`origins`), horizon + 3 * max(1, horizon // 4) "
                                       "steps, or the horizon where the series is too short for "
                                       "them; 0: none)", parse=count_or_fraction)
    origins: int = option(4, "rolling forecast origins in the validation tail (early stopping "
                          "and the choice)", cli=False)
    select: str = option("auto", "auto: `weighted` (the network, the linear AR, the linear "
                         "AR with no constant, the ARMA(2, 1) and the seasonal naive, "
                         "weighted by their validation MASE ** -2) or a baseline when it "
                         "forecasts the rolling origins in the training part's tail 30% "
                         "better; or always this one",
                         choices=SELECTS)
    refit: bool = option(False, "after the choice (made on the validation tail), train the "
                         "network again on the whole training part: each member from scratch "
                         "for its best validation epoch count (default no: keep the members "
                         "the choice scored; on 30 us_employment tuning series the refit did "
                         "not help; the linear AR is refitted on all windows either way)",
                         parse=yes_no)
    # --- training (see rnnlab.train.TrainConfig)
    epochs: int = option(300, "maximum passes over the training windows")
    batch_size: int = option(0, "windows per step; 0 = auto (max(16, windows // 8), at most "
                             "256; an epoch at most 100 steps, its windows drawn afresh)")
    lr: float = option(5e-3, "learning rate (of --optimizer), finite and > 0")
    # (shared with PanelConfig, rnnlab.train.optim_options; the defaults train as before)
    optimizer: str = optimizer_option()
    weight_decay: float = weight_decay_option()
    momentum: float = momentum_option()
    nesterov: bool = nesterov_option()
    dampening: float = dampening_option()
    betas: Tuple[float, float] = betas_option()
    eps: float = eps_option()
    amsgrad: bool = amsgrad_option()
    lr_schedule: str = lr_schedule_option()
    clip_norm: Optional[float] = option(1.0, "gradient clipping (global norm); 0 / none: off",
                                        parse=or_off(float), to_config=lambda v: v or None)
    patience: Optional[int] = option(40, "early stopping: epochs without a better validation "
                                     "loss; 0 / none: off", parse=or_off(int),
                                     to_config=lambda v: v or None)
    ensemble: int = option(3, "models trained with different seeds; their forecasts are averaged")
    seed: int = option(0, "member k trains with seed 1000 * seed + k", parse=seed_number)
    device: str = option("auto", "auto | cpu | cuda | cuda:N")
    threads: int = option(1, "CPU threads for torch (default 1: small recurrent models run "
                          "fastest, and far faster on a busy machine, on one thread; 0: torch's "
                          "default)", parse=threads_count)
    # the API's True: tqdm's bar on a terminal only; the command's "log" (rnnlab.train.progress)
    progress: Union[bool, str] = progress_option(True)
    max_seconds: Optional[float] = option(
        None, "wall-clock budget per ensemble member, in minutes (max_seconds: in seconds; a "
        "panel: the whole fit's, split across the members as --max-seconds): stop at the first "
        "step after it, the epoch then validated (default: none, --epochs only)",
        flag="--minutes", parse=positive_number("a time budget in minutes"),
        to_config=lambda minutes: None if minutes is None else 60 * minutes)
    validation: str = option("rollout", "rollout (forecast the validation tail) | one_step "
                             "(true history)", cli=False)
    impl: str = option("auto", IMPL_HELP, choices=IMPLS)
    cuda_graphs: str = option("off", CUDA_GRAPHS_HELP, choices=CUDA_GRAPHS)
    # --- holidays (rnnlab.forecast.holidays; the `panel` extra), as GlobalForecaster's
    calendar: Tuple[str, ...] = calendar_option(
        "comma-separated features from the dates: holiday (one series: the network reads "
        "whether each date is a public holiday of --country) | month, dayofweek, hour, "
        "dayofyear, quarter (and any with a panel or covariates: the panel model's)")
    country: Optional[str] = country_option()
    time_zone: Optional[str] = time_zone_option(
        "IANA time zone of the dates (e.g. Australia/Melbourne): one series with calendar "
        "'holiday' reads the holidays of dates with a UTC offset on its clock, its outputs' "
        "dates as read; a panel's dates are converted to it, its calendar features and "
        "outputs' dates on its clock (default: as read; hourly dates whose offset changes "
        "are read in UTC)")

    __repr__ = config_repr  # the settings given, not all

    def __post_init__(self):
        for f in fields(self):  # numpy scalars (a grid over np.arange) as Python numbers
            v = getattr(self, f.name)
            if hasattr(v, "item") and type(v).__module__ == "numpy" and getattr(v, "ndim", 1) == 0:
                object.__setattr__(self, f.name, v.item())

        def need(cond, msg):
            if not cond:
                raise SettingError(f"ForecastConfig: {msg}")  # (a ConfigError, still a DataError)

        need(isinstance(self.lookback, int) and self.lookback >= 1,
             f"lookback must be an integer >= 1, got {self.lookback!r}")
        need(isinstance(self.horizon, int) and self.horizon >= 1,
             f"horizon must be an integer >= 1, got {self.horizon!r}")
        need(self.strategy in STRATEGIES, f"strategy must be one of {STRATEGIES}, got {self.strategy!r}")
        need(self.transform in TRANSFORMS, f"transform must be one of {TRANSFORMS}, got {self.transform!r}")
        need(self.difference in DIFFERENCES,
             f"difference must be one of {DIFFERENCES}, got {self.difference!r}")
        need(self.impl in IMPLS, f"impl must be one of {IMPLS}, got {self.impl!r}")
        check_rates_of(self)  # (typed errors naming --input-dropout / --recurrent-dropout)
        need(self.cuda_graphs in CUDA_GRAPHS,
             f"cuda_graphs must be one of {CUDA_GRAPHS}, got {self.cuda_graphs!r}")
        need(isinstance(self.device, str) and re.fullmatch(r"auto|cpu|cuda(:\d+)?", self.device),
             f"device must be auto, cpu, cuda or cuda:N, got {self.device!r}")
        need(self.validation in VALIDATIONS,
             f"validation must be one of {VALIDATIONS}, got {self.validation!r}")
        need(self.scaler in SCALER_NAMES,
             f"scaler must be one of {list(SCALER_NAMES)}, got {self.scaler!r}")
        need(self.fill is None or self.fill in FILLS,
             f"fill must be one of {FILLS} or None, got {self.fill!r}")
        need(week_problem(self.weekmask) is None, week_problem(self.weekmask))
        need(self.period is None or (isinstance(self.period, int)
                                     and not isinstance(self.period, bool) and self.period >= 1),
             f"period must be an integer >= 1 (1: no season) or None (from the dates), "
             f"got {self.period!r}{fraction_hint(self.period)}")
        # (1.5, "3" and True were taken, and 2**64: each failed in training, or "3" trained
        # with a seed of 1000 threes)
        bad_seed = seed_problem(self.seed, SEEDS, "member k trains with seed 1000 * seed + k")
        need(bad_seed is None, bad_seed)
        need(isinstance(self.ensemble, int) and 1 <= self.ensemble <= MAX_ENSEMBLE,
             f"ensemble must be between 1 and {MAX_ENSEMBLE} (each member is a whole "
             f"training run), got {self.ensemble!r}")
        need(isinstance(self.hidden_size, int) and self.hidden_size >= 1,
             f"hidden_size must be >= 1, got {self.hidden_size!r}")
        need(self.select in SELECTS, f"select must be one of {SELECTS}, got {self.select!r}")
        need(isinstance(self.refit, bool), f"refit must be True or False, got {self.refit!r}")
        need(isinstance(self.origins, int) and self.origins >= 1,
             f"origins must be an integer >= 1, got {self.origins!r}")
        need(isinstance(self.batch_size, int) and self.batch_size >= 0,
             f"batch_size must be an integer >= 1, or 0 for auto, got {self.batch_size!r}")
        need(isinstance(self.threads, int) and self.threads >= 0,
             f"threads must be an integer >= 0 (0: torch's default), got {self.threads!r}")
        from .holidays import check_calendar  # (numpy, pandas: not for --help)

        check_calendar(self, need)
        need(self.val_size is None or self.val_size >= 0, f"val_size must be >= 0, got {self.val_size!r}")
        need(isinstance(self.lr, (int, float)) and 0 < self.lr < float("inf"),
             f"lr must be > 0 and finite, got {self.lr!r}")
        from ..train.config_from import train_config_from

        # (clip_norm=0 passed this check as None, and training, given 0, refused it after
        # the data was read; 0 is off, as None, in every config: rnnlab.options.OFF_AT_ZERO)
        negative = zero_as_off(self)
        need(negative is None, negative)
        settle_betas(self)  # (a JSON record's list)
        trains = optimizer_problem(self)  # (as PanelConfig's, in the same words)
        need(trains is None, trains)
        try:  # the training settings, checked as training will (not after the data is read)
            train_config_from(self, only=("epochs", "patience", "max_seconds", "progress"))
        except (ValueError, TypeError) as e:
            raise SettingError(f"ForecastConfig: {str(e).replace('TrainConfig: ', '')}") from None
        from ..nn.registry import check_spec

        try:
            check_spec(self.model_spec())
        except (ValueError, TypeError) as e:
            raise SettingError(f"ForecastConfig: {e}") from None
        object.__setattr__(self, "feature_range", tuple(float(v) for v in self.feature_range))

    def model_spec(self) -> ModelSpec:
        """The recurrent body's :class:`~rnnlab.nn.registry.ModelSpec` (one input feature;
        two with holidays: :mod:`.holidays`)."""
        from ..nn.registry import ModelSpec

        return ModelSpec(name=self.model, input_size=1 + ("holiday" in self.calendar),
                         hidden_size=self.hidden_size, num_layers=self.num_layers,
                         dropout=self.dropout, depth=self.depth, width=self.width,
                         nonlinearity=self.nonlinearity, out_depth=self.out_depth,
                         out_width=self.out_width,
                         **rates_of(self))

    def to_dict(self) -> Dict[str, Any]:
        d = asdict(self)
        d["feature_range"], d["betas"] = list(self.feature_range), list(self.betas)
        d["calendar"] = list(self.calendar)  # (as JSON holds it)
        return d

    @classmethod
    def from_dict(cls, data: Dict[str, Any], source: StrPath = "config") -> "ForecastConfig":
        """Rebuild from JSON; unknown keys and wrong types are refused."""
        config_fields(cls, data, source)
        try:
            return cls(**data)
        except DataError as e:
            raise CheckpointError(f"{source}: {e}") from None

    def replace(self, **changes: Any) -> "ForecastConfig":
        names = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ConfigTypeError(f"unknown ForecastConfig fields {unknown}; known: {sorted(names)}")
        d = asdict(self)
        d.update(changes)
        return ForecastConfig(**d)
