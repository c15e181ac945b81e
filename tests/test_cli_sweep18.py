"""Session 18's command-line sweep: usage errors exit with status 2 whichever check refuses
the value (argparse, or the config the option sets), one --seed rule for every command,
help on stderr when a command is missing, and --help showing defaults as they are typed."""

from __future__ import annotations

import re

import pytest

from rnnlab.cli import COMMANDS, main


def run(argv, capsys):
    """(exit status, stdout, stderr) of ``rnnlab ARGV`` in-process."""
    try:
        code = main(argv)
    except SystemExit as e:  # argparse refuses before the command runs
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv", [[], ["lm"], ["recipe"]])
def test_a_missing_command_is_a_usage_error_on_stderr(argv, capsys):
    """`rnnlab`, `rnnlab lm` and `rnnlab recipe` printed their help on stdout with exit
    status 2: `rnnlab lm > out.txt` filled the file with help and showed nothing."""
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert "usage: rnnlab" in err


@pytest.mark.parametrize("argv,said", [
    (["forecast", "--lookback", "0", "--out", "{tmp}/f"], "lookback must be an integer >= 1"),
    (["lm", "train", "--lr", "-1", "--out", "{tmp}/lm"], "lr must be > 0"),
    (["compare", "--epochs", "0", "--out", "{tmp}/cmp"], "epochs (--epochs) must be"),
    (["bptt-demo", "--seeds", "0", "--out", "{tmp}/g.png"], "got --seeds 0"),
    (["bptt-demo", "--configs", "lstm", "nosuch", "--out", "{tmp}/g.png"],
     "--configs: unknown kind 'nosuch'"),
    (["lm", "generate", "--run", "{tmp}/x", "--prefix", "a", "--temperature", "-1"],
     "argument --temperature: expected a temperature: a finite number >= 0"),
    (["lm", "generate", "--run", "{tmp}/x", "--prefix", "a", "--top-k", "0"],
     "argument --top-k: expected a number of tokens >= 1"),
    (["lm", "prepare", "time-machine", "--out", "{tmp}/p", "--val-fraction", "0"],
     "--val-fraction must be in (0, 1)"),
    (["forecast", "--output", "{tmp}/f.csv"], "--output writes the forecast of a saved run"),
    (["compare", "--quick", "--out", "{tmp}/c"], "apply to recipes; add --recipe NAME"),
    (["bench", "--configs", "C9"], "unknown config ['C9']"),
    (["backtest", "--data", "visnights", "--lr", "0.1", "--out", "{tmp}/b"],
     "--lr: options of the global network, which --model seasonal_naive (the default)"),
    (["forecast", "--data", "visnights", "--devices", "2", "--out", "{tmp}/p"],
     "cannot honour --devices 2"),
])
def test_a_refused_value_is_a_usage_error(argv, said, tmp_path, capsys):
    """--horizon 0 exited 2 (argparse) but --lookback 0 exited 1 (ForecastConfig): the
    same mistake, two statuses; so did the options' own checks (--output without --run,
    --quick without --recipe, lm generate's --temperature -1). Now all are usage errors,
    and nothing is written."""
    code, out, err = run([a.replace("{tmp}", str(tmp_path)) for a in argv], capsys)
    assert code == 2, err
    assert said in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


# every command line here is tiny, and writes under tmp_path, should it be accepted
TINY = {"forecast": ["--epochs", "1", "--ensemble", "1", "--no-progress"],
        "lm train": ["--epochs", "1", "--hidden-size", "4", "--num-layers", "1",
                     "--minutes", "0.01", "--no-progress", "--sample-every", "0"]}


@pytest.mark.parametrize("argv", [
    ["forecast", "--seed", "-1"],
    ["forecast", "--seeds", "0", "-1"],
    ["lm", "train", "--seed", "-1"],
    ["lm", "generate", "--run", "x", "--prefix", "a", "--seed", str(2 ** 32)],
    ["backtest", "--data", "visnights", "--model", "naive", "--seed", "-1"],
])
def test_every_seed_option_takes_the_same_seeds(argv, tmp_path, capsys):
    """--seed -1 trained with `forecast`, failed after loading the data with numpy's
    "expected non-negative integer" in `lm train` and "Seed must be between 0 and 2**32 - 1"
    in `backtest`; `compare --seeds` already took 0 .. 2**32 - 1."""
    tiny = TINY.get(" ".join(argv[:2]), TINY.get(argv[0], []))
    writes = [] if argv[:2] == ["lm", "generate"] else ["--out", str(tmp_path / "run")]
    code, out, err = run([*argv, *tiny, *writes], capsys)
    assert code == 2
    flag = next(a for a in argv if a.startswith("--seed"))
    assert f"argument {flag}: expected a seed: a whole number >= 0" in err


