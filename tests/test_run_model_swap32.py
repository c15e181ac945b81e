"""``rnnlab forecast --run DIR`` with a ``model/`` folder copied in from another run of the
same shape (trained on other data): it loaded silently and forecast another run's model
under this run's name. The data SHA-256 the run's config.json and the model's model.json
both record must agree; a run as written still forecasts, and a folder whose record lacks
the hash (an older rnnlab's) loads as before. (A panel run's two hashes are not the same
fact: its model.json hashes the panel cut at the last backtest origin, so it is not
checked.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main

TINY = ["--epochs", "1", "--hidden-size", "4", "--lookback", "6", "--horizon", "3"]


def _series(path: Path, shift: float) -> Path:
    rng = np.random.default_rng(int(shift))
    pd.DataFrame({"date": pd.date_range("2020-01-01", periods=48, freq="MS"),
                  "y": shift + 10 * np.sin(np.arange(48) / 2) + rng.standard_normal(48)}
                 ).to_csv(path, index=False)
    return path


def _train(data: Path, out: Path, *extra: str) -> Path:
    assert main(["forecast", "--data", str(data), *TINY, *extra, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two tiny runs of the same shape (and seed) on other data."""
    root = tmp_path_factory.mktemp("swap")
    return [_train(_series(root / f"{n}.csv", s), root / n, "--ensemble", "1")
            for n, s in (("a", 100), ("b", 7))]


def _swapped(pair, tmp_path: Path) -> Path:
    run = tmp_path / "run"
    shutil.copytree(pair[0], run)
    shutil.rmtree(run / "model")
    shutil.copytree(pair[1] / "model", run / "model")
    return run


@pytest.mark.slow
def test_model_copied_from_another_run_is_refused(runs, tmp_path, capsys):
    run = _swapped(runs, tmp_path)
    mine = json.loads((runs[0] / "config.json").read_text())["data_sha256"]
    theirs = json.loads((runs[1] / "config.json").read_text())["data_sha256"]
    assert mine != theirs
    capsys.readouterr()
    code = main(["forecast", "--run", str(run), "--output", str(tmp_path / "f.csv")])
    out, err = capsys.readouterr()
    assert code == 1 and not (tmp_path / "f.csv").exists(), (code, err)
    assert mine in err and theirs in err, err  # both values, both files, what to do
    assert "config.json" in err and "model.json" in err, err
    assert "rerun" in err and "Forecaster.load(" in err, err
    assert "Traceback" not in err


@pytest.mark.slow
def test_run_as_written_still_forecasts(runs, tmp_path):
    out = tmp_path / "f.csv"
    assert main(["forecast", "--run", str(runs[0]), "--output", str(out)]) == 0
    assert len(pd.read_csv(out)) > 0


@pytest.mark.slow
@pytest.mark.parametrize("lacking", ["config.json", "model/model.json"])
def test_record_without_the_hash_loads_as_before(runs, tmp_path, lacking):
    """An older rnnlab's folder lacks the field: nothing to compare, no refusal (the swapped
    model is then loaded, as before; the check cannot tell)."""
    run = _swapped(runs, tmp_path)
    path = run / lacking
    doc = json.loads(path.read_text())
    (doc if lacking == "config.json" else doc["extra"]).pop("data_sha256")
    doc.pop("_sha256", None)  # (an older record: no checksum either)
    path.write_text(json.dumps(doc))
    out = tmp_path / "f.csv"
    assert main(["forecast", "--run", str(run), "--output", str(out)]) == 0
    assert len(pd.read_csv(out)) > 0


@pytest.mark.slow
def test_resume_on_edited_data_still_forecasts(tmp_path):
    """A run resumed after its data file was edited trains its model on the new data: the
    run's config.json must record that hash too (it kept the start's, so --run refused the
    run's own model as another run's)."""
    data = _series(tmp_path / "d.csv", 100)
    run = _train(data, tmp_path / "run", "--ensemble", "1")
    frame = pd.read_csv(data)
    frame.loc[len(frame) - 1, "y"] += 5.0  # (the file edited after the run)
    frame.to_csv(data, index=False)
    assert main(["forecast", "--epochs", "2", "--data", str(data), "--out", str(run),
                 "--resume"]) == 0
    record = json.loads((run / "config.json").read_text())
    model = json.loads((run / "model" / "model.json").read_text())
    assert record["data_sha256"] == model["extra"]["data_sha256"]
    assert record["resumed"][-1]["data_sha256_before"] != record["data_sha256"]
    out = tmp_path / "f.csv"
    assert main(["forecast", "--run", str(run), "--output", str(out)]) == 0
    assert len(pd.read_csv(out)) > 0


@pytest.mark.parametrize("nested", ["config.json", "model/model.json"])
def test_record_nested_too_deep_is_left_to_the_loader(tmp_path, nested):
    """A record nested past Python's recursion limit: the check has no fact to compare
    (the loader refuses the file by name); it raised RecursionError, a traceback."""
    from rnnlab.io.run_model_match import check_model_of_run

    (tmp_path / "model").mkdir()
    for name in ("config.json", "model/model.json"):
        (tmp_path / name).write_text(json.dumps({"data_sha256": "a" * 64,
                                                 "extra": {"data_sha256": "b" * 64}}))
    (tmp_path / nested).write_text("[" * 200_000 + "]" * 200_000)
    assert check_model_of_run(tmp_path) is None
