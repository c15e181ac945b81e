"""Session 34, rnnlab in batch jobs and on the command line: what a stop, a read-only home
folder, a long path in a warning and a links note say."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from printed_words import words

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "src"))


def _python(code: str, cwd, **env):
    """``code`` run by this Python in a process of its own, rnnlab importable."""
    full = {**os.environ, "PYTHONPATH": SRC, **env}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=full, cwd=cwd, timeout=120)


_BROKEN_HINT = """
import sys

import pytest
import rnnlab.runs_cli as runs_cli

class Missing:  # (an installation missing a module: the stop's hint imports it)
    def find_spec(self, name, path=None, target=None):
        if name == "rnnlab.io.write_failure":
            raise ModuleNotFoundError("No module named 'rnnlab.io.write_failure'")
        return None

def stopped(args):
    sys.modules.pop("rnnlab.io.write_failure", None)
    sys.meta_path.insert(0, Missing())
    raise KeyboardInterrupt

runs_cli.run = stopped
from rnnlab.cli import main
sys.exit(main(["runs", "."]))
"""


def test_a_stop_whose_hint_fails_to_import_says_the_stop_and_names_the_failure(tmp_path):
    # the hint after a Ctrl-C swallowed an ImportError raised while it was built: a broken
    # installation said nothing but "interrupted"
    done = _python(_BROKEN_HINT, tmp_path)
    assert done.returncode == 130, done.stderr[-2000:]
    said = words(done.stderr)
    assert "rnnlab runs: interrupted; files already written are kept" in said
    assert "ModuleNotFoundError: No module named 'rnnlab.io.write_failure'" in said
    assert "reinstall rnnlab" in said
    assert "Traceback" not in done.stderr


def test_a_warning_that_starts_with_a_long_path_starts_it_on_the_prefixs_line(tmp_path):
    # the warning's prefix stood alone on a line, `rnnlab forecast: warning:`, and the
    # path (a run folder's cli.json) on the next
    import json

    run = tmp_path / "a-rather-long-folder-name" / "runs-of-the-forecasting-team" / "run-1"
    run.mkdir(parents=True)
    (run / "cli.json").write_text(json.dumps({  # (an option of a newer rnnlab: warned)
        "options": {"data": str(tmp_path / "gone.csv"), "frobnicate": 3},
        "command": "rnnlab forecast"}))
    done = _python(f"import sys; from rnnlab.cli import main; "
                   f"sys.exit(main(['forecast', '--resume', {str(run)!r}]))", tmp_path)
    path = str(run / "cli.json")
    assert len(path) > 60
    lines = done.stderr.splitlines()
    first = [line for line in lines if line.startswith("rnnlab forecast: warning:")]
    assert first == [f"rnnlab forecast: warning: {path}"], done.stderr  # (whole: past 80)
    said = words(done.stderr)
    assert f"rnnlab forecast: warning: {path} holds options this rnnlab does not know: " \
           f"--frobnicate" in said
    after = lines[lines.index(first[0]) + 1:]
    assert after[0].startswith("  holds") and all(len(line) <= 80 for line in after[:4])


def test_a_warnings_prefix_keeps_its_first_word_wherever_it_wraps():
    from rnnlab.warning_lines import warning_text

    for n in range(20, 90, 7):  # (a path of each length, bare and quoted with a space)
        for path in ("/d" * (n // 2), "'/my data" + "/d" * (n // 2) + "'"):
            line = f"rnnlab lm train: warning: {path}: the corpus differs; it is read"
            said = warning_text(line)
            assert said.splitlines()[0].startswith(f"rnnlab lm train: warning: {path}:"), said
            assert words(said) == line


def _linked_run(tmp_path):
    """A run folder whose ``model`` is a link to a folder outside it: (run, target)."""
    run, elsewhere = tmp_path / "run", tmp_path / "elsewhere"
    run.mkdir()
    (elsewhere / "model").mkdir(parents=True)
    (elsewhere / "model" / "model.json").write_text("{}")
    (run / "model").symlink_to(elsewhere / "model")
    return run, (elsewhere / "model").resolve()


def _links_note(command: str, run, target) -> str:
    return (f"rnnlab lm {command}: note: {run}: reading through links that lead out of it: "
            f"model -> {target}")


def test_the_links_note_of_lm_generate_names_it(tmp_path):
    # `rnnlab lm generate --run DIR` with DIR/model linked elsewhere said
    # "rnnlab lm: note: ...", not the command the user ran
    run, target = _linked_run(tmp_path)
    done = _python(f"import sys; from rnnlab.cli import main; "
                   f"sys.exit(main(['lm', 'generate', '--run', {str(run)!r}]))", tmp_path)
    said = words(done.stderr)
    assert _links_note("generate", run, target) in said and "rnnlab lm: note" not in said, \
        done.stderr


def test_the_links_note_of_lm_eval_names_it(tmp_path, capsys):
    from cli_run import run as run_main

    run, target = _linked_run(tmp_path)
    _, err = run_main(["lm", "eval", "--run", str(run)], capsys)
    assert _links_note("eval", run, target) in words(err), err


_PLOT = """
import os, sys
from rnnlab.io.atomic import atomic_write_figure
from rnnlab.pyplot_agg import pyplot

fig, ax = pyplot().subplots(figsize=(3, 2))
ax.plot([1, 2, 3])
atomic_write_figure("p.png", fig)
print(os.environ.get("MPLCONFIGDIR"))
"""


def _home_env(tmp_path, home, **more):
    """A process environment whose home folder is ``home``, matplotlib's folders found
    from it (no MPLCONFIGDIR, no XDG_*), temporary files under ``tmp_path/tmp``."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MPLCONFIGDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env.update(HOME=str(home), TMPDIR=str(tmp_path / "tmp"), PYTHONPATH=SRC, **more)
    return env


