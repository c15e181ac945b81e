"""Arguments of NeuralForecast's and Darts' ``fit``/``predict`` given to
:class:`~rnnlab.panel.model.GlobalForecaster`'s: refused with the name that does the same
here (Python's bare "unexpected keyword argument 'futr_df'" said nothing of ``future=``).
Settings of the model itself (``level``, ``input_size``) are named at its creation
(:mod:`rnnlab.setting_names`); read_panel's arguments in :mod:`.peer_read_arguments`, a
backtest's in :mod:`.peer_backtest_arguments`."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..io.errors import ConfigTypeError
from .peer_sktime import X_BASELINE, X_FIT, X_FUTURE, fh_hint
from .peer_methods import PEER_METHODS, SERIES_PEER_METHODS, missing_method  # noqa: F401 (their home before)

_CREATE = "set when the model is created: GlobalForecaster(quantiles=(0.1, 0.5, 0.9))"
_COLUMNS = ("columns of the panel, named when the model is created: "
            "GlobalForecaster(future_covariates=('temp',), past_covariates=('visits',)); "
            "covariates apart from a series (Darts' TimeSeries as frames, dates as the index) "
            "join it: fit(read_panel(pd.concat([series, covariates], axis=1), "
            "target=series.name))")
_READ = ("read_panel(df, id_column=..., date_column=..., target=..., fill=...) first, then "
         "fit(panel): rnnlab.panel.read_panel reads the table's columns")
_CHECKPOINTS = ("fit(panel, checkpoint_dir=DIR) checkpoints each epoch, and fit(panel, "
                "checkpoint_dir=DIR, resume=True) goes on from them (on the command line: "
                "the rnnlab forecast command that started the run, with --resume); a fitted "
                "model is kept with .save(dir)")
# NeuralForecast's fit(df=...), Darts' fit(series=...): the data, fit's first argument (was
# Python's "missing 1 required positional argument: 'panel'", no word of the keyword)
_DATA = ("the data, fit's first argument: fit(df), a long table unique_id, ds, y (or a "
         "PanelFrame, a CSV path, a dict of Series)")
# the future covariates' values after the data, given to fit (a weather forecast with the
# history): predict's (was Python's bare "unexpected keyword argument 'future'")
_FUTURE_AT_FIT = ("predict(h, future=...): the future covariates' values over the horizon "
                  "are predict's; at fit their values up to each series' end are columns of "
                  "the data, named by GlobalForecaster(future_covariates=...)")
FIT = {"future_covariates": _COLUMNS, "past_covariates": _COLUMNS,
       **dict.fromkeys(("future", "futr_df"), _FUTURE_AT_FIT),
       **dict.fromkeys(("df", "series", "Y_df"), _DATA),
       "val_series": "the last val_size points of each series (val_size=, at creation), "
                     "not a series of its own",
       "val_df": "the last val_size points of each series (val_size=, at creation)",
       "validation_data": "the last val_size points of each series (val_size=, at creation)",
       "callbacks": "on_epoch=fn(epoch, record), run after each epoch of each member; early "
                    "stopping is patience=, a learning-rate schedule lr_schedule=, both set "
                    "when the model is created",
       # Lightning's (NeuralForecast's, Darts') ckpt_path: a checkpoint file to go on from
       "ckpt_path": _CHECKPOINTS, "X": X_FIT,  # (sktime's fit(y, X=X))
       "fh": "horizon=, set when the model is created (sktime's fit(y, fh=...))",
       # the table's own column names (Darts' from_group_dataframe, ours): read_panel's
       **dict.fromkeys(("id_column", "date_column", "target", "fill", "freq", "id_col",
                        "time_col", "target_col", "group_cols", "value_cols"), _READ)}
OURS = {
    "futr_df": "future=", "static_df": "static=",
    "df": "history= (the series to forecast after)", "series": "history=",
    "past_covariates": "history= (a panel holding them as columns)",
    "h": "horizon (the first argument)", "n": "horizon (the first argument)",
    "level": f"quantiles, {_CREATE}", "quantiles": f"the levels, {_CREATE}",
    # GluonTS' Forecast.plot(prediction_intervals=(50.0, 90.0)): intervals in %
    "prediction_intervals": "quantiles, set when the model is created; plot draws a band "
                            "for each central interval they hold, the widest lightest: "
                            "GlobalForecaster(quantiles=(0.05, 0.5, 0.95)) draws the 90% "
                            "interval, quantiles=(0.05, 0.25, 0.5, 0.75, 0.95) the 50% and "
                            "90% ones (prediction_intervals=(50.0, 90.0))",
    "num_samples": "samples=, set when the model is created (a likelihood's draws)",
    "val_size": "val_size=, set when the model is created",
    "fill": "history=read_panel(df, fill=...) (rnnlab.panel.read_panel fills the table)",
    "X_df": X_FUTURE, "X": X_FUTURE,  # statsforecast's forecast(X_df=), sktime's predict(X=)
}
# a table of its own column names given beside history= (a model keeps none of them, so a
# loaded one cannot read the raw table it was fitted from): read_panel reads them. Every
# panel method that reads history= (predict, sample_paths, predict_insample, plot, a
# baseline's predict, BacktestResult.plot) names this, through refuse_peer_arguments
HISTORY_COLUMNS = dict.fromkeys(
    ("id_column", "date_column", "target", "freq", "id_col", "time_col", "target_col",
     "group_cols", "value_cols"),
    "history=read_panel(df, id_column=..., date_column=..., target=...): "
    "rnnlab.panel.read_panel reads the table's own columns, then pass the panel as history=")

_STATIC_AT_FIT = ("static= of fit(panel, static=...): static covariates are given to fit, and "
                  "predict uses each series' values from it; a series not fitted on "
                  "gives its values as columns of history= (history=read_panel("
                  "df.merge(static_df, on='unique_id')))")

# the peers' names a baseline (SeasonalNaive, Naive, ETS) has an answer for
BASELINE_KEYS = ("futr_df", "static_df", "df", "series", "h", "n", "level", "quantiles",
                 "fh")

# Forecaster (one series) given covariates, as Darts' fit(series, future_covariates=...) takes
# them: the model that reads them, for one series too
_SERIES_COVARIATES = (
    "the one-series Forecaster reads no covariates; rnnlab.panel.GlobalForecaster reads them, "
    "for one series too: GlobalForecaster(future_covariates=('price',)).fit(read_panel(df, "
    "target='sales')), price a column of df beside sales (README, \"One series with "
    "covariates\"; rnnlab forecast --column sales --future-covariates price)")
SERIES_COVARIATES = dict.fromkeys(("future_covariates", "past_covariates", "static_covariates",
                                   "covariates", "exog", "futr_df", "static_df", "future",
                                   "static", "X_df", "X"), _SERIES_COVARIATES)

# Forecaster.fit (one series): Keras' fit(x, validation_data=..., callbacks=[...])
SERIES_FIT = {**SERIES_COVARIATES, "callbacks": FIT["callbacks"],
              "validation_data": "val_data= (a series that continues the data)",
              # Darts' fit(series, val_series=...), and its covariates' validation parts
              "val_series": "val_data= (a series that continues the data)",
              **dict.fromkeys(("val_past_covariates", "val_future_covariates"),
                              _SERIES_COVARIATES)}

# Forecaster.predict (one series): Darts' predict(n, series=...), NeuralForecast's h, df, level
SERIES_PREDICT = {"h": "horizon (the first argument)", "n": "horizon (the first argument)",
                  "df": "history= (the series to forecast after)", "series": "history=",
                  # Darts' predict(n, num_samples=500): a probabilistic forecast's draws
                  "num_samples": "quantiles=(0.1, 0.5, 0.9): the one-series Forecaster draws "
                                 "no samples; its quantiles come from its ARMA member's errors",
                  **SERIES_COVARIATES}


def refuse_peer_arguments(method: str, given: Mapping, owner: str = "GlobalForecaster") -> None:
    """TypeError naming each of ``given`` (keywords ``owner.method`` does not take) and
    what takes its place here. A baseline (``owner`` SeasonalNaive, ETS, ...) reads no
    covariates, so its fit names none of those; its quantiles are set at its creation too."""
    if not given:
        return
    series, network = owner == "Forecaster", owner == "GlobalForecaster"
    if series:
        ours = SERIES_FIT if method == "fit" else SERIES_PREDICT
    else:
        ours = dict(OURS, **FIT) if method == "fit" and network else OURS
    if not (series or network):  # (no covariates, validation tail or samples in a baseline)
        ours = {k: v for k, v in ours.items() if k in BASELINE_KEYS}
        if method == "fit":  # (its df= is the data, as the network's)
            ours.update((k, FIT[k]) for k in ("df", "series", "Y_df"))
        if method in X_BASELINE:  # (statsforecast's X_df=, sktime's X=)
            ours.update(dict.fromkeys(("X_df", "X"), X_BASELINE[method]))
    result = owner == "BacktestResult"  # (its plot reads history= only: no forecast's
    if result:  # settings, so no level=, fh= or static= advice either: the table's names)
        ours = {}
    elif method == "predict_insample":  # (Darts' historical_forecasts' names)
        from .insample_peers import INSAMPLE

        ours = INSAMPLE
    elif method in ("predict", "plot") and network:  # (static=: the history's series')
        ours = dict(ours, static_df="static= (the static covariates of history='s series)")
    elif method != "fit" and not series:  # (no static= there: fit's are used)
        ours = dict(ours, **dict.fromkeys(("static_df", "static"), _STATIC_AT_FIT))
    if method != "fit" and not series:  # (each reads history=: the table's columns)
        ours = {**HISTORY_COLUMNS, **ours}
    if "fh" in given and method != "fit" and not result:  # sktime's fh=[1, 2, 3]: predict(3)
        ours = dict(ours, fh=fh_hint(given["fh"], one_series=series))
    if "level" in given and not result:  # NeuralForecast's intervals in %: the quantiles
        from .call_args import level_hint

        ours = dict(ours, level="quantiles: " + level_hint(given["level"], "predict({})")
                    if series else "quantiles, set when the model is created: "
                    + level_hint(given["level"], "GlobalForecaster({})"))
    said = _said_once([f"{k!r} ({ours[k]})" if ours.get(k) is _SERIES_COVARIATES
                       else f"{k!r} (here: {ours[k].replace('GlobalForecaster(', owner + '(')})"
                       if k in ours else repr(k) + _setting_hint(owner, k, method)
                       for k in given], list(given))
    raise ConfigTypeError(f"{owner}.{method}() got unexpected keyword argument"
                          f"{'s' if len(given) > 1 else ''} {said}")


def refuse_peer_call(method: str, given: Mapping, owner: str, first: Any) -> None:
    """:func:`refuse_peer_arguments`, then, where the first argument (``first``) was not
    given, it asked for: ``fit``'s data (NeuralForecast's ``fit(df=...)``, Darts'
    ``fit(series=...)`` were Python's "missing 1 required positional argument"), or
    ``predict``'s horizon (statsforecast's ``predict(h=12)``)."""
    refuse_peer_arguments(method, given, owner)
    if first is None:
        what = ("its data, the first argument: fit(df), df a long table unique_id, ds, y (or "
                "a PanelFrame, a CSV path)" if method == "fit" else
                "the horizon, the first argument: predict(12)")
        raise ConfigTypeError(f"{owner}.{method}() missing {what}")


# the peers' names of a baseline's settings (statsforecast's SeasonalNaive(season_length=12),
# AutoETS(season_length=, model=)): ours, where the baseline has them
BASELINE_SETTINGS = {"season_length": ("period", "period="), "sp": ("period", "period="),
                     "model": ("trend", "trend= ('auto', 'damped' or None: the error and "
                                        "season are additive here)")}


def refuse_baseline_settings(owner: str, given: Mapping, has: Sequence[str]) -> None:
    """TypeError naming each of ``given`` (keywords ``owner()`` does not take) and ours
    where ``owner`` has the setting (``has``: its settings' names)."""
    if not given:
        return
    ours = {k: v[1] for k, v in BASELINE_SETTINGS.items() if v[0] in has}
    if "level" in given and "quantiles" in has:  # statsforecast's level=[80, 95]
        from .call_args import level_hint

        ours["level"] = "quantiles: " + level_hint(given["level"], owner + "({})")
    said = "; ".join(f"{k!r} (here: {ours[k]})" if k in ours else repr(k) for k in given)
    raise ConfigTypeError(f"{owner}() got unexpected keyword argument"
                          f"{'s' if len(given) > 1 else ''} {said}; its settings: "
                          f"{', '.join(has)}")


def _said_once(parts: list, keys: list) -> str:
    """``parts`` ("'key' (why)") joined, a why said before given as "(as 'key')" (the
    covariates' sentence, or the checkpoints', once for two keywords)."""
    first: dict = {}
    out = []
    for key, part in zip(keys, parts):
        why = part[len(repr(key)):]
        out.append(f"{key!r} (as {first[why]!r})" if why and why in first else part)
        first.setdefault(why, key)
    return "; ".join(out)


def _setting_hint(owner: str, key: str, method: str) -> str:
    """`` (a setting of the model, ...)`` for a keyword that is a setting of ``owner``'s
    config under our name or a peer's (Keras' ``fit(x, epochs=10, verbose=0)``), else ''."""
    config = {"Forecaster": ("..forecast.config", "ForecastConfig"),
              "GlobalForecaster": (".config", "PanelConfig")}.get(owner)
    if config is None:
        return ""
    import importlib
    from dataclasses import fields

    from ..setting_names import peer_name

    cls = getattr(importlib.import_module(config[0], __package__), config[1])
    names = {f.name for f in fields(cls)}
    ours = peer_name(key, names)
    if ours not in names:
        return ""
    return (f" (a setting of the model, given when it is created: {owner}({ours}=...), not "
            f"to {method})")
