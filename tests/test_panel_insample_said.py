"""The line ``--insample`` writes on standard error counted (series, cutoff) pairs as
cutoffs: visnights' 20 series from 16 cutoff dates said "20 series, 320 cutoffs", and the
file held 16. It says the cutoff dates, and the windows where they differ."""

import pandas as pd

from rnnlab.panel.insample_option import write_insample_table


def _table(ids, cutoffs):
    return pd.DataFrame({"unique_id": ids, "ds": ["2001Q4"] * len(ids), "cutoff": cutoffs,
                         "step": 1, "y": 1.0, "mean": 1.0})


def test_the_line_counts_cutoff_dates_and_windows(tmp_path, capsys):
    table = _table(["a", "b", "a", "b", "a"], ["2001Q3", "2001Q3", "2001Q4", "2001Q4", "2002Q1"])
    write_insample_table(tmp_path / "i.csv", table)
    err = capsys.readouterr().err
    assert "wrote 5 in-sample forecasts (2 series, 3 cutoffs: 5 windows) to" in err


def test_one_series_says_its_cutoffs_alone(tmp_path, capsys):
    write_insample_table(tmp_path / "i.csv", _table(["a", "a"], ["2001Q3", "2001Q4"]))
    assert "wrote 2 in-sample forecasts (1 series, 2 cutoffs) to" in capsys.readouterr().err
