"""Session 28: rnnlab takes its options spelled in full. argparse took any unambiguous
prefix (``--epoch`` for ``--epochs``), so an abbreviation that worked was refused the day
an option with the same start came (``--ep`` once ``--eps`` did: "ambiguous option: --ep
could match --epochs, --eps", with no word of what either is). A prefix is refused now,
naming the options it starts, one line each with what it does."""

import argparse

import pytest

from rnnlab.cli import build_parser, main
from rnnlab.cli_prefixes import SHOWN, started_options
from rnnlab.cli_unknown import command_parser


def _command(words):
    parser = build_parser(words, lazy=True)
    args, _ = parser.parse_known_args(words)
    return command_parser(parser, args)


def _help_start(command, flag):
    action = command._option_string_actions[flag]
    return " ".join(command._get_formatter()._expand_help(action).split())[:30]


@pytest.mark.parametrize("words", [["forecast"], ["lm", "train"]])
def test_ep_names_epochs_and_eps_each_with_what_it_does(words, capsys):
    assert main([*words, "--ep", "5"]) == 2
    err = capsys.readouterr().err
    assert "ambiguous" not in err  # (argparse's "could match --epochs, --eps")
    assert "--ep is the start of 2 options; give one in full" in err
    command = _command(words)
    lines = err.splitlines()
    for flag in ("--epochs", "--eps"):
        line = next(line for line in lines if line.lstrip().startswith(flag + " "))
        assert _help_start(command, flag) in line  # what it does, on its one line


def test_a_prefix_of_one_option_is_refused_naming_it(capsys):
    # (was taken as --epochs: a command line that breaks when a --epoch-... is added)
    assert main(["forecast", "--data", "airline", "--epoch", "5"]) == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments: --epoch 5" in err
    assert "--epoch is the start of one option; give it in full" in err
    assert any(line.lstrip().startswith("--epochs ") for line in err.splitlines())


def test_no_parser_of_a_command_takes_abbreviations():
    for words in (["forecast"], ["lm", "train"], ["backtest"], ["recipe", "run"]):
        assert _command(words).allow_abbrev is False, words
        assert build_parser(words, lazy=True).allow_abbrev is False
    args, extra = build_parser(["forecast"], lazy=True).parse_known_args(
        ["forecast", "--epochs", "5", "--data", "x"])  # (in full: as before)
    assert (args.epochs, extra) == (5, [])


def test_a_short_prefix_lists_some_and_counts_the_rest():
    parser = argparse.ArgumentParser(prog="tool")
    for i in range(SHOWN + 3):
        parser.add_argument(f"--opt{i}", help=f"option number {i} " + "word " * 30)
    text = started_options(parser, "--op")
    lines = text.splitlines()
    assert lines[0].startswith(f"--op is the start of {SHOWN + 3} options")
    assert len(lines) == 1 + SHOWN + 1 and lines[-1] == "  ... and 3 more (`tool --help`)"
    assert all(len(line) < 100 for line in lines[1:])  # (one line each)
    assert started_options(parser, "--zz") == "" and started_options(parser, "--opt1") != ""


