"""Keyword settings checked by name before a config is built: an unknown one is refused
with the close names and, for the names Darts, NeuralForecast and Keras give the same
setting (``input_chunk_length``, ``input_size``, ``n_epochs``, ``units``...), ours."""

from __future__ import annotations

import difflib
from dataclasses import fields, is_dataclass
from typing import TYPE_CHECKING, Any, Mapping, Optional, Tuple, Type, TypeVar

if TYPE_CHECKING:  # (typeshed's name for "an instance of a dataclass"; no run-time module)
    from _typeshed import DataclassInstance

from .io.errors import ConfigTypeError

# a peer library's name -> ours (ForecastConfig and PanelConfig share these)
PEER_NAMES = {
    "input_chunk_length": "lookback", "input_size": "lookback", "window": "lookback",
    "output_chunk_length": "horizon", "h": "horizon", "n_epochs": "epochs",
    "max_epochs": "epochs", "max_steps": "epochs", "learning_rate": "lr",
    "random_state": "seed", "random_seed": "seed", "units": "hidden_size",
    "hidden_dim": "hidden_size", "encoder_hidden_size": "hidden_size",
    "n_rnn_layers": "num_layers", "encoder_n_layers": "num_layers",
    "futr_exog_list": "future_covariates", "hist_exog_list": "past_covariates",
    "stat_exog_list": "static_covariates", "n_samples": "samples",
    # statsmodels' exog (known over the forecast), GluonTS' dynamic features
    "exog": "future_covariates", "feat_dynamic_real": "future_covariates",
    "past_feat_dynamic_real": "past_covariates",
    "num_samples": "samples", "early_stop_patience_steps": "patience",
    "season_length": "period", "seasonal_periods": "period", "lags": "lookback",
    "sp": "period",  # (sktime's seasonal periodicity: ExponentialSmoothing(sp=12))
    # NeuralForecast's scaler_type: each series' scale (the panel's scale=, the one-series
    # forecaster's scaler=: peer_name picks the owner's; was transform=, the log)
    "level": "quantiles", "scaler_type": "scale", "windows_batch_size": "batch_size",
    "local_scaler_type": "scale",  # (NeuralForecast(local_scaler_type=): per series, as ours)
    # Lightning's Trainer argument, which NeuralForecast's models and Darts' trainer pass on
    "gradient_clip_val": "clip_norm",
    # Keras' and Darts' verbose, Lightning's (NeuralForecast's) enable_progress_bar
    "verbose": "progress", "enable_progress_bar": "progress", "show_progress": "progress",
    # Keras' fit(validation_split=0.2) (was: "did you mean validation?", the rollout |
    # one_step setting); NeuralForecast's and Darts' lr_scheduler, torch's lr_scheduler
    "validation_split": "val_size", "lr_scheduler": "lr_schedule",
    "lr_scheduler_cls": "lr_schedule",
    # Keras' Adam(beta_1=, beta_2=): torch's pair; NeuralForecast's and Darts' optimizer class
    "beta_1": "betas", "beta_2": "betas", "beta1": "betas", "beta2": "betas",
    "epsilon": "eps",  # Keras' Adam(epsilon=)
    "optimizer_cls": "optimizer",
    # Darts' add_encoders={"datetime_attribute": {"future": ["month"]}} (was: "did you mean
    # max_seconds?"): the panel model's calendar features
    "add_encoders": "calendar",
    # NeuralForecast's RNN/LSTM decoder MLP (was: "did you mean hidden_size?", the
    # recurrent units), its inference window, its step-decay schedule (was: "did you mean
    # num_layers?")
    "decoder_hidden_size": "head_size", "inference_input_size": "lookback",
    "num_lr_decays": "lr_schedule",
    # GluonTS' DeepAREstimator(prediction_length=, context_length=, num_batches_per_epoch=,
    # scaling=) (were: no hint at all, the list of fields)
    "prediction_length": "horizon", "context_length": "lookback",
    "num_batches_per_epoch": "batches_per_epoch", "scaling": "scale",
}

# a peer's name that is one of several settings here, by owner: the first the owner has
PEER_CHOICES = {"scaler_type": ("scale", "scaler"), "local_scaler_type": ("scale", "scaler"),
                "scaling": ("scale", "scaler")}


