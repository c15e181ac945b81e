"""Fuzzing ``--config FILE`` (rnnlab.config_file): a settings file or run record damaged
in any way is refused with a usage error naming the file (exit status 2), never a
traceback, a hang on a pipe or a read of /dev/zero until memory runs out."""

from __future__ import annotations

import json
import os

import pytest

from fuzz_files import byte_mutations, time_limit
from rnnlab.cli import main
from rnnlab.io.errors import RnnlabError


def _refused(capsys, path) -> str:
    with time_limit(20):
        code = main(["forecast", "--config", str(path), "--print-config"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("name, text, said", [
    ("deep.json", "[" * 3000 + "]" * 3000, "JSON nested more than 100 deep"),
    ("deep.toml", "a = " + "[" * 3000 + "]" * 3000, "TOML nested more than 100 deep"),
    ("nest.json", '{"seed": ' + "[" * 150 + "]" * 150 + "}", "JSON nested more than 100"),
    ("big.json", '{"seed": ' + "9" * 5000 + "}", "not a JSON settings file rnnlab can read"),
    ("big.toml", "seed = " + "9" * 5000, "not a TOML settings file rnnlab can read"),
])
def test_settings_python_cannot_parse_are_refused(tmp_path, capsys, name, text, said):
    """Nesting past the recursion limit (RecursionError) and an integer of over 4300
    digits (ValueError) came out of main as an internal error (exit status 70)."""
    (tmp_path / name).write_text(text)
    assert said in _refused(capsys, tmp_path / name)


@pytest.mark.parametrize("kind", ["fifo", "devzero"])
def test_settings_that_are_a_pipe_or_device_are_refused_unread(tmp_path, capsys, kind):
    """A FIFO named s.json waited for a writer forever; a link to /dev/zero was read
    until memory ran out (its size is 0, so the size check let it through)."""
    path = tmp_path / "s.json"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    assert "a device, pipe or socket, not a settings file" in _refused(capsys, path)


@pytest.mark.parametrize("name, text", [
    ("s.json", json.dumps({"hidden_size": 8, "epochs": 3, "model": "gru", "lookback": 12,
                           "quantiles": [0.1, 0.9], "data": "airline"}, indent=1)),
    ("s.toml", 'hidden_size = 8\nepochs = 3\nmodel = "gru"\nquantiles = [0.1, 0.9]\n'
               'data = "airline"\n'),
])
def test_settings_bytes_damaged(tmp_path, name, text):
    """Truncated, bit-flipped, not UTF-8, trailing junk (seeded): read, or refused with an
    RnnlabError; never another exception."""
    from rnnlab.config_file import read_settings

    path, fails = tmp_path / name, []
    for seed in range(4):
        for case, data in byte_mutations(text.encode(), seed, flips=12):
            path.write_bytes(data)
            try:
                with time_limit(20):
                    read_settings(str(path))
            except RnnlabError:
                pass
            except Exception as e:  # noqa: BLE001 (any other is the failure)
                fails.append(f"{name} {case}: {type(e).__name__}: {e}")
    assert not fails, "\n".join(fails)
