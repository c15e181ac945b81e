"""Review of frictions33 (CLI warnings wrapped at 80 columns, a budget note per model).

A one-series backtest's time budget note read "model 'model': the time budget ...": its
one network, named "model" in its results, was named as a panel backtest's models are. The
warnings the command line prints itself (not through Python's warnings) ran to 300 columns
beside its Python warnings, which wrap at 80."""

from __future__ import annotations

import re
from pathlib import Path

from printed_words import words
from rnnlab import Forecaster
from rnnlab.forecast.rerun import warn_unread_options
from test_budget_note_series31 import KW, TINY_BUDGET, _notes, _series


def test_a_one_series_backtests_note_names_no_model():
    f = Forecaster(**KW, epochs=20, max_seconds=TINY_BUDGET)
    _, notes = _notes(lambda: f.backtest(_series(), horizon=3, first_origin=9, stride=3,
                                          refit=1, baselines=()))
    (said,) = [str(n.message) for n in notes]
    assert said.startswith("the time budget (max_seconds=0.0001, --max-seconds) stopped "
                           "3 of 3 networks after 1 of their 20 epochs"), said
    readme = words((Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8"))
    assert "`.backtest` says it once for all its origins' fits, in a note that names no " \
           "model" in readme


# the warnings the command line prints itself (not through Python's warnings): they ran to
# 300 columns beside its Python warnings, which wrap at 80
_PRINTED = re.compile(r"(?:print|\.write)\(\s*f?[\"'][^\"'\n]*: warning: ")


def test_no_warning_is_printed_but_through_print_warning():
    src = Path(__file__).resolve().parents[1] / "src" / "rnnlab"
    printed = [f"{p.relative_to(src)}:{text[:m.start()].count(chr(10)) + 1}"
               for p in sorted(src.rglob("*.py")) for text in [p.read_text("utf-8")]
               for m in _PRINTED.finditer(text)]
    assert printed == []


def test_a_printed_warning_wraps_at_80_columns(capsys):
    warn_unread_options({"run", "calendar", "country", "time_zone", "epochs"}, {"run"},
                        one_series=True)
    err = capsys.readouterr().err
    assert err.count("\n") > 2 and max(len(line) for line in err.splitlines()) <= 80, err
    assert words(err).startswith("rnnlab forecast: warning: --run forecasts with the saved "
                                 "model as it was trained; ignored --calendar, --country, "
                                 "--epochs, --time-zone; its holidays")
