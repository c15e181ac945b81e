"""PanelSettings: the keyword settings ``GlobalForecaster(**settings)`` takes, as a TypedDict.

Type checkers read ``**settings: Unpack[PanelSettings]``, so a misspelt setting
(``GlobalForecaster(quantile=(0.1, 0.9))``) or one of the wrong type is an error before
anything runs; at run time the constructor checks the names and values as before. One key
per :class:`~rnnlab.panel.PanelConfig` field (tests/test_typed_settings.py keeps them
equal); a tuple field is any sequence here, as the config takes a list too."""

from __future__ import annotations

from typing import Optional, Sequence

from ..typed_forecasting import ForecastingSettings


class PanelSettings(ForecastingSettings, total=False):
    """The :class:`PanelConfig` fields other than the constructor's own ``model``,
    ``lookback`` and ``horizon`` (``help(PanelConfig)`` documents each)."""

    head_size: int
    embed_size: int
    quantiles: Optional[Sequence[float]]
    likelihood: Optional[str]
    calibrate: str
    samples: int
    future_covariates: Sequence[str]
    past_covariates: Sequence[str]
    static_covariates: Sequence[str]
    scale: str
    anchor: str
    local: bool
    on_short: str
    val_size: Optional[int]
    batches_per_epoch: int


class PanelConfigDict(PanelSettings, total=False):
    """Every :class:`PanelConfig` field: ``GlobalForecaster(**d)``, ``PanelConfig(**d)``."""

    model: str
    lookback: int
    horizon: int
