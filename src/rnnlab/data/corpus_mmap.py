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

The text is read by :mod:`.text_chunks`; the folder is opened by :func:`load_prepared`
(:mod:`.prepared_corpus`), whose names are importable from here too.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from ..io.errors import ConfigError, DataError
from ..io.runlock import RunLock
# (X as X: the names callers import from here, exported to type checkers too)
from .prepared_corpus import (FORMAT, PreparedCorpus as PreparedCorpus, id_dtype,
                              is_prepared as is_prepared, load_prepared as load_prepared)
from .text import UNK, Vocab
from .text_chunks import CHUNK_BYTES, iter_text_chunks
from .token_file import TokenFile as TokenFile

_MAX_CP = 0x110000
FIRST_IDS = "tokens.first.tmp"  # the first pass's ids, in order of first appearance
PREPARED_NAMES = ("tokens.bin", "vocab.json", "corpus.json")  # a prepared corpus, in write order


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


def prepare_corpus(source, out_dir, val_fraction: float = 0.1,
                   chunk_bytes: int = CHUNK_BYTES) -> "PreparedCorpus":
    """Encode the UTF-8 text file ``source`` into ``out_dir`` (see the module docstring)."""
    if not 0.0 <= val_fraction < 1.0:
        raise ConfigError(f"val_fraction must be in [0, 1), got {val_fraction!r}")
    source, out = Path(source), Path(out_dir)
    if not source.is_file():
        hint = "`lm prepare` takes a UTF-8 text file"
        if not source.exists():  # (or a link leading nowhere: said so)
            from ..io.unreadable import absent

            raise DataError(absent(source, hint))
        what = "is a directory" if source.is_dir() else "not a regular file"
        raise DataError(f"{source}: {what}; {hint}")
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

