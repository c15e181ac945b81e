"""Fuzzing what the command line reads of a run directory (seeded; :mod:`fuzz_files`):
``rnnlab forecast --run RUN --data NEW`` (config.json, the model folder) and ``rnnlab
forecast --resume RUN`` (cli.json). A mutated file ends the command with its error
line (exit code 1 or 2), or it runs as on the original files; never an exception out of
``main``, nor a hang."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fuzz_files import file_mutations, json_mutations, time_limit, write_json

ARGS = ["--epochs", "1", "--hidden-size", "4", "--ensemble", "1", "--horizon", "3",
        "--lookback", "6"]


def _main(argv):
    from rnnlab.cli import main

    try:
        with time_limit(60):
            return main(argv)
    except SystemExit as e:  # (argparse)
        return e.code


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    for name, n in (("d.csv", 60), ("new.csv", 70)):
        pd.DataFrame({"date": pd.date_range("2020-01-01", periods=n),
                      "value": np.sin(np.arange(n) / 3) + 5}).to_csv(root / name, index=False)
    assert _main(["forecast", "--data", str(root / "d.csv"), "--out", str(root / "run")]
                 + ARGS) == 0
    return root


def _cases(root: Path, tmp_path: Path, rel: str, mutations, argv_of, same_output: bool):
    """Each mutation of ``run/rel`` in a fresh copy of the run: the failures' lines."""
    expected, fails, tag = None, [], rel.replace("/", "_")
    for i, (name, edit, apply) in enumerate([("none", False, lambda p: None)] + mutations):
        case = tmp_path / f"{tag}{i}"
        shutil.copytree(root / "run", case, symlinks=True)
        apply(case / rel)
        out = tmp_path / f"{tag}{i}.csv"
        try:
            code = _main(argv_of(case, out))
        except BaseException as e:  # noqa: B036 (what escapes main is the failure)
            if isinstance(e, KeyboardInterrupt):
                raise
            fails.append(f"{rel} {name}: {type(e).__name__}: {str(e)[:200]}")
            continue
        text = out.read_text() if code == 0 and out.exists() else None
        if i == 0:
            assert code == 0, "the unchanged run must work"
            expected = text
        elif code == 0 and same_output and not edit and text != expected:
            fails.append(f"{rel} {name}: ran, with another forecast")
        elif code not in (0, 1, 2):
            fails.append(f"{rel} {name}: exit code {code}")
        shutil.rmtree(case, ignore_errors=True)
    return fails


@pytest.mark.slow
def test_forecast_run_reads_config_and_model(run, tmp_path, capsys):
    def argv(case, out):
        return ["forecast", "--run", str(case), "--data", str(run / "new.csv"), "--output",
                str(out)]
    fails = []
    for rel, seed in (("config.json", 41), ("model/model.json", 42)):
        muts = file_mutations(run / "run" / rel, seed)
        muts += json_mutations(run / "run" / rel, seed, 40)
        fails += _cases(run, tmp_path, rel, muts, argv, True)
    capsys.readouterr()
    assert not fails, "\n".join(fails)


@pytest.mark.slow
def test_forecast_resume_reads_cli_json(run, tmp_path, capsys):
    def argv(case, out):
        return ["forecast", "--resume", str(case)]
    muts = file_mutations(run / "run" / "cli.json", 43)
    muts += json_mutations(run / "run" / "cli.json", 44, 60)
    fails = _cases(run, tmp_path, "cli.json", muts, argv, False)
    capsys.readouterr()
    assert not fails, "\n".join(fails)


@pytest.mark.parametrize("option, value", [("seed", None), ("seed", math.nan),
                                           ("threads", True), ("scaler", ["standard"]),
                                           ("hidden_size", 1.5), ("scaler", "nope")])
def test_resume_refuses_saved_options_the_parser_would_not_give(run, tmp_path, capsys,
                                                                option, value):
    """cli.json edited (checksum recorded again): --resume set the value as it was and
    failed deep inside (seed null: TypeError int * NoneType; NaN: numpy cast; threads
    true: torch RuntimeError; scaler a list: unhashable type)."""
    shutil.copytree(run / "run", tmp_path / "r")
    doc = json.loads((tmp_path / "r" / "cli.json").read_bytes())
    doc["options"][option] = value
    write_json(tmp_path / "r" / "cli.json", doc, True)
    assert _main(["forecast", "--resume", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert "holds option values the command does not take" in err
    assert f"--{option.replace('_', '-')}" in err


@pytest.fixture(scope="module")
def panel_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("panel")
    rng = np.random.default_rng(0)
    pd.concat([pd.DataFrame({"unique_id": f"s{i}", "ds": pd.date_range("2020-01-01",
                                                                        periods=40),
                             "y": 10 + i + rng.standard_normal(40)}) for i in range(3)]
              ).to_csv(root / "p.csv", index=False)
    assert _main(["forecast", "--data", str(root / "p.csv"), "--model", "gru", "--epochs",
                  "1", "--hidden-size", "4", "--horizon", "3", "--lookback", "6", "--out",
                  str(root / "run")]) == 0
    return root


@pytest.mark.parametrize("key", ["id_column", "date_column", "column", "fill"])
def test_panel_run_json_names_of_another_kind_are_refused(panel_run, tmp_path, capsys, key):
    """panel.json edited (checksum recorded again) to a list where a column name belongs:
    TypeError: unhashable type out of main."""
    shutil.copytree(panel_run / "run", tmp_path / "r")
    doc = json.loads((tmp_path / "r" / "panel.json").read_bytes())
    doc[key] = ["y"]
    write_json(tmp_path / "r" / "panel.json", doc, True)
    assert _main(["forecast", "--run", str(tmp_path / "r"), "--data",
                  str(panel_run / "p.csv"), "--output", str(tmp_path / "o.csv")]) == 1
    assert f"{key} should be a name or null" in capsys.readouterr().err


@pytest.mark.slow
def test_panel_forecast_run_reads_panel_json(panel_run, tmp_path, capsys):
    """``rnnlab forecast --run RUN`` of a panel run: panel.json and the model folder."""
    root = panel_run

    def argv(case, out):
        return ["forecast", "--run", str(case), "--data", str(root / "p.csv"), "--output",
                str(out)]
    fails = []
    for rel, seed in (("panel.json", 51), ("model/model.json", 52)):
        muts = file_mutations(root / "run" / rel, seed)
        muts += json_mutations(root / "run" / rel, seed, 40, depth=3)
        fails += _cases(root, tmp_path, rel, muts, argv, True)
    capsys.readouterr()
    assert not fails, "\n".join(fails)
