"""A user who keeps settings in files and sweeps them: what misled them (session 25)."""

import argparse
import json

from printed_words import words
from rnnlab.config_given import GivenOptions
from rnnlab.io.cli_options import apply_saved_options


def test_a_resume_names_the_file_or_override_of_each_option_it_ignores(tmp_path, capsys):
    # (an edited settings file on `--config exp.yaml --resume`: "ignored --epochs 6", as if
    # typed, where nothing was typed)
    (tmp_path / "cli.json").write_text(json.dumps(
        {"options": {"epochs": 4, "lr": 0.01, "hidden_size": 4},
         "command": "rnnlab forecast"}))
    defaults = argparse.Namespace(epochs=300, lr=0.005, hidden_size=16)
    args = argparse.Namespace(epochs=6, lr=0.02, hidden_size=5)
    args.given_options = GivenOptions({"epochs", "lr", "hidden_size"}, sources={
        "epochs": "exp.yaml", "lr": "--set lr=0.02", "hidden_size": "command line"})
    apply_saved_options(args, tmp_path, defaults, (), "rnnlab forecast")
    err = words(capsys.readouterr().err)  # (its words: a warning wraps at 80 columns)
    assert err.endswith("ignored --epochs 6 (from --config exp.yaml), --lr 0.02 (from --set "
                        "lr=0.02), --hidden-size 5")
    assert (args.epochs, args.lr, args.hidden_size) == (4, 0.01, 4)


def _refusal(capsys, tmp_path, *argv):
    from rnnlab.cli import main

    assert main(["forecast", *argv, "--out", str(tmp_path / "o")]) == 2
    assert not (tmp_path / "o").exists()
    return capsys.readouterr().err


def test_a_config_refusal_names_the_override_that_gave_its_field(tmp_path, capsys):
    # (was: "(the options not typed came from --config base.toml)", the file, where the
    # value refused came from --set)
    base = tmp_path / "base.toml"
    base.write_text('data = "airline"\nepochs = 2\n')
    err = _refusal(capsys, tmp_path, "--config", str(base), "--set", "momentum=0.9")
    assert "--momentum 0.9 applies to --optimizer sgd only" in err  # (flags: optim_flags)
    assert err.rstrip().endswith("(--momentum: from --set momentum=0.9)")
    err = _refusal(capsys, tmp_path, "--config", str(base), "--set", "lr=-1")
    assert err.rstrip().endswith("lr must be > 0 and finite, got -1.0 (--lr: from --set lr=-1)")
    err = _refusal(capsys, tmp_path, "--config", str(base), "--lr", "-1")
    assert err.rstrip().endswith("got -1.0")  # (typed: no file to blame)
    (tmp_path / "opt.toml").write_text('optimizer = "sgd"\nnesterov = true\n')
    err = _refusal(capsys, tmp_path, "--config", str(base), "--config", str(tmp_path / "opt.toml"))
    assert f"(--nesterov: from --config {tmp_path / 'opt.toml'}; --optimizer: from" in err


def test_set_takes_a_list_in_brackets_as_hydra_writes_it(capsys):
    # (was: "--set quantiles=[0.1,0.9]: expected a number, found "[0.1"")
    from rnnlab.cli import main

    assert main(["forecast", "--set", "quantiles=[0.1, 0.9]", "--set",
                 "baselines=[naive,ets]", "--print-config"]) == 0
    got = json.loads(capsys.readouterr().out)["options"]
    assert (got["quantiles"], got["baselines"]) == ([0.1, 0.9], "naive,ets")
    assert main(["forecast", "--set", "lr=[0.1]", "--print-config"]) == 2  # (one value)
    assert "--set lr=[0.1]: expected a number" in capsys.readouterr().err


