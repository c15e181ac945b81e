"""The language-model network: token ids -> embedding or one-hot -> recurrent body -> logits."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ..nn.registry import ModelSpec, build_model
from .config import LMConfig


class LMNet(nn.Module):
    """``forward(ids (B, T), state=None) -> (logits (B, T, V), state)``.

    Inputs are a learned embedding (``cfg.embedding > 0``) or one-hot vectors (as the
    articles); the body is any unidirectional architecture of the registry; a linear
    layer maps its outputs to scores over the vocabulary. Dropout is applied to the
    inputs, between stacked layers (by the body) and before the output layer.
    """

    def __init__(self, cfg: LMConfig, vocab_size: int):
        super().__init__()
        self.vocab_size = vocab_size
        self.embed = nn.Embedding(vocab_size, cfg.embedding) if cfg.embedding > 0 else None
        in_size = cfg.embedding if cfg.embedding > 0 else vocab_size
        self.body = build_model(ModelSpec(
            name=cfg.model, input_size=in_size, hidden_size=cfg.hidden_size,
            num_layers=cfg.num_layers, dropout=cfg.dropout, depth=cfg.depth,
            nonlinearity=cfg.nonlinearity))
        if self.body.bidirectional:  # LMConfig refuses these already; keep the invariant here too
            raise ValueError(f"model {cfg.model!r} is bidirectional; a language model must not "
                             f"read the future")
        self.drop = nn.Dropout(cfg.dropout)
        self.head = nn.Linear(self.body.output_size, vocab_size)

    def forward(self, ids: Tensor, state=None):
        if self.embed is not None:
            x = self.embed(ids)  # (B, T, E)
        else:
            x = F.one_hot(ids, self.vocab_size).to(self.head.weight.dtype)  # (B, T, V)
        out, state = self.body(self.drop(x), state)  # (B, T, H)
        return self.head(self.drop(out)), state  # (B, T, V)


@torch.no_grad()
def token_nll(net: LMNet, ids: Tensor, streams: int = 16, chunk: int = 256) -> tuple[float, int]:
    """Total negative log-likelihood (nats) of ``ids[1:]`` given everything before it.

    The text is cut into ``streams`` contiguous parts run side by side, each carrying its
    state across chunks of ``chunk`` steps through its whole part; every token but the
    first is scored exactly once. (Each part after the first starts from a fresh state.)
    Returns ``(total_nll, count)``.
    """
    was_training = net.training
    net.eval()
    device = net.head.weight.device
    n = len(ids) - 1
    if n < 1:
        raise ValueError("need at least 2 tokens to measure perplexity")
    streams = max(1, min(streams, n // 64 or 1))
    L = -(-n // streams)  # ceil
    pad = streams * L - n
    x = torch.cat([ids[:-1], ids.new_zeros(pad)]).view(streams, L)  # (S, L)
    y = torch.cat([ids[1:], ids.new_full((pad,), -100)]).view(streams, L)  # -100: ignored
    total, state = 0.0, None
    try:
        for t in range(0, L, chunk):
            xb, yb = x[:, t:t + chunk].to(device), y[:, t:t + chunk].to(device)
            logits, state = net(xb, state)
            total += float(F.cross_entropy(logits.reshape(-1, logits.shape[-1]).double(),
                                           yb.reshape(-1), ignore_index=-100, reduction="sum"))
    finally:
        net.train(was_training)
    return total, n
