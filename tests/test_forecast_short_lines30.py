"""``rnnlab forecast`` printed lines of up to about 130 columns after its table (the
seasonal period, the epochs whose weights were kept, the drift note, a run without a test
part), which an 80-column terminal breaks mid-word: they are broken where their clauses
end (choice_lines.clause_lines), words unchanged."""

from pathlib import Path
from types import SimpleNamespace

import numpy as np

from rnnlab.forecast import report
from rnnlab.forecast.period_line import period_line

WIDTH = 80


def _words(text: str) -> str:
    """``text``'s lines joined by single spaces (a wrapped line is its one line again)."""
    return " ".join(line.strip() for line in text.splitlines())


def _fitted():
    histories = [{"best_epoch": e, "epochs": [{}] * n, "stop_reason": "early stopping",
                  "path": "fused"} for e, n in ((5, 45), (5, 45), (6, 46))]
    series = SimpleNamespace(freq="MS", index=None, filled=None,
                             values=100 + 10 * np.sin(np.arange(144.0)))
    return SimpleNamespace(period=12, config=SimpleNamespace(period=None, fill=None),
                           series=series, histories=histories, n_train=132)


def _metrics(**kw):
    m = dict(rmse=23.07, mae=18.39, mape=3.9, smape=3.79, mase=0.604)
    return {"test_size": 12, "n_train": 132, "period": 12, "lag": 0,
            "forecast": {"model": m, "drift": m}, **kw}


def test_the_lines_after_the_table_fit_80_columns_with_their_words(capsys):
    f = _fitted()
    report.print_outcome(f, _metrics(), Path("run"))
    printed = capsys.readouterr().out
    assert max(len(line) for line in printed.splitlines()) <= WIDTH, printed
    said = _words(printed)
    for line in (period_line(f), report.epochs_kept_line(f.histories),
                 f"note: drift: {report.DRIFT_FLAT}"):
        assert len(line) > WIDTH and line in said  # (each was one line, longer than 80)


def test_a_run_without_a_test_part_says_so_in_80_columns():
    long_path = "data/" + "x" * 40 + ".csv"
    for text, words in [
        (report.format_metrics({"test_size": 0}, Path("run")),
         "no test part (--test-size 0): trained on the whole series, so there are no "
         "held-out metrics; the forecast starts after its last point run directory: run"),
        (report.format_metrics({"test_size": 0}, Path("run"), val_data=long_path),
         f"no test part: --val-data {long_path} validated the network and the choice, and "
         f"nothing after it is held out, so there are no held-out metrics; the forecast "
         f"starts after its last point"),
        (report.format_summary({"forecast": {}}, [0, 1]),
         "over seeds [0, 1]: no test part, so no metrics to compare across the seeds; each "
         "seed's forecast is in its seed_K/forecast.csv")]:
        assert max(len(line) for line in text.splitlines()) <= WIDTH, text
        assert words in _words(text)


def test_the_notes_on_a_short_or_odd_series_fit_80_columns_with_their_words(capsys):
    """The seasons note (a training part under two seasons), the filled test values, MAPE's
    zeros and MASE's zero scale were printed as one line each, up to about 250 columns."""
    from rnnlab.forecast.metrics import mape_note, mase_note

    f = _fitted()
    f.n_train, f.period, f.config.fill = 16, 12, "ffill"
    f.series.values = np.r_[np.full(16, 5.0), np.zeros(12)]  # (flat: MASE's scale is 0)
    f.series.filled = np.array([18, 20])  # (two test values filled in)
    for nt, tail in ((16, "MASE rests on one season"),
                     (10, "seasonal_naive is left out and MASE scales by the lag-1 naive error")):
        ev = _metrics(n_train=nt)
        report.print_outcome(f, ev, Path("run"))
        printed = capsys.readouterr().out
        assert max(len(line) for line in printed.splitlines()) <= WIDTH, printed
        said = _words(printed)
        notes = [f"note: the training part holds {report.seasons_held(nt, 12)} seasons of "
                 f"period 12, fewer than two: {tail}",
                 "note: 2 of the 12 test values were missing and filled in (--fill ffill); "
                 "the metrics score those as if observed",
                 f"note: {mape_note(f.series.values[16:])}",
                 f"note: {mase_note(f.series.values[:16], 12)}"]
        for note in notes:
            assert len(note) > WIDTH and note in said, (note, printed)


def test_an_empty_line_stays_empty():
    """clause_lines('') raised ValueError (textwrap's width 0), and print_outcome with it:
    an empty line is '' again, as joining its no lines gives."""
    from rnnlab.forecast.choice_lines import clause_lines

    assert clause_lines("") == ""
    assert clause_lines("note: a short one") == "note: a short one"