def peer_name(key: str, known) -> str:
    """Our name for the peer setting ``key`` (``key`` itself where none), the one of
    :data:`PEER_CHOICES` among ``known`` (the owner's settings, or options) where several."""
    for ours in PEER_CHOICES.get(key, ()):
        if ours in known:
            return ours
    return PEER_NAMES.get(key, key)


# arguments (not settings) of an owner that takes settings as keywords: Keras' fit(x,
# validation_data=..., callbacks=[...]) given to CharLM.fit (was: "unknown setting", the
# list of LMTrainConfig's fields, no word of val_text or on_epoch); and a peer's settings
# that no one setting here stands for, said as what does their work (GlobalForecaster)
# Darts' RNNModel(save_checkpoints=True, model_name=, work_dir=, force_reset=): fit's
# checkpoint_dir= (the migration table's row); its optimizer_kwargs: the optimizer's settings
_DARTS_CHECKPOINT = ("save_checkpoints", "model_name", "work_dir", "force_reset")


def _checkpoint_hint(data: str) -> str:
    return (f"fit({data}, checkpoint_dir=DIR) writes each member's checkpoint at each epoch "
            f"end, fit({data}, checkpoint_dir=DIR, resume=True) goes on after a stop; "
            f"f.save(path) saves the fitted model")


_OPTIMIZER_KWARGS = ("each a setting: lr=, weight_decay=, betas=, eps=, amsgrad=, momentum=, "
                     "nesterov=, dampening= (optimizer_kwargs={'lr': 1e-3} is lr=1e-3)")
ARGUMENTS = {"CharLM.fit": {
    "validation_data": "val_text= (a text of its own; refused with val_fraction)",
    "callbacks": "on_epoch=fn(epoch, record), run after each epoch's validation; early "
                 "stopping is patience=, a learning-rate schedule lr_schedule="},
    # NeuralForecast's loss=MQLoss(...)/DistributionLoss(...), its NeuralForecast(freq=)
    # (was: "unknown setting 'loss'", the list of fields, no word of either)
    "GlobalForecaster": {
        "loss": "quantiles= for a quantile loss, the default (0.1, 0.5, 0.9): MQLoss(level="
                "[80, 95]) is quantiles=(0.025, 0.1, 0.5, 0.9, 0.975); likelihood='gaussian' "
                "| 'studentt' | 'negbin' for a distribution loss: DistributionLoss('Normal'), "
                "Darts' likelihood=GaussianLikelihood()",
        # (NeuralForecast's encoder_dropout, Darts' dropout: the one-series model's setting)
        **dict.fromkeys(("dropout", "encoder_dropout", "dropout_rate"), (
            "no dropout between the panel model's layers; inside them, variational "
            "dropout is recurrent_dropout= (on h_(t-1)) and input_dropout= (on x_t); its "
            "other regularisers are weight_decay=, early stopping (patience=) and "
            "ensemble=")),
        **dict.fromkeys(_DARTS_CHECKPOINT, _checkpoint_hint("panel")),
        "optimizer_kwargs": _OPTIMIZER_KWARGS,
        # GluonTS' DeepAREstimator(distr_output=StudentTOutput(), trainer_kwargs={...})
        "distr_output": "likelihood='studentt' (StudentTOutput(), DeepAR's default), "
                        "'gaussian' (NormalOutput()) or 'negbin' (NegativeBinomialOutput()); "
                        "samples= its draws (GluonTS' num_samples)",
        "trainer_kwargs": "each a setting: {'max_epochs': 5} is epochs=5, "
                          "{'gradient_clip_val': 10} clip_norm=10",
        # DeepAR's scaling=True divides each window by its mean: anchor='mean_scale' here
        # (was "here: scale=", the per-series scale, always on)
        "scaling": "anchor='mean_scale' divides each window by 1 + its mean |z|, DeepAR's "
                   "scaling (not the default: anchor='last' measures each window from its "
                   "last value); each series is scaled too, always, by scale='std' | "
                   "'robust'",
        # NeuralForecast's model settings of its training windows and validation (step_size
        # was "did you mean head_size, embed_size, batch_size?", a spelling)
        "step_size": "each batch draws its windows from every position of every series, as "
                     "NeuralForecast's step_size=1; cross_validation's step_size is "
                     "backtest(stride=)",
        "valid_loss": "the validation loss is the training loss, pinball over quantiles= or "
                      "the likelihood's, read by early stopping (patience=)",
        "val_check_steps": "validation runs at each epoch's end, batches_per_epoch= "
                           "optimizer steps apart",
        "freq": "read_panel(df, freq=...), where the dates cannot tell it; the model reads "
                "the frequency from the panel's dates (pandas' 'ME' or 'M': month ends, 'MS': "
                "month starts)"},
    "Forecaster": {**dict.fromkeys(_DARTS_CHECKPOINT, _checkpoint_hint("series")),
                   # statsforecast's StatsForecast(freq="MS"): read from the data's dates
                   "freq": "the series' dates give it (a DatetimeIndex, PeriodIndex or a "
                           "date column, read by fit); a DatetimeIndex of freq "
                           "CustomBusinessDay(...) or weekmask= for a business calendar",
                   "optimizer_kwargs": _OPTIMIZER_KWARGS,
                   # (was: "a setting of GlobalForecaster", as if the series had none)
                   "quantiles": "predict(h, quantiles=(0.1, 0.5, 0.9)) and backtest(..., "
                                "quantiles=...): the intervals of a fitted model (its ARMA "
                                "member's error model, scaled by the validation errors: "
                                "rnnlab.forecast.intervals)",
                   "trainer_kwargs": "each a setting: {'max_epochs': 5} is epochs=5, "
                                     "{'gradient_clip_val': 10} clip_norm=10",
                   # GluonTS' DeepAREstimator(distr_output=) (was: no hint at all, where
                   # GlobalForecaster named its likelihood=)
                   "distr_output": "one series' intervals are quantiles, predict(h, "
                                   "quantiles=(0.1, 0.5, 0.9)), not a distribution's draws; "
                                   "DeepAR's StudentTOutput() is rnnlab.panel."
                                   "GlobalForecaster(likelihood='studentt'), which takes "
                                   "one series too"}}


