"""``rnnlab forecast --run DIR --data new.csv`` on a panel where one series' month arrived
late: each series is forecast from its own end, so that series' forecast started a month
earlier than the others' in the table, without a word. A note names it. And new data that
ends before the data trained on (a stale file) is warned of, as for one series."""

import pandas as pd

from printed_words import words
from rnnlab.panel.forecast_again import _note_late_series


def _long(ends):
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.date_range(
        "2021-01-01", end, freq="MS"), "y": 1.0}) for u, end in ends.items()])


def test_series_ending_before_the_others_are_named(capsys):
    _note_late_series(_long({"A": "2022-01-01", "B": "2021-12-01", "C": "2022-01-01"}))
    err = capsys.readouterr().err
    assert ("1 of the 3 series end before the data's last date, 2022-01-01: B (2021-12-01); "
            "each is forecast from its own end") in err


def test_series_ending_together_get_no_note(capsys):
    _note_late_series(_long({"A": "2022-01-01", "B": "2022-01-01"}))
    assert capsys.readouterr().err == ""


def test_new_data_ending_before_the_training_data_is_warned_of(capsys):
    from rnnlab.panel.forecast_again import _note_older

    trained = _long({"A": "2022-01-01", "B": "2022-01-01"})
    _note_older(_long({"A": "2021-06-01", "B": "2021-06-01"}), trained)
    assert ("the new data ends 2021-06-01, before the data the run was trained on, which "
            "ends 2022-01-01") in words(capsys.readouterr().err)  # (wrapped at 80 columns)
    _note_older(_long({"A": "2022-02-01", "B": "2022-02-01"}), trained)
    assert capsys.readouterr().err == ""
