"""clip_norm is off at 0 as at None in ForecastConfig as in LMTrainConfig and on every
command line (README: "--patience and --clip-norm are off at 0 or none"); ForecastConfig's
patience=0 stays refused in Python (tests/test_user_sweep_single.py)."""

import numpy as np
import pytest

from rnnlab.io.errors import DataError


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
