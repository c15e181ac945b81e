"""``GlobalForecaster().fit(panel, checkpoint_dir=..., resume=True)``, as the one-series
Forecaster's fit takes them, was Python's bare "unexpected keyword arguments
'checkpoint_dir'; 'resume'"; they checkpoint and resume now (test_panel_checkpoints27),
and Lightning's ``ckpt_path=`` (NeuralForecast's, Darts') is refused naming them."""

import pytest

from rnnlab.io.errors import ConfigTypeError
from rnnlab.panel import GlobalForecaster
from test_panel_train_options22 import TINY, _frame


def test_ckpt_path_says_checkpoint_dir_and_resume(tmp_path):
    with pytest.raises(ConfigTypeError) as e:
        GlobalForecaster(**TINY).fit(_frame(), ckpt_path=tmp_path / "last.ckpt")
    said = str(e.value)
    assert "'ckpt_path' (here: fit(panel, checkpoint_dir=DIR) checkpoints each epoch" in said
    assert "checkpoint_dir=DIR, resume=True) goes on from them" in said
    assert not any(tmp_path.iterdir())


def test_two_covariate_keywords_say_their_sentence_once():
    from rnnlab import Forecaster

    with pytest.raises(ConfigTypeError) as e:
        Forecaster().fit([1.0] * 30, future_covariates=None, past_covariates=None)
    assert str(e.value).count("GlobalForecaster reads them") == 1
    assert "'past_covariates' (as 'future_covariates')" in str(e.value)
