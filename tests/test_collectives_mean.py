"""``all_mean`` is ``all_sum`` divided by the number of ranks (one reduction, written once)."""

from __future__ import annotations

import torch

from rnnlab.train import collectives as C


def test_all_mean_is_the_sum_over_ranks_divided_by_their_number(monkeypatch):
    ctx = C.DistContext(rank=0, world_size=3)
    reduced = []

    def all_reduce(t):  # three ranks holding these values and 1, 2 more of each
        reduced.append(t.dtype)
        t.add_(t * 1 + t * 2)

    monkeypatch.setattr(C.dist, "all_reduce", all_reduce)
    assert C.all_sum([0.5, 2.0], ctx) == [2.0, 8.0]
    assert C.all_mean([0.5, 2.0], ctx) == [2.0 / 3, 8.0 / 3]
    assert reduced == [torch.float64, torch.float64]
    one = C.DistContext()
    assert C.all_mean([1, 2.5], one) == [1, 2.5] and C.all_sum([1], one) == [1]
