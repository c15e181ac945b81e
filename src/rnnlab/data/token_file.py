"""``TokenFile``: a read-only array of token ids in a file, read with ``os.pread``.

What training reads of a prepared corpus (:mod:`rnnlab.data.corpus_mmap`): slices are
views, and a gather of position rows reads each row's span with one ``os.pread``; nothing
is mapped, so nothing stays resident.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Optional, overload

import numpy as np

from ..io.errors import DataError
from ..type_aliases import StrPath

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike


class TokenFile:
    """A read-only 1-D array of token ids in a file, read with ``os.pread``.

    Behaves like the ``np.memmap`` of the same file for what training needs (``len``,
    slices, and gathers ``a[pos]`` of integer position arrays whose rows are contiguous
    runs, as batches and perplexity chunks are) but maps nothing: a read costs only its
    own bytes. (Reading through an ``np.memmap`` instead made the resident set grow by a
    whole page-cache folio, up to 2 MB, per window touched on this machine's kernel, so
    training's RSS grew with the corpus; see benchmarks/SCALING.md.)
    """

    def __init__(self, path: StrPath, dtype: DTypeLike, start: int = 0,
                 stop: Optional[int] = None):
        self.path, self.dtype = str(path), np.dtype(dtype).newbyteorder("<")
        n = os.path.getsize(self.path) // self.dtype.itemsize
        self.start, self.stop = start, n if stop is None else stop
        self._fd: Optional[int] = None
        self._pid: Optional[int] = None

    def _file(self) -> int:
        if self._fd is None or self._pid != os.getpid():  # (re)open after a fork/spawn
            self._fd, self._pid = os.open(self.path, os.O_RDONLY), os.getpid()
        return self._fd

    def __len__(self) -> int:
        return self.stop - self.start

    def _read(self, lo: int, hi: int) -> np.ndarray:
        """Ids ``[lo, hi)`` of this view (0 <= lo <= hi <= len)."""
        size = self.dtype.itemsize
        want = (hi - lo) * size
        buf = os.pread(self._file(), want, (self.start + lo) * size)
        if len(buf) != want:
            raise DataError(f"{self.path}: short read (the file changed?)")
        return np.frombuffer(buf, dtype=self.dtype)

    @overload
    def __getitem__(self, key: slice) -> "TokenFile": ...  # a span, read on demand
    @overload
    def __getitem__(self, key: int) -> np.integer[Any]: ...  # one id
    @overload
    def __getitem__(self, key: ArrayLike) -> np.ndarray: ...  # ids at those positions

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            lo, hi, step = key.indices(len(self))
            if step != 1:
                raise IndexError("TokenFile: slices with a step are not supported")
            return TokenFile(self.path, self.dtype, self.start + lo, self.start + max(lo, hi))
        pos = np.asarray(key, dtype=np.int64)
        if pos.ndim == 0:
            i = int(pos) + (len(self) if pos < 0 else 0)
            if not 0 <= i < len(self):
                raise IndexError(f"index {int(pos)} out of range for {len(self)} tokens")
            return self._read(i, i + 1)[0]
        rows = pos.reshape(-1, pos.shape[-1]) if pos.ndim > 1 else pos[None, :]
        out = np.empty(rows.shape, dtype=self.dtype)
        for r, row in enumerate(rows):  # each row: one read of the span it covers
            if row.size == 0:
                continue
            lo, hi = int(row.min()), int(row.max()) + 1
            if lo < 0 or hi > len(self):
                raise IndexError(f"positions [{lo}, {hi}) out of range for {len(self)} tokens")
            out[r] = self._read(lo, hi)[row - lo]
        return out.reshape(pos.shape)

    def __array__(self, dtype=None, copy=None):
        a = self._read(0, len(self))
        return a.astype(dtype) if dtype is not None else a

    def tolist(self) -> list:
        return self._read(0, len(self)).tolist()

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k not in ("_fd", "_pid")}

    def __setstate__(self, state):
        self.__dict__.update(state, _fd=None, _pid=None)

    def __del__(self):
        if getattr(self, "_fd", None) is not None and self._pid == os.getpid():
            try:
                os.close(self._fd)
            except OSError:
                pass
