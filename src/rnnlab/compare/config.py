"""CompareConfig: one side-by-side comparison, every model on identical terms.

Everything that must be the same for a fair comparison is one field here and is
given, unchanged, to every model: the data and its split, the preparation (transform,
differencing, scaler fitted on the training part only), the loss (MSE for forecasting,
cross-entropy for language models), the optimizer settings and the budget. Only the
architecture, and with parameter matching its hidden size, differ between models.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from ..number_kinds import is_whole
from ..names import IMPLS, unread_impl
from ..options import zero_as_off
from ..rate_options import check_rates_of
from ..seed_ranges import CLI as SEEDS, in_range
from ..train.config import FLOAT32_MAX, SCHEDULES
from ..io.errors import ConfigError
from .model_names import arch_of, check_name, same_models, unread_match_to
from .shape_options import check_shape_read, shape_for

TASKS = ("forecast", "lm")
EVALUATIONS = ("forecast", "one_step")
MATCH_TO = "lstm"  # the reference model's default (match_to)


@dataclass(frozen=True)
class CompareConfig:
    """One comparison (:func:`run_compare`, ``rnnlab compare``): ``models`` trained over
    ``seeds`` on the same ``data`` and ``task`` (forecast | lm), at one ``hidden_size`` or
    matched parameter counts (``match_params``), then scored. Each field is commented in
    ``rnnlab/compare/config.py``; ``rnnlab compare --help`` gives them as options
    (``--hidden-size``; ``strategy``: ``--forecast-strategy``)."""

    # --- what is compared
    task: str = "forecast"  # forecast (a series) | lm (a character language model on a text)
    data: str = "airline"  # dataset name / CSV path (forecast) or corpus name / text file (lm)
    column: Optional[str] = None  # CSV column (forecast); None: the dataset's default
    date_column: Optional[str] = None  # CSV date column (forecast); None: detected; 'none': read without dates, as forecast's --date-column
    models: Tuple[str, ...] = ("rnn", "lstm", "gru")  # architectures of rnnlab.nn.registry; NAME:OPTION=VALUE sets a shape option for one (dt-rnn:depth=3)
    seeds: Tuple[int, ...] = (0, 1, 2)  # every model is trained once per seed
    # --- size, and optional parameter matching
    hidden_size: int = 32  # units per layer (the reference size when matching)
    num_layers: Optional[int] = None  # stacked layers; None: each architecture's default
    match_params: bool = False  # pick each model's hidden size so its parameter count meets the target
    param_target: Optional[int] = None  # the target count; None: match_to's count at hidden_size
    match_to: str = MATCH_TO  # reference model when param_target is None: an architecture or NAME:OPTION=VALUE (dt-rnn:depth=2), counted at hidden_size
    tolerance: float = 0.05  # matched counts must lie within this fraction of the target
    # --- budget and optimizer (identical for every model)
    epochs: int = 100  # at most this many passes over the training data
    max_seconds: Optional[float] = None  # wall-clock budget per model and seed; None: epochs only
    batch_size: int = 16  # windows (forecast) or streams (lm) per optimizer step
    lr: float = 5e-3  # Adam learning rate
    clip_norm: Optional[float] = 1.0  # gradient clipping (global norm); None (0 / none): off
    lr_schedule: str = "none"  # none | plateau (halve after 3 epochs without a better validation loss) | cosine (to 0 over the epochs)
    patience: Optional[int] = None  # early stopping on the validation loss (forecast: needs val_size > 0); None (0 / none): off
    dropout: float = 0.0  # between stacked layers (and, for lm, on inputs and outputs)
    input_dropout: float = 0.0  # variational dropout on each recurrent layer's input x_t in training, one mask per sequence (Keras' cell dropout); in [0, 1)
    recurrent_dropout: float = 0.0  # variational dropout on h_(t-1) in training, one mask per sequence (Keras' recurrent_dropout); in [0, 1); trains on the step loop (path reference, slower)
    # --- shape of the models that read it (rnnlab.names.SHAPE_READERS); the others keep theirs
    depth: int = 2  # dt-rnn, dts-rnn, dot-rnn, dots-rnn, stacked-dt-rnn: layers of the transition MLP
    width: Optional[int] = None  # the same models: intermediate units; None: hidden_size
    nonlinearity: str = "tanh"  # vanilla and deep-transition cells: tanh | relu
    out_depth: int = 1  # dot-rnn, dots-rnn: hidden layers of the deep output MLP
    out_width: Optional[int] = None  # dot-rnn, dots-rnn: units of each deep output layer; None: width
    # --- forecasting (see ForecastConfig)
    lookback: int = 12  # input window length
    horizon: int = 12  # steps forecast; the direct strategy outputs them at once
    strategy: str = "direct"  # direct | recursive (seq2seq is refused for bidirectional models)
    transform: str = "auto"  # log | none | auto
    difference: str = "auto"  # seasonal | first | none | auto
    period: Optional[int] = None  # seasonal period (differences, seasonal naive, MASE); None: from the dates (monthly 12, ...); 1: none, as forecast's --period
    scaler: str = "standard"  # standard | minmax | none (fitted on the training part only)
    fill: Optional[str] = None  # NaNs in the series: ffill | bfill | interpolate | drop; None: refuse, listing the rows
    off_grid: str = "refuse"  # the one or two dates that break the series' grid: refuse (name them) | drop (their rows) | snap (to the grid's dates), as forecast's --off-grid
    weekmask: Optional[str] = None  # days a daily series is open ('Mon Tue Wed Thu Fri Sat'): its dates on that week, the week its period; None: the dates' calendar
    test_size: Optional[float] = None  # held-out end: count or fraction; None: the horizon
    val_size: Optional[float] = None  # validation tail of the training part; None: the horizon
    evaluation: str = "forecast"  # forecast (one multi-step forecast) | one_step; validation follows
    metric: str = "rmse"  # main metric: rmse | mae | mape | smape | mase (lm: always bpc)
    # --- language modelling (see LMConfig / LMTrainConfig)
    seq_len: int = 64  # truncated-BPTT length
    embedding: int = 32  # learned embedding size; 0: one-hot inputs
    test_fraction: float = 0.1  # last part of the text: held out, scored once at the end
    val_fraction: float = 0.1  # of the rest: validation (early stopping, best epoch); lm: in (0, 1)
    max_chars: Optional[int] = None  # use only the first N characters of the text (quick runs)
    # --- running
    device: str = "auto"  # auto | cpu | cuda | cuda:N
    impl: str = "auto"  # recurrent layers' implementation, the same for every model (see set_impl)

    def __post_init__(self):
        def need(cond, msg):
            if not cond:
                raise ConfigError(f"CompareConfig: {msg}")

        need(self.task in TASKS, f"task must be one of {TASKS}, got {self.task!r}; give --task "
             f"one of those")
        need(isinstance(self.data, str) and self.data.strip() != "",
             f"data (--data) is empty; give a dataset name, a CSV file or (task lm) a text, "
             f"got {self.data!r}")
        object.__setattr__(self, "models", tuple(self.models))
        # (1.5 trained as seed 1, True as 1 and "3" as 3: int() took each without a word)
        odd = [s for s in self.seeds if not is_whole(s)]
        need(not odd, f"seeds must be whole numbers, got {odd!r}; e.g. seeds=(0, 1, 2)")
        object.__setattr__(self, "seeds", tuple(int(s) for s in self.seeds))
        self._check_models(need)
        need(len(self.seeds) >= 1 and len(set(self.seeds)) == len(self.seeds),
             f"seeds must be distinct and at least one, got {list(self.seeds)}")
        need(all(in_range(s, SEEDS) for s in self.seeds),
             f"seeds (--seeds) must be whole numbers from {SEEDS[0]} to {SEEDS[1]}, got "
             f"{[s for s in self.seeds if not in_range(s, SEEDS)]}; give "
             + ("smaller ones" if all(s >= 0 for s in self.seeds) else "seeds >= 0"))
        need(self.evaluation in EVALUATIONS,
             f"evaluation must be one of {EVALUATIONS}, got {self.evaluation!r}; give "
             f"--evaluation one of those")
        need(self.metric in ("rmse", "mae", "mape", "smape", "mase"),
             f"metric must be rmse, mae, mape, smape or mase, got {self.metric!r}; give "
             f"--metric one of those")
        need(0 < self.tolerance < 1, f"tolerance must be in (0, 1), got {self.tolerance}")
        need(0 < self.lr <= FLOAT32_MAX,  # float32's largest (torch overflowed)
             f"lr must be > 0 and finite (at most {FLOAT32_MAX:.4g}, float32's largest), "
             f"got {self.lr}")
        need(self.param_target is None or self.param_target > 0,
             f"param_target must be > 0, got {self.param_target}")
        need(self.param_target is None or self.match_params,
             f"param_target={self.param_target} is a target for matching; add match_params=True "
             f"(--match-params), or leave param_target out")
        need(self.max_seconds is None or self.max_seconds > 0,
             f"max_seconds must be > 0 or None, got {self.max_seconds}")
        need(0 < self.test_fraction < 1, f"test_fraction must be in (0, 1), got {self.test_fraction}")
        need(self.impl in IMPLS, f"impl must be one of {IMPLS}, got {self.impl!r}; give --impl "
             f"one of those")
        self._check_words()
        unread = unread_impl(self.impl, [arch_of(m) for m in self.models],
                             f"every compared model ({', '.join(self.models)})",
                             "add one of those to --models")
        need(unread is None, unread)
        from ..data.option_names import FILLS, OFF_GRID

        need(self.fill is None or self.fill in FILLS,
             f"fill (--fill) must be one of {', '.join(FILLS)} or none, got {self.fill!r}")
        need(self.date_column is None or self.date_column is False or (isinstance(
            self.date_column, str) and self.date_column.strip() != ""),
             f"date_column (--date-column) must be a column name, 'none' or False (read "
             f"without dates) or None (detected), got {self.date_column!r}")
        if self.date_column is False:  # (fit's False, kept as the word --date-column reads:
            object.__setattr__(self, "date_column", "none")  # a record's false read 'False')
        need(self.period is None or (isinstance(self.period, int) and not isinstance(
            self.period, bool) and self.period >= 1), f"period (--period) must be a whole "
             f"number >= 1 (1: no season) or none (from the dates), got {self.period!r}")
        need(self.off_grid in OFF_GRID, f"off_grid (--off-grid) must be one of "
             f"{', '.join(OFF_GRID)}, got {self.off_grid!r}")
        if self.weekmask is not None:  # (rnnlab.data imports pandas: not for --help)
            from ..data.week_option import week_problem

            need(week_problem(self.weekmask) is None, f"{week_problem(self.weekmask)} "
                 f"(--weekmask)")
        self._check_sizes()

    def _check_models(self, need) -> None:
        """Each compared name once, known, its own shape options checked; the reference."""
        need(len(self.models) >= 1, "give at least one model")
        twice = [m for i, m in enumerate(self.models) if m in self.models[:i]]
        need(not twice, f"models repeat: {twice[0]!r} twice in {list(self.models)}; give "
             f"each model once (one architecture at several depths: a name per shape, "
             f"{twice[0].split(':')[0]}:depth=3 {twice[0].split(':')[0]}:depth=4)"
             if twice else "")
        unread = unread_match_to(self, MATCH_TO)  # (a reference beside a target)
        need(not unread, unread)
        reads = self.match_params and self.param_target is None  # (the reference counted)
        for m, flag in [(m, "models (--models)") for m in self.models] + (
                [(self.match_to, "match_to (--match-to)")] if reads else []):
            # (the reference is a compared name too, dt-rnn:depth=2, read by one parser)
            bidirectional = check_name(m, flag, listed=m in self.models)
            need(not (self.task == "lm" and bidirectional),
                 f"{flag}: model {m!r} is bidirectional: as a language model it would read "
                 f"the character it must predict; " + (
                     "compare unidirectional models for task 'lm'" if m in self.models else
                     "give a unidirectional --match-to for task 'lm' (lstm, its default)"))

    def check_task_data(self) -> None:
        """A built-in corpus given to a forecast, or a built-in series to a language model:
        say which --task it needs (the loaders' own messages do not know of --task). Checked
        when the comparison runs (a config may be built first and given its data after)."""
        from ..data.datasets import DATASETS
        from ..data.text import BUILTIN_CORPORA

        if self.task == "forecast" and self.data in BUILTIN_CORPORA:
            raise ConfigError(f"CompareConfig: data {self.data!r} is a text corpus, and task is "
                              f"'forecast' (a series: {', '.join(DATASETS)}, a CSV file); add "
                              f"--task lm to compare language models on it")
        if self.task == "lm" and self.data in DATASETS:
            raise ConfigError(f"CompareConfig: data {self.data!r} is a series, and task is 'lm' "
                              f"(a text: {', '.join(BUILTIN_CORPORA)}, a text file); drop "
                              f"--task lm to compare forecasts of it")

    def _check_words(self) -> None:
        """The forecasting fields that take one of a few words (``compare --help`` lists them):
        checked here, not first by the ForecastConfig built after the data is read, whose
        message named neither the comparison nor the flag."""
        from ..forecast.config import DIFFERENCES, STRATEGIES, TRANSFORMS
        from ..data.option_names import SCALER_NAMES

        for name, words in (("strategy", STRATEGIES), ("transform", TRANSFORMS),
                            ("difference", DIFFERENCES), ("scaler", SCALER_NAMES)):
            value = getattr(self, name)
            if value not in words:
                flag = "--" + ("forecast-strategy" if name == "strategy" else name)
                raise ConfigError(f"CompareConfig: {name} ({flag}) must be one of "
                                  f"{', '.join(words)}, got {value!r}; give {flag} one of those")

    def _check_sizes(self) -> None:
        """The numbers every model shares, checked before anything is trained (a 0 or a NaN
        would otherwise be taken for 'auto', 'off' or 'the whole text' further down)."""
        def bad(name, value, expected):
            flag = "--" + ("forecast-strategy" if name == "strategy" else name.replace("_", "-"))
            raise ConfigError(f"CompareConfig: {name} ({flag}) must be {expected}, got {value!r}; "
                              f"give {flag} a value in that range")

        for name, low in (("hidden_size", 1), ("epochs", 1), ("batch_size", 1),
                          ("lookback", 1), ("horizon", 1), ("seq_len", 1), ("embedding", 0)):
            v = getattr(self, name)
            if not (is_whole(v) and v >= low):
                bad(name, v, f"an integer >= {low}")
        zero_as_off(self)  # 0 is off, as None (as --patience 0); a negative one is refused here
        for name in ("num_layers", "patience", "max_chars"):
            v = getattr(self, name)
            if v is not None and not (is_whole(v) and v >= 1):
                bad(name, v, "an integer >= 1, or 0 / none (off)" if name == "patience"
                    else "an integer >= 1, or none")
        if not 0 <= self.dropout < 1:  # (NaN fails every comparison)
            bad("dropout", self.dropout, "in [0, 1)")
        check_rates_of(self)  # (and a kernel --impl with recurrent_dropout refused)
        for name in ("depth", "out_depth", "width", "out_width"):
            v = getattr(self, name)
            none = {"width": "hidden_size", "out_width": "width"}.get(name)
            if not (is_whole(v) and v >= 1) and not (none and v is None):
                bad(name, v, "an integer >= 1" + (f", or none ({none})" if none else ""))
        if self.nonlinearity not in ("tanh", "relu"):
            bad("nonlinearity", self.nonlinearity, "tanh or relu")
        for name in ("test_size", "val_size"):
            v, zero_ok = getattr(self, name), name == "val_size"  # (val_size: 0 too)
            if v is not None and not (v > 0 or (zero_ok and v == 0)) or v != v:
                bad(name, v, "a count or a fraction > 0, or none (the horizon)" if not zero_ok
                    else "a count or a fraction >= 0, or none (the horizon)")
        if not 0 <= self.val_fraction < 1 or (self.task == "lm" and self.val_fraction == 0):
            # a language model's best epoch is chosen on the validation part: 0 failed in
            # the first fit, after the run directory was made
            bad("val_fraction", self.val_fraction,
                "in (0, 1) (the validation part picks the best epoch)" if self.task == "lm"
                else "in [0, 1)")
        if self.task == "forecast" and self.patience and self.val_size == 0:
            raise ConfigError(
                f"CompareConfig: patience (--patience) {self.patience} stops on the validation "
                f"loss, and val_size (--val-size) 0 leaves no validation part (it was ignored: "
                f"every model ran its epochs); give --val-size > 0 or leave --patience out")
        if self.clip_norm is not None and not 0 < self.clip_norm < float("inf"):
            bad("clip_norm", self.clip_norm, "> 0 and finite, or 0 / none (no clipping)")
        if self.lr_schedule not in SCHEDULES:
            bad("lr_schedule", self.lr_schedule, f"one of {', '.join(SCHEDULES)}")
        check_shape_read(self)  # (a shape option no compared model reads)
        same = same_models(self, self.models)
        if same:
            raise ConfigError(f"CompareConfig: models {same[0]!r} and {same[1]!r} are the same "
                              f"model (the same architecture and shape); give each once")

    def shape_for(self, model: str) -> Dict[str, Any]:
        """The shape options ``model`` reads, as this comparison sets them
        (:mod:`.shape_options`)."""
        return shape_for(self, model)

    @property
    def main_metric(self) -> str:
        """The key of the headline number: 'one_step.rmse', 'forecast.mase', 'test_bpc'."""
        return "test_bpc" if self.task == "lm" else f"{self.evaluation}.{self.metric}"

    @property
    def loss_unit(self) -> str:
        """The unit of the training and validation losses the comparison shows (its log
        lines, table and loss plot): bits per character for a language model (the fit's
        own progress line shows nats, the loss it minimises), the scaled series' MSE for
        forecasting."""
        return "bits per char" if self.task == "lm" else "MSE (model space)"

    def to_dict(self) -> Dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v
                for k, v in dataclasses.asdict(self).items()}

    def replace(self, **changes: Any) -> "CompareConfig":
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ConfigError(f"unknown CompareConfig fields {unknown}; known: {sorted(names)}")
        return dataclasses.replace(self, **changes)
