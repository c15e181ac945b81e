"""Session 34, when each run happened: a run's config.json records ``started`` and
``finished`` (UTC, ISO 8601 to the second), and ``rnnlab runs`` lists the start time and
sorts by it, the newest last. A nightly job's engineer could not find last night's run:
no record held a time. The clock is faked (rnnlab.io.run_times.now), so no test sleeps."""

from __future__ import annotations

import csv
import io
import json
import os
import re

import pytest

from cli_run import run, tiny_lm_run
from rnnlab.cli import main
from rnnlab.io import run_times

ISO = re.compile(r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")


@pytest.fixture
def clock(monkeypatch):
    """A fake clock: each call of now() one minute after the one before, from 01:00."""
    ticks = iter(range(10_000))
    monkeypatch.setattr(run_times, "now",
                        lambda: "2026-12-08T%02d:%02d:00Z" % divmod(60 + next(ticks), 60))
    monkeypatch.setattr(run_times, "_STARTS", {})


def _record(folder):
    return json.loads((folder / "config.json").read_text())


def _table(argv, capsys):
    code = main(["runs", *map(str, argv)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def _backtest(out, *more):
    return ["backtest", "--data", "visnights", "--model", "naive", "--baselines", "none",
            "--plot-series", "0", "--horizon", "4", "--out", str(out), *more]


def test_the_real_clock_writes_utc_seconds_with_a_z():
    assert ISO.match(run_times.now()), run_times.now()


def test_a_finished_run_records_when_it_started_and_finished(tmp_path, capsys, clock):
    code, err = run(_backtest(tmp_path / "bt"), capsys)
    assert code == 0, err
    record = _record(tmp_path / "bt")
    assert ISO.match(record["started"]) and ISO.match(record["finished"])
    assert record["started"] < record["finished"]  # (the fake clock moves each call)
    # beside what the record already held: the versions, seed and directory
    assert {"versions", "seed", "cwd", "command"} <= set(record)


def test_a_record_written_after_training_keeps_the_start(tmp_path, clock):
    # (a panel forecast, a backtest saved from Python: config.json written at the end)
    from rnnlab.io.command_line import running
    from rnnlab.io.rundir import finish_run_dir, prepare_run_dir, write_run_info

    out = tmp_path / "run"
    with running(["forecast", "--out", str(out)]):
        prepare_run_dir(out)  # 01:00
        for _ in range(3):  # (training: the clock goes on)
            run_times.now()
        write_run_info(out, {"epochs": 1}, 0)
        finish_run_dir(out)
    record = _record(out)
    assert (record["started"], record["finished"]) == ("2026-12-08T01:00:00Z",
                                                       "2026-12-08T01:04:00Z")


def test_an_interrupted_run_has_no_finished_and_lists_as_such(tmp_path, capsys, clock):
    from rnnlab.io.command_line import running
    from rnnlab.io.rundir import prepare_run_dir, write_run_info

    out = tmp_path / "run"
    with running(["forecast", "--out", str(out)]):
        prepare_run_dir(out)
        write_run_info(out, {"epochs": 1}, 0)  # (then killed: no finish_run_dir)
    assert "started" in _record(out) and "finished" not in _record(out)
    [row] = _table([out], capsys)
    assert (row["started"], row["finished"]) == ("2026-12-08T01:00:00Z", "False")


def test_a_resumed_run_keeps_its_first_start_and_gets_a_new_finish(tmp_path, clock):
    # the first start is kept: a job's log asks when the run began; each resume's own
    # start is in its entry of "resumed", and "finished" is gone while it runs again
    from rnnlab.io.command_line import running
    from rnnlab.io.rundir import finish_run_dir, prepare_run_dir, record_resume, \
        write_run_info

    out = tmp_path / "run"
    with running(["forecast", "--out", str(out)]):
        prepare_run_dir(out)  # 01:00
        write_run_info(out, {"epochs": 1}, 0)
        finish_run_dir(out)  # 01:01
    with running(["forecast", "--resume", str(out)]):
        prepare_run_dir(out, resume=True)
        record_resume(out, {"epochs": 2})  # 01:02
        assert "finished" not in _record(out)  # (running again: not finished)
        finish_run_dir(out)  # 01:03
    record = _record(out)
    assert record["started"] == "2026-12-08T01:00:00Z"
    assert record["resumed"][0]["started"] == "2026-12-08T01:02:00Z"
    assert record["finished"] == "2026-12-08T01:03:00Z"


def test_lm_train_resumed_keeps_its_start_and_still_resumes(tmp_path, capsys, clock):
    run_dir = tiny_lm_run(tmp_path)
    first = _record(run_dir)
    assert first["started"] < first["finished"]
    capsys.readouterr()
    assert main(["lm", "train", "--resume", str(run_dir), "--epochs", "2"]) == 0
    err = capsys.readouterr().err
    assert "changed" not in err and "differ" not in err, err  # (no field read as a change)
    record = _record(run_dir)
    assert record["started"] == first["started"]
    assert record["finished"] > first["finished"]
    assert record["resumed"][0]["started"] > first["finished"]
    assert record["config"]["train"]["epochs"] == 2


def test_a_backtest_written_again_on_resume_keeps_its_start(tmp_path, clock):
    # a backtest's --resume writes its config.json anew, without making its folder
    from rnnlab.io.command_line import running
    from rnnlab.io.rundir import prepare_run_dir, write_run_info

    out = tmp_path / "bt"
    with running(["backtest", "--out", str(out)]):
        prepare_run_dir(out, resumable=False)
        write_run_info(out, {"horizon": 4}, 0)
    run_times._STARTS.clear()  # (the resume: another process)
    with running(["backtest", "--resume", str(out)]):
        write_run_info(out, {"horizon": 4}, 0)
    assert _record(out)["started"] == "2026-12-08T01:00:00Z"


def test_config_of_a_run_does_not_copy_its_times(tmp_path, capsys, clock):
    code, err = run(_backtest(tmp_path / "a"), capsys)
    assert code == 0, err
    from rnnlab.config_file import read_settings

    assert not {"started", "finished"} & set(read_settings(str(tmp_path / "a")).values)
    code, err = run(["backtest", "--config", str(tmp_path / "a"), "--out",
                     str(tmp_path / "b")], capsys)
    assert code == 0, err
    a, b = _record(tmp_path / "a"), _record(tmp_path / "b")
    assert a["finished"] < b["started"] < b["finished"]  # (its own times, not a's)


def _recorded(folder, name, started=None):
    folder.mkdir(parents=True)
    from rnnlab.io.json_file import checksummed_text

    info = {"config": {"hidden_size": len(name)}, "seed": 0,
            "command": ["rnnlab", "forecast", "--out", str(folder)]}
    if started is not None:
        info["started"] = started
    (folder / "config.json").write_text(checksummed_text(info))
    (folder / "metrics.json").write_text(json.dumps({"forecast": {"model": {"rmse": 1.0}}}))


def test_runs_lists_start_times_newest_last_and_old_records_first(tmp_path, capsys):
    _recorded(tmp_path / "a-last-night", "a", "2026-12-08T02:00:00Z")
    _recorded(tmp_path / "b-week-ago", "bb", "2026-12-01T02:00:00Z")
    _recorded(tmp_path / "c-yesterday", "ccc", "2026-12-07T02:00:00Z")
    _recorded(tmp_path / "d-old", "dddd")  # (recorded before rnnlab kept the time)
    rows = _table([tmp_path], capsys)
    assert [r["run"].rsplit("/", 1)[1] for r in rows] == [
        "d-old", "b-week-ago", "c-yesterday", "a-last-night"]
    assert [r["started"] for r in rows] == ["", "2026-12-01T02:00:00Z",
                                            "2026-12-07T02:00:00Z", "2026-12-08T02:00:00Z"]
    main(["runs", str(tmp_path)])  # the columns of before are all there, started beside
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert header[:5] == ["run", "command", "seed", "started", "finished"]
    assert {"hidden_size", "forecast.model.rmse"} <= set(header)


def test_runs_of_old_records_alone_keep_their_order(tmp_path, capsys):
    for name in ("h8", "h16", "h4"):
        _recorded(tmp_path / name, name)
    rows = _table([tmp_path], capsys)
    assert [r["run"].rsplit("/", 1)[1] for r in rows] == ["h16", "h4", "h8"]
    assert {r["started"] for r in rows} == {""}


def test_an_unfinished_run_without_a_record_lists_its_marks_time(tmp_path, capsys):
    from rnnlab.io.rundir import PENDING_NAME

    run_dir = tmp_path / "panel"
    run_dir.mkdir()
    (run_dir / PENDING_NAME).write_text(json.dumps(["rnnlab", "forecast", "--out", "x"]))
    os.utime(run_dir / PENDING_NAME, (1_796_000_000, 1_796_000_000))
    [row] = _table([run_dir], capsys)
    assert (row["started"], row["finished"]) == ("2026-11-30T00:53:20Z", "False")


def test_a_seed_resumed_without_a_record_takes_the_runs_start(tmp_path, monkeypatch, clock):
    # a run of several seeds killed before seed 1 wrote its record: its record on resume
    # names the start of the run whole (its sibling's), as it names its command
    from argparse import Namespace

    from rnnlab.forecast.run_settings import _as_resumed, _started_seeds
    from rnnlab.io.command_line import running
    from rnnlab.io.run_record import write_run_info

    top = tmp_path / "run"
    for d in (top / "seed_0", top / "seed_1"):
        d.mkdir(parents=True)
    with running(["forecast", "--seeds", "0", "1", "--out", str(top)]):
        write_run_info(top / "seed_0", {"epochs": 1}, 0)  # 01:00
    with running(["forecast", "--resume", str(top)]):
        write_run_info(top / "seed_1", {"epochs": 1}, 1)  # 01:01
        _as_resumed(top / "seed_1", _started_seeds(Namespace(seeds=[0, 1]), top, 1))
    record = _record(top / "seed_1")
    assert record["started"] == "2026-12-08T01:00:00Z"
    assert record["resumed"][0]["started"] == "2026-12-08T01:02:00Z"