# Prophet's holidays= / add_country_holidays(country_name=), Darts' add_holidays(): a
# country's public holidays are calendar feature 'holiday' of that country here
HOLIDAY_KEYS = ("holidays", "country_holidays", "add_country_holidays")


def _holidays_hint(key: str, value, here: bool, elsewhere) -> str:
    """How ``key=value`` (a country code, or a table of holidays) is said here."""
    code = value if isinstance(value, str) else "US"
    how = f"calendar=('holiday',), country={code!r}"
    where = "here" if here else f"settings of {elsewhere[1]}"
    table = "" if isinstance(value, str) else (
        "; a table of your own dates goes in as a 0/1 column named in future_covariates=")
    return f"{key!r} (a country's public holidays, {where}: {how}{table})"


# the `holidays` package's subdiv= (a state, province or region), Darts' add_holidays(
# state=, prov=): here the country's code with the region's, country='AU-VIC'
SUBDIVISION_KEYS = ("subdiv", "state", "prov", "province")


def _subdivision_hint(key: str, settings: Mapping, here: bool, elsewhere) -> str:
    """How ``key='VIC'`` (a region of ``settings``' country) is said here: the country
    given (without a region of its own: 'AU' of 'AU-VIC'), else a placeholder ('AU' was
    said for state='CA' given alone)."""
    country = str(settings.get("country") or "COUNTRY").upper().split("-")[0]
    region = settings[key].upper()
    where = "here" if here else f"settings of {elsewhere[1]}"
    return (f"{key!r} (a region's public holidays, {where}: calendar=('holiday',), "
            f"country='{country}-{region}': the country's code, '-', the region's, as the "
            f"`holidays` package's country_holidays({country!r}, subdiv={region!r}))")


