"""Where two of session 23's branches meet (its review): stdin's kept copy with
``--out DIR --resume``, val_data with the OutlierWarning."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (the tests' helpers)
from printed_words import words  # noqa: E402
from test_cli_pipes20 import AIRLINE, TINY, _stdin  # noqa: E402

from rnnlab.cli import main  # noqa: E402
from rnnlab.data.outliers import OutlierWarning  # noqa: E402


@pytest.mark.slow
def test_resume_names_other_stdin_it_ignores_as_typed(tmp_path, monkeypatch, capsys):
    # `cat new.csv | rnnlab forecast --data - --out R --resume` on a run of other data:
    # was "ignored --data /root/.cache/rnnlab/inputs/d8fc....csv", a path never typed
    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path / "cache"))
    run = tmp_path / "run"
    _stdin(monkeypatch, AIRLINE.read_bytes())
    assert main(["forecast", "--data", "-", "--out", str(run), "--resume", *TINY]) == 0
    capsys.readouterr()
    other = AIRLINE.read_bytes().replace(b",112\n", b",113\n", 1)
    _stdin(monkeypatch, other)
    assert main(["forecast", "--data", "-", "--out", str(run), "--resume", *TINY]) == 0
    err = capsys.readouterr().err
    kept = [p for p in (tmp_path / "cache" / "inputs").iterdir()
            if p.read_bytes() == other]
    assert len(kept) == 1
    assert f"ignored --data - (kept as {kept[0]})" in words(err)  # (a warning wraps)


def _fit_with_val(val: np.ndarray):
    from rnnlab import Forecaster

    y = 100 + 10 * np.sin(np.arange(60) / 3)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        Forecaster(hidden_size=2, epochs=1, ensemble=1, horizon=2, lookback=4,
                   progress=False).fit(y, val_data=val)
    return [str(w.message) for w in seen if issubclass(w.category, OutlierWarning)]


@pytest.mark.slow
def test_an_extreme_value_in_val_data_is_named_where_it_was_typed():
    # was "1e+09 at position 66": its place in the data and val_data joined
    val = 100 + 10 * np.sin(np.arange(60, 72) / 3)
    val[6] = 1e9
    (said,) = _fit_with_val(val)
    assert "1e+09 at val_data[6] (position 66)" in said


def test_named_labels_leave_dates_and_a_series_without_val_data_as_they_are():
    import pandas as pd

    from rnnlab.data.series import Series
    from rnnlab.forecast.val_data import named_labels

    s = Series(name="y", values=np.arange(6.0))
    assert list(named_labels(s, 0)) == list(range(6))
    assert list(named_labels(s, 2)) == [0, 1, 2, 3, "val_data[0]", "val_data[1]"]
    dated = Series(name="y", values=np.arange(3.0),
                   index=pd.date_range("2020-01-01", periods=3, freq="D"))
    assert list(named_labels(dated, 2)) == list(dated.labels())


@pytest.mark.slow
def test_a_series_backtest_names_an_extreme_value_at_its_own_label_once():
    # was "1e+06 at 2000-02-20 (position 50)": the date of the stand-in calendar an array
    # without dates is backtested on
    from rnnlab import Forecaster

    y = 100 + 10 * np.sin(np.arange(60) / 3)
    y[50] = 1e6
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        Forecaster(hidden_size=2, epochs=1, ensemble=1, horizon=4, lookback=4,
                   progress=False).backtest(y, first_origin=8, stride=4, baselines=["naive"])
    said = [w for w in seen if issubclass(w.category, OutlierWarning)]
    assert len(said) == 1 and said[0].filename == __file__
    assert "1e+06 at position 50;" in str(said[0].message)


@pytest.mark.slow
def test_out_dir_resume_takes_its_options_from_a_settings_file(tmp_path, capsys):
    # the job scheduler's one command, `rnnlab forecast --config exp.toml --resume` with
    # out in the file: was "--config exp.toml with --resume: a resumed run goes on with its
    # own options", though there was no run yet to take them from
    cfg = tmp_path / "exp.toml"
    cfg.write_text('data = "airline"\nout = "runs/a"\nepochs = 1\nensemble = 1\n'
                   'hidden_size = 4\nthreads = 1\nno_progress = true\n')
    run = tmp_path / "runs" / "a"
    assert main(["forecast", "--config", str(cfg), "--resume"]) == 0
    assert "no run to resume there yet, so it starts" in capsys.readouterr().err
    assert (run / "cli.json").is_file()
    assert main(["forecast", "--config", str(cfg), "--resume"]) == 0  # (after a kill)
    assert "ignored" not in capsys.readouterr().err
    # (more epochs given anew train on: rnnlab.io.resume_budget; were "ignored")
    assert main(["forecast", "--config", str(cfg), "--resume", "--set", "epochs=2"]) == 0
    assert "ignored" not in capsys.readouterr().err
    assert (run / "history.csv").read_text().splitlines()[-1].split(",")[:2] == ["0", "2"]
    # --resume RUN_DIR: the run's own options only, as before
    assert main(["forecast", "--config", str(cfg), "--resume", str(run)]) == 2
    assert "a resumed run goes on with its own options" in capsys.readouterr().err


def test_val_data_numbered_from_0_is_told_to_pass_its_values():
    # `val = df.y.iloc[88:].reset_index(drop=True)`: refused as "labelled 0, before or at
    # the end of the data's last (87)", with no word of the index being the trouble
    import pandas as pd

    from rnnlab import Forecaster
    from rnnlab.io.errors import DataError

    y = 100 + 10 * np.sin(np.arange(40) / 3)
    with pytest.raises(DataError, match=r"val_data\.to_numpy\(\) takes its values"):
        Forecaster(hidden_size=2, epochs=1, horizon=2, lookback=4,
                   progress=False).fit(y[:30], val_data=pd.Series(y[30:]))
