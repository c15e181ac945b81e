"""``rnnlab score``'s inputs as the rest of the CLI reads them: ``-`` (standard input) or a
named pipe as FORECAST (`cat archive.csv | rnnlab score - --actuals new.csv` was "-: cannot
be read (No such file or directory)", and ``<(zcat archive.csv.gz)`` "not a regular
file"), read once: FORECAST and --actuals both ``-`` are refused."""

import io
import json
import os
import sys
import threading

import numpy as np
import pandas as pd

from rnnlab.cli import main


class _Pipe(io.TextIOWrapper):
    def isatty(self):
        return False


def _actuals(n=40):
    t = np.arange(n, dtype=np.float64)
    return pd.DataFrame({"month": pd.date_range("2001-01-01", periods=n, freq="MS"),
                         "units": 100 + t + 10 * np.sin(2 * np.pi * t / 12)})


FORECAST = "time,forecast\n2004-01-01,150.0\n2004-02-01,140.0\n2004-03-01,130.0\n"


def _stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", _Pipe(io.BytesIO(text.encode()), encoding="utf-8"))


def test_the_forecast_piped_on_standard_input_is_scored(tmp_path, monkeypatch, capsys):
    _actuals(38).to_csv(tmp_path / "a.csv", index=False)
    _stdin(monkeypatch, FORECAST)
    assert main(["score", "-", "--actuals", str(tmp_path / "a.csv"), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["pending"] == 1 and got["summary"]["n_forecasts"] == 2
    assert not list(tmp_path.glob("*.csv.*"))  # (a temporary copy: nothing kept beside)


def test_the_forecast_and_the_actuals_both_on_standard_input_are_refused(tmp_path,
                                                                         monkeypatch, capsys):
    _stdin(monkeypatch, FORECAST)
    assert main(["score", "-", "--actuals", "-"]) == 2
    err = capsys.readouterr().err
    assert "FORECAST" in err and "--actuals" in err and "read once" in err


def test_an_empty_standard_input_names_forecast_as_typed(tmp_path, monkeypatch, capsys):
    _actuals(38).to_csv(tmp_path / "a.csv", index=False)
    _stdin(monkeypatch, "")
    assert main(["score", "-", "--actuals", str(tmp_path / "a.csv")]) != 0
    assert "FORECAST -: standard input is empty" in capsys.readouterr().err


def test_the_forecast_from_a_named_pipe_is_scored(tmp_path, capsys):
    _actuals(38).to_csv(tmp_path / "a.csv", index=False)
    fifo = tmp_path / "fc.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(FORECAST), daemon=True)
    writer.start()
    try:
        assert main(["score", str(fifo), "--actuals", str(tmp_path / "a.csv"), "--json"]) == 0
    finally:
        if writer.is_alive():  # (refused unread: the writer waits for a reader)
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        writer.join(timeout=10)
    assert json.loads(capsys.readouterr().out)["summary"]["n_forecasts"] == 2


def test_a_forecast_saved_with_its_row_numbers_is_read(tmp_path):
    """``predict(...).reset_index().to_csv(path)`` (pandas' default index=True) was refused:
    'the forecast has columns Unnamed: 0, date, mean, q0.1, q0.9'."""
    from rnnlab.forecast.scoring import score_forecast

    fc = pd.DataFrame({"date": pd.date_range("2004-01-01", periods=3, freq="MS"),
                       "mean": [150.0, 140.0, 130.0], "q0.1": 120.0, "q0.9": 160.0})
    fc.to_csv(tmp_path / "fc.csv")  # (the row numbers as a first, unnamed column)
    got = score_forecast(tmp_path / "fc.csv", _actuals(38))
    assert got.summary.n_forecasts.iloc[0] == 2 and "coverage80" in got.table()


def test_output_dash_writes_the_rows_on_standard_output(tmp_path, capsys):
    """``--output -`` (standard output, as the other commands read it) wrote nothing: the
    rows asked for were dropped, the table printed as without it."""
    _actuals(38).to_csv(tmp_path / "a.csv", index=False)
    (tmp_path / "f.csv").write_text(FORECAST)
    args = ["score", str(tmp_path / "f.csv"), "--actuals", str(tmp_path / "a.csv")]
    assert main(args + ["--output", "-"]) == 0
    got = capsys.readouterr()
    rows = pd.read_csv(io.StringIO(got.out))
    assert list(rows.columns) == ["unique_id", "ds", "mean", "y", "error"] and len(rows) == 3
    assert "n_forecasts" in got.err  # (the table, to read, on stderr)
    assert main(args + ["--output", "-", "--json"]) == 2
    assert "--output - writes the rows on standard output" in capsys.readouterr().err


def test_a_folder_of_seed_runs_names_the_runs_to_score(tmp_path, capsys):
    """A --seeds run (seed_N/forecast.csv in it) was "a folder without a run's
    forecast.csv or forecasts.csv; pass the forecast's CSV file"."""
    _actuals(38).to_csv(tmp_path / "a.csv", index=False)
    for seed in (1, 2):
        (tmp_path / "runs" / f"seed_{seed}").mkdir(parents=True)
        (tmp_path / "runs" / f"seed_{seed}" / "forecast.csv").write_text(FORECAST)
    assert main(["score", str(tmp_path / "runs"), "--actuals", str(tmp_path / "a.csv")]) == 1
    err = capsys.readouterr().err
    assert "a folder of runs, each with its forecast" in err
    assert f"rnnlab score {tmp_path / 'runs' / 'seed_1'}" in err
