"""The training loop's progress: tqdm's bar on a terminal; elsewhere (CI, nohup, cron, a
log file) plain lines on stderr when asked, at most one every :data:`EVERY_SECONDS`.

``TrainConfig.progress``: ``False`` shows nothing; ``True`` (the API's default) the bar
on a terminal and nothing elsewhere; ``"log"`` (the commands' default, off with
``--no-progress``) the bar on a terminal, else the lines: without them a long fit printed
nothing for minutes, which CI systems take for a hung job. Never stdout: a command's
results go there.
"""

from __future__ import annotations

import math
import sys
import time
from typing import Callable, Optional

from .config import TrainConfig

EVERY_SECONDS = 30.0  # at most one progress line per this many seconds (plus one at the end)


class _NoBar:
    def update(self, n=1): ...
    def set_postfix(self, *a, **k): ...
    def close(self): ...


def progress_bar(cfg: TrainConfig, total: int, is_main: bool, initial: int = 0,
                 stream=None, clock: Optional[Callable[[], float]] = None):
    """What shows the fit's progress (``update``, ``set_postfix``, ``close``, as tqdm's)
    over ``total`` steps, ``initial`` of them done before (a resumed run); ``stream``:
    where (default: ``sys.stderr`` when called); ``clock``: the lines' seconds (default:
    ``time.monotonic``, read when called)."""
    if not (cfg.progress and is_main):
        return _NoBar()
    stream = sys.stderr if stream is None else stream
    if cfg.progress == "log" and not _is_terminal(stream):
        return ProgressLines(total, cfg.epochs, stream, clock or time.monotonic, initial=initial,
                             budget=cfg.max_seconds)
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, unit="step", dynamic_ncols=True, leave=False,
                file=stream, disable=None)  # None: no bar off a terminal (logs, CI)


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # (no isatty, or a closed stream)
        return False


class ProgressLines:
    """tqdm's ``update``/``set_postfix``/``close`` written as whole lines (no carriage
    returns, no bar): one when :data:`EVERY_SECONDS` have passed since the last, checked
    at each ``set_postfix`` (the loop calls it after every step and epoch), and one at
    ``close``: the step, epoch, time spent, loss, best validation loss and time left."""

    def __init__(self, total: int, epochs: int, stream, clock: Callable[[], float],
                 initial: int = 0, every: float = EVERY_SECONDS,
                 budget: Optional[float] = None):
        self.total, self.epochs, self.stream, self.clock = total, epochs, stream, clock
        self.every, self.budget = every, budget
        self.t0 = self.last = clock()
        self.n = self.start = initial  # steps done; those done before this process (resumed)
        self.postfix: dict = {}
        self.best_val = math.inf
        self.best_epoch = None  # the epoch of best_val (the loop's best weights are its)
        self.closed = False

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_postfix(self, refresh=None, **values) -> None:
        self.postfix.update(values)
        val = _number(values.get("val"))
        if val is not None and val < self.best_val:
            self.best_val, self.best_epoch = val, values.get("epoch")
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            self._say(now, "")

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.n > self.start:  # (nothing trained here: a finished run resumed)
            self._say(self.clock(), "ended: ")

    def _say(self, now: float, word: str) -> None:
        spent = now - self.t0
        said = [f"step {self.n}/{self.total}"]
        if "epoch" in self.postfix:
            said.append(f"epoch {self.postfix['epoch']}/{self.epochs}")
        said.append(f"{clock_text(spent)} elapsed")
        if "loss" in self.postfix:
            said.append(f"loss {self.postfix['loss']}")
        if self.best_val < math.inf:
            at = f" (epoch {self.best_epoch})" if self.best_epoch is not None else ""
            said.append(f"best val {self.best_val:.4g}{at}")
        left = self._left(spent)
        if not word and left is not None:
            said.append(f"{clock_text(left)} left")
        # (one line each, however long: these go to logs, not terminals, and a line is
        # what grep and log collectors read as one record, as Keras' verbose=2 epochs)
        print(f"training: {word}" + ", ".join(said), file=self.stream, flush=True)

    def _left(self, spent: float) -> Optional[float]:
        """Seconds left: the steps left at this process's pace, within the time budget."""
        done = self.n - self.start
        if done <= 0 or spent <= 0:
            return None
        left = (self.total - self.n) * spent / done
        if self.budget is not None:
            left = min(left, max(self.budget - spent, 0.0))
        return left


def _number(text) -> Optional[float]:
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def clock_text(seconds: float) -> str:
    """``45s``, ``3m05s``, ``2h07m``: a duration as a log line says it."""
    s = int(round(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"
