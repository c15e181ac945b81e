"""``CharLM``: fit a character (or word) language model, measure it, generate text, save it.

Where a fit trains (this process, or one per device) is :mod:`rnnlab.lm.fit_launch`; the
training process itself :mod:`rnnlab.lm.fit_process`.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple, Type, TypeVar

import torch

from ..data.corpus_mmap import PreparedCorpus
from ..data.text import Vocab, load_corpus, token_noun
from ..idle_settings import impl_rule, warn_idle
from ..io.errors import DataError, NotFittedError
from ..type_aliases import StrPath, Unpack
from ..number_kinds import is_whole
from ..io.model_dir import save_model_dir
from ..setting_names import check_settings
from ..train import TrainingDiverged, TrainingInterrupted, seed_everything
from ..train.checks import check_on_epoch
from ..train.failed_fit import kept_unless_done
from ..train.process_state import built_in_float32, process_state_kept, threads_kept
from .baselines import baseline_bits
from .config import LMConfig, LMTrainConfig, to_dict
from .fit_checks import check_fit
from .fit_launch import train_net
from .fit_notes import data_identity
from .fit_process import KIND, FitJob, fit_worker  # noqa: F401  (FitJob, fit_worker: kept here)
from .generate import drawn
from .inputs import as_id_array, check_text
from .model import LMNet, perplexity_of_bits, token_nll
from .typed_settings import LMSettings, LMTrainSettings
from .unknown_tokens import unknown_warning
from .val_text import check_val_choice, val_identity
from ..io.errors import ConfigError, ConfigTypeError

# fit and load give the class they are called on: a subclass keeps its methods to a checker
CharLMT = TypeVar("CharLMT", bound="CharLM")


class CharLM:
    """A recurrent language model over characters (or words): fit, score, generate, save.

    Keyword arguments (or ``config``, a whole one) are the fields of :class:`LMConfig`
    (``hidden_size``, ``level``...: ``help(LMConfig)``); those of :class:`LMTrainConfig`
    (``epochs``, ``minutes``, ``seq_len``...) are given to :meth:`fit`.

    >>> from rnnlab import CharLM, load_corpus
    >>> text = load_corpus("time-machine")            # a str: a built-in corpus or a file's
    >>> lm = CharLM(hidden_size=32, num_layers=1)     # (default: an LSTM of 2 x 256)
    >>> lm = lm.fit(text[:5000], epochs=1, progress=False)   # say minutes=8 for a real one
    >>> lm.bits_per_char(text[5000:6000]) > 0         # also perplexity(), nll()
    True
    >>> sample = lm.generate("the time ", 20, temperature=0.8, top_k=10, seed=1)
    >>> sample.startswith("the time "), len(sample)   # the prefix, then 20 characters
    (True, 29)
    """

    def __init__(self, config: Optional[LMConfig] = None, **kwargs: Unpack[LMSettings]) -> None:
        if config is not None and kwargs:
            raise ConfigTypeError("CharLM: pass either config=LMConfig(...) or keyword arguments")
        # a training setting here (epochs=, lr=) is named as fit's, not a bare TypeError
        check_settings(LMConfig, kwargs, "CharLM", ("rnnlab.lm.config:LMTrainConfig", "fit()"),
                       config=config)
        self.config = config or LMConfig(**kwargs)
        self.vocab: Optional[Vocab] = None
        self.net: Optional[LMNet] = None
        self.train_config: Optional[LMTrainConfig] = None
        self.history: List[Dict[str, Any]] = []  # per-epoch records of the last fit
        self.baselines: Dict[str, float] = {}  # n-gram bits per token on the validation part
        self.info: Dict[str, Any] = {}  # outcome of the last fit (best epoch, seconds, stop reason)
        self.fit_threads = 0  # torch's CPU threads in the last fit (0: none): save's record

    def __repr__(self) -> str:
        from ..model_repr import charlm_repr

        return charlm_repr(self)

    # ---------------------------------------------------------------- training
    def fit(self: CharLMT, text: Any, train_config: Optional[LMTrainConfig] = None,
            checkpoint_dir: Optional[StrPath] = None, resume: bool = False,
            on_epoch: Optional[Callable[[int, Dict[str, Any]], None]] = None,
            val_text: Optional[str] = None,
            **kwargs: Unpack[LMTrainSettings]) -> CharLMT:
        """Train on ``text``; its last ``val_fraction`` is held out for validation, early
        stopping and the learning-rate schedule; or, with ``val_text`` (a corpus's own
        validation text: ptb.char.valid.txt), all of ``text`` trains and ``val_text`` is
        validated on (:mod:`rnnlab.lm.val_text`; refused with ``val_fraction``). The
        weights of the best validation epoch are kept; returns the model. ``kwargs`` are
        :class:`LMTrainConfig` fields (changing ``train_config``, when given). A model
        fitted (or loaded) before trains on from its weights, with its vocabulary (a
        notebook cell of ``lm.fit(...)`` run again goes on training): ``CharLM(...)`` anew
        starts afresh.

        ``text`` is a string or a :class:`~rnnlab.data.corpus_mmap.PreparedCorpus`
        (``load_prepared(dir)``: a corpus larger than memory, read through a memory map).
        ``checkpoint_dir``: a checkpoint at each epoch end (and every ``checkpoint_every``
        steps); ``resume=True`` trains on from its latest. ``on_epoch(epoch, record)`` runs
        after each validation.

        Data parallelism (``devices``, ``num_nodes``, ``accelerator``, ``strategy``,
        ``precision``): with more than one process, ``fit`` starts one worker process per
        device (or, under torchrun, joins its group); every worker trains a replica with
        DDP on its rows of each global batch; rank 0 alone writes the checkpoints and,
        at the end, the trained weights and history into a temporary folder, which this
        process loads back and deletes. ``on_epoch`` must then be picklable; it runs on
        rank 0 only."""
        check_settings(LMTrainConfig, kwargs, "CharLM.fit",
                       ("rnnlab.lm.config:LMConfig", "CharLM(...)"), train_config=train_config)
        given: Dict[str, Any] = dict(kwargs)  # (a list for a tuple field: the config's tuple)
        tc = train_config or LMTrainConfig(**given)
        if train_config is not None and given:
            tc = dataclasses.replace(train_config, **given)
        check_on_epoch(on_epoch)
        warn_idle(tc, [impl_rule(tc.impl, self.config.model)], "CharLM.fit")
        check_val_choice(val_text, "val_fraction" in kwargs or (
            train_config is not None and train_config.val_fraction != LMTrainConfig.val_fraction),
            tc.val_fraction)
        # a fit that raises leaves the model as it was, weights too; a stop keeps its
        # epochs where it has them (one process; the workers' carries none): .failed_fit
        with kept_unless_done(self, _kept_stop, net="net"):
            self.train_config = tc
            train_ids, val_ids, dcfg, device = self.check_fit(text, tc, checkpoint_dir, resume,
                                                              val_text=val_text)
            with process_state_kept(training=True):  # (seeded; the caller's RNGs back after)
                seed_everything(tc.seed)
                return self._fit_checked(text, tc, train_ids, val_ids, dcfg, device,
                                         checkpoint_dir, resume, on_epoch, val_text)

    def check_fit(self, text: Any, tc: LMTrainConfig, checkpoint_dir: Optional[StrPath] = None,
                  resume: bool = False, prefix_option: str = "sample_prefixes:",
                  samples_after: bool = False, val_text: Optional[str] = None
                  ) -> Tuple[Any, ...]:
        """Everything :meth:`fit` checks before it trains, raising as it would: a command
        calls it before it touches its run directory (:func:`.fit_checks.check_fit`).
        Builds the vocabulary when the model has none (a resumed one: the checkpoint's).
        Returns (training ids, validation ids, device config, device)."""
        self.vocab, *checked = check_fit(self.config, self.vocab, text, tc, checkpoint_dir,
                                         resume, prefix_option, samples_after, val_text)
        return tuple(checked)

    def _fit_checked(self: CharLMT, text, tc, train_ids, val_ids, dcfg, device,
                     checkpoint_dir, resume, on_epoch, val_text=None) -> CharLMT:
        vocab = self.vocab
        assert vocab is not None  # (check_fit set it)
        if self.net is None:
            self.net = built_in_float32(lambda: LMNet(self.config, len(vocab)))
        data_sha256 = data_identity(text)  # (before training: raised after it, the fit was lost)
        val_sha256 = val_identity(val_text)
        if isinstance(text, PreparedCorpus):  # n-gram tables would hold the whole corpus
            self.baselines = {}
        else:
            self.baselines = baseline_bits(train_ids, val_ids, len(vocab))  # (arrays)
        train_net(self, text, tc, (train_ids, val_ids), dcfg, device, checkpoint_dir, resume,
                  on_epoch, val_text, (data_sha256, val_sha256))
        return self

    # ---------------------------------------------------------------- measuring
    def _need_model(self) -> Tuple[LMNet, Vocab]:
        """The trained network and its vocabulary (typed as set), or NotFittedError."""
        if self.net is None or self.vocab is None:
            raise NotFittedError("CharLM: not trained yet; call fit(text) or "
                                 "CharLM.load(path)")  # (a ValueError, as it was)
        return self.net, self.vocab

    def nll(self, text: str, streams: Optional[int] = None,
            skip_unknown: bool = False) -> Tuple[float, int]:
        """(total negative log-likelihood in nats, tokens scored) of ``text``: every token
        but the first, which only sets the context. Tokens not in the vocabulary are
        scored as the unknown token, with a warning naming those scored;
        ``skip_unknown=True`` leaves them out of the score and the count. ``streams``: the
        text is cut into that many contiguous parts scored side by side, each from a fresh
        state carried through its part (default the training's ``eval_streams``, 16; fewer
        where a part would be under 64 tokens); ``streams=1`` carries one state through the
        whole text (:func:`rnnlab.lm.token_nll`)."""
        return self._nll(text, streams, skip_unknown, stacklevel=3)

    def _nll(self, text, streams, skip_unknown: bool, stacklevel: int) -> tuple:
        _, vocab = self._need_model()
        check_text(text, "the text to score")
        ids = torch.from_numpy(vocab.encode_array(text, vocab.id_dtype()))
        note = None if skip_unknown else unknown_warning(vocab, text, ids)
        if note is not None:  # (counted among the tokens scored: all but the first)
            import warnings

            warnings.warn(note, stacklevel=stacklevel)
        return self.nll_ids(ids, streams, skip_unknown)

    def nll_ids(self, ids: Any, streams: Optional[int] = None,
                skip_unknown: bool = False) -> Tuple[float, int]:
        """As :meth:`nll` (``streams`` too), of token ids (``vocab.encode(text)``: a list, a
        tensor or a memory-mapped array of whole numbers, read in chunks; an id outside the
        vocabulary is refused). ``skip_unknown``: leave the unknown token out of the score
        and the count (the bits on what the model knows; ``rnnlab lm eval``'s ``bpc_known``)."""
        net, vocab = self._need_model()
        ids = as_id_array(ids)
        if len(ids) < 2:
            raise DataError(f"need at least 2 {token_noun(self.config.level)}s to measure "
                            f"perplexity, got {len(ids)}; give a longer text")
        if streams is not None and not (is_whole(streams) and streams >= 1):
            raise ConfigError(f"streams must be a whole number >= 1 (parts of the text scored "
                              f"side by side) or None for the model's own, got {streams!r}")
        s = streams or (self.train_config.eval_streams if self.train_config else 16)
        total, n = token_nll(net, ids, streams=s,
                             skip_id=vocab.unk_id if skip_unknown else None)
        if n == 0:
            raise DataError(f"skip_unknown: every {self.config.level} scored is unknown to the "
                            f"model; nothing is left to score")
        return total, n

    def perplexity(self, text: str, streams: Optional[int] = None,
                   skip_unknown: bool = False) -> float:
        """exp(mean negative log-likelihood per token) over the whole ``text``
        (``streams``, ``skip_unknown``: see :meth:`nll`)."""
        total, n = self._nll(text, streams, skip_unknown, stacklevel=3)
        return perplexity_of_bits(total / n / math.log(2))

    def bits_per_char(self, text: str, streams: Optional[int] = None,
                      skip_unknown: bool = False) -> float:
        """log2(perplexity) of ``text``: bits per character (per token at word level;
        ``streams``, ``skip_unknown``: see :meth:`nll`)."""
        total, n = self._nll(text, streams, skip_unknown, stacklevel=3)
        return total / n / math.log(2)

    def generate(self, prefix: Optional[str] = None, n: int = 100, temperature: float = 1.0,
                 top_k: Optional[int] = None, seed: int = 0) -> str:
        """``prefix`` followed by ``n`` generated tokens. ``temperature`` 0 is greedy;
        ``top_k``: draw from the ``top_k`` most likely tokens only; the same ``seed`` gives
        the same text (:func:`rnnlab.lm.generate`). With no ``prefix``, the ``n`` tokens
        alone, drawn after a newline (a space, or the most frequent token, where the
        vocabulary has none: :func:`rnnlab.lm.start_token.start_token`), as ``rnnlab lm
        generate`` without ``--prefix``."""
        net, vocab = self._need_model()
        # (warnings: at the caller's line)
        return drawn(net, vocab, prefix, n, temperature, top_k, seed, stacklevel=4)

    # ---------------------------------------------------------------- files
    def save(self, path: StrPath, overwrite: bool = False) -> Path:
        """A folder: model.safetensors + model.json (config, vocabulary); no pickles. A
        model saved there before is replaced only with ``overwrite=True``."""
        net, vocab = self._need_model()
        extra = {"vocab": vocab.to_json(), "baselines": self.baselines,
                 "train_config": to_dict(self.train_config) if self.train_config else None,
                 "data_sha256": self.info.get("data_sha256"),  # (the text it trained on)
                 "val_data_sha256": self.info.get("val_data_sha256")}  # (validated on)
        with threads_kept(self.fit_threads):  # (the record's versions name the fit's threads)
            return save_model_dir(path, net, KIND, to_dict(self.config), extra, overwrite)

    @classmethod
    def load(cls: Type[CharLMT], path: StrPath, device: str = "cpu") -> CharLMT:
        """Rebuild from a folder :meth:`save` wrote, on ``device``; nothing in it runs. A run
        directory with no model/ yet (killed, or still training) gives its best weights so
        far (``checkpoints/best.safetensors``), with a note; ``info["unfinished"]`` is True."""
        from .persist import load_charlm

        return load_charlm(cls, path, device)


def fit_corpus(corpus: str, **kwargs) -> CharLM:
    """Convenience: ``fit_corpus("time-machine", minutes=5)``."""
    model_keys = {f.name for f in dataclasses.fields(LMConfig)}
    lm = CharLM(**{k: v for k, v in kwargs.items() if k in model_keys})
    return lm.fit(load_corpus(corpus), **{k: v for k, v in kwargs.items() if k not in model_keys})


def _kept_stop(e: BaseException) -> bool:
    """A stop whose epochs the model keeps: TrainingInterrupted or TrainingDiverged with its
    history (spawned workers' come back without: nothing of that fit reached the model, so
    it is put back whole, not left with the new text's vocabulary and baselines)."""
    return isinstance(e, (TrainingInterrupted, TrainingDiverged)) and \
        getattr(e, "history", None) is not None
