"""The docs' code as a new user runs it: README.md's and docs/*.md's Python blocks compile
and their rnnlab imports resolve, the quick README blocks run as written, what their
comments say a call returns is what it returns, and every option with a default says it
in --help (the docs drift sweep of session 15)."""

import argparse
import re
import shlex
from pathlib import Path

import pytest
from cli_parsers import all_parsers as _subparsers

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("README.md", "docs/panels.md", "docs/articles.md", "docs/bptt.md", "BENCHMARKS.md",
        "docs/keras.md")


def python_blocks(doc: str):
    """The ```python blocks of ``doc``, in order, with the heading each sits under."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    out, heading = [], ""
    # a fenced block (of any language: its comments are not headings) or a heading line
    for m in re.finditer(r"^```(\w*)\n(.*?)^```|^(#+ [^\n]*)$", text, flags=re.M | re.S):
        if m.group(3):
            heading = m.group(3)
        elif m.group(1) == "python":
            out.append((heading, m.group(2)))
    return out


def readme_block(heading: str) -> str:
    found = [code for h, code in python_blocks("README.md") if h == heading]
    assert len(found) == 1, f"README.md: one python block under {heading!r}, got {len(found)}"
    return found[0]


def test_every_python_block_in_the_docs_compiles_and_its_rnnlab_imports_resolve():
    seen = 0
    for doc in DOCS:
        for heading, code in python_blocks(doc):
            compile(code, f"{doc} ({heading})", "exec")
            for line in code.splitlines():
                if re.match(r"\s*(from rnnlab[\w.]* import |import rnnlab)", line):
                    exec(line.split("#")[0].strip(), {})
                    seen += 1
    assert seen >= 8


def test_readme_recurrent_core_block_runs_as_written():
    import torch

    ns: dict = {}
    exec(readme_block("## The recurrent core"), ns)
    assert ns["out"].shape == (4, 10, 32) and ns["h"].shape == (2, 4, 32)
    x = torch.randn(4, 10, 8)
    ns["ref"].load_state_dict(ns["lstm"].state_dict())  # the same weights, step by step
    torch.testing.assert_close(ns["ref"](x)[0], ns["lstm"](x)[0], rtol=1e-4, atol=1e-5)


def test_readme_names_every_row_and_column_of_evaluate():
    # it named model, seasonal_naive, naive, drift, linear_ar x RMSE, MAE, MAPE, sMAPE, MASE:
    # evaluate() also gives network, linear_ar0, arma and mse
    from rnnlab.forecast.evaluation import COLUMNS, ORDER

    code = readme_block("## Forecasting")
    comment = code.split("# a DataFrame:")[1].split("(ev[")[0]
    named = re.findall(r"[a-z_0-9]+", comment.replace("#", " "))
    assert named == list(ORDER) + list(COLUMNS)


def test_covariate_options_in_the_docs_backtests_go_to_a_model_that_reads_them():
    # README's "your own table" backtest passed --future-covariates to the default --model,
    # seasonal_naive, which does not read them: the run forecast without the covariates
    from rnnlab.panel.baselines import BASELINES

    seen = 0
    for doc in ("README.md", "docs/panels.md"):
        text = (ROOT / doc).read_text(encoding="utf-8").replace("\\\n", " ")
        for cmd in re.findall(r"rnnlab backtest [^\n`]*", text):
            if re.search(r"--(future|past|static)-covariates|--calendar ", cmd):
                model = re.search(r"--model (\S+)", cmd)
                assert model and model.group(1) not in BASELINES, f"{doc}: {cmd}"
                seen += 1
    assert seen >= 1


def test_every_option_with_a_default_states_it_in_help():
    # rnnlab backtest's --baselines, --refit, --threads and --plot-series, lm train's
    # --corpus, and --num-nodes / --precision of every training command did not say theirs
    from rnnlab.cli import build_parser

    quiet = (argparse._HelpAction, argparse._StoreTrueAction, argparse._StoreFalseAction,
             argparse._SubParsersAction, argparse._VersionAction)
    missing, checked = [], 0
    for path, p in _subparsers(build_parser()):
        for a in p._actions:
            if isinstance(a, quiet) or not a.option_strings or a.nargs == "?":
                continue  # (--resume [RUN_DIR]: a switch with an optional value)
            if a.default in (None, argparse.SUPPRESS):
                continue
            checked += 1
            if "default" not in (a.help or "").lower():
                missing.append(f"rnnlab {' '.join(path)} {a.option_strings[0]}")
    assert checked > 100 and not missing, missing


def test_data_help_says_a_builtin_panel_is_taken():
    # README: `rnnlab forecast --data us_employment`, `rnnlab backtest --data us_employment`;
    # backtest's help said "long CSV", forecast's "built-in dataset" (the one-series ones)
    from rnnlab.cli import build_parser

    parsers = dict(_subparsers(build_parser()))
    helps = {cmd: next(a for a in parsers[(cmd,)]._actions if "--data" in a.option_strings).help
             for cmd in ("backtest", "forecast")}
    assert "us_employment" in helps["backtest"] and "rnnlab datasets" in helps["backtest"]
    assert "panel" in helps["forecast"] and "rnnlab datasets" in helps["forecast"]


@pytest.mark.slow
def test_readme_forecasting_block_runs_as_written(tmp_path, monkeypatch):
    # (the block makes its own `newer` now: nothing is passed in, as a reader pastes it)
    monkeypatch.chdir(tmp_path)  # f.save("airline-model") writes into the working directory
    ns: dict = {}
    exec(readme_block("## Forecasting"), ns)
    assert "newer" in ns  # (its last lines ran)
    ev = ns["ev"]
    assert list(ev.index) == ["model", "network", "seasonal_naive", "naive", "drift",
                              "linear_ar", "linear_ar0", "arma"]
    for key in ("one_step", "by_step", "predictions"):
        assert isinstance(ev[key], dict)
    assert "actual" in ev.forecasts.columns
    fc = ns["f"].predict(12)
    assert str(fc.index[0])[:7] == "1961-01" and str(fc.index[-1])[:7] == "1961-12"
    assert (tmp_path / "airline-model").is_dir()


def test_panel_forecast_refuses_device_flags_without_naming_an_untyped_option(capsys):
    # README: the panel forecast refuses the device flags rather than ignore them; for a
    # built-in panel the message named --id-column, which was never typed
    from rnnlab.cli import main

    assert main(["forecast", "--data", "us_employment", "--devices", "2"]) != 0
    err = capsys.readouterr().err
    assert "cannot honour --devices 2" in err and "--id-column" not in err


def _shell_commands(doc: str, inline: bool = True):
    """Every `rnnlab ...` command of ``doc``: inline code (which may wrap a line; not with
    ``inline=False``) and the lines of fenced blocks (a line ending in a backslash joined
    to the next; `torchrun ... -m rnnlab.cli ARGS` as `rnnlab ARGS`), with a comment after
    '#' cut off."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    found = [" ".join(m.split()) for m in re.findall(r"`(rnnlab [^`]+)`", text)] if inline else []
    for lang, block in re.findall(r"^ *```(\w*)\n(.*?)^ *```", text, flags=re.M | re.S):
        if lang == "python":
            continue
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"^# or:\s*", "", line.strip())  # an alternative, given as a comment
            line = re.sub(r"^.*\s-m rnnlab(\.cli)? ", "rnnlab ", line)
            if line.startswith("rnnlab "):
                found.append(re.split(r"#| {2,}\(", line)[0].strip())
    return found


@pytest.mark.parametrize("doc, inline", [("docs/articles.md", True), ("docs/bptt.md", True),
                                         ("README.md", False), ("docs/panels.md", False),
                                         ("benchmarks/SCALING.md", False)])
def test_every_rnnlab_command_in_the_docs_parses(doc, inline, capsys):
    # what a reader types from these pages: each command and option exists as written
    # (NAME is a recipe name, DIR a folder); nothing is run. README's and panels.md's
    # inline code names commands in part (`rnnlab backtest`, `--run DIR`): their fenced
    # blocks only, which no test read
    from rnnlab.cli import build_parser

    commands = _shell_commands(doc, inline)
    assert commands
    for command in commands:
        argv = shlex.split(command.replace("NAME", "e2-lookback2-lstm").replace("DIR", "out"))[1:]
        try:
            build_parser().parse_args(argv)
        except SystemExit as e:
            pytest.fail(f"{doc}: `{command}` does not parse ({e.code}): "
                        f"{capsys.readouterr().err.strip()}")


def _one_epoch_global_forecaster(monkeypatch):
    """``from rnnlab.panel import GlobalForecaster`` gives the docs' model trained for one
    epoch (their settings otherwise), so a block runs in seconds."""
    import rnnlab.panel
    from rnnlab.panel import GlobalForecaster

    class Quick(GlobalForecaster):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs if "config" in kwargs else {**kwargs, "epochs": 1})

    monkeypatch.setattr(rnnlab.panel, "GlobalForecaster", Quick)


@pytest.mark.slow
def test_readme_panels_block_runs_as_written(tmp_path, monkeypatch):
    # it backtested `df`, the table with store/week/units columns read by
    # read_panel(df, id_column="store", ...) two lines above: a DataError (no id column);
    # then it read df, future_df and sales.csv, made nowhere: it is run now as pasted
    # (session 30 review) it wrote elecdaily.csv into the working directory, replacing a
    # user's file of that name: it writes into a fresh temporary folder now
    import tempfile

    _one_epoch_global_forecaster(monkeypatch)
    monkeypatch.chdir(tmp_path)  # elec-model written in the working directory
    (tmp_path / "temp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    mine = tmp_path / "elecdaily.csv"
    mine.write_text("a user's own file\n", encoding="utf-8")
    ns: dict = {}
    exec(readme_block("## Panels"), ns)
    assert mine.read_text(encoding="utf-8") == "a user's own file\n"
    assert Path(ns["csv"]).parent.parent == tmp_path / "temp" and Path(ns["csv"]).is_file()
    assert (tmp_path / "elec-model").is_dir()
    fc = ns["f"].predict(14, future_covariates=ns["future_df"])
    assert list(fc.columns) == ["unique_id", "ds", "step", "mean", "q0.1", "q0.5", "q0.9"]
    assert len(fc) == 14


def test_every_docstring_example_runs():
    # the `>>>` examples in rnnlab's docstrings (rnnlab.reference's module docstring, the
    # DT-RNN cell's, CharLM's) were run by no test: a renamed argument would go unseen
    import doctest
    import importlib

    src = ROOT / "src"
    modules = sorted(".".join(p.relative_to(src).with_suffix("").parts).replace(".__init__", "")
                     for p in (src / "rnnlab").rglob("*.py") if ">>>" in p.read_text("utf-8"))
    assert len(modules) >= 3, modules
    attempted = 0
    for name in modules:  # each example in its module's globals, as a reader has them
        result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
        attempted += result.attempted
    assert attempted >= 10


@pytest.mark.slow
def test_panels_page_backtest_block_runs_as_written(tmp_path, monkeypatch):
    # it used GlobalForecaster and panel without importing or making them: a NameError
    _one_epoch_global_forecaster(monkeypatch)
    monkeypatch.chdir(tmp_path)  # res.save("runs/bt")
    [code] = [c for h, c in python_blocks("docs/panels.md") if h == "## Rolling-origin backtest"]
    ns: dict = {}
    exec(code, ns)
    assert set(ns["res"].summary()["model"]) == {"model", "seasonal_naive", "ets"}
    assert (tmp_path / "runs" / "bt" / "config.json").is_file()
