"""Darts' warm start (``model.load_weights(path)``, then ``fit`` again, which goes on from
the loaded weights) is not rnnlab's: a fit always starts from the seed's fresh weights. The
names were bare AttributeErrors, and a loaded model's fit gave no word that it started
anew; the names now say so and point to what does the work here."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.panel import GlobalForecaster


def _panel(n=40):
    t = np.arange(n)
    return pd.DataFrame({"unique_id": np.repeat(["a", "b"], n),
                         "ds": np.tile(pd.date_range("2020-01-01", periods=n, freq="MS"), 2),
                         "y": np.concatenate([10 + np.sin(t), 20 + np.cos(t)])})


@pytest.mark.parametrize("name", ["load_weights", "load_weights_from_checkpoint"])
def test_darts_warm_start_names_say_there_is_none(name):
    f = GlobalForecaster("gru", lookback=4, horizon=2)
    with pytest.raises(AttributeError, match=rf"no attribute '{name}' \(Darts' {name}; here: "
                                             r"no warm start: f\.fit\(panel\) trains from "
                                             r"the seed's fresh weights.*"
                                             r"GlobalForecaster\.load\(path\).*"
                                             r"f\.predict\(history=new\)"):
        getattr(f, name)
    one = Forecaster(lookback=4, horizon=2)
    with pytest.raises(AttributeError, match=rf"'{name}' \(Darts' {name}; here: no warm "
                                             r"start: f\.fit\(series\).*Forecaster\.load"):
        getattr(one, name)


def test_a_loaded_models_fit_starts_anew_as_the_message_says(tmp_path):
    """What the message claims: fitting a loaded model gives the fresh model's fit, not one
    gone on from the loaded weights."""
    df = _panel()
    kw = dict(lookback=6, horizon=2, epochs=1, batches_per_epoch=3, seed=1, val_size=0)
    first = GlobalForecaster("gru", **kw).fit(df.groupby("unique_id").head(30))
    first.save(tmp_path / "m")
    again = GlobalForecaster.load(tmp_path / "m").fit(df)
    fresh = GlobalForecaster("gru", **kw).fit(df)
    pd.testing.assert_frame_equal(again.predict(), fresh.predict())
    assert not first.predict(history=df).equals(fresh.predict())


def test_the_migration_notes_say_there_is_no_warm_start():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs/panels.md").read_text("utf-8")
    notes = " ".join(text.split())
    assert "`f.load_weights(path)` or `f.load_weights_from_checkpoint(name)` then `fit`" in notes
    assert "a loaded model's `fit` too" in notes
