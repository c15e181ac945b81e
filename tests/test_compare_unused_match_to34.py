"""``CompareConfig(match_to=...)`` beside ``param_target=``: the target replaces the
reference's count, so match_to is not read. The command line refuses --match-to beside
--param-target saying it would change nothing; the Python route parsed match_to anyway
and refused an unknown one as an unknown model (a valid one was taken and ignored)."""

import pytest

from rnnlab.compare import CompareConfig
from rnnlab.io.errors import ConfigError


@pytest.mark.parametrize("match_to", ["nope", "dt-rnn:depht=2", "gru"])
def test_a_match_to_beside_param_target_is_refused_as_unused(match_to):
    with pytest.raises(ConfigError) as e:
        CompareConfig(models=("gru", "lstm"), match_params=True, param_target=5000,
                      match_to=match_to)
    said = str(e.value)
    assert (f"match_to (--match-to) {match_to!r} beside param_target (--param-target) 5000: "
            f"the target is the parameter count every model is matched to") in said
    assert "would change nothing" in said and "drop match_to" in said
    assert "unknown model" not in said


def test_the_default_reference_beside_param_target_and_match_to_alone_are_taken():
    assert CompareConfig(models=("gru",), match_params=True, param_target=5000).match_to \
        == "lstm"
    assert CompareConfig(models=("gru",), match_params=True, match_to="gru").match_to == "gru"
    with pytest.raises(ConfigError, match=r"match_to \(--match-to\): unknown model 'nope'"):
        CompareConfig(models=("gru",), match_params=True, match_to="nope")


def test_the_command_line_says_the_same_thing(capsys):
    from rnnlab.cli import main

    # (was: "unknown model 'nope'", read though unused; a known one: the flags' message)
    assert main(["compare", "--models", "gru", "--match-params", "--param-target", "5000",
                 "--match-to", "nope"]) == 2
    said = capsys.readouterr().err
    assert "--param-target" in said and "parameter count every model is matched to" in said
    assert "would change nothing" in said and "unknown model" not in said
