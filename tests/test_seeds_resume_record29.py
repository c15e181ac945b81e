"""Session 29: a seed of ``rnnlab forecast --seeds`` first reached by a resume (the run was
stopped before it) records the run as the one-seed resume does: ``command`` is the command
that started the run, this resume's is in ``resumed``. It recorded ``rnnlab forecast
--resume DIR`` as the seed's command, as if the seed were a run of its own, started by a
command that repeats nothing (with another --out it names a run to resume), while its
sibling seeds named the command that did start it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rnnlab.cli import main
from rnnlab.data.datasets import resolve_data
from rnnlab.forecast import run_settings
from rnnlab.forecast.cli import _parser, config_from_args
from rnnlab.io.command_line import running

START = ["forecast", "--data", "airline", "--epochs", "1", "--seeds", "0", "1", "2",
         "--out", "RUN"]


def _info(run: Path) -> dict:
    return json.loads((run / "config.json").read_text(encoding="utf-8"))


def _record(words, out: Path, top: Path, seed: int, resuming: bool) -> None:
    args = _parser().parse_args(words)
    cfg = config_from_args(args, seed)
    out.mkdir(parents=True, exist_ok=True)
    with running(words):
        run_settings.record(args, cfg, resolve_data("airline"), out, top, seed, resuming)


def test_a_seed_first_reached_by_a_resume_records_the_command_that_started_it(tmp_path):
    top = tmp_path / "run"
    start = [w.replace("RUN", str(top)) for w in START]
    _record(start, top / "seed_0", top, 0, resuming=False)
    resume = ["forecast", "--resume", str(top), "--seeds", "0", "1", "2"]
    _record(resume, top / "seed_2", top, 2, resuming=True)
    first, reached = _info(top / "seed_0"), _info(top / "seed_2")
    assert first["command"] == ["rnnlab", *start]
    assert reached["command"] == first["command"]
    assert [r["command"] for r in reached["resumed"]] == [["rnnlab", *resume]]
    assert reached["seed"] == 2 and reached["_sha256"]  # (its checksum written anew)
    assert main(["runs", str(top / "seed_2")]) == 0  # (the record reads as verified)


def test_with_no_seed_recorded_the_resume_is_what_is_known(tmp_path):
    top = tmp_path / "run"
    resume = ["forecast", "--resume", str(top), "--seeds", "0", "1"]
    _record(resume, top / "seed_1", top, 1, resuming=True)
    assert _info(top / "seed_1")["command"] == ["rnnlab", *resume]


@pytest.mark.slow
def test_a_stopped_seeds_run_resumed_records_one_start_for_every_seed(tmp_path,
                                                                      monkeypatch):
    from rnnlab.forecast import run_one

    top = tmp_path / "run"
    start = ["forecast", "--data", "airline", "--epochs", "1", "--hidden-size", "4",
             "--ensemble", "1", "--select", "network", "--no-progress", "--seeds", "0", "1",
             "--out", str(top)]
    real = run_one.train_one

    def stopped(args, out, seed, top):
        if seed == 1:
            raise KeyboardInterrupt
        return real(args, out, seed, top)

    monkeypatch.setattr(run_one, "train_one", stopped)
    assert main(start) == 130
    monkeypatch.setattr(run_one, "train_one", real)
    assert not (top / "seed_1").exists()
    assert main(["forecast", "--resume", str(top)]) == 0
    first, reached = _info(top / "seed_0"), _info(top / "seed_1")
    assert first["command"] == reached["command"] == ["rnnlab", *start]
    assert reached["resumed"][-1]["command"] == ["rnnlab", "forecast", "--resume", str(top)]
    summary = json.loads((top / "summary.json").read_text(encoding="utf-8"))
    assert summary["command"] == first["command"]
