"""Everything :meth:`rnnlab.lm.CharLM.fit` checks before it trains, in one pass that
raises as the fit would: the text, the vocabulary (a resumed fit keeps its checkpoint's,
a prepared corpus brings its own, a model trained before keeps its own), the sample
prefixes, the parts' sizes and the devices. ``rnnlab lm train`` runs it before it
touches its run directory. Nothing is changed on the model: the vocabulary it returns
is kept by the caller only when every check passed."""

from __future__ import annotations

import os
from typing import Optional

from ..data.corpus_mmap import PreparedCorpus, load_prepared
from ..data.text import Vocab, token_noun
from ..data.text_sampling import TextSampler
from ..data.word_tokens import unspaced_note
from ..io.errors import ConfigError, DataError
from ..rate_options import refuse_kernel_impl
from ..train import resolve_device
from .config import LMConfig, LMTrainConfig
from .fit_process import _split_ids, device_config
from .generate import check_sample_prefixes
from .val_text import check_val_choice, training_text
from .inputs import (FitInputNote, _check_known, check_checkpoint_batches,
                     check_checkpoint_split, check_prepared_vocab, check_text, checkpoint_vocab)


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1: "1 char", "0 chars", "5 tokens"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _resumed_vocab(config: LMConfig, vocab: Optional[Vocab], tc: LMTrainConfig,
                   checkpoint_dir, val_text=None) -> Optional[Vocab]:
    """The vocabulary a resumed fit reads (its checkpoint's when the model has none yet),
    refused where the checkpoint's level or size disagree with ``config``."""
    check_checkpoint_batches(checkpoint_dir, tc)
    check_checkpoint_split(checkpoint_dir, tc, val_text)
    if vocab is None:
        vocab = checkpoint_vocab(checkpoint_dir)  # the ids its weights read
    if vocab is not None and vocab.level != config.level:  # (it trained on, and saved
        # a model whose config and vocabulary disagree: CharLM.load refused it)
        raise DataError(f"cannot resume {checkpoint_dir}: its checkpoint was trained at "
                        f"{vocab.level} level, and this model is {config.level}-level; "
                        f"resume with level={vocab.level!r}, or start a new run")
    if vocab is not None and config.max_vocab is not None and len(vocab) > config.max_vocab:
        # (it trained on the checkpoint's vocabulary and recorded max_vocab all the same)
        raise DataError(f"cannot resume {checkpoint_dir} with max_vocab={config.max_vocab} "
                        f"(--max-vocab): a resumed fit keeps its checkpoint's vocabulary, "
                        f"of {len(vocab)} {token_noun(vocab.level)}s; drop max_vocab (or "
                        f"give the run's own), or start a new run for a smaller vocabulary")
    return vocab


def _prepared_vocab(config: LMConfig, vocab: Optional[Vocab], text: PreparedCorpus,
                    tc: LMTrainConfig, val_text=None) -> Vocab:
    """The vocabulary of a fit on the prepared corpus ``text``, after refusing what it
    cannot do: a validation text beside it, word level, another split, another vocabulary,
    a smaller max_vocab."""
    if val_text is not None:
        raise DataError(f"{text.path}: a prepared corpus trains on its own training part and "
                        f"validates on its last part (val_fraction {text.val_fraction}); a "
                        f"validation text given beside it (val_text, --val-text) is not read "
                        f"that way: train on the text file with --val-text, or drop --val-text")
    if config.level != "char":
        raise DataError(f"{text.path}: a prepared corpus is character level (`rnnlab lm "
                        f"prepare` encodes characters); use level='char' (--level char), "
                        f"or train at word level on the text file it was prepared from")
    if abs(text.val_fraction - tc.val_fraction) > 1e-12:
        load_prepared(text.path, tc.val_fraction)  # raises the explanatory error
    check_prepared_vocab(text, vocab, "prepare the corpus for this model or train a new one")
    if config.max_vocab is not None and config.max_vocab < len(text.vocab):
        raise DataError(f"{text.path}: a prepared corpus keeps the {len(text.vocab)} "
                        f"tokens `rnnlab lm prepare` found; max_vocab={config.max_vocab} "
                        f"(--max-vocab) would be ignored: drop it, or train on the text "
                        f"file itself")
    return text.vocab


