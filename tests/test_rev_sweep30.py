"""Review of sweep30 / sweep30b (session 30): what the reviewer found and mended."""

from __future__ import annotations

import pytest

DJI = "/work/shared/data/dji_stooq_2018-02-13_2023-02-10.csv"


def test_stooq_date_column_false_reads_no_dates_as_a_csv_file_does(tmp_path, monkeypatch):
    # (``date_column or "Date"`` read date_column=False, "no dates", as the Date column)
    from rnnlab.data.datasets import resolve_data
    from rnnlab.data.stooq import fetch_stooq

    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path))
    raw = open(DJI, "rb").read()  # (a recorded download: no network)
    fetch_stooq("^DJI", fetch=lambda url: raw)
    from_file = resolve_data(DJI, column="Close", date_column=False)
    from_stooq = resolve_data("stooq:^DJI", date_column=False)
    assert from_file.index is None and from_stooq.index is None
    assert (from_stooq.values == from_file.values).all()
    assert resolve_data("stooq:^DJI").index is not None  # (the default: its dates, as before)


@pytest.mark.parametrize("given, column", [(0, "0"), ("0", 0)])
def test_a_column_named_0_given_with_another_type_is_named_not_a_unicode_form(
        tmp_path, given, column):
    # (sweep30b passes id_column=0 on: for a CSV file's column '0' it was refused saying
    # "'0' is '0' in another Unicode form (typed in NFC, in the file NFC ...)")
    import pandas as pd

    from rnnlab.io.errors import DataError
    from rnnlab.panel import read_panel

    df = pd.DataFrame({column: ["007"] * 3 + ["010"] * 3, "ds": ["2020-01-01", "2020-02-01",
                                                              "2020-03-01"] * 2,
                       "y": [1.0, 2, 3, 1, 2, 3]})
    data = df
    if isinstance(column, str):
        data = tmp_path / "panel.csv"
        df.to_csv(data, index=False)
    with pytest.raises(DataError) as e:
        read_panel(data, id_column=given)
    said = str(e.value)
    assert "Unicode" not in said and f"is that column, {given!r}" in said, said
    assert f"pass {column!r}" in said, said
    assert list(read_panel(data, id_column=column).ids) == ["007", "010"]  # (as it says)


def _seen(call, match: str) -> list:
    """The files the warnings of ``call()`` whose text has ``match`` name."""
    import warnings

    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        call()
    found = [w.filename for w in got if match in str(w.message)]
    assert found, [str(w.message)[:80] for w in got]
    return found


def _months(n: int, base: float = 100.0):
    import numpy as np
    import pandas as pd

    return pd.Series(base + np.arange(n) + 5 * np.sin(np.arange(n)),
                     index=pd.date_range("2000-01-01", periods=n, freq="MS"))


def test_a_one_series_backtests_note_on_quantiles_is_said_at_the_callers_line():
    # (forecast/backtest.py: stacklevel=2 named rnnlab's panel/origin_loop.py)
    from rnnlab import Forecaster

    f = Forecaster(horizon=3, lookback=6, epochs=1, hidden_size=4, ensemble=1,
                   difference="none")  # (no intervals from any origin)
    said = _seen(lambda: f.backtest(_months(48), first_origin=6, stride=3,
                                    baselines=("naive",)), "no quantiles")
    assert set(said) == {__file__}, said


def test_a_local_models_skipped_series_are_said_at_the_callers_line():
    # (panel/local_models.py: stacklevel=5 named rnnlab's panel/origin_loop.py in a backtest)
    import pandas as pd

    from rnnlab.panel import GlobalForecaster
    from rnnlab.panel.backtest import backtest

    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": _months(40).index,
                                  "y": _months(40, base).to_numpy()})
                    for u, base in (("a", 10.0), ("b", 50.0))], ignore_index=True)
    late = pd.DataFrame({"unique_id": "c", "ds": _months(40).index[26:],
                         "y": _months(14, 30.0).to_numpy()})  # (too short at the first fit)
    df = pd.concat([df, late], ignore_index=True)

    def make():
        return GlobalForecaster("lstm", lookback=6, horizon=3, local=True, difference="none",
                                hidden_size=4, epochs=1, batches_per_epoch=1)

    said = _seen(lambda: backtest(make, df, horizon=3, first_origin=9, stride=3,
                                  baselines=()), "were not in the training panel")
    assert set(said) == {__file__}, said


