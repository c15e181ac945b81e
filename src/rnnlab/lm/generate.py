"""Text generation: the prefix warms the state up, then greedy, temperature or top-k sampling."""

from __future__ import annotations

import math
from typing import Optional

import numpy as np
import torch

from ..data.text import Vocab
from .model import LMNet


@torch.no_grad()
def generate(net: LMNet, vocab: Vocab, prefix: str, n: int, temperature: float = 1.0,
             top_k: Optional[int] = None, seed: int = 0) -> str:
    """``prefix`` followed by ``n`` generated tokens.

    ``temperature=0`` is greedy (always the most likely token); otherwise the scores are
    divided by ``temperature`` and, when ``top_k`` is given, only the ``top_k`` most
    likely tokens can be drawn. The draw uses its own generator seeded with ``seed``, so
    the same call gives the same text and leaves torch's global RNG untouched.
    Prefix tokens not in the vocabulary are read as the unknown token (and shown as
    they were typed); the model never generates the unknown token.
    """
    if not prefix:
        raise ValueError("generate: the prefix is empty; give at least one character to start from")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"generate: n must be a whole number of tokens >= 0, got {n!r}")
    if not isinstance(temperature, (int, float)) or not math.isfinite(temperature) \
            or temperature < 0:
        raise ValueError(f"generate: temperature must be a finite number >= 0 (0 = greedy), "
                         f"got {temperature!r}")
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer))
                              or top_k < 1):
        raise ValueError(f"generate: top_k must be a whole number >= 1 or None, got {top_k!r}")
    was_training = net.training
    net.eval()
    device = net.head.weight.device
    gen = torch.Generator().manual_seed(seed)
    ids = torch.tensor([vocab.encode(prefix)], dtype=torch.long, device=device)  # (1, P)
    out = []
    try:
        logits, state = net(ids, None)
        last = logits[0, -1].float().cpu()  # (V,)
        for _ in range(n):
            last[vocab.unk_id] = -float("inf")
            if temperature == 0:
                nxt = int(last.argmax())
            else:
                scores = last / temperature
                if top_k is not None and top_k < scores.numel():
                    kth = torch.topk(scores, top_k).values[-1]
                    scores = scores.masked_fill(scores < kth, -float("inf"))
                nxt = int(torch.multinomial(torch.softmax(scores, -1), 1, generator=gen))
            out.append(nxt)
            logits, state = net(torch.tensor([[nxt]], device=device), state)
            last = logits[0, -1].float().cpu()
    finally:
        net.train(was_training)
    return prefix + vocab.decode(out)
