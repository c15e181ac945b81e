"""``lm train``'s metrics.csv, one row per epoch, written as the epochs end: a user tailing
it (``tail -f``, a notebook polling it) sees each epoch as it ends, and a run killed
mid-way (a spot instance's SIGKILL) keeps the rows of the epochs it validated. Each write
replaces the file atomically; a resumed run drops the rows of the epochs it runs again."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, List

from ..io.atomic import atomic_write_text
from ..io.errors import RunDirError
from ..io.unreadable import read_failure

# seconds: the run's wall seconds at the epoch's end; then the gradient's norms
# (train.grad_norms) and cpu_seconds, the run's CPU seconds (every thread of the training
# process; empty where unknown: resumed from a checkpoint an earlier rnnlab wrote), last:
# the header an earlier rnnlab wrote (a run it started, resumed here) is the start of this
# one, and its rows are kept (empty cells)
EARLIER_KEYS = ("epoch", "train_loss", "val_loss", "val_ppl", "val_bpc", "lr", "seconds")
KEYS = EARLIER_KEYS + ("grad_norm_mean", "grad_norm_max", "clipped_steps", "cpu_seconds")


def metrics_row(rec: dict) -> str:
    """One epoch's record as a metrics.csv line (an empty cell for a missing value)."""
    return ",".join("" if rec.get(k) is None else f"{rec[k]:.6g}" for k in KEYS)


def metrics_csv(records) -> str:
    """The whole file: the header, then one line per epoch's record."""
    return "\n".join([",".join(KEYS)] + [metrics_row(r) for r in records]) + "\n"


class EpochRows:
    """An ``on_epoch`` hook writing ``RUN/metrics.csv`` after each validated epoch: the
    rows kept from before (of the epochs before this one: a resume reruns from its
    checkpoint), then this epoch's. Picklable (a data-parallel fit hands it to rank 0)."""

    _held: Dict[int, str]  # (rows held back on Windows: set at the first write, see below)

    def __init__(self, run: str):
        self.path = str(Path(run) / "metrics.csv")

    def __call__(self, epoch: int, rec: dict) -> None:
        held = {e: row for e, row in getattr(self, "_held", {}).items() if e < epoch}
        lines = self._rows_before(epoch)
        if held:  # (rows Windows kept from the file: see below)
            lines = sorted([line for line in lines if _epoch_of(line) not in held]
                           + list(held.values()), key=_epoch_of)
        lines.append(metrics_row(rec))
        try:
            atomic_write_text(self.path, "\n".join([",".join(KEYS)] + lines) + "\n")
            self._held = {}
        except PermissionError:
            if sys.platform != "win32":
                raise
            # Windows cannot replace a file another program holds open (the user looking at
            # it in Excel): that ended the training at this epoch's end. The row waits for
            # the next write (kept here: the file does not have it); the run's end writes
            # every epoch's row (a folder that is not writable fails there, with its message)
            self._held = {**held, epoch: metrics_row(rec)}
            if not getattr(self, "_said", False):
                self._said = True
                print(f"rnnlab: note: {self.path} is open in another program (Excel?), and "
                      f"Windows does not let it be replaced: the rows of the epochs that end "
                      f"while it is open are written once it is closed (with the next epoch's "
                      f"row, or at the run's end)", file=sys.stderr)

    def check(self) -> None:
        """RunDirError now for a metrics.csv this cannot read or replace (a folder, a named
        pipe, no read permission): a resume is refused before it trains, not at its first
        epoch's end, an epoch's work later."""
        self._rows_before(0)

    def _rows_before(self, epoch: int) -> List[str]:
        p = Path(self.path)
        try:
            if p.exists() and not p.is_file():  # (a named pipe: its read waited forever)
                what = "a folder" if p.is_dir() else "a device, pipe or socket"
                raise RunDirError(f"{p}: is {what}, where rnnlab keeps the run's metrics "
                                  f"(a CSV file); move it away and run again")
            text = p.read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            return []
        except OSError as e:  # (no read permission: said so, not written over)
            raise RunDirError(read_failure(p, e)) from None
        lines = text.splitlines()
        earlier = [n for n in range(len(EARLIER_KEYS), len(KEYS))
                   if lines and lines[0] == ",".join(KEYS[:n])]
        if earlier:  # (an earlier rnnlab's header: its rows, the later cells empty)
            lines = [",".join(KEYS)] + [line + "," * (len(KEYS) - earlier[0])
                                        for line in lines[1:]]
        if not lines or lines[0] != ",".join(KEYS):  # (another file: started afresh)
            return []
        return [line for line in lines[1:] if _epoch_of(line) is not None
                and _epoch_of(line) < epoch]


def _epoch_of(line: str):
    head = line.split(",", 1)[0]
    return int(head) if head.isdigit() else None
