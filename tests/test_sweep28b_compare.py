"""`rnnlab compare --data FILE` reads its series as `rnnlab forecast` does: --off-grid
(the option its refusal of an off-grid date names) and --encoding."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.compare import CompareConfig
from rnnlab.io.errors import ConfigError

TINY = ["--models", "rnn", "--seeds", "0", "--hidden-size", "4", "--epochs", "1",
        "--horizon", "4", "--lookback", "4", "--no-progress"]


def _thursday_among_fridays(path, n=60, at=40, encoding="utf-8"):
    d = pd.date_range("2020-01-03", periods=n, freq="W-FRI").astype(str).tolist()
    d[at] = str((pd.Timestamp(d[at]) - pd.Timedelta(days=1)).date())
    pd.DataFrame({"date": d, "Verkäufe": 10 + np.sin(np.arange(n) * 0.7)}).to_csv(
        path, index=False, encoding=encoding)
    return str(path)


def test_compare_refuses_an_off_grid_date_naming_an_option_it_has(tmp_path, capsys):
    data = _thursday_among_fridays(tmp_path / "one.csv")
    assert main(["compare", "--data", data, *TINY, "--out", str(tmp_path / "run")]) != 0
    err = capsys.readouterr().err
    assert "--off-grid drop" in err
    assert main(["compare", "--help"]) == 0
    assert "--off-grid {refuse,drop,snap}" in capsys.readouterr().out


@pytest.mark.parametrize("how", ["drop", "snap"])
def test_compare_reads_the_series_with_off_grid(tmp_path, how):
    data = _thursday_among_fridays(tmp_path / "one.csv", encoding="cp1252")
    run = tmp_path / "run"
    assert main(["compare", "--data", data, *TINY, "--off-grid", how, "--encoding", "cp1252",
                 "--out", str(run)]) == 0
    assert json.loads((run / "config.json").read_text())["config"]["compare"]["off_grid"] == how
    results = json.loads((run / "results.json").read_text())
    assert len(results["series"]["actual"]) == (59 if how == "drop" else 60)


def test_compare_config_refuses_an_unknown_off_grid():
    with pytest.raises(ConfigError, match=r"off_grid \(--off-grid\) must be one of refuse"):
        CompareConfig(off_grid="move")


def test_off_grid_is_a_forecast_only_flag(capsys):
    """Refused as a usage error naming --off-grid and the task that reads it (``!= 0``
    alone passed for any failure, a missing corpus or a traceback's 70 too)."""
    assert main(["compare", "--task", "lm", "--data", "tiny-shakespeare",
                 "--off-grid", "drop"]) == 2
    err = capsys.readouterr().err
    assert "--off-grid: read by --task forecast only" in err and "drop --off-grid" in err
