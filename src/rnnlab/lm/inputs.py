"""What :class:`~rnnlab.lm.CharLM` checks in what it is given: the text (a str, not its
file name), a text outside the model's vocabulary, a prepared corpus of another
vocabulary, the baselines of a saved model, and the vocabulary a resumed fit keeps (its
checkpoint's), the token ids to score. :mod:`.fit_checks` and the ``rnnlab lm`` commands
use the same ones."""

from __future__ import annotations

import os
from typing import Dict, Optional

import numpy as np
import torch

from ..data.text import BUILTIN_CORPORA, Vocab, builtin_name, token_noun, token_repr
from ..io.errors import CheckpointError, ConfigTypeError, DataError
from ..number_kinds import is_whole
from ..nn.errors import ShapeError


class FitInputNote(UserWarning):
    """A note on the text a fit is given (tokens outside the model's vocabulary, a script
    without spaces at word level), given by :func:`.fit_checks.check_fit`: a command that
    ran the checks before its fit ignores them in the fit, which checks again."""


def _baselines(value, src) -> Dict[str, float]:
    """model.json's n-gram baselines: {name: bits per token}, as fit wrote them."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
            v is None or isinstance(v, (int, float)) and not isinstance(v, bool)
            for v in value.values()):
        raise CheckpointError(f"{src}: 'baselines' should map names to bits per token, got "
                              f"{value!r:.80}; the file was edited or damaged: restore it")
    # (null: a NaN, as strict JSON writes it)
    return {str(k): float("nan") if v is None else float(v) for k, v in value.items()}


def _check_known(vocab: Vocab, train_text: str, train_ids, max_vocab=None) -> None:
    """A model trained again (a second ``fit``, or after ``load``) keeps its vocabulary:
    tokens of the new text outside it train as the unknown token. Say so (not where the
    vocabulary is full at ``max_vocab``: those are the tokens asked to be left out), and
    refuse a text the model knows nothing of."""
    n = len(train_ids)
    unknown = int((train_ids == vocab.unk_id).sum()) if n else 0
    if not unknown or (max_vocab is not None and len(vocab) >= max_vocab and unknown < n):
        return
    seen = vocab.unknown(train_text)
    shown = ", ".join(token_repr(t) for t in seen[:10]) + (" ..." if len(seen) > 10 else "")
    what = (f"{unknown / n:.1%} of the training {token_noun(vocab.level)}s ({len(seen)} "
            f"distinct: {shown}) "
            f"are not in the model's vocabulary (kept from its first fit, the model loaded "
            f"or the checkpoint resumed)")
    if unknown == n:
        raise DataError(f"fit: {what}: it would learn nothing. Train a new model on this text "
                        f"(CharLM(...).fit(text))")
    import warnings

    from ..callers_line import callers_level

    warnings.warn(f"fit: {what}; each trains as the unknown token. For a text of other "
                  f"{vocab.level}s, train a new model", FitInputNote,
                  stacklevel=callers_level(5))  # (fit's or CharLM.check_fit's caller)


def check_prepared_vocab(corpus, vocab: Optional[Vocab], fix: str) -> None:
    """Refuse a prepared corpus (:class:`~rnnlab.data.corpus_mmap.PreparedCorpus`) whose
    vocabulary is not the model's ``vocab`` (None: the model has none yet): its ids would
    be read as other characters. ``fix`` says what to do instead."""
    if vocab is not None and corpus.vocab != vocab:
        raise DataError(f"{corpus.path}: a prepared corpus whose vocabulary differs from the "
                        f"model's (its ids would be read as other characters); {fix}")


def check_text(text, what: str) -> None:
    """Refuse, saying what to pass instead, what is not a text: bytes, a path, None; and
    a string that is only the name of a corpus or a file (``fit("notes.txt")`` would train
    on those nine characters)."""
    if isinstance(text, (bytes, bytearray)):
        raise DataError(f"{what}: expected the text as a str, got {type(text).__name__}; "
                        f"decode it first (data.decode('utf-8')) or pass load_corpus(path)")
    if isinstance(text, os.PathLike):
        raise DataError(f"{what}: expected the text as a str, got the path {str(text)!r}; "
                        f"pass load_corpus({str(text)!r}) to read the file")
    from ..data.corpus_mmap import PreparedCorpus

    if isinstance(text, PreparedCorpus):  # (fit takes one before it checks a text)
        raise DataError(f"{what}: a prepared corpus is scored by its ids, read in chunks: "
                        f"`rnnlab lm eval --text {text.path}` (which checks that its "
                        f"vocabulary is the model's), or lm.nll_ids(corpus.val_ids) (its "
                        f"validation part) or lm.nll_ids(corpus.tokens) where corpus.vocab "
                        f"== lm.vocab; bits = total / count / log(2)")
    if not isinstance(text, (str, list, tuple)):
        raise DataError(f"{what}: expected the text as a str (or a list of tokens), got "
                        f"{type(text).__name__}; pass load_corpus(name_or_path) or the text")
    if isinstance(text, str) and "\n" not in text and len(text) < 4096 and (
            builtin_name(text) in BUILTIN_CORPORA or os.path.isfile(text)):
        kind = "a built-in corpus" if builtin_name(text) in BUILTIN_CORPORA else "a file"
        raise DataError(f"{what}: {text!r} names {kind}, but the text itself is expected; "
                        f"pass load_corpus({text!r})")


def _checkpoint_meta(checkpoint_dir):
    """(folder, meta.json) of the latest checkpoint in ``checkpoint_dir``, or None (none
    there, or one the resume itself will say is damaged)."""
    from ..io.json_file import read_json
    from ..train.checkpoint import CheckpointManager

    folder = CheckpointManager(checkpoint_dir).resume_folder()  # (load's own choice)
    if folder is None:
        return None
    try:
        return folder, read_json(folder / "meta.json", CheckpointError)
    except CheckpointError:
        return None  # (the resume itself then says what is wrong with the checkpoint)


def checkpoint_vocab(checkpoint_dir) -> Optional[Vocab]:
    """The vocabulary the latest checkpoint in ``checkpoint_dir`` was trained with (its
    meta.json), or None. A resumed fit keeps it: rebuilt from a corpus that has changed
    since, the same ids would name other characters and the weights would be read against
    the wrong ones."""
    found = _checkpoint_meta(checkpoint_dir)
    vocab = None if found is None else found[1].get("vocab")
    return None if vocab is None else Vocab.from_json(vocab, found[0] / "meta.json")


# what cuts the text into batches (the seed: each epoch's offset and random order)
BATCH_SETTINGS = ("batch_size", "seq_len", "sampling", "seed")


def check_checkpoint_batches(checkpoint_dir, tc) -> None:
    """A checkpoint written inside an epoch goes on from its batch index, with the state
    carried out of its last batch: resumed with another batch_size, seq_len or sampling,
    that index names other batches (taken silently) and the state has the wrong number of
    rows (an LSTM shape error); another seed, other batches too. Refused, naming the
    settings to resume with."""
    found = _checkpoint_meta(checkpoint_dir)
    if found is None or not found[1].get("index") or not isinstance(
            found[1].get("batches"), dict):  # (an epoch's end; or written before it was saved)
        return
    saved = found[1]["batches"]
    differ = [f"{k}={saved[k]!r} (this fit: {getattr(tc, k)!r})" for k in BATCH_SETTINGS
              if k in saved and saved[k] != getattr(tc, k)]
    if differ:
        raise DataError(f"cannot resume {checkpoint_dir}: its checkpoint was written inside "
                        f"epoch {found[1].get('epoch', 0) + 1}, after batch {found[1]['index']} "
                        f"of batches cut with {', '.join(differ)}; the rest of that epoch "
                        f"needs the same batches. Resume with the run's own settings, or start "
                        f"a new run")


def check_checkpoint_split(checkpoint_dir, tc, val_text=None) -> None:
    """A resumed fit cuts the text where its checkpoint's did: with another val_fraction
    its validation part would hold text the model trained on (or its training part text
    it was validated on), and the best epoch would be picked among losses on two parts.
    Refused, naming the value to resume with (a checkpoint written before the split was
    recorded is not checked). A validation text given (``val_text``): the checkpoint's
    own, by its SHA-256 (:func:`.val_text.check_resumed_val_text`)."""
    from .val_text import check_resumed_val_text

    found = _checkpoint_meta(checkpoint_dir)
    split = found[1].get("split") if found is not None else None
    if found is not None and check_resumed_val_text(
            checkpoint_dir, split if isinstance(split, dict) else {}, val_text):
        return
    was = split.get("val_fraction") if isinstance(split, dict) else None
    if not isinstance(was, float) or abs(was - tc.val_fraction) <= 1e-12:
        return
    raise DataError(f"cannot resume {checkpoint_dir} with val_fraction={tc.val_fraction!r} "
                    f"(--val-fraction): it trained on all but the last {was:.0%} of the text, "
                    f"held out for validation (val_fraction={was!r}); another cut would "
                    f"validate on text it trained on, or train on text it validated on. "
                    f"Resume with val_fraction={was!r}, or start a new run")


def as_id_array(ids):
    """Token ids as :func:`.model.token_nll` reads them: a list or tuple becomes a tensor;
    ids that are not whole numbers (floats would be truncated to other tokens) are refused."""
    if isinstance(ids, (list, tuple)):
        if not all(is_whole(i) for i in ids):
            bad = next(i for i in ids if not is_whole(i))
            raise ConfigTypeError(f"nll_ids: token ids must be whole numbers (vocab.encode(text)), "
                                  f"got {bad!r}")
        return torch.tensor(ids, dtype=torch.long)
    dtype = getattr(ids, "dtype", None)
    if isinstance(dtype, torch.dtype):
        whole = not (dtype.is_floating_point or dtype.is_complex or dtype == torch.bool)
    else:  # a numpy array, a memory map, a prepared corpus's token file
        whole = dtype is not None and np.issubdtype(np.dtype(dtype), np.integer)
    if not whole:
        raise ConfigTypeError(f"nll_ids: expected token ids as whole numbers (a list, an integer "
                              f"tensor or numpy array: vocab.encode(text)), got "
                              f"{type(ids).__name__}{f' of {dtype}' if dtype is not None else ''}")
    if getattr(ids, "ndim", 1) != 1:
        raise ShapeError(f"nll_ids: expected one sequence of token ids (1-d), got shape "
                         f"{tuple(ids.shape)}")
    return ids
