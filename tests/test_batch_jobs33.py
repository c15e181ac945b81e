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
