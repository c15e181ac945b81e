"""The peers' methods (NeuralForecast's, statsforecast's, Darts') that rnnlab's forecasters do
not have, each with what does its work here: the AttributeError names it (Python's bare "has
no attribute 'cross_validation'" named nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any


# The peers' methods a GlobalForecaster does not have: whose each is, and what does its work
# here (Python's bare "has no attribute 'cross_validation'" named nothing)
_BACKTEST = ("f.backtest(panel, first_origin=h + (n_windows - 1) * step_size, "
             "stride=step_size, refit='never') (their refit=False; refit=1 here fits "
             "again at each origin): its .forecasts hold each origin's rows, the cutoff as "
             "'origin', and .summary() scores them beside the baselines")
# (Darts' fit after load_weights goes on from the loaded weights; a fit here starts anew)
_NO_WARM = ("no warm start: f.fit(panel) trains from the seed's fresh weights, a loaded "
            "model's fit too; GlobalForecaster.load(path) reads a saved model to predict "
            "with, f.predict(history=new) forecasts newer data without a refit, and "
            "f.fit(panel, checkpoint_dir=DIR, resume=True) goes on with a stopped fit of "
            "the same data")
PEER_METHODS = {
    "cross_validation": ("NeuralForecast's and statsforecast's", _BACKTEST),
    "historical_forecasts": ("Darts'", "f.predict_insample(panel, step_size=stride) (its "
                             "retrain=False: the fitted weights' forecasts from every cutoff); "
                             "or, to fit too, f.backtest(panel, horizon=forecast_horizon, "
                             "first_origin=the steps from start to the end, stride=stride, "
                             "refit='never') (refit=1 here fits again at each origin): its "
                             ".forecasts hold each origin's rows, and .summary() scores them "
                             "beside the baselines"),
    # statsforecast's sf.forecast(df=, h=) and fit_predict; Darts' checkpoint loader
    **dict.fromkeys(("forecast", "fit_predict"), (
        "statsforecast's", "f.fit(panel, static=static).predict(h, future=fut) (the "
                           "quantiles, set at creation, give its level=)")),
    "load_from_checkpoint": ("Darts'", "f.fit(panel, checkpoint_dir=DIR, resume=True) goes "
                                       "on from the checkpoints a fit with checkpoint_dir=DIR "
                                       "wrote; GlobalForecaster.load(path) reads a model "
                                       "f.save(path) wrote"),
    # Darts' warm start: load_weights(path) (or load_weights_from_checkpoint), then fit
    **dict.fromkeys(("load_weights", "load_weights_from_checkpoint"), ("Darts'", _NO_WARM)),
}


# the same on the one-series Forecaster (Darts' models take one series too)
_SERIES_BACKTEST = ("f.backtest(series, horizon=forecast_horizon, first_origin=the steps "
                    "from start to the end, stride=stride, refit='never') (refit=1 here "
                    "fits again at each origin): its .forecasts hold each origin's rows, "
                    "and .summary() scores them beside the baselines")
SERIES_PEER_METHODS = {
    "cross_validation": ("NeuralForecast's and statsforecast's",
                         _BACKTEST.replace("f.backtest(panel,", "f.backtest(series,")),
    "historical_forecasts": ("Darts'", "f.predict_insample(step_size=stride) (its "
                             "retrain=False: the fitted model's forecasts of the series "
                             "fitted, or of history=, from every cutoff, forecast_horizon "
                             "the config's horizon); or, to fit too, " + _SERIES_BACKTEST),
    "load_from_checkpoint": ("Darts'", PEER_METHODS["load_from_checkpoint"][1].replace(
        "f.fit(panel,", "f.fit(series,").replace("GlobalForecaster.load", "Forecaster.load")),
    **dict.fromkeys(("load_weights", "load_weights_from_checkpoint"), ("Darts'", _NO_WARM.replace(
        "f.fit(panel", "f.fit(series").replace("GlobalForecaster.load", "Forecaster.load"))),
    # statsforecast's sf.forecast(df=, h=, level=) and fit_predict, on one series
    **dict.fromkeys(("forecast", "fit_predict"), (
        "statsforecast's", "f.fit(series).predict(h, quantiles=(0.1, 0.5, 0.9)) (the "
                           "quantiles give its level=: level=[80] is (0.1, 0.9))")),
    # Darts' residuals(series): the one-step historical forecasts' errors
    "residuals": ("Darts'", "ins = f.predict_insample(step_size=1); one = ins[ins['step'] "
                            "== 1]; one['y'] - one['mean'] (the fitted model's one-step "
                            "errors from every cutoff; another step for "
                            "forecast_horizon=k)"),
}


# the same on a panel baseline (statsforecast's models: AutoETS().forecast(y, h, level=);
# its StatsForecast(models=[...]).cross_validation)
BASELINE_PEER_METHODS = {
    **dict.fromkeys(("forecast", "fit_predict"), (
        "statsforecast's", "model.fit(panel).predict(h) (its quantiles, set at creation, "
                           "give level=: ETS(quantiles=(0.025, 0.1, 0.5, 0.9, 0.975)) holds "
                           "level=[80, 95])")),
    "cross_validation": ("statsforecast's", "rnnlab.panel.backtest.backtest(ETS, panel, "
                         "horizon=h, first_origin=h + (n_windows - 1) * step_size, "
                         "stride=step_size, refit=1) (the class, or a function making the "
                         "model; refit=1 fits at each origin, as theirs); beside a network: "
                         "f.backtest(panel, ..., baselines=('ets',))"),
}


class PeerNamedBaseline:
    """A base of the panel baselines: a missing attribute that is one of statsforecast's
    models' methods says what does its work here (Python's bare "'ETS' object has no
    attribute 'forecast'" named nothing)."""

    if not TYPE_CHECKING:  # (hidden from checkers: ETS().forcast stays an error there)
        def __getattr__(self, name: str):  # only names not found
            return peer_attribute(self, name, BASELINE_PEER_METHODS)


def peer_attribute(obj: Any, name: str, methods=None) -> Any:
    """``obj.name`` where Python's lookup raised AttributeError (an ``__getattr__``'s
    work): a name of ``obj``'s class (a subclass's property whose getter raised it) looked
    up again, so its getter's own error shows, not one naming the property as missing;
    any other, :func:`missing_method`'s error. (Not a ``__getattribute__``: that would run
    in Python on every attribute read, and skip a mixin's own ``__getattribute__``; the
    price here is a failing getter run twice.)"""
    cls: Any = type(obj)  # (Any: its __getattribute__ the instances', not type's)
    if any(name in vars(k) for k in cls.__mro__):
        return cls.__getattribute__(obj, name)  # (the whole lookup, mixins' too)
    raise missing_method(cls.__name__, name, methods)


def missing_method(owner: str, name: str, methods=None) -> AttributeError:
    """The AttributeError for ``owner().name``: the bare one, or with what does the work of
    the peer's method of that name here (NeuralForecast's, statsforecast's or Darts'):
    ``methods`` (default :data:`PEER_METHODS`, a panel model's)."""
    methods = PEER_METHODS if methods is None else methods
    said = f"{owner} has no attribute {name!r}" if owner.startswith("type object") else \
        f"{owner!r} object has no attribute {name!r}"
    if name in methods:
        whose, here = methods[name]
        said += f" ({whose} {name}; here: {here})"
    return AttributeError(said)
