"""``rnnlab runs``' row of a run directory without a ``config.json``: a run that writes it
after training (a panel forecast) stopped or still running. What the run has says what it
is: its start mark (:data:`~rnnlab.io.rundir.PENDING_NAME`, the command that started it) and
its members' checkpoints (``checkpoints/member*/*/meta.json``: the model's settings and the
seed). Its row has ``finished`` false and no metrics."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List, Optional


def is_unfinished_run(folder: Path) -> bool:
    """True for a folder a run started in and that holds no ``config.json`` yet."""
    from .io.rundir import PENDING_NAME

    return (folder / PENDING_NAME).is_file() and not os.path.lexists(folder / "config.json")


def unfinished_row(folder: Path) -> Dict[str, object]:
    """The row of the unfinished run in ``folder``: ``run``, ``command`` (the pending
    mark's ``argv``), ``seed``, ``started`` (the mark's time), ``finished`` (false), then
    the settings of its checkpoints (``option.NAME``, named as a finished run's options),
    if it has any."""
    from .io.errors import DataError
    from .io.json_file import read_json
    from .io.rundir import PENDING_NAME
    from .io.run_times import written_at

    argv = read_json(folder / PENDING_NAME, error=DataError, expect=list)
    if not all(isinstance(w, str) for w in argv):
        raise DataError(f"{folder / PENDING_NAME}: should be the command that started the run "
                        f"as a list of words; not a mark rnnlab wrote: remove it (the run "
                        f"then counts as finished) or move the folder out of the table's")
    meta = _checkpoint_meta(folder)
    settings = meta.get("panel_settings") if meta else None
    seed = meta.get("seed") if meta else _seed_said(argv)
    row: Dict[str, object] = {"run": str(folder), "command": command_words(argv),
                              "seed": seed, "finished": False}
    row["started"] = written_at(folder / PENDING_NAME)  # (no record yet: its mark's time)
    if meta and isinstance(settings, dict):  # (settings: None without meta)
        epochs = (meta.get("train_config") or {}).get("epochs")
        row.update({f"option.{k}": v for k, v in settings.items()
                    if not isinstance(v, dict) and k != "seed"})
        if epochs is not None and "option.epochs" not in row:
            row["option.epochs"] = epochs
    return row


def command_words(argv: List[object]) -> str:
    """The command a run's ``argv`` ran: ``forecast``, ``lm train`` (its first words that
    are not options, two for ``lm`` and ``recipe``)."""
    words = [w for w in argv[1:3] if not str(w).startswith("-")]
    return " ".join(map(str, words[:2 if words[:1] in (["lm"], ["recipe"]) else 1]))


def _checkpoint_meta(folder: Path) -> Optional[dict]:
    """The ``meta.json`` of the first of the run's checkpoints that reads (every member's
    records the same settings and seed); None when it has none yet."""
    from .io.errors import RnnlabError
    from .io.json_file import read_json

    for path in sorted((folder / "checkpoints").glob("**/meta.json")):
        if any(p.startswith(".") for p in path.relative_to(folder).parts):
            continue  # (a save in progress: .ckpt-*)
        try:
            return read_json(path)
        except RnnlabError:
            continue
    return None


def _seed_said(argv: List[str]) -> Optional[int]:
    """``--seed N`` (or ``--seed=N``) of the command, the last given; None when it names
    none (or not as a number)."""
    said = None
    for i, word in enumerate(argv):
        if word.startswith("--seed="):
            said = word.split("=", 1)[1]
        elif word == "--seed" and i + 1 < len(argv):
            said = argv[i + 1]
    try:
        return None if said is None else int(said)
    except ValueError:
        return None
