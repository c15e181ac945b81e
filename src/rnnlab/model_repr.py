"""What a model, a panel or a backtest shows in a notebook or a REPL: its class, the
settings given (those that differ from the defaults) and what it holds, on one line,
instead of ``<rnnlab.forecast.forecaster.Forecaster object at 0x...>`` (the models) or a
whole table printed into a dataclass' repr (a panel, a backtest result)."""

from __future__ import annotations

from typing import Optional

import numpy as np

from .options import changed_settings


def model_repr(model, fitted: Optional[str]) -> str:
    """``Forecaster(lookback=24; fitted on ...)``, or ``(...; not fitted)``."""
    settings = changed_settings(model.config)
    state = fitted if fitted else "not fitted"
    return f"{type(model).__name__}({settings}{'; ' if settings else ''}{state})"


def forecaster_repr(f) -> str:
    """``Forecaster(model='gru'; fitted on 'passengers': 144 values, ...; predicts with
    weighted)``."""
    s = f.series
    return model_repr(f, None if f.net is None or s is None else (
        f"fitted on {s.name!r}: {len(s)} values, {date_span(s.labels())}"
        f"{f' ({s.freq})' if s.freq else ''}; predicts with {f.choice['method']}"))


def charlm_repr(lm) -> str:
    """``CharLM(hidden_size=32; fitted: 62 chars in its vocabulary, 1 epoch, best
    validation 5.986 bits/char)``."""
    import math

    from .data.text import token_noun

    if lm.net is None or lm.vocab is None:
        return model_repr(lm, None)
    best, epochs = lm.info.get("best_val_loss"), len(lm.history)
    unit = "bits/char" if lm.config.level == "char" else "bits/word"
    return model_repr(lm, f"fitted: {len(lm.vocab)} {token_noun(lm.vocab.level)}s in its "
                          f"vocabulary" + (f", {epochs} epoch{'s' * (epochs != 1)}, best "
                                           f"validation {best / math.log(2):.3f} {unit}"
                                           if best else ""))


def date_span(dates) -> str:
    """``2015-01-01 .. 2019-12-01``: the first and last of ``dates`` (no time at midnight)."""
    if dates is None or len(dates) == 0:
        return ""
    return f"{_date_text(dates[0])} .. {_date_text(dates[-1])}"


def _date_text(d) -> str:
    text = str(d)
    return text[:10] if text.endswith(" 00:00:00") else text


def history_repr(h) -> str:
    """``History(3 epochs, best_epoch=3, best_val_loss=16.9, ...)``: the outcome of a fit
    without its per-epoch records (the dataclass' repr printed every one of them)."""
    n = len(h.epochs)
    best = "" if h.best_epoch is None else (
        f"best_epoch={h.best_epoch}, best_val_loss={h.best_val_loss:.4g}, ")
    skipped = f", {h.skipped_steps} skipped steps" if h.skipped_steps else ""
    return (f"History({n} epoch{'s' if n != 1 else ''}, {best}stop_reason={h.stop_reason!r}, "
            f"{h.steps} steps, {h.seconds:.3g} s{skipped}; .epochs: one record per epoch)")


def series_repr(s) -> str:
    """``Series('sales': 144 values, 1949-01-01 .. 1960-12-01 (MS))``: not its values."""
    labels = s.labels()
    span = date_span(labels) if s.index is not None else (
        f"labels {labels[0]} .. {labels[-1]}" if len(labels) else "")
    freq = f" ({s.freq})" if s.freq else ""
    filled = 0 if s.filled is None else int(np.count_nonzero(s.filled))
    note = f", {filled} filled ({s.fill})" if filled else ""
    return f"Series({s.name!r}: {len(s)} values{', ' if span else ''}{span}{freq}{note})"
