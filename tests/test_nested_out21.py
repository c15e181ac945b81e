"""An --out inside another run's directory is refused before anything runs (session 21: a
run written into ``r1/checkpoints/x`` was deleted, unasked, by ``--overwrite`` of ``r1``)."""

from __future__ import annotations

import pytest

from rnnlab.cli import main
from rnnlab.io.rundir import MARKER_NAME


@pytest.mark.parametrize("argv", [
    ["forecast", "--data", "airline"],
    ["lm", "train", "--corpus", "time-machine"],
    ["compare", "--models", "gru"],
    ["backtest", "--data", "visnights"],
])
def test_an_out_inside_a_run_directory_is_refused(argv, tmp_path, capsys):
    outer = tmp_path / "r1"
    (outer / "checkpoints").mkdir(parents=True)
    (outer / MARKER_NAME).write_text("made by rnnlab for one run\n")
    inner = outer / "checkpoints" / "x"
    assert main([*argv, "--out", str(inner)]) == 2
    err = capsys.readouterr().err
    assert f"is inside the run directory {outer}" in err and "choose an --out outside" in err
    assert not inner.exists()


def test_a_default_out_under_a_run_taken_as_working_folder_is_not_refused(tmp_path,
                                                                          monkeypatch):
    from argparse import Namespace

    from rnnlab.io.nested_run import nested_out_refusal

    (tmp_path / MARKER_NAME).write_text("made by rnnlab for one run\n")
    monkeypatch.chdir(tmp_path)
    typed = Namespace(command="forecast", out="runs/airline", given_options=frozenset({"out"}))
    default = Namespace(command="forecast", out="runs/airline", given_options=frozenset())
    assert nested_out_refusal(typed) and nested_out_refusal(default) is None
    assert nested_out_refusal(Namespace(command="bptt-demo", out="g.png",
                                        given_options=frozenset({"out"}))) is None
