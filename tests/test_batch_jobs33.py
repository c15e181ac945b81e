"""Session 33, rnnlab in batch jobs (cron, Kubernetes Jobs, Airflow tasks): what a run
records to be run again from its record alone, wherever the job started."""

from __future__ import annotations

import json
import os

from cli_run import run


def _backtest(out):
    return ["backtest", "--data", "visnights", "--model", "naive", "--baselines", "none",
            "--plot-series", "0", "--horizon", "4", "--out", str(out)]


def test_a_run_records_the_directory_its_relative_paths_are_read_from(tmp_path, capsys,
                                                                        monkeypatch):
    # a job's `rnnlab backtest --data data/x.csv --out runs/bt`: config.json's command kept
    # the relative paths and nothing said where they were relative to, so the recorded
    # command could not be run again from another directory (a scheduler's)
    job = tmp_path / "job"
    job.mkdir()
    monkeypatch.chdir(job)
    code, err = run(_backtest("runs/bt"), capsys)
    assert code == 0, err
    record = json.loads((job / "runs" / "bt" / "config.json").read_text())
    assert record["command"] == ["rnnlab", *_backtest("runs/bt")]
    assert record["cwd"] == os.getcwd()


def test_a_resume_records_its_own_working_directory(tmp_path, monkeypatch):
    from rnnlab.io.command_line import running
    from rnnlab.io.run_record import record_resume, write_run_info

    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    monkeypatch.chdir(first)
    with running(["forecast", "--out", str(tmp_path)]):
        write_run_info(tmp_path, {"epochs": 1}, 0)
    monkeypatch.chdir(second)
    with running(["forecast", "--resume", str(tmp_path)]):
        record_resume(tmp_path, {"epochs": 2})
    record = json.loads((tmp_path / "config.json").read_text())
    assert record["cwd"] == str(first)
    assert record["resumed"][0]["cwd"] == str(second)


def test_the_summary_over_seeds_records_the_working_directory(tmp_path, monkeypatch):
    from rnnlab.forecast.report import summarize
    from rnnlab.io.command_line import running

    monkeypatch.chdir(tmp_path)
    with running(["forecast", "--seeds", "0", "1", "--out", "d"]):
        summary = summarize({})
    assert summary["cwd"] == str(tmp_path)


def test_a_working_directory_deleted_under_the_run_is_recorded_as_unknown(tmp_path,
                                                                          monkeypatch):
    # (a job's scratch folder removed while it ran: the record is still written)
    from rnnlab.io.command_line import working_directory

    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert working_directory() is None


_STARTING = """
import os, signal, sys, time
import rnnlab.cli
from rnnlab.console import main

def starting(argv=None):  # (SIGTERM while the command line's modules load)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(5)  # (the handler runs at the next bytecode: well before this ends)
    return 0

rnnlab.cli.main = starting
sys.argv = ["rnnlab", "forecast", "--data", "airline"]
code = main()
print(signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, file=sys.stdout)
sys.exit(code)
"""


