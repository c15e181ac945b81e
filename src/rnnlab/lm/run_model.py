"""Where ``rnnlab lm generate --run`` and ``rnnlab lm eval --run`` find the model they
read (a run's ``model/``, or the best weights of a run killed or still training), and the
``--threads`` both take. Shared by :mod:`rnnlab.lm.cli` and :mod:`rnnlab.lm.eval_command`."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["model_dir", "set_threads"]


def model_dir(run: str, prog: str) -> Path:
    """The folder CharLM.load reads for ``--run RUN``: RUN/model, or RUN itself where it
    is an unfinished run (its best weights so far), else RUN (CharLM.load says what it
    lacks); a run still training before its first checkpoint is refused. ``prog``: the
    command that reads it (``rnnlab lm generate``), which its notes name."""
    from ..io.errors import RunDirError
    from ..io.runlock import RunLock
    from .unfinished import unfinished_checkpoints

    from ..io.links_out import say_links_out

    p = Path(run)
    say_links_out(p, prog)  # (a folder from elsewhere: a model read outside it)
    if os.path.lexists(p / "model" / "model.json"):  # (damaged too: its loader says how)
        return p / "model"
    if unfinished_checkpoints(p) is not None:  # killed or training: its best weights so far
        return p
    try:
        RunLock(p).check_free("--run")
    except RunDirError as e:  # training, before its first checkpoint
        raise RunDirError(f"{e}; it has no best weights yet (its first epoch has not ended): "
                          f"--run reads them once it has") from None  # a run still being trained (was "no such saved model")
    return p


def set_threads(n) -> None:
    """``--threads N``: torch's CPU threads (None or 0: torch's own)."""
    if n:
        import torch

        torch.set_num_threads(n)
