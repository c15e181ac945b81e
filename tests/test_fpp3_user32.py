"""A day as an fpp3/fable user (session 32): what such a user tripped over on visnights and
us_employment. An unknown baseline name (fable's 'drift') given to a Python backtest is
refused before any model fits (it was refused at the first origin's baselines, after the
network had trained there)."""

import pytest

from rnnlab.io.errors import ConfigError
from rnnlab.panel import SeasonalNaive, load_panel
from rnnlab.panel.backtest import backtest


class _Counted(SeasonalNaive):
    fits: list = []

    def fit(self, panel, static=None):
        _Counted.fits.append(len(panel.df))
        return super().fit(panel, static=static)


@pytest.mark.parametrize("name", ["drift", "mean", "snaive_typo"])
def test_an_unknown_baseline_is_refused_before_the_model_fits(name):
    _Counted.fits.clear()
    with pytest.raises(ConfigError, match=f"unknown baseline '{name}'"):
        backtest(_Counted, load_panel("visnights"), horizon=4, first_origin=8, stride=4,
                 baselines=("naive", name))
    assert _Counted.fits == []  # refused before anything was fitted


def test_known_baselines_still_backtest():
    _Counted.fits.clear()
    res = backtest(_Counted, load_panel("visnights"), horizon=4, first_origin=8, stride=4,
                   baselines="naive,seasonal_naive")
    assert set(res.forecasts["model"]) == {"model", "naive", "seasonal_naive"}
    assert len(_Counted.fits) == 1
