"""A :class:`~rnnlab.lm.api.CharLM` out of an unfinished run (killed, or still training):
its run directory has no ``model/`` yet, but its checkpoints hold what builds the model
(the latest ``meta.json``: config and vocabulary) and ``best.safetensors``, the best
weights so far (:mod:`rnnlab.train.best_file`). Only read, never written: a run still
training goes on undisturbed."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

from ..data.text import Vocab
from ..io.errors import CheckpointError
from .config import LMConfig, from_dict
from .fit_process import KIND


def unfinished_checkpoints(path) -> Optional[Path]:
    """The checkpoint folder of ``path`` when it is a run directory (or its ``checkpoints/``)
    that has checkpoints but no saved model yet, else None (a saved model, or not a run)."""
    from ..train.checkpoint import CheckpointManager

    p = Path(path)
    for folder, run in ((p / "checkpoints", p), (p, p.parent)):
        if not CheckpointManager(folder).exists():
            continue
        # (a model.json, damaged or not, is a saved model's: its loader says what is wrong)
        saved = os.path.lexists(p / "model.json") or os.path.lexists(run / "model" / "model.json")
        return None if saved else folder
    return None


def _latest_meta(folder: Path) -> dict:
    """The latest checkpoint's meta.json (a run still training may delete the folder just
    named as it writes the next: looked for again)."""
    from ..io.json_file import read_json
    from ..train.checkpoint import CheckpointManager

    for _ in range(3):
        found = CheckpointManager(folder).resume_folder()
        if found is None:
            raise CheckpointError(f"{folder}: no complete checkpoint to read the model's "
                                  f"config and vocabulary from; resume the run with --resume, "
                                  f"or train again")
        ckpt = found
        if (ckpt / "meta.json").is_file():
            return read_json(ckpt / "meta.json", CheckpointError)
    return read_json(ckpt / "meta.json", CheckpointError)  # (says what is missing)


def _no_best(run: Path, best: Path) -> CheckpointError:
    return CheckpointError(
        f"{run}: an unfinished run (no model/ yet: killed, or still training) with no best "
        f"weights so far ({best} is missing: no epoch has been validated yet, or an rnnlab "
        f"before 0.1 wrote the run); wait for its first epoch to end, or go on with it: "
        f"rnnlab lm train --resume {run}")


def _not_weights(best: Path) -> str:
    """What stands at ``best`` instead of a weights file (the weights reader's words)."""
    from ..io.weights import read_header

    try:
        read_header(best)
    except CheckpointError as e:
        return str(e)
    return f"{best}: not a weights file"  # (became one since: read it again)


def load_unfinished(cls, folder: Path, device: str = "cpu"):
    """``cls`` (CharLM) built from the checkpoints in ``folder`` with the best weights so
    far, a note on stderr saying the run is unfinished and which epoch's weights these are."""
    from ..io.model_dir import load_checked
    from ..io.private_draws import private_draws
    from ..io.weights import header_shapes, load_weights
    from ..io.weights_match import check_built_shapes
    from ..train import resolve_device
    from ..train.best_file import BEST_NAME, best_metadata
    from ..train.process_state import built_in_float32, process_state_kept
    from .model import LMNet

    run = folder.parent if folder.name == "checkpoints" else folder
    best = folder / BEST_NAME
    meta = _latest_meta(folder)
    src = folder / "meta.json (latest checkpoint)"
    if meta.get("kind") != KIND:
        raise CheckpointError(f"{run}: its checkpoints are of a {meta.get('kind')!r} run, not "
                              f"a language model's ({KIND!r}); pass an `rnnlab lm train` run")
    if not best.is_file():  # (a pipe or folder there: named as such, not called missing)
        raise _no_best(run, best) if not os.path.lexists(best) else \
            CheckpointError(_not_weights(best))
    if not isinstance(meta.get("config"), dict) or not isinstance(meta.get("vocab"), dict):
        raise CheckpointError(f"{src}: holds no model config or vocabulary; the checkpoint is "
                              f"damaged: resume the run with --resume, or train again")
    lm = cls(from_dict(LMConfig, meta["config"], src))
    lm.vocab = Vocab.from_json(meta["vocab"], src)
    build = lambda: built_in_float32(lambda: LMNet(lm.config, len(lm.vocab)))  # noqa: E731
    check_built_shapes(build, best, header_shapes(best))
    with process_state_kept(wait=False), private_draws():  # (its weights are replaced)
        lm.net = build()
    load_checked(lm.net, load_weights(best), best)  # (float16 weights: a note)
    lm.net.to(resolve_device(device, loading="CharLM.load")).eval()
    said = best_metadata(folder) or {}
    lm.info = {"unfinished": True, "best_epoch": said.get("epoch"),
               "val_loss": said.get("val_loss"), "weights": str(best)}
    print(f"rnnlab: note: {run} is an unfinished run (no model/ yet: killed, or still "
          f"training); using its best weights so far, {_which(said, meta)}, from {best}",
          file=sys.stderr)
    return lm


def _which(said: dict, meta: dict) -> str:
    """'epoch 3 of at most 500 (validation loss 1.5514)': which weights these are."""
    epochs = (meta.get("train_config") or {}).get("epochs")
    text = f"epoch {said['epoch']}" if said.get("epoch") is not None else "epoch unknown"
    if isinstance(epochs, int):
        text += f" of at most {epochs}"
    if isinstance(said.get("val_loss"), (int, float)):
        text += f" (validation loss {said['val_loss']:.4f})"
    return text
