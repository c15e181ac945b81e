"""Frictions a newcomer met following README (session 29): a command typed a letter off,
a dataset or corpus name typed a letter off, the first commands to run."""

import pytest

from rnnlab.cli import main


@pytest.mark.parametrize("argv, meant", [
    # before: "invalid choice: 'forcast' (choose from 'models', 'bptt-demo', ...)"
    (["forcast", "--data", "airline"], "did you mean `rnnlab forecast`?"),
    (["Forecast"], "did you mean `rnnlab forecast`?"),
    (["lm", "trian", "--corpus", "time-machine"], "did you mean `rnnlab lm train`?"),
    (["lm", "-q", "genrate", "--run", "r"], "did you mean `rnnlab lm generate`?"),
    (["recipe", "rn", "x"], "did you mean `rnnlab recipe run`?"),
    # a command of a command, typed a letter off at the top level
    (["trian"], "did you mean `rnnlab lm train` (a language model) or `rnnlab forecast`"),
    (["genrate", "--run", "r"], "did you mean `rnnlab lm generate`?"),
    # was taken for `rnnlab recipe` (a cutoff of 0.6)
    (["predcit"], "did you mean `rnnlab forecast --run DIR`"),
])
def test_a_command_typed_a_letter_off_names_the_one_meant(argv, meant, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert meant in err and "is not a command" in err


@pytest.mark.parametrize("argv", [["xyzzy"], ["--ep", "3", "forecast", "--help"]])
def test_a_word_near_no_command_is_left_to_argparse(argv, capsys):
    # nothing close: argparse's own answer (a list of choices, or the option's)
    main(argv)
    assert "did you mean `rnnlab" not in capsys.readouterr().err


@pytest.mark.parametrize("typed, meant", [("airlines", "airline"), ("visnight", "visnights")])
def test_a_dataset_typed_a_letter_off_names_the_one_meant(typed, meant):
    from rnnlab.data.datasets import resolve_data
    from rnnlab.io.errors import DataError

    # before: "'airlines' is neither a built-in dataset (airline, sine, dji), ..." alone
    with pytest.raises(DataError, match=f"did you mean '{meant}'"):
        resolve_data(typed)


@pytest.mark.parametrize("typed, meant", [("timemachine", "time-machine"),
                                          ("shakespear", "shakespeare")])
def test_a_corpus_typed_a_letter_off_names_the_one_meant(typed, meant):
    from rnnlab.data.text import load_corpus
    from rnnlab.io.errors import DataError

    with pytest.raises(DataError, match=f"did you mean '{meant}'"):
        load_corpus(typed)


def test_a_name_near_nothing_gets_no_guess():
    from rnnlab.data.datasets import resolve_data
    from rnnlab.io.errors import DataError

    with pytest.raises(DataError) as e:
        resolve_data("nosuch")
    assert "did you mean" not in str(e.value)


def test_rnnlab_help_says_what_to_run_first(capsys):
    # before: twelve commands listed and no example of any; these must parse as written
    import shlex

    from rnnlab.cli import build_parser

    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    lines = [ln.strip() for ln in out.split("start here:")[1].splitlines()
             if ln.startswith("  rnnlab ")]
    commands = [shlex.split(ln)[1:] for ln in lines]
    assert {"datasets", "forecast", "lm", "runs"} <= {c[0] for c in commands}
    for argv in commands:
        assert hasattr(build_parser().parse_args(argv), "func"), argv


def test_no_help_quotes_code_in_rest_double_backquotes():
    # forecast's --help began "``rnnlab forecast``: train, ..." (its module docstring's reST)
    from cli_parsers import all_parsers

    from rnnlab.cli import build_parser

    for path, p in all_parsers(build_parser()):
        for text in (p.description, p.epilog):
            assert "``" not in (text or ""), (path, text[:80])


def test_the_forecast_table_says_what_its_rows_and_mase_are():
    # before: rows "model" and "network" side by side, MASE, and no word on either
    from pathlib import Path

    from rnnlab.forecast.report import format_metrics

    row = dict(rmse=1.0, mae=1.0, mape=1.0, smape=1.0, mase=0.5)
    ev = {"test_size": 12, "forecast": {"model": row, "network": row}}
    text = format_metrics(ev, Path("runs/x"))
    said = " ".join(text.splitlines()[4:])
    assert "model: the choice" in said and "network: the network alone" in said
    assert "MASE: MAE over" in said and "forecast.csv" in said


@pytest.mark.parametrize("typed, meant", [("lstn", "lstm"), ("dtrnn", "dt-rnn"),
                                          ("LSTM", "lstm")])
def test_a_model_typed_a_letter_off_names_the_one_meant(typed, meant):
    # before: "unknown model 'lstn'; known models: rnn, drnn, ..." and two lines on plugins
    from rnnlab.io.errors import ConfigError
    from rnnlab.nn.architectures import get_architecture

    with pytest.raises(ConfigError, match=f"'{meant}'"):
        get_architecture(typed)


@pytest.mark.parametrize("argv, meant", [
    # before: "invalid choice: 'nework' (choose from 'auto', 'seasonal_naive', ...)" alone
    (["forecast", "--select", "nework"], "; did you mean 'network'?"),
    (["forecast", "--optimizer", "Adam"], "; did you mean 'adam'?"),
    (["lm", "train", "--level", "chars"], "; did you mean 'char'?"),
])
def test_an_options_word_typed_a_letter_off_names_the_one_meant(argv, meant, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "invalid choice" in err and meant in err


def test_an_options_word_near_nothing_gets_no_guess(capsys):
    assert main(["forecast", "--scaler", "xx"]) == 2
    assert "did you mean" not in capsys.readouterr().err


def test_forecast_help_ends_with_examples(capsys):
    # before: 200 lines of options and no command line to copy
    assert main(["forecast", "--help"]) == 0
    tail = capsys.readouterr().out.split("examples:")[-1]
    assert sum(ln.startswith("  rnnlab forecast --") for ln in tail.splitlines()) >= 3


def _lm_summary(capsys, val_bpc):
    from pathlib import Path
    from types import SimpleNamespace

    from rnnlab.lm.run_report import print_summary

    info = dict(epochs=1, train_seconds=12.0, best_epoch=1, stopped_by="time budget",
                world_size=1, path="fused")
    lm = SimpleNamespace(info=info, baselines={"unigram": 4.44, "bigram": 3.49,
                                               "trigram": 2.84})
    print_summary(Path("runs/tm"), lm, "char", (val_bpc, None), {}, 0.0)
    return capsys.readouterr().out


def test_lm_train_says_why_a_model_is_behind_its_baselines(capsys):
    # before: "model 5.873 ... unigram 4.440" after a few seconds' training, and no word
    out = _lm_summary(capsys, 5.873)
    assert "note: the model is behind the trigram baseline" in out and "--minutes" in out
    assert "behind" not in _lm_summary(capsys, 2.1)  # ahead of every baseline: nothing said


def _undefined_names(code: str) -> set:
    """The names a block reads but neither imports nor assigns (nor are builtins)."""
    import ast
    import builtins

    tree = ast.parse(code)
    defined = set(dir(builtins))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            defined |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
    return {n.id for n in ast.walk(tree)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - defined


@pytest.mark.parametrize("heading", ["## The recurrent core", "## Forecasting",
                                     "## Character-level language models",
                                     "## Training a model of your own"])
def test_readme_first_blocks_define_every_name_they_use(heading):
    # the Forecasting block called f.predict(12, history=newer_df) with newer_df defined
    # nowhere: pasted into Python it raised NameError after the whole fit
    from test_docs_snippets import python_blocks

    blocks = [code for h, code in python_blocks("README.md") if h == heading]
    assert blocks, heading
    for code in blocks:
        assert not _undefined_names(code), (heading, code[:60])


def test_no_help_cuts_a_word_in_two(monkeypatch):
    # bptt-demo's --configs read "...,hh_init=id" / "entity]": a word longer than the help
    # column is cut by argparse wherever the column ends
    from cli_parsers import all_parsers

    from rnnlab.cli import build_parser

    monkeypatch.setenv("COLUMNS", "80")
    cut = []
    for path, p in all_parsers(build_parser()):
        shown = set(p.format_help().split())
        for action in p._actions:
            cut += [(path, w) for w in (action.help or "").split()
                    if "%" not in w and len(w) > 20 and w not in shown]
    assert not cut, cut


@pytest.mark.parametrize("freq, period, words", [("MS", 12, "monthly steps, 12 per year"),
                                                 ("QS-OCT", 4, "quarterly steps, 4 per year"),
                                                 ("D", 7, "daily steps, 7 per week")])
def test_the_period_line_says_the_calendar_in_words(freq, period, words):
    # before: "seasonal period: 12 (from the dates' 'MS' calendar; ...)": pandas' code alone
    from types import SimpleNamespace

    from rnnlab.forecast.period_line import period_line

    f = SimpleNamespace(period=period, config=SimpleNamespace(period=None),
                        series=SimpleNamespace(freq=freq, index=None))
    assert words in period_line(f)


def test_a_multiple_or_given_period_gets_no_words():
    from types import SimpleNamespace

    from rnnlab.forecast.period_line import period_line

    for freq, period, given in (("2h", 12, None), ("MS", 6, 6)):
        f = SimpleNamespace(period=period, config=SimpleNamespace(period=given),
                            series=SimpleNamespace(freq=freq, index=None))
        assert " steps, " not in period_line(f)


@pytest.mark.parametrize("argv", [["--help", "forcast"], ["--version", "forcast"],
                                  ["lm", "--help", "trian"], ["-h", "Forecast"]])
def test_help_or_version_before_a_typo_still_exits_0(argv, capsys):
    """argparse acts on --help and --version where they stand: `rnnlab --help forcast`
    printed the help and exited 0 before the did-you-mean (it exited 2 with the guess)."""
    assert main(argv) == 0
    assert "did you mean" not in capsys.readouterr().err


def test_lm_train_says_nothing_behind_where_the_table_shows_a_tie(capsys):
    """The table prints 3 decimals: a model 2.8404 beside a trigram 2.8401 reads 2.840
    twice, and the note called it behind (it compared the unrounded bits)."""
    out = _lm_summary(capsys, 2.8404)
    assert out.count("2.840 ") == 3 and "behind" not in out  # (validation line, two rows)
    assert "behind the trigram" in _lm_summary(capsys, 2.8411)  # 2.841: behind, said


@pytest.mark.parametrize("typed", ["corpora/time-machine", "data/shakespeare",
                                   "C:\\texts\\shakespear"])
def test_a_missing_corpus_path_gets_no_builtin_guess(typed):
    """A path with a folder names the user's own file, which is missing: "did you mean
    'time-machine'?" guessed a built-in corpus for it (as resolve_data's paths get none)."""
    from rnnlab.data.text import load_corpus
    from rnnlab.io.errors import DataError

    with pytest.raises(DataError) as e:
        load_corpus(typed)
    assert "did you mean" not in str(e.value) and "neither a built-in corpus" in str(e.value)
