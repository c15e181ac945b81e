"""Fuzzing ``rnnlab runs`` (rnnlab.runs_cli), which reads every run directory's
config.json and results file under a folder: a damaged or edited one is refused with a
DataError naming it, never a TypeError/AttributeError out of the table."""

from __future__ import annotations

import pytest

from fuzz_files import file_mutations, json_mutations, run_cases, write_json
from rnnlab.io.errors import DataError
from rnnlab.runs_cli import read_run

RUNS = {  # (as the commands write them, trimmed to the fields the table reads)
    "fc": {"config.json": {"command": ["rnnlab", "forecast", "--hidden-size", "4"],
                           "seed": 0, "config": {"hidden_size": 4, "model": "lstm"}},
           "metrics.json": {"forecast": {"model": {"rmse": 1.5, "mase": 0.7}}}},
    "bt": {"config.json": {"command": ["rnnlab", "backtest"], "seed": None,
                           "config": {"options": {"model": "naive", "horizon": 12}}},
           "summary.json": {"models": [{"model": "naive", "mase": 0.9, "rmse": 2.0}]}},
    "cmp": {"config.json": {"command": ["rnnlab", "compare"], "seed": 1, "config": {}},
            "results.json": {"rows": [{"name": "gru", "metrics": {"rmse": {"mean": 1.0}}}]}},
}


def _write(root):
    for run, files in RUNS.items():
        (root / run).mkdir(parents=True)
        for name, doc in files.items():
            write_json(root / run / name, doc, checked=name == "config.json")


@pytest.mark.parametrize("run, name, key, value", [
    ("fc", "config.json", "command", True),
    ("fc", "config.json", "command", "rnnlab forecast"),
    ("bt", "summary.json", "models", None),
    ("bt", "summary.json", "models", [1]),
    ("bt", "summary.json", "models", "naive"),
    ("cmp", "results.json", "rows", [{"metrics": {"rmse": {"mean": 1.0}}}]),
    ("cmp", "results.json", "rows", [{"name": "gru", "metrics": {"rmse": 1.0}}]),
    ("bt", "config.json", "config", {"options": ["model", "naive"]}),
])
def test_runs_refuses_a_record_of_another_shape(tmp_path, run, name, key, value):
    """Each was a TypeError, AttributeError or KeyError out of ``rnnlab runs`` (an internal
    error, exit status 70)."""
    _write(tmp_path)
    doc = dict(RUNS[run][name], **{key: value})
    write_json(tmp_path / run / name, doc, checked=name == "config.json")
    with pytest.raises(DataError, match=f"{run}/{name}: .*(restore it|move the folder)"):
        read_run(tmp_path / run)


def test_runs_files_damaged(tmp_path):
    """Every file the table reads: bytes damaged, replaced by a folder or a link to
    /dev/zero, fields removed or of another kind (checksum recomputed): a row, or a
    DataError (seeded)."""
    base = tmp_path / "base"
    _write(base)
    expected = [read_run(base / run) for run in RUNS]
    assert [r["finished"] for r in expected] == [True, True, True]
    fails = []
    for run, files in RUNS.items():
        for name in files:
            muts = file_mutations(base / run / name, 3) + json_mutations(
                base / run / name, 4, 20, depth=4)
            fails += run_cases(base, f"{run}/{name}", muts,
                               lambda d, run=run: read_run(d / run), lambda row: row,
                               expected, lambda got, exp: isinstance(got, dict), tmp_path)
    assert not fails, "\n".join(fails)


def test_runs_table_from_the_command(tmp_path, capsys):
    from rnnlab.cli import main

    _write(tmp_path)
    assert main(["runs", str(tmp_path)]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert {"forecast.model.rmse", "naive.mase", "gru.rmse"} <= set(header)
