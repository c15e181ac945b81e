"""A nightly job's log of ``rnnlab forecast --run DIR --data new.csv --output FILE``: the
line saying what was written now names the run and its model's weights (SHA-256, as
model/model.json records it), so a forecast file can be traced to the model that made it;
it named only the file."""

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main


def _trained_run(tmp_path):
    """(the run, its data) of a tiny panel run trained on ``tmp_path / 'day1.csv'``."""
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 30),
                       "ds": np.tile(pd.date_range("2020-01-01", periods=30, freq="MS"), 2),
                       "y": 10 + rng.normal(0, 1, 60)})
    df.to_csv(tmp_path / "day1.csv", index=False)
    run = tmp_path / "run"
    assert main(["forecast", "--data", str(tmp_path / "day1.csv"), "--model", "gru",
                 "--lookback", "4", "--horizon", "2", "--hidden-size", "4", "--epochs", "1",
                 "--baselines", "none", "--no-progress", "--out", str(run)]) == 0
    return run, df


@pytest.mark.slow
def test_the_written_line_names_the_run_and_its_weights(tmp_path, capsys):
    run, _ = _trained_run(tmp_path)
    capsys.readouterr()
    out = tmp_path / "fc.csv"
    assert main(["forecast", "--run", str(run), "--data", str(tmp_path / "day1.csv"),
                 "--output", str(out)]) == 0
    sha = json.loads((run / "model" / "model.json").read_text())["weights_sha256"]
    err = " ".join(capsys.readouterr().err.split())
    assert (f"wrote 4 forecasts (2 series x 2 steps) to {out}, by the model of {run} "
            f"(weights sha256 {sha[:16]})") in err


@pytest.mark.slow
def test_the_written_line_names_the_weights_loaded_not_those_saved_since(tmp_path, capsys,
                                                                       monkeypatch):
    """The line named the hash model/model.json held once the forecast was written, read
    again then: a model saved into the run while the forecast ran (a refit of the day's
    job) was named for a forecast the model loaded before it made."""
    from rnnlab.panel.model import GlobalForecaster

    run, df = _trained_run(tmp_path)
    loaded = json.loads((run / "model" / "model.json").read_text())["weights_sha256"]
    predict = GlobalForecaster.predict

    def refit_meanwhile(self, *a, **k):  # (another process saves a new model into the run)
        other = GlobalForecaster("gru", lookback=4, horizon=2, hidden_size=5, epochs=1,
                                 batches_per_epoch=1, seed=9).fit(df)
        other.save(run / "model", overwrite=True)
        return predict(self, *a, **k)

    monkeypatch.setattr(GlobalForecaster, "predict", refit_meanwhile)
    capsys.readouterr()
    assert main(["forecast", "--run", str(run), "--output", str(tmp_path / "fc.csv")]) == 0
    saved = json.loads((run / "model" / "model.json").read_text())["weights_sha256"]
    err = " ".join(capsys.readouterr().err.split())
    assert saved != loaded
    assert f"(weights sha256 {loaded[:16]})" in err and saved[:16] not in err


def test_the_hash_is_the_loaded_files_and_a_fit_drops_it(tmp_path):
    """``weights_sha256``: the weights file a loaded model read (model.json's, checked on
    loading); a fit after it makes weights of its own, which no file holds yet."""
    from rnnlab.panel.model import GlobalForecaster

    df = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2020-01-01", periods=30),
                       "y": np.sin(np.arange(30))})
    kw = dict(lookback=4, horizon=2, hidden_size=4, epochs=1, batches_per_epoch=1)
    GlobalForecaster("gru", **kw).fit(df).save(tmp_path / "m")
    loaded = GlobalForecaster.load(tmp_path / "m")
    assert loaded.weights_sha256 == json.loads((tmp_path / "m" / "model.json").read_text(
        ))["weights_sha256"]
    assert loaded.fit(df).weights_sha256 is None
