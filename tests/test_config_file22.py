"""``--config`` as a user repeats and varies runs with it (session 22): a record repeated
with a baseline, a file's switch turned off, two options of one dest, paths in records."""

import json

import pytest

from rnnlab.cli import build_parser, given_options, main
from rnnlab.config_option import config_step
from rnnlab.io.errors import OptionError


def _printed(capsys, *argv):
    assert main([*argv, "--print-config"]) == 0
    return json.loads(capsys.readouterr().out)["options"]


def _applied(*argv):
    """The parsed options once --config is read (as rnnlab.cli does, the command not run)."""
    parser = build_parser(list(argv), lazy=True)
    args = parser.parse_args(list(argv))
    args.given_options = given_options(list(argv))
    name = " ".join(argv[:2]) if argv[0] == "lm" else argv[0]  # (its words: "lm train")
    assert config_step(parser, args, name) is None
    return args


def _file(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    return tmp_path / name


def _lstm_backtest_record(tmp_path):
    """A backtest's config.json as an LSTM run writes it: every option, the network's set."""
    run = tmp_path / "bt_lstm"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({"config": {
        "model": "lstm", "data": "visnights", "baselines": "none", "horizon": 4,
        "plot_series": 0, "hidden_size": 4, "epochs": 1, "batches_per_epoch": 2,
        "seed": 0, "out": str(run)}, "seed": 0, "versions": {},
        "command": ["rnnlab", "backtest", "--model", "lstm"]}))
    return run