def check_fit(config: LMConfig, vocab: Optional[Vocab], text, tc: LMTrainConfig,
              checkpoint_dir=None, resume: bool = False,
              prefix_option: str = "sample_prefixes:", samples_after: bool = False,
              val_text=None):
    """Check a fit of a model of ``config`` (its vocabulary ``vocab``, None before its
    first fit) on ``text``. The sample prefixes (named ``prefix_option``) are checked
    with ``sample_every`` or ``samples_after`` training. Returns (the vocabulary the fit
    uses, training ids, validation ids, device config, device). ``val_text``: the
    validation text given (:mod:`.val_text`; all of ``text`` then trains)."""
    check_val_choice(val_text, fraction_given=False)  # (a text, not its file name)
    refuse_kernel_impl("CharLM.fit", config.recurrent_dropout, tc.impl)  # (LMConfig's rate)
    if resume and checkpoint_dir is not None:
        vocab = _resumed_vocab(config, vocab, tc, checkpoint_dir, val_text)
    if isinstance(text, PreparedCorpus):
        vocab = _prepared_vocab(config, vocab, text, tc, val_text)
    else:
        check_text(text, "fit")
    unspaced = unspaced_note(text) if config.level == "word" and isinstance(text, str) else None
    had_vocab = vocab is not None
    if resume and checkpoint_dir is not None and vocab is not None:  # sizes edited since:
        from ..train.checkpoint import check_resume_shapes, shape_settings  # refused (before
        from .model import LMNet  # they take memory)

        spec, known = config.model_spec(1), vocab
        check_resume_shapes(lambda: LMNet(config, len(known)), checkpoint_dir, shape_settings(
            spec, embedding=config.embedding), counts=spec)
    if not isinstance(text, PreparedCorpus) and not had_vocab:
        vocab = Vocab.build(training_text(text, tc.val_fraction, config.level, val_text),
                            config.level, config.max_vocab)
    assert vocab is not None  # (the model's, the checkpoint's, the prepared corpus's or built)
    train_ids, val_ids = _split_ids(text, vocab, tc, val_text)
    if had_vocab and isinstance(text, str):
        _check_known(vocab, training_text(text, tc.val_fraction, config.level, val_text),
                     train_ids, config.max_vocab)
    sampler = TextSampler(train_ids, tc.batch_size, tc.seq_len, tc.sampling, tc.seed)
    noun = token_noun(config.level)
    if len(train_ids) < sampler.min_tokens():
        raise DataError(
            f"the training part of the corpus has {counted(len(train_ids), noun)}; one batch needs "
            f"at least {sampler.min_tokens()} (batch_size {tc.batch_size} x seq_len "
            f"{tc.seq_len} + {tc.seq_len}); use a longer text or a smaller batch_size / seq_len "
            f"(--batch-size / --seq-len)" + (f". Note: {unspaced}" if unspaced else ""))
    if len(val_ids) < 2 and val_text is not None:
        raise DataError(f"the validation text (val_text, --val-text) has "
                        f"{counted(len(val_ids), noun)}; at least 2 are scored: give a longer one")
    if len(val_ids) < 2:
        raise DataError(f"the validation part ({tc.val_fraction:.0%} of the text) has fewer "
                        f"than 2 {noun}s; use a longer text or a larger val_fraction")
    if unspaced:
        import warnings

        from ..callers_line import callers_level

        # (fit's or CharLM.check_fit's caller: 4 named the frame above check_fit's)
        warnings.warn(f"fit: {unspaced}", FitInputNote, stacklevel=callers_level(4))
    if tc.sample_every or samples_after:  # the samples: refused now, not at epoch 5 (and
        # after the sizes: a text too short for a batch is what to fix first)
        check_sample_prefixes(vocab, tc.sample_prefixes, prefix_option)
    dcfg = device_config(tc)
    from ..train.launch_checks import check_launchable

    check_launchable(dcfg)  # CUDA, 16-mixed, nodes, launcher: before any folder or process
    world = int(os.environ.get("WORLD_SIZE", 0)) or dcfg.devices * dcfg.num_nodes
    if tc.batch_size < world:  # every process trains on its own rows of each batch
        raise ConfigError(f"batch_size {tc.batch_size} is smaller than the {world} processes "
                          f"training together: each needs at least one row of every batch; "
                          f"use batch_size >= {world} or fewer devices")
    # (16-mixed off CUDA: refused by check_launchable, on the accelerator device_config picks)
    device = resolve_device(tc.accelerator if tc.accelerator != "auto" else tc.device)
    return vocab, train_ids, val_ids, dcfg, device
