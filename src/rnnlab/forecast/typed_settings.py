"""ForecastSettings: the keyword settings ``Forecaster(**settings)`` takes, as a TypedDict.

Type checkers read ``**settings: Unpack[ForecastSettings]``, so a misspelt setting
(``Forecaster(lookbak=3)``) or one of the wrong type is an error before anything runs;
at run time the constructor checks the names and values as before. One key per
:class:`~rnnlab.forecast.ForecastConfig` field (tests/test_typed_settings.py keeps them
equal); a tuple field is any sequence here, as the config takes a list too."""

from __future__ import annotations

from typing import Optional, Sequence

from ..typed_forecasting import ForecastingSettings


class ForecastSettings(ForecastingSettings, total=False):
    """The :class:`ForecastConfig` fields other than the constructor's own ``model``,
    ``lookback`` and ``horizon`` (``help(ForecastConfig)`` documents each)."""

    dropout: float
    depth: int
    width: Optional[int]
    nonlinearity: str
    out_depth: int
    out_width: Optional[int]
    linear_skip: bool
    scaler: str
    feature_range: Sequence[float]
    fill: Optional[str]
    test_size: Optional[float]
    val_size: Optional[float]
    origins: int
    select: str
    refit: bool
    device: str
    threads: int
    validation: str
    impl: str
    cuda_graphs: str


class ForecastConfigDict(ForecastSettings, total=False):
    """Every :class:`ForecastConfig` field: ``Forecaster(**d)``, ``ForecastConfig(**d)``."""

    model: str
    lookback: int
    horizon: int
