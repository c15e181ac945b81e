"""``GlobalForecaster().fit(panel, checkpoint_dir=..., resume=True)``, as the one-series
Forecaster's fit takes them, was Python's bare "unexpected keyword arguments
'checkpoint_dir'; 'resume'": a GlobalForecaster keeps no checkpoints (so there is no resume
on other data to check either); now the refusal says so and what does the rest."""

import pytest

from rnnlab.io.errors import ConfigTypeError
from rnnlab.panel import GlobalForecaster
from test_panel_train_options22 import TINY, _frame


def test_checkpoint_dir_and_resume_say_there_are_no_checkpoints(tmp_path):
    with pytest.raises(ConfigTypeError) as e:
        GlobalForecaster(**TINY).fit(_frame(), checkpoint_dir=tmp_path, resume=True)
    said = str(e.value)
    assert "'checkpoint_dir' (here: a GlobalForecaster keeps no training checkpoints" in said
    assert "Forecaster.fit(checkpoint_dir=..., resume=True) resumes" in said
    assert said.endswith("'resume' (as 'checkpoint_dir')")  # (the sentence said once)
    assert not any(tmp_path.iterdir())


def test_two_covariate_keywords_say_their_sentence_once():
    from rnnlab import Forecaster

    with pytest.raises(ConfigTypeError) as e:
        Forecaster().fit([1.0] * 30, future_covariates=None, past_covariates=None)
    assert str(e.value).count("GlobalForecaster reads them") == 1
    assert "'past_covariates' (as 'future_covariates')" in str(e.value)
