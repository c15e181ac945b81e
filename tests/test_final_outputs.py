"""``rnnlab.nn.bidirectional.final_outputs``: each sequence's summary of a batch-first
output, the one rule the forecasting heads (forecast.net, panel.net) read."""

from __future__ import annotations

import pytest
import torch

from rnnlab.nn.bidirectional import final_outputs


@pytest.mark.parametrize("bidirectional", [False, True])
def test_final_outputs_are_torch_nns_final_hidden_states(bidirectional):
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, 4, batch_first=True, bidirectional=bidirectional,
                         dtype=torch.float64)
    out, (h_n, _) = lstm(torch.randn(2, 5, 3, dtype=torch.float64))
    want = torch.cat([h_n[0], h_n[1]], dim=-1) if bidirectional else h_n[0]  # (B, F)
    torch.testing.assert_close(final_outputs(out, bidirectional), want, rtol=0, atol=0)
