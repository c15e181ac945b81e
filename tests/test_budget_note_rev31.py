"""A GlobalForecaster fit that its time budget (max_seconds) stopped said nothing: in
Python, and under `rnnlab forecast --max-seconds`, a network of 1 epoch of 50 looked
trained (only f.histories' stop_reason told), where Lightning, under NeuralForecast and
Darts, logs that its time limit stopped the trainer. A TimeBudgetNote says so, once per
fit (once for a local model's series too), pointing at the caller's line."""

import warnings

import pandas as pd

from rnnlab.panel import GlobalForecaster, TimeBudgetNote, read_panel


def _panel(ids=("a",)):
    ds = pd.date_range("2015-01-01", periods=60, freq="MS")
    return read_panel(pd.concat([pd.DataFrame({"unique_id": u, "ds": ds,
                                               "y": [float(i % 12 + i) for i in range(60)]})
                                 for u in ids]))


def _fit(panel, **kw):
    f = GlobalForecaster("lstm", lookback=12, horizon=6, batches_per_epoch=2, hidden_size=4,
                         head_size=4, **kw)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        f.fit(panel)
    return f, [w for w in seen if issubclass(w.category, TimeBudgetNote)]


def test_a_fit_its_budget_stopped_says_how_far_it_trained():
    f, notes = _fit(_panel(), epochs=50, max_seconds=1e-3)
    assert [h["stop_reason"] for h in f.histories] == ["time budget"]
    assert len(notes) == 1 and notes[0].filename == __file__  # (the caller's line)
    said = str(notes[0].message)
    trained = len(f.histories[0]["epochs"])
    assert f"stopped the network after {trained} of its 50 epochs" in said
    assert "max_seconds=0.001" in said and "raise max_seconds" in said


def test_a_fit_that_ends_its_epochs_says_nothing():
    assert _fit(_panel(), epochs=1, max_seconds=600)[1] == []
    assert _fit(_panel(), epochs=1)[1] == []


def test_a_local_model_says_it_once_for_its_series():
    f, notes = _fit(_panel(("a", "b")), epochs=50, max_seconds=2e-3, local=True)
    assert len(notes) == 1 and "2 of 2 series' networks" in str(notes[0].message)


def test_the_readme_names_the_note():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    said = " ".join(readme[readme.index("`max_seconds=` bounds the fit"):].split()[:40])
    assert "rnnlab.panel.TimeBudgetNote" in said
