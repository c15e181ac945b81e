"""``rnnlab``: one entry point; each feature registers its own subcommand."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import List, Optional

from . import __version__
from .cli_command import command_name as _command_name, run_command as _run_command
from .cli_help_format import whole_words
from .cli_paths import expand_home, windows_path
from .cli_prefixes import spell_in_full, typed_abbreviations
from .cli_text import read_typed_text
from .quiet import add_quiet_option

# subcommand modules: each defines register(subparsers) and sets a `func` default
COMMAND_MODULES = [
    "rnnlab.models_cli",
    "rnnlab.reference.demo",
    "rnnlab.lm.cli",
    "rnnlab.forecast.cli",
    "rnnlab.data.datasets_cli",
    "rnnlab.bench.cli",
    "rnnlab.compare.cli",
    "rnnlab.panel.cli",
    "rnnlab.runs_cli",
    "rnnlab.score_cli",
]
# the commands a module registers and their one-line help, so that `rnnlab --help` and
# `rnnlab --version` answer without importing a command module; the module of the
# command typed is imported to parse it. None imports torch (seconds), nor numpy or pandas
# (about a second) but bptt-demo's (rnnlab.reference is NumPy's): a command imports them
# when it runs (tests/test_cli_help_imports.py). A module not listed
# here is imported every time (its commands then work all the same, only start-up is slower).
COMMANDS = {
    "models": ("rnnlab.models_cli", "list the architectures with their parameter counts"),
    "bptt-demo": ("rnnlab.reference.demo", "plot the vanishing/exploding gradient through time"),
    "lm": ("rnnlab.lm.cli", "character or word language models: train, prepare, generate, eval"),
    "forecast": ("rnnlab.forecast.cli",
                 "train, evaluate and forecast a series; write a run directory"),
    "datasets": ("rnnlab.data.datasets_cli", "list the built-in datasets"),
    "bench": ("rnnlab.bench.cli",
              "time forward and forward+backward of each architecture and path"),
    "compare": ("rnnlab.compare.cli", "compare architectures side by side on one dataset"),
    "recipes": ("rnnlab.compare.cli", "list the articles' experiments as runnable recipes"),
    "recipe": ("rnnlab.compare.cli", "run a recipe: rnnlab recipe run NAME"),
    "backtest": ("rnnlab.panel.cli", "rolling-origin backtest of a panel model and its "
                                     "baselines; write forecasts, metrics and plots"),
    "runs": ("rnnlab.runs_cli", "one row per run directory: options and metrics, as CSV"),
    "score": ("rnnlab.score_cli",
              "score an archived forecast against the actuals that arrived since"),
}

# words a user types as a command that are commands of a command (argparse answered
# "invalid choice: 'train'" and listed the top-level commands only)
NESTED = {"train": "`rnnlab lm train` (a language model) or `rnnlab forecast` (a series)",
          "generate": "`rnnlab lm generate`", "sample": "`rnnlab lm generate`",
          "eval": "`rnnlab lm eval`",
          "prepare": "`rnnlab lm prepare`", "run": "`rnnlab recipe run`"}
# the words of the forecasting libraries' APIs (NeuralForecast, Darts: fit, predict,
# cross_validation, historical_forecasts), and `panel` for the panel API's CLI
_PANEL = ("`rnnlab forecast --data FILE --id-column ID` (train on a panel and forecast it) "
          "or `rnnlab backtest` (rolling-origin evaluation)")
NESTED.update({"panel": _PANEL, "fit": NESTED["train"],
               "plot": "`rnnlab forecast` or `rnnlab backtest` (they write their plots into "
                       "--out: forecast.png, forecasts.png, ...; in Python, f.plot(path=...))",
               "predict": "`rnnlab forecast --run DIR` (forecast with a saved model)",
               **{w: "`rnnlab backtest` (rolling-origin cross-validation)"
                  for w in ("cross-validation", "cross_validation", "cv")},
               **{w: "`rnnlab backtest` (rolling-origin cross-validation, fitted at the "
                  "first origin), or a trained panel network's forecasts from every "
                  "cutoff: `rnnlab forecast ... --insample FILE.csv`"
                  for w in ("historical-forecasts", "historical_forecasts")}})


# what a newcomer runs first (`rnnlab --help` listed twelve commands and no example; each
# line here is parsed by tests/test_cli_help_truth21.py)
START_HERE = """start here:
  rnnlab datasets
      the built-in series, panels and text corpora
  rnnlab forecast --data airline --out runs/airline
      train, score against baselines and forecast; the files: rnnlab forecast --help
  rnnlab lm train --corpus time-machine --minutes 2 --out runs/tm
      a character-level language model
  rnnlab lm generate --run runs/tm --prefix "The "
      text from it
  rnnlab runs
      one row per run under runs/, as CSV