def test_sigterm_while_the_command_starts_is_said_and_exits_143(tmp_path):
    # Kubernetes' SIGTERM while rnnlab loaded its modules killed it silently (status -15;
    # as PID 1 of a container, where a signal without a handler is dropped, it ran on
    # until the SIGKILL), where a Ctrl-C then is one line on stderr and status 130
    import subprocess
    import sys

    src = os.path.join(os.path.dirname(__file__), "..", "src")
    env = {**os.environ, "PYTHONPATH": os.path.abspath(src)}
    done = subprocess.run([sys.executable, "-c", _STARTING], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 143, (done.returncode, done.stderr)
    assert "rnnlab: terminated (SIGTERM)" in done.stderr
    assert done.stdout.strip() == "True"  # (the handler before it is put back)


def test_sigterm_while_the_command_line_is_parsed_is_not_said_to_be_ctrl_c(capsys,
                                                                           monkeypatch):
    from rnnlab import cli
    from rnnlab.io.terminate import Terminated

    def parse(argv):
        raise Terminated()

    monkeypatch.setattr(cli, "_parse", parse)
    code = cli.main(["forecast", "--data", "airline"])
    err = capsys.readouterr().err
    assert code == 143, err
    assert "terminated (SIGTERM) before the command started" in err


_IN_AN_IMPORT = """
import sys
from rnnlab.io.terminate import Terminated, raise_terminated

class Stop:  # (SIGTERM while torch loads: raised by the handler inside torch's import)
    def find_spec(self, name, path=None, target=None):
        if name == "torch.nn":
            sys.meta_path.remove(self)
            raise_terminated(15, None)
        return None

sys.meta_path.insert(0, Stop())
from rnnlab.console import main
sys.argv = ["rnnlab", "forecast", "--data", "airline", "--epochs", "1", "--out", "run"]
sys.exit(main())
"""


def test_sigterm_in_the_middle_of_an_import_is_a_stop_not_a_defect(tmp_path):
    # SIGTERM a second or two after the start, while torch imported: the stop's own words
    # imported torch again, half-loaded, and its AttributeError was said to be a defect of
    # rnnlab (a traceback, status 70) instead of the stop it was
    import subprocess
    import sys

    src = os.path.join(os.path.dirname(__file__), "..", "src")
    env = {**os.environ, "PYTHONPATH": os.path.abspath(src)}
    done = subprocess.run([sys.executable, "-c", _IN_AN_IMPORT], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 143, done.stderr[-2000:]
    assert "terminated (SIGTERM)" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_an_error_after_a_sigterm_some_library_swallowed_is_the_stop(monkeypatch, capsys):
    # (NumPy's import cut short by the SIGTERM, the Terminated caught on the way: the next
    # use of numpy failed, said to be a defect of rnnlab with a traceback and status 70)
    import rnnlab.cli
    from rnnlab import console
    from rnnlab.io import terminate

    def swallowed(argv=None):
        try:
            terminate.raise_terminated(15, None)
        except BaseException:
            pass
        raise AttributeError("module 'numpy' has no attribute 'matrix'")

    monkeypatch.setattr(rnnlab.cli, "main", swallowed)
    monkeypatch.setattr("sys.argv", ["rnnlab", "forecast"])
    assert console.main() == 143
    err = capsys.readouterr().err
    assert "terminated (SIGTERM)" in err and "Traceback" not in err


def test_an_error_without_a_sigterm_is_still_a_defect(monkeypatch, capsys):
    import rnnlab.cli
    from rnnlab import console

    def broken(argv=None):
        raise AttributeError("a defect")

    monkeypatch.setattr(rnnlab.cli, "main", broken)
    monkeypatch.setattr("sys.argv", ["rnnlab", "forecast"])
    assert console.main() == 70
    assert "internal error" in capsys.readouterr().err


def test_a_comparison_stopped_outside_training_says_to_run_it_again(tmp_path, capsys,
                                                                     monkeypatch):
    # SIGTERM while a comparison read its data, between two models or while it wrote the
    # report said "terminated (SIGTERM); files already written are kept" and nothing of
    # how to go on; stopped in training it said "A comparison keeps no checkpoints ..."
    import rnnlab.compare.cli as compare_cli
    from rnnlab.io.terminate import Terminated

    def stopped(args):
        raise Terminated()

    monkeypatch.setattr(compare_cli, "_compare", stopped)
    code, err = run(["compare", "--data", "airline", "--out", str(tmp_path / "c")], capsys)
    assert code == 143, err
    assert "rnnlab compare: terminated (SIGTERM)" in err
    assert "keeps no checkpoints" in err and "run the same command again" in err
    monkeypatch.setattr(compare_cli, "_compare", lambda args: (_ for _ in ()).throw(
        KeyboardInterrupt()))
    code, err = run(["compare", "--data", "airline", "--out", str(tmp_path / "c")], capsys)
    assert code == 130 and "rnnlab compare: interrupted" in err
    assert "run the same command again" in err


def test_a_sigterm_an_earlier_command_stopped_on_leaves_a_later_defect_a_defect(
        monkeypatch, capsys):
    # review of ops33: the SIGTERM was noted for the whole process, so after one command
    # run in-process (a notebook, a test session) stopped on a SIGTERM, every later
    # defect was said to be "terminated (SIGTERM)" with status 143 and no traceback
    import signal

    import rnnlab.cli
    import rnnlab.nn.cli as models_cli
    from rnnlab import console

    def terminated(args):
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("SIGTERM should have stopped the command")

    monkeypatch.setattr(models_cli, "run", terminated)
    assert rnnlab.cli.main(["models"]) == 143
    capsys.readouterr()

    def broken(argv=None):
        raise AttributeError("a defect")

    monkeypatch.setattr(rnnlab.cli, "main", broken)
    monkeypatch.setattr("sys.argv", ["rnnlab", "forecast"])
    assert console.main() == 70
    err = capsys.readouterr().err
    assert "Traceback" in err and "internal error" in err and "SIGTERM" not in err


def test_a_resumed_summary_pairs_the_start_command_with_its_own_directory(tmp_path,
                                                                           monkeypatch):
    # review of ops33: a --seeds run started before config.json recorded `cwd`, resumed:
    # summary.json took `command` from the seed's record (the start's) and kept `cwd` of
    # the resume, a directory the start's relative paths were never read from
    from rnnlab.forecast.cli import _started
    from rnnlab.forecast.report import summarize
    from rnnlab.io.atomic import atomic_write_json
    from rnnlab.io.command_line import running

    seed = tmp_path / "run" / "seed_0"
    seed.mkdir(parents=True)
    started = ["rnnlab", "forecast", "--data", "data/x.csv", "--seeds", "0", "--out", "run"]
    atomic_write_json(seed / "config.json", {"config": {}, "seed": 0, "command": started},
                      checksum=True)
    monkeypatch.chdir(tmp_path)
    with running(["forecast", "--resume", "run"]):
        summary = summarize({})
        summary.update(_started(seed))
    assert summary["command"] == started
    assert summary["cwd"] is None  # (not known: not the resume's)
    atomic_write_json(seed / "config.json", {"config": {}, "seed": 0, "command": started,
                                             "cwd": "/jobs/a"}, checksum=True)
    assert _started(seed)["cwd"] == "/jobs/a"


def test_a_seed_first_reached_by_a_resume_records_the_start_directory(tmp_path,
                                                                      monkeypatch):
    # review of ops33: a seed of `--seeds 0 1` that the stop left untrained records, when a
    # resume reaches it, the command that started the run (its sibling's); its `cwd` was
    # the resume's, so the record paired the start's relative paths with another directory
    from argparse import Namespace

    from rnnlab.forecast.run_settings import _as_resumed, _started_seeds
    from rnnlab.io.command_line import running
    from rnnlab.io.run_record import write_run_info

    start, later, top = tmp_path / "start", tmp_path / "later", tmp_path / "run"
    for d in (start, later, top / "seed_0", top / "seed_1"):
        d.mkdir(parents=True)
    started = ["forecast", "--data", "data/x.csv", "--seeds", "0", "1", "--out", str(top)]
    monkeypatch.chdir(start)
    with running(started):
        write_run_info(top / "seed_0", {"epochs": 1}, 0)
    monkeypatch.chdir(later)
    with running(["forecast", "--resume", str(top)]):
        write_run_info(top / "seed_1", {"epochs": 1}, 1)
        _as_resumed(top / "seed_1", _started_seeds(Namespace(seeds=[0, 1]), top, 1))
    record = json.loads((top / "seed_1" / "config.json").read_text())
    assert record["command"] == ["rnnlab", *started]
    assert record["cwd"] == str(start)
    assert record["resumed"][0]["cwd"] == str(later)
