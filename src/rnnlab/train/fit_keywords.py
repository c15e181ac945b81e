"""Keywords :func:`rnnlab.train.fit` does not take, refused with what takes their place here:
Keras' ``fit(..., callbacks=[...], validation_data=..., epochs=10)`` and Lightning's
``fit(model, train_dataloaders=..., val_dataloaders=...)`` were Python's bare "unexpected
keyword argument 'callbacks'", which said nothing of ``on_epoch`` or ``TrainConfig``."""

from __future__ import annotations

import difflib
from dataclasses import fields
from typing import Mapping

from ..io.errors import ConfigTypeError
from .config import TrainConfig

_VAL = ("the task's validation: TensorTask(x, y, val=(x_val, y_val)), or a Task's "
        "validate(model)")
_DATA = ("the task: TensorTask(x, y, batch_size=...) (a DataLoader's tensors), or a Task of "
         "your own")
# the peers' arguments of a fit -> what does the same here
ARGUMENTS = {
    "callbacks": "on_epoch=fn(epoch, record), run after each epoch's validation (record: "
                 "epoch, train_loss, val_loss, lr, seconds, cpu_seconds, grad_norm_mean, "
                 "grad_norm_max, clipped_steps; it may add fields); early "
                 "stopping is TrainConfig(patience=...), a learning-rate schedule "
                 "TrainConfig(lr_schedule=...), checkpoints fit(checkpoint_dir=...)",
    "callback": "on_epoch=fn(epoch, record), run after each epoch's validation",
    "validation_data": _VAL, "val_data": _VAL, "val_dataloaders": _VAL,
    "validation_split": _VAL, "train_dataloaders": _DATA, "dataloader": _DATA,
    "x": _DATA, "y": _DATA, "ckpt_path": "checkpoint_dir=..., resume=True",
    "config": "cfg=TrainConfig(...)", "max_epochs": "TrainConfig(epochs=...)",
    "verbose": "TrainConfig(progress=False) (no progress bar)",
    "initial_epoch": "checkpoint_dir=..., resume=True (the run goes on where it stopped)",
}
_PARAMETERS = ("model", "task", "cfg", "checkpoint_dir", "resume", "dist", "meta", "device",
               "on_epoch")


def refuse_fit_keywords(given: Mapping) -> None:
    """ConfigTypeError (a TypeError) naming each keyword of ``given`` and what to use."""
    if not given:
        return
    settings = {f.name for f in fields(TrainConfig)}
    said = []
    for key in given:
        if key in ARGUMENTS:
            said.append(f"{key!r} (here: {ARGUMENTS[key]})")
        elif key in settings:
            said.append(f"{key!r} (a setting of the config: cfg=TrainConfig({key}=...))")
        else:
            close = difflib.get_close_matches(key, _PARAMETERS, n=2)
            said.append(f"{key!r}" + (f" (did you mean {', '.join(close)}?)" if close else ""))
    raise ConfigTypeError(
        f"fit() got unexpected keyword argument{'s' if len(said) > 1 else ''} "
        f"{'; '.join(said)}. rnnlab.train.fit takes (model, task, cfg, checkpoint_dir=, "
        f"resume=, dist=, meta=, device=, on_epoch=)")
