"""``CharLM``: fit a character (or word) language model, measure it, generate text, save it."""

from __future__ import annotations

import dataclasses
import math
import time
from pathlib import Path
from typing import Callable, Dict, Optional

import torch

from ..data.text import Vocab, load_corpus, split_text
from ..data.text_sampling import TextSampler
from ..io.errors import DataError
from ..io.model_dir import load_weights_into, read_model_json, save_model_dir
from ..train import TrainConfig, fit as train_fit, resolve_device, seed_everything
from .baselines import baseline_bits
from .config import LMConfig, LMTrainConfig, from_dict, to_dict
from .generate import generate as _generate
from .model import LMNet, token_nll
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
    def fit(self, text: str, train_config: Optional[LMTrainConfig] = None, checkpoint_dir=None,
            resume: bool = False, on_epoch: Optional[Callable[[int, dict], None]] = None,
            **kwargs) -> "CharLM":
        """Train on ``text``; its last ``val_fraction`` is held out for validation, early
        stopping and the learning-rate schedule. The weights of the best validation epoch
        are kept. ``kwargs`` are :class:`LMTrainConfig` fields."""
        tc = train_config or LMTrainConfig(**kwargs)
        if train_config is not None and kwargs:
            tc = dataclasses.replace(train_config, **kwargs)
        self.train_config = tc
        train_text, val_text = split_text(text, tc.val_fraction)
        if self.vocab is None:
            self.vocab = Vocab.build(train_text, self.config.level, self.config.max_vocab)
        train_ids = torch.tensor(self.vocab.encode(train_text), dtype=torch.long)
        val_ids = torch.tensor(self.vocab.encode(val_text), dtype=torch.long)
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
        device = resolve_device(tc.device)
        seed_everything(tc.seed)
        if self.net is None:
            self.net = LMNet(self.config, len(self.vocab))
        self.net.to(device)
        self.baselines = baseline_bits(train_ids.tolist(), val_ids.tolist(), len(self.vocab))
        hooks = [h for h in (_add_bits, self._sampler_hook(tc), on_epoch) if h is not None]
        task = LMTask(self.net, sampler, val_ids, tc.eval_streams, device)
        cfg = TrainConfig(epochs=tc.epochs, batch_size=tc.batch_size, lr=tc.lr,
                          optimizer=tc.optimizer, clip_norm=tc.clip_norm, patience=tc.patience,
                          lr_schedule=tc.lr_schedule, seed=tc.seed, device=str(device),
                          progress=tc.progress,
                          max_seconds=60 * tc.minutes if tc.minutes is not None else None)
        meta = {"kind": KIND, "config": to_dict(self.config), "vocab": self.vocab.to_json()}
        t0 = time.monotonic()
        hist = train_fit(self.net, task, cfg, checkpoint_dir=checkpoint_dir, resume=resume,
                         device=device, meta=meta,
                         on_epoch=lambda e, r: [h(e, r) for h in hooks])
        self.history = hist.epochs  # ends with the best weights loaded
        stop = hist.stop_reason
        if stop == "time budget":
            stop = f"time budget ({tc.minutes} min)"
        best = min(self.history, key=lambda r: r["val_loss"]) if self.history else None
        self.info = {"stopped_by": stop, "seconds": time.monotonic() - t0,
                     "epochs": len(self.history), "best_epoch": best and best["epoch"],
                     "best_val_loss": best and best["val_loss"]}
        return self

    def _sampler_hook(self, tc: LMTrainConfig):
        if not tc.sample_every:
            return None

        def hook(epoch: int, rec: dict) -> None:
            if epoch % tc.sample_every == 0:
                rec["samples"] = {p: self.generate(p, tc.sample_length, temperature=0.8, top_k=10,
                                                   seed=tc.seed + i)
                                  for i, p in enumerate(tc.sample_prefixes)}
                from tqdm.auto import tqdm

                for p, s in rec["samples"].items():
                    tqdm.write(f"epoch {epoch} sample: {s!r}")
        return hook

    # ---------------------------------------------------------------- measuring
    def _need_model(self) -> None:
        if self.net is None or self.vocab is None:
            raise ValueError("CharLM: not trained yet; call fit(text) or CharLM.load(path)")

    def nll(self, text: str, streams: Optional[int] = None) -> tuple:
        """(total negative log-likelihood in nats, tokens scored) of ``text``."""
        self._need_model()
        ids = torch.tensor(self.vocab.encode(text), dtype=torch.long)
        if len(ids) < 2:
            raise DataError(f"need at least 2 {self.config.level}s to measure perplexity, "
                            f"got {len(ids)}")
        s = streams or (self.train_config.eval_streams if self.train_config else 16)
        return token_nll(self.net, ids, streams=s)

    def perplexity(self, text: str, streams: Optional[int] = None) -> float:
        """exp(mean negative log-likelihood per token) over the whole text, state carried."""
        total, n = self.nll(text, streams)
        return math.exp(total / n)

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
    def save(self, path) -> Path:
        """A folder: model.safetensors + model.json (config, vocabulary); no pickles."""
        self._need_model()
        extra = {"vocab": self.vocab.to_json(), "baselines": self.baselines,
                 "train_config": to_dict(self.train_config) if self.train_config else None}
        return save_model_dir(path, self.net, KIND, to_dict(self.config), extra)

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
