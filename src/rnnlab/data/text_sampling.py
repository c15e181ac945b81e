"""Minibatches of a token sequence for language models: the articles' two schemes.

Both are pure functions of ``(seed, epoch, index)``: no iterator state, so training
resumes exactly and can be sharded.

* **Sequential** (consecutive) sampling: the token stream is cut into ``batch_size``
  contiguous streams; batch ``i`` holds the ``i``-th window of ``seq_len`` tokens of each
  stream, so row ``b`` of batch ``i+1`` continues row ``b`` of batch ``i`` and the
  recurrent state is carried across batches (truncated BPTT over ``seq_len`` steps).
  Each epoch starts at a random offset in ``[0, seq_len)``, as today's d2l samplers do;
  d2l-zh's (``data_iter_consecutive``, which the d2l-style article's code uses, and
  ``data_iter_random``) cut the text from its first token every epoch.
* **Random** sampling: windows at ``offset + k * seq_len``, shuffled each epoch; the
  state is reset for every batch.

``ids`` is a tensor or any 1-D numpy array, e.g. an ``np.memmap`` of a prepared corpus
(:mod:`rnnlab.data.corpus_mmap`): a batch reads only its own windows, and yields the same
int64 batches as the in-memory tensor of the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, List, Optional, Tuple

import numpy as np
import torch
from torch import Tensor

from .text import SAMPLINGS  # (torch-free there: rnnlab lm's parser reads it)
from ..io.errors import ConfigError


def gather_ids(ids, pos: np.ndarray) -> Tensor:
    """``ids[pos]`` as an int64 tensor, for a tensor or a (memory-mapped) numpy array;
    only the positions asked for are read."""
    if isinstance(ids, Tensor):
        return ids[torch.from_numpy(np.ascontiguousarray(pos, dtype=np.int64))].long()
    return torch.from_numpy(np.asarray(ids[pos], dtype=np.int64))


def epoch_offset(seed: int, epoch: int, seq_len: int) -> int:
    """The random start of an epoch's windows, in ``[0, seq_len)``."""
    return int(np.random.default_rng([seed, epoch, 1]).integers(0, seq_len))


def sequential_streams(n_tokens: int, batch_size: int, seq_len: int, offset: int = 0,
                       rank: int = 0, world_size: int = 1) -> Tuple[List[int], int, int]:
    """Layout of sequential sampling: ``(starts, stream_len, num_batches)``.

    The ``n_tokens - 1 - offset`` (input, target) positions after ``offset`` are cut into
    ``batch_size`` contiguous streams of ``stream_len`` positions; ``starts`` are the first
    positions of the streams that ``rank`` of ``world_size`` owns: a contiguous block of
    streams (rows ``rank * B / W`` to ``(rank + 1) * B / W``), the same rows that
    :func:`rnnlab.train.collectives.shard_rows` gives that rank, so its carried state
    stays its own. ``num_batches`` is the same for every rank.
    """
    if world_size < 1 or not 0 <= rank < world_size:
        raise ConfigError(f"rank must be in [0, world_size), got rank={rank}, world_size={world_size}")
    stream_len = (n_tokens - 1 - offset) // batch_size
    num_batches = stream_len // seq_len
    lo, hi = _rank_rows(batch_size, rank, world_size)
    return [offset + b * stream_len for b in range(lo, hi)], stream_len, num_batches


def _rank_rows(n: int, rank: int, world: int) -> Tuple[int, int]:
    """Rows ``[lo, hi)`` of ``rank``: exactly :func:`rnnlab.train.collectives.shard_rows`
    (contiguous blocks, sizes differ by at most one, the larger ones first)."""
    base, extra = divmod(n, world)
    lo = rank * base + min(rank, extra)
    return lo, lo + base + (1 if rank < extra else 0)


@dataclass(frozen=True)
class TextSampler:
    """Batches ``(x, y)`` of shape (B, T) (ids; ``y`` is ``x`` shifted by one) of ``ids``."""

    ids: Tensor  # (N,) int64 token ids, or a 1-D numpy array / np.memmap of ids
    batch_size: int  # B: rows (streams or windows) per batch
    seq_len: int  # T: time steps per batch (the truncated-BPTT length)
    sampling: str = "sequential"  # sequential | random
    seed: int = 0  # fixes each epoch's offset and (random) order
    # (epoch, offset, permutation) of the last epoch asked, set on each instance by
    # __post_init__ and _random_order (ClassVar: no dataclass field)
    _order_cache: ClassVar[Optional[Tuple[int, int, np.ndarray]]]

    def __post_init__(self):
        if self.sampling not in SAMPLINGS:
            raise ConfigError(f"sampling must be one of {SAMPLINGS}, got {self.sampling!r}")
        object.__setattr__(self, "_order_cache", None)  # (epoch, offset, permutation)

    @property
    def carries_state(self) -> bool:
        return self.sampling == "sequential"

    def min_tokens(self) -> int:
        """The fewest tokens for one batch in every epoch (whatever the offset)."""
        return self.batch_size * self.seq_len + self.seq_len  # + the largest offset + 1

    def _offset(self, epoch: int) -> int:
        return epoch_offset(self.seed, epoch, self.seq_len)

    def _random_order(self, epoch: int) -> Tuple[int, np.ndarray]:
        """The epoch's window order (cached for the last epoch asked: a pure function)."""
        cached = self._order_cache
        if cached is not None and cached[0] == epoch:
            return cached[1], cached[2]
        off = self._offset(epoch)
        n_windows = (len(self.ids) - 1 - off) // self.seq_len
        # = rng.permutation(n_windows), built in uint32 (same order, half the memory:
        # 4 bytes per window, i.e. 4 / seq_len bytes per token of a large corpus)
        perm = np.arange(n_windows, dtype=np.uint32 if n_windows < 2**32 else np.int64)
        np.random.default_rng([self.seed, epoch, 2]).shuffle(perm)
        object.__setattr__(self, "_order_cache", (epoch, off, perm))
        return off, perm

    def num_batches(self, epoch: int) -> int:
        if self.sampling == "sequential":
            return sequential_streams(len(self.ids), self.batch_size, self.seq_len,
                                      self._offset(epoch))[2]
        return len(self._random_order(epoch)[1]) // self.batch_size

    def starts(self, epoch: int, index: int, rank: int = 0, world_size: int = 1) -> List[int]:
        """First positions of the rows of batch ``index`` (for the given rank's rows)."""
        if not 0 <= index < self.num_batches(epoch):
            raise IndexError(f"batch {index} out of range: epoch {epoch} has "
                             f"{self.num_batches(epoch)} batches")
        if self.sampling == "sequential":
            s, _, _ = sequential_streams(len(self.ids), self.batch_size, self.seq_len,
                                         self._offset(epoch), rank, world_size)
            return [p + index * self.seq_len for p in s]
        off, perm = self._random_order(epoch)
        rows = perm[index * self.batch_size:(index + 1) * self.batch_size]
        lo, hi = _rank_rows(self.batch_size, rank, world_size)
        return [off + int(k) * self.seq_len for k in rows[lo:hi]]

    def get_batch(self, epoch: int, index: int) -> Tuple[Tensor, Tensor]:
        starts = np.asarray(self.starts(epoch, index), dtype=np.int64)
        pos = starts[:, None] + np.arange(self.seq_len + 1)[None, :]  # (B, T + 1)
        w = gather_ids(self.ids, pos)
        return w[:, :-1].contiguous(), w[:, 1:].contiguous()
