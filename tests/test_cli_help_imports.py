"""`rnnlab COMMAND --help`, and a command line that argparse refuses, import no torch
(seconds of start-up): the parsers read torch-free modules only, the commands import
torch when they run. Also: the torch-free copies of the registry's names equal it, and
the packages' lazily loaded exports are the objects they were."""

import json
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).parents[1] / "src")

# in one process: each command line through rnnlab.cli.main, in turn; after each, its exit
# code, what it printed and whether torch was imported by then
_SCRIPT = r"""
import argparse, contextlib, io, json, sys
import rnnlab.cli as cli

def sub_commands(command):
    parser = cli.build_parser([command], lazy=True)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    inner = [a for a in sub.choices[command]._actions
             if isinstance(a, argparse._SubParsersAction)]
    return list(inner[0].choices) if inner else []

lines = []
for command in cli.COMMANDS:
    lines += [[command, "--help"], [command, "--no-such-option"]]
    for name in sub_commands(command) if command != "bptt-demo" else ():
        lines += [[command, name, "--help"], [command, name, "--no-such-option"]]
lines += json.loads(sys.argv[1])
# bptt-demo's parser is in rnnlab.reference, NumPy's own reference: numpy for it alone, last
lines.sort(key=lambda argv: argv[0] == "bptt-demo")
seen = {}
for argv in lines:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = cli.main(argv)
        except SystemExit as e:
            code = e.code
    seen[" ".join(argv)] = [code, out.getvalue(), "torch" in sys.modules,
                            [m for m in ("numpy", "pandas") if m in sys.modules]]
print(json.dumps(seen))
"""

# argparse's own refusals: a bad choice, a missing required argument, a bad number
REFUSED = [["forecast", "--impl", "nope"], ["forecast", "--horizon", "0"],
           ["lm", "generate", "--prefix", "a"], ["lm", "train", "--cuda-graphs", "maybe"],
           ["recipe", "run", "no-such-recipe"], ["compare", "--accelerator", "tpu"],
           ["bench", "--dtype", "float8"], ["backtest", "--epochs", "1"],
           ["models", "--hidden-size", "0"]]