def check_settings(config_cls, settings: Mapping, owner: str, elsewhere=None,
                   **config) -> None:
    """Raise TypeError naming each key of ``settings`` that ``config_cls`` lacks, with our
    name for it when it is a peer library's, else the close names. ``elsewhere``:
    ("module:ConfigClass", what takes it), named for a setting only that config has
    (imported only then). ``config``: the owner's config argument by its name
    (``config=config``), refused unless None or a ``config_cls`` (a dict was taken for
    one: ``{}`` gave the defaults, ``{"model": "gru"}`` an AttributeError in fit)."""
    for arg, value in config.items():
        if value is not None and not isinstance(value, config_cls):
            raise ConfigTypeError(f"{owner}: {arg} must be a {config_cls.__name__} or None, "
                                  f"got {type(value).__name__}; a dict's settings go in as "
                                  f"keywords (**settings)")
    known = {f.name for f in fields(config_cls)}
    unknown = sorted(set(settings) - known)
    if not unknown:
        return
    other = set()
    if elsewhere is not None:
        import importlib

        module, name = elsewhere[0].split(":")
        other = {f.name for f in fields(getattr(importlib.import_module(module), name))}
    hints = []
    for key in unknown:
        ours = peer_name(key, known)  # (the owner's own first: Forecaster's scaler=)
        ours = ours if ours in known else peer_name(key, other)
        if key in HOLIDAY_KEYS and "country" in known | other:
            hints.append(_holidays_hint(key, settings[key], "country" in known, elsewhere))
            continue
        if key in SUBDIVISION_KEYS and isinstance(settings[key], str) \
                and "country" in known | other:
            hints.append(_subdivision_hint(key, settings, "country" in known, elsewhere))
            continue
        if key in ARGUMENTS.get(owner, {}):
            hints.append(f"{key!r} (here: {ARGUMENTS[owner][key]})")
            continue
        if key == "level" and "quantiles" not in known | other:
            pass  # (not a forecaster's: the close names below)
        elif key == "level":  # NeuralForecast's intervals in %: the levels that hold them
            from .panel.call_args import level_hint

            call = "{}" if "quantiles" in known else "predict({})"
            hints.append(f"'level' (here: {call.format('quantiles=')}): "
                         f"{level_hint(settings[key], call)}")
            continue
        if ours in known:
            hints.append(f"{key!r} (here: {ours}=)")
        elif ours in other:
            hints.append(f"{key!r} ({'' if ours == key else f'{ours}= here, '}a setting of "
                         f"{elsewhere[1]})")
        else:
            close = difflib.get_close_matches(key, sorted(known), n=3)
            far = [] if close else difflib.get_close_matches(key, sorted(other), n=3)
            hints.append(f"{key!r}" + (f" (did you mean {', '.join(close)}?)" if close else
                                       f" ({', '.join(far)}: settings of {elsewhere[1]})"
                                       if far else ""))
    if hints:
        raise ConfigTypeError(f"{owner}: unknown setting{'s' if len(hints) > 1 else ''} "
                              f"{'; '.join(hints)}. The settings are the fields of "
                              f"{config_cls.__name__}: {', '.join(sorted(known))}")


ConfigT = TypeVar("ConfigT", bound="DataclassInstance")  # the config an API class is made with


def config_of(config_cls: Type[ConfigT], owner: str, config: Optional[ConfigT],
              settings: Mapping[str, Any], elsewhere: Optional[Tuple[str, str]] = None,
              **named: Any) -> ConfigT:
    """The config an API class is made with: ``config`` as given, else ``config_cls(**named,
    **settings)``. ``named`` (the constructor's own model, lookback, horizon) other than the
    config's defaults, or ``settings``, beside a ``config`` are refused (they were ignored:
    ``GlobalForecaster("gru", config=PanelConfig())`` trained an LSTM); then
    :func:`check_settings`."""
    for key, value in named.items():  # (Forecaster(f.config): "unknown model ForecastConfig(...)")
        if is_dataclass(value) and not isinstance(value, type):
            what = "an architecture's name" if key == "model" else "a whole number"
            raise ConfigTypeError(f"{owner}: {key} should be {what}, found a "
                                  f"{type(value).__name__}: pass a whole config as "
                                  f"{owner}(config=...)")
    defaults = {f.name: f.default for f in fields(config_cls)}
    given = sorted({k for k, v in named.items() if v != defaults[k]} | set(settings))
    if config is not None and given:
        how = ("config.replace(...)" if hasattr(config_cls, "replace") else
               "dataclasses.replace(config, ...)")
        raise ConfigTypeError(f"pass either config={config_cls.__name__}(...) or keyword "
                              f"settings, not both (given: {', '.join(given)}); {how} changes "
                              f"a config's settings")
    check_settings(config_cls, settings, owner, elsewhere, config=config)
    return config or config_cls(**named, **settings)
