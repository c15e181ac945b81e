"""Language modelling as a task of :func:`rnnlab.train.fit`."""

from __future__ import annotations

from typing import Optional

import torch
import torch.nn.functional as F

from ..data.text_sampling import TextSampler
from ..nn.registry import detach_state
from .model import LMNet, token_nll


class LMTask:
    """Batches from a :class:`TextSampler`; cross-entropy; validation perplexity over the
    whole validation text in ``eval_streams`` parts, each from a fresh state carried
    through its part (:func:`.model.token_nll`).

    With sequential sampling the carry is the detached recurrent state (truncated BPTT);
    with random sampling it is None (a fresh state for every batch).
    """

    def __init__(self, net: LMNet, sampler: TextSampler, val_ids, eval_streams: int,
                 device: torch.device):
        self.net, self.sampler, self.val_ids = net, sampler, val_ids
        self.eval_streams, self.device = eval_streams, device

    def num_batches(self, epoch: int) -> int:
        return self.sampler.num_batches(epoch)

    def get_batch(self, epoch: int, index: int):
        return self.sampler.get_batch(epoch, index)

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        x, y = (t.to(self.device, non_blocking=True) for t in batch)
        logits, state = model(x, carry)  # (B, T, V)
        if logits.dtype != torch.float64:  # bf16/fp16 under autocast: the loss in fp32
            logits = logits.float()
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        return loss, (detach_state(state) if self.sampler.carries_state else None)

    def validate(self, model) -> Optional[float]:
        """Mean negative log-likelihood (nats) per token of the validation text."""
        nll, n = token_nll(self.net, self.val_ids, streams=self.eval_streams)
        return nll / n
