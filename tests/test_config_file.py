"""``--config FILE``: a command's options from a JSON or TOML file, or a run's record."""

import json

import pytest

from rnnlab.cli import main


def _printed(capsys, *argv):
    assert main([*argv, "--print-config"]) == 0
    return json.loads(capsys.readouterr().out)["options"]


def test_toml_sets_options_and_the_command_line_wins(tmp_path, capsys):
    f = tmp_path / "run.toml"
    f.write_text('hidden-size = 8\nepochs = 2\nmodel = "gru"\nquantiles = [0.2, 0.8]\n')
    got = _printed(capsys, "forecast", "--config", str(f), "--hidden-size", "16")
    assert (got["hidden_size"], got["epochs"], got["model"]) == (16, 2, "gru")
    assert got["quantiles"] == [0.2, 0.8] and got["lr"] == 0.005  # (a default)


def test_json_keys_lm_train(tmp_path, capsys):
    f = tmp_path / "lm.json"
    f.write_text(json.dumps({"corpus": "shakespeare", "seq_len": 16, "prefix": ["a ", "b "]}))
    got = _printed(capsys, "lm", "train", "--config", str(f))
    assert (got["corpus"], got["seq_len"], got["prefix"]) == ("shakespeare", 16, ["a ", "b "])


def test_compare_fields_from_a_file(tmp_path, capsys):
    f = tmp_path / "c.toml"
    f.write_text('models = ["rnn", "gru"]\nseeds = [0, 1]\nforecast_strategy = "direct"\n')
    got = _printed(capsys, "compare", "--config", str(f), "--seeds", "5")
    assert (got["models"], got["seeds"], got["forecast_strategy"]) == (["rnn", "gru"], [5],
                                                                       "direct")


