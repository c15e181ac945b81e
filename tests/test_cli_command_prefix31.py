"""A command typed short (`rnnlab data` for `rnnlab datasets`, `rnnlab back` for `rnnlab
backtest`) got argparse's "invalid choice: 'data' (choose from ...)": difflib's ratio of
'data' to 'datasets' is 0.67, under the cut-off for a letter off. The start of exactly one
command is named as that command; `rnnlab plot`, a word of Darts' and NeuralForecast's
users, names the commands that write plots."""

import pytest

from rnnlab.cli import main


@pytest.mark.parametrize("argv, meant", [
    (["data"], "did you mean `rnnlab datasets`?"),
    (["back", "--data", "visnights"], "did you mean `rnnlab backtest`?"),
    (["fore", "--data", "airline"], "did you mean `rnnlab forecast`?"),
    (["lm", "gen", "--run", "r"], "did you mean `rnnlab lm generate`?"),
    (["plot"], "`rnnlab forecast` or `rnnlab backtest` (they write their plots"),
])
def test_the_start_of_one_command_names_it(argv, meant, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert meant in err and "is not a command" in err and "invalid choice" not in err


@pytest.mark.parametrize("argv", [["re"], ["r"], ["lm", "xy"]])
def test_a_start_shared_by_several_commands_or_too_short_is_left_to_argparse(argv, capsys):
    main(argv)  # 're': recipe, recipes; 'r': runs, recipe, ...
    assert "did you mean `rnnlab" not in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["rec"], ["pre"]])
def test_a_start_of_three_letters_or_more_shared_by_two_commands_names_neither(argv, capsys):
    """The cases above are all under three letters, where the start is not read at all:
    'rec' starts `rnnlab recipe` and `rnnlab recipes`, 'pre' `rnnlab lm prepare` and
    `rnnlab forecast --run DIR` (predict): neither is guessed, and nothing is run."""
    assert main(argv) == 2
    assert "did you mean `rnnlab" not in capsys.readouterr().err


def test_the_readme_says_a_short_command_is_refused_naming_the_one_meant(capsys):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    said = " ".join(readme[readme.index("Commands are spelled in full"):].split()[:60])
    short, typo, meant = re.search(r"\(`rnnlab (\w+)`, `rnnlab (\w+)`\) is not run, but "
                                   r"refused \(exit status 2\) naming the one meant \(did "
                                   r"you mean (`rnnlab \w+`)\?\)", said).groups()
    for word in (short, typo):
        assert main([word]) == 2
    err = capsys.readouterr().err
    assert err.count(f"did you mean {meant}?") == 1 and "did you mean `rnnlab forecast`" in err
    shared = re.search(r"a start of two commands \(`rnnlab (\w+)`", said).group(1)
    assert main([shared]) == 2 and "did you mean" not in capsys.readouterr().err