_LM = dict(model="rnn", hidden_size=8, num_layers=1, embedding=8, dropout=0.0)
_FAST = dict(batch_size=2, seq_len=5, progress=False)
_TEXT = "the cat sat. " * 40


def test_a_char_lms_sample_prefix_note_is_said_at_the_callers_line(capsys):
    # (lm/generate.py: the epoch samples' prefix, read in fit's worker, named
    # lm/fit_process.py)
    from rnnlab.lm import CharLM

    said = _seen(lambda: CharLM(**_LM).fit(_TEXT, epochs=1, sample_every=1,
                                           sample_prefixes=("the q",), **_FAST), "never saw")
    assert set(said) == {__file__}, said


def test_a_char_lm_resumed_after_it_stopped_early_says_so_at_the_callers_line(tmp_path):
    # (train/budget_stop.py "stopped early" and train/optim.py's plateau note: stacklevel 3
    # and 5 named lm/fit_process.py through CharLM.fit)
    from rnnlab.lm import CharLM

    kw = dict(_FAST, epochs=6, patience=1, lr=1e-30, sample_every=0, lr_schedule="plateau",
              checkpoint_dir=tmp_path / "ck")
    said = _seen(lambda: CharLM(**_LM).fit(_TEXT, **kw), "the halved rate never trains")
    said += _seen(lambda: CharLM(**_LM).fit(_TEXT, resume=True, **kw), "stopped early")
    assert set(said) == {__file__}, said


def test_a_char_lms_skipped_steps_are_said_at_the_callers_line(monkeypatch):
    # (lm/fit_notes.py: stacklevel=4, a fixed depth)
    from rnnlab.lm import CharLM, fit_launch

    real = fit_launch.fit_worker

    def skipping(*args, **kwargs):  # (the steps a non-finite loss skipped, as fit counts them)
        hist = real(*args, **kwargs)
        hist.skipped_steps = 2
        return hist

    monkeypatch.setattr(fit_launch, "fit_worker", skipping)
    said = _seen(lambda: CharLM(**_LM).fit(_TEXT, epochs=1, sample_every=0,
                                           on_nonfinite="skip", **_FAST), "were skipped")
    assert set(said) == {__file__}, said


def test_no_module_has_a_run_of_three_blank_lines():
    # (panel/long_table.py held runs of 8 and 4, left by edits: pycodestyle's E303; the
    # six older modules left as exceptions here were tidied in session 31)
    import re
    from pathlib import Path

    import rnnlab

    root = Path(rnnlab.__file__).parent
    found = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py")
                   if re.search(r"\n[ \t]*\n[ \t]*\n[ \t]*\n", p.read_text(encoding="utf-8")))
    assert not found, found


def test_a_backtests_unscored_series_are_said_at_the_callers_line(monkeypatch):
    # (panel/origin_align.py warn_unscored: stacklevel=4 named rnnlab's models_backtest.py
    # through GlobalForecaster.backtest)
    import numpy as np
    import pandas as pd

    from rnnlab.panel import GlobalForecaster
    from rnnlab.panel.backtest import backtest

    def stop(*args, **kwargs):  # (past the origins' notes: no network trained)
        raise RuntimeError("stopped before the fits")

    monkeypatch.setattr("rnnlab.panel.backtest.forecast_models", stop)
    df = pd.concat([pd.DataFrame({"unique_id": u, "y": np.sin(np.arange(40)) + 2.0,
                                  "ds": pd.date_range(start, periods=40, freq="MS")})
                    for u, start in (("a", "2000-01-01"), ("b", "1998-05-01"))])

    def quiet(call):
        def run():
            try:
                call()
            except RuntimeError:
                pass
        return run

    said = _seen(quiet(lambda: backtest(None, df, horizon=6, first_origin=24, stride=6,
                                        baselines=("naive",))), "less than a horizon")
    said += _seen(quiet(lambda: GlobalForecaster(horizon=6, lookback=4, epochs=1).backtest(
        df, first_origin=24, stride=6, baselines=("naive",))), "less than a horizon")
    assert set(said) == {__file__}, said
