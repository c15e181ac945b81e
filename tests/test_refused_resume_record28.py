"""A resume refused (or stopped) before its training changed a checkpoint leaves the run's
record of its options as it was, not only its marks. The block rewrites config.json (a
resume recorded) and cli.json (since resume28b the resume's --epochs / --minutes) before
training; put back as finished with those rewritten, a finished run of 10 epochs read as
finished with ``epochs`` 30 (``rnnlab runs``), and its next bare ``--resume`` trained to 30."""

import json

import pytest

from rnnlab.io.command_line import running
from rnnlab.io.errors import CheckpointError
from rnnlab.io.incomplete_run import is_incomplete
from rnnlab.io.resumed_marks import resumed_marks
from rnnlab.io.rundir import finish_run_dir, prepare_run_dir

FIRST = ["forecast", "--data", "s.csv", "--epochs", "10"]


@pytest.mark.parametrize("finished", [True, False])
def test_a_refused_resume_leaves_config_and_cli_json_as_they_were(tmp_path, finished):
    out = tmp_path / "run"
    with running([*FIRST, "--out", str(out)]):
        prepare_run_dir(out)
    (out / "checkpoints").mkdir()
    (out / "checkpoints" / "latest.json").write_text("{}")
    for name in ("config.json", "cli.json"):
        (out / name).write_text(json.dumps({"epochs": 10}))
    if finished:
        finish_run_dir(out)
    before = {n: (out / n).read_bytes() for n in ("config.json", "cli.json")}
    with running([*FIRST[:-1], "30", "--resume", str(out)]):
        with pytest.raises(CheckpointError):
            with resumed_marks(out, True):
                for name in ("config.json", "cli.json"):  # (record / save_options)
                    (out / name).write_text(json.dumps({"epochs": 30}))
                raise CheckpointError("cannot resume: other settings")
    assert {n: (out / n).read_bytes() for n in before} == before
    assert is_incomplete(out) is not finished


def test_a_stopped_run_of_seeds_refused_at_its_first_seed_keeps_its_command(tmp_path):
    """The run of several seeds watches each seed's mark; the seed's refusal put that mark
    back rewritten (a new inode), which read as a seed that went on, so the whole run kept
    the refused command in its mark instead of the one that started it."""
    from rnnlab.io.rundir import PENDING_NAME

    out = tmp_path / "run"
    first = [*FIRST, "--seeds", "1", "2", "--out", str(out)]
    with running(first):
        prepare_run_dir(out)
        prepare_run_dir(out / "seed_1")  # (stopped in its training: both marked)
    (out / "seed_1" / "checkpoints").mkdir()
    (out / "seed_1" / "checkpoints" / "latest.json").write_text("{}")
    before = {p: p.read_bytes() for p in (out / PENDING_NAME, out / "seed_1" / PENDING_NAME)}
    watched = [out / "seed_1" / n for n in ("checkpoints", PENDING_NAME)]
    with running([*FIRST[:-1], "30", "--resume", str(out)]):
        with pytest.raises(CheckpointError):
            with resumed_marks(out, True, watched):
                with resumed_marks(out / "seed_1", True):
                    raise CheckpointError("cannot resume: other settings")
    assert {p: p.read_bytes() for p in before} == before