def test_python_m_rnnlab_bench_lists_the_options_a_prefix_starts(capsys):
    # (review: it said "unrecognized arguments: --rep 1" alone, under `python -m
    # rnnlab.bench [-h] {bench} ...`, where `rnnlab bench --rep 1` listed --repeats)
    from rnnlab.bench import cli as bench_cli

    with pytest.raises(SystemExit) as stop:
        bench_cli.main(["--rep", "1"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "python -m rnnlab.bench: error: unrecognized arguments: --rep 1" in err
    assert "--rep is the start of one option; give it in full" in err
    assert any(line.lstrip().startswith("--repeats ") for line in err.splitlines())
    assert "usage: python -m rnnlab.bench [-h]" in err and "{bench}" not in err


@pytest.mark.parametrize("words, value, option", [
    (["recipe", "run", "--prec", "32", "e4-sine"], "--prec 32", "--precision"),
    (["score", "--act", "actuals.csv", "forecast.csv"], "--act actuals.csv", "--actuals"),
    (["forecast", "--data", "airline", "--epoch=5"], "--epoch=5", "--epochs"),
])
def test_an_abbreviation_is_said_where_argparse_meets_another_error_first(
        words, value, option, capsys):
    # (review: argparse took the value after it for the command's argument, "argument
    # NAME: invalid choice: '32'", or missed the option it abbreviated, "the following
    # arguments are required: --actuals"; neither said the abbreviation was refused)
    assert main(words) == 2
    err = capsys.readouterr().err
    assert f"unrecognized arguments: {value}\n" in err
    assert f"{value.split()[0].split('=')[0]} is the start of one option" in err
    assert any(line.lstrip().startswith(option + " ") for line in err.splitlines())
    assert "invalid choice" not in err and "required" not in err


def test_a_word_after_a_bare_double_dash_is_no_abbreviation():
    from rnnlab.cli_prefixes import typed_abbreviations

    parser = build_parser(["forecast"], lazy=True)
    command, typed = typed_abbreviations(parser, ["forecast", "--data", "x", "--", "--ep"])
    assert command.prog.endswith("forecast") and typed == []
    command, typed = typed_abbreviations(parser, ["forecast", "--ep", "3", "--data", "x"])
    assert typed == ["--ep", "3"]


def test_the_bptt_demos_own_parser_takes_no_abbreviation_either():
    # (review: rnnlab.reference.demo.build_parser took --seq for --seq-len, where the
    # command `rnnlab bptt-demo` it stands for refuses it)
    from rnnlab.reference.demo import build_parser as demo_parser

    args, extra = demo_parser().parse_known_args(["--seq", "5"])
    assert extra == ["--seq", "5"] and args.seq_len == 100
    assert demo_parser().parse_args(["--seq-len", "5"]).seq_len == 5


@pytest.mark.parametrize("words, said", [
    (["--ep", "3", "forecast"], "unrecognized arguments: --ep 3\n"),
    (["--ep", "forecast"], "unrecognized arguments: --ep\n"),  # (forecast: the command)
    (["--ep", "3", "lm", "train"], "unrecognized arguments: --ep 3\n")])
def test_a_prefix_before_the_command_name_is_said_as_after_it(words, said, capsys):
    """`rnnlab --ep 3 forecast`: the lazy parser took '3' for the command, registered
    forecast's options for none, and argparse said "invalid choice: '3'"."""
    assert main(words) == 2
    err = capsys.readouterr().err
    assert "invalid choice" not in err
    assert said in err and "--ep is the start of 2 options; give one in full" in err
    lines = err.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("--ep is the start")))
    assert lines[start + 1].lstrip().startswith("--epochs ")


@pytest.mark.parametrize("words, typed", [
    (["train", "--data", "forecast"], "train"), (["generate", "--model", "lm"], "generate"),
    (["predict", "--run", "forecast"], "predict"), (["--ep", "3", "train"], "train")])
def test_a_nested_word_is_said_as_such_when_a_later_value_names_a_command(words, typed,
                                                                         capsys):
    """`rnnlab train --data forecast`: the command was taken to be 'forecast' (the first
    word naming one), the nested-command hint went unsaid and argparse answered
    "invalid choice: 'train'"."""
    assert main(words) == 2
    err = capsys.readouterr().err
    assert "invalid choice" not in err
    assert f"{typed!r} is not a command of its own: did you mean" in err


@pytest.mark.parametrize("words", [["--version"], ["-h"], ["-q", "--version"]])
def test_version_and_help_before_any_command_still_answer(words, capsys):
    assert main(words) == 0
    out = capsys.readouterr().out
    assert ("rnnlab " in out) if "--version" in words else ("COMMAND" in out)
