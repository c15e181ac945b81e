"""The reference of ``--match-to`` is refused in its own flag's words: a layer count it
cannot take or a bidirectional reference for a language model said "leave it out of
--models" or "compare unidirectional models", where it is not among the models."""

import pytest

from rnnlab.compare import CompareConfig
from rnnlab.compare.matching import check_networks
from rnnlab.io.errors import ConfigError


def test_a_reference_below_its_minimum_layers_names_match_to():
    cfg = CompareConfig(models=("lstm",), match_params=True, match_to="stacked-dt-rnn",
                        num_layers=1)
    with pytest.raises(ConfigError) as e:
        check_networks(cfg)
    said = str(e.value)
    assert "'stacked-dt-rnn' needs at least 2 layers" in said
    assert "out of --models" not in said
    assert "--match-to 'stacked-dt-rnn'" in said and "give another --match-to" in said


def test_a_compared_model_below_its_minimum_layers_still_says_models():
    cfg = CompareConfig(models=("stacked-dt-rnn", "lstm"), num_layers=1)
    with pytest.raises(ConfigError, match=r"or leave 'stacked-dt-rnn' out of --models$"):
        check_networks(cfg)


def test_a_bidirectional_reference_of_a_language_model_names_match_to():
    with pytest.raises(ConfigError, match=r"^CompareConfig: match_to \(--match-to\): model "
                                          r"'bilstm' is bidirectional.*give a "
                                          r"unidirectional --match-to"):
        CompareConfig(task="lm", models=("lstm",), match_params=True, match_to="bilstm")
    with pytest.raises(ConfigError, match=r"^CompareConfig: models \(--models\): model "
                                          r"'bigru' is bidirectional.*compare unidirectional"):
        CompareConfig(task="lm", models=("bigru", "lstm"))
