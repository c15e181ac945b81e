"""One model's rows of a forecast that holds several (a panel run's ``test_forecasts.csv``,
a backtest's ``forecasts.csv``: a ``model`` column naming each row's model), picked by
``rnnlab score --model NAME`` / ``score_forecast(..., model=NAME)``: scored together, the
models' forecasts of one date were read as one series' forecast twice."""

from __future__ import annotations

from typing import List, Optional

import pandas as pd

from ..io.errors import DataError

HOW = "--model NAME (score_forecast(..., model=NAME) in Python)"


def models_in(forecast: pd.DataFrame) -> List[str]:
    """The names in the forecast's ``model`` column, sorted ([] without one)."""
    if "model" not in forecast.columns:
        return []
    return sorted(map(str, forecast["model"].dropna().unique()))


def one_model(forecast: pd.DataFrame, model: Optional[str]) -> pd.DataFrame:
    """The rows of ``model`` (all rows when None and the forecast holds one model's); a
    DataError, naming the models present, for a name not among them or for several models
    and no name."""
    models = models_in(forecast)
    if model is None:
        if len(models) > 1:
            raise DataError(f"the forecast holds {len(models)} models' rows "
                            f"({', '.join(models)}); name the one to score: --model "
                            f"{models[0]} (score_forecast(..., model={models[0]!r}) in "
                            f"Python)")
        return forecast
    if not isinstance(model, str):
        raise DataError(f"model should be a model's name (a str), got "
                        f"{type(model).__name__} {model!r}"
                        + (f"; the forecast holds {', '.join(models)}" if models else ""))
    if model not in models:
        raise DataError(f"model {model!r} is not in the forecast, which holds "
                        f"{len(models)} model{'s' if len(models) > 1 else ''}' rows "
                        f"({', '.join(models)}); pass one of them with {HOW}")
    return forecast[forecast["model"].astype(str) == model].reset_index(drop=True)


def refuse_unnamed(forecast: pd.DataFrame) -> None:
    """A DataError for rows of a forecast with a ``model`` column whose model is blank,
    scored with no model picked: they were scored as the named model's (one model beside
    them) or left out (several: their rows at each cutoff), without a word."""
    from ..panel.blank_models import refuse_blank_models

    refuse_blank_models(forecast, "", "the forecast's", "which model's forecasts they are "
                        "is not known (they were scored with another model's, or left out)")


def no_model_column(model: Optional[str], columns) -> None:
    """A DataError for a model named to pick from a forecast without a column of model
    names (one model's: a run's forecast.csv, whose ``model`` column is its values, or
    ``--output``'s CSV)."""
    if model is None:
        return
    raise DataError(f"model {model!r} picks one model's rows of a forecast with a column "
                    f"of model names (a panel run's test_forecasts.csv, a backtest's "
                    f"forecasts.csv); this forecast is one model's (columns "
                    f"{', '.join(map(str, columns))}): leave out --model / model=")
