"""A resume refused before it trained puts back a run's config.json that the user made a
link (``ln -s ../shared.json config.json``) as that link. It was read as the file it leads
to and put back as a copy: the link was lost (and a link to nothing was deleted)."""

import json
import os

import pytest

from rnnlab.io.atomic import atomic_write_json
from rnnlab.io.command_line import running
from rnnlab.io.errors import CheckpointError
from rnnlab.io.resumed_marks import resumed_marks
from rnnlab.io.rundir import finish_run_dir, prepare_run_dir

FIRST = ["forecast", "--data", "s.csv", "--epochs", "10"]


@pytest.mark.parametrize("leads_to_a_file", [True, False])
def test_a_refused_resume_puts_back_a_linked_config_json_as_the_link(tmp_path,
                                                                     leads_to_a_file):
    out = tmp_path / "run"
    with running([*FIRST, "--out", str(out)]):
        prepare_run_dir(out)
    (out / "checkpoints").mkdir()
    (out / "checkpoints" / "latest.json").write_text("{}")
    shared = tmp_path / "shared.json"
    if leads_to_a_file:
        shared.write_text(json.dumps({"epochs": 10}))
    os.symlink(os.path.join("..", "shared.json"), out / "config.json")
    finish_run_dir(out)
    with running([*FIRST[:-1], "30", "--resume", str(out)]):
        with pytest.raises(CheckpointError):
            with resumed_marks(out, True):
                atomic_write_json(out / "config.json", {"epochs": 30})  # (the record's write)
                assert not (out / "config.json").is_symlink()
                raise CheckpointError("cannot resume: other settings")
    assert (out / "config.json").is_symlink()  # (was a file: a copy of shared.json)
    assert os.readlink(out / "config.json") == os.path.join("..", "shared.json")
    assert not leads_to_a_file or json.loads(shared.read_text()) == {"epochs": 10}
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".c")) == []  # (no temp)
