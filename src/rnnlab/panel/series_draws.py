"""Random draws of a likelihood model, series by series.

Each series' samples come from a generator of its own, seeded by the model's seed, the
ensemble member and the series' id, so a series' forecast (its mean and quantiles, read
from the samples) is the same whichever other series are forecast with it. One stream for
the whole batch gave a series other draws when another series was added, dropped or left
out as too short: ``predict(history=...)`` of a few series, a backtest's later origins
and ``rnnlab forecast --run`` on part of the data disagreed with the forecast of all the
series (a mean 0.26 apart on a series of sd 1, 200 samples).

Draws are laid out as the heads sample them: (n, R, H) with R = reps x S rows, row ``r``
belonging to series ``r % S`` (the direct strategy: reps 1; the recursive one: the N
copies of every series' window, stacked copy after copy). Gamma and Poisson draws (a t's,
a negative binomial's) come from streams of their own, step after step (:func:`_step_major`),
so that a step's draws do not move with the parameters of the steps after it.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
import torch
from torch import Tensor

from ..io.errors import DataError


@lru_cache(maxsize=1 << 16)  # (an in-sample table asks it for each of 12,000 windows)
def series_seed(seed: int, member: int, uid: str) -> int:
    """The seed of series ``uid``'s generator for ensemble member ``member``."""
    key = int.from_bytes(hashlib.blake2b(str(uid).encode(), digest_size=8).digest(), "little")
    return int(np.random.SeedSequence([int(seed), int(member), key]).generate_state(
        1, np.uint64)[0])


@lru_cache(maxsize=1 << 16)
def _stream_seed(seed: int, kind: int) -> int:
    """The seed of a series' stream ``kind`` of draws, from its generator's ``seed``."""
    return int(np.random.SeedSequence([seed, kind]).generate_state(1, np.uint64)[0])


class SeriesDraws:
    """Standard normal, gamma and Poisson draws, each series' from its own generator.

    A series may come more than once (:mod:`.insample`: its windows at many cutoffs), each
    row a generator of its own seeded alike: the normal draws of such rows whose generators
    are all still unused are one draw, copied (each generator then left as that draw left
    its own), not one ``randn`` per row; the values are the same."""

    def __init__(self, seed: int, member: int, ids: Sequence[str]):
        self.seeds = [series_seed(seed, member, u) for u in ids]
        self.gens = [torch.Generator().manual_seed(s) for s in self.seeds]
        self._unused = [True] * len(ids)  # (of the normal draws' generators)
        self._streams: dict = {}  # kind -> each series' generator (:meth:`_stream`)

    def normal(self, shape) -> Tensor:
        """(n, R, H) standard normal values."""
        first: dict = {}  # seed -> (draw, generator state after it) of an unused generator

        def draw(rows: Tensor, g: torch.Generator, i: int) -> Tensor:
            if not self._unused[i]:
                return torch.randn(rows.shape, generator=g)
            if self.seeds[i] not in first:
                z = torch.randn(rows.shape, generator=g)
                first[self.seeds[i]] = (z, g.get_state())
                return z
            z, state = first[self.seeds[i]]
            g.set_state(state)
            return z

        return self._each(torch.empty(shape), draw, with_row=True)

    def gamma(self, concentration: Tensor) -> Tensor:
        """Standard gamma values of the given concentrations (n, R, H), as torch's
        ``Gamma.sample`` (clamped at the least positive float); a stream of their own,
        step after step (:func:`_step_major`)."""
        out = self._each(concentration, _step_major(
            lambda a, g: torch._standard_gamma(a, generator=g)), gens=self._stream(1))
        return out.clamp_(min=torch.finfo(out.dtype).tiny)

    def poisson(self, rate: Tensor) -> Tensor:
        """Poisson counts of the given rates (n, R, H); a stream of their own, step after
        step (:func:`_step_major`)."""
        return self._each(rate, _step_major(lambda r, g: torch.poisson(r, generator=g)),
                          gens=self._stream(2))

    def _stream(self, kind: int) -> list:
        """Each series' generator of the draws of ``kind`` (1: gamma, 2: Poisson), made at
        its first use and going on from call to call as the normal draws' do."""
        if kind not in self._streams:
            self._streams[kind] = [torch.Generator().manual_seed(_stream_seed(s, kind))
                                   for s in self.seeds]
        return self._streams[kind]

    def _each(self, like: Tensor, draw: Callable, with_row: bool = False,
              gens=None) -> Tensor:
        """``draw(rows of series i, generator i)`` (and ``i`` with ``with_row``) for each
        series, into one (n, R, H), from ``gens`` (default: the normal draws'). Each
        series' rows are gathered by one permute of the whole (n, reps, S, H), not a
        strided copy per series."""
        S = len(self.gens)
        if like.shape[1] % S:
            raise DataError(f"draws for {S} series: expected rows a multiple of {S}, "
                            f"got {like.shape[1]}")
        n, reps = like.shape[0], like.shape[1] // S
        shape = (n, reps, S) + tuple(like.shape[2:])
        order = (2, 0, 1) + tuple(range(3, len(shape)))  # (S, n, reps, H): series first
        rows = like.reshape(shape).permute(order)
        rows = rows if with_row else rows.contiguous()  # (normal reads the shape only)
        out = torch.empty(rows.shape, dtype=like.dtype, device=like.device)
        for i, g in enumerate(self.gens if gens is None else gens):
            out[i] = draw(rows[i], g, i) if with_row else draw(rows[i], g)
            self._unused[i] = self._unused[i] and gens is not None
        back = [0] * len(order)
        for k, o in enumerate(order):
            back[o] = k
        return out.permute(back).reshape(like.shape)


def _step_major(draw: Callable) -> Callable:
    """``draw`` of one series' rows (n, reps, H) made step after step: the values of step
    1, then of step 2, ... A gamma or Poisson sampler takes as many random numbers as each
    value's parameter asks, so drawn sample after sample (and after another kind's draws
    on one generator) a step's values moved with the parameters of the steps after it: an
    in-sample cutoff near a series' end, whose steps past the end read filled covariates
    (:mod:`.insample_future`), gave its kept steps other draws than ``predict`` with
    another future there. Now a step's draws depend on its own and earlier steps' only."""
    return lambda rows, g: draw(rows.movedim(-1, 0).contiguous(), g).movedim(0, -1)
