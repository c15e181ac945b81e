"""Covariate options given to a baseline model (``rnnlab backtest``'s default --model is
seasonal_naive): the run used to check the columns and silently forecast without them;
it now says so under the table and how to use them (README's own-table backtest did this)."""

import pandas as pd
import pytest

from rnnlab.cli import main
from test_panel_cli import bt_args, write_panel


def test_backtest_with_covariates_and_the_default_baseline_model_says_none_reads_them(
        tmp_path, capsys):
    data = write_panel(tmp_path / "panel.csv")
    assert main(bt_args(data, tmp_path / "run", "--future-covariates", "temp",
                        "--plot-series", "0")) == 0
    out = capsys.readouterr().out
    assert "note: --future-covariates: checked against the data, but no model here reads" in out
    assert "--model seasonal_naive (the default)" in out and "--model lstm" in out


def test_backtest_without_covariates_has_no_such_note(tmp_path, capsys):
    data = write_panel(tmp_path / "panel.csv")
    assert main(bt_args(data, tmp_path / "run", "--plot-series", "0")) == 0
    assert "reads covariates" not in capsys.readouterr().out


@pytest.mark.slow  # (about 4 s: the ETS baseline and the plots)
def test_panel_forecast_with_a_baseline_and_future_covariates_forecasts_past_the_data(
        tmp_path, capsys):
    # the baseline needs no future values: it said "no forecast past the data: ... pass
    # --future FILE.csv" and wrote no forecasts.csv
    data = write_panel(tmp_path / "panel.csv")
    out = tmp_path / "fc"
    assert main(["forecast", "--data", str(data), "--id-column", "store", "--date-column",
                 "month", "--column", "sales", "--model", "naive", "--future-covariates",
                 "temp", "--horizon", "3", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "no forecast past the data" not in printed
    assert "--future-covariates: checked against the data" in printed
    assert "--model naive and the baselines" in printed
    fc = pd.read_csv(out / "forecasts.csv")
    assert len(fc) == 3 * 3 and fc["mean"].notna().all()
