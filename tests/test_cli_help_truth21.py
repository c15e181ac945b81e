"""What each command's --help says is what the command does (the help-text audit of session
21): every default written "(default X)" is the parser's default (compare's: CompareConfig's),
every "{a,b}" list of compare is the words CompareConfig takes, and every example command in a
command's description parses. Parse only: nothing trains."""

import argparse
import dataclasses
import re
import shlex

import pytest

from rnnlab.cli import build_parser
from cli_parsers import all_parsers as _subparsers

COMMANDS = ("models", "bptt-demo", "lm", "forecast", "datasets", "bench", "compare", "recipes",
            "recipe", "backtest", "runs")


PARSERS = dict(_subparsers(build_parser()))


def _shown(value) -> str:
    """A default as --help writes it: yes/no, a list as typed."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return " ".join(map(str, value))
    return str(value)


def _compare_default(dest: str):
    from rnnlab.compare.config import CompareConfig

    name = "strategy" if dest == "forecast_strategy" else dest
    return {f.name: f.default for f in dataclasses.fields(CompareConfig)}[name]


@pytest.mark.parametrize("path", sorted(PARSERS), ids=lambda p: " ".join(p) or "rnnlab")
def test_each_default_the_help_writes_is_the_one_used(path):
    checked = 0
    for a in PARSERS[path]._actions:
        m = re.search(r"\(default ([^\s);:]+)[);:]", a.help or "")
        if not a.option_strings or not m:
            continue
        default = a.default
        if default is argparse.SUPPRESS and path == ("compare",):  # CompareConfig's field
            default = _compare_default(a.dest)
        if default is None:  # a "not given" parser default: the command resolves it itself
            continue
        assert m.group(1) == _shown(default).split(" ")[0], (path, a.option_strings, a.help)
        checked += 1
    assert checked or path not in {("forecast",), ("backtest",), ("compare",), ("lm", "train")}


@pytest.mark.parametrize("path", sorted(PARSERS), ids=lambda p: " ".join(p) or "rnnlab")
def test_a_list_default_is_shown_as_typed(path):
    # bptt-demo --help showed --configs' default as a Python list, "['rnn_tanh', 'rnn_relu',
    # ...]", which typed back is no option value
    text = " ".join(PARSERS[path].format_help().split())
    for a in PARSERS[path]._actions:
        default = a.default
        if default is argparse.SUPPRESS and path == ("compare",) and a.dest != "help":
            default = _compare_default(a.dest)
        if a.option_strings and isinstance(default, (list, tuple)) and default:
            assert _shown(default) in text, (path, a.option_strings)
            assert str(list(default)) not in text, (path, a.option_strings)


def _word_options():
    p = PARSERS[("compare",)]
    return [(a.option_strings[0], a.dest, a.metavar.strip("{}").split(","))
            for a in p._actions if a.metavar and a.metavar.startswith("{")]


@pytest.mark.parametrize("flag,dest,words", _word_options(),
                         ids=[f for f, _, _ in _word_options()])
def test_compare_help_lists_the_words_compare_takes(flag, dest, words):
    # compare --help said --forecast-strategy {direct,recursive}; seq2seq ran, and a typo
    # ('bogus') was taken until the ForecastConfig built after reading the data refused it
    from rnnlab.compare.config import CompareConfig
    from rnnlab.io.errors import ConfigError

    name = "strategy" if dest == "forecast_strategy" else dest
    extra = {"match_params": True} if name == "match_to" else {}
    extra.update({"models": ("dt-rnn",)} if name == "impl" else {})  # (read by a custom cell)
    for w in words:
        assert getattr(CompareConfig(**{name: w}, **extra), name) == w
    with pytest.raises(ConfigError, match=re.escape(flag)):
        CompareConfig(**{name: "bogus"}, **extra)


def test_compare_help_lists_every_forecasting_strategy():
    from rnnlab.forecast.config import STRATEGIES

    words = {d: w for _, d, w in _word_options()}
    assert tuple(words["forecast_strategy"]) == STRATEGIES


def _examples():
    """The command lines in each command's description and epilog: an indented line or the
    words after "Example:" that start with ``rnnlab``."""
    out = []
    for path, p in PARSERS.items():
        text = "\n".join(t for t in (p.description, p.epilog) if t).replace("\\\n", " ")
        for m in re.finditer(r"(?:^\s+|Example: )rnnlab ([^\n(]+)", text, flags=re.M):
            out.append((path, m.group(1).strip()))
    return out


@pytest.mark.parametrize("path,line", _examples(), ids=[" ".join(p) for p, _ in _examples()])
def test_each_example_in_a_commands_help_parses(path, line):
    argv = shlex.split(line)
    assert argv[0] in COMMANDS, line
    args = build_parser().parse_args(argv)  # an error exits 2 and fails the test
    assert hasattr(args, "func"), line


def test_the_help_shows_examples():
    assert len(_examples()) >= 10


def test_minutes_help_says_a_panel_splits_them_across_members():
    # `rnnlab forecast --data us_employment --minutes 1 --ensemble 3` gave the panel model 60 s
    # in all (20 s a member); --help said "per ensemble member"
    from rnnlab.panel.cli import panel_config

    argv = ["forecast", "--data", "us_employment", "--minutes", "1", "--ensemble", "3"]
    args = build_parser().parse_args(argv)
    args.given_options = {"data", "minutes", "ensemble"}
    assert panel_config(args, model="lstm", horizon=12).max_seconds == 60
    minutes = next(a for a in PARSERS[("forecast",)]._actions if "--minutes" in a.option_strings)
    assert "a panel: the whole fit's, split across the members" in minutes.help


def test_backtest_description_names_every_baseline_model():
    # its description named naive, seasonal_naive and ets as the baselines --model takes;
    # croston, sba and tsb run too
    from rnnlab.panel.baseline_names import BASELINE_NAMES

    text = PARSERS[("backtest",)].description
    assert all(f"`{name}`" in text for name in BASELINE_NAMES), text  # (--help's quotes)


def test_forecast_val_size_help_gives_the_default_tail_in_steps():
    # it said "room for `origins` forecasts": origins has no flag, so the number was unknown
    from rnnlab.forecast.config import ForecastConfig
    from rnnlab.forecast.selection import validation_span

    val = next(a for a in PARSERS[("forecast",)]._actions if "--val-size" in a.option_strings)
    text = " ".join(val.help.split())
    origins = ForecastConfig().origins
    assert f"room for {origins} forecasts" in text
    assert f"horizon + {origins - 1} * max(1, horizon // 4) steps" in text
    for horizon in (1, 7, 12, 24):
        assert validation_span(horizon, origins) == horizon + (origins - 1) * max(1, horizon // 4)


def test_lm_helps_quote_the_defaults_they_name():
    # lm train --prefix names the samples' default prefixes, lm generate --temperature the
    # API's own default: each written by hand in the help, so pinned to the code here
    import inspect

    from rnnlab import CharLM
    from rnnlab.lm.train_command import DEFAULT_PREFIXES

    def help_of(path, flag):
        return next(a.help for a in PARSERS[path]._actions if flag in a.option_strings)

    prefix = help_of(("lm", "train"), "--prefix")
    assert all(f"'{p}'" in prefix for p in DEFAULT_PREFIXES), prefix
    api = inspect.signature(CharLM.generate).parameters["temperature"].default
    assert f"CharLM.generate's default is {api}" in help_of(("lm", "generate"), "--temperature")


SHAPE_FLAGS = {"--depth": "depth", "--out-depth": "out_depth"}


@pytest.mark.parametrize("path", [("models",), ("forecast",), ("compare",), ("lm", "train")],
                         ids=" ".join)
def test_a_shape_options_help_names_every_model_that_reads_it(path):
    # forecast's, lm train's and compare's --out-depth said "dot-rnn", compare's --depth left
    # dots-rnn out: dots-rnn reads both (lm train may leave out the bidirectional models)
    from rnnlab.names import ARCHITECTURE_NAMES, SHAPE_READERS, is_bidirectional

    for a in PARSERS[path]._actions:
        option = next((SHAPE_READERS[n] for f, n in SHAPE_FLAGS.items() if f in a.option_strings),
                      None)
        named = set(re.findall(r"[a-z]+(?:-[a-z]+)+|\brnn\b", a.help or ""))
        if option is None or not named & set(ARCHITECTURE_NAMES):
            continue  # ("deep-transition models": no names to keep up to date)
        wanted = {m for m in option if not (path == ("lm", "train") and is_bidirectional(m))}
        assert wanted <= named, (path, a.option_strings, sorted(wanted - named))
