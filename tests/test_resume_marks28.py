"""A one-series forecast run (its ``--seeds`` too) and an ``lm train`` run going on with
``--resume`` read as unfinished until they finish again, as a resumed panel run does
(test_panel_resume_mark28): ``.rnnlab-pending`` holds the resuming command and the finished
run's ``.rnnlab-written`` goes. They were never marked, so ``lm train --resume D --epochs N``
killed between the new model and ``write_metrics`` left a run that ``rnnlab runs`` listed as
finished, with a new model and the old metrics.json. A resume refused before it trains
leaves the marks as they were (test_resume_users_file28)."""

import csv
import io
import json

import pytest

from rnnlab.cli import main
from rnnlab.io.incomplete_run import is_incomplete
from rnnlab.io.rundir import PENDING_NAME, WRITTEN_NAME
from test_resume_users_file28 import FORECAST, _lm


def _finished(capsys, path):
    """``rnnlab runs PATH``: each run's ``finished`` column, by its folder's name."""
    capsys.readouterr()
    assert main(["runs", str(path)]) == 0
    rows = csv.DictReader(io.StringIO(capsys.readouterr().out))
    return {r["run"].rsplit("/", 1)[-1]: r["finished"] for r in rows}


def _killed(*a, **k):
    raise KeyboardInterrupt  # (a kill as the run writes its results)


@pytest.mark.slow  # (a short run, a resume killed while writing, the resume again)
@pytest.mark.parametrize("route", ["forecast", "forecast seeds", "lm"])
def test_a_resume_killed_while_writing_reads_as_unfinished(tmp_path, capsys, monkeypatch,
                                                             route):
    import rnnlab.forecast.run_one as run_one
    import rnnlab.lm.train_command as train_command

    out = tmp_path / "run"
    start = {"forecast": FORECAST, "forecast seeds": [*FORECAST, "--seeds", "1", "2"],
             "lm": _lm(tmp_path)}[route]
    assert main([*start, "--out", str(out)]) == 0
    assert set(_finished(capsys, out).values()) == {"True"}
    again = [*start[:2 if route == "lm" else 1], "--resume", str(out),
             *(["--epochs", "2"] if route == "lm" else [])]
    with monkeypatch.context() as m:  # (lm: between lm.save and write_metrics)
        m.setattr(*((train_command, "write_metrics") if route == "lm"
                    else (run_one, "write_outputs")), _killed)
        assert main(again) != 0
    assert is_incomplete(out) and not (out / WRITTEN_NAME).exists()
    assert json.loads((out / PENDING_NAME).read_text()) == ["rnnlab", *again]
    listed = _finished(capsys, out)  # (seed 2, not resumed yet: as its run left it)
    assert {k: v for k, v in listed.items() if k != "seed_2"} == {
        "run": "False", **({"seed_1": "False"} if route == "forecast seeds" else {})}, listed
    assert main(again) == 0  # (the same command goes on and finishes it)
    assert not is_incomplete(out) and (out / WRITTEN_NAME).is_file()
    assert set(_finished(capsys, out).values()) == {"True"}