Each command's options and examples: rnnlab COMMAND --help."""


def _typed_command(argv: Optional[List[str]]) -> Optional[str]:
    """The command typed: the first word that names one, else the first that is no option
    (``rnnlab train``: a nested command's name, said as such). Not merely the first word
    that is no option: ``rnnlab --ep 3 forecast`` took '3' for it, left forecast's options
    unregistered, and its abbreviation was argparse's "invalid choice: '3'". A nested
    command's word counts as a command's: ``rnnlab train --data forecast`` is ``train``
    (said as such), not the option's value ``forecast``."""
    words = [a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")]
    return next((a for a in words if a in COMMANDS or a in NESTED), next(iter(words), None))


def build_parser(argv: Optional[List[str]] = None, lazy: bool = False) -> argparse.ArgumentParser:
    """The whole parser; with ``lazy``, only the command typed in ``argv`` (its first
    word) is imported and registered, every other command is a placeholder with its help."""
    from .cli_command_typos import Parser  # (an option's word typed a letter off: named)

    parser = Parser(
        prog="rnnlab", description="Recurrent neural networks: forecasting, language models, "
                                   "comparisons and benchmarks.",
        epilog=START_HERE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"rnnlab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    typed = _typed_command(argv)
    for name in COMMAND_MODULES:
        listed = [c for c, (module, _) in COMMANDS.items() if module == name]
        if lazy and listed and typed not in listed:
            for c in listed:
                sub.add_parser(c, help=COMMANDS[c][1], add_help=False)
        else:
            importlib.import_module(name).register(sub)
    add_quiet_option(parser)  # (-q on every command: rnnlab.quiet)
    _show_defaults(parser)
    _single_quotes(parser)
    whole_words(parser)  # (no name cut in two: rnnlab.cli_help_format)
    spell_in_full(parser)  # (no abbreviations: rnnlab.cli_prefixes)
    return parser


def _show_defaults(parser: argparse.ArgumentParser) -> None:
    """Every option with a value and no help of its own shows its default in --help."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for p in action.choices.values():
                _show_defaults(p)
        elif (action.option_strings and action.help is None and action.default is not None
              and action.default is not argparse.SUPPRESS and action.nargs != 0):
            action.help = f"(default {action.default})"


def _single_quotes(parser: argparse.ArgumentParser) -> None:
    """A description written as its module's docstring quotes code as reST does
    (````rnnlab forecast````); --help shows it as the rest of the help does, `rnnlab forecast`
    (forecast's, compare's and backtest's --help read ````--out````)."""
    parser.description, parser.epilog = (t.replace("``", "`") if t else t
                                          for t in (parser.description, parser.epilog))
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for p in action.choices.values():
                _single_quotes(p)


def given_options(argv: Optional[List[str]]) -> frozenset:
    """The dests of the options typed on this command line, whatever their values (a
    resumed run takes a runtime option given anew even when it equals the default)."""
    parser = build_parser(argv, lazy=True)
    pending, untyped = [parser], set()
    while pending:  # every parser and subparser: no defaults, so only typed options remain
        p = pending.pop()
        p._defaults.clear()
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                pending.extend(action.choices.values())
            elif action.dest not in ("command", "lm_command", "recipe_command") and not (
                    action.choices and not action.option_strings):  # (recipe run's
                action.default = argparse.SUPPRESS  # NAME, left out: SUPPRESS no choice)
            elif not action.option_strings and action.default is None:
                untyped.add(action.dest)  # (NAME left out: None, so a --config gives it)
    try:
        typed = vars(parser.parse_args(argv))
    except SystemExit:  # (the real parse has already accepted this command line)
        return frozenset()
    return frozenset(k for k, v in typed.items() if not (k in untyped and v is None))


def main(argv: Optional[List[str]] = None) -> int:
    """Run ``rnnlab`` on ``argv`` (default ``sys.argv[1:]``) and return its exit status, for
    every outcome the command line has one for: 0, 2 for a usage error (argparse's refusals,
    whose SystemExit was raised out of here, included), 1, 3, 130, 143, 141 (README, "Files
    and safety"); ``--help`` and ``--version`` print and return 0. An exception raised out of
    here is a defect of rnnlab (the ``rnnlab`` command prints it and exits with 70)."""
    from .io.text_streams import tolerant_output_while

    argv = _as_argv(argv)
    with tolerant_output_while():  # (a cp1252 or ASCII console: escapes, not UnicodeEncodeError)
        try:
            return _main(argv)
        except SystemExit as e:  # (argparse's exits: a script calling main() gets a status)
            return _exit_status(e)


def _as_argv(argv) -> Optional[List[str]]:
    """``argv`` as the strings a command line holds: a path (``Path``, bytes) as its
    ``os.fspath``, as ``subprocess.run`` takes it; a string or a number is refused, naming
    the call meant (argparse raised "'PosixPath' object is not subscriptable")."""
    import os

    if argv is None:
        return None
    if isinstance(argv, (str, bytes)):
        raise TypeError(f"main() takes the command line as a list of strings, got "
                        f"{type(argv).__name__} {argv[:40]!r}: main(shlex.split(...)) or "
                        f"main(['forecast', '--data', 'x.csv'])")
    words = []
    for word in argv:
        if not isinstance(word, (str, bytes, os.PathLike)):
            raise TypeError(f"main() takes the command line as strings (or paths), got "
                            f"{type(word).__name__} {word!r}: pass str({word!r})")
        words.append(os.fsdecode(word))
    return words


def _exit_status(e: SystemExit) -> int:
    """The status ``sys.exit`` would have exited with (its message printed, as it would)."""
    if e.code is None or isinstance(e.code, int):
        return int(e.code or 0)
    print(e.code, file=sys.stderr)
    return 1


def _main(argv: Optional[List[str]]) -> int:
    typed = _typed_command(argv)
    if typed in NESTED and typed not in COMMANDS:
        print(f"rnnlab: error: {typed!r} is not a command of its own: did you mean "
              f"{NESTED[typed]}? (`rnnlab --help` lists the commands)", file=sys.stderr)
        return 2
    try:
        parser, args = _parse(argv)
    except KeyboardInterrupt as e:  # Ctrl-C (SIGTERM) while the commands import: nothing
        from .io.terminate import Terminated  # started yet

        what = "terminated (SIGTERM)" if isinstance(e, Terminated) else "interrupted"
        print(f"\nrnnlab: {what} before the command started", file=sys.stderr)
        return 143 if isinstance(e, Terminated) else 130
    quiet = bool(vars(args).pop("quiet", False))  # (how it speaks: no option of its run)
    args.given_options = given_options(argv) - {"quiet"}
    read_typed_text(args)  # (`LC_ALL=C PYTHONUTF8=0`: a typed "año" arrives as surrogates)
    if hasattr(args, "config"):
        from .config_option import config_step  # (--config FILE: options from a file)

        code = config_step(parser, args, _command_name(args))
        if code is not None:
            return code
    empty = expand_home(args)
    if empty:
        print(f"rnnlab {args.command}: error: --{empty.replace('_', '-')} is empty (an unset "
              f"shell variable?); give a file or folder path", file=sys.stderr)
        return 2
    from .io.nested_run import nested_out_refusal
    from .io.stdin_input import stdin_refusal

    refused = windows_path(args) or stdin_refusal(args) or nested_out_refusal(args)
    if refused:
        print(f"rnnlab {_command_name(args)}: error: {refused}", file=sys.stderr)
        return 2
    if not getattr(args, "func", None):  # no command: a usage error, its help on stderr
        parser.print_help(sys.stderr)
        return 2
    return _run_command(args, argv, quiet)


def _parse(argv: Optional[List[str]]):
    """(the parser, the options parsed): :func:`parse_refusing_unknown`; a command typed a
    letter or two off is refused naming the one meant (:mod:`rnnlab.cli_command_typos`)."""
    from .cli_command_typos import command_typo

    parser = build_parser(argv, lazy=True)
    typo = command_typo(parser, list(sys.argv[1:] if argv is None else argv), NESTED)
    if typo:  # (`rnnlab forcast`: the command meant, not argparse's list of choices)
        parser.exit(2, typo + "\n")
    return parser, parse_refusing_unknown(parser, argv)


def parse_refusing_unknown(parser: argparse.ArgumentParser, argv: Optional[List[str]]):
    """``parser.parse_args(argv)``, but an option the command typed does not take is
    refused by that command's parser (exit status 2) naming the options meant, those it
    starts (an abbreviation: :mod:`rnnlab.cli_prefixes`) one line each; an abbreviation
    before argparse reads the line (:func:`~rnnlab.cli_prefixes.typed_abbreviations`)."""
    words = list(sys.argv[1:] if argv is None else argv)
    command, typed = typed_abbreviations(parser, words)
    if typed:
        from .cli_unknown import unknown_options_message

        command.error(unknown_options_message(command, typed))
    args, extra = parser.parse_known_args(words)
    if extra:  # refused by the command typed, naming the options meant
        from .cli_unknown import command_parser, unknown_options_message

        command = command_parser(parser, args)
        command.error(unknown_options_message(command, extra, args))
    return args


if __name__ == "__main__":
    sys.exit(main())