def _run_env(code, cwd, env, *argv):
    return subprocess.run([sys.executable, *(("-c", code) if code else argv)],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def _no_matplotlib_warning(err: str) -> bool:
    return "MPLCONFIGDIR" not in err and "mkdir -p failed" not in err \
        and "is not a writable directory" not in err


def test_a_plot_with_a_home_folder_that_cannot_be_written_warns_nothing(tmp_path):
    # HOME in a folder that cannot be made (under a file: refused even to root): matplotlib
    # printed "mkdir -p failed for path ..." and "Matplotlib created a temporary cache
    # directory ... set the MPLCONFIGDIR environment variable"
    (tmp_path / "file").write_text("")
    env = _home_env(tmp_path, tmp_path / "file" / "home")
    done = _run_env(_PLOT, tmp_path, env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _no_matplotlib_warning(done.stderr), done.stderr
    assert (tmp_path / "p.png").stat().st_size > 0
    private = done.stdout.strip()  # (rnnlab's own folder, removed when the process ended)
    assert private.startswith(str(tmp_path / "tmp" / "rnnlab-matplotlib-")), done.stdout
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root writes a read-only folder")
def test_a_read_only_home_folder_is_left_unwritten(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    try:
        done = _run_env(_PLOT, tmp_path, _home_env(tmp_path, home))
    finally:
        home.chmod(0o755)
    assert done.returncode == 0 and _no_matplotlib_warning(done.stderr), done.stderr
    assert list(home.iterdir()) == []


def test_a_mplconfigdir_the_user_set_is_used(tmp_path):
    (tmp_path / "file").write_text("")
    mine = tmp_path / "mine"
    mine.mkdir()
    env = _home_env(tmp_path, tmp_path / "file" / "home", MPLCONFIGDIR=str(mine))
    done = _run_env(_PLOT, tmp_path, env)
    assert done.returncode == 0 and done.stdout.strip() == str(mine), done.stderr
    assert any(p.name.startswith("fontlist") for p in mine.iterdir())  # (its cache)


def test_a_home_folder_that_works_keeps_matplotlibs_own_folders(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    done = _run_env(_PLOT, tmp_path, _home_env(tmp_path, home))
    assert done.returncode == 0 and done.stdout.strip() == "None", done.stderr
    assert (home / ".cache" / "matplotlib").is_dir()


def test_a_settings_folder_of_the_users_is_not_replaced_for_a_cache_folder(tmp_path):
    # (its matplotlibrc would not be read: matplotlib's own fallback for the cache is kept)
    (tmp_path / "file").write_text("")
    config = tmp_path / "config"
    (config / "matplotlib").mkdir(parents=True)
    (config / "matplotlib" / "matplotlibrc").write_text("lines.linewidth: 3\n")
    env = _home_env(tmp_path, tmp_path / "home", XDG_CONFIG_HOME=str(config),
                    XDG_CACHE_HOME=str(tmp_path / "file" / "cache"))
    code = "import rnnlab.matplotlib_home as m, os\n" \
           "m.use_private_dir_if_home_is_read_only()\n" \
           "import matplotlib\nprint(os.environ.get('MPLCONFIGDIR') or '-', " \
           "matplotlib.rcParams['lines.linewidth'])"
    done = _run_env(code, tmp_path, env)
    said = done.stdout.split()
    assert said[-1] == "3.0" and "rnnlab-matplotlib-" not in said[0], done


@pytest.mark.slow  # (a backtest's plots: about 7 s)
def test_a_plotting_command_with_a_read_only_home_says_nothing_of_matplotlib(tmp_path):
    (tmp_path / "file").write_text("")
    env = _home_env(tmp_path, tmp_path / "file" / "home")
    done = _run_env(None, tmp_path, env, "-m", "rnnlab", "backtest", "--data", "visnights",
                    "--model", "naive", "--baselines", "none", "--horizon", "4",
                    "--out", "bt")
    assert done.returncode == 0, done.stderr[-2000:]
    assert _no_matplotlib_warning(done.stderr), done.stderr
    assert (tmp_path / "bt" / "forecasts.png").is_file()
    assert list((tmp_path / "tmp").iterdir()) == []  # (its folder removed at the end)


def test_a_run_directorys_record_does_not_choose_the_model_a_repeat_reads(tmp_path, capsys):
    # `--config RUN_DIR` whose cli.json names a run (edited: no run directory records one)
    # forecast with that run's model instead of repeating the run, saying only
    # "ignored --config"; a --print-config record saved to a file keeps its run
    import json

    from rnnlab.cli import main

    other = str(tmp_path / "other")
    record = {"options": {"data": "airline", "epochs": 2, "run": other},
              "command": "rnnlab forecast"}
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "cli.json").write_text(json.dumps(record))
    done = _python("import sys; from rnnlab.cli import main; "
                   "sys.exit(main(['forecast', '--config', 'd', '--print-config']))", tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    options, err = json.loads(done.stdout)["options"], words(done.stderr)
    assert "run" not in options and options["epochs"] == 2  # (the rest repeated)
    assert f"its run ({other}) is not taken" in err and f"give --run {other}" in err
    (tmp_path / "printed.json").write_text(json.dumps(record))
    assert main(["forecast", "--config", str(tmp_path / "printed.json"), "--print-config"]) == 0
    said = capsys.readouterr()
    assert json.loads(said.out)["options"]["run"] == other and "not taken" not in said.err
