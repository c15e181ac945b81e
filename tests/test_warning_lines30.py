"""Warnings with a fixed stacklevel checked on their public routes: each names the user's
line (the first frame in neither rnnlab nor torch), not a line of rnnlab's or torch's."""
from __future__ import annotations

import warnings

import pytest
import torch

from rnnlab.nn.registry import build_model


def _said(call, category, words):
    """The warnings of ``category`` whose text holds ``words`` that ``call()`` gave."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        call()
    return [w for w in seen if issubclass(w.category, category) and words in str(w.message)]


def test_tracing_rnnlabs_step_loop_names_the_line_that_traced():
    """It named rnnlab/nn/recurrent.py (stacklevel=3: Recurrent.forward's line)."""
    model = build_model("gru-cho", input_size=2, hidden_size=4).eval()
    said = _said(lambda: torch.jit.trace(model, torch.randn(2, 5, 2), check_trace=False),
                 torch.jit.TracerWarning, "unrolled")
    assert said and said[0].filename == __file__, [w.filename for w in said]


FAST = dict(epochs=1, batch_size=2, seq_len=4, progress=False, sample_every=0)
UNSPACED = "".join("今日は天気がいいです"[i % 7:] + "。" for i in range(60))
WORD_LM = dict(model="rnn", hidden_size=4, num_layers=1, embedding=0, dropout=0.0,
               level="word")


def test_the_note_on_an_unspaced_text_names_the_line_of_fit_or_check_fit():
    """stacklevel=4 was right for fit (fit -> CharLM.check_fit -> check_fit) but named the
    frame above the caller's for a direct CharLM.check_fit."""
    from rnnlab.lm import CharLM, FitInputNote, LMTrainConfig

    _at_this_line(lambda: CharLM(**WORD_LM).fit(UNSPACED, **FAST), FitInputNote,
                  "without spaces")
    _at_this_line(lambda: CharLM(**WORD_LM).check_fit(UNSPACED, LMTrainConfig(**FAST)),
                  FitInputNote, "without spaces")


def _at_this_line(call, category, words):
    """Assert that the warning ``call()`` gives names the line of this helper's caller
    where ``call``, a lambda, is written (one frame past it named this file too)."""
    import sys

    line = sys._getframe(1).f_lineno  # (the lambda's line)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        call()
    said = [w for w in seen if issubclass(w.category, category) and words in str(w.message)]
    assert said and (said[0].filename, said[0].lineno) == (__file__, line), \
        [(w.filename, w.lineno, line) for w in said]


def test_the_unknown_share_of_a_second_fit_names_the_line_of_fit_or_check_fit():
    """stacklevel=5 was right for fit but named the frame above a direct
    CharLM.check_fit's caller."""
    from rnnlab.lm import CharLM, FitInputNote, LMTrainConfig

    text = "the quick brown fox jumps over the lazy dog. " * 20
    lm = CharLM(hidden_size=4, num_layers=1, embedding=2).fit(text, **FAST)
    other = text.replace("fox", "FOX")
    _at_this_line(lambda: lm.fit(other, **FAST), FitInputNote, "not in the model's vocab")
    _at_this_line(lambda: lm.check_fit(other, LMTrainConfig(**FAST)), FitInputNote,
                  "not in the model's vocab")


def test_a_backtests_calendar_and_spike_notes_name_the_line_of_backtest():
    """(Checked, unchanged: stacklevel=4 from backtest_series is Forecaster.backtest's
    caller, its one public route; pinned here beside the others.)"""
    import numpy as np
    import pandas as pd

    from rnnlab.data.outliers import OutlierWarning
    from rnnlab.forecast import Forecaster
    from rnnlab.forecast.history import CalendarWarning

    months = pd.date_range("2000-01-01", periods=61, freq="MS").delete([20])  # one missing
    values = np.sin(np.arange(60) / 3) + np.arange(60) * 0.1
    values[30] = 100.0  # (a spike)
    series = pd.Series(values, index=months, name="y")
    f = Forecaster(lookback=4, horizon=2, val_size=0, hidden_size=4, ensemble=1, epochs=1,
                   progress=False)
    for category, words in ((CalendarWarning, "calendar are missing"),
                            (OutlierWarning, "extreme value")):
        _at_this_line(lambda: f.backtest(series, quantiles=None, baselines=("naive",)),
                      category, words)
