"""Session 34 review of ops34: a ``--print-config`` record saved as ``config.json``, the
"ignored --config" of a ``--run`` a file gave, and matplotlib's folders with no home."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from printed_words import words

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "src"))


def _printed(capsys, record_file, record: dict, given=None):
    """``record`` written to ``record_file``, read back by ``rnnlab forecast --config
    GIVEN --print-config`` (``given``: the file, else the folder given): (the options
    printed, the words on stderr)."""
    from rnnlab.cli import main

    record_file.parent.mkdir(exist_ok=True)
    record_file.write_text(json.dumps(record))
    assert main(["forecast", "--config", str(given or record_file), "--print-config"]) == 0
    said = capsys.readouterr()
    return json.loads(said.out)["options"], words(said.err)


def _cli_record(run: str) -> dict:
    return {"options": {"data": "airline", "epochs": 2, "run": run},
            "command": "rnnlab forecast"}


def test_a_print_config_record_saved_as_config_json_keeps_its_run(tmp_path, capsys):
    # `rnnlab forecast --run R --print-config > config.json` read back by `--config
    # config.json` lost its run by the file's name alone (a run directory's record is
    # named so too): it trained a new model where the user asked to forecast with R's
    other = str(tmp_path / "other")
    options, err = _printed(capsys, tmp_path / "mine" / "config.json", _cli_record(other))
    assert options["run"] == other and "not taken" not in err, err


def test_a_run_directorys_config_json_that_names_a_run_has_it_left_out(tmp_path, capsys):
    # a panel forecast's record (config.json with its versions) edited to name a run: the
    # repeat does not read another run's model (the same as a run directory's cli.json)
    other = str(tmp_path / "other")
    record = {"config": {"options": {"data": "airline", "epochs": 2, "run": other}},
              "versions": {}, "command": ["rnnlab", "forecast"]}
    options, err = _printed(capsys, tmp_path / "run" / "config.json", record,
                            given=tmp_path / "run")
    assert "run" not in options and f"its run ({other}) is not taken" in err, err


def test_a_folder_given_to_config_is_a_run_directory_whatever_its_record_is_named(tmp_path,
                                                                                   capsys):
    # (a folder whose config.json has a cli.json's shape: still the run directory the
    # user asked to repeat, so its run is not the model read)
    other = str(tmp_path / "other")
    options, err = _printed(capsys, tmp_path / "d" / "config.json", _cli_record(other),
                            given=tmp_path / "d")
    assert "run" not in options and f"its run ({other}) is not taken" in err, err


@pytest.mark.slow  # (a run trained, then read three times: about 12 s)
def test_a_run_read_from_a_settings_file_does_not_say_the_file_was_ignored(tmp_path, capsys):
    # `--config my.json` (a --print-config record of `forecast --run R`) forecast with R's
    # model, as asked, and warned "--run forecasts with the saved model as it was trained;
    # ignored --config": the file that gave the run was said to be ignored. The options it
    # set that --run does not read are named one by one, as typed ones are.
    from rnnlab.cli import main

    run = tmp_path / "run"
    assert main(["forecast", "--data", "airline", "--hidden-size", "4", "--epochs", "1",
                 "--lookback", "6", "--ensemble", "1", "--no-progress", "--out",
                 str(run)]) == 0
    for n, (keys, unread) in enumerate((({}, ""), ({"epochs": 9}, "ignored --epochs"))):
        mine = tmp_path / f"mine{n}.json"
        mine.write_text(json.dumps({"run": str(run), "horizon": 2, **keys}))
        capsys.readouterr()
        assert main(["forecast", "--config", str(mine)]) == 0
        err = words(capsys.readouterr().err)
        assert "ignored --config" not in err and "--config" not in err.split("ignored")[-1], err
        assert unread in err and ("ignored" in err) == bool(unread), err
    capsys.readouterr()
    assert main(["forecast", "--set", f"run={run}", "--set", "horizon=2"]) == 0
    assert "ignored" not in words(capsys.readouterr().err)


_NO_HOME = """
import os, pathlib, sys

