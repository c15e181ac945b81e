"""``CharLM``: fit a character (or word) language model, measure it, generate text, save it."""

from __future__ import annotations

import copy
import dataclasses
import math
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, Optional

import torch

from ..data.corpus_mmap import PreparedCorpus, load_prepared
from ..data.text import Vocab, load_corpus, split_text
from ..data.text_sampling import TextSampler
from ..io.errors import DataError
from ..io.model_dir import load_weights_into, read_model_json, save_model_dir
from ..train import History, fit as train_fit, resolve_device, seed_everything
from ..train.distributed import DeviceConfig, DistContext, launch
from .baselines import baseline_bits
from .config import LMConfig, LMTrainConfig, from_dict, to_dict
from .generate import generate as _generate
from .model import LMNet, perplexity_of_bits, token_nll
from .task import LMTask

KIND = "charlm"


class CharLM:
    """A recurrent language model over characters (or words).

    >>> lm = CharLM(model="lstm", hidden_size=256, num_layers=2)
    >>> lm.fit(load_corpus("time-machine"), minutes=8)        # doctest: +SKIP
    >>> lm.perplexity(text), lm.bits_per_char(text)           # doctest: +SKIP
    >>> lm.generate("the time ", 100, temperature=0.8, top_k=10, seed=1)  # doctest: +SKIP

    Keyword arguments are the fields of :class:`LMConfig` (the model); those of
    :class:`LMTrainConfig` are given to :meth:`fit`.
    """

    def __init__(self, config: Optional[LMConfig] = None, **kwargs):
        if config is not None and kwargs:
            raise TypeError("CharLM: pass either config=LMConfig(...) or keyword arguments")
        self.config = config or LMConfig(**kwargs)
        self.vocab: Optional[Vocab] = None
        self.net: Optional[LMNet] = None
        self.train_config: Optional[LMTrainConfig] = None
        self.history: list = []  # per-epoch records of the last fit
        self.baselines: Dict[str, float] = {}  # n-gram bits per token on the validation part
        self.info: dict = {}  # outcome of the last fit (best epoch, seconds, stop reason)

    # ---------------------------------------------------------------- training
    def fit(self, text, train_config: Optional[LMTrainConfig] = None, checkpoint_dir=None,
            resume: bool = False, on_epoch: Optional[Callable[[int, dict], None]] = None,
            **kwargs) -> "CharLM":
        """Train on ``text``; its last ``val_fraction`` is held out for validation, early
        stopping and the learning-rate schedule. The weights of the best validation epoch
        are kept. ``kwargs`` are :class:`LMTrainConfig` fields.

        ``text`` is a string or a :class:`~rnnlab.data.corpus_mmap.PreparedCorpus`
        (``load_prepared(dir)``: a corpus larger than memory, read through a memory map).

        Data parallelism (``devices``, ``num_nodes``, ``accelerator``, ``strategy``,
        ``precision``): with more than one process, ``fit`` starts one worker process per
        device (or, under torchrun, joins its group); every worker trains a replica with
        DDP on its rows of each global batch; rank 0 alone writes the checkpoints and,
        at the end, the trained weights and history into a temporary folder, which this
        process loads back and deletes. ``on_epoch`` must then be picklable; it runs on
        rank 0 only."""
        tc = train_config or LMTrainConfig(**kwargs)
        if train_config is not None and kwargs:
            tc = dataclasses.replace(train_config, **kwargs)
        self.train_config = tc
        train_ids, val_ids, dcfg, device = self.check_fit(text, tc)
        seed_everything(tc.seed)
        return self._fit_checked(text, tc, train_ids, val_ids, dcfg, device, checkpoint_dir,
                                 resume, on_epoch)

    def check_fit(self, text, tc: LMTrainConfig):
        """Everything :meth:`fit` checks before it trains (the vocabulary, the parts' sizes,
        the devices), raising as it would: a command calls it before it touches its run
        directory. Builds the vocabulary when the model has none. Returns (training ids,
        validation ids, device config, device)."""
        if isinstance(text, PreparedCorpus):
            if self.config.level != "char":
                raise DataError("a prepared corpus is character level; use level='char'")
            if abs(text.val_fraction - tc.val_fraction) > 1e-12:
                load_prepared(text.path, tc.val_fraction)  # raises the explanatory error
            if self.vocab is not None and self.vocab != text.vocab:
                raise DataError(f"{text.path}: its vocabulary differs from the model's; prepare "
                                f"the corpus for this model or train a new one")
            self.vocab = text.vocab
        elif self.vocab is None:
            self.vocab = Vocab.build(split_text(text, tc.val_fraction)[0], self.config.level,
                                     self.config.max_vocab)
        train_ids, val_ids = _split_ids(text, self.vocab, tc)
        sampler = TextSampler(train_ids, tc.batch_size, tc.seq_len, tc.sampling, tc.seed)
        if len(train_ids) < sampler.min_tokens():
            raise DataError(
                f"the training part of the corpus has {len(train_ids)} {self.config.level}s; one "
                f"batch needs at least {sampler.min_tokens()} (batch_size {tc.batch_size} x "
                f"seq_len {tc.seq_len} + {tc.seq_len}); use a longer text or smaller "
                f"--batch-size/--seq-len")
        if len(val_ids) < 2:
            raise DataError(f"the validation part ({tc.val_fraction:.0%} of the text) has fewer "
                            f"than 2 {self.config.level}s; use a longer text or a larger val_fraction")
        dcfg = device_config(tc)
        world = int(os.environ.get("WORLD_SIZE", 0)) or dcfg.devices * dcfg.num_nodes
        if tc.batch_size < world:  # every process trains on its own rows of each batch
            raise ValueError(f"batch_size {tc.batch_size} is smaller than the {world} processes "
                             f"training together: each needs at least one row of every batch; "
                             f"use batch_size >= {world} or fewer devices")
        device = resolve_device(tc.accelerator if tc.accelerator != "auto" else tc.device)
        if tc.precision == "16-mixed" and device.type != "cuda":
            raise ValueError("precision '16-mixed' needs a CUDA device; use 'bf16-mixed' on CPU")
        return train_ids, val_ids, dcfg, device

    def _fit_checked(self, text, tc, train_ids, val_ids, dcfg, device, checkpoint_dir, resume,
                     on_epoch) -> "CharLM":
        if self.net is None:
            self.net = LMNet(self.config, len(self.vocab))
        if isinstance(text, PreparedCorpus):  # n-gram tables would hold the whole corpus
            self.baselines = {}
        else:
            self.baselines = baseline_bits(train_ids.tolist(), val_ids.tolist(), len(self.vocab))
        spawn = _spawns(dcfg)
        result_dir = tempfile.mkdtemp(prefix="rnnlab-lm-fit-") if spawn else None
        job = FitJob(self.net.cpu() if spawn else self.net.to(device), self.config,
                     self.vocab.to_json(), text, tc,
                     None if checkpoint_dir is None else str(checkpoint_dir), resume, result_dir,
                     on_epoch)
        if spawn:  # share this process's CPU threads among the workers (CPU training)
            job.threads = max(1, torch.get_num_threads() // dcfg.devices)
        t0 = time.monotonic()
        try:
            if spawn or "RANK" in os.environ:
                hist = launch(fit_worker, (job,), dcfg)
            else:  # one process, on exactly the device asked for (e.g. cuda:1)
                hist = fit_worker(DistContext(device=device), job)
            if spawn:  # the workers trained copies; rank 0 left the result here
                from ..io.weights import load_weights

                self.net.load_state_dict(load_weights(Path(result_dir) / "model.safetensors"))
                from ..io.json_file import read_json

                hist = History.from_dict(read_json(Path(result_dir) / "history.json"))
                self.net.to(device)
        finally:
            if result_dir is not None:
                shutil.rmtree(result_dir, ignore_errors=True)
        self.history = hist.epochs  # ends with the best weights loaded
        stop = hist.stop_reason
        if stop == "time budget":
            stop = f"time budget ({tc.minutes} min)"
        best = min(self.history, key=lambda r: r["val_loss"]) if self.history else None
        self.info = {"stopped_by": stop, "seconds": time.monotonic() - t0,
                     "epochs": len(self.history), "best_epoch": best and best["epoch"],
                     "best_val_loss": best and best["val_loss"],
                     "path": hist.path,  # which implementation the recurrent layers ran on
                     "world_size": int(os.environ.get("WORLD_SIZE", 0))
                     or dcfg.devices * dcfg.num_nodes}
        return self

    # ---------------------------------------------------------------- measuring
    def _need_model(self) -> None:
        if self.net is None or self.vocab is None:
            raise ValueError("CharLM: not trained yet; call fit(text) or CharLM.load(path)")

    def nll(self, text: str, streams: Optional[int] = None) -> tuple:
        """(total negative log-likelihood in nats, tokens scored) of ``text``."""
        self._need_model()
        return self.nll_ids(torch.tensor(self.vocab.encode(text), dtype=torch.long), streams)

    def nll_ids(self, ids, streams: Optional[int] = None) -> tuple:
        """As :meth:`nll`, of token ids (a tensor or a memory-mapped array, read in chunks)."""
        self._need_model()
        if len(ids) < 2:
            raise DataError(f"need at least 2 {self.config.level}s to measure perplexity, "
                            f"got {len(ids)}")
        s = streams or (self.train_config.eval_streams if self.train_config else 16)
        return token_nll(self.net, ids, streams=s)

    def perplexity(self, text: str, streams: Optional[int] = None) -> float:
        """exp(mean negative log-likelihood per token) over the whole text, state carried."""
        total, n = self.nll(text, streams)
        return perplexity_of_bits(total / n / math.log(2))

    def bits_per_char(self, text: str, streams: Optional[int] = None) -> float:
        """log2(perplexity): bits per character (per token at word level)."""
        total, n = self.nll(text, streams)
        return total / n / math.log(2)

    def generate(self, prefix: str, n: int = 100, temperature: float = 1.0,
                 top_k: Optional[int] = None, seed: int = 0) -> str:
        """See :func:`rnnlab.lm.generate.generate` (temperature 0 = greedy)."""
        self._need_model()
        return _generate(self.net, self.vocab, prefix, n, temperature, top_k, seed)

    # ---------------------------------------------------------------- files
    def save(self, path, overwrite: bool = False) -> Path:
        """A folder: model.safetensors + model.json (config, vocabulary); no pickles. A
        model saved there before is replaced only with ``overwrite=True``."""
        self._need_model()
        extra = {"vocab": self.vocab.to_json(), "baselines": self.baselines,
                 "train_config": to_dict(self.train_config) if self.train_config else None}
        return save_model_dir(path, self.net, KIND, to_dict(self.config), extra, overwrite)

    @classmethod
    def load(cls, path, device: str = "cpu") -> "CharLM":
        meta = read_model_json(path, KIND)
        src = Path(meta["_dir"]) / "model.json"
        lm = cls(from_dict(LMConfig, meta["config"], src))
        extra = meta.get("extra") or {}
        lm.vocab = Vocab.from_json(extra.get("vocab"), src)
        if extra.get("train_config") is not None:
            lm.train_config = from_dict(LMTrainConfig, extra["train_config"], src)
        lm.baselines = extra.get("baselines") or {}
        lm.net = LMNet(lm.config, len(lm.vocab))
        load_weights_into(lm.net, meta)
        lm.net.to(resolve_device(device)).eval()
        return lm


def fit_corpus(corpus: str, **kwargs) -> CharLM:
    """Convenience: ``fit_corpus("time-machine", minutes=5)``."""
    model_keys = {f.name for f in dataclasses.fields(LMConfig)}
    lm = CharLM(**{k: v for k, v in kwargs.items() if k in model_keys})
    return lm.fit(load_corpus(corpus), **{k: v for k, v in kwargs.items() if k not in model_keys})


def _add_bits(epoch: int, rec: dict) -> None:
    """Perplexity and bits per character of the validation loss (nats per token)."""
    val = rec.get("val_loss")
    if val is not None:
        rec["val_ppl"] = math.exp(min(val, 700.0))
        rec["val_bpc"] = val / math.log(2)


# ------------------------------------------------------------------ data-parallel fit
def device_config(tc: LMTrainConfig) -> DeviceConfig:
    acc = tc.accelerator
    if acc == "auto" and tc.device != "auto":  # --device cpu / cuda[:N] picks the accelerator
        acc = "cuda" if tc.device.startswith("cuda") else "cpu"
    return DeviceConfig(accelerator=acc, devices=tc.devices, num_nodes=tc.num_nodes,
                        strategy=tc.strategy, precision=tc.precision)


def _spawns(dcfg: DeviceConfig) -> bool:
    """True when ``launch`` will start worker processes (not under torchrun, > 1 device)."""
    under_torchrun = "RANK" in os.environ and "WORLD_SIZE" in os.environ
    return not under_torchrun and dcfg.devices * dcfg.num_nodes > 1


def _split_ids(data, vocab: Vocab, tc: LMTrainConfig):
    """(train ids, validation ids): int64 tensors of a text, memmap views of a prepared corpus."""
    if isinstance(data, PreparedCorpus):
        return data.train_ids, data.val_ids
    train_text, val_text = split_text(data, tc.val_fraction)
    return (torch.tensor(vocab.encode(train_text), dtype=torch.long),
            torch.tensor(vocab.encode(val_text), dtype=torch.long))


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
    train_ids, val_ids = _split_ids(job.data, vocab, tc)
    sampler = TextSampler(train_ids, tc.batch_size, tc.seq_len, tc.sampling, tc.seed)
    task = LMTask(net, sampler, val_ids, tc.eval_streams, ctx.device)
    hooks = [_add_bits] + ([_sampler_hook(net, vocab, tc), job.on_epoch] if ctx.is_main else [])
    hooks = [h for h in hooks if h is not None]
    cfg = tc.to_train_config(str(ctx.device))
    meta = {"kind": KIND, "config": to_dict(job.config), "vocab": job.vocab}
    hist = train_fit(net, task, cfg, checkpoint_dir=job.checkpoint_dir, resume=job.resume,
                     dist=ctx if ctx.active else None, device=ctx.device, meta=meta,
                     on_epoch=lambda e, r: [h(e, r) for h in hooks])
    if ctx.is_main and job.result_dir is not None:
        from ..io.atomic import atomic_write_json
        from ..io.weights import save_weights

        save_weights(Path(job.result_dir) / "model.safetensors",
                     {k: v.detach().cpu() for k, v in net.state_dict().items()})
        atomic_write_json(Path(job.result_dir) / "history.json", hist.to_dict())
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
