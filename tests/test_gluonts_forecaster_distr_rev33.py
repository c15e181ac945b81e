"""DeepAR's distr_output given to the one-series Forecaster names where a distribution's
draws are (review of session 33's gluon33): GlobalForecaster(distr_output=...) named its
likelihood=, the Forecaster said only "unknown setting" and the list of its fields, where
num_samples= beside it named GlobalForecaster's samples=."""

import pytest

from rnnlab.io.errors import ConfigTypeError


def test_distr_output_given_to_the_forecaster_names_its_quantiles_and_the_likelihood():
    from rnnlab.forecast import Forecaster

    with pytest.raises(ConfigTypeError) as e:
        Forecaster(distr_output="StudentTOutput()")
    said = str(e.value)
    assert "predict(h, quantiles=(0.1, 0.5, 0.9))" in said
    assert "GlobalForecaster(likelihood='studentt')" in said


def test_what_it_names_exists():
    """The likelihood it names is one GlobalForecaster takes, on one series too."""
    from rnnlab.panel import GlobalForecaster

    assert GlobalForecaster("lstm", likelihood="studentt").config.likelihood == "studentt"