def no_home(cls=None):  # (HOME unset, a user id with no passwd entry: an OpenShift pod's)
    raise RuntimeError("Could not determine home directory.")

pathlib.Path.home = classmethod(no_home)
import rnnlab.matplotlib_home as m

m.use_private_dir_if_home_is_read_only()
print(os.environ.get("MPLCONFIGDIR") or "-")
import matplotlib
print(matplotlib.rcParams["lines.linewidth"])
"""


def test_xdg_folders_that_work_are_kept_where_there_is_no_home_folder(tmp_path):
    # with no home folder to be found, matplotlib reads XDG_CONFIG_HOME and XDG_CACHE_HOME
    # all the same; rnnlab took them for missing too and gave matplotlib a temporary
    # folder, so the user's matplotlibrc there was not read (other plots, without a word)
    config, cache = tmp_path / "config", tmp_path / "cache"
    (config / "matplotlib").mkdir(parents=True)
    (config / "matplotlib" / "matplotlibrc").write_text("lines.linewidth: 3\n")
    cache.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "HOME")}
    env.update(XDG_CONFIG_HOME=str(config), XDG_CACHE_HOME=str(cache), PYTHONPATH=SRC)
    done = subprocess.run([sys.executable, "-c", _NO_HOME], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["-", "3.0"], done.stdout + done.stderr


def test_the_run_a_record_names_is_offered_as_a_command_that_can_be_pasted(tmp_path, capsys):
    # "give --run /my runs/r to read that model": pasted, the shell split the path
    import shlex

    other = str(tmp_path / "my runs" / "r")
    _, err = _printed(capsys, tmp_path / "d" / "cli.json", _cli_record(other),
                      given=tmp_path / "d")
    assert f"give --run {shlex.quote(other)} to read that model" in err, err
    assert shlex.split(err.split("give ")[1].split(" to read")[0]) == ["--run", other]


def test_a_hint_that_fails_with_an_empty_message_names_the_error_alone(monkeypatch):
    # "could not say how to go on (ImportError: )": the error's name and a dangling colon
    import argparse

    import rnnlab.cli_command as cli_command

    def fails(args, name):
        raise ImportError()

    monkeypatch.setattr(cli_command, "resume_hint", fails)
    hint, failed = cli_command._stop_hint(argparse.Namespace(), "forecast")
    assert hint == "" and failed.startswith("could not say how to go on (ImportError); "), \
        failed


_READ_ONLY_HOME = """
import os, sys
home = os.environ["HOME"]
access = os.access

def as_a_user(path, mode, **kw):  # (root writes a read-only folder: as a user would not)
    inside = os.path.abspath(os.fspath(path)).startswith(home)
    return access(path, mode, **kw) and not (inside and mode & os.W_OK)

os.access = as_a_user
from rnnlab.io.atomic import atomic_write_figure
from rnnlab.pyplot_agg import pyplot

fig, ax = pyplot().subplots(figsize=(3, 2))
ax.plot([1, 2, 3])
ax.set_title("fonts read")
atomic_write_figure("p.png", fig)
"""


def test_a_read_only_home_folder_is_left_unwritten_as_root_too(tmp_path):
    # (test_batch_frictions34's chmod 555 home skips as root, who writes it all the same:
    # here os.access says what it says to a user, and matplotlib, which asks it too, left
    # alone would make its folders under the home folder, then warn that it cannot write)
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "tmp").mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("MPLCONFIGDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    env.update(HOME=str(home), TMPDIR=str(tmp_path / "tmp"), PYTHONPATH=SRC)
    done = subprocess.run([sys.executable, "-c", _READ_ONLY_HOME], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "MPLCONFIGDIR" not in done.stderr and "writable" not in done.stderr, done.stderr
    assert list(home.iterdir()) == [] and list((tmp_path / "tmp").iterdir()) == []
