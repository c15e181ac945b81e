"""Settings files as an MLOps user composes them (session 23): a base file and an
experiment file merged in order, ``--set KEY=VALUE`` overrides, relative paths read from
the file's folder (CI runs from other directories), ``--config`` on every command with
options worth keeping in a file."""

import json
from argparse import Namespace

import pytest

from printed_words import words
from rnnlab.cli import main


def _resolved(capsys, *argv):
    """(options, sources) that --print-config prints."""
    assert main([*argv, "--print-config"]) == 0
    printed = json.loads(capsys.readouterr().out)
    return printed["options"], printed.get("sources", {})


def _file(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder / name


@pytest.fixture
def base_and_exp(tmp_path):
    base = _file(tmp_path, "base.toml", 'data = "airline"\nmodel = "lstm"\nhidden-size = 8\n'
                                        'epochs = 2\nseed = 1\nno_progress = true\n')
    exp = _file(tmp_path, "exp.toml", 'model = "gru"\nepochs = 3\n')
    return base, exp


def test_several_config_files_merge_in_order_the_later_wins(base_and_exp, capsys):
    # a second --config replaced the first: the base's hidden size, seed and switch were
    # silently back at their defaults (16, 0, false)
    base, exp = base_and_exp
    got, sources = _resolved(capsys, "forecast", "--config", str(base), "--config", str(exp))
    assert (got["model"], got["epochs"]) == ("gru", 3)  # (the experiment's)
    assert (got["hidden_size"], got["seed"], got["no_progress"]) == (8, 1, True)  # (base's)
    assert sources["model"] == str(exp) and sources["hidden_size"] == str(base)
    got, _ = _resolved(capsys, "forecast", "--config", str(exp), "--config", str(base))
    assert (got["model"], got["epochs"]) == ("lstm", 2)  # (the order given decides)


def test_set_overrides_every_file_and_is_read_by_the_options_parser(base_and_exp, capsys):
    base, exp = base_and_exp
    got, sources = _resolved(capsys, "forecast", "--config", str(base), "--config", str(exp),
                             "--set", "epochs=5", "--set", "no_progress=false",
                             "--set", "quantiles=0.2,0.8", "--set", "hidden-size=4",
                             "--seed", "7")
    assert (got["epochs"], got["no_progress"], got["hidden_size"]) == (5, False, 4)
    assert got["quantiles"] == [0.2, 0.8] and got["model"] == "gru"
    assert sources["epochs"] == "--set epochs=5" and sources["seed"] == "command line"
    assert sources["model"] == str(exp)


def test_set_null_gives_an_option_back_its_not_given_default(tmp_path, capsys):
    f = _file(tmp_path, "h.toml", "horizon = 6\n")
    assert _resolved(capsys, "forecast", "--config", str(f))[0]["horizon"] == 6
    assert _resolved(capsys, "forecast", "--config", str(f), "--set",
                     "horizon=null")[0]["horizon"] is None


@pytest.mark.parametrize("override, said", [
    ("epochs=abc", "--set epochs=abc: expected a whole number, found \"abc\""),
    ("epoch=3", "--set epoch=3: `rnnlab forecast` has no such option; did you mean 'epochs'"),
    ("epochs", "--set epochs: expected KEY=VALUE"),
    ("=3", "--set =3: expected KEY=VALUE"),
    ("no_progress=maybe", "--set no_progress=maybe: expected true or false"),
    ("scaler=minmaxx", "--set scaler=minmaxx: expected one of standard, minmax, none"),
    ("corpus=tiny", "(it is an option of `rnnlab lm train`)"),
    ("quantiles=0.1,x", 'expected a number, found "x" (of ["0.1", "x"])'),
    ("config=a.toml", "--set config=a.toml: it is given on the command line only"),
])
def test_a_bad_override_is_refused_naming_it(override, said, capsys):
    assert main(["forecast", "--data", "airline", "--set", override, "--print-config"]) == 2
    assert said in capsys.readouterr().err


def test_an_option_both_typed_and_set_is_refused(capsys):
    assert main(["forecast", "--set", "epochs=5", "--epochs", "4", "--print-config"]) == 2
    assert "--set epochs=5: --epochs is typed too; give the option once" in \
        capsys.readouterr().err


def test_a_file_key_of_another_command_names_that_command(tmp_path, capsys):
    f = _file(tmp_path, "lm.toml", 'corpus = "shakespeare"\n')
    assert main(["forecast", "--config", str(f), "--print-config"]) == 2
    err = capsys.readouterr().err
    assert f"--config {f}: key 'corpus': `rnnlab forecast` has no such option (it is an " \
           f"option of `rnnlab lm train`)" in err


def test_relative_paths_in_a_file_are_the_files_from_any_working_directory(
        tmp_path, monkeypatch, capsys):
    # a file checked into configs/ named its data and its run directory relative to
    # itself; CI started from another directory read them from there instead
    repo = tmp_path / "repo"
    _file(repo / "data", "s.csv", "y\n1\n2\n")
    f = _file(repo / "configs", "exp.toml", 'data = "../data/s.csv"\nout = "../runs/exp"\n')
    for where in (tmp_path, repo, repo / "configs"):
        monkeypatch.chdir(where)
        got, _ = _resolved(capsys, "forecast", "--config", str(f.relative_to(tmp_path)
                                                               if where == tmp_path else f))
        assert got["data"] == str(repo / "data" / "s.csv")
    monkeypatch.chdir(tmp_path)
    args = _applied("forecast", "--config", str(f))
    assert args.out == str(repo / "runs" / "exp")


from test_config_file import _applied  # noqa: E402  (the parsed options once --config is read)


def test_a_path_in_the_working_directory_only_or_in_both_is_warned(tmp_path, monkeypatch,
                                                                   capsys):
    cfg = tmp_path / "cfg"
    f = _file(cfg, "g.toml", 'data = "s.csv"\n')
    _file(tmp_path, "s.csv", "y\n1\n2\n")
    monkeypatch.chdir(tmp_path)
    got = _applied("forecast", "--config", str(f))
    err = words(capsys.readouterr().err)  # (its words: a warning wraps at 80 columns)
    assert got.data == "s.csv"  # (as written: found in the working directory only)
    assert "data = 's.csv' is not beside the file" in err and "write the path relative " \
           "to the file (../s.csv) or absolute" in err
    _file(cfg, "s.csv", "y\n3\n4\n")
    got = _applied("forecast", "--config", str(f))
    assert got.data == str(cfg / "s.csv")  # (both: the file's)
    assert "is both beside the file" in words(capsys.readouterr().err)
    assert _applied("forecast", "--config", str(f), "--data", "airline").data == "airline"
    assert capsys.readouterr().err == ""  # (typed: the file's path is not used, not said)


def test_a_built_in_name_is_kept_and_a_missing_path_is_said(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    f = _file(tmp_path / "cfg", "g.toml", 'data = "airline"\n')
    assert _applied("forecast", "--config", str(f)).data == "airline"
    assert capsys.readouterr().err == ""
    f = _file(tmp_path / "cfg", "m.toml", 'data = "gone.csv"\n')
    assert _applied("forecast", "--config", str(f)).data == "gone.csv"
    assert "data = 'gone.csv' is neither beside the file" in capsys.readouterr().err


@pytest.mark.parametrize("argv, text, key, value", [
    (["lm", "generate"], 'run = "r"\nprefix = "the "\nn = 20\ntemperature = 0.5\n',
     "temperature", 0.5),
    (["lm", "eval"], 'run = "r"\ntext = "shakespeare"\nstreams = 2\n', "streams", 2),
    (["bench"], 'configs = ["C1-256", "C3"]\nmodels = "lstm"\nquick = true\n', "configs",
     "C1-256,C3"),
    (["recipe", "run", "e4-sine"], "quick = true\nthreads = 1\n", "quick", True),
])
def test_more_commands_take_config(tmp_path, monkeypatch, capsys, argv, text, key, value):
    monkeypatch.chdir(tmp_path)
    f = _file(tmp_path, "c.toml", text)
    got, sources = _resolved(capsys, *argv, "--config", str(f))
    assert got[key] == value and sources[key] == str(f)


def test_lm_generate_requires_its_run_here_or_in_the_file(tmp_path, capsys):
    # (--prefix was required too until lm30: without it, generation starts after a newline)
    f = _file(tmp_path, "g.toml", 'prefix = "ab"\n')
    assert main(["lm", "generate", "--config", str(f)]) == 2
    assert "required: --run (on the command line or in the --config file)" in \
        capsys.readouterr().err
    f = _file(tmp_path, "r.toml", 'run = "r"\n')
    got, _ = _resolved(capsys, "lm", "generate", "--config", str(f), "--set", "prefix=ab")
    assert got["prefix"] == "ab" and got["run"] == str(tmp_path / "r")


def test_bench_config_that_names_no_file_points_at_configs(capsys):
    # --config once reached bench's --configs by abbreviation
    assert main(["bench", "--config", "C1-256"]) == 2
    assert "(the workloads to time are --configs C1-256, with an s)" in capsys.readouterr().err


def test_a_bench_results_file_repeats_its_run(tmp_path, capsys):
    # `rnnlab bench --json F` records its options and command, but `bench --config F`
    # said "key 'options' is a table ...; move them above any [section]"
    from rnnlab.bench.names import DEPTH, FAST_IMPLS

    record = {"options": {"configs": ["C0"], "models": ["lstm", "gru"], "paths": list(FAST_IMPLS),
                          "repeats": 1, "warmup": 1, "depth": DEPTH, "no_reference": True,
                          "no_graphs": False, "row_seconds": None, "isolate": False,
                          "process_seconds": None, "threads": None, "quick": False,
                          "device": "cpu", "dtype": "float32", "lengths": "full", "tf32": False},
              "versions": {"rnnlab": "0.1.0"}, "command": ["rnnlab", "bench"], "rows": []}
    f = _file(tmp_path, "bench.json", json.dumps(record))
    got, sources = _resolved(capsys, "bench", "--config", str(f))
    assert (got["configs"], got["models"], got["repeats"], got["no_reference"]) == \
        ("C0", "lstm,gru", 1, True)
    # its resolved defaults are not given (--paths beside lstm and gru alone is refused)
    assert got["paths"] is None and got["depth"] is None and "paths" not in sources
    assert main(["lm", "train", "--config", str(f), "--print-config"]) == 2
    assert "the options of `rnnlab bench`" in capsys.readouterr().err

def test_several_files_are_recorded_in_cli_json_and_the_runs_table(tmp_path, base_and_exp):
    from rnnlab.io.cli_options import save_options
    from rnnlab.runs_cli import read_run

    base, exp = base_and_exp
    args = _applied("forecast", "--config", str(base), "--config", str(exp))
    assert args.config == [str(base), str(exp)]
    run = tmp_path / "run"
    run.mkdir()
    save_options(run, Namespace(**{k: v for k, v in vars(args).items() if k != "func"}))
    record = json.loads((run / "cli.json").read_text())
    assert record["config_file"] == [str(base), str(exp)] and "set" not in record["options"]
    (run / "config.json").write_text(json.dumps({"config": {}, "command": ["rnnlab"]}))
    assert read_run(run)["option.config"] == f"{base} + {exp}"


def test_a_record_then_a_file_of_ones_own(tmp_path, capsys):
    run = tmp_path / "run"
    _file(run, "cli.json", json.dumps({"options": {"data": "airline", "hidden_size": 8,
                                                   "epochs": 4}, "command": "rnnlab forecast"}))
    mine = _file(tmp_path, "more.toml", "epochs = 9\n")
    got, sources = _resolved(capsys, "forecast", "--config", str(run), "--config", str(mine))
    assert (got["hidden_size"], got["epochs"]) == (8, 9)
    assert sources["hidden_size"] == str(run / "cli.json") and sources["epochs"] == str(mine)
    printed = tmp_path / "printed.json"  # (what --print-config printed is read back)
    assert main(["forecast", "--config", str(run), "--config", str(mine),
                 "--print-config"]) == 0
    printed.write_text(capsys.readouterr().out)
    assert _resolved(capsys, "forecast", "--config", str(printed))[0]["epochs"] == 9


def test_set_with_resume_is_refused(tmp_path, capsys):
    assert main(["forecast", "--resume", str(tmp_path), "--set", "epochs=3"]) == 2
    assert "--set epochs=3 with --resume: a resumed run goes on with its own options" in \
        capsys.readouterr().err


def test_a_refusal_says_which_file_or_override_gave_each_option_it_names(tmp_path, capsys):
    # merged from several files, a refused option did not say where it came from
    base = _file(tmp_path, "base.toml", 'data = "airline"\n')
    panel = _file(tmp_path, "panel.toml", "batches_per_epoch = 2\n")
    assert main(["forecast", "--config", str(base), "--config", str(panel), "--set",
                 "baselines=naive", "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert f"(--baselines: from --set baselines=naive; --batches-per-epoch: from --config " \
           f"{panel}; --data: from --config {base})" in err


def test_a_hydra_style_override_word_points_at_set(capsys):
    # `rnnlab forecast --config base.toml epochs=5` (Hydra's habit) was refused as an
    # unrecognized argument with no hint
    assert main(["forecast", "--data", "airline", "epochs=5", "+hidden_size=3"]) == 2
    err = capsys.readouterr().err
    assert "epochs=5: an override is --set epochs=5 here" in err
    assert "+hidden_size=3: an override is --set hidden_size=3 here" in err


def test_two_keys_of_one_option_in_a_file_are_refused(tmp_path, capsys):
    # `hidden_size = 8` and `hidden-size = 16` in one file: the later won, silently
    f = _file(tmp_path, "two.toml", "hidden_size = 8\nhidden-size = 16\n")
    assert main(["forecast", "--config", str(f), "--print-config"]) == 2
    assert f"--config {f}: keys 'hidden_size' and 'hidden-size' are one option " \
           f"(--hidden-size); keep one of them" in capsys.readouterr().err


def test_a_key_twice_in_a_json_file_is_refused(tmp_path, capsys):
    f = _file(tmp_path, "twice.json", '{"epochs": 2, "model": "gru", "epochs": 3}')
    assert main(["forecast", "--config", str(f), "--print-config"]) == 2
    assert f"--config {f}: key 'epochs' is given twice; keep one of them" in \
        capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["forecast", "--data", "airline", "--epochs", "3"],
    ["backtest", "--data", "visnights", "--horizon", "4"],
    ["compare", "--data", "airline", "--models", "rnn,gru"],
    ["lm", "train", "--corpus", "shakespeare", "--seq-len", "16"],
    ["lm", "generate", "--run", "r", "--prefix", "a"],
    ["lm", "eval", "--run", "r", "--text", "shakespeare"],
    ["bench", "--quick"],
    ["recipe", "run", "e4-sine", "--quick"],
])
def test_what_print_config_prints_is_read_back_the_same(tmp_path, capsys, argv):
    # `recipe run NAME --print-config` printed its NAME, which --config then refused
    assert main([*argv, "--print-config"]) == 0
    printed = capsys.readouterr().out
    (tmp_path / "p.json").write_text(printed)
    words = argv[:3] if argv[0] == "recipe" else argv[:2] if argv[0] == "lm" else argv[:1]
    again, _ = _resolved(capsys, *words, "--config", str(tmp_path / "p.json"))
    assert again == json.loads(printed)["options"]


def test_an_empty_config_path_is_said_not_read_as_the_working_directory(capsys):
    # `--config "$CFG"` with CFG unset: "a folder without cli.json or config.json"
    assert main(["forecast", "--config", "", "--print-config"]) == 2
    assert "--config is empty (an unset shell variable?)" in capsys.readouterr().err


def test_a_dropped_record_option_names_the_record_among_several_files(tmp_path, capsys):
    run = tmp_path / "run"
    _file(run, "cli.json", json.dumps({"options": {"data": "airline", "model": "dt-rnn",
                                                   "depth": 3}, "command": "rnnlab forecast"}))
    mine = _file(tmp_path, "more.toml", "epochs = 9\n")
    assert main(["forecast", "--config", str(run), "--config", str(mine), "--model", "lstm",
                 "--print-config"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["options"]["depth"] == 2  # (the default: the record's dropped)
    assert f"--depth: from the run record --config {run / 'cli.json'}, and --model lstm" in err


def test_set_gives_a_text_prefix_whole_commas_and_all(capsys):
    got, _ = _resolved(capsys, "lm", "train", "--corpus", "shakespeare", "--set",
                       "prefix=Hello, world")
    assert got["prefix"] == ["Hello, world"]
