"""ForecastingSettings: the keyword settings both forecasters take under one name and one
type (the network's size, the target's transform, the calendar, the training run), as a
TypedDict that :mod:`rnnlab.forecast.typed_settings` (``Forecaster``) and
:mod:`rnnlab.panel.typed_settings` (``GlobalForecaster``) extend with their own; the
optimizer's settings under them (:mod:`rnnlab.typed_optim`)."""

from __future__ import annotations

from typing import Optional, Sequence, Union

from .typed_optim import OptimizerSettings


class ForecastingSettings(OptimizerSettings, total=False):
    """The settings ForecastConfig and PanelConfig share (``help`` of either documents
    each); the calendar's four are declared once for both configs
    (:mod:`rnnlab.calendar_options`, :mod:`rnnlab.data.week_option`)."""

    hidden_size: int
    num_layers: Optional[int]
    input_dropout: float
    recurrent_dropout: float
    strategy: str
    transform: str
    difference: str
    period: Optional[int]
    calendar: Sequence[str]
    country: Optional[str]
    time_zone: Optional[str]
    weekmask: Optional[str]
    epochs: int
    batch_size: int
    ensemble: int
    seed: int
    max_seconds: Optional[float]
    progress: Union[bool, str]
