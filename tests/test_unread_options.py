"""``rnnlab forecast --run``'s warning of the options it does not read, said one way for a
single series (forecast.rerun) and a panel (panel.forecast_run)."""

from __future__ import annotations

from printed_words import words
from rnnlab.forecast.rerun import warn_unread_options


def test_the_options_not_read_are_named_sorted_as_typed(capsys):
    warn_unread_options({"run", "hidden_size", "epochs", "data"}, {"run", "data"})
    err = capsys.readouterr().err  # (wrapped at 80 columns: read as its words)
    assert err.endswith("\n") and words(err) == (
        "rnnlab forecast: warning: --run forecasts with the saved model as it was trained; "
        "ignored --epochs, --hidden-size")
    warn_unread_options({"run"}, {"run", "data"})
    assert capsys.readouterr().err == ""