@pytest.mark.parametrize("text, said", [
    ("hiden_size = 8\n", "key 'hiden_size': `rnnlab forecast` has no such option; did you mean "
                         "'hidden_size'"),
    ("max_epochs = 8\n", "did you mean 'epochs'"),
    ('hidden_size = "big"\n', "key 'hidden_size': expected a whole number, found \"big\""),
    ("hidden_size = 8.5\n", "expected a whole number, found 8.5"),
    ('scaler = "zscore"\n', "expected one of standard, minmax, none, found \"zscore\""),
    ("no_progress = 1\n", "key 'no_progress': expected true or false, found 1"),
    ("hidden_size = [8]\n", "expected a whole number, found [8]"),
    ('resume = "runs/x"\n', "key 'resume': it is given on the command line only"),
    ("epochs = [1,\n", "not valid TOML"),
    ("[model]\nhidden_size = 8\n", "key 'model' is a table of hidden_size; rnnlab reads "
                                    "options at the top level"),
    ("seeds = []\n", "key 'seeds': expected one or more of"),
])
def test_bad_keys_and_values_are_refused_naming_file_and_key(tmp_path, capsys, text, said):
    f = tmp_path / "bad.toml"
    f.write_text(text)
    assert main(["forecast", "--config", str(f), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"--config {f}" in err and said in err
    assert not (tmp_path / "o").exists()


def test_other_suffix_missing_file_and_resume(tmp_path, capsys):
    (tmp_path / "a.ini").write_text("epochs = 2\n")
    assert main(["forecast", "--config", str(tmp_path / "a.ini")]) == 2
    assert "expected a .json, .toml or .yaml file" in capsys.readouterr().err
    assert main(["forecast", "--config", str(tmp_path / "none.json")]) == 2
    err = capsys.readouterr().err
    assert "none.json: not found; expected a .json, .toml or .yaml settings file" in err
    assert "check the path" in err
    (tmp_path / "a.json").write_text("{}")
    assert main(["forecast", "--config", str(tmp_path / "a.json"), "--resume",
                 str(tmp_path)]) == 2
    assert "a resumed run goes on with its own options" in capsys.readouterr().err


def test_a_record_of_another_command_is_refused(tmp_path, capsys):
    (tmp_path / "cli.json").write_text(json.dumps(
        {"options": {"corpus": "time-machine"}, "command": "rnnlab lm train"}))
    assert main(["forecast", "--config", str(tmp_path)]) == 2
    assert "the options of `rnnlab lm train`, not of `rnnlab forecast`" in capsys.readouterr().err


def test_backtest_required_data_from_the_file(tmp_path, capsys):
    # (still required: on the line or in the file)
    assert main(["backtest", "--config",
                 str(_file(tmp_path, "b.toml", 'model = "naive"\n'))]) == 2
    assert "required: --data" in capsys.readouterr().err
    got = _printed(capsys, "backtest", "--config",
                   str(_file(tmp_path, "c.toml", 'data = "visnights"\n')))
    assert got["data"] == "visnights"
    assert main(["backtest", "--help"]) == 0
    assert "(required: here or in the --config" in " ".join(capsys.readouterr().out.split())


def _applied(*argv):
    """The parsed options once --config is read (as rnnlab.cli does, the command not run)."""
    from rnnlab.cli import build_parser, given_options
    from rnnlab.config_option import config_step

    parser = build_parser(list(argv), lazy=True)
    args = parser.parse_args(list(argv))
    args.given_options = given_options(list(argv))
    assert config_step(parser, args, argv[0]) is None
    return args


def _file(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    return tmp_path / name


def test_a_backtest_run_directory_repeats_the_run(tmp_path, capsys):
    first, again = tmp_path / "b1", tmp_path / "b2"
    assert main(["backtest", "--data", "visnights", "--model", "naive", "--baselines", "none",
                 "--horizon", "4", "--plot-series", "0", "--out", str(first)]) == 0
    assert main(["backtest", "--config", str(first), "--out", str(again)]) == 0
    capsys.readouterr()
    assert (again / "forecasts.csv").read_text() == (first / "forecasts.csv").read_text()
    config = json.loads((again / "config.json").read_text())["config"]
    assert config["config"] == str((first / "config.json").resolve())  # (where from)
    assert config["horizon"] == 4
    args = _applied("backtest", "--config", str(first))  # (not its --out: a repeat went
    assert args.horizon == 4 and args.out is None  # on into the run it repeats)


def _timeless(record):
    """A metrics.json but for its training times (wall and CPU seconds differ between two
    runs of one seed; README, Files and safety, lists them)."""
    if isinstance(record, dict):
        return {k: _timeless(v) for k, v in record.items() if k not in ("seconds", "cpu_seconds")}
    if isinstance(record, list):
        return [_timeless(v) for v in record]
    return record


@pytest.mark.slow
def test_a_forecast_cli_json_repeats_the_run_and_is_recorded(tmp_path, capsys):
    first, again = tmp_path / "f1", tmp_path / "f2"
    assert main(["forecast", "--data", "airline", "--epochs", "2", "--hidden-size", "4",
                 "--ensemble", "1", "--seed", "3", "--no-progress", "--out", str(first)]) == 0
    assert main(["forecast", "--config", str(first / "cli.json"), "--out", str(again)]) == 0
    capsys.readouterr()
    assert _timeless(json.loads((again / "metrics.json").read_text())) == \
        _timeless(json.loads((first / "metrics.json").read_text()))
    record = json.loads((again / "cli.json").read_text())
    assert record["config_file"] == str((first / "cli.json").resolve())
    assert "config" not in record["options"] and record["options"]["seed"] == 3


def _record(tmp_path, config, command):
    (tmp_path / "config.json").write_text(json.dumps(
        {"config": config, "seed": 0, "versions": {}, "command": command}))
    return tmp_path


def test_a_panel_forecast_record_counts_only_its_values_off_the_defaults(tmp_path):
    # its options hold every one of the forecast parser's, --strategy's default among them:
    # counted as typed, it set the panel model's strategy (refused: "needs a likelihood")
    run = _record(tmp_path, {"panel": True, "options": {
        "data": "visnights", "strategy": "recursive", "hidden_size": 8, "config": "x.toml"}},
        ["rnnlab", "forecast", "--data", "visnights"])
    args = _applied("forecast", "--config", str(run))
    assert (args.data, args.hidden_size, args.strategy) == ("visnights", 8, "recursive")
    assert {"data", "hidden_size"} <= args.given_options and "strategy" not in args.given_options


def test_a_recipes_comparison_record_is_compares_and_several_parts_are_refused(tmp_path,
                                                                              capsys):
    run = _record(tmp_path, {"compare": {"models": ["rnn"], "hidden_size": 4,
                                         "strategy": "recursive"}, "title": "t"},
                  ["rnnlab", "recipe", "run", "e4-sine"])
    got = _printed(capsys, "compare", "--config", str(run))
    assert (got["models"], got["hidden_size"], got["forecast_strategy"]) == (["rnn"], 4,
                                                                            "recursive")
    _record(tmp_path, {"recipe": "e1", "parts": {"a": {}, "b": {}}}, ["rnnlab", "recipe"])
    assert main(["compare", "--config", str(tmp_path)]) == 2
    assert "a recipe of several parts (a, b); give one part's" in capsys.readouterr().err


@pytest.mark.slow
def test_a_panel_forecast_run_directory_repeats_the_run(tmp_path, capsys):
    f = _file(tmp_path, "p.toml", 'data = "visnights"\nepochs = 2\nhidden_size = 8\n'
                                  'batches_per_epoch = 5\nhorizon = 4\nseed = 2\n'
                                  'no_progress = true\n')
    first, again = tmp_path / "p1", tmp_path / "p2"
    assert main(["forecast", "--config", str(f), "--out", str(first)]) == 0
    assert main(["forecast", "--config", str(first), "--out", str(again)]) == 0
    capsys.readouterr()
    for name in ("forecasts.csv", "per_series.csv", "test_forecasts.csv"):
        assert (again / name).read_text() == (first / name).read_text()


def test_a_resumed_run_keeps_saying_its_config_file(tmp_path):
    import argparse

    from rnnlab.forecast.cli import RUNTIME_OPTIONS, _parser_defaults
    from rnnlab.io.cli_options import CLI_FILE, apply_saved_options, save_options

    started = argparse.Namespace(**{**vars(_parser_defaults()), "config": "/tmp/x.toml"},
                                 command="forecast")
    save_options(tmp_path, started)
    again = argparse.Namespace(**vars(_parser_defaults()), command="forecast",
                               given_options=frozenset({"resume"}))
    apply_saved_options(again, tmp_path, _parser_defaults(), RUNTIME_OPTIONS, "rnnlab forecast")
    save_options(tmp_path, again)  # (as a resume writes it again)
    record = json.loads((tmp_path / CLI_FILE).read_text())
    assert record["config_file"] == "/tmp/x.toml" and "config" not in record["options"]


def test_a_value_the_config_refuses_says_the_file(tmp_path, capsys):
    f = _file(tmp_path, "lr.toml", "lr = -1\n")
    assert main(["forecast", "--config", str(f), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "lr must be > 0" in err and f"(--lr: from --config {f})" in err


def test_an_older_cli_json_without_its_command(tmp_path, capsys):
    (tmp_path / "cli.json").write_text(json.dumps({"options": {"corpus": "shakespeare"}}))
    assert main(["forecast", "--config", str(tmp_path / "cli.json")]) == 2
    assert "the options of `rnnlab lm train`" in capsys.readouterr().err
    assert _printed(capsys, "lm", "train", "--config", str(tmp_path))["corpus"] == "shakespeare"


def test_a_key_may_be_the_flags_name_and_a_commands_own_action_reads_it(tmp_path, capsys):
    # --forecast-strategy's dest is strategy; forecast's --strategy also takes ddp
    f = _file(tmp_path, "s.toml", 'forecast_strategy = "direct"\n')
    assert _printed(capsys, "forecast", "--config", str(f))["strategy"] == "direct"
    f = _file(tmp_path, "d.toml", 'strategy = "ddp"\n')
    got = _printed(capsys, "forecast", "--config", str(f))
    assert (got["strategy"], got["dist_strategy"]) == ("recursive", "ddp")


def test_rnnlab_runs_shows_the_config_file_of_a_forecast_run(tmp_path):
    from rnnlab.runs_cli import read_run

    _record(tmp_path, {"model": "lstm"}, ["rnnlab", "forecast"])
    (tmp_path / "cli.json").write_text(json.dumps(
        {"options": {}, "command": "rnnlab forecast", "config_file": "/e/gru.toml"}))
    assert read_run(tmp_path)["option.config"] == "/e/gru.toml"
    (tmp_path / "cli.json").write_text("{damaged")
    assert "option.config" not in read_run(tmp_path)


def test_an_edited_copy_of_a_record_is_read_and_bad_json_is_said(tmp_path, capsys):
    from rnnlab.io.atomic import atomic_write_json

    atomic_write_json(tmp_path / "cli.json", {"options": {"hidden_size": 8},
                                              "command": "rnnlab forecast"}, checksum=True)
    text = (tmp_path / "cli.json").read_text().replace('"hidden_size": 8', '"hidden_size": 12')
    (tmp_path / "cli.json").write_text(text)  # (its checksum no longer matches: not checked)
    assert _printed(capsys, "forecast", "--config", str(tmp_path))["hidden_size"] == 12
    try:  # json's own words for a trailing comma: Python 3.13 says "Illegal trailing comma
        json.loads('{"epochs": 2,}')  # before end of object" (column 13), 3.10-3.12
    except json.JSONDecodeError as e:  # "Expecting property name enclosed in double quotes"
        why = f"{e.msg} at line {e.lineno}, column {e.colno}"
    assert why.startswith(("Expecting property name", "Illegal trailing comma")), why
    for text, said in (('{"epochs": 2,}', f"not valid JSON ({why}); fix the file"),
                       ("[1, 2]", "expected a JSON object of option names and values, found "
                                  "an array")):
        (tmp_path / "bad.json").write_text(text)
        assert main(["forecast", "--config", str(tmp_path / "bad.json")]) == 2
        assert said in capsys.readouterr().err


def test_a_forecast_config_json_reads_the_cli_json_beside_it(tmp_path, capsys):
    # (its config's fields are not all the options: max_seconds is --minutes)
    _record(tmp_path, {"hidden_size": 99, "max_seconds": 60}, ["rnnlab", "forecast"])
    (tmp_path / "cli.json").write_text(json.dumps(
        {"options": {"hidden_size": 8, "minutes": 1.0}, "command": "rnnlab forecast"}))
    assert main(["forecast", "--config", str(tmp_path / "config.json"), "--print-config"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["options"]["hidden_size"] == 8
    assert f"reading the options beside it, {tmp_path / 'cli.json'}" in out.err


def test_toml_before_python_311_is_read_by_tomli_or_refused_saying_so(tmp_path, monkeypatch):
    """rnnlab supports Python 3.10, whose standard library has no tomllib: a --config
    FILE.toml there died with ModuleNotFoundError. tomli (a dependency before 3.11) reads it;
    without it, the refusal says what to install or to give the settings as JSON."""
    import sys
    import types

    from rnnlab.config_file import _toml
    from rnnlab.io.errors import OptionError

    f = tmp_path / "run.toml"
    f.write_text("epochs = 2\n")
    monkeypatch.setitem(sys.modules, "tomllib", None)  # (an import of it fails, as on 3.10)
    read = []
    tomli = types.SimpleNamespace(TOMLDecodeError=ValueError,
                                  loads=lambda text: read.append(text) or {"epochs": 2})
    monkeypatch.setitem(sys.modules, "tomli", tomli)
    assert _toml(f) == {"epochs": 2} and read == ["epochs = 2\n"]
    monkeypatch.setitem(sys.modules, "tomli", None)
    with pytest.raises(OptionError, match=r"needs the tomli package: pip install tomli .*\.json"):
        _toml(f)