def test_a_records_network_options_are_dropped_for_a_typed_baseline(tmp_path, capsys):
    # `backtest --config RUN_OF_LSTM --model naive` was refused: the record's hidden size
    # and epochs counted as typed ("drop them"), which a user cannot do to a record
    run, out = _lstm_backtest_record(tmp_path), tmp_path / "naive"
    assert main(["backtest", "--config", str(run), "--model", "naive", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "--batches-per-epoch, --epochs, --hidden-size: from the run record" in err
    assert "--model naive, a baseline, does not read them: dropped" in err
    config = json.loads((out / "config.json").read_text())["config"]
    assert (config["model"], config["hidden_size"], config["epochs"]) == ("naive", 48, 40)


def test_a_typed_or_own_file_network_option_is_still_refused_with_a_baseline(tmp_path,
                                                                            capsys):
    run = _lstm_backtest_record(tmp_path)
    assert main(["backtest", "--config", str(run), "--model", "naive", "--hidden-size", "8",
                 "--out", str(tmp_path / "a")]) == 2
    err = capsys.readouterr().err
    assert "--batches-per-epoch, --epochs: from the run record" in err  # (the record's)
    assert "error: --hidden-size: options of the global network" in err  # (the typed one)
    own = _file(tmp_path, "mine.toml", 'data = "visnights"\nmodel = "naive"\nepochs = 3\n')
    assert main(["backtest", "--config", str(own), "--out", str(tmp_path / "b")]) == 2
    assert "error: --epochs: options of the global network" in capsys.readouterr().err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_a_one_series_records_options_are_dropped_on_a_panel(tmp_path, capsys):
    from rnnlab.panel.run_checks import refuse_one_series_options

    rec = _file(tmp_path, "cli.json", json.dumps({"options": {
        "data": "airline", "test_size": 30}, "command": "rnnlab forecast"}))
    args = _applied("forecast", "--config", str(rec), "--data", "visnights")
    refuse_one_series_options(args)
    assert args.test_size is None and "test_size" not in args.given_options
    assert "--test-size: from the run record" in capsys.readouterr().err
    own = _file(tmp_path, "own.toml", "test_size = 30\n")
    with pytest.raises(OptionError, match="--test-size: an option of the one-series"):
        refuse_one_series_options(_applied("forecast", "--config", str(own), "--data",
                                           "visnights"))


@pytest.mark.parametrize("command, line, key, off", [
    (["forecast"], "no_progress = true", "no_progress", "--progress"),
    (["backtest", "--data", "visnights"], "no_progress = true", "no_progress", "--progress"),
    (["lm", "train"], "overwrite = true", "overwrite", "--no-overwrite"),
    (["compare"], "quick = true", "quick", "--no-quick"),
])
def test_a_files_switch_is_turned_off_from_the_command_line(tmp_path, capsys, command, line,
                                                            key, off):
    f = _file(tmp_path, "s.toml", line + "\n")
    args = _applied(command[0], *command[1:], "--config", str(f))
    assert getattr(args, key) is True
    args = _applied(command[0], *command[1:], "--config", str(f), off)
    assert getattr(args, key) is False and key in args.given_options
    assert main([*command, "--help"]) == 0
    assert f"{off} " in capsys.readouterr().out  # (said by --help)


def test_a_switchs_counterpart_is_no_key_of_a_file(tmp_path, capsys):
    f = _file(tmp_path, "p.toml", "progress = false\n")
    assert main(["forecast", "--config", str(f), "--print-config"]) == 2
    assert "key 'progress': `rnnlab forecast` has no such option; did you mean " \
           "'no_progress'" in capsys.readouterr().err
    assert _printed(capsys, "forecast", "--no-progress")["no_progress"] is True  # (as ever)
    assert _printed(capsys, "forecast")["no_progress"] is False


@pytest.mark.parametrize("text, typed, want", [
    ('strategy = "ddp"', "direct", ("direct", "ddp")),  # (the file's ddp was dropped)
    ('strategy = "direct"', "ddp", ("direct", "ddp")),  # (the file's direct was dropped)
    ('strategy = "ddp"', "auto", ("recursive", "auto")),  # (the typed one wins)
])
def test_two_options_of_one_dest_in_file_and_command_line(tmp_path, capsys, text, typed,
                                                          want):
    f = _file(tmp_path, "d.toml", text + "\n")
    got = _printed(capsys, "forecast", "--config", str(f), "--strategy", typed)
    assert (got["strategy"], got["dist_strategy"]) == want


def test_a_backtest_record_of_a_relative_csv_repeats_from_another_directory(
        tmp_path, monkeypatch, capsys):
    # its config.json kept the CSV as typed ("p.csv"): from another directory, not found
    proj, elsewhere = tmp_path / "proj", tmp_path / "elsewhere"
    proj.mkdir(), elsewhere.mkdir()
    rows = ["unique_id,ds,y"] + [f"{s},{i},{i % 4 + 2 * s}" for s in (1, 2) for i in range(24)]
    (proj / "p.csv").write_text("\n".join(rows) + "\n")
    monkeypatch.chdir(proj)
    assert main(["backtest", "--data", "p.csv", "--model", "naive", "--baselines", "none",
                 "--horizon", "4", "--plot-series", "0", "--out", "bt"]) == 0
    config = json.loads((proj / "bt" / "config.json").read_text())["config"]
    assert config["data"] == str((proj / "p.csv").resolve())
    monkeypatch.chdir(elsewhere)
    assert main(["backtest", "--config", str(proj / "bt"), "--out", "again"]) == 0
    capsys.readouterr()
    assert (elsewhere / "again" / "forecasts.csv").read_text() == \
        (proj / "bt" / "forecasts.csv").read_text()


def test_a_relative_path_beside_the_file_not_in_the_working_directory_is_read(
        tmp_path, monkeypatch, capsys):
    # (session 22 read it from the working directory, with a note; session 23: a settings
    # file's relative paths are the file's, as Docker Compose reads them)
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "s.csv").write_text("y\n1\n2\n")
    f = _file(tmp_path / "cfg", "g.toml", 'data = "s.csv"\n')
    monkeypatch.chdir(tmp_path)
    assert _printed(capsys, "forecast", "--config", str(f))["data"] == \
        str(tmp_path / "cfg" / "s.csv")
    assert capsys.readouterr().err == ""
    assert _printed(capsys, "forecast", "--config", str(f), "--data", "airline")["data"] == \
        "airline"  # (typed: the working directory's, as always)


def test_a_panel_records_options_are_dropped_for_one_typed_series(tmp_path, capsys):
    # `forecast --config PANEL_RUN --data airline` was refused: "--max-seconds: options of
    # the panel model, but --data airline is one series; drop them"
    from rnnlab.io.errors import DataError
    from rnnlab.panel.wants_panel import wants_panel

    run = tmp_path / "panel"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({"config": {"panel": True, "options": {
        "data": "visnights", "max_seconds": 60.0, "hidden_size": 4}}, "seed": 0,
        "versions": {}, "command": ["rnnlab", "forecast", "--data", "visnights"]}))
    args = _applied("forecast", "--config", str(run), "--data", "airline")
    assert wants_panel(args) is False
    assert args.max_seconds is None and args.hidden_size == 4  # (the one-series model's too)
    assert "--max-seconds: from the run record" in capsys.readouterr().err
    own = _file(tmp_path, "own.toml", "max_seconds = 60\n")
    with pytest.raises(DataError, match="--max-seconds: options of the panel model"):
        wants_panel(_applied("forecast", "--config", str(own), "--data", "airline"))