def _run_all() -> dict:
    out = subprocess.run([sys.executable, "-c", _SCRIPT, json.dumps(REFUSED)],
                         env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin", "COLUMNS": "100"},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def test_help_and_refused_command_lines_import_no_torch():
    seen = _run_all()
    from rnnlab.cli import COMMANDS

    assert {line.split()[0] for line in seen} == set(COMMANDS)
    for sub in ("lm train --help", "lm generate --help", "lm eval --help",
                "lm prepare --help", "recipe run --help"):
        assert sub in seen  # the sub-subcommands are found and asked too
    torch_after = [line for line, (_, _, torch, _) in seen.items() if torch]
    assert not torch_after, f"torch imported by: {torch_after[:1]}"
    # nor numpy and pandas (a second at start-up under load; forecast --help imported them
    # for a tuple of fill names, backtest's and compare's for baseline and select names)
    heavy = [(line, mods) for line, (_, _, _, mods) in seen.items()
             if mods and not line.startswith("bptt-demo")]
    assert not heavy, f"numpy/pandas imported by: {heavy[:1]}"
    for line, (code, text, _, _) in seen.items():
        if line.endswith("--help"):
            assert code == 0 and text.startswith("usage: rnnlab "), (line, text[-500:])
        else:
            assert code == 2 and "error:" in text, (line, code, text[-500:])
    # the help is the whole one: the options declared on the configs, the shared ones
    expected = {"forecast": ["--hidden-size", "--impl", "--cuda-graphs", "--accelerator",
                             "--quantiles", "--resume", "--strategy", "--scaler"],
                "lm train": ["--hidden-size", "--corpus", "--sampling", "--impl", "--devices"],
                "lm generate": ["--run", "--prefix", "--top-k"],
                "compare": ["--recipe", "--match-to", "--impl", "--accelerator"],
                "recipe run": ["NAME", "--quick", "--as-written"],
                "backtest": ["--data", "--model", "--baselines", "--quantiles"],
                "bench": ["--dtype", "--models", "--paths", "--lengths"],
                "models": ["--hidden-size", "--num-layers"]}
    for command, options in expected.items():
        text = seen[command + " --help"][1]
        assert all(o in text for o in options), (command, [o for o in options if o not in text])
    assert "triton-resident" in seen["forecast --help"][1]  # IMPLS, from rnnlab.names
    assert "stacked-dt-rnn" in seen["compare --help"][1]  # --match-to: every architecture
    assert "invalid choice: 'nope'" in seen["forecast --impl nope"][1]
    assert "the following arguments are required: --run" in seen["lm generate --prefix a"][1]
    assert "no-such-recipe" in seen["recipe run no-such-recipe"][1]


def test_torch_free_names_equal_the_registry_and_dispatch():
    from rnnlab import names
    from rnnlab.bench import names as bench_names
    from rnnlab.bench import suite
    from rnnlab.nn import dispatch, paths
    from rnnlab.nn.registry import ARCHITECTURES

    assert names.ARCHITECTURE_NAMES == tuple(ARCHITECTURES)
    assert set(names.BIDIRECTIONAL_NAMES) == {n for n, a in ARCHITECTURES.items()
                                              if a.bidirectional}
    assert dispatch.IMPLS is names.IMPLS is paths.IMPLS
    assert dispatch.LOOP_IMPLS is names.LOOP_IMPLS is suite.FAST_IMPLS
    assert tuple(suite.STANDARD) == bench_names.STANDARD_NAMES
    assert suite.MODELS is bench_names.MODELS


def test_numpy_free_names_equal_the_tables_of_the_modules_that_act_on_them():
    from rnnlab.data import option_names, scalers, series
    from rnnlab.forecast import select_names, selection
    from rnnlab.panel import baseline_names, baselines

    assert tuple(scalers.SCALERS) == option_names.SCALER_NAMES
    assert series.FILLS is option_names.FILLS
    assert selection.SELECTS is select_names.SELECTS
    assert tuple(baselines.BASELINES) == baseline_names.BASELINE_NAMES


def test_one_level_reads_numpys_scalars_without_importing_numpy():
    # (PanelConfig's quantile check is imported by the parsers: numpy's isscalar, by hand)
    import numpy as np
    import torch

    from rnnlab.panel.call_args import one_level

    cases = [0.9, 1, True, "0.9", b"x", 1 + 2j, np.float32(0.9), np.int64(3), np.bool_(True),
             np.str_("x"), np.array(0.9), np.ma.masked_array(0.5), np.array([0.9]), [0.1],
             (0.1, 0.9), torch.tensor(0.9), None, {"a": 1}]
    for q in cases:
        numpys = bool(np.isscalar(q) or (isinstance(q, np.ndarray) and q.ndim == 0))
        assert one_level(q) is numpys, q


def test_is_bidirectional_asks_the_registry_about_other_names():
    import pytest

    from rnnlab.names import is_bidirectional

    assert is_bidirectional("bilstm") and not is_bidirectional("lstm")
    with pytest.raises(ValueError, match="unknown model 'nope'; known models: rnn, drnn"):
        is_bidirectional("nope")


def test_lazy_exports_are_the_objects_of_their_modules():
    import rnnlab.bench as bench
    import rnnlab.compare as compare
    import rnnlab.forecast as forecast
    import rnnlab.lm as lm
    import rnnlab.panel as panel
    import rnnlab.train as train
    from rnnlab.lm import generate
    from rnnlab.lm.generate import generate as the_function

    assert generate is the_function is lm.generate  # not the submodule of that name
    assert sys.modules["rnnlab.lm.generate"].generate is the_function
    for package in (bench, compare, forecast, lm, panel, train):
        for name in package.__all__:
            value = getattr(package, name)
            where = package._LAZY.get(name)
            if where is not None:
                assert value is getattr(sys.modules[package.__name__ + where], name)
    from rnnlab.forecast import forecaster  # a submodule is still a submodule
    assert forecaster.__name__ == "rnnlab.forecast.forecaster"
    from rnnlab.forecast.metrics import metrics as metrics_function  # (lazy since 20)

    assert forecast.metrics is metrics_function  # the function, not its module
    import pytest

    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        forecast.nope


def test_the_datasets_listing_imports_no_pandas():
    # was: `rnnlab datasets` imported pandas (about a second) to print a fixed table
    script = ("import contextlib, io, sys\nimport rnnlab.cli as cli\nout = io.StringIO()\n"
              "with contextlib.redirect_stdout(out):\n    code = cli.main(['datasets'])\n"
              "print(code, 'pandas' in sys.modules, 'us_employment' in out.getvalue(), "
              "'airline' in out.getvalue())")
    out = subprocess.run([sys.executable, "-c", script], env={"PYTHONPATH": SRC,
                                                              "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split() == ["0", "False", "True", "True"]
