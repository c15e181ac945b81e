"""A validation text given beside the training text: ``CharLM.fit(text, val_text=...)``,
``rnnlab lm train --val-text FILE_OR_NAME``.

Corpora with their own splits (Penn Treebank's ptb.char.valid.txt, the 5M-character
validation cut of text8 or enwik8) are validated on that text: all of ``text`` then
trains, and ``val_fraction`` (the last part of ``text`` held out) is not used; the two are
refused together. The validation text is encoded with the training text's vocabulary (a
character it lacks: the unknown token, as in a carved validation part) and scored by
:func:`.model.token_nll`, as ``bits_per_char`` and ``lm eval`` score. Its SHA-256 is
recorded (``lm.info['val_data_sha256']``, the checkpoints' ``split``, the run's
config.json and metrics.json), and a resume on another validation text is refused.
"""

from __future__ import annotations

from typing import Optional

from ..data.text import Vocab, split_text
from ..io.errors import DataError, OptionError


def check_val_choice(val_text, fraction_given: bool, fraction=None) -> None:
    """Refuse a validation text given together with ``val_fraction``, and what is not
    a text (a file name, bytes, a prepared corpus)."""
    if val_text is None:
        return
    if fraction_given:
        raise OptionError(f"fit: val_text (the validation text given) and val_fraction="
                          f"{fraction!r} (the last part of the text held out) both choose the "
                          f"validation part; pass one of them (--val-text or --val-fraction)")
    from ..data.corpus_mmap import PreparedCorpus
    from .inputs import check_text

    if isinstance(val_text, PreparedCorpus):
        raise DataError(f"fit: val_text: expected the validation text as a str, got the "
                        f"prepared corpus {val_text.path}; pass load_corpus(path) of its "
                        f"text file")
    check_text(val_text, "fit: val_text")


def training_text(text, val_fraction: float, level: str, val_text=None):
    """The part of ``text`` trained on: all of it beside a given validation text."""
    return text if val_text is not None else split_text(text, val_fraction, level)[0]


def text_ids(text, vocab: Vocab):
    """The ids of ``text`` (unknown tokens as the unknown id), of the vocabulary's type:
    a tensor (torch imported here: ``lm train --help`` imports this module)."""
    import torch

    return torch.from_numpy(vocab.encode_array(text, vocab.id_dtype()))


def val_identity(val_text) -> Optional[str]:
    """SHA-256 of the validation text given (None: the part carved off the text)."""
    if val_text is None:
        return None
    from ..io.rundir import data_hash

    return data_hash(val_text)


def split_record(val_fraction: float, val_text=None) -> dict:
    """How the validation part was chosen, as the checkpoints' meta.json records it."""
    if val_text is None:
        return {"val_fraction": val_fraction}
    return {"val_text_sha256": val_identity(val_text)}


def check_resumed_val_text(checkpoint_dir, saved: dict, val_text) -> bool:
    """Refuse a resume whose validation text is not its checkpoint's (``saved``: the
    checkpoint's ``split``). True when the checkpoint validated on a given text (or this
    fit gives one): the ``val_fraction`` check then has nothing to compare."""
    was, now = saved.get("val_text_sha256"), val_identity(val_text)
    if was is None and now is None:
        return False
    if was is None:
        frac = saved.get("val_fraction")
        raise DataError(f"cannot resume {checkpoint_dir} with a validation text (val_text, "
                        f"--val-text): its checkpoint validated on the last part of the "
                        f"training text (val_fraction={frac!r}), a loss on other text; resume "
                        f"without val_text, or start a new run")
    if now is None:
        raise DataError(f"cannot resume {checkpoint_dir} without its validation text: its "
                        f"checkpoint validated on a text given beside the training text "
                        f"(SHA-256 {str(was)[:12]}…); resume with that text (val_text=..., "
                        f"--val-text FILE), or start a new run")
    if now != was:
        raise DataError(f"cannot resume {checkpoint_dir} on another validation text: its "
                        f"checkpoint validated on one of SHA-256 {str(was)[:12]}…, this one's "
                        f"is {now[:12]}…; the best epoch would be picked among losses on two "
                        f"texts. Resume with the run's own validation text, or start a new run")
    return True


def load_val_text(a):
    """(the validation text, its SHA-256) of ``rnnlab lm train --val-text FILE_OR_NAME``
    (a built-in corpus or a UTF-8 file), or (None, None) without it; refused with a
    ``--val-fraction`` typed (or set by --config)."""
    if getattr(a, "val_text", None) is None:
        return None, None
    if "val_fraction" in (getattr(a, "given_options", None) or ()):
        raise OptionError(f"--val-text {a.val_text} validates on that text (all of --corpus "
                          f"trains) and --val-fraction {a.val_fraction} holds the last part of "
                          f"--corpus out for validation; pass one of them")
    from ..data.text import load_corpus

    try:
        text = load_corpus(a.val_text)
    except DataError as e:  # (it said "corpus ...": the option read is named)
        raise DataError(f"--val-text: {e}") from None
    return text, val_identity(text)
