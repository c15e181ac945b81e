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
