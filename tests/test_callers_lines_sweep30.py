"""Warnings that named a line inside rnnlab instead of the user's (session 30 sweep).

A fixed ``stacklevel`` is right for one depth of calls only: the panel backtest's note on
filled held-out values pointed into ``models_backtest.py`` when reached through
``GlobalForecaster.backtest``, the one-series reader's notes into ``datasets.py`` through
``Forecaster.fit`` (or one frame above a direct call's line), and a key column named as an
output's column into ``frame.py``. Each now names the caller's line at every depth
(:func:`rnnlab.callers_line.callers_level`), and on the command line prints in rnnlab's own
words (``rnnlab backtest: warning: ...``)."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

BIG = np.array([2 ** 60 + 7 * i for i in range(30)], dtype=np.int64)  # (float64 rounds them)
MONTHS = pd.date_range("2000-01-01", periods=30, freq="MS")


def _seen(call, match: str) -> list:
    """The files the warnings of ``call()`` whose text has ``match`` name (any error after
    them ignored: only where they point is tested)."""
    ended = None
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        try:
            call()
        except Exception as e:  # noqa: BLE001 (a run stopped after its reading: said before)
            ended = e
    found = [w.filename for w in got if match in str(w.message)]
    assert found, ([str(w.message)[:80] for w in got], ended)
    return found


@pytest.fixture
def untrained(monkeypatch):
    """A panel backtest ended before its models are fitted (its reading's and its origins'
    warnings are said by then): no network trained to test where they point."""
    def stop(*args, **kwargs):
        raise RuntimeError("stopped before the fits")

    monkeypatch.setattr("rnnlab.panel.backtest.forecast_models", stop)


def _filled_panel() -> pd.DataFrame:
    """Two monthly series; b misses a value in the held-out part (filled, then scored)."""
    rows = [pd.DataFrame({"unique_id": u, "ds": MONTHS, "y": base + np.arange(30.0)})
            for u, base in (("a", 10.0), ("b", 50.0))]
    df = pd.concat(rows, ignore_index=True)
    df.loc[(df["unique_id"] == "b") & (df.index % 30 == 27), "y"] = np.nan
    return df


def test_a_backtests_filled_held_out_values_are_said_at_the_callers_line(untrained):
    from rnnlab.panel import GlobalForecaster, read_panel
    from rnnlab.panel.backtest import backtest

    df = _filled_panel()
    direct = _seen(lambda: backtest(None, read_panel(df, fill="zero"), horizon=3,
                                    first_origin=6, stride=3, baselines=("naive",),
                                    quantiles=()), "held-out target values")
    model = GlobalForecaster(horizon=3, lookback=4, epochs=1, hidden_size=4)
    through = _seen(lambda: model.backtest(df, fill="zero", first_origin=6, stride=3,
                                           baselines=("naive",)),
                    "held-out target values")
    assert set(direct) == set(through) == {__file__}, (direct, through)  # (models_backtest.py)


def test_the_one_series_readers_notes_are_said_at_the_callers_line():
    from rnnlab import Forecaster
    from rnnlab.data.series import load_series

    big = pd.DataFrame({"ds": MONTHS, "y": BIG})
    halves = pd.Series(np.arange(30.0), index=np.arange(30) * 0.5 + 1990)  # (index lost)
    said = [*_seen(lambda: load_series(big), "beyond 2**53"),
            *_seen(lambda: Forecaster(horizon=3, lookback=48, epochs=1).fit(big),
                   "beyond 2**53")]  # (named datasets.py; refused after its reading)
    assert set(said) == {__file__}, said
    with pytest.warns(UserWarning, match="its index") as got:
        load_series(halves)  # (named the line that called this test)
    assert [(w.filename, w.lineno) for w in got] == [(__file__, _line_of("load_series(halves)"))]


def _line_of(text: str) -> int:
    """The line of this file that starts with ``text`` (after its indent)."""
    lines = Path(__file__).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(text))


def test_a_key_column_named_as_an_outputs_column_is_said_at_the_callers_line(untrained):
    from rnnlab.panel import GlobalForecaster, read_panel

    df = pd.DataFrame({"model": np.repeat(["x", "y"], 30), "shop": "s",
                       "ds": np.tile(MONTHS, 2), "y": np.arange(60.0)})
    said = [*_seen(lambda: read_panel(df, id_column=["model", "shop"]), "key column 'model'"),
            *_seen(lambda: GlobalForecaster(horizon=3, lookback=4, epochs=1).backtest(
                df, id_column=["model", "shop"], first_origin=6),
                   "key column 'model'")]  # (frame.py)
    assert set(said) == {__file__}, said


@pytest.mark.slow
def test_the_command_line_says_filled_held_out_values_in_its_own_words(tmp_path):
    # under `python -m rnnlab` (runpy's frames above rnnlab's), as rnnlab's other warnings
    _filled_panel().to_csv(tmp_path / "p.csv", index=False)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-m", "rnnlab", "backtest", "--data",
                           str(tmp_path / "p.csv"), "--model", "naive", "--baselines", "naive",
                           "--fill", "zero", "--horizon", "3", "--first-origin", "6",
                           "--stride", "3", "--plot-series", "0", "--no-progress", "--out",
                           str(tmp_path / "bt")], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "rnnlab backtest: warning: 1 of the" in " ".join(done.stderr.split()), \
        done.stderr  # (its words: a warning wraps at 80 columns)
    assert "UserWarning" not in done.stderr, done.stderr


def test_a_recurrent_layers_notes_are_said_at_the_callers_line():
    import torch

    from rnnlab.nn import LSTMCell, Recurrent, Stacked

    layer = Recurrent(LSTMCell(2, 4))
    layer.cell.register_forward_hook(lambda module, args, out: None)
    second = Recurrent(LSTMCell(4, 4))
    second.cell.register_forward_pre_hook(lambda module, args: None)
    stack = Stacked([Recurrent(LSTMCell(2, 4)), second])
    x = torch.randn(5, 3, 2)
    said = [*_seen(lambda: layer(x), "hooks registered on the cell"),  # (torch's module.py)
            *_seen(lambda: stack(x), "hooks registered on the cell")]
    assert set(said) == {__file__}, said


def test_a_panels_notes_are_said_at_the_callers_line(untrained):
    from rnnlab.panel import GlobalForecaster, read_panel

    df = _filled_panel()
    df.loc[(df["unique_id"] == "b") & (df.index % 30 < 4), "y"] = np.nan  # (b starts later)
    panel = read_panel(df, fill="ffill")
    with pytest.warns(UserWarning, match="no value before the cut") as got:
        panel.cut(28)  # (named pytest's line that called this test)
    spiky = _filled_panel().fillna(60.0)
    spiky.loc[40, "y"] = 1e9  # (b's 11th value)
    tiny = dict(lookback=4, horizon=3, hidden_size=4, epochs=1, batches_per_epoch=1)
    said = [w.filename for w in got]
    said += _seen(lambda: GlobalForecaster(**tiny).backtest(spiky, first_origin=6),
                  "extreme values")  # (models_backtest.py)
    assert set(said) == {__file__}, said


@pytest.mark.slow  # (two small fits)
def test_a_panel_fits_notes_are_said_at_the_callers_line():
    from rnnlab.panel import GlobalForecaster

    full = _filled_panel().fillna(60.0)
    short = pd.concat([full, pd.DataFrame({"unique_id": "c", "ds": MONTHS[:5],
                                           "y": np.arange(5.0)})])
    tiny = dict(lookback=4, horizon=3, hidden_size=4, epochs=1, batches_per_epoch=1)
    said = [*_seen(lambda: GlobalForecaster(**tiny).fit(short), "skipped (not trained on"),
            *_seen(lambda: GlobalForecaster(**tiny, calibrate="conformal", val_size=0).fit(
                full), "calibrate='conformal'")]  # (model.py)
    late = pd.concat([full, pd.DataFrame({"unique_id": "c", "ds": MONTHS[16:],
                                          "y": 30 + np.arange(14.0)})], ignore_index=True)
    with warnings.catch_warnings(record=True) as got:  # (c: too short at the first origin's
        warnings.simplefilter("always")  # fit, forecast from its history at the next ones)
        GlobalForecaster(**tiny).backtest(late, first_origin=9, stride=3, baselines=("naive",))
    folds = [w.filename for w in got if any(
        s in str(w.message) for s in ("were not trained on", "fewer than 5 in-sample"))]
    assert len(folds) >= 2 and set(said + folds) == {__file__}, said + folds  # (origin_loop.py)


def test_a_one_series_models_notes_are_said_at_the_callers_line(tmp_path):
    from rnnlab import Forecaster

    y = pd.Series(100 + np.arange(48.0) + 5 * np.sin(np.arange(48)), index=pd.date_range(
        "2000-01-01", periods=48, freq="MS"))
    f = Forecaster(horizon=3, lookback=6, epochs=1, hidden_size=4, ensemble=1).fit(y)
    said = [*_seen(lambda: f.predict(2, history=y[:40]), "before the series the model"),
            *_seen(lambda: f.predict_insample(history=y[:40]),
                   "before the series the model"),  # (forecasting.py)
            *_seen(lambda: f.save(tmp_path / "m.pt"), "writes a folder")]  # (forecaster.py)
    assert set(said) == {__file__}, said
