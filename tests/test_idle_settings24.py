"""A setting given that the sampled configuration does not read (a tuner's search space:
``samples=`` of a quantile model, ``feature_range=`` beside the standard scaler) is said
when the fit starts (was: trained exactly as without it, without a word); at its default,
or where it acts, nothing is said."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab import Forecaster, GlobalForecaster
from rnnlab.idle_settings import IdleSettingWarning, warn_idle
from rnnlab.panel.config import PanelConfig
from test_panel_train_options22 import TINY, _frame

ONE = dict(model="gru", hidden_size=4, epochs=1, ensemble=1, progress=False, horizon=6,
           test_size=12)


def _series(n=72):
    t = np.arange(n)
    return pd.Series(100 + t + 5 * np.sin(t * 2 * np.pi / 12), name="y",
                     index=pd.date_range("2000-01-01", periods=n, freq="MS"))


def _idle(fit):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        fit()
    return [str(w.message) for w in seen if w.category is IdleSettingWarning]


def test_feature_range_beside_the_standard_scaler_is_said():
    said = _idle(lambda: Forecaster(**ONE, feature_range=(0, 1)).fit(_series()))
    assert len(said) == 1 and "feature_range=(0.0, 1.0) does nothing here" in said[0]
    assert "scaler='minmax'" in said[0]
    assert _idle(lambda: Forecaster(**ONE, feature_range=(0, 1), scaler="minmax")
                 .fit(_series())) == []
    assert _idle(lambda: Forecaster(**ONE).fit(_series())) == []


@pytest.mark.parametrize("setting, word", [({"samples": 50}, "likelihood='gaussian'"),
                                           ({"embed_size": 16}, "static_covariates")])
def test_a_panel_setting_nothing_reads_is_said(setting, word):
    said = _idle(lambda: GlobalForecaster(**TINY, **setting).fit(_frame()))
    assert len(said) == 1 and "does nothing here" in said[0] and word in said[0]


def test_a_country_without_the_holiday_feature_is_said_once_as_an_idle_setting():
    # (the panel's own UnreadCountryWarning, with the command's flags, is an idle setting:
    # one warning of the category a tuner filters, not two)
    from rnnlab.panel.covariate_checks import UnreadCountryWarning

    said = _idle(lambda: GlobalForecaster(**TINY, country="AU").fit(_frame()))
    assert said == [] and issubclass(UnreadCountryWarning, IdleSettingWarning)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        GlobalForecaster(**TINY, country="AU").fit(_frame())
    idle = [w for w in seen if issubclass(w.category, IdleSettingWarning)]
    assert len(idle) == 1 and "'holiday'" in str(idle[0].message), idle


def test_panel_settings_where_they_act_are_not_said():
    cfg = PanelConfig(**{**TINY, "strategy": "direct"}, likelihood="gaussian", samples=50)
    with warnings.catch_warnings():
        warnings.simplefilter("error", IdleSettingWarning)
        warn_idle(cfg, [("samples", cfg.likelihood is None, "")], "here")
        assert _idle(lambda: GlobalForecaster(**TINY).fit(_frame())) == []


@pytest.mark.parametrize("impl, said", [("fast", 1), ("triton", 1), ("reference", 0),
                                        ("auto", 0)])
def test_an_impl_a_fused_model_never_reads_is_said(impl, said):
    # (the commands refuse it; the API trained on torch's kernel, its path 'fused')
    from rnnlab import CharLM

    seen = _idle(lambda: Forecaster(**{**ONE, "model": "lstm"}, impl=impl).fit(_series()))
    assert len(seen) == said and all("model='lstm' runs torch's fused kernel" in s
                                     for s in seen)
    text = "the time traveller was expounding a recondite matter. " * 20
    seen = _idle(lambda: CharLM(hidden_size=4).fit(text, epochs=1, seq_len=8, batch_size=4,
                                                    progress=False, impl=impl))
    assert len(seen) == said


def test_a_loop_model_reading_impl_is_not_said_nor_a_comparisons_fused_one():
    from rnnlab.idle_settings import impl_given_to_all

    assert _idle(lambda: Forecaster(**{**ONE, "model": "dt-rnn"}, impl="fast")
                 .fit(_series())) == []

    def compared():
        with impl_given_to_all():
            Forecaster(**{**ONE, "model": "lstm"}, impl="fast").fit(_series())
    assert _idle(compared) == []
