"""Where a :meth:`~rnnlab.lm.api.CharLM.fit` trains, once it is checked: in this process
on the device asked for, or in one worker process per device (or as this torchrun rank)
whose rank 0 leaves the trained weights and history in a temporary folder read back here.
The training process itself is :mod:`rnnlab.lm.fit_process`."""

from __future__ import annotations

import os
import time
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, Callable, Optional, Tuple

import torch

from ..train import TrainingDiverged, TrainingInterrupted
from ..train.distributed import DistContext, launch
from ..train.owned_temp import owned_temp_dir
from .fit_process import FitJob, _spawns, check_picklable, fit_worker
from .fit_result import fit_info, read_fit_result
from .fit_notes import note_skipped

if TYPE_CHECKING:
    from .api import CharLM


def train_net(lm: "CharLM", text: Any, tc, ids: Tuple[Any, Any], dcfg, device,
              checkpoint_dir: Optional[str], resume: bool, on_epoch: Optional[Callable],
              val_text: Optional[str], identity: Tuple[Optional[str], Optional[str]]) -> None:
    """Train ``lm.net`` (built, its baselines set) on ``text``; on return (or on a stop
    that carries its history) ``lm.history``, ``lm.info`` and ``lm.fit_threads`` say this
    fit's. ``ids``: (training, validation) token ids; ``identity``: the sha256 of the text
    and of ``val_text`` that the info records."""
    spawn = _spawns(dcfg)
    if spawn:
        check_picklable(on_epoch, dcfg.devices)
    net, vocab = lm._need_model()  # (built: the net and vocabulary, typed as set)
    job = FitJob(net.cpu() if spawn else net.to(device), lm.config,
                 vocab.to_json(), text, tc,
                 None if checkpoint_dir is None else str(checkpoint_dir), resume, None,
                 on_epoch, ids=None if spawn else ids, val_text=val_text)
    if spawn:  # share this process's CPU threads among the workers (CPU training)
        job.threads = max(1, torch.get_num_threads() // dcfg.devices)
    folder = ExitStack()  # (spawned: the workers' result, in a folder of which a killed
    # parent's is swept by the next fit: rnnlab.train.owned_temp)
    result_dir = str(folder.enter_context(owned_temp_dir("rnnlab-lm-fit-"))) if spawn else None
    job.result_dir = result_dir
    t0 = time.monotonic()
    try:
        if spawn or "RANK" in os.environ:
            hist = launch(fit_worker, (job,), dcfg)
        else:  # one process, on exactly the device asked for (e.g. cuda:1)
            hist = fit_worker(DistContext(device=device), job)
        if result_dir is not None:  # (spawned) the workers trained copies; rank 0 left the
            hist = read_fit_result(net, result_dir, device)  # result here
    except (TrainingInterrupted, TrainingDiverged) as e:  # (the net: the best epoch's weights)
        if e.history is not None:  # (one process: the workers' stop carries none)
            lm.history = e.history.epochs  # (and the info says this fit's)
            lm.info = fit_info(e.history, tc, t0, dcfg, *identity)
        raise
    finally:
        folder.close()
    lm.history = hist.epochs  # ends with the best weights loaded
    net.eval()  # (as load leaves it: generate and the scores then write nothing)
    note_skipped(hist)
    lm.fit_threads = torch.get_num_threads()  # (the caller's: the fit ran on them)
    lm.info = fit_info(hist, tc, t0, dcfg, *identity)
