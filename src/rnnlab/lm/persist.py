"""Reading a saved :class:`~rnnlab.lm.api.CharLM` back: a folder of data (model.safetensors
and model.json: config, vocabulary, baselines), checked; nothing in it is executed."""

from __future__ import annotations

from pathlib import Path

from ..data.text import Vocab
from ..io.errors import CheckpointError
from ..io.versions import recorded_threads
from ..io.model_dir import (built_for_weights, load_weights_into, read_model_json,
                            refuse_counts_past_weights)
from ..train import resolve_device
from ..train.process_state import built_in_float32, process_state_kept
from ..type_aliases import StrPath
from .config import LMConfig, LMTrainConfig, from_dict
from .fit_process import KIND
from .inputs import _baselines
from .model import LMNet


def load_charlm(cls, path: StrPath, device: str = "cpu"):
    """``cls`` (CharLM) rebuilt from the folder at ``path``, on ``device``; from a run
    directory with no model/ yet (killed, or still training), its best weights so far."""
    from .unfinished import load_unfinished, unfinished_checkpoints

    folder = unfinished_checkpoints(path)
    if folder is not None:
        return load_unfinished(cls, folder, device)
    meta = read_model_json(path, KIND)
    src = Path(meta["_dir"]) / "model.json"
    refuse_counts_past_weights(meta)  # (LMConfig builds its model to check it: 10**9 layers)
    lm = cls(from_dict(LMConfig, meta["config"], src))
    extra = meta.get("extra")
    if not isinstance(extra, dict) or extra.get("vocab") is None:
        raise CheckpointError(f"{src}: holds no vocabulary (its 'extra' object has no "
                              f"'vocab'); the file is damaged: restore it or train again")
    lm.vocab = Vocab.from_json(extra.get("vocab"), src)
    if lm.vocab.level != lm.config.level:  # ids would be read as other tokens
        raise CheckpointError(f"{src}: its config says level {lm.config.level!r} but its "
                              f"vocabulary is {lm.vocab.level!r}-level; the file was "
                              f"edited or damaged: restore it or train again")
    if extra.get("train_config") is not None:
        lm.train_config = from_dict(LMTrainConfig, extra["train_config"], src)
    lm.baselines = _baselines(extra.get("baselines"), src)
    lm.info = {"data_sha256": extra.get("data_sha256"),  # (kept when saved again)
               "val_data_sha256": extra.get("val_data_sha256")}
    with process_state_kept(wait=False):  # (threads kept; the build draws from its own generator)
        lm.net = built_for_weights(
            lambda: built_in_float32(lambda: LMNet(lm.config, len(lm.vocab))), meta)
    load_weights_into(lm.net, meta)
    lm.net.to(resolve_device(device, loading="CharLM.load")).eval()
    lm.fit_threads = recorded_threads(meta)  # (saved again: the record keeps the fit's threads)
    return lm
