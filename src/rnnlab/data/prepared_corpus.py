"""A prepared corpus opened (:func:`load_prepared`): the folder that
:func:`rnnlab.data.corpus_mmap.prepare_corpus` writes, checked against its ``corpus.json``,
as a :class:`PreparedCorpus`: ``ids`` is the read-only ``np.memmap`` of the whole array;
``train_ids`` and ``val_ids`` (what training reads) are
:class:`~rnnlab.data.token_file.TokenFile` views of the same file that read each batch's
windows with ``os.pread``: nothing is read until a batch is, and nothing stays resident."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional

import numpy as np

from ..io.errors import ConfigTypeError, DataError
from ..type_aliases import StrPath
from .text import Vocab
from .token_file import TokenFile

FORMAT = "rnnlab-corpus-1"


def id_dtype(vocab_size: int) -> np.dtype:
    """The smallest unsigned integer type that holds every id."""
    if vocab_size <= 2**8:
        return np.dtype(np.uint8)
    if vocab_size <= 2**16:
        return np.dtype(np.uint16)
    return np.dtype(np.uint32)


def is_prepared(path) -> bool:
    p = Path(path)
    return p.is_dir() and (p / "corpus.json").is_file()


@dataclass
class PreparedCorpus:
    """A prepared corpus folder: the vocabulary and memory-mapped token ids."""

    path: Path
    vocab: Vocab
    ids: np.memmap  # (N,) all token ids, memory-mapped (for your own analyses)
    train_tokens: int  # ids[:train_tokens] is the training part
    val_fraction: float
    meta: Dict[str, Any]  # corpus.json

    @property
    def tokens(self) -> TokenFile:
        """All ids, read on demand with ``os.pread`` (what training uses)."""
        return TokenFile(self.path / "tokens.bin", self.ids.dtype)

    @property
    def train_ids(self) -> TokenFile:
        return self.tokens[: self.train_tokens]

    @property
    def val_ids(self) -> TokenFile:
        return self.tokens[self.train_tokens:]

    def __getstate__(self):  # pickles as its path (for worker processes)
        return {"path": str(self.path)}

    def __setstate__(self, state):  # (checked by the process that sent it)
        self.__dict__.update(load_prepared(state["path"], verify=False).__dict__)


def load_prepared(path: StrPath, val_fraction: Optional[float] = None,
                  verify: bool = True) -> PreparedCorpus:
    """Open a folder written by :func:`prepare_corpus` (nothing is kept in memory);
    ``verify``: read tokens.bin once to check it against corpus.json's SHA-256."""
    p = Path(path)
    from ..io.json_file import read_json

    try:
        meta = read_json(p / "corpus.json", DataError)
        ok = meta.get("format") == FORMAT and meta.get("level") == "char"
        dtype = np.dtype(meta["dtype"])
        n, cut, saved_fraction = meta["tokens"], meta["train_tokens"], meta["val_fraction"]
        if type(n) is not int or type(cut) is not int or isinstance(saved_fraction, bool) \
                or not isinstance(saved_fraction, (int, float)):  # (int(true) was 1 token)
            raise ConfigTypeError(f"tokens {n!r} and train_tokens {cut!r} should be whole numbers, "
                                  f"val_fraction {saved_fraction!r} a number")
        if not 0.0 <= saved_fraction < 1.0:  # (NaN too)
            raise DataError(f"val_fraction {saved_fraction!r} is not in [0, 1)")
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise DataError(f"{p}: not a prepared corpus ({e}); run `rnnlab lm prepare`") from None
    if not ok or dtype.name not in ("uint8", "uint16", "uint32"):
        raise DataError(f"{p}/corpus.json: format {meta.get('format')!r}, level "
                        f"{meta.get('level')!r}, dtype {dtype.name}; this rnnlab reads {FORMAT!r} "
                        f"(char level, uint8/16/32 ids): prepare the corpus again with it "
                        f"(rnnlab lm prepare)")
    vocab = Vocab.load(p / "vocab.json")
    recorded = meta.get("vocab_size", len(vocab))
    if recorded != len(vocab) or not 0 < cut <= n:
        raise DataError(f"{p}: vocab.json holds {len(vocab)} tokens and corpus.json records "
                        f"{recorded}, with {cut} of {n} ids for training; the files were edited "
                        f"or come from two preparations: prepare the corpus again")
    if id_dtype(len(vocab)) != dtype:
        raise DataError(f"{p}: dtype {dtype} does not fit a vocabulary of {len(vocab)} "
                        f"(expected {id_dtype(len(vocab))}); the files were edited or come "
                        f"from two preparations: prepare the corpus again")
    bin_path = p / "tokens.bin"
    if not bin_path.is_file() or bin_path.stat().st_size != n * dtype.itemsize:
        raise DataError(f"{bin_path}: missing or not {n} x {dtype.itemsize} bytes; prepare again")
    if val_fraction is not None and abs(val_fraction - saved_fraction) > 1e-12:
        raise DataError(f"{p} was prepared with val_fraction {meta['val_fraction']} (the vocabulary "
                        f"is built over its training part); got {val_fraction}. Prepare it again "
                        f"with --val-fraction {val_fraction}, or train with --val-fraction "
                        f"{meta['val_fraction']}")
    if verify and meta.get("tokens_sha256"):  # (an edited id past the vocabulary was an
        from ..io.weights import sha256_file  # IndexError deep in training)

        if sha256_file(bin_path) != meta["tokens_sha256"]:
            raise DataError(f"{bin_path}: its SHA-256 is not the one corpus.json recorded: the "
                            f"token file was changed or damaged after `rnnlab lm prepare` "
                            f"wrote it; prepare the corpus again")
    ids = np.memmap(bin_path, dtype=dtype.newbyteorder("<"), mode="r", shape=(n,))
    if verify and int(ids.max()) >= len(vocab):  # (a vocabulary edited shorter: an
        raise DataError(f"{bin_path}: holds id {int(ids.max())}, past the {len(vocab)} tokens "
                        f"of vocab.json; the files were edited or come from two "
                        f"preparations: prepare the corpus again")  # IndexError when decoding)
    return PreparedCorpus(p, vocab, ids, cut, saved_fraction, meta)
