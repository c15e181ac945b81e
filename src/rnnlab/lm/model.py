"""The language-model network: token ids -> embedding or one-hot -> recurrent body -> logits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ..nn.registry import build_model
from .config import LMConfig
from .eval_mode import in_eval_mode
from .run_report import format_perplexity, perplexity_of_bits  # (torch-free there)
from ..io.errors import ConfigError, DataError


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
        self.body = build_model(cfg.model_spec(in_size))
        if self.body.bidirectional:  # LMConfig refuses these already; keep the invariant here too
            raise ConfigError(f"model {cfg.model!r} is bidirectional; a language model must not "
                              f"read the future")
        self.drop = nn.Dropout(cfg.dropout)
        self.head = nn.Linear(self.body.output_size, vocab_size)

    if TYPE_CHECKING:  # module(x) as forward (torch.nn.Module's __call__ is Any to a checker)
        def __call__(self, ids: Tensor, state: Any = None) -> Tuple[Tensor, Any]: ...

    def forward(self, ids: Tensor, state: Any = None) -> Tuple[Tensor, Any]:
        """``ids`` (B, T) from ``state`` (None: zeros) -> ``(logits (B, T, V), state)``."""
        if self.embed is not None:
            x = self.embed(ids)  # (B, T, E)
        else:
            x = F.one_hot(ids, self.vocab_size).to(self.head.weight.dtype)  # (B, T, V)
        out, state = self.body(self.drop(x), state)  # (B, T, H)
        return self.head(self.drop(out)), state  # (B, T, V)


EVAL_SCORES = 2 ** 24  # most next-token scores token_nll computes at once (64 MB in float32)


@torch.no_grad()
def token_nll(net: LMNet, ids: Any, streams: int = 16, chunk: int = 256,
              skip_id: Optional[int] = None) -> tuple[float, int]:
    """Total negative log-likelihood (nats) of ``ids[1:]`` given everything before it.

    The text is cut into ``streams`` contiguous parts run side by side (fewer where a part
    would be under 64 tokens), each starting from a fresh state and carrying it across
    chunks of ``chunk`` steps through its whole part; every token but the first is scored
    exactly once, the first tokens of each part after the first without the text before
    them. ``streams=1``: one state carried through the whole text.
    ``ids`` is a tensor or a (memory-mapped) numpy array; only one chunk of each stream
    is read at a time, so memory does not grow with the text. Returns ``(total_nll, count)``.
    ``skip_id``: targets of this id (the unknown token) are left out of both (they are
    still read as inputs).
    """
    from ..data.text_sampling import gather_ids

    device = net.head.weight.device
    n = len(ids) - 1
    if n < 1:
        raise DataError("need at least 2 tokens to measure perplexity")
    streams = streams_used(n, streams)
    # fewer steps per chunk for a large vocabulary: a chunk's scores (S, chunk, V), in
    # float32 then float64 twice, took 6 GB for 16 streams of 74,000 characters (CJK)
    chunk = max(1, min(chunk, EVAL_SCORES // (streams * net.vocab_size)))
    L = -(-n // streams)  # ceil; the last stream is padded (inputs 0, targets ignored)
    starts = np.arange(streams, dtype=np.int64)[:, None] * L
    total, state, skipped = 0.0, None, 0
    # eval mode (:mod:`.eval_mode`); no graph (the state is carried across chunks)
    with in_eval_mode(net), torch.no_grad():
        for t in range(0, L, chunk):
            pos = starts + np.arange(t, min(t + chunk, L), dtype=np.int64)[None, :]  # (S, w)
            valid = torch.from_numpy(pos < n)
            safe = np.minimum(pos, n - 1)
            xb = torch.where(valid, gather_ids(ids, safe), 0)
            yb = torch.where(valid, gather_ids(ids, safe + 1), -100)  # -100: ignored
            _check_in_vocab(xb, yb, net.vocab_size, pos)
            xb, yb = xb.to(device), yb.to(device)
            if skip_id is not None:  # (padding's -100 is never skip_id)
                skip = yb == skip_id
                skipped += int(skip.sum())
                yb = yb.masked_fill(skip, -100)
            logits, state = net(xb, state)
            total += float(F.cross_entropy(logits.reshape(-1, logits.shape[-1]).double(),
                                           yb.reshape(-1), ignore_index=-100, reduction="sum"))
    return total, n - skipped


def streams_used(scored: int, streams: int) -> int:
    """The parts :func:`token_nll` cuts ``scored`` targets into when asked for
    ``streams``: fewer where a part would be under 64 tokens (at least one)."""
    return max(1, min(streams, scored // 64 or 1))


def _check_in_vocab(xb: Tensor, yb: Tensor, vocab_size: int, pos: np.ndarray) -> None:
    """Refuse a token id outside the vocabulary (an embedding or a target would raise an
    IndexError naming neither), naming its position in the text."""
    both = torch.cat([xb.reshape(-1), yb[yb != -100]])
    if both.numel() and (int(both.min()) < 0 or int(both.max()) >= vocab_size):
        bad = torch.nonzero((xb < 0) | (xb >= vocab_size) | ((yb != -100) & (
            (yb < 0) | (yb >= vocab_size))))[0]
        s, t = int(bad[0]), int(bad[1])
        at, value = (int(pos[s, t]), int(xb[s, t])) if not 0 <= int(xb[s, t]) < vocab_size \
            else (int(pos[s, t]) + 1, int(yb[s, t]))
        raise DataError(f"token id {value} at position {at} is outside the model's "
                        f"vocabulary (0..{vocab_size - 1}); give ids from the model's own "
                        f"vocabulary (vocab.encode(text))")


__all__ = ["LMNet", "token_nll", "streams_used", "perplexity_of_bits", "format_perplexity"]


def _allow_in_weights_only_load() -> None:
    """``torch.save(lm.net)`` loads back with ``torch.load(f, weights_only=True)`` (torch's
    default), as a model of rnnlab.nn does (:mod:`rnnlab.nn` lists its own classes): LMNet
    and the torch module it holds that rnnlab.nn does not (``nn.Embedding``) are safe
    globals once this module is imported (``from rnnlab.lm import LMNet``, or any use of
    ``CharLM``). Listed here, beside the class: rnnlab.nn importing rnnlab.lm would be an
    import cycle, and ``rnnlab.lm``'s ``__init__`` stays torch-free for the parsers."""
    from ..nn.safe_globals import allow_in_weights_only_load

    allow_in_weights_only_load([LMNet, nn.Embedding])


_allow_in_weights_only_load()
