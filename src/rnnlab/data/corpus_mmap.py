"""Corpora larger than memory: encode once, train from a memory-mapped array.

``rnnlab lm prepare CORPUS --out DIR`` (:func:`prepare_corpus`) reads a UTF-8 text file
in fixed-size chunks (an incremental decoder joins multi-byte characters split across
chunk boundaries; ``\\r\\n`` split across chunks is handled too) and writes::

    DIR/tokens.bin    the token ids, raw little-endian uint8/uint16/uint32 (by vocab size)
    DIR/vocab.json    the vocabulary (:class:`rnnlab.data.text.Vocab`, same format)
    DIR/corpus.json   dtype, token counts, the train/validation cut, the SHA-256 of the
                      source and of tokens.bin (checked, in one read, when it is opened)

Character level only. The vocabulary is built over the training part (everything but
the last ``val_fraction`` of the characters) exactly as :meth:`Vocab.build` does in
memory (decreasing frequency, ties by code point: independent of discovery order), and
the text is normalised exactly as :func:`rnnlab.data.text.load_corpus` does (leading
BOM dropped, ``\\r\\n`` -> ``\\n``). So for the same text and seed the memory-mapped
pipeline yields exactly the in-memory pipeline's token ids and batches.

One streaming pass over the text (hash, first-appearance ids, counts), then one pass
over the id file to apply the vocabulary; memory is bounded by the chunk size, never
by the corpus size.
:func:`load_prepared` opens the folder as a :class:`PreparedCorpus`: ``ids`` is the
read-only ``np.memmap`` of the whole array; ``train_ids`` and ``val_ids`` (what training
reads) are :class:`~rnnlab.data.token_file.TokenFile` views of the same file that read each batch's windows with
``os.pread``: nothing is read until a batch is, and nothing stays resident.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

import numpy as np

from ..io.errors import DataError
from ..io.runlock import RunLock
from .text import UNK, Vocab, legacy_encoding, utf16_error
from .token_file import TokenFile

FORMAT = "rnnlab-corpus-1"
CHUNK_BYTES = 8 * 1024 * 1024
_MAX_CP = 0x110000
FIRST_IDS = "tokens.first.tmp"  # the first pass's ids, in order of first appearance
PREPARED_NAMES = ("tokens.bin", "vocab.json", "corpus.json")  # a prepared corpus, in write order


def _open_bytes(path: Path):
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def iter_text_chunks(path, chunk_bytes: int = CHUNK_BYTES, on_bytes=None) -> Iterator[str]:
    """Decoded, normalised text of a UTF-8 file, chunk by chunk (as ``load_corpus`` reads it).
    ``on_bytes(raw)`` sees every raw chunk too (to hash the file in the same pass)."""
    path = Path(path)
    dec = codecs.getincrementaldecoder("utf-8")("strict")
    first, pending_cr, consumed = True, False, 0
    with _open_bytes(path) as f:
        while True:
            data = f.read(chunk_bytes)
            final = not data
            if on_bytes is not None:
                on_bytes(data)
            wide = utf16_error(data, path) if consumed == 0 else None
            if wide is not None:  # (as load_corpus)
                raise wide
            nul = data.find(b"\x00")
            if nul >= 0:  # as load_corpus: anywhere in the file
                raise DataError(f"{path}: looks like a binary file (contains NUL bytes, the first "
                                f"at byte {consumed + nul}); expected a UTF-8 text file")
            try:
                text = dec.decode(data, final=final)
            except UnicodeDecodeError as e:
                raise DataError(f"{path}: not valid UTF-8 (byte {consumed + e.start}); convert it, "
                                f"e.g. `iconv -f {legacy_encoding(data)} -t utf-8 {path} > out.txt`"
                                ) from None
            consumed += len(data)
            if first and text:
                text = text.lstrip("\ufeff")  # as str.lstrip in load_corpus
                first = not text  # a chunk of only BOMs: keep stripping
            if pending_cr:
                text = "\r" + text
            pending_cr = text.endswith("\r") and not final
            if pending_cr:
                text = text[:-1]
            text = text.replace("\r\n", "\n")
            if text:
                yield text
            if final:
                return


def _read_ids(path: Path, start: int, stop: int, dtype: str, chunk_bytes: int):
    """Ids [start, stop) of a raw id file, a chunk at a time."""
    size = np.dtype(dtype).itemsize
    step = max(1, chunk_bytes // size)
    with open(path, "rb") as f:
        for lo in range(start, stop, step):
            f.seek(lo * size)
            yield np.frombuffer(f.read((min(stop, lo + step) - lo) * size), dtype=dtype).astype(np.intp)


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def id_dtype(vocab_size: int) -> np.dtype:
    """The smallest unsigned integer type that holds every id."""
    if vocab_size <= 2**8:
        return np.dtype(np.uint8)
    if vocab_size <= 2**16:
        return np.dtype(np.uint16)
    return np.dtype(np.uint32)


def prepare_corpus(source, out_dir, val_fraction: float = 0.1,
                   chunk_bytes: int = CHUNK_BYTES) -> "PreparedCorpus":
    """Encode the UTF-8 text file ``source`` into ``out_dir`` (see the module docstring)."""
    if not 0.0 <= val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in [0, 1), got {val_fraction!r}")
    source, out = Path(source), Path(out_dir)
    if not source.is_file():
        what = ("no such file" if not source.exists() else
                "is a directory" if source.is_dir() else "not a regular file")
        raise DataError(f"{source}: {what}; `lm prepare` takes a UTF-8 text file")
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    had = {name for name in PREPARED_NAMES if (out / name).exists()}
    lock = RunLock(out).acquire()  # (a killed run's folder is known by it: prepare_leftovers)
    try:
        return _encode(source, out, val_fraction, chunk_bytes)
    except BaseException:  # an empty or bad text, a full disk, Ctrl-C: no temporary (of
        # the corpus's size), no half corpus (tokens.bin without corpus.json) and no empty
        # folder of ours left behind
        for name in {FIRST_IDS, *PREPARED_NAMES} - had:
            (out / name).unlink(missing_ok=True)
        lock.release()
        if created and out.is_dir() and not any(out.iterdir()):
            out.rmdir()
        raise
    finally:
        lock.release()


def _encode(source: Path, out: Path, val_fraction: float, chunk_bytes: int):
    # One streaming pass over the text: hash it, give each character an id in order of
    # first appearance, count them, write those ids. The vocabulary (built over the
    # training part, so its order needs the final length) is then applied by one pass
    # over the id file; the text is never read twice.
    sha = hashlib.sha256()
    first_id = np.full(_MAX_CP, -1, dtype=np.int64)  # code point -> first-appearance id
    order: list = []  # code points by first appearance
    counts = np.zeros(0, dtype=np.int64)  # per first-appearance id, whole text
    first_path = out / FIRST_IDS  # (removed by prepare_corpus when this raises)
    n = 0
    with open(first_path, "wb") as f:
        for text in iter_text_chunks(source, chunk_bytes, on_bytes=sha.update):
            cps = _code_points(text)
            new = np.unique(cps[first_id[cps] < 0])
            first_id[new] = np.arange(len(order), len(order) + len(new))
            order.extend(int(c) for c in new)
            ids = first_id[cps].astype(np.uint32)
            counts = np.pad(counts, (0, len(order) - len(counts)))
            counts += np.bincount(ids, minlength=len(order))
            f.write(ids.astype("<u4", copy=False).tobytes())
            n += len(ids)
    if n == 0:
        raise DataError(f"{source}: the file is empty; expected some text")
    if n < 2:  # nothing to learn: a language model predicts the next character
        raise DataError(f"{source}: holds {n} character; a language model needs at least 2 "
                        f"(one to read, one to predict): pass a longer text")
    cut = n - int(round(n * val_fraction))  # as split_text
    train_counts = counts.copy()  # minus the validation tail, read back from the id file
    for ids in _read_ids(first_path, cut, n, "<u4", chunk_bytes):
        train_counts -= np.bincount(ids, minlength=len(order))
    chars = [(int(train_counts[i]), chr(order[i])) for i in range(len(order))
             if train_counts[i] > 0 and chr(order[i]) != UNK]
    chars.sort(key=lambda ct: (-ct[0], ct[1]))  # as Vocab.build
    vocab = Vocab((UNK,) + tuple(t for _, t in chars), "char")
    dtype = id_dtype(len(vocab))
    remap = np.zeros(len(order), dtype=dtype)  # first-appearance id -> vocabulary id (0: unknown)
    index = {t: i for i, t in enumerate(vocab.tokens)}
    for i, c in enumerate(order):
        remap[i] = index.get(chr(c), 0)
    from ..io.atomic import atomic_write_json, atomic_write_stream
    from ..io.versions import versions

    # plain sequential writes (not through a writable memmap, whose dirty pages would
    # count against this process's memory until the kernel writes them back), fsynced
    # and renamed into place as every file of rnnlab's: a power cut after corpus.json
    # cannot leave a tokens.bin of zeros behind it
    tokens_sha = hashlib.sha256()  # (load_prepared checks the file against it)
    with atomic_write_stream(out / "tokens.bin") as f:
        for ids in _read_ids(first_path, 0, n, "<u4", chunk_bytes):
            raw = remap[ids].astype(dtype.newbyteorder("<"), copy=False).tobytes()
            tokens_sha.update(raw)
            f.write(raw)
    first_path.unlink()
    vocab.save(out / "vocab.json")

    atomic_write_json(out / "corpus.json", {
        "format": FORMAT, "level": "char", "dtype": dtype.name, "tokens": n,
        "train_tokens": cut, "val_fraction": val_fraction, "vocab_size": len(vocab),
        "source": str(source), "source_sha256": sha.hexdigest(),
        "tokens_sha256": tokens_sha.hexdigest(), "versions": versions()}, checksum=True)
    return load_prepared(out, verify=False)  # (hashed as written)


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
    meta: dict

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


def load_prepared(path, val_fraction: Optional[float] = None,
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
            raise TypeError(f"tokens {n!r} and train_tokens {cut!r} should be whole numbers, "
                            f"val_fraction {saved_fraction!r} a number")
        if not 0.0 <= saved_fraction < 1.0:  # (NaN too)
            raise ValueError(f"val_fraction {saved_fraction!r} is not in [0, 1)")
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
        raise DataError(f"{p}: dtype {dtype} does not fit a vocabulary of {len(vocab)}")
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
