"""Long panel runs say what they are doing: rnnlab backtest / forecast on a panel."""

from __future__ import annotations

from test_panel_scale_paths import small_panel


def test_the_backtest_command_says_each_model_and_origin_as_it_goes(tmp_path, capsys):
    """A backtest of thousands of series runs for minutes (ETS: one model per series):
    rnnlab backtest says on stderr which model runs, and after each origin the seconds so
    far and an estimate of the rest; rnnlab forecast the same for its one origin."""
    from rnnlab.cli import main

    small_panel(n=4).df.to_csv(tmp_path / "p.csv", index=False)
    argv = ["backtest", "--data", str(tmp_path / "p.csv"), "--horizon", "3",
            "--first-origin", "6", "--stride", "3", "--model", "seasonal_naive",
            "--baselines", "naive", "--plot-series", "0", "--out", str(tmp_path / "bt")]
    assert main(argv) == 0
    err = capsys.readouterr().err
    for line in ("rnnlab backtest: seasonal_naive: 4 series, 2 origins",
                 "rnnlab backtest: seasonal_naive: origin 1/2 done, ",
                 "rnnlab backtest: naive: 4 series, 2 origins",
                 "rnnlab backtest: naive: origin 2/2 done, "):
        assert line in err
    assert err.count("s left") == 2  # after the first of two origins, for each model
    assert main(["forecast", "--data", str(tmp_path / "p.csv"), "--model", "naive",
                 "--horizon", "3", "--out", str(tmp_path / "fc")]) == 0
    err = capsys.readouterr().err
    assert "rnnlab forecast: naive: 4 series, 1 origin\n" in err
    assert "rnnlab forecast: naive: origin 1/1 done, " in err
