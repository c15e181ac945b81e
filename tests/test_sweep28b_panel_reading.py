"""A panel's ``predict(history=path)`` (GlobalForecaster's and the baselines') reads the
file as their ``fit(path)`` does: ``encoding=`` and ``off_grid=``, checked alike before
any reading (:func:`rnnlab.data.reading_options.check_reading`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import ConfigError, DataError
from rnnlab.panel import GlobalForecaster, read_panel
from rnnlab.panel.baselines import ETS, Naive, SBA, SeasonalNaive


def _fridays(n, moved=None):
    d = pd.date_range("2020-01-03", periods=n, freq="W-FRI").astype(str).tolist()
    if moved is not None:  # (a Thursday among the Fridays)
        d[moved] = str((pd.Timestamp(d[moved]) - pd.Timedelta(days=1)).date())
    return d


def _panel_csv(path, n=60, moved=None):
    """A cp1252 panel: series 'Zürich' (a Thursday among its Fridays where ``moved``)."""
    pd.concat([pd.DataFrame({"unique_id": u, "ds": d, "y": 10 + np.sin(np.arange(n) * k)})
               for u, d, k in (("Zürich", _fridays(n, moved), 0.7), ("b", _fridays(n), 0.3))]
              ).to_csv(path, index=False, encoding="cp1252")
    return path


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    path = _panel_csv(tmp_path_factory.mktemp("fit") / "fit.csv", n=50)
    return GlobalForecaster(horizon=4, lookback=8, epochs=1, hidden_size=4,
                            progress=False).fit(read_panel(path, encoding="cp1252"))


@pytest.mark.slow
def test_global_forecaster_predict_reads_history_with_encoding_and_off_grid(fitted, tmp_path):
    path = _panel_csv(tmp_path / "new.csv", moved=55)
    with pytest.raises(DataError, match="off_grid='snap'"):
        fitted.predict(history=path, encoding="cp1252")
    fc = fitted.predict(history=path, encoding="cp1252", off_grid="snap")
    assert set(fc["unique_id"]) == {"Zürich", "b"}
    assert set(fc["ds"].dt.day_of_week) == {4}  # (snapped: every date on the Friday grid)
    with pytest.raises(DataError, match="missing dates"):  # (drop: a gap, fill= fills)
        fitted.predict(history=path, encoding="cp1252", off_grid="drop")


@pytest.mark.parametrize("bad, said", [(dict(off_grid="move"), r"\(off_grid='move'\)"),
                                       (dict(encoding="klingon"), r"\(encoding='klingon'\)")])
def test_global_forecaster_predict_refuses_a_bad_reading_option_first(tmp_path, bad, said):
    with pytest.raises(ConfigError, match=r"GlobalForecaster\.predict" + said):
        GlobalForecaster(horizon=4).predict(history=str(tmp_path / "not-there.csv"), **bad)


@pytest.mark.parametrize("model", [Naive, SeasonalNaive, SBA, ETS])
def test_a_baseline_reads_fit_and_history_with_encoding_and_off_grid(model, tmp_path):
    if model is ETS:
        pytest.importorskip("statsmodels")
    name = model.__name__
    path = _panel_csv(tmp_path / "p.csv", moved=45)
    with pytest.raises(DataError, match="off_grid='snap'"):
        model().fit(path, encoding="cp1252")
    fitted = model().fit(path, encoding="cp1252", off_grid="snap")
    fc = fitted.predict(4, history=path, encoding="cp1252", off_grid="snap")
    assert set(fc["unique_id"]) == {"Zürich", "b"} and set(fc["ds"].dt.day_of_week) == {4}
    with pytest.raises(ConfigError, match=rf"{name}\.predict\(off_grid='move'\)"):
        fitted.predict(4, history=path, off_grid="move")
    with pytest.raises(ConfigError, match=rf"{name}\.fit\(encoding='klingon'\)"):
        model().fit(path, encoding="klingon")


def test_check_reading_is_defined_once_outside_forecast():
    """The panel code imported it from rnnlab.forecast.fit_input: it lives in rnnlab.data."""
    from pathlib import Path

    import rnnlab

    src = Path(rnnlab.__file__).parent
    where = [p.relative_to(src).as_posix() for p in src.rglob("*.py")
             if "def check_reading(" in p.read_text(encoding="utf-8")]
    assert where == ["data/reading_options.py"]
    assert not [p.name for p in (src / "panel").glob("*.py")
                if "forecast.fit_input import" in p.read_text(encoding="utf-8")]


def test_predict_hints_its_own_encoding_argument(tmp_path):
    """A cp1252 history= read without encoding=: the hint names predict, which takes it."""
    path = _panel_csv(tmp_path / "h.csv")
    with pytest.raises(DataError, match=r"encoding='\w+' to GlobalForecaster\.predict\(\)"):
        GlobalForecaster(horizon=4).predict(history=path)
    with pytest.raises(DataError, match=r"encoding='\w+' to Naive\.predict\(\)"):
        Naive().predict(4, history=path)
