"""Leftovers of session 14, mended in session 15: one ``--output`` check for ``forecast
--run`` of a series and of a panel, ``--run ... --quantiles`` checked before the model is
loaded, text-matched error rewrites replaced by structured ones, and a backtest's model
quantiles kept after one origin without them."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from printed_words import words
from rnnlab.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (the tests' helpers)
from test_panel_forecast_cli import DATA_OPTIONS, write_panel  # noqa: E402

TINY = ["--epochs", "1", "--ensemble", "1", "--hidden-size", "4", "--threads", "1",
        "--no-progress"]


@pytest.fixture(scope="module")
def series_run(tmp_path_factory):
    """A finished one-series run (airline) of a tiny Forecaster."""
    run = tmp_path_factory.mktemp("series") / "run"
    assert main(["forecast", "--data", "airline", "--out", str(run), *TINY]) == 0
    return run


@pytest.fixture(scope="module")
def panel_run(tmp_path_factory):
    """A panel run directory as ``rnnlab forecast`` leaves it for ``--run`` (its model and
    panel.json; made through the API, seconds faster than a whole run), and its data."""
    from rnnlab.io.atomic import atomic_write_json
    from rnnlab.panel import GlobalForecaster, read_panel

    tmp = tmp_path_factory.mktemp("panel")
    data = write_panel(tmp / "panel.csv")
    panel = read_panel(str(data), id_column="store", date_column="day", target="sales")
    run = tmp / "run"
    model = GlobalForecaster("lstm", lookback=6, horizon=3, hidden_size=4, head_size=4,
                             epochs=1, batches_per_epoch=2, batch_size=8, seed=0,
                             quantiles=(0.1, 0.5, 0.9)).fit(panel)
    model.save(run / "model")
    atomic_write_json(run / "panel.json", {
        "data": str(data), "id_column": "store", "date_column": "day", "column": "sales",
        "fill": None, "horizon": 3, "model": "lstm", "future_covariates": [],
        "freq": panel.freq}, checksum=True)
    return run, data


# ------------------------------------------------- 1. one --output check for both --run kinds
def test_panel_run_output_never_replaces_a_file_of_the_run(panel_run, capsys):
    # before: the panel's copy lacked the single series' check: --output RUN/model/model.json
    # --overwrite replaced the saved model with a CSV of forecasts
    run, _ = panel_run
    model = run / "model" / "model.json"
    before = model.read_bytes()
    assert main(["forecast", "--run", str(run), "--output", str(model), "--overwrite"]) == 1
    assert "is a file of the run" in capsys.readouterr().err
    assert model.read_bytes() == before


def test_panel_run_output_folder_names_a_file_to_give(panel_run, tmp_path, capsys):
    # before: "is a directory; --output takes a CSV file name" without an example
    run, _ = panel_run
    assert main(["forecast", "--run", str(run), "--output", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"e.g. {tmp_path / 'forecast.csv'}" in err and "Traceback" not in err


@pytest.mark.parametrize("kind", ["series", "panel"])
def test_run_output_never_replaces_the_data_it_reads(kind, series_run, panel_run, tmp_path,
                                                     capsys):
    # before: --data new.csv --output new.csv --overwrite replaced the data with forecasts
    if kind == "series":
        run = series_run
        data = tmp_path / "new.csv"
        from rnnlab.data.datasets import airline

        s = airline()
        pd.DataFrame({"month": s.index, "y": s.values}).to_csv(data, index=False)
    else:
        run, original = panel_run
        data = tmp_path / "new.csv"
        data.write_bytes(original.read_bytes())
    before = data.read_bytes()
    assert main(["forecast", "--run", str(run), "--data", str(data), "--output", str(data),
                 "--overwrite"]) == 1
    assert "this command reads" in capsys.readouterr().err
    assert data.read_bytes() == before


def test_panel_run_output_still_writes_and_asks_before_replacing(panel_run, tmp_path, capsys):
    run, _ = panel_run
    out = tmp_path / "fc.csv"
    assert main(["forecast", "--run", str(run), "--output", str(out)]) == 0
    assert len(pd.read_csv(out)) == 9  # 3 series x 3 steps
    capsys.readouterr()
    assert main(["forecast", "--run", str(run), "--output", str(out)]) == 1
    assert "exists; pass --overwrite" in capsys.readouterr().err
    assert main(["forecast", "--run", str(run), "--output", str(out), "--overwrite"]) == 0


# ------------------------------------------ 2. --run --quantiles: checked before the model loads
@pytest.mark.parametrize("levels", [["1.5"], ["0.9", "0.1"], ["nan"]])
def test_run_quantiles_are_checked_before_the_model_is_loaded(series_run, monkeypatch,
                                                              capsys, levels):
    # before: Forecaster.load ran first (a large model loaded, then a bad level refused)
    from rnnlab.forecast import forecaster

    def no_load(*a, **k):
        raise AssertionError("the model was loaded before the levels were checked")

    monkeypatch.setattr(forecaster.Forecaster, "load", classmethod(no_load))
    assert main(["forecast", "--run", str(series_run), "--quantiles", *levels]) == 2  # usage
    err = capsys.readouterr().err
    assert "--quantiles" in err and "loaded before" not in err


# ------------------------------- 5. refit="never": one origin without quantiles, not all after it
def test_backtest_keeps_the_model_quantiles_after_an_origin_without_them(monkeypatch):
    # before: the first origin whose history gave no spread set the model's levels to ()
    # for good: every later origin of the refit="never" backtest was scored on points only
    import warnings

    from rnnlab.forecast import intervals
    from rnnlab.forecast.backtest import backtest_series
    from rnnlab.forecast.config import ForecastConfig
    from rnnlab.io.errors import DataError

    real, calls = intervals.quantile_forecast, []

    def once_failing(f, history, mean, quantiles):
        calls.append(len(history))
        if len(calls) == 1:  # the first origin's history: no spread (as a constant one)
            raise DataError("the last 5 are all equal: no spread to scale them by")
        return real(f, history, mean, quantiles)

    monkeypatch.setattr(intervals, "quantile_forecast", once_failing)
    cfg = ForecastConfig(hidden_size=4, epochs=1, ensemble=1, lookback=12, horizon=6,
                         progress=False, threads=1)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        res = backtest_series(cfg, "airline", first_origin=18, stride=6, baselines=("naive",),
                              quantiles=(0.1, 0.9))
    model = res.forecasts[res.forecasts.model == "model"]
    origins = sorted(model.origin.unique())
    assert len(origins) == 3 and len(calls) == 3
    has_q = model.groupby("origin")["q0.1"].apply(lambda s: s.notna().all())
    assert not has_q[origins[0]] and has_q[origins[1]] and has_q[origins[2]]
    said = [str(w.message) for w in seen if "no quantiles" in str(w.message)]
    assert len(said) == 1 and "18 steps before the end" in said[0] and "other origins" in said[0]


def test_backtest_of_a_model_without_intervals_says_so_once(monkeypatch):
    # a forecaster that has no intervals at any origin (difference="none"): one warning,
    # the model scored on points (as before)
    import warnings

    from rnnlab.forecast.backtest import backtest_series
    from rnnlab.forecast.config import ForecastConfig

    cfg = ForecastConfig(hidden_size=4, epochs=1, ensemble=1, lookback=12, horizon=6,
                         progress=False, threads=1, difference="none")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        res = backtest_series(cfg, "airline", first_origin=18, stride=6, baselines=("naive",),
                              quantiles=(0.1, 0.9))
    model = res.forecasts[res.forecasts.model == "model"]
    assert model["q0.1"].isna().all() and model["mean"].notna().all()
    said = [str(w.message) for w in seen if "no quantiles" in str(w.message)]
    assert len(said) == 1 and "does not difference" in said[0]


# ------------------------------------- 4. hints and rewrites from structure, not from words
def test_difference_hint_follows_the_error_not_its_words(tmp_path, monkeypatch, capsys):
    # before: the hint was added when the message held "does not difference": reworded,
    # it silently went away
    from forecast_series import seasonal

    from rnnlab.forecast import intervals

    monkeypatch.setattr(intervals, "not_differenced",
                        lambda f: "reworded: this forecaster models the levels themselves")
    csv = tmp_path / "s.csv"
    seasonal(42, noise=2.0).rename_axis("month").reset_index().to_csv(csv, index=False)
    out = tmp_path / "run"
    assert main(["forecast", "--data", str(csv), "--hidden-size", "4", "--epochs", "1",
                 "--ensemble", "1", "--lookback", "6", "--horizon", "6", "--no-progress",
                 "--quantiles", "0.1", "0.9", "--out", str(out)]) == 0
    err = words(capsys.readouterr().err)  # (its words: a warning wraps at 80 columns)
    assert "no intervals: reworded" in err and "(on the command line: --difference first)" in err


def test_no_hint_for_an_error_that_only_shares_the_words(monkeypatch, capsys):
    # a history too flat for a spread whose message happens to say "does not difference"
    from rnnlab.forecast import report

    class F:
        histories, series = [], type("S", (), {"filled": None})()

    monkeypatch.setattr(report, "format_metrics", lambda ev, out: "")
    monkeypatch.setattr(report, "period_line", lambda f: "")  # (reads a fitted Forecaster)
    report.print_outcome(F(), {"intervals": {"levels": [0.1], "error": "it does not "
                                             "difference the flat part"}}, Path("."))
    err = words(capsys.readouterr().err)
    assert "no intervals: it does not difference" in err and "command line" not in err


# ---------------------------------------- 3. a panel forecast reads its history once
def test_panel_predict_reads_the_history_once(panel_run, monkeypatch):
    # before: predict read the history (read_columns), and _forecast read it again
    from rnnlab.panel import covariates, forecast_inputs, model as panel_model

    run, data = panel_run
    model = panel_model.GlobalForecaster.load(run / "model")
    raw = pd.read_csv(data).rename(columns={"store": "unique_id", "day": "ds", "sales": "y"})
    want = model.predict(3, history=raw)
    calls = []
    real = covariates.read_columns
    for reader in (panel_model, forecast_inputs):  # (every module that reads a panel's
        # columns: the history's read moved to forecast_inputs, where a patch of
        # panel_model alone saw no read at all)
        monkeypatch.setattr(reader, "read_columns",
                            lambda data, *rest, **kw: calls.append(type(data)) or real(
                                data, *rest, **kw))
    got = model.predict(3, history=raw)
    assert calls == [pd.DataFrame]
    pd.testing.assert_frame_equal(got, want)


def test_integer_step_messages_name_steps_without_rewriting_the_users_text():
    # before: the message was rewritten after the fact, every yyyy-mm-dd in it read as an
    # internal day: the id 'cohort 2021-03-01' was shown as 'cohort 18687'
    from rnnlab.io.errors import DataError
    from rnnlab.panel import read_panel

    df = pd.DataFrame({"unique_id": "cohort 2021-03-01", "ds": range(1, 11), "y": range(10)})
    with pytest.raises(DataError) as e:
        read_panel(df[df.ds != 5])
    assert "missing steps (series, step: ('cohort 2021-03-01', 5))" in str(e.value)


def test_shown_date_and_date_word_follow_the_panel_kind_they_are_within():
    # the kind is set for the messages as they are made (no words matched afterwards)
    from rnnlab.panel.int_steps import EPOCH, STEPS, date_word, shown_date, steps_in_errors

    day = EPOCH + pd.Timedelta(days=4)
    assert (shown_date(day), date_word()) == ("1970-01-05", "date")
    with steps_in_errors(STEPS):
        assert (shown_date(day), date_word()) == ("4", "step")
        with steps_in_errors("M"):  # a dated panel read inside: its own words
            assert (shown_date(day), date_word()) == ("1970-01-05", "date")
        assert date_word() == "step"
    assert date_word() == "date"


def test_saving_a_backtest_names_python_arguments_in_every_refusal(tmp_path):
    # before: the command's message was rewritten by replacing "pass --overwrite" and
    # "another --out": a folder of the user's files was refused with "--overwrite replaces
    # only a run directory rnnlab made" (a wording the replacement did not know)
    from rnnlab.io.errors import RunDirError
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.frame import read_panel

    df = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2020-01-01", periods=20),
                       "y": np.arange(20.0)})
    res = backtest(None, read_panel(df), horizon=4, baselines=("naive",))
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my own")
    with pytest.raises(RunDirError, match=r"overwrite=True replaces only a run directory "
                                          r"rnnlab made\. Choose another path") as e:
        res.save(mine, overwrite=True)
    assert "--" not in str(e.value) and (mine / "notes.txt").read_text() == "my own"
    (tmp_path / "file").write_text("x")
    with pytest.raises(RunDirError, match="choose another path"):
        res.save(tmp_path / "file")


# ------------------------------------------- the panel CLI as a user: covariates of a baseline
def test_backtest_says_a_baseline_model_reads_no_covariates(tmp_path):
    # before: --model naive --future-covariates temp ran without a word, the forecasts the
    # same as without them (a network option was refused, a covariate silently unread)
    from test_panel_cli import bt_args, write_panel as monthly_panel

    data = monthly_panel(tmp_path / "p.csv")
    with pytest.warns(UserWarning, match="--future-covariates: --model naive, a baseline, "
                                         "reads no covariates"):
        assert main(bt_args(data, tmp_path / "run", "--model", "naive", "--plot-series", "0",
                            "--future-covariates", "temp")) == 0
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*reads no covariates")
        assert main(bt_args(data, tmp_path / "run2", "--model", "naive",
                            "--plot-series", "0")) == 0


def test_panel_forecast_of_a_baseline_needs_no_future_file(tmp_path):
    # before: --model naive --future-covariates temp wrote no forecasts.csv, asking for
    # --future FILE.csv with values the naive forecast never reads
    data = write_panel(tmp_path / "p.csv")
    out = tmp_path / "run"
    with pytest.warns(UserWarning, match="reads no covariates"):
        assert main(["forecast", "--data", str(data), *DATA_OPTIONS, "--model", "naive",
                     "--horizon", "3", "--future-covariates", "temp", "--out", str(out)]) == 0
    fc = pd.read_csv(out / "forecasts.csv")
    assert len(fc) == 9 and fc["mean"].notna().all()


@pytest.mark.parametrize("first, says, code", [
    ("2", "--first-origin 2 leaves less than one --horizon", 2),  # two options: usage error
    ("60", "--first-origin 60 leaves fewer than 2 values", 1)])  # the data's length
def test_backtest_first_origin_errors_name_the_options(first, says, code, tmp_path, capsys):
    # before: "pass first_origin >= horizon" and "lower first_origin or min_length" (the
    # Python arguments; min_length is no option), after a warning listing every series
    from test_panel_cli import bt_args, write_panel as monthly_panel

    data = monthly_panel(tmp_path / "p.csv")
    args = bt_args(data, tmp_path / "run", "--plot-series", "0")
    args[args.index("--first-origin") + 1] = first
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no warning before the error)
        assert main(args) == code
    err = capsys.readouterr().err
    assert says in err and "first_origin" not in err and "min_length" not in err
    assert not (tmp_path / "run").exists()


def test_backtest_horizon_beyond_the_series_and_a_folder_as_data(tmp_path, capsys):
    # before: "--first-origin 80 leaves ..." though no --first-origin was typed (the
    # horizon is its default); a folder as --data was "no such file"
    from test_panel_cli import bt_args, write_panel as monthly_panel

    data = monthly_panel(tmp_path / "p.csv")
    args = bt_args(data, tmp_path / "run", "--plot-series", "0")
    i = args.index("--first-origin")
    args = args[:i] + args[i + 2:]
    args[args.index("--horizon") + 1] = "45"
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "--horizon 45 (the first origin) leaves fewer than 2 values" in err
    assert "--first-origin" not in err.split("leaves")[0]
    args[args.index("--data") + 1] = str(tmp_path)
    assert main(args) == 1
    assert f"{tmp_path}: is a directory; pass a CSV file" in capsys.readouterr().err


def test_an_interrupted_comparison_says_where_from_the_stop_not_its_words(monkeypatch,
                                                                          tmp_path, capsys):
    # before: the comparison kept the text before the message's first ';': a message
    # worded without one kept the loop's "Resume with fit(..., resume=True)" beside
    # "has no --resume"
    from rnnlab.compare import runner
    from rnnlab.train.distributed import _rebuild_error
    from rnnlab.train.stops import TrainingInterrupted

    where = "stopped by a signal at epoch 2, step 3"

    def stopped(*a, **k):
        raise TrainingInterrupted(f"{where}, checkpoint written. {TrainingInterrupted.HINT}",
                                  130, where=where)

    monkeypatch.setattr(runner, "run_models", stopped)
    assert main(["compare", "--models", "rnn", "--out", str(tmp_path / "c")]) == 130
    err = capsys.readouterr().err
    assert f"{where}. A comparison keeps no checkpoints and has no --resume" in err
    assert "resume=True" not in err
    # a worker's stop keeps it across processes (rebuilt from what the worker reported)
    e = _rebuild_error((1, "rnnlab.train.stops", "TrainingInterrupted", "msg", 143, "tb",
                        where))
    assert isinstance(e, TrainingInterrupted) and (e.exit_code, e.where) == (143, where)


def test_backtest_help_has_no_developer_notes(capsys):
    # before: --help ended with the module's notes for developers (":class:`~rnnlab.panel.
    # config.PanelConfig`'s fields; :func:`panel_config` builds ...")
    assert main(["backtest", "--help"]) == 0
    out = capsys.readouterr().out
    assert "rolling-origin backtest" in out
    assert not any(m in out for m in (":class:", ":func:", ":mod:", "panel_config"))


def test_backtest_refuses_a_future_file_it_would_not_read(tmp_path, capsys):
    # before: rnnlab backtest --future FILE.csv ran without reading it, without a word
    from test_panel_cli import bt_args, write_panel as monthly_panel

    data = monthly_panel(tmp_path / "p.csv")
    assert main(bt_args(data, tmp_path / "run", "--future", str(data))) == 2  # a usage error
    assert "a backtest reads the future covariates" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()
