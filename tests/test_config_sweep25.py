"""A user who keeps settings in files and sweeps them: what misled them (session 25)."""

import argparse
import json

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
    err = capsys.readouterr().err
    assert ("ignored --epochs 6 (from --config exp.yaml), --lr 0.02 (from --set lr=0.02), "
            "--hidden-size 5\n") in err
    assert (args.epochs, args.lr, args.hidden_size) == (4, 0.01, 4)