def test_a_comparison_records_flags_of_another_task_are_dropped(tmp_path, capsys):
    # `compare --config LM_RUN --task forecast` was refused: "--seq-len: read by --task lm
    # only ...; drop --seq-len", a flag the user never typed
    import dataclasses

    from rnnlab.compare.config import CompareConfig
    from rnnlab.compare.flag_checks import RENAMED, check_task_flags, drop_recorded_task_flags

    run = tmp_path / "cmp"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({"config": {"compare": {
        "task": "lm", "models": ["rnn"], "seq_len": 16, "hidden_size": 4}}, "seed": 0,
        "versions": {}, "command": ["rnnlab", "compare", "--task", "lm"]}))

    def given_of(args):  # (as rnnlab compare reads its flags)
        return {f.name: getattr(args, RENAMED.get(f.name, f.name))
                for f in dataclasses.fields(CompareConfig)
                if hasattr(args, RENAMED.get(f.name, f.name)) and f.name != "device"}

    args = _applied("compare", "--config", str(run), "--task", "forecast")
    given = given_of(args)
    drop_recorded_task_flags(args, given, {"forecast"})
    assert "seq_len" not in given and not hasattr(args, "seq_len") and given["hidden_size"] == 4
    assert "--seq-len: from the run record" in capsys.readouterr().err
    parts = {"compare": CompareConfig(**given)}
    check_task_flags(given, parts)  # (nothing left to refuse)
    args = _applied("compare", "--config", str(run), "--task", "forecast", "--seq-len", "8")
    given = given_of(args)
    drop_recorded_task_flags(args, given, {"forecast"})
    with pytest.raises(OptionError, match="--seq-len: read by --task lm only"):
        check_task_flags(given, parts)  # (typed: refused as ever)


@pytest.mark.parametrize("command", ["forecast", "lm train"])
def test_a_records_depth_is_dropped_for_a_typed_model_without_one(tmp_path, capsys, command):
    # `forecast --config DT_RNN_RUN --model lstm` was refused: "model 'lstm' has no depth
    # (set depth=3) ... leave it out", a depth only the record held
    rec = _file(tmp_path, "cli.json", json.dumps({"options": {
        "model": "dt-rnn", "depth": 3}, "command": f"rnnlab {command}"}))
    words = command.split()
    args = _applied(*words, "--config", str(rec), "--model", "lstm")
    assert args.depth == 2 and "depth" not in args.given_options
    assert "--depth: from the run record" in capsys.readouterr().err
    assert _applied(*words, "--config", str(rec)).depth == 3  # (dt-rnn reads it)
    args = _applied(*words, "--config", str(rec), "--model", "lstm", "--depth", "3")
    assert args.depth == 3 and "depth" in args.given_options  # (typed: refused later)
    own = _file(tmp_path, "own.toml", "depth = 3\n")  # (a file of one's own: the same)
    assert "depth" in _applied(*words, "--config", str(own), "--model", "lstm").given_options
