"""docs/panels.md, the model protocol: NeuralForecast's and Darts' argument names are
refused with ours named, by every model. The baselines gave Python's bare "unexpected
keyword argument 'futr_df'" (only GlobalForecaster named ours)."""

import pytest

from rnnlab.panel import load_panel
from rnnlab.panel.baselines import ETS, Naive, SeasonalNaive


@pytest.fixture(scope="module")
def panel():
    return load_panel("visnights")


@pytest.mark.parametrize("cls", [SeasonalNaive, Naive, ETS])
@pytest.mark.parametrize("kw, ours", [("futr_df", "future="), ("h", "horizon"),
                                      ("df", "history="), ("level", "quantiles")])
def test_a_baseline_predict_names_ours_for_a_peer_argument(panel, cls, kw, ours):
    m = cls()
    m._panel = panel  # (as fit leaves it: the refusal comes before any forecast)
    with pytest.raises(TypeError, match=rf"{cls.__name__}\.predict\(\) got unexpected keyword "
                                        rf"argument '{kw}' \(here: {ours}"):
        m.predict(4, **{kw: None})


@pytest.mark.parametrize("cls", [SeasonalNaive, ETS])
def test_a_baseline_fit_names_static_for_static_df(panel, cls):
    with pytest.raises(TypeError, match=rf"{cls.__name__}\.fit\(\) got unexpected keyword "
                                        r"argument 'static_df' \(here: static=\)"):
        cls().fit(panel, static_df=None)
    # a covariate keyword: a baseline reads none, so no GlobalForecaster hint is given
    with pytest.raises(TypeError, match=r"argument 'future_covariates'$"):
        cls().fit(panel, future_covariates=("temp",))


def test_level_names_the_baselines_own_quantiles_setting():
    with pytest.raises(TypeError, match=r"SeasonalNaive\(quantiles="):
        SeasonalNaive().predict(4, level=[80])


def test_a_baseline_gets_no_hint_of_settings_it_does_not_have():
    with pytest.raises(TypeError, match=r"argument 'num_samples'$"):
        SeasonalNaive().predict(4, num_samples=100)