def test_lm_train_without_out_says_so_once(capsys):
    """"rnnlab lm train: error: rnnlab lm train: say where ..." (exit 1): the prefix twice."""
    code, out, err = run(["lm", "train", *TINY["lm train"]], capsys)
    assert code == 2
    assert err.count("rnnlab lm train") == 1 and "--out DIR" in err


@pytest.mark.parametrize("argv", [["forecast", "--checkpoint-every", "-1"],
                                  ["lm", "train", "--checkpoint-every", "-1"],
                                  ["lm", "train", "--minutes", "0"]])
def test_run_options_are_refused_before_the_previous_run_is_moved(argv, tmp_path, capsys):
    """--checkpoint-every -1 with --overwrite moved the previous run aside, loaded the data
    and only then failed (exit 1); `lm train --minutes 0` exited 1 where `forecast` exits 2."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "kept.txt").write_text("mine")
    command, option = argv[:-2], argv[-2:]
    code, out, err = run([*command, *TINY[" ".join(command)], *option, "--out", str(run_dir),
                          "--overwrite"], capsys)
    assert code == 2 and f"argument {argv[-2]}:" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    assert (run_dir / "kept.txt").read_text() == "mine"


def test_recipe_run_errors_name_the_command(tmp_path, capsys):
    (tmp_path / "x").write_text("")  # a non-empty --out, kept without --overwrite
    code, out, err = run(["recipe", "run", "e4-sine", "--quick", "--out", str(tmp_path)],
                         capsys)
    assert code == 1
    assert err.startswith("rnnlab recipe run: error:"), err


def _help(argv, capsys) -> str:
    assert main([*argv, "--help"]) == 0
    return re.sub(r"\s+", " ", capsys.readouterr().out)


@pytest.mark.parametrize("command", [c for c in COMMANDS if c not in ("lm", "recipe")]
                         + ["lm train", "lm generate", "lm eval", "recipe run"])
def test_help_shows_defaults_as_typed(command, capsys):
    """--help said "(default ())", "(default (0.1, 0.5, 0.9))", "(default None)" and
    "(default False)": Python's spelling, not what a user types."""
    text = _help(command.split(), capsys)
    for python in ("(default ())", "(default (", "(default None", "(default False",
                   "(default True"):
        assert python not in text, (command, python)


def test_help_of_lists_and_threads(capsys):
    assert "(default 0.1 0.5 0.9)" in _help(["backtest"], capsys)
    for argv in (["lm", "generate"], ["lm", "eval"]):
        assert re.search(r"--threads THREADS CPU threads for torch \(default", _help(argv, capsys))


def _config_of(argv):
    """The config(s) a command line gives (parsed as `rnnlab` parses it; nothing runs)."""
    from rnnlab.cli import build_parser

    args = build_parser(argv, lazy=True).parse_args(argv)
    if argv[0] == "forecast":
        from rnnlab.forecast.cli import config_from_args

        cfg = config_from_args(args, 0)
        return cfg.patience, cfg.clip_norm
    if argv[0] == "lm":
        from rnnlab.lm.train_command import _configs

        cfg = _configs(args)[1]
        return cfg.patience, cfg.clip_norm
    if argv[0] == "backtest":
        from rnnlab.panel.cli import panel_config

        return panel_config(args, model="lstm").patience, None
    return args.patience, args.clip_norm  # compare: CompareConfig's fields as typed


@pytest.mark.parametrize("command", [["forecast"], ["lm", "train"], ["compare"],
                                     ["backtest", "--data", "x.csv"]])
@pytest.mark.parametrize("off", ["0", "none"])
def test_patience_and_clip_norm_are_off_the_same_way_everywhere(command, off):
    """Off was `--patience 0` for lm train, `--patience none` for compare (0 refused), not
    possible for forecast (0 refused, none not a number), and `--clip-norm none` was
    refused by lm train and forecast, `--clip-norm 0` by compare."""
    clip = [] if command[0] == "backtest" else ["--clip-norm", off]
    assert _config_of([*command, "--patience", off, *clip]) == (None, None)
    kept = _config_of([*command, "--patience", "5", *([] if not clip else ["--clip-norm", "2"])])
    assert kept[0] == 5 and kept[1] in (None, 2.0)


@pytest.mark.parametrize("command", [["forecast"], ["lm", "train"]])
def test_a_resumed_run_reads_back_an_option_turned_off(command, tmp_path):
    """`--patience none` saves null in cli.json: --resume must take it back, as it takes
    any value the command line gives (and still refuses null for an option with a value)."""
    from rnnlab.cli import build_parser
    from rnnlab.io.errors import RunDirError
    from rnnlab.io.saved_option_check import check_saved_options, command_actions

    actions = command_actions(build_parser(command, lazy=True), command)
    check_saved_options(tmp_path / "cli.json", {"patience": None, "clip_norm": None}, actions)
    with pytest.raises(RunDirError, match="--lr null"):
        check_saved_options(tmp_path / "cli.json", {"lr": None}, actions)
