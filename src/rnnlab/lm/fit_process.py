"""One process of a language-model fit: what it needs (``FitJob``) and what it runs (``fit_worker``).

:meth:`rnnlab.lm.CharLM.fit` runs :func:`fit_worker` in its own process, or starts one
worker per device through :func:`rnnlab.train.distributed.launch` (or joins a torchrun
group); each worker splits the data, builds the sampler and the task, and trains with
:func:`rnnlab.train.fit`, rank 0 writing checkpoints, samples and the result.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from pathlib import Path
from typing import Callable, List, Optional

import torch

from ..data.corpus_mmap import PreparedCorpus
from ..data.text import Vocab, split_text
from ..data.text_sampling import TextSampler
from ..train import History, fit as train_fit, seed_everything
from ..train.distributed import DeviceConfig, DistContext
from .config import LMConfig, LMTrainConfig, to_dict
from .generate import generate as _generate
from .inputs import BATCH_SETTINGS
from .model import LMNet
from .task import LMTask
from .val_text import split_record, text_ids

KIND = "charlm"  # the saved model's kind (model.json), also in the checkpoints' meta


def _each(hooks: List[Callable], epoch: int, rec: dict) -> None:
    """Each of ``hooks`` on one epoch's record, in order (the fit's on_epoch)."""
    for h in hooks:
        h(epoch, rec)


def _add_bits(epoch: int, rec: dict) -> None:
    """Perplexity and bits per character of the validation loss (nats per token)."""
    val = rec.get("val_loss")
    if val is not None:
        rec["val_ppl"] = math.exp(min(val, 700.0))
        rec["val_bpc"] = val / math.log(2)


def device_config(tc: LMTrainConfig) -> DeviceConfig:
    from ..train.launch_checks import picked_by_device  # --device cpu / cuda[:N] picks it

    return picked_by_device(DeviceConfig(accelerator=tc.accelerator, devices=tc.devices,
                                         num_nodes=tc.num_nodes, strategy=tc.strategy,
                                         precision=tc.precision), tc.device)


def _spawns(dcfg: DeviceConfig) -> bool:
    """True when ``launch`` will start worker processes (not under torchrun, > 1 device)."""
    from ..train.launch_checks import under_launcher

    return not under_launcher() and dcfg.devices * dcfg.num_nodes > 1


def check_picklable(on_epoch, devices: int) -> None:
    """``on_epoch`` goes to the spawned training processes by pickle (spawn: every platform
    here, and the only start method on macOS and Windows): a lambda or a function defined
    inside another failed as "PicklingError: Can't pickle <function <lambda>>"."""
    if on_epoch is None:
        return
    import pickle

    from ..train.main_module import main_definitions, main_unimported

    try:
        used = main_definitions(on_epoch)
    except (pickle.PicklingError, AttributeError, TypeError) as e:
        from ..io.errors import OptionError

        raise OptionError(f"fit: on_epoch={getattr(on_epoch, '__qualname__', on_epoch)!r} "
                          f"cannot be sent to the {devices} training processes ({e}); with "
                          f"devices > 1 pass a function defined at the top level of a module "
                          f"(not a lambda or a nested function), or train with devices=1"
                          ) from None
    if used and main_unimported():
        from ..io.errors import OptionError

        name = getattr(on_epoch, "__qualname__", None)
        what = (f"on_epoch={name!r} is" if used[0] is on_epoch else  # (a partial, a method:
                f"on_epoch (a {type(on_epoch).__name__}) uses {used[0].__qualname__!r}, "
                f"which is")  # what it holds pickles by name too)
        raise OptionError(f"fit: {what} defined in a notebook or interactive session, whose "
                          f"code the {devices} spawned training processes do not run, so they "
                          f"cannot find it; define it in a .py module and import it from "
                          f"there, or train with devices=1")


def _split_ids(data, vocab: Vocab, tc: LMTrainConfig, val_text=None):
    """(train ids, validation ids): tensors of a text (of the vocabulary's smallest id
    type, :meth:`Vocab.id_dtype`: batches are gathered as int64), memmap views of a
    prepared corpus. With ``val_text`` given: all of ``data`` and that text."""
    if val_text is not None:
        return text_ids(data, vocab), text_ids(val_text, vocab)
    if isinstance(data, PreparedCorpus):
        return data.train_ids, data.val_ids
    train_text, val_part = split_text(data, tc.val_fraction, vocab.level)
    return text_ids(train_text, vocab), text_ids(val_part, vocab)


@dataclasses.dataclass
class FitJob:
    """What one training process needs (pickled to spawned workers)."""

    net: LMNet  # initial weights (trained in place when not spawned)
    config: LMConfig
    vocab: dict  # Vocab.to_json()
    data: object  # the text (str) or a PreparedCorpus (pickles as its folder)
    tc: LMTrainConfig
    checkpoint_dir: Optional[str] = None
    resume: bool = False
    result_dir: Optional[str] = None  # rank 0 writes model.safetensors + history.json here
    on_epoch: Optional[Callable[[int, dict], None]] = None
    dtype: str = "float32"  # float64 for the equivalence tests
    threads: Optional[int] = None  # torch CPU threads in a spawned worker
    # (training ids, validation ids) the caller encoded already (in its own process
    # only: a 50 MB text was encoded twice, both copies held through the training)
    ids: Optional[tuple] = None
    val_text: Optional[str] = None  # the validation text given (None: carved off ``data``)


def fit_worker(ctx: DistContext, job: FitJob) -> History:
    """One process of a (possibly data-parallel) language-model fit; see ``CharLM.fit``."""
    tc, vocab = job.tc, Vocab.from_json(job.vocab)
    if job.threads and ctx.device.type == "cpu":
        torch.set_num_threads(job.threads)
    if ctx.active:  # a fresh process: same seeds as a single-process run (fit then offsets
        seed_everything(tc.seed)  # torch's seed per rank for dropout)
    net = job.net
    if job.result_dir is not None:
        # a spawned worker: torch.multiprocessing hands tensors to the workers in *shared*
        # memory, so every rank would step the same storage; train a private copy
        net = copy.deepcopy(net)
    net = net.to(dtype=getattr(torch, job.dtype), device=ctx.device)
    train_ids, val_ids = job.ids or _split_ids(job.data, vocab, tc, job.val_text)
    sampler = TextSampler(train_ids, tc.batch_size, tc.seq_len, tc.sampling, tc.seed)
    task = LMTask(net, sampler, val_ids, tc.eval_streams, ctx.device)
    hooks = [_add_bits] + ([_sampler_hook(net, vocab, tc), job.on_epoch] if ctx.is_main else [])
    hooks = [h for h in hooks if h is not None]
    cfg = tc.to_train_config(str(ctx.device))
    meta = {"kind": KIND, "config": to_dict(job.config), "vocab": job.vocab,
            "batches": {k: getattr(tc, k) for k in BATCH_SETTINGS},  # (inputs: resume checks)
            "split": split_record(tc.val_fraction, job.val_text)}
    hist = train_fit(net, task, cfg, checkpoint_dir=job.checkpoint_dir, resume=job.resume,
                     dist=ctx if ctx.active else None, device=ctx.device, meta=meta,
                     on_epoch=lambda e, r: _each(hooks, e, r))
    if ctx.is_main and job.result_dir is not None:
        from ..io.atomic import atomic_write_json
        from ..io.weights import save_weights

        save_weights(Path(job.result_dir) / "model.safetensors",
                     {k: v.detach().cpu() for k, v in net.state_dict().items()})
        # (read by the parent process, then deleted: NaN losses kept as NaN, not null)
        atomic_write_json(Path(job.result_dir) / "history.json", hist.to_dict(), strict=False)
    if ctx.active:  # every rank leaves together, after rank 0 has written
        import torch.distributed as dist

        dist.barrier()
    return hist


def _sampler_hook(net: LMNet, vocab: Vocab, tc: LMTrainConfig):
    if not tc.sample_every:
        return None

    def hook(epoch: int, rec: dict) -> None:
        if epoch % tc.sample_every == 0:
            rec["samples"] = {p: _generate(net, vocab, p, tc.sample_length, 0.8, 10, tc.seed + i)
                              for i, p in enumerate(tc.sample_prefixes)}
            from tqdm.auto import tqdm

            for p, s in rec["samples"].items():
                tqdm.write(f"epoch {epoch} sample: {s!r}")
    return hook
