"""patience and clip_norm are off at 0 as at None in every config (TrainConfig,
LMTrainConfig, ForecastConfig, PanelConfig, CompareConfig) as on every command line
(README: "--patience and --clip-norm are off at 0 or none"; rnnlab.options.OFF_AT_ZERO).
ForecastConfig, PanelConfig, CompareConfig and TrainConfig refused patience=0 while
LMTrainConfig and every --patience 0 took it as off."""

import numpy as np
import pytest

from rnnlab.io.errors import DataError


def _configs():
    from rnnlab.compare.config import CompareConfig
    from rnnlab.forecast.config import ForecastConfig
    from rnnlab.lm.config import LMTrainConfig
    from rnnlab.panel.config import PanelConfig
    from rnnlab.train.config import TrainConfig

    return (TrainConfig, LMTrainConfig, ForecastConfig, PanelConfig, CompareConfig)


@pytest.mark.parametrize("field", ["patience", "clip_norm"])
def test_every_config_reads_zero_as_off_and_refuses_a_negative_value(field):
    """One rule: patience=0 was refused by TrainConfig, ForecastConfig, PanelConfig and
    CompareConfig ("patience must be >= 1"), taken as off by LMTrainConfig."""
    from rnnlab.options import OFF_AT_ZERO

    assert field in OFF_AT_ZERO
    for make in _configs():
        if not hasattr(make(), field):
            continue  # (a config without the setting)
        assert getattr(make(**{field: 0}), field) is None, make.__name__
        assert getattr(make(**{field: 3}), field) == 3, make.__name__
        with pytest.raises(ValueError, match=rf"{field}( \(--[a-z-]+\))? must be") as e:
            make(**{field: -1})  # (CompareConfig names the flag, as its other checks)
        assert "0 / none" in str(e.value).lower(), e.value


@pytest.mark.parametrize("field", ["clip_norm"])
def test_forecast_config_reads_zero_as_off(field):
    from rnnlab.forecast.config import ForecastConfig
    from rnnlab.lm.config import LMTrainConfig

    assert getattr(ForecastConfig(**{field: 0}), field) is None
    assert getattr(LMTrainConfig(**{field: 0}), field) is None
    with pytest.raises(DataError, match=rf"{field} must be > 0, or 0 / None for off, got -1"):
        ForecastConfig(**{field: -1})


def test_forecast_with_clip_norm_zero_trains():
    """ForecastConfig(clip_norm=0) passed the config check, then fit refused it after the
    data was read ("TrainConfig: clip_norm must be > 0 or None, got 0")."""
    from rnnlab.forecast import ForecastConfig, Forecaster

    y = 10 + np.sin(np.arange(80) / 4)
    cfg = ForecastConfig(model="rnn", hidden_size=4, epochs=1, ensemble=1, clip_norm=0,
                         progress=False)
    f = Forecaster(config=cfg).fit(y)
    assert np.isfinite(np.asarray(f.predict())).all()
