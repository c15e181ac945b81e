"""`rnnlab compare --models gru,lstm` (the comma list other options take) was refused as
"unknown model 'gru,lstm'" with the list of known models, both of which it named."""

import pytest

from rnnlab.io import ConfigError
from rnnlab.nn.architectures import get_architecture


def test_a_comma_joined_list_of_known_models_is_told_to_give_each_apart():
    with pytest.raises(ConfigError, match=r"names 2 models, joined by commas; give each as "
                                          r"its own name \(rnnlab compare --models gru lstm"):
        get_architecture("gru,lstm")


def test_cli_compare_says_how_to_pass_several_models(capsys):
    from rnnlab.cli import main
    assert main(["compare", "--data", "airline", "--models", "gru,lstm", "--epochs", "1"]) == 2
    assert "--models gru lstm" in capsys.readouterr().err


def test_a_misspelt_name_keeps_the_known_models_list():
    with pytest.raises(ConfigError, match="known models: rnn, "):
        get_architecture("gru,lstn")
