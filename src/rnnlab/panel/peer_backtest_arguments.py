"""A backtest's arguments under the peers' names (NeuralForecast's and statsforecast's
``cross_validation(h=, n_windows=, step_size=)``, Darts' ``historical_forecasts(start=,
retrain=)``, sktime's ``evaluate(cv=)``): refused with ours, ``n_windows`` as the
``first_origin`` it means (:func:`refuse_backtest_arguments`)."""

from __future__ import annotations

from typing import Mapping

from ..io.errors import ConfigTypeError
from .peer_arguments import _CREATE, _SERIES_COVARIATES, SERIES_COVARIATES  # (the same words)
from .peer_read_arguments import READ
from .peer_sktime import CV


def _read_first(owner: str) -> str:
    """How the panel backtest ``owner`` reads a table with ``read_panel``'s options it
    does not take itself (``freq=``): read first."""
    call = {"backtest_models": "backtest_models(models, panel)",
            "backtest": "backtest(factory, panel)"}.get(owner, "backtest(panel)")
    return (f"read_panel(df, freq=...) first, then {call}: rnnlab.panel.read_panel reads "
            f"the table")


def refuse_backtest_arguments(owner: str, given: Mapping, horizon=None, stride=None,
                              model_levels: bool = False) -> None:
    """TypeError naming each of ``given`` (keywords a backtest does not take: NeuralForecast's
    and statsforecast's ``cross_validation``, Darts' ``historical_forecasts``) and ours;
    ``n_windows`` as the ``first_origin`` it means where the horizon and stride are known."""
    if not given:
        return
    h = given.get("h", given.get("forecast_horizon", horizon))
    step = given.get("step_size", stride if stride is not None else h)
    ours = {"h": "horizon=", "forecast_horizon": "horizon=", "step_size": "stride=",
            "retrain": "refit= ('never', or k: refit every k origins)",
            "start": "first_origin= (steps before the panel's last date; Darts' start=0.8 "
                     "is 20% of a series' steps before its end)",
            "n_windows": "first_origin= (steps before the panel's last date of the first "
                         "origin: horizon + (n_windows - 1) * stride)",
            "quantiles": f"the model's levels, {_CREATE}",
            # Darts' backtest(metric=), NeuralForecast's cross_validation(df=, static_df=,
            # futr_df=) (were Python's bare "unexpected keyword argument")
            "metric": "res.summary(): mase, rmse, mae, mape, smape, crps, coverage80, ... per "
                      "model; rnnlab.panel.accuracy(res.forecasts, panel) per series",
            "last_points_only": "res.forecasts[res.forecasts.step == horizon], each "
                                "origin's last step",
            **dict.fromkeys(("df", "series"), "the data, the first argument: "
                                              "backtest(df, ...)"),
            "static_df": "static=", "cv": CV,  # (sktime's evaluate(cv=splitter))
            "fh": "horizon= (the number of steps: sktime's fh=[1, 2, 3] is horizon=3)",
            "futr_df": "the future covariates' columns of the data itself, read at each "
                       "origin (a backtest forecasts dates the data covers)",
            **(SERIES_COVARIATES if owner == "Forecaster.backtest" else {}),
            # the table's own column names: read_panel's, which a panel backtest takes
            # (id_column=, ...; the peers' names were bare), freq= as fit's refusal says
            **({} if owner == "Forecaster.backtest" else {
                **{k: v for k, v in READ.items() if k not in ("ds", "y", "static_cols")},
                "freq": _read_first(owner)})}
    try:
        n = int(given["n_windows"])
        ours["n_windows"] = (f"first_origin={int(h) + (n - 1) * int(step)} (horizon {int(h)} "
                             f"+ (n_windows - 1) * stride {int(step)}), stride={int(step)}")
    except (KeyError, TypeError, ValueError):
        pass
    if "level" in given:
        from .call_args import level_hint

        ours["level"] = ("quantiles, set when the model is created: " + level_hint(
            given["level"], "GlobalForecaster({})") if model_levels
            else level_hint(given["level"]))
    said = "; ".join(f"{k!r} ({ours[k]})" if ours.get(k) is _SERIES_COVARIATES
                     else f"{k!r} (here: {ours[k]})" if k in ours else repr(k) for k in given)
    raise ConfigTypeError(f"{owner}() got unexpected keyword argument"
                          f"{'s' if len(given) > 1 else ''} {said}")
