"""A model with holidays records the `holidays` release it was fitted with, and its load
warns when another is installed (one-series and panel models)."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("holidays")

from rnnlab.panel.holidays_release import HolidaysReleaseWarning  # noqa: E402

US = dict(calendar=("holiday",), country="US")


def _daily(days: int = 200) -> pd.Series:
    dates = pd.date_range("2018-01-01", periods=days, freq="D")
    t = np.arange(days)
    return pd.Series(100 + 10 * np.sin(2 * np.pi * t / 7) + t % 5, index=dates, name="sales")


def _other_release(monkeypatch):
    import rnnlab.panel.holidays_release as module

    monkeypatch.setattr(module, "installed_release", lambda: "99.1")


def _one_series(tmp_path, **kw):
    from rnnlab.forecast import Forecaster

    f = Forecaster(lookback=14, horizon=7, hidden_size=4, epochs=1, ensemble=1,
                   progress=False, seed=0, select="network", **kw).fit(_daily())
    f.save(tmp_path / "m")
    return tmp_path / "m"


def test_one_series_load_under_another_release_warns(tmp_path, monkeypatch):
    import importlib.metadata as md

    from rnnlab.forecast import Forecaster

    path = _one_series(tmp_path, **US)
    was = md.version("holidays")
    with warnings.catch_warnings():
        warnings.simplefilter("error", HolidaysReleaseWarning)
        Forecaster.load(path)  # the same release: nothing said
    _other_release(monkeypatch)
    with pytest.warns(HolidaysReleaseWarning) as got:
        Forecaster.load(path)
    text = str(got[0].message)
    assert f"fitted with holidays {was}, loaded with holidays 99.1" in text
    assert "'US'" in text and "years after the data's" in text
    assert f"pip install 'holidays=={was}'" in text and "Refit" in text
    assert got[0].filename == __file__  # (the caller's line)


def test_a_model_without_holidays_or_an_older_file_is_not_compared(tmp_path, monkeypatch):
    from rnnlab.forecast import Forecaster

    plain = _one_series(tmp_path)
    older = _one_series(tmp_path / "o", **US)
    meta = json.loads((older / "model.json").read_text())
    del meta["extra"]["packages"]  # (saved before the release was recorded)
    from fuzz_files import write_json

    write_json(older / "model.json", meta, True)  # (its checksum again: an edit)
    _other_release(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error", HolidaysReleaseWarning)
        Forecaster.load(plain)
        Forecaster.load(older)


@pytest.mark.slow
def test_panel_model_records_and_compares_the_release(tmp_path, monkeypatch):
    import importlib.metadata as md

    from rnnlab.panel import GlobalForecaster, read_panel

    s = _daily(150)
    panel = read_panel(pd.DataFrame({"unique_id": "a", "ds": s.index, "y": s.to_numpy()}))
    f = GlobalForecaster("lstm", lookback=14, horizon=7, hidden_size=4, epochs=1,
                         batches_per_epoch=2,
                         progress=False, seed=0, **US).fit(panel)
    f.save(tmp_path / "g")
    extra = json.loads((tmp_path / "g" / "model.json").read_text())["extra"]
    assert extra["packages"] == {"holidays": md.version("holidays")}
    with warnings.catch_warnings():
        warnings.simplefilter("error", HolidaysReleaseWarning)
        GlobalForecaster.load(tmp_path / "g")
    _other_release(monkeypatch)
    with pytest.warns(HolidaysReleaseWarning, match=r"loaded with holidays 99\.1"):
        GlobalForecaster.load(tmp_path / "g")