def test_print_config_with_a_resume_of_a_run_is_refused_naming_what_prints_its_options(
        tmp_path, capsys):
    # (was: `--resume RUN --print-config` printed the defaults, 300 epochs for a run of 4;
    # `--config edited.yaml --resume` the file's values, which the resume ignores)
    from rnnlab.cli import main

    run = tmp_path / "run"
    (run / "checkpoints" / "ckpt-00000004").mkdir(parents=True)
    (run / "checkpoints" / "ckpt-00000004" / "meta.json").write_text("{}")
    (run / "cli.json").write_text(json.dumps({"options": {"epochs": 4},
                                              "command": "rnnlab forecast"}))
    for argv in (["--resume", str(run)], ["--out", str(run), "--resume", "--epochs", "6"]):
        assert main(["forecast", *argv, "--print-config"]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and "--print-config with --resume: the resumed run goes " \
            f"on with the options {run} saved" in captured.err
        assert f"`rnnlab forecast --config {run} --print-config`" in captured.err
    assert main(["forecast", "--config", str(run), "--print-config"]) == 0  # (what it says)
    assert json.loads(capsys.readouterr().out)["options"]["epochs"] == 4
    # no run there yet: --out DIR --resume starts one with the options printed
    assert main(["forecast", "--out", str(tmp_path / "new"), "--resume", "--epochs", "6",
                 "--print-config"]) == 0
    assert json.loads(capsys.readouterr().out)["options"]["epochs"] == 6


def test_compare_says_why_it_has_no_optimizer_settings(capsys):
    from rnnlab.cli import main

    assert main(["compare", "--momentum", "0.9"]) == 2
    err = capsys.readouterr().err
    assert "--momentum: a comparison trains every model with the same optimizer, Adam at " \
           "--lr," in err
    assert "`rnnlab runs PATH`" in err
    # recipe run has no --lr (it said "Adam at --lr" there too): the recipe's rate
    assert main(["recipe", "run", "e4-sine", "--optimizer", "sgd"]) == 2
    err = capsys.readouterr().err
    assert "--optimizer: a comparison trains every model with the same optimizer, Adam at " \
           "the recipe's rate," in err and "at --lr" not in err


def test_compare_says_why_from_a_settings_file_or_set_too(tmp_path, capsys):
    # (a sweep's file or --set momentum=0.9 given to compare was only "no such option")
    from rnnlab.cli import main

    (tmp_path / "opt.toml").write_text('momentum = 0.9\n')
    for argv in (["compare", "--config", str(tmp_path / "opt.toml")],
                 ["recipe", "run", "e2-lookback2-lstm", "--set", "betas=0.5,0.9"]):
        assert main([*argv, "--print-config"]) == 2
        err = capsys.readouterr().err
        assert "has no such option" in err, argv
        assert "a comparison trains every model with the same optimizer, Adam" in err, argv


def test_a_file_that_names_other_files_is_told_to_give_each_with_config(tmp_path, capsys):
    # (Hydra's `defaults:` list, an `include:`: was only "no such option")
    for text in ('defaults = ["base"]\n', 'config = "base.toml"\n'):
        f = tmp_path / "exp.toml"
        f.write_text(text)
        err = _refusal(capsys, tmp_path, "--config", str(f))
        assert "a settings file does not name other files: give each with its own --config" in err


def test_a_resume_with_a_list_typed_warns_it_ignored_it_as_typed(tmp_path, capsys):
    # (was: `--out RUN --resume --quantiles 0.2 0.8`: TypeError: unhashable type: 'list',
    # an internal error)
    (tmp_path / "cli.json").write_text(json.dumps(
        {"options": {"quantiles": [0.1, 0.5, 0.9]}, "command": "rnnlab forecast"}))
    args = argparse.Namespace(quantiles=[0.2, 0.8], copies={"-": "x"})
    args.given_options = GivenOptions({"quantiles"}, sources={"quantiles": "command line"})
    apply_saved_options(args, tmp_path, argparse.Namespace(quantiles=None), (),
                        "rnnlab forecast")
    assert "ignored --quantiles 0.2 0.8\n" in capsys.readouterr().err
    assert args.quantiles == [0.1, 0.5, 0.9]


def test_a_records_optimizer_settings_are_dropped_for_another_optimizer_typed(tmp_path,
                                                                               capsys):
    # (`--config SGD_RUN --optimizer adam` was refused: "momentum=0.9 applies to
    # optimizer='sgd' only", a value the record gave, not the user)
    from rnnlab.cli import main

    run = tmp_path / "run"
    run.mkdir()
    (run / "cli.json").write_text(json.dumps({"options": {
        "optimizer": "sgd", "momentum": 0.9, "nesterov": True, "betas": [0.9, 0.999],
        "epochs": 3}, "command": "rnnlab forecast"}))

    def printed(*argv):
        assert main(["forecast", "--config", str(run), *argv, "--print-config"]) == 0
        out, err = capsys.readouterr()
        opts = json.loads(out)["options"]
        return (opts["optimizer"], opts["momentum"], opts["nesterov"], opts["epochs"]), err

    got, err = printed("--optimizer", "adam")
    assert got == ("adam", 0.0, False, 3)
    assert "--momentum, --nesterov: from the run record" in err
    assert "--optimizer adam does not read them: dropped" in err
    assert printed("--set", "optimizer=adamw")[0] == ("adamw", 0.0, False, 3)
    assert printed()[0] == ("sgd", 0.9, True, 3)  # (its own optimizer: kept, no note)
    err = _refusal(capsys, tmp_path, "--config", str(run), "--optimizer", "adam",
                   "--momentum", "0.5")  # (typed: the user's, refused)
    assert "--momentum 0.5 applies to --optimizer sgd only" in err
    (run / "cli.json").write_text(json.dumps({"options": {
        "optimizer": "adam", "betas": [0.5, 0.9]}, "command": "rnnlab forecast"}))
    assert main(["forecast", "--config", str(run), "--optimizer", "sgd",
                 "--print-config"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["options"]["betas"] == [0.9, 0.999] and "--betas: from" in err
    # typed, or in a file of one's own, they are still the user's: refused
    own = tmp_path / "own.toml"
    own.write_text('optimizer = "sgd"\nmomentum = 0.9\n')
    err = _refusal(capsys, tmp_path, "--config", str(own), "--optimizer", "adam")
    assert "--momentum 0.9 applies to --optimizer sgd only" in err  # (flags: optim_flags)


def test_recipe_run_config_of_a_record_without_name_says_where_it_goes(tmp_path, capsys):
    # (`recipe run --config RUN`: argparse's "required: NAME" came before the note that a
    # recipe run's record repeats through `rnnlab compare --config`)
    from rnnlab.cli import main

    run = tmp_path / "run"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({
        "config": {"recipe": "e5-airline-gru", "as_written": "airline_gru", "quick": True},
        "seed": 0, "versions": {}, "command": ["rnnlab", "recipe", "run", "e5-airline-gru"]}))
    assert main(["recipe", "run", "--config", str(run)]) == 2
    err = capsys.readouterr().err
    assert "give it to `rnnlab compare --config`" in err and "SUPPRESS" not in err
    assert main(["recipe", "run", "--quick"]) == 2
    err = capsys.readouterr().err
    assert "the following arguments are required: NAME" in err
    assert "`rnnlab compare --config RUN_DIR`" in err
    assert main(["recipe", "run", "bogus"]) == 2
    assert "invalid choice: 'bogus'" in capsys.readouterr().err
